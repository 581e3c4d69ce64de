<?xml version="1.0"?>
<!--
  Interface XML -> forest of Debian's /etc/network/interfaces (ifupdown).

  Output: one <tree> for the main interfaces file. For each interface that
  needs a stanza (the top-level one, and bond and vlan ports of a bridge):
  an `auto` or `allow-hotplug` entry for its start mode (top level only),
  then `iface NAME inet ...` and/or `iface NAME inet6 ...`. Ethernet ports
  and bond slaves need no stanza; the bridge or bond lists them.
  Options the interface has once (mtu, hwaddress, bridge and bond settings)
  go into its first stanza. Conventions are netcf's, except that VLANs get
  `vlan-raw-device` and extra addresses `ip addr add` (net-tools is gone).
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:ancf="urn:augnetcf:xslt"
                exclude-result-prefixes="ancf">
  <xsl:output method="xml" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:template match="/interface">
    <forest>
      <tree path="/files/etc/network/interfaces">
        <xsl:apply-templates select="start"/>
        <xsl:apply-templates select="." mode="stanzas"/>
        <xsl:apply-templates select="bridge/interface[@type = 'bond' or @type = 'vlan']" mode="stanzas"/>
      </tree>
    </forest>
  </xsl:template>

  <xsl:template match="start[@mode = 'onboot']">
    <node label="auto"><node label="1" value="{../@name}"/></node>
  </xsl:template>
  <xsl:template match="start[@mode = 'hotplug']">
    <node label="allow-hotplug"><node label="1" value="{../@name}"/></node>
  </xsl:template>
  <xsl:template match="start"/>

  <xsl:template match="interface" mode="stanzas">
    <xsl:variable name="v4" select="protocol[@family = 'ipv4']"/>
    <xsl:variable name="v6" select="protocol[@family = 'ipv6']"/>
    <xsl:if test="$v4 or not($v6)">
      <node label="iface" value="{@name}">
        <node label="family" value="inet"/>
        <xsl:choose>
          <xsl:when test="$v4/dhcp"><node label="method" value="dhcp"/></xsl:when>
          <!-- an ipv4 protocol without addresses is `inet static` without one (bnep0) -->
          <xsl:when test="$v4"><node label="method" value="static"/></xsl:when>
          <xsl:when test="@name = 'lo'"><node label="method" value="loopback"/></xsl:when>
          <xsl:otherwise><node label="method" value="manual"/></xsl:otherwise>
        </xsl:choose>
        <xsl:apply-templates select="$v4"/>
        <xsl:apply-templates select="." mode="options"/>
        <xsl:variable name="extra4" select="$v4/ip[not($v4/dhcp) and position() &gt; 1] | $v4[dhcp]/ip"/>
        <xsl:apply-templates select="$extra4" mode="extra"><xsl:with-param name="cmd" select="'up'"/></xsl:apply-templates>
        <xsl:apply-templates select="$extra4" mode="extra"><xsl:with-param name="cmd" select="'down'"/></xsl:apply-templates>
      </node>
    </xsl:if>
    <xsl:if test="$v6">
      <node label="iface" value="{@name}">
        <node label="family" value="inet6"/>
        <xsl:choose>
          <xsl:when test="$v6/ip"><node label="method" value="static"/></xsl:when>
          <xsl:when test="$v6/dhcp"><node label="method" value="dhcp"/></xsl:when>
          <xsl:otherwise><node label="method" value="manual"/></xsl:otherwise>
        </xsl:choose>
        <xsl:apply-templates select="$v6"/>
        <xsl:if test="not($v4)">
          <xsl:apply-templates select="." mode="options"/>
        </xsl:if>
        <xsl:if test="$v6/ip and $v6/autoconf">
          <node label="autoconf" value="1"/>  <!-- inet6 static defaults to 0 -->
        </xsl:if>
        <xsl:if test="not($v6/autoconf)">
          <node label="pre-up" value="echo 0 &gt; /proc/sys/net/ipv6/conf/{@name}/autoconf"/>
          <node label="post-down" value="echo 1 &gt; /proc/sys/net/ipv6/conf/{@name}/autoconf"/>
        </xsl:if>
        <xsl:apply-templates select="$v6/ip[position() &gt; 1]" mode="extra">
          <xsl:with-param name="cmd" select="'up'"/>
        </xsl:apply-templates>
        <xsl:apply-templates select="$v6/ip[position() &gt; 1]" mode="extra">
          <xsl:with-param name="cmd" select="'down'"/>
        </xsl:apply-templates>
      </node>
    </xsl:if>
  </xsl:template>

  <!-- The first static address and the gateway. -->
  <xsl:template match="protocol">
    <xsl:if test="not(dhcp) or @family = 'ipv6'">
      <xsl:for-each select="ip[1]">
        <node label="address" value="{@address}"/>
        <xsl:if test="@prefix">
          <xsl:choose>
            <xsl:when test="../@family = 'ipv4'">
              <node label="netmask" value="{ancf:netmask(@prefix)}"/>
            </xsl:when>
            <xsl:otherwise>
              <node label="netmask" value="{@prefix}"/>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:if>
      </xsl:for-each>
    </xsl:if>
    <xsl:if test="route">
      <node label="gateway" value="{route/@gateway}"/>
    </xsl:if>
  </xsl:template>

  <!-- Addresses beyond the first, added and removed with iproute2. -->
  <xsl:template match="ip" mode="extra">
    <xsl:param name="cmd"/>
    <xsl:variable name="dev" select="../../@name"/>
    <xsl:variable name="ver" select="substring('-4-6', 1 + 2 * (../@family = 'ipv6'), 2)"/>
    <xsl:variable name="cidr">
      <xsl:value-of select="@address"/>
      <xsl:if test="@prefix">/<xsl:value-of select="@prefix"/></xsl:if>
    </xsl:variable>
    <node label="{$cmd}" value="ip {$ver} addr {substring('adddel', 1 + 3 * ($cmd = 'down'), 3)} {$cidr} dev {$dev}"/>
  </xsl:template>

  <!-- Options an interface has once, in its first stanza. -->
  <xsl:template match="interface" mode="options">
    <xsl:if test="mac">
      <node label="hwaddress" value="ether {mac/@address}"/>
    </xsl:if>
    <xsl:if test="mtu">
      <node label="mtu" value="{mtu/@size}"/>
    </xsl:if>
    <xsl:apply-templates select="bridge | bond | vlan" mode="options"/>
  </xsl:template>

  <xsl:template match="bridge" mode="options">
    <node label="bridge_ports">
      <xsl:attribute name="value">
        <xsl:for-each select="interface">
          <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:value-of select="@name"/>
        </xsl:for-each>
        <xsl:if test="not(interface)">none</xsl:if>
      </xsl:attribute>
    </node>
    <xsl:if test="@stp">
      <node label="bridge_stp" value="{@stp}"/>
    </xsl:if>
    <xsl:if test="@delay">
      <node label="bridge_fd" value="{@delay}"/>
    </xsl:if>
    <!-- bond and vlan ports must exist before the bridge can enslave them -->
    <xsl:for-each select="interface[@type = 'bond' or @type = 'vlan']">
      <node label="pre-up" value="ifup {@name}"/>
    </xsl:for-each>
    <xsl:for-each select="interface[@type = 'bond' or @type = 'vlan']">
      <node label="post-down" value="ifdown {@name}"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="bond" mode="options">
    <node label="bond_slaves">
      <xsl:attribute name="value">
        <xsl:for-each select="interface">
          <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:value-of select="@name"/>
        </xsl:for-each>
      </xsl:attribute>
    </node>
    <node label="bond_primary" value="{interface[1]/@name}"/>
    <xsl:if test="@mode">
      <node label="bond_mode" value="{@mode}"/>
    </xsl:if>
    <xsl:for-each select="miimon">
      <node label="bond_miimon" value="{@freq}"/>
      <xsl:if test="@downdelay"><node label="bond_downdelay" value="{@downdelay}"/></xsl:if>
      <xsl:if test="@updelay"><node label="bond_updelay" value="{@updelay}"/></xsl:if>
      <xsl:if test="@carrier = 'ioctl'"><node label="bond_use_carrier" value="0"/></xsl:if>
      <xsl:if test="@carrier = 'netif'"><node label="bond_use_carrier" value="1"/></xsl:if>
    </xsl:for-each>
    <xsl:for-each select="arpmon">
      <node label="bond_arp_interval" value="{@interval}"/>
      <node label="bond_arp_ip_target" value="{@target}"/>
      <xsl:if test="@validate"><node label="bond_arp_validate" value="{@validate}"/></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="vlan" mode="options">
    <node label="vlan-raw-device" value="{interface/@name}"/>
  </xsl:template>
</xsl:stylesheet>
