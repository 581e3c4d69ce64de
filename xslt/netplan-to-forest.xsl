<?xml version="1.0"?>
<!--
  Interface XML -> forest of netplan files.

  Input: a validated <interface> (see interface.rng) that passed the netplan
  limits. Output (see forest.rng): one file, etc/netplan/60-augnetcf.yaml,
  whose network mapping holds a definition for every interface the
  document describes, each in its group (ethernets, bonds, vlans,
  bridges) in document order. The engine edits a definition where the
  files already have one and puts the others into this file.

  Labels are YAML keys; "-" is a sequence item. A port or slave is an
  empty definition (netplan wants every interface a bridge or bond names
  defined); a top-level interface always gets its DHCP overrides mappings,
  empty or not, so that a redefine reaches the keys it owns in them.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:ancf="urn:augnetcf:xslt"
                exclude-result-prefixes="ancf">
  <xsl:output method="xml" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:variable name="all" select="//interface[not(parent::vlan)]"/>

  <xsl:template match="/interface">
    <forest>
      <tree path="/files/etc/netplan/60-augnetcf.yaml">
        <node label="network">
          <node label="version" value="2"/>
          <xsl:call-template name="group">
            <xsl:with-param name="label" select="'ethernets'"/>
            <xsl:with-param name="members" select="$all[@type = 'ethernet']"/>
          </xsl:call-template>
          <xsl:call-template name="group">
            <xsl:with-param name="label" select="'bonds'"/>
            <xsl:with-param name="members" select="$all[@type = 'bond']"/>
          </xsl:call-template>
          <xsl:call-template name="group">
            <xsl:with-param name="label" select="'vlans'"/>
            <xsl:with-param name="members" select="$all[@type = 'vlan']"/>
          </xsl:call-template>
          <xsl:call-template name="group">
            <xsl:with-param name="label" select="'bridges'"/>
            <xsl:with-param name="members" select="$all[@type = 'bridge']"/>
          </xsl:call-template>
        </node>
      </tree>
    </forest>
  </xsl:template>

  <xsl:template name="group">
    <xsl:param name="label"/>
    <xsl:param name="members"/>
    <xsl:if test="$members">
      <node label="{$label}">
        <xsl:apply-templates select="$members" mode="definition"/>
      </node>
    </xsl:if>
  </xsl:template>

  <xsl:template name="bool">
    <xsl:param name="k"/>
    <xsl:param name="on"/>
    <node label="{$k}" value="{substring('falsetrue', 1 + 5 * boolean($on), 5 - boolean($on))}"/>
  </xsl:template>

  <xsl:template match="interface" mode="definition">
    <xsl:variable name="top" select="not(parent::bridge or parent::bond)"/>
    <node label="{@name}">
      <xsl:if test="@type = 'ethernet' and mac">
        <node label="match"><node label="macaddress" value="{ancf:mac(mac/@address)}"/></node>
        <node label="set-name" value="{@name}"/>
      </xsl:if>
      <xsl:if test="$top">
        <!-- no <start> means none -->
        <xsl:if test="not(start) or start/@mode = 'none'"><node label="activation-mode" value="manual"/></xsl:if>
        <xsl:if test="start/@mode = 'hotplug'"><node label="optional" value="true"/></xsl:if>
        <xsl:for-each select="mtu"><node label="mtu" value="{@size}"/></xsl:for-each>
        <xsl:call-template name="protocols"/>
      </xsl:if>
      <xsl:apply-templates select="bridge | bond | vlan" mode="kind"/>
    </node>
  </xsl:template>

  <xsl:template name="protocols">
    <xsl:variable name="v4" select="protocol[@family = 'ipv4']"/>
    <xsl:variable name="v6" select="protocol[@family = 'ipv6']"/>
    <xsl:if test="$v4/dhcp"><node label="dhcp4" value="true"/></xsl:if>
    <node label="dhcp4-overrides">
      <xsl:for-each select="$v4/dhcp[@peerdns]">
        <xsl:call-template name="bool"><xsl:with-param name="k" select="'use-dns'"/>
          <xsl:with-param name="on" select="@peerdns = 'yes'"/></xsl:call-template>
      </xsl:for-each>
    </node>
    <xsl:if test="$v6/dhcp"><node label="dhcp6" value="true"/></xsl:if>
    <node label="dhcp6-overrides">
      <xsl:for-each select="$v6/dhcp[@peerdns]">
        <xsl:call-template name="bool"><xsl:with-param name="k" select="'use-dns'"/>
          <xsl:with-param name="on" select="@peerdns = 'yes'"/></xsl:call-template>
      </xsl:for-each>
    </node>
    <xsl:if test="$v6">
      <xsl:call-template name="bool"><xsl:with-param name="k" select="'accept-ra'"/>
        <xsl:with-param name="on" select="$v6/autoconf"/></xsl:call-template>
    </xsl:if>
    <xsl:if test="$v4/ip | $v6/ip">
      <node label="addresses">
        <xsl:for-each select="$v4/ip | $v6/ip">
          <node label="-" value="{@address}/{@prefix}"/>
        </xsl:for-each>
      </node>
    </xsl:if>
    <xsl:if test="$v4/route | $v6/route">
      <node label="routes">
        <xsl:for-each select="$v4/route | $v6/route">
          <node label="-">
            <node label="to" value="default"/>
            <node label="via" value="{@gateway}"/>
          </node>
        </xsl:for-each>
      </node>
    </xsl:if>
  </xsl:template>

  <xsl:template name="ports">
    <xsl:if test="interface">
      <node label="interfaces">
        <xsl:for-each select="interface"><node label="-" value="{@name}"/></xsl:for-each>
      </node>
    </xsl:if>
  </xsl:template>

  <xsl:template match="bridge" mode="kind">
    <xsl:call-template name="ports"/>
    <node label="parameters">
      <xsl:if test="@stp">
        <xsl:call-template name="bool"><xsl:with-param name="k" select="'stp'"/>
          <xsl:with-param name="on" select="@stp = 'on'"/></xsl:call-template>
      </xsl:if>
      <xsl:if test="@delay"><node label="forward-delay" value="{@delay}"/></xsl:if>
    </node>
  </xsl:template>

  <!-- times in the XML are milliseconds, as netplan reads a bare number for a bond -->
  <xsl:template match="bond" mode="kind">
    <xsl:call-template name="ports"/>
    <node label="parameters">
      <xsl:if test="@mode"><node label="mode" value="{@mode}"/></xsl:if>
      <xsl:for-each select="miimon">
        <node label="mii-monitor-interval" value="{@freq}"/>
        <xsl:if test="@updelay"><node label="up-delay" value="{@updelay}"/></xsl:if>
        <xsl:if test="@downdelay"><node label="down-delay" value="{@downdelay}"/></xsl:if>
      </xsl:for-each>
      <xsl:for-each select="arpmon">
        <node label="arp-interval" value="{@interval}"/>
        <node label="arp-ip-targets"><node label="-" value="{@target}"/></node>
        <xsl:if test="@validate"><node label="arp-validate" value="{@validate}"/></xsl:if>
      </xsl:for-each>
      <xsl:if test="interface and (@mode = 'active-backup' or @mode = 'balance-tlb' or @mode = 'balance-alb')">
        <node label="primary" value="{interface[1]/@name}"/>
      </xsl:if>
    </node>
  </xsl:template>

  <xsl:template match="vlan" mode="kind">
    <node label="id" value="{@tag}"/>
    <node label="link" value="{interface/@name}"/>
  </xsl:template>
</xsl:stylesheet>
