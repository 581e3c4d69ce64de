<?xml version="1.0"?>
<!--
  Forest of NetworkManager keyfiles -> interface XML.

  Input: a forest whose first <tree> is the connection of the interface
  named by $name and whose other trees are its ports and slaves (the engine
  selects them). Keys sit in their [section] node. What NetworkManager
  assumes for a missing key is assumed here too: autoconnect=true, and
  method=auto for a connection without an [ipv4] or [ipv6] section.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:ancf="urn:augnetcf:xslt"
                exclude-result-prefixes="ancf">
  <xsl:output method="xml" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:param name="name"/>

  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>

  <xsl:template match="/forest">
    <xsl:apply-templates select="tree[1]" mode="interface">
      <xsl:with-param name="top" select="true()"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- The last value of SECTION/KEY in a tree (GLib keeps the last). -->
  <xsl:template name="get">
    <xsl:param name="tree" select="."/>
    <xsl:param name="section"/>
    <xsl:param name="key"/>
    <xsl:value-of select="($tree/node[@label = $section]/node[@label = $key])[last()]/@value"/>
  </xsl:template>

  <!-- A GLib boolean: true/false, yes/no, 1/0 (any case). -->
  <xsl:template name="true">
    <xsl:param name="value"/>
    <xsl:variable name="v" select="translate(normalize-space($value), $upper, $lower)"/>
    <xsl:value-of select="$v = 'true' or $v = 'yes' or $v = '1'"/>
  </xsl:template>

  <xsl:template match="tree" mode="interface">
    <xsl:param name="top" select="false()"/>
    <xsl:variable name="conn" select="node[@label = 'connection'][last()]"/>
    <xsl:variable name="ifname" select="$conn/node[@label = 'interface-name'][last()]/@value"/>
    <xsl:variable name="rawtype" select="$conn/node[@label = 'type'][last()]/@value"/>
    <xsl:variable name="type">
      <xsl:choose>
        <xsl:when test="$rawtype = '802-3-ethernet'">ethernet</xsl:when>
        <xsl:otherwise><xsl:value-of select="$rawtype"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="eth" select="node[@label = 'ethernet' or @label = '802-3-ethernet']"/>
    <interface type="{$type}" name="{$ifname}">
      <xsl:if test="$top">
        <xsl:variable name="auto">
          <xsl:choose>
            <xsl:when test="$conn/node[@label = 'autoconnect']">
              <xsl:call-template name="true">
                <xsl:with-param name="value" select="$conn/node[@label = 'autoconnect'][last()]/@value"/>
              </xsl:call-template>
            </xsl:when>
            <xsl:otherwise>true</xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <start mode="{substring('noneonboot', 1 + 4 * ($auto = 'true'), 4 + 2 * ($auto = 'true'))}"/>
      </xsl:if>
      <xsl:if test="$type = 'ethernet' and ancf:mac(($eth/node[@label = 'mac-address'])[last()]/@value) != ''">
        <mac address="{ancf:mac(($eth/node[@label = 'mac-address'])[last()]/@value)}"/>
      </xsl:if>
      <xsl:if test="$top">
        <xsl:variable name="mtu" select="($eth/node[@label = 'mtu'])[last()]/@value"/>
        <xsl:if test="$mtu and $mtu != '0' and $mtu != 'auto'">
          <mtu size="{$mtu}"/>
        </xsl:if>
        <xsl:call-template name="protocol">
          <xsl:with-param name="family" select="'ipv4'"/>
        </xsl:call-template>
        <xsl:call-template name="protocol">
          <xsl:with-param name="family" select="'ipv6'"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$type = 'bridge'">
          <xsl:call-template name="bridge"><xsl:with-param name="ifname" select="$ifname"/></xsl:call-template>
        </xsl:when>
        <xsl:when test="$type = 'bond'">
          <xsl:call-template name="bond"><xsl:with-param name="ifname" select="$ifname"/></xsl:call-template>
        </xsl:when>
        <xsl:when test="$type = 'vlan'">
          <vlan tag="{(node[@label = 'vlan']/node[@label = 'id'])[last()]/@value}">
            <interface name="{(node[@label = 'vlan']/node[@label = 'parent'])[last()]/@value}"/>
          </vlan>
        </xsl:when>
      </xsl:choose>
    </interface>
  </xsl:template>

  <xsl:template name="protocol">
    <xsl:param name="family"/>
    <xsl:variable name="sec" select="node[@label = $family][last()]"/>
    <xsl:variable name="method">
      <xsl:choose>
        <xsl:when test="$sec/node[@label = 'method']">
          <xsl:value-of select="$sec/node[@label = 'method'][last()]/@value"/>
        </xsl:when>
        <xsl:otherwise>auto</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <!-- address, address1, address2, ... (the number orders them) -->
    <xsl:variable name="addrs"
                  select="$sec/node[starts-with(@label, 'address')
                          and translate(substring(@label, 8), '0123456789', '') = '']"/>
    <xsl:variable name="gw">
      <xsl:choose>
        <xsl:when test="$sec/node[@label = 'gateway']">
          <xsl:value-of select="$sec/node[@label = 'gateway'][last()]/@value"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="$addrs">
            <xsl:sort select="concat('0', substring(@label, 8))" data-type="number"/>
            <xsl:if test="position() = 1">
              <xsl:value-of select="substring-after(@value, ',')"/>
            </xsl:if>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="on" select="$method = 'auto' or $method = 'manual' or $method = 'dhcp'
                                    or ($family = 'ipv6' and $method = 'link-local')"/>
    <!-- NetworkManager rejects a connection whose gateway has no address
         beside it: no description says that, so none is made up -->
    <xsl:if test="$on and $method != 'link-local' and $gw != '' and not($addrs)">
      <xsl:value-of select="ancf:refuse(concat('[', $family, '] gateway=', $gw,
                            ' has no address beside it: NetworkManager rejects such a connection',
                            ' (gateway cannot be set if there are no addresses configured)'), @path)"/>
    </xsl:if>
    <xsl:if test="$on">
      <protocol family="{$family}">
        <xsl:if test="$family = 'ipv6' and $method = 'auto'"><autoconf/></xsl:if>
        <xsl:if test="($family = 'ipv4' and $method = 'auto') or ($family = 'ipv6' and $method = 'dhcp')">
          <dhcp>
            <xsl:if test="$sec/node[@label = 'ignore-auto-dns']">
              <xsl:variable name="ignore">
                <xsl:call-template name="true">
                  <xsl:with-param name="value" select="$sec/node[@label = 'ignore-auto-dns'][last()]/@value"/>
                </xsl:call-template>
              </xsl:variable>
              <xsl:attribute name="peerdns">
                <xsl:value-of select="substring('yesno', 1 + 3 * ($ignore = 'true'), 3 - ($ignore = 'true'))"/>
              </xsl:attribute>
            </xsl:if>
          </dhcp>
        </xsl:if>
        <xsl:if test="$method != 'link-local'">
          <xsl:for-each select="$addrs">
            <xsl:sort select="concat('0', substring(@label, 8))" data-type="number"/>
            <xsl:variable name="cidr">
              <xsl:choose>
                <xsl:when test="contains(@value, ',')"><xsl:value-of select="substring-before(@value, ',')"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="@value"/></xsl:otherwise>
              </xsl:choose>
            </xsl:variable>
            <xsl:choose>
              <xsl:when test="contains($cidr, '/')">
                <ip address="{substring-before($cidr, '/')}" prefix="{substring-after($cidr, '/')}"/>
              </xsl:when>
              <xsl:otherwise><ip address="{$cidr}"/></xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
          <xsl:if test="$gw != ''"><route gateway="{$gw}"/></xsl:if>
        </xsl:if>
      </protocol>
    </xsl:if>
  </xsl:template>

  <xsl:template name="bridge">
    <xsl:param name="ifname"/>
    <xsl:variable name="sec" select="node[@label = 'bridge'][last()]"/>
    <bridge>
      <xsl:if test="$sec/node[@label = 'stp']">
        <xsl:variable name="stp">
          <xsl:call-template name="true">
            <xsl:with-param name="value" select="$sec/node[@label = 'stp'][last()]/@value"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:attribute name="stp"><xsl:value-of select="substring('offon', 1 + 3 * ($stp = 'true'), 3)"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="$sec/node[@label = 'forward-delay']">
        <xsl:attribute name="delay">
          <xsl:value-of select="$sec/node[@label = 'forward-delay'][last()]/@value"/>
        </xsl:attribute>
      </xsl:if>
      <!-- NetworkManager enslaves a port only with the master's slave-type -->
      <xsl:apply-templates mode="interface" select="../tree[ancf:nm-master(.) = $ifname]
          [node[@label = 'connection']/node[@label = 'slave-type'][last()]/@value = 'bridge']"/>
    </bridge>
  </xsl:template>

  <xsl:template name="bond">
    <xsl:param name="ifname"/>
    <xsl:variable name="sec" select="node[@label = 'bond'][last()]"/>
    <xsl:variable name="primary" select="$sec/node[@label = 'primary'][last()]/@value"/>
    <xsl:variable name="arp" select="$sec/node[@label = 'arp_interval'][last()]/@value"/>
    <xsl:variable name="carrier" select="$sec/node[@label = 'use_carrier'][last()]/@value"/>
    <bond>
      <xsl:if test="$sec/node[@label = 'mode']">
        <xsl:attribute name="mode">
          <xsl:value-of select="ancf:bond-option(concat('mode=', $sec/node[@label = 'mode'][last()]/@value), 'mode')"/>
        </xsl:attribute>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$arp">
          <arpmon interval="{$arp}"
                  target="{ancf:bond-option(concat('t=', $sec/node[@label = 'arp_ip_target'][last()]/@value), 't')}">
            <xsl:if test="$sec/node[@label = 'arp_validate']">
              <xsl:attribute name="validate">
                <xsl:value-of select="ancf:bond-option(concat('arp_validate=', $sec/node[@label = 'arp_validate'][last()]/@value), 'arp_validate')"/>
              </xsl:attribute>
            </xsl:if>
          </arpmon>
        </xsl:when>
        <xsl:when test="$sec/node[@label = 'miimon']">
          <miimon freq="{$sec/node[@label = 'miimon'][last()]/@value}">
            <xsl:if test="$sec/node[@label = 'downdelay']">
              <xsl:attribute name="downdelay"><xsl:value-of select="$sec/node[@label = 'downdelay'][last()]/@value"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="$sec/node[@label = 'updelay']">
              <xsl:attribute name="updelay"><xsl:value-of select="$sec/node[@label = 'updelay'][last()]/@value"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="$carrier = '0'"><xsl:attribute name="carrier">ioctl</xsl:attribute></xsl:if>
            <xsl:if test="$carrier = '1'"><xsl:attribute name="carrier">netif</xsl:attribute></xsl:if>
          </miimon>
        </xsl:when>
      </xsl:choose>
      <!-- the primary first: its position is what says it is the primary -->
      <xsl:variable name="slaves" select="../tree[ancf:nm-master(.) = $ifname]
          [node[@label = 'connection']/node[@label = 'slave-type'][last()]/@value = 'bond']"/>
      <xsl:variable name="iname" select="'interface-name'"/>
      <xsl:apply-templates select="$slaves[node[@label = 'connection']/node[@label = $iname]/@value = $primary]"
                           mode="interface"/>
      <xsl:apply-templates select="$slaves[not(node[@label = 'connection']/node[@label = $iname]/@value = $primary)]"
                           mode="interface"/>
    </bond>
  </xsl:template>
</xsl:stylesheet>
