<?xml version="1.0"?>
<!--
  Forest of Debian interfaces files -> interface XML.

  Input: the stanzas (`iface` nodes) and `auto`/`allow-*` entries of the
  interface named by $name and of its ports, from whichever files hold them.
  Reads what netcf wrote and what people write by hand: option names with
  '-' or '_', `address A/P`, `vlan_raw_device` or `vlan-raw-device`, extra
  addresses added by `ifconfig` or `ip` in `up` lines; ifupdown2's and
  ifupdown-ng's stanzas without family and method (inet; static when they
  have an address). Stanzas the XML cannot describe never get here
  (debian.refusal).
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

  <xsl:key name="iface" match="node[@label = 'iface']" use="@value"/>
  <xsl:variable name="forest" select="/forest"/>

  <!-- An option of a stanza set, whether spelled with '-' or '_'. -->
  <xsl:template name="opt">
    <xsl:param name="st"/>
    <xsl:param name="key"/>
    <xsl:value-of select="$st/node[translate(@label, '-', '_') = $key][1]/@value"/>
  </xsl:template>

  <xsl:template match="/forest">
    <xsl:call-template name="interface">
      <xsl:with-param name="ifname" select="$name"/>
      <xsl:with-param name="top" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="interface">
    <xsl:param name="ifname"/>
    <xsl:param name="top" select="false()"/>
    <xsl:variable name="st" select="key('iface', $ifname)"/>
    <xsl:variable name="opts" select="$st/node"/>
    <xsl:variable name="type">
      <xsl:choose>
        <xsl:when test="$opts[translate(@label, '-', '_') = 'bridge_ports']">bridge</xsl:when>
        <xsl:when test="$opts[translate(@label, '-', '_') = 'bond_slaves']">bond</xsl:when>
        <xsl:when test="$opts[translate(@label, '-', '_') = 'vlan_raw_device'] or ancf:vlan-tag($ifname) != ''">vlan</xsl:when>
        <xsl:otherwise>ethernet</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <interface type="{$type}" name="{$ifname}">
      <xsl:if test="$top">
        <xsl:variable name="marks" select="//node[node/@value = $ifname]"/>
        <xsl:choose>
          <xsl:when test="$marks[@label = 'auto' or @label = 'allow-auto']"><start mode="onboot"/></xsl:when>
          <xsl:when test="$marks[@label = 'allow-hotplug']"><start mode="hotplug"/></xsl:when>
          <xsl:otherwise><start mode="none"/></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
      <xsl:variable name="hw" select="ancf:mac(ancf:last-word($opts[@label = 'hwaddress'][1]/@value))"/>
      <xsl:if test="$type = 'ethernet' and $hw != ''">
        <mac address="{$hw}"/>
      </xsl:if>
      <xsl:if test="$top">
        <xsl:if test="$opts[@label = 'mtu']">
          <mtu size="{$opts[@label = 'mtu'][1]/@value}"/>
        </xsl:if>
        <!-- ifupdown2 and ifupdown-ng: a stanza without a family is inet -->
        <xsl:apply-templates select="$st[node[@label = 'family']/@value = 'inet' or not(node[@label = 'family'])][1]"
                             mode="ipv4"/>
        <xsl:apply-templates select="$st[node[@label = 'family']/@value = 'inet6'][1]" mode="ipv6"/>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$type = 'bridge'">
          <xsl:variable name="stp" select="translate($opts[translate(@label, '-', '_') = 'bridge_stp'][1]/@value,
                                           'ONFYESTRU', 'onfyestru')"/>
          <xsl:variable name="fd">
            <xsl:call-template name="opt">
              <xsl:with-param name="st" select="$st"/><xsl:with-param name="key" select="'bridge_fd'"/>
            </xsl:call-template>
          </xsl:variable>
          <bridge>
            <xsl:if test="$stp != ''">
              <xsl:attribute name="stp">
                <xsl:value-of select="substring('offon', 1 + 3 * ($stp = 'on' or $stp = 'yes' or $stp = '1' or $stp = 'true'), 3)"/>
              </xsl:attribute>
            </xsl:if>
            <xsl:if test="$fd != ''"><xsl:attribute name="delay"><xsl:value-of select="$fd"/></xsl:attribute></xsl:if>
            <xsl:variable name="bp" select="$opts[translate(@label, '-', '_') = 'bridge_ports'][1]"/>
            <xsl:for-each select="str:tokenize(concat($bp/@value, ' ', ancf:join($bp/node/@value)), ' &#9;&#10;\')">
              <xsl:if test=". != 'none'">
                <xsl:call-template name="port"><xsl:with-param name="ifname" select="string(.)"/></xsl:call-template>
              </xsl:if>
            </xsl:for-each>
          </bridge>
        </xsl:when>
        <xsl:when test="$type = 'bond'">
          <xsl:call-template name="bond"><xsl:with-param name="st" select="$st"/></xsl:call-template>
        </xsl:when>
        <xsl:when test="$type = 'vlan'">
          <xsl:variable name="raw">
            <xsl:call-template name="opt">
              <xsl:with-param name="st" select="$st"/><xsl:with-param name="key" select="'vlan_raw_device'"/>
            </xsl:call-template>
          </xsl:variable>
          <vlan tag="{ancf:vlan-tag($ifname)}">
            <interface>
              <xsl:attribute name="name">
                <xsl:choose>
                  <xsl:when test="$raw != ''"><xsl:value-of select="$raw"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="ancf:vlan-device($ifname)"/></xsl:otherwise>
                </xsl:choose>
              </xsl:attribute>
            </interface>
          </vlan>
        </xsl:when>
      </xsl:choose>
    </interface>
  </xsl:template>

  <!-- A bridge port or bond slave: described by its own stanzas, if any. -->
  <xsl:template name="port">
    <xsl:param name="ifname"/>
    <!-- str:tokenize's nodes live in another document: return to ours for key() -->
    <xsl:for-each select="$forest">
      <xsl:call-template name="interface"><xsl:with-param name="ifname" select="$ifname"/></xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="node" mode="ipv4">
    <!-- no method (ifupdown2, ifupdown-ng): static when it has an address, else manual -->
    <xsl:variable name="method">
      <xsl:choose>
        <xsl:when test="node[@label = 'method']"><xsl:value-of select="node[@label = 'method']/@value"/></xsl:when>
        <xsl:when test="node[@label = 'address']">static</xsl:when>
        <xsl:otherwise>manual</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:if test="$method = 'dhcp' or $method = 'static'">
      <protocol family="ipv4">
        <xsl:if test="$method = 'dhcp'"><dhcp/></xsl:if>
        <xsl:if test="$method = 'static'">
          <xsl:call-template name="address"><xsl:with-param name="family" select="'ipv4'"/></xsl:call-template>
        </xsl:if>
        <xsl:call-template name="extra"><xsl:with-param name="family" select="'ipv4'"/></xsl:call-template>
        <xsl:if test="node[@label = 'gateway']">
          <route gateway="{node[@label = 'gateway']/@value}"/>
        </xsl:if>
      </protocol>
    </xsl:if>
  </xsl:template>

  <xsl:template match="node" mode="ipv6">
    <xsl:variable name="method" select="node[@label = 'method']/@value"/>
    <xsl:if test="$method != 'loopback'">
      <xsl:variable name="off"
                    select="node[@label = 'pre-up' and starts-with(@value, 'echo 0 &gt; /proc/sys/net/ipv6/conf/')
                                 and substring(@value, string-length(@value) - 8) = '/autoconf']
                            | node[@label = 'autoconf' and @value = '0']"/>
      <protocol family="ipv6">
        <!-- ifupdown's static method turns autoconf off unless told `autoconf 1` -->
        <xsl:if test="$method = 'auto' or ($method = 'static' and node[@label = 'autoconf' and @value = '1'])
                      or ($method != 'static' and not($off))"><autoconf/></xsl:if>
        <xsl:if test="$method = 'dhcp'"><dhcp/></xsl:if>
        <xsl:if test="$method = 'static'">
          <xsl:call-template name="address"><xsl:with-param name="family" select="'ipv6'"/></xsl:call-template>
        </xsl:if>
        <xsl:call-template name="extra"><xsl:with-param name="family" select="'ipv6'"/></xsl:call-template>
        <xsl:if test="node[@label = 'gateway']">
          <route gateway="{node[@label = 'gateway']/@value}"/>
        </xsl:if>
      </protocol>
    </xsl:if>
  </xsl:template>

  <!-- `address A` with `netmask M` (dotted or a prefix), or `address A/P`. -->
  <xsl:template name="address">
    <xsl:param name="family"/>
    <xsl:variable name="a" select="node[@label = 'address']/@value"/>
    <xsl:variable name="m" select="node[@label = 'netmask']/@value"/>
    <xsl:if test="$a">
      <xsl:choose>
        <xsl:when test="contains($a, '/')">
          <ip address="{substring-before($a, '/')}" prefix="{substring-after($a, '/')}"/>
        </xsl:when>
        <xsl:when test="$m and $family = 'ipv4' and ancf:prefix($m) != ''">
          <ip address="{$a}" prefix="{ancf:prefix($m)}"/>
        </xsl:when>
        <xsl:when test="$m and $family = 'ipv6'">
          <ip address="{$a}" prefix="{$m}"/>
        </xsl:when>
        <xsl:otherwise><ip address="{$a}"/></xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- Addresses added by `up` commands (ip addr add, or netcf's ifconfig). -->
  <xsl:template name="extra">
    <xsl:param name="family"/>
    <xsl:for-each select="node[@label = 'up']">
      <xsl:variable name="cidr" select="ancf:added-address(@value, $family)"/>
      <xsl:if test="$cidr != ''">
        <xsl:choose>
          <xsl:when test="contains($cidr, '/')">
            <ip address="{substring-before($cidr, '/')}" prefix="{substring-after($cidr, '/')}"/>
          </xsl:when>
          <xsl:otherwise><ip address="{$cidr}"/></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="bond">
    <xsl:param name="st"/>
    <xsl:variable name="o" select="$st/node"/>
    <xsl:variable name="primary" select="string($o[translate(@label, '-', '_') = 'bond_primary'][1]/@value)"/>
    <xsl:variable name="mode" select="ancf:bond-option(concat('mode=', $o[translate(@label, '-', '_') = 'bond_mode'][1]/@value), 'mode')"/>
    <xsl:variable name="miimon" select="$o[translate(@label, '-', '_') = 'bond_miimon'][1]/@value"/>
    <xsl:variable name="arp" select="$o[translate(@label, '-', '_') = 'bond_arp_interval'][1]/@value"/>
    <xsl:variable name="carrier" select="$o[translate(@label, '-', '_') = 'bond_use_carrier'][1]/@value"/>
    <bond>
      <xsl:if test="$mode != ''"><xsl:attribute name="mode"><xsl:value-of select="$mode"/></xsl:attribute></xsl:if>
      <xsl:choose>
        <xsl:when test="$arp">
          <arpmon interval="{$arp}"
                  target="{ancf:bond-option(concat('arp_ip_target=', $o[translate(@label, '-', '_') = 'bond_arp_ip_target'][1]/@value), 'arp_ip_target')}">
            <xsl:variable name="validate"
                          select="ancf:bond-option(concat('arp_validate=', $o[translate(@label, '-', '_') = 'bond_arp_validate'][1]/@value), 'arp_validate')"/>
            <xsl:if test="$validate != ''">
              <xsl:attribute name="validate"><xsl:value-of select="$validate"/></xsl:attribute>
            </xsl:if>
          </arpmon>
        </xsl:when>
        <xsl:when test="$miimon">
          <miimon freq="{$miimon}">
            <xsl:for-each select="$o[translate(@label, '-', '_') = 'bond_downdelay'][1]">
              <xsl:attribute name="downdelay"><xsl:value-of select="@value"/></xsl:attribute>
            </xsl:for-each>
            <xsl:for-each select="$o[translate(@label, '-', '_') = 'bond_updelay'][1]">
              <xsl:attribute name="updelay"><xsl:value-of select="@value"/></xsl:attribute>
            </xsl:for-each>
            <xsl:if test="$carrier = '0'"><xsl:attribute name="carrier">ioctl</xsl:attribute></xsl:if>
            <xsl:if test="$carrier = '1'"><xsl:attribute name="carrier">netif</xsl:attribute></xsl:if>
          </miimon>
        </xsl:when>
      </xsl:choose>
      <xsl:variable name="bs" select="$o[translate(@label, '-', '_') = 'bond_slaves'][1]"/>
      <xsl:variable name="slaves" select="str:tokenize(concat($bs/@value, ' ', ancf:join($bs/node/@value)), ' &#9;&#10;\')"/>
      <!-- the primary first: its position is what says it is the primary -->
      <xsl:for-each select="$slaves[. = $primary and . != 'none']">
        <interface type="ethernet" name="{.}"/>
      </xsl:for-each>
      <xsl:for-each select="$slaves[. != $primary and . != 'none']">
        <interface type="ethernet" name="{.}"/>
      </xsl:for-each>
    </bond>
  </xsl:template>
</xsl:stylesheet>
