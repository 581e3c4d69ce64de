<?xml version="1.0"?>
<!--
  Forest of SUSE files -> interface XML.

  Input: ifcfg-$name, the ifcfg files of its ports and slaves, its default
  routes (from `routes`) and its ifsysctl file, if any. An interface's name
  is its file's suffix.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:ancf="urn:augnetcf:xslt"
                xmlns:str="http://exslt.org/strings"
                extension-element-prefixes="str"
                exclude-result-prefixes="ancf str">
  <xsl:output method="xml" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:param name="name"/>

  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
  <xsl:variable name="forest" select="/forest"/>

  <xsl:key name="ifcfg" match="tree[contains(@path, '/ifcfg-')]" use="substring-after(@path, '/ifcfg-')"/>

  <xsl:template match="/forest">
    <xsl:call-template name="interface">
      <xsl:with-param name="ifname" select="$name"/>
      <xsl:with-param name="top" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="interface">
    <xsl:param name="ifname"/>
    <xsl:param name="top" select="false()"/>
    <xsl:variable name="t" select="key('ifcfg', $ifname)"/>
    <xsl:variable name="k" select="$t/node"/>
    <!-- as wicked tells it; a file whose kind cannot be told is refused -->
    <xsl:variable name="type" select="ancf:suse-kind($t)"/>
    <interface type="{$type}" name="{$ifname}">
      <xsl:if test="$top">
        <xsl:variable name="mode" select="translate($k[@label = 'STARTMODE']/@value, $upper, $lower)"/>
        <xsl:choose>
          <xsl:when test="$mode = 'auto' or $mode = 'onboot' or $mode = 'on' or $mode = 'boot' or $mode = 'nfsroot'">
            <start mode="onboot"/>
          </xsl:when>
          <xsl:when test="$mode = 'hotplug' or $mode = 'ifplugd'"><start mode="hotplug"/></xsl:when>
          <xsl:otherwise><start mode="none"/></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
      <xsl:if test="$type = 'ethernet' and ancf:mac($k[@label = 'LLADDR']/@value) != ''">
        <mac address="{ancf:mac($k[@label = 'LLADDR']/@value)}"/>
      </xsl:if>
      <xsl:if test="$top">
        <xsl:if test="$k[@label = 'MTU'] and $k[@label = 'MTU']/@value != ''">
          <mtu size="{$k[@label = 'MTU']/@value}"/>
        </xsl:if>
        <!-- wicked makes a bridge port or bond slave L2-only: it ignores the
             port's BOOTPROTO, addresses, routes and autoconf -->
        <xsl:if test="not($forest/tree[contains(@path, '/ifcfg-')]
                      [contains(concat(' ', normalize-space(translate(ancf:suse-ports(.), '&#9;', ' ')), ' '),
                                concat(' ', $ifname, ' '))])">
          <xsl:call-template name="protocols">
            <xsl:with-param name="t" select="$t"/>
            <xsl:with-param name="ifname" select="$ifname"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$type = 'bridge'">
          <xsl:variable name="stp" select="translate($k[@label = 'BRIDGE_STP']/@value, $upper, $lower)"/>
          <bridge>
            <xsl:if test="$stp != ''">
              <xsl:attribute name="stp">
                <xsl:value-of select="substring('offon', 1 + 3 * ($stp = 'on' or $stp = 'yes'), 3)"/>
              </xsl:attribute>
            </xsl:if>
            <xsl:if test="$k[@label = 'BRIDGE_FORWARDDELAY']">
              <xsl:attribute name="delay"><xsl:value-of select="$k[@label = 'BRIDGE_FORWARDDELAY']/@value"/></xsl:attribute>
            </xsl:if>
            <xsl:for-each select="str:tokenize(ancf:suse-ports($t), ' &#9;')">
              <xsl:variable name="port" select="string(.)"/>
              <xsl:for-each select="$forest">
                <xsl:call-template name="interface"><xsl:with-param name="ifname" select="$port"/></xsl:call-template>
              </xsl:for-each>
            </xsl:for-each>
          </bridge>
        </xsl:when>
        <xsl:when test="$type = 'bond'">
          <xsl:variable name="opts" select="$k[@label = 'BONDING_MODULE_OPTS']/@value"/>
          <xsl:variable name="primary" select="ancf:bond-option($opts, 'primary')"/>
          <xsl:variable name="carrier" select="ancf:bond-option($opts, 'use_carrier')"/>
          <bond>
            <xsl:if test="ancf:bond-option($opts, 'mode') != ''">
              <xsl:attribute name="mode"><xsl:value-of select="ancf:bond-option($opts, 'mode')"/></xsl:attribute>
            </xsl:if>
            <xsl:choose>
              <xsl:when test="ancf:bond-option($opts, 'arp_interval') != ''">
                <arpmon interval="{ancf:bond-option($opts, 'arp_interval')}"
                        target="{ancf:bond-option($opts, 'arp_ip_target')}">
                  <xsl:if test="ancf:bond-option($opts, 'arp_validate') != ''">
                    <xsl:attribute name="validate"><xsl:value-of select="ancf:bond-option($opts, 'arp_validate')"/></xsl:attribute>
                  </xsl:if>
                </arpmon>
              </xsl:when>
              <xsl:when test="ancf:bond-option($opts, 'miimon') != ''">
                <miimon freq="{ancf:bond-option($opts, 'miimon')}">
                  <xsl:if test="ancf:bond-option($opts, 'downdelay') != ''">
                    <xsl:attribute name="downdelay"><xsl:value-of select="ancf:bond-option($opts, 'downdelay')"/></xsl:attribute>
                  </xsl:if>
                  <xsl:if test="ancf:bond-option($opts, 'updelay') != ''">
                    <xsl:attribute name="updelay"><xsl:value-of select="ancf:bond-option($opts, 'updelay')"/></xsl:attribute>
                  </xsl:if>
                  <xsl:if test="$carrier = '0'"><xsl:attribute name="carrier">ioctl</xsl:attribute></xsl:if>
                  <xsl:if test="$carrier = '1'"><xsl:attribute name="carrier">netif</xsl:attribute></xsl:if>
                </miimon>
              </xsl:when>
            </xsl:choose>
            <xsl:variable name="slaves" select="$k[starts-with(@label, 'BONDING_SLAVE')]"/>
            <xsl:for-each select="$slaves[@value = $primary]">
              <xsl:call-template name="slave"/>
            </xsl:for-each>
            <xsl:for-each select="$slaves[@value != $primary]">
              <xsl:sort select="concat('0', substring-after(@label, 'BONDING_SLAVE_'))" data-type="number"/>
              <xsl:call-template name="slave"/>
            </xsl:for-each>
          </bond>
        </xsl:when>
        <xsl:when test="$type = 'vlan'">
          <xsl:variable name="dev" select="$k[@label = 'ETHERDEVICE']/@value"/>
          <xsl:variable name="id" select="$k[@label = 'VLAN_ID']/@value"/>
          <vlan>
            <xsl:attribute name="tag">
              <xsl:choose>
                <xsl:when test="$id"><xsl:value-of select="$id"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="ancf:vlan-tag($ifname)"/></xsl:otherwise>
              </xsl:choose>
            </xsl:attribute>
            <interface>
              <xsl:attribute name="name">
                <xsl:choose>
                  <xsl:when test="$dev"><xsl:value-of select="$dev"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="ancf:vlan-device($ifname)"/></xsl:otherwise>
                </xsl:choose>
              </xsl:attribute>
            </interface>
          </vlan>
        </xsl:when>
      </xsl:choose>
    </interface>
  </xsl:template>

  <xsl:template name="slave">
    <xsl:variable name="slave" select="string(@value)"/>
    <xsl:variable name="mac" select="ancf:mac(key('ifcfg', $slave)/node[@label = 'LLADDR']/@value)"/>
    <interface type="ethernet" name="{$slave}">
      <xsl:if test="$mac != ''"><mac address="{$mac}"/></xsl:if>
    </interface>
  </xsl:template>

  <!-- IPADDR, IPADDR_x (A/P, or with PREFIXLEN_x / NETMASK_x), BOOTPROTO,
       default routes for this interface, and its ifsysctl autoconf. -->
  <xsl:template name="protocols">
    <xsl:param name="t"/>
    <xsl:param name="ifname"/>
    <xsl:variable name="k" select="$t/node"/>
    <xsl:variable name="proto" select="translate($k[@label = 'BOOTPROTO']/@value, $upper, $lower)"/>
    <!-- 0.0.0.0 is no address: older YaST wrote IPADDR='0.0.0.0/32' on bridge ports -->
    <xsl:variable name="addrs" select="$k[(@label = 'IPADDR' or starts-with(@label, 'IPADDR_')) and @value != ''
                                          and @value != '0.0.0.0' and not(starts-with(@value, '0.0.0.0/'))]"/>
    <!-- a default route names its interface, or says '-' and belongs to
         the interface whose subnet holds its gateway -->
    <xsl:variable name="routes" select="$forest/tree/node[@label = 'route'][ancf:suse-route-owner(.) = $ifname]"/>
    <xsl:variable name="sysctl"
                  select="$forest/tree/node[@label = concat('net.ipv6.conf.', translate($ifname, '.', '/'), '.autoconf')
                                            or @label = concat('net.ipv6.conf.', $ifname, '.autoconf')]"/>
    <xsl:variable name="dhcp4" select="$proto = 'dhcp' or $proto = 'dhcp4' or starts-with($proto, 'dhcp+')"/>
    <xsl:variable name="dhcp6" select="$proto = 'dhcp' or $proto = 'dhcp6'"/>
    <xsl:if test="$dhcp4 or $addrs[not(contains(@value, ':'))]
                  or $routes[not(contains(node[@label = 'gateway']/@value, ':'))]">
      <protocol family="ipv4">
        <xsl:if test="$dhcp4"><dhcp/></xsl:if>
        <xsl:for-each select="$addrs[not(contains(@value, ':'))]">
          <xsl:call-template name="ip"/>
        </xsl:for-each>
        <xsl:for-each select="$routes[not(contains(node[@label = 'gateway']/@value, ':'))][1]">
          <route gateway="{node[@label = 'gateway']/@value}"/>
        </xsl:for-each>
      </protocol>
    </xsl:if>
    <xsl:if test="$dhcp6 or $addrs[contains(@value, ':')] or $sysctl
                  or $routes[contains(node[@label = 'gateway']/@value, ':')]">
      <protocol family="ipv6">
        <xsl:if test="not($sysctl) or $sysctl/@value != '0'"><autoconf/></xsl:if>
        <xsl:if test="$dhcp6"><dhcp/></xsl:if>
        <xsl:for-each select="$addrs[contains(@value, ':')]">
          <xsl:call-template name="ip"/>
        </xsl:for-each>
        <xsl:for-each select="$routes[contains(node[@label = 'gateway']/@value, ':')][1]">
          <route gateway="{node[@label = 'gateway']/@value}"/>
        </xsl:for-each>
      </protocol>
    </xsl:if>
  </xsl:template>

  <xsl:template name="ip">
    <xsl:variable name="suffix" select="substring-after(@label, 'IPADDR')"/>
    <xsl:variable name="len" select="../node[@label = concat('PREFIXLEN', $suffix)]/@value"/>
    <xsl:variable name="mask" select="../node[@label = concat('NETMASK', $suffix)]/@value"/>
    <xsl:choose>
      <xsl:when test="contains(@value, '/')">
        <ip address="{substring-before(@value, '/')}" prefix="{substring-after(@value, '/')}"/>
      </xsl:when>
      <xsl:when test="$len">
        <ip address="{@value}" prefix="{$len}"/>
      </xsl:when>
      <xsl:when test="$mask and ancf:prefix($mask) != ''">
        <ip address="{@value}" prefix="{ancf:prefix($mask)}"/>
      </xsl:when>
      <xsl:otherwise><ip address="{@value}"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
