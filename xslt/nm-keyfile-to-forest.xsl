<?xml version="1.0"?>
<!--
  Interface XML -> forest of NetworkManager keyfiles.

  Input: a validated <interface> (see interface.rng) that passed the
  nm-keyfile limits. Output: one <tree> per connection file (see forest.rng),
  the top-level interface first, then its ports and slaves in document order.
  The NetworkManager lens nests keys in their [section]. Sections are always
  written, even empty, so that a redefine reaches (and removes) the keys it
  owns in them. Ports and slaves have no [ipv4]/[ipv6] (NetworkManager
  ignores IP settings of a port) and inherit the top-level autoconnect.

  uuid and id are written for a new file only (Backend.keep): an existing
  connection keeps its own. ancf:uuid() draws a fresh UUID.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:ancf="urn:augnetcf:xslt"
                exclude-result-prefixes="ancf">
  <xsl:output method="xml" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:variable name="dir" select="'/files/etc/NetworkManager/system-connections'"/>
  <xsl:variable name="top" select="/interface"/>

  <xsl:template match="/interface">
    <forest>
      <xsl:apply-templates select="." mode="tree"/>
    </forest>
  </xsl:template>

  <xsl:template match="interface" mode="tree">
    <tree path="{$dir}/{@name}.nmconnection">
      <node label="connection">
        <node label="id" value="{@name}"/>
        <node label="uuid" value="{ancf:uuid()}"/>
        <node label="type" value="{@type}"/>
        <node label="interface-name" value="{@name}"/>
        <!-- no <start> means none; onboot is NetworkManager's default -->
        <xsl:if test="not($top/start[@mode = 'onboot'])">
          <node label="autoconnect" value="false"/>
        </xsl:if>
        <xsl:if test="parent::bridge or parent::bond">
          <node label="master" value="{../../@name}"/>
          <node label="slave-type" value="{local-name(..)}"/>
        </xsl:if>
      </node>
      <node label="ethernet">
        <xsl:if test="@type = 'ethernet' and mac">
          <node label="mac-address" value="{translate(mac/@address, 'abcdef', 'ABCDEF')}"/>
        </xsl:if>
        <xsl:if test="not(parent::bridge or parent::bond) and mtu">
          <node label="mtu" value="{mtu/@size}"/>
        </xsl:if>
      </node>
      <xsl:apply-templates select="bridge | bond | vlan" mode="section"/>
      <xsl:choose>
        <xsl:when test="not(parent::bridge or parent::bond)">
          <xsl:call-template name="ipv4"/>
          <xsl:call-template name="ipv6"/>
        </xsl:when>
        <!-- empty: a former top-level interface's IP settings go -->
        <xsl:otherwise><node label="ipv4"/><node label="ipv6"/></xsl:otherwise>
      </xsl:choose>
    </tree>
    <xsl:apply-templates select="bridge/interface | bond/interface" mode="tree"/>
  </xsl:template>

  <xsl:template match="bridge" mode="section">
    <node label="bridge">
      <xsl:if test="@stp">
        <node label="stp" value="{substring('falsetrue', 1 + 5 * (@stp = 'on'), 5 - (@stp = 'on'))}"/>
      </xsl:if>
      <xsl:if test="@delay">
        <node label="forward-delay" value="{@delay}"/>
      </xsl:if>
    </node>
  </xsl:template>

  <!-- Kernel bonding options, one key each. The first slave is the primary
       in the modes that have one. -->
  <xsl:template match="bond" mode="section">
    <node label="bond">
      <xsl:if test="@mode">
        <node label="mode" value="{@mode}"/>
      </xsl:if>
      <xsl:if test="@mode = 'active-backup' or @mode = 'balance-tlb' or @mode = 'balance-alb'">
        <node label="primary" value="{interface[1]/@name}"/>
      </xsl:if>
      <xsl:for-each select="miimon">
        <node label="miimon" value="{@freq}"/>
        <xsl:if test="@downdelay"><node label="downdelay" value="{@downdelay}"/></xsl:if>
        <xsl:if test="@updelay"><node label="updelay" value="{@updelay}"/></xsl:if>
        <xsl:if test="@carrier">
          <node label="use_carrier" value="{number(@carrier = 'netif')}"/>
        </xsl:if>
      </xsl:for-each>
      <xsl:for-each select="arpmon">
        <node label="arp_interval" value="{@interval}"/>
        <node label="arp_ip_target" value="{@target}"/>
        <xsl:if test="@validate"><node label="arp_validate" value="{@validate}"/></xsl:if>
      </xsl:for-each>
    </node>
  </xsl:template>

  <xsl:template match="vlan" mode="section">
    <node label="vlan">
      <node label="id" value="{@tag}"/>
      <node label="parent" value="{interface/@name}"/>
    </node>
  </xsl:template>

  <xsl:template name="ipv4">
    <xsl:variable name="p" select="protocol[@family = 'ipv4']"/>
    <node label="ipv4">
      <xsl:choose>
        <xsl:when test="$p/dhcp"><node label="method" value="auto"/></xsl:when>
        <xsl:when test="$p/ip"><node label="method" value="manual"/></xsl:when>
        <xsl:otherwise><node label="method" value="disabled"/></xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates select="$p" mode="ip"/>
    </node>
  </xsl:template>

  <!-- no <protocol family="ipv6">: NetworkManager leaves IPv6 alone (ignore);
       one with nothing in it: only a link-local address. -->
  <xsl:template name="ipv6">
    <xsl:variable name="p" select="protocol[@family = 'ipv6']"/>
    <node label="ipv6">
      <xsl:choose>
        <xsl:when test="not($p)"><node label="method" value="ignore"/></xsl:when>
        <xsl:when test="$p/autoconf"><node label="method" value="auto"/></xsl:when>
        <xsl:when test="$p/dhcp"><node label="method" value="dhcp"/></xsl:when>
        <xsl:when test="$p/ip"><node label="method" value="manual"/></xsl:when>
        <xsl:otherwise><node label="method" value="link-local"/></xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates select="$p" mode="ip"/>
    </node>
  </xsl:template>

  <!-- addressN=ADDR[/PREFIX], the gateway after the first one as NetworkManager writes it -->
  <xsl:template match="protocol" mode="ip">
    <xsl:for-each select="ip">
      <node label="address{position()}">
        <xsl:attribute name="value">
          <xsl:value-of select="@address"/>
          <xsl:if test="@prefix">/<xsl:value-of select="@prefix"/></xsl:if>
          <xsl:if test="position() = 1 and ../route">,<xsl:value-of select="../route/@gateway"/></xsl:if>
        </xsl:attribute>
      </node>
    </xsl:for-each>
    <xsl:if test="dhcp/@peerdns">
      <node label="ignore-auto-dns" value="{substring('truefalse', 1 + 4 * (dhcp/@peerdns = 'yes'), 4 + (dhcp/@peerdns = 'yes'))}"/>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
