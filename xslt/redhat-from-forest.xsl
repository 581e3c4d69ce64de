<?xml version="1.0"?>
<!--
  Forest of Red Hat ifcfg files -> interface XML.

  Input: a forest whose first <tree> is the interface named by $name and
  whose other trees are its ports and slaves (the engine selects them).
  Values arrive unquoted (the Sysconfig lens strips shell quotes). A key set
  twice means what its last line says, as the shell reads it: [last()].
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

  <xsl:key name="device" match="tree" use="node[@label = 'DEVICE'][last()]/@value"/>
  <xsl:key name="bridge-port" match="tree" use="node[@label = 'BRIDGE'][last()]/@value"/>
  <xsl:key name="bond-slave" match="tree" use="node[@label = 'MASTER'][last()]/@value"/>

  <xsl:template match="/forest">
    <xsl:apply-templates select="tree[1]" mode="interface">
      <xsl:with-param name="ifname" select="$name"/>
      <xsl:with-param name="top" select="true()"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- A shell boolean as initscripts reads it. -->
  <xsl:template name="yes">
    <xsl:param name="value"/>
    <xsl:variable name="v" select="translate($value, $upper, $lower)"/>
    <xsl:value-of select="$v = 'yes' or $v = 'true' or $v = 'y' or $v = '1'"/>
  </xsl:template>

  <xsl:template match="tree" mode="type">
    <xsl:param name="ifname"/>
    <xsl:choose>
      <xsl:when test="translate(node[@label = 'TYPE'][last()]/@value, $upper, $lower) = 'bridge'">bridge</xsl:when>
      <xsl:when test="node[@label = 'BONDING_OPTS'] or key('bond-slave', $ifname)">bond</xsl:when>
      <xsl:when test="translate(node[@label = 'VLAN'][last()]/@value, $upper, $lower) = 'yes'">vlan</xsl:when>
      <xsl:otherwise>ethernet</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tree" mode="interface">
    <xsl:param name="ifname" select="node[@label = 'DEVICE'][last()]/@value"/>
    <xsl:param name="top" select="false()"/>
    <xsl:variable name="type">
      <xsl:apply-templates select="." mode="type">
        <xsl:with-param name="ifname" select="$ifname"/>
      </xsl:apply-templates>
    </xsl:variable>
    <interface type="{$type}" name="{$ifname}">
      <xsl:if test="$top">
        <xsl:apply-templates select="node[@label = 'ONBOOT']" mode="start"/>
        <!-- initscripts starts every interface whose ONBOOT is not "no" -->
        <xsl:if test="not(node[@label = 'ONBOOT'])"><start mode="onboot"/></xsl:if>
      </xsl:if>
      <xsl:if test="$type = 'ethernet' and ancf:mac(node[@label = 'HWADDR'][last()]/@value) != ''">
        <mac address="{ancf:mac(node[@label = 'HWADDR'][last()]/@value)}"/>
      </xsl:if>
      <xsl:if test="$top">
        <xsl:if test="node[@label = 'MTU']">
          <mtu size="{node[@label = 'MTU'][last()]/@value}"/>
        </xsl:if>
        <xsl:call-template name="ipv4"/>
        <xsl:call-template name="ipv6"/>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$type = 'bridge'">
          <xsl:call-template name="bridge">
            <xsl:with-param name="ifname" select="$ifname"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:when test="$type = 'bond'">
          <xsl:call-template name="bond">
            <xsl:with-param name="ifname" select="$ifname"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:when test="$type = 'vlan'">
          <xsl:call-template name="vlan">
            <xsl:with-param name="ifname" select="$ifname"/>
          </xsl:call-template>
        </xsl:when>
      </xsl:choose>
    </interface>
  </xsl:template>

  <xsl:template match="node" mode="start">
    <xsl:variable name="onboot">
      <xsl:call-template name="yes"><xsl:with-param name="value" select="@value"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="hotplug">
      <xsl:call-template name="yes">
        <xsl:with-param name="value" select="../node[@label = 'HOTPLUG'][last()]/@value"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$onboot = 'true'"><start mode="onboot"/></xsl:when>
      <xsl:when test="$hotplug = 'true'"><start mode="hotplug"/></xsl:when>
      <xsl:otherwise><start mode="none"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- IPADDR, IPADDR0, IPADDR1, ... each with PREFIXn or NETMASKn. -->
  <xsl:template name="ipv4">
    <xsl:variable name="proto" select="translate(node[@label = 'BOOTPROTO'][last()]/@value, $upper, $lower)"/>
    <xsl:variable name="addrs"
                  select="node[starts-with(@label, 'IPADDR')
                          and translate(substring(@label, 7), '0123456789', '') = '']"/>
    <xsl:if test="node[@label = 'BOOTPROTO'] or $addrs">
      <protocol family="ipv4">
        <xsl:if test="$proto = 'dhcp' or $proto = 'bootp'">
          <dhcp>
            <xsl:if test="node[@label = 'PEERDNS']">
              <xsl:variable name="peerdns">
                <xsl:call-template name="yes">
                  <xsl:with-param name="value" select="node[@label = 'PEERDNS'][last()]/@value"/>
                </xsl:call-template>
              </xsl:variable>
              <xsl:attribute name="peerdns">
                <xsl:value-of select="substring('noyes', 1 + 2 * ($peerdns = 'true'), 2 + ($peerdns = 'true'))"/>
              </xsl:attribute>
            </xsl:if>
          </dhcp>
        </xsl:if>
        <xsl:for-each select="$addrs">
          <xsl:sort select="concat('0', substring(@label, 7))" data-type="number"/>
          <xsl:variable name="n" select="substring(@label, 7)"/>
          <xsl:variable name="mask"
                        select="(../node[@label = concat('PREFIX', $n)]
                                | ../node[@label = concat('NETMASK', $n)])[1]/@value"/>
          <ip address="{@value}">
            <xsl:if test="$mask and ancf:prefix($mask) != ''">
              <xsl:attribute name="prefix"><xsl:value-of select="ancf:prefix($mask)"/></xsl:attribute>
            </xsl:if>
          </ip>
        </xsl:for-each>
        <xsl:if test="node[@label = 'GATEWAY']">
          <route gateway="{node[@label = 'GATEWAY'][last()]/@value}"/>
        </xsl:if>
      </protocol>
    </xsl:if>
  </xsl:template>

  <xsl:template name="ipv6">
    <xsl:variable name="init">
      <xsl:call-template name="yes">
        <xsl:with-param name="value" select="node[@label = 'IPV6INIT'][last()]/@value"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$init = 'true'">
      <xsl:variable name="autoconf">
        <xsl:choose>
          <xsl:when test="node[@label = 'IPV6_AUTOCONF']">
            <xsl:call-template name="yes">
              <xsl:with-param name="value" select="node[@label = 'IPV6_AUTOCONF'][last()]/@value"/>
            </xsl:call-template>
          </xsl:when>
          <!-- initscripts' default: autoconf unless the host forwards -->
          <xsl:otherwise>
            <xsl:variable name="fwd">
              <xsl:call-template name="yes">
                <xsl:with-param name="value" select="node[@label = 'IPV6FORWARDING'][last()]/@value"/>
              </xsl:call-template>
            </xsl:variable>
            <xsl:value-of select="$fwd != 'true'"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="dhcp">
        <xsl:call-template name="yes">
          <xsl:with-param name="value" select="node[@label = 'DHCPV6C'][last()]/@value"/>
        </xsl:call-template>
      </xsl:variable>
      <protocol family="ipv6">
        <xsl:if test="$autoconf = 'true'"><autoconf/></xsl:if>
        <xsl:if test="$dhcp = 'true'"><dhcp/></xsl:if>
        <xsl:for-each select="node[@label = 'IPV6ADDR']">
          <xsl:call-template name="ipv6-ip"><xsl:with-param name="cidr" select="@value"/></xsl:call-template>
        </xsl:for-each>
        <xsl:for-each select="str:tokenize(node[@label = 'IPV6ADDR_SECONDARIES'][last()]/@value, ' &#9;')">
          <xsl:call-template name="ipv6-ip"><xsl:with-param name="cidr" select="."/></xsl:call-template>
        </xsl:for-each>
        <xsl:if test="node[@label = 'IPV6_DEFAULTGW']">
          <xsl:variable name="gw" select="node[@label = 'IPV6_DEFAULTGW'][last()]/@value"/>
          <route>
            <xsl:attribute name="gateway">
              <xsl:choose>
                <xsl:when test="contains($gw, '%')"><xsl:value-of select="substring-before($gw, '%')"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="$gw"/></xsl:otherwise>
              </xsl:choose>
            </xsl:attribute>
          </route>
        </xsl:if>
      </protocol>
    </xsl:if>
  </xsl:template>

  <xsl:template name="ipv6-ip">
    <xsl:param name="cidr"/>
    <xsl:choose>
      <xsl:when test="contains($cidr, '/')">
        <ip address="{substring-before($cidr, '/')}" prefix="{substring-after($cidr, '/')}"/>
      </xsl:when>
      <xsl:otherwise>
        <ip address="{$cidr}"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="bridge">
    <xsl:param name="ifname"/>
    <bridge>
      <xsl:if test="node[@label = 'STP']">
        <xsl:variable name="s" select="translate(node[@label = 'STP'][last()]/@value, $upper, $lower)"/>
        <xsl:variable name="stp" select="$s = 'on' or $s = 'yes' or $s = 'y' or $s = '1' or $s = 'true'"/>
        <xsl:attribute name="stp">
          <xsl:value-of select="substring('offon', 1 + 3 * $stp, 3)"/>
        </xsl:attribute>
      </xsl:if>
      <xsl:if test="node[@label = 'DELAY']">
        <xsl:attribute name="delay"><xsl:value-of select="node[@label = 'DELAY'][last()]/@value"/></xsl:attribute>
      </xsl:if>
      <xsl:apply-templates select="key('bridge-port', $ifname)" mode="interface"/>
    </bridge>
  </xsl:template>

  <xsl:template name="bond">
    <xsl:param name="ifname"/>
    <xsl:variable name="opts" select="node[@label = 'BONDING_OPTS'][last()]/@value"/>
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
              <xsl:attribute name="validate">
                <xsl:value-of select="ancf:bond-option($opts, 'arp_validate')"/>
              </xsl:attribute>
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
      <!-- the primary first: its position is what says it is the primary -->
      <xsl:variable name="slaves" select="key('bond-slave', $ifname)"/>
      <xsl:apply-templates select="$slaves[node[@label = 'DEVICE'][last()]/@value = $primary]" mode="interface"/>
      <xsl:apply-templates select="$slaves[not(node[@label = 'DEVICE'][last()]/@value = $primary)]" mode="interface"/>
    </bond>
  </xsl:template>

  <xsl:template name="vlan">
    <xsl:param name="ifname"/>
    <xsl:variable name="tag">
      <xsl:choose>
        <xsl:when test="node[@label = 'VLAN_ID']"><xsl:value-of select="node[@label = 'VLAN_ID'][last()]/@value"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="ancf:vlan-tag($ifname)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="device">
      <xsl:choose>
        <xsl:when test="node[@label = 'PHYSDEV']"><xsl:value-of select="node[@label = 'PHYSDEV'][last()]/@value"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="ancf:vlan-device($ifname)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <vlan tag="{$tag}">
      <interface name="{$device}"/>
    </vlan>
  </xsl:template>
</xsl:stylesheet>
