<?xml version="1.0"?>
<!--
  Forest of netplan files -> interface XML.

  Input: a forest holding the definitions of the interface named by $name
  and of its ports and slaves (the engine selects them), each inside its
  file's network mapping and group. Labels are YAML keys, "-" a sequence
  item. A bridge or bond names its ports, and a VLAN its parent, by their
  netplan ids (the key), which is the interface name unless an ethernet
  says set-name: or match: name:.

  What netplan assumes for a missing key is assumed too: the interface
  comes up at boot; with IPv6 configured, router advertisements are
  accepted. gateway4/gateway6 (deprecated) read as the default routes.
  A definition spread over several files is refused: netplan merges them,
  and a define could not edit what it read.
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
  <xsl:variable name="units"
                select="/forest/tree/node[@label = 'network']/node[@label = 'ethernets' or @label = 'bridges'
                        or @label = 'bonds' or @label = 'vlans']/node"/>

  <xsl:template match="/forest">
    <xsl:variable name="mine" select="$units[ancf:np-name(.) = $name]"/>
    <xsl:if test="count($mine) &gt; 1">
      <xsl:value-of select="ancf:refuse(concat($name, ' is defined in several netplan files (',
                            $mine[1]/ancestor::tree/@path, ' and ', $mine[2]/ancestor::tree/@path,
                            '), which netplan merges; augnetcf edits a definition in one file only'),
                            $mine[2]/ancestor::tree/@path)"/>
    </xsl:if>
    <xsl:apply-templates select="$mine[1]">
      <xsl:with-param name="top" select="true()"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- netplan's booleans: true/yes/on/y, any case -->
  <xsl:template name="true">
    <xsl:param name="value"/>
    <xsl:variable name="v" select="translate(normalize-space($value), $upper, $lower)"/>
    <xsl:value-of select="$v = 'true' or $v = 'yes' or $v = 'on' or $v = 'y'"/>
  </xsl:template>

  <!-- the definition with netplan id $id -->
  <xsl:template name="by-id">
    <xsl:param name="id"/>
    <xsl:apply-templates select="$units[@label = $id][1]"/>
  </xsl:template>

  <xsl:template match="node">
    <xsl:param name="top" select="false()"/>
    <xsl:variable name="group" select="../@label"/>
    <xsl:variable name="type">
      <xsl:choose>
        <xsl:when test="$group = 'bridges'">bridge</xsl:when>
        <xsl:when test="$group = 'bonds'">bond</xsl:when>
        <xsl:when test="$group = 'vlans'">vlan</xsl:when>
        <xsl:otherwise>ethernet</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="params" select="node[@label = 'parameters']"/>
    <!-- a port that is no definition interface XML has a type for (a tunnel, a
         virtual ethernet, a wifi) would be left out, and a redefine would drop it -->
    <xsl:for-each select="(node[@label = 'interfaces']/node[not(@value = $units/@label)])[1]">
      <xsl:value-of select="ancf:refuse(concat(ancf:np-name(../..), ' has port ', @value,
                            ', which is not an ethernet, bond or VLAN: interface XML cannot describe it'),
                            ancestor::tree/@path)"/>
    </xsl:for-each>
    <interface type="{$type}" name="{ancf:np-name(.)}">
      <xsl:if test="$top">
        <xsl:variable name="activation" select="translate(node[@label = 'activation-mode']/@value, $upper, $lower)"/>
        <xsl:variable name="optional">
          <xsl:call-template name="true"><xsl:with-param name="value" select="node[@label = 'optional']/@value"/></xsl:call-template>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="$activation = 'manual' or $activation = 'off'"><start mode="none"/></xsl:when>
          <xsl:when test="$optional = 'true'"><start mode="hotplug"/></xsl:when>
          <xsl:otherwise><start mode="onboot"/></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
      <xsl:variable name="mac"
                    select="ancf:mac((node[@label = 'match']/node[@label = 'macaddress'] | node[@label = 'macaddress'])[1]/@value)"/>
      <xsl:if test="$type = 'ethernet' and $mac != ''">
        <mac address="{$mac}"/>
      </xsl:if>
      <xsl:if test="$top">
        <xsl:for-each select="node[@label = 'mtu']"><mtu size="{@value}"/></xsl:for-each>
        <xsl:call-template name="protocols"/>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$type = 'bridge'">
          <bridge>
            <xsl:for-each select="$params/node[@label = 'stp']">
              <xsl:variable name="on">
                <xsl:call-template name="true"><xsl:with-param name="value" select="@value"/></xsl:call-template>
              </xsl:variable>
              <xsl:attribute name="stp"><xsl:value-of select="substring('offon', 1 + 3 * ($on = 'true'), 3)"/></xsl:attribute>
            </xsl:for-each>
            <xsl:for-each select="$params/node[@label = 'forward-delay']">
              <xsl:attribute name="delay"><xsl:value-of select="@value"/></xsl:attribute>
            </xsl:for-each>
            <xsl:for-each select="node[@label = 'interfaces']/node">
              <xsl:call-template name="by-id"><xsl:with-param name="id" select="@value"/></xsl:call-template>
            </xsl:for-each>
          </bridge>
        </xsl:when>
        <xsl:when test="$type = 'bond'">
          <xsl:variable name="mode" select="$params/node[@label = 'mode']/@value"/>
          <xsl:variable name="primary" select="$params/node[@label = 'primary']/@value"/>
          <bond>
            <xsl:if test="$mode"><xsl:attribute name="mode"><xsl:value-of select="$mode"/></xsl:attribute></xsl:if>
            <xsl:choose>
              <xsl:when test="$params/node[@label = 'arp-interval']">
                <arpmon interval="{$params/node[@label = 'arp-interval']/@value}"
                        target="{$params/node[@label = 'arp-ip-targets']/node[1]/@value}">
                  <xsl:for-each select="$params/node[@label = 'arp-validate']">
                    <xsl:attribute name="validate"><xsl:value-of select="@value"/></xsl:attribute>
                  </xsl:for-each>
                </arpmon>
              </xsl:when>
              <xsl:when test="$params/node[@label = 'mii-monitor-interval']">
                <miimon freq="{$params/node[@label = 'mii-monitor-interval']/@value}">
                  <xsl:for-each select="$params/node[@label = 'down-delay']">
                    <xsl:attribute name="downdelay"><xsl:value-of select="@value"/></xsl:attribute>
                  </xsl:for-each>
                  <xsl:for-each select="$params/node[@label = 'up-delay']">
                    <xsl:attribute name="updelay"><xsl:value-of select="@value"/></xsl:attribute>
                  </xsl:for-each>
                </miimon>
              </xsl:when>
            </xsl:choose>
            <!-- the primary slave first -->
            <xsl:for-each select="node[@label = 'interfaces']/node[@value = $primary]">
              <xsl:call-template name="by-id"><xsl:with-param name="id" select="@value"/></xsl:call-template>
            </xsl:for-each>
            <xsl:for-each select="node[@label = 'interfaces']/node[not(@value = $primary)]">
              <xsl:call-template name="by-id"><xsl:with-param name="id" select="@value"/></xsl:call-template>
            </xsl:for-each>
          </bond>
        </xsl:when>
        <xsl:when test="$type = 'vlan'">
          <xsl:variable name="link" select="node[@label = 'link']/@value"/>
          <xsl:variable name="parent" select="$units[@label = $link][1]"/>
          <vlan tag="{node[@label = 'id']/@value}">
            <interface>
              <xsl:attribute name="name">
                <xsl:choose>
                  <xsl:when test="$parent"><xsl:value-of select="ancf:np-name($parent)"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="$link"/></xsl:otherwise>
                </xsl:choose>
              </xsl:attribute>
            </interface>
          </vlan>
        </xsl:when>
      </xsl:choose>
    </interface>
  </xsl:template>

  <xsl:template name="protocols">
    <xsl:variable name="dhcp4">
      <xsl:call-template name="true"><xsl:with-param name="value" select="node[@label = 'dhcp4']/@value"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="dhcp6">
      <xsl:call-template name="true"><xsl:with-param name="value" select="node[@label = 'dhcp6']/@value"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="addrs" select="node[@label = 'addresses']/node[@value]"/>
    <xsl:variable name="defaults"
                  select="node[@label = 'routes']/node[node[@label = 'to']/@value = 'default'
                          or node[@label = 'to']/@value = '0.0.0.0/0' or node[@label = 'to']/@value = '::/0']
                          /node[@label = 'via']"/>
    <xsl:variable name="gw4" select="(node[@label = 'gateway4'] | $defaults[not(contains(@value, ':'))])[1]"/>
    <xsl:variable name="gw6" select="(node[@label = 'gateway6'] | $defaults[contains(@value, ':')])[1]"/>
    <xsl:variable name="ra" select="node[@label = 'accept-ra']/@value"/>
    <xsl:if test="$dhcp4 = 'true' or $addrs[not(contains(@value, ':'))] or $gw4">
      <protocol family="ipv4">
        <xsl:if test="$dhcp4 = 'true'">
          <xsl:call-template name="dhcp"><xsl:with-param name="over" select="node[@label = 'dhcp4-overrides']"/></xsl:call-template>
        </xsl:if>
        <xsl:apply-templates select="$addrs[not(contains(@value, ':'))]" mode="ip"/>
        <xsl:for-each select="$gw4"><route gateway="{@value}"/></xsl:for-each>
      </protocol>
    </xsl:if>
    <xsl:if test="$dhcp6 = 'true' or $addrs[contains(@value, ':')] or $gw6 or $ra">
      <xsl:variable name="accept">
        <xsl:choose>
          <xsl:when test="$ra"><xsl:call-template name="true"><xsl:with-param name="value" select="$ra"/></xsl:call-template></xsl:when>
          <xsl:otherwise>true</xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <protocol family="ipv6">
        <xsl:if test="$accept = 'true'"><autoconf/></xsl:if>
        <xsl:if test="$dhcp6 = 'true'">
          <xsl:call-template name="dhcp"><xsl:with-param name="over" select="node[@label = 'dhcp6-overrides']"/></xsl:call-template>
        </xsl:if>
        <xsl:apply-templates select="$addrs[contains(@value, ':')]" mode="ip"/>
        <xsl:for-each select="$gw6"><route gateway="{@value}"/></xsl:for-each>
      </protocol>
    </xsl:if>
  </xsl:template>

  <xsl:template name="dhcp">
    <xsl:param name="over"/>
    <dhcp>
      <xsl:for-each select="$over/node[@label = 'use-dns']">
        <xsl:variable name="on">
          <xsl:call-template name="true"><xsl:with-param name="value" select="@value"/></xsl:call-template>
        </xsl:variable>
        <xsl:attribute name="peerdns"><xsl:value-of select="substring('noyes', 1 + 2 * ($on = 'true'), 2 + ($on = 'true'))"/></xsl:attribute>
      </xsl:for-each>
    </dhcp>
  </xsl:template>

  <xsl:template match="node" mode="ip">
    <ip address="{substring-before(@value, '/')}" prefix="{substring-after(@value, '/')}"/>
  </xsl:template>
</xsl:stylesheet>
