<?xml version="1.0"?>
<!--
  Interface XML -> forest of Red Hat ifcfg files.

  Input: a validated <interface> (see interface.rng). Output: one <tree> per
  ifcfg file, the top-level interface first, then its ports and slaves in
  document order (see forest.rng). Ports and slaves inherit the top-level
  interface's start mode and MTU, as initscripts expects of them.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:ancf="urn:augnetcf:xslt"
                exclude-result-prefixes="ancf">
  <xsl:output method="xml" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:variable name="dir" select="'/files/etc/sysconfig/network-scripts'"/>
  <xsl:variable name="top" select="/interface"/>

  <xsl:template match="/interface">
    <forest>
      <xsl:apply-templates select="." mode="tree"/>
    </forest>
  </xsl:template>

  <!-- One ifcfg file for this interface, then recurse into ports/slaves. -->
  <xsl:template match="interface" mode="tree">
    <tree path="{$dir}/ifcfg-{@name}">
      <node label="DEVICE" value="{@name}"/>
      <xsl:apply-templates select="vlan" mode="keys"/>
      <xsl:if test="mac">
        <node label="HWADDR" value="{mac/@address}"/>
      </xsl:if>
      <xsl:apply-templates select="$top/start"/>
      <xsl:if test="not($top/start)">
        <node label="ONBOOT" value="no"/>  <!-- no <start> means none -->
      </xsl:if>
      <xsl:if test="$top/mtu">
        <node label="MTU" value="{$top/mtu/@size}"/>
      </xsl:if>
      <xsl:if test="@type = 'bridge'">
        <node label="TYPE" value="Bridge"/>
      </xsl:if>
      <xsl:apply-templates select="protocol[@family = 'ipv4']"/>
      <xsl:apply-templates select="protocol[@family = 'ipv6']"/>
      <xsl:apply-templates select="bond" mode="keys"/>
      <xsl:choose>
        <xsl:when test="parent::bridge">
          <node label="BRIDGE" value="{../../@name}"/>
        </xsl:when>
        <xsl:when test="parent::bond">
          <node label="MASTER" value="{../../@name}"/>
          <node label="SLAVE" value="yes"/>
        </xsl:when>
      </xsl:choose>
      <xsl:apply-templates select="bridge" mode="keys"/>
    </tree>
    <xsl:apply-templates select="bridge/interface | bond/interface" mode="tree"/>
  </xsl:template>

  <xsl:template match="start">
    <xsl:choose>
      <xsl:when test="@mode = 'onboot'">
        <node label="ONBOOT" value="yes"/>
      </xsl:when>
      <xsl:when test="@mode = 'hotplug'">
        <node label="ONBOOT" value="no"/>
        <node label="HOTPLUG" value="yes"/>
      </xsl:when>
      <xsl:otherwise>
        <node label="ONBOOT" value="no"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- VLAN: initscripts derives device and tag from a DEVICE.TAG name; any
       other name needs them spelled out. -->
  <xsl:template match="vlan" mode="keys">
    <node label="VLAN" value="yes"/>
    <xsl:if test="../@name != concat(interface/@name, '.', @tag)">
      <node label="PHYSDEV" value="{interface/@name}"/>
      <node label="VLAN_ID" value="{@tag}"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="protocol[@family = 'ipv4']">
    <xsl:choose>
      <xsl:when test="dhcp">
        <node label="BOOTPROTO" value="dhcp"/>
        <xsl:if test="dhcp/@peerdns">
          <node label="PEERDNS" value="{dhcp/@peerdns}"/>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <node label="BOOTPROTO" value="none"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:for-each select="ip">
      <xsl:variable name="n">
        <xsl:if test="position() &gt; 1"><xsl:value-of select="position() - 1"/></xsl:if>
      </xsl:variable>
      <node label="IPADDR{$n}" value="{@address}"/>
      <xsl:if test="@prefix">
        <node label="NETMASK{$n}" value="{ancf:netmask(@prefix)}"/>
      </xsl:if>
    </xsl:for-each>
    <xsl:if test="route">
      <node label="GATEWAY" value="{route/@gateway}"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="protocol[@family = 'ipv6']">
    <node label="IPV6INIT" value="yes"/>
    <node label="IPV6_AUTOCONF" value="{substring('noyes', 1 + 2 * count(autoconf), 2 + count(autoconf))}"/>
    <node label="DHCPV6C" value="{substring('noyes', 1 + 2 * count(dhcp), 2 + count(dhcp))}"/>
    <xsl:for-each select="ip[1]">
      <node label="IPV6ADDR">
        <xsl:attribute name="value"><xsl:apply-templates select="." mode="cidr"/></xsl:attribute>
      </node>
    </xsl:for-each>
    <xsl:if test="ip[2]">
      <node label="IPV6ADDR_SECONDARIES">
        <xsl:attribute name="value">
          <xsl:for-each select="ip[position() &gt; 1]">
            <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
            <xsl:apply-templates select="." mode="cidr"/>
          </xsl:for-each>
        </xsl:attribute>
      </node>
    </xsl:if>
    <xsl:if test="route">
      <node label="IPV6_DEFAULTGW" value="{route/@gateway}"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="ip" mode="cidr">
    <xsl:value-of select="@address"/>
    <xsl:if test="@prefix">/<xsl:value-of select="@prefix"/></xsl:if>
  </xsl:template>

  <!-- Linux bonding options in the order netcf wrote them. The first slave
       is the primary in the modes that have one. -->
  <xsl:template match="bond" mode="keys">
    <xsl:variable name="opts">
      <xsl:if test="@mode">mode=<xsl:value-of select="@mode"/></xsl:if>
      <xsl:if test="@mode = 'active-backup' or @mode = 'balance-tlb' or @mode = 'balance-alb'">
        <xsl:text> primary=</xsl:text><xsl:value-of select="interface[1]/@name"/>
      </xsl:if>
      <xsl:for-each select="miimon">
        <xsl:text> miimon=</xsl:text><xsl:value-of select="@freq"/>
        <xsl:if test="@downdelay"> downdelay=<xsl:value-of select="@downdelay"/></xsl:if>
        <xsl:if test="@updelay"> updelay=<xsl:value-of select="@updelay"/></xsl:if>
        <xsl:if test="@carrier = 'ioctl'"> use_carrier=0</xsl:if>
        <xsl:if test="@carrier = 'netif'"> use_carrier=1</xsl:if>
      </xsl:for-each>
      <xsl:for-each select="arpmon">
        <xsl:text> arp_interval=</xsl:text><xsl:value-of select="@interval"/>
        <xsl:text> arp_ip_target=</xsl:text><xsl:value-of select="@target"/>
        <xsl:if test="@validate"> arp_validate=<xsl:value-of select="@validate"/></xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <node label="BONDING_OPTS" value="{normalize-space($opts)}"/>
  </xsl:template>

  <xsl:template match="bridge" mode="keys">
    <xsl:if test="@stp">
      <node label="STP" value="{@stp}"/>
    </xsl:if>
    <xsl:if test="@delay">
      <node label="DELAY" value="{@delay}"/>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
