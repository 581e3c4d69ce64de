<?xml version="1.0"?>
<!--
  Interface XML -> forest of SUSE files under /etc/sysconfig/network.

  Output, for the interface and each of its ports and slaves: ifcfg-NAME
  (the name is the file's suffix; SUSE has no DEVICE key). For the top-level
  interface also: a default route per gateway in `routes`, and, when it has
  IPv6, ifsysctl-NAME saying whether the kernel autoconfigures addresses.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:ancf="urn:augnetcf:xslt"
                exclude-result-prefixes="ancf">
  <xsl:output method="xml" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:variable name="dir" select="'/files/etc/sysconfig/network'"/>
  <xsl:variable name="top" select="/interface"/>

  <xsl:template match="/interface">
    <forest>
      <xsl:apply-templates select="." mode="tree"/>
      <xsl:if test="protocol/route">
        <tree path="{$dir}/routes">
          <xsl:for-each select="protocol/route">
            <node label="route">
              <node label="destination" value="default"/>
              <node label="gateway" value="{@gateway}"/>
              <node label="netmask" value="-"/>
              <node label="interface" value="{$top/@name}"/>
            </node>
          </xsl:for-each>
        </tree>
      </xsl:if>
      <xsl:for-each select="protocol[@family = 'ipv6']">
        <tree path="{$dir}/ifsysctl-{$top/@name}">
          <!-- ifsysctl(5): a dot in the interface name is written as '/' -->
          <node label="net.ipv6.conf.{translate($top/@name, '.', '/')}.autoconf" value="{count(autoconf)}"/>
        </tree>
      </xsl:for-each>
    </forest>
  </xsl:template>

  <xsl:template match="interface" mode="tree">
    <xsl:variable name="v4" select="protocol[@family = 'ipv4']"/>
    <xsl:variable name="v6" select="protocol[@family = 'ipv6']"/>
    <tree path="{$dir}/ifcfg-{@name}">
      <xsl:choose>
        <xsl:when test="parent::bond"><node label="STARTMODE" value="hotplug"/></xsl:when>
        <xsl:otherwise><xsl:apply-templates select="$top/start"/></xsl:otherwise>
      </xsl:choose>
      <node label="BOOTPROTO">
        <xsl:attribute name="value">
          <xsl:choose>
            <xsl:when test="$v4/dhcp and $v6/dhcp">dhcp</xsl:when>
            <xsl:when test="$v4/dhcp">dhcp4</xsl:when>
            <xsl:when test="$v6/dhcp">dhcp6</xsl:when>
            <xsl:when test="$v4/ip or $v6/ip">static</xsl:when>
            <xsl:otherwise>none</xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
      </node>
      <xsl:for-each select="$v4/ip | $v6/ip">
        <xsl:variable name="suffix">
          <xsl:if test="position() &gt; 1">_<xsl:value-of select="position() - 1"/></xsl:if>
        </xsl:variable>
        <node label="IPADDR{$suffix}">
          <xsl:attribute name="value">
            <xsl:value-of select="@address"/>
            <xsl:if test="@prefix">/<xsl:value-of select="@prefix"/></xsl:if>
          </xsl:attribute>
        </node>
      </xsl:for-each>
      <xsl:if test="mac">
        <node label="LLADDR" value="{mac/@address}"/>
      </xsl:if>
      <xsl:if test="$top/mtu">
        <node label="MTU" value="{$top/mtu/@size}"/>
      </xsl:if>
      <xsl:apply-templates select="bridge | bond | vlan" mode="keys"/>
    </tree>
    <xsl:apply-templates select="bridge/interface | bond/interface" mode="tree"/>
  </xsl:template>

  <!-- Ports of a bridge start with it; SUSE's `manual` is libvirt's `none`. -->
  <xsl:template match="start">
    <node label="STARTMODE">
      <xsl:attribute name="value">
        <xsl:choose>
          <xsl:when test="@mode = 'onboot'">auto</xsl:when>
          <xsl:when test="@mode = 'hotplug'">hotplug</xsl:when>
          <xsl:otherwise>manual</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
    </node>
  </xsl:template>

  <xsl:template match="bridge" mode="keys">
    <node label="BRIDGE" value="yes"/>
    <node label="BRIDGE_PORTS">
      <xsl:attribute name="value">
        <xsl:for-each select="interface">
          <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:value-of select="@name"/>
        </xsl:for-each>
      </xsl:attribute>
    </node>
    <xsl:if test="@stp"><node label="BRIDGE_STP" value="{@stp}"/></xsl:if>
    <xsl:if test="@delay"><node label="BRIDGE_FORWARDDELAY" value="{@delay}"/></xsl:if>
  </xsl:template>

  <xsl:template match="bond" mode="keys">
    <node label="BONDING_MASTER" value="yes"/>
    <xsl:for-each select="interface">
      <node label="BONDING_SLAVE_{position() - 1}" value="{@name}"/>
    </xsl:for-each>
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
    <node label="BONDING_MODULE_OPTS" value="{normalize-space($opts)}"/>
  </xsl:template>

  <xsl:template match="vlan" mode="keys">
    <node label="ETHERDEVICE" value="{interface/@name}"/>
    <node label="VLAN_ID" value="{@tag}"/>
  </xsl:template>
</xsl:stylesheet>
