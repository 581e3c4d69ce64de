<?xml version="1.0"?>
<!--
  Forest of systemd-networkd files -> interface XML.

  Input: a forest holding the files of the interface named by $name and of
  its ports and slaves (the engine selects them): for each, its .netdev
  and/or .network, their drop-ins (NAME.network.d/*.conf, after the file in
  lexical order), and the VLAN= lines that create a VLAN, each inside a copy
  of its file's [Match]. The Systemd lens keeps each word of a value in a
  "value" child.

  A key set in several places (the file, then its drop-ins) takes the last
  value; Address= and Gateway= add up. What networkd assumes for a missing
  key is assumed too: ActivationPolicy=up, and accepting router
  advertisements when IPv6 is configured.
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

  <!-- files by kind; "described" .network files say more than [Match] and VLAN= -->
  <xsl:variable name="netdevs" select="/forest/tree[substring(@path, string-length(@path) - 6) = '.netdev']"/>
  <xsl:variable name="networks"
                select="/forest/tree[substring(@path, string-length(@path) - 7) = '.network']
                        [node[@label != 'Match']/node[@label != 'VLAN']]"/>

  <xsl:template match="/forest">
    <xsl:call-template name="interface">
      <xsl:with-param name="ifname" select="$name"/>
      <xsl:with-param name="top" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A systemd boolean: 1/yes/y/true/t/on (any case). -->
  <xsl:template name="true">
    <xsl:param name="value"/>
    <xsl:variable name="v" select="translate(normalize-space($value), $upper, $lower)"/>
    <xsl:value-of select="$v = '1' or $v = 'yes' or $v = 'y' or $v = 'true' or $v = 't' or $v = 'on'"/>
  </xsl:template>

  <xsl:template name="interface">
    <xsl:param name="ifname"/>
    <xsl:param name="top" select="false()"/>
    <xsl:variable name="netdev"
                  select="$netdevs[node[@label = 'NetDev']/node[@label = 'Name']/node/@value = $ifname][1]"/>
    <xsl:variable name="network"
                  select="$networks[node[@label = 'Match']/node[@label = 'Name']/node/@value = $ifname][1]"/>
    <!-- each file and then its drop-ins, in the order networkd applies them -->
    <xsl:variable name="nd" select="$netdev | /forest/tree[$netdev and starts-with(@path, concat($netdev/@path, '.d/'))]"/>
    <xsl:variable name="nw" select="$network | /forest/tree[$network and starts-with(@path, concat($network/@path, '.d/'))]"/>
    <xsl:variable name="kind"
                  select="($nd/node[@label = 'NetDev']/node[@label = 'Kind'])[last()]/node[@label = 'value']/@value"/>
    <xsl:variable name="type">
      <xsl:choose>
        <xsl:when test="$kind = 'bridge' or $kind = 'bond' or $kind = 'vlan'"><xsl:value-of select="$kind"/></xsl:when>
        <xsl:otherwise>ethernet</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="link" select="$nw/node[@label = 'Link']"/>
    <!-- a link that another .network joins to it as Bond= (Bridge=) but that
         no .netdev makes a bond (bridge): the XML of what it is would drop
         the port, so it is not described -->
    <xsl:for-each select="($networks[$type != 'bond'][(node[@label = 'Network']/node[@label = 'Bond'])[last()]/node[@label = 'value']/@value = $ifname]
                           | $networks[$type != 'bridge'][(node[@label = 'Network']/node[@label = 'Bridge'])[last()]/node[@label = 'value']/@value = $ifname])[1]">
      <xsl:variable name="via" select="(node[@label = 'Network']/node[@label = 'Bond' or @label = 'Bridge'])[last()]/@label"/>
      <xsl:value-of select="ancf:refuse(concat('names ', $ifname, ' as its ', $via, '=, but no .netdev makes ', $ifname,
                                               ' a ', translate($via, $upper, $lower),
                                               ': interface XML cannot describe ', $ifname, ' with this port'), @path)"/>
    </xsl:for-each>
    <interface type="{$type}" name="{$ifname}">
      <xsl:if test="$top">
        <xsl:variable name="policy"
                      select="($link/node[@label = 'ActivationPolicy'])[last()]/node[@label = 'value']/@value"/>
        <xsl:choose>
          <xsl:when test="not($policy) or $policy = 'up' or $policy = 'always-up'"><start mode="onboot"/></xsl:when>
          <xsl:otherwise><start mode="none"/></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
      <xsl:variable name="mac"
                    select="ancf:mac(($link/node[@label = 'MACAddress'])[last()]/node[@label = 'value']/@value)"/>
      <xsl:if test="$type = 'ethernet' and $mac != ''">
        <mac address="{$mac}"/>
      </xsl:if>
      <xsl:if test="$top">
        <xsl:for-each select="($link/node[@label = 'MTUBytes'])[last()]/node[@label = 'value']">
          <mtu size="{@value}"/>
        </xsl:for-each>
        <xsl:call-template name="protocols"><xsl:with-param name="nw" select="$nw"/></xsl:call-template>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$type = 'bridge'">
          <xsl:variable name="sec" select="$nd/node[@label = 'Bridge']"/>
          <bridge>
            <xsl:for-each select="($sec/node[@label = 'STP'])[last()]/node[@label = 'value']">
              <xsl:variable name="on">
                <xsl:call-template name="true"><xsl:with-param name="value" select="@value"/></xsl:call-template>
              </xsl:variable>
              <xsl:attribute name="stp"><xsl:value-of select="substring('offon', 1 + 3 * ($on = 'true'), 3)"/></xsl:attribute>
            </xsl:for-each>
            <xsl:for-each select="($sec/node[@label = 'ForwardDelaySec'])[last()]/node[@label = 'value']">
              <xsl:attribute name="delay"><xsl:value-of select="ancf:span(@value, 's')"/></xsl:attribute>
            </xsl:for-each>
            <xsl:call-template name="ports">
              <xsl:with-param name="ifname" select="$ifname"/>
              <xsl:with-param name="via" select="'Bridge'"/>
            </xsl:call-template>
          </bridge>
        </xsl:when>
        <xsl:when test="$type = 'bond'">
          <xsl:call-template name="bond">
            <xsl:with-param name="ifname" select="$ifname"/>
            <xsl:with-param name="sec" select="$nd/node[@label = 'Bond']"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:when test="$type = 'vlan'">
          <!-- the parent: the link whose .network has VLAN=NAME -->
          <xsl:variable name="line"
                        select="(/forest/tree/node[@label = 'Network']/node[@label = 'VLAN'][node[@label = 'value']/@value = $ifname])[1]"/>
          <vlan tag="{($nd/node[@label = 'VLAN']/node[@label = 'Id'])[last()]/node[@label = 'value']/@value}">
            <interface name="{$line/../../node[@label = 'Match']/node[@label = 'Name']/node[@label = 'value']/@value}"/>
          </vlan>
        </xsl:when>
      </xsl:choose>
    </interface>
  </xsl:template>

  <!-- The ports or slaves: the described links whose .network names $ifname
       as their Bridge (Bond); with $primary first. -->
  <xsl:template name="ports">
    <xsl:param name="ifname"/>
    <xsl:param name="via"/>
    <xsl:param name="primary" select="false()"/>
    <xsl:for-each select="$networks[(node[@label = 'Network']/node[@label = $via])[last()]/node[@label = 'value']/@value = $ifname]">
      <xsl:variable name="pname" select="node[@label = 'Match']/node[@label = 'Name']/node[@label = 'value']/@value"/>
      <xsl:variable name="is-primary">
        <xsl:call-template name="true">
          <xsl:with-param name="value"
                          select="(node[@label = 'Network']/node[@label = 'PrimarySlave'])[last()]/node[@label = 'value']/@value"/>
        </xsl:call-template>
      </xsl:variable>
      <!-- one port per name: the first file that describes it -->
      <xsl:if test="($is-primary = 'true') = $primary
                    and generate-id(.) = generate-id($networks[node[@label = 'Match']/node[@label = 'Name']/node/@value = $pname][1])">
        <xsl:call-template name="interface"><xsl:with-param name="ifname" select="$pname"/></xsl:call-template>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="bond">
    <xsl:param name="ifname"/>
    <xsl:param name="sec"/>
    <xsl:variable name="mode" select="($sec/node[@label = 'Mode'])[last()]/node[@label = 'value']/@value"/>
    <xsl:variable name="arp" select="($sec/node[@label = 'ARPIntervalSec'])[last()]/node[@label = 'value']/@value"/>
    <xsl:variable name="mii" select="($sec/node[@label = 'MIIMonitorSec'])[last()]/node[@label = 'value']/@value"/>
    <bond>
      <xsl:if test="$mode"><xsl:attribute name="mode"><xsl:value-of select="$mode"/></xsl:attribute></xsl:if>
      <xsl:choose>
        <xsl:when test="$arp">
          <arpmon interval="{ancf:span($arp, 'ms')}"
                  target="{($sec/node[@label = 'ARPIPTargets'])[last()]/node[@label = 'value'][1]/@value}">
            <xsl:for-each select="($sec/node[@label = 'ARPValidate'])[last()]/node[@label = 'value']">
              <xsl:attribute name="validate"><xsl:value-of select="@value"/></xsl:attribute>
            </xsl:for-each>
          </arpmon>
        </xsl:when>
        <xsl:when test="$mii">
          <miimon freq="{ancf:span($mii, 'ms')}">
            <xsl:for-each select="($sec/node[@label = 'DownDelaySec'])[last()]/node[@label = 'value']">
              <xsl:attribute name="downdelay"><xsl:value-of select="ancf:span(@value, 'ms')"/></xsl:attribute>
            </xsl:for-each>
            <xsl:for-each select="($sec/node[@label = 'UpDelaySec'])[last()]/node[@label = 'value']">
              <xsl:attribute name="updelay"><xsl:value-of select="ancf:span(@value, 'ms')"/></xsl:attribute>
            </xsl:for-each>
          </miimon>
        </xsl:when>
      </xsl:choose>
      <xsl:call-template name="ports">
        <xsl:with-param name="ifname" select="$ifname"/>
        <xsl:with-param name="via" select="'Bond'"/>
        <xsl:with-param name="primary" select="true()"/>
      </xsl:call-template>
      <xsl:call-template name="ports">
        <xsl:with-param name="ifname" select="$ifname"/>
        <xsl:with-param name="via" select="'Bond'"/>
      </xsl:call-template>
    </bond>
  </xsl:template>

  <xsl:template name="protocols">
    <xsl:param name="nw"/>
    <xsl:variable name="net" select="$nw/node[@label = 'Network']"/>
    <xsl:variable name="dhcp"
                  select="translate(($net/node[@label = 'DHCP'])[last()]/node[@label = 'value']/@value, $upper, $lower)"/>
    <xsl:variable name="dhcp-both">
      <xsl:call-template name="true"><xsl:with-param name="value" select="$dhcp"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="dhcp4" select="$dhcp-both = 'true' or $dhcp = 'ipv4' or $dhcp = 'both' or $dhcp = 'v4'"/>
    <xsl:variable name="dhcp6" select="$dhcp-both = 'true' or $dhcp = 'ipv6' or $dhcp = 'both' or $dhcp = 'v6'"/>
    <!-- [Network] Address= and [Address] Address=, in file order; an address
         networkd ignores (no prefix, and no class to take one from) is none -->
    <xsl:variable name="addrs"
                  select="($net/node[@label = 'Address'] | $nw/node[@label = 'Address']/node[@label = 'Address'])
                          /node[@label = 'value'][contains(@value, '/') or ancf:nd-prefix(@value) != '']"/>
    <!-- the default route: [Network] Gateway=, and a [Route] section that
         says only a gateway (to any destination, in the main table, perhaps
         with a metric); a route networkd learns (_dhcp4, _ipv6ra) is none -->
    <xsl:variable name="routes"
                  select="$nw/node[@label = 'Route']
                          [not(node[not(starts-with(@label, '#')) and @label != 'Gateway' and @label != 'Destination'
                                    and @label != 'Metric' and @label != 'GatewayOnLink'])]
                          [not(node[@label = 'Destination']/node[@label = 'value']
                               [@value != '0.0.0.0/0' and @value != '::/0' and @value != '0.0.0.0' and @value != '::'])]"/>
    <xsl:variable name="gws" select="($net | $routes)/node[@label = 'Gateway']/node[@label = 'value'][not(starts-with(@value, '_'))]"/>
    <!-- networkd turns IPv6 link-local addressing off for a bridge port (unless
         LinkLocalAddressing= turns it on) and for a bond slave, and with it
         router advertisements: there, IPv6AcceptRA= says nothing -->
    <xsl:variable name="ll"
                  select="translate(($net/node[@label = 'LinkLocalAddressing'])[last()]/node[@label = 'value']/@value, $upper, $lower)"/>
    <xsl:variable name="ll-on">
      <xsl:choose>
        <xsl:when test="$ll = 'ipv6'">true</xsl:when>
        <xsl:when test="$ll != ''"><xsl:call-template name="true"><xsl:with-param name="value" select="$ll"/></xsl:call-template></xsl:when>
        <xsl:otherwise>false</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="no-ll" select="$net/node[@label = 'Bond'] or ($net/node[@label = 'Bridge'] and $ll-on != 'true')"/>
    <xsl:variable name="ra" select="($net/node[@label = 'IPv6AcceptRA'])[last()][not($no-ll)]/node[@label = 'value']/@value"/>
    <xsl:if test="$dhcp4 or $addrs[not(contains(@value, ':'))] or $gws[not(contains(@value, ':'))]">
      <protocol family="ipv4">
        <xsl:if test="$dhcp4">
          <xsl:call-template name="dhcp"><xsl:with-param name="sec" select="$nw/node[@label = 'DHCPv4']"/></xsl:call-template>
        </xsl:if>
        <xsl:apply-templates select="$addrs[not(contains(@value, ':'))]" mode="ip"/>
        <xsl:for-each select="$gws[not(contains(@value, ':'))][1]"><route gateway="{@value}"/></xsl:for-each>
      </protocol>
    </xsl:if>
    <xsl:if test="$ra or $dhcp6 or $addrs[contains(@value, ':')] or $gws[contains(@value, ':')]">
      <xsl:variable name="accept">
        <xsl:choose>
          <xsl:when test="$ra"><xsl:call-template name="true"><xsl:with-param name="value" select="$ra"/></xsl:call-template></xsl:when>
          <xsl:otherwise>true</xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <protocol family="ipv6">
        <xsl:if test="$accept = 'true'"><autoconf/></xsl:if>
        <xsl:if test="$dhcp6">
          <xsl:call-template name="dhcp"><xsl:with-param name="sec" select="$nw/node[@label = 'DHCPv6']"/></xsl:call-template>
        </xsl:if>
        <xsl:apply-templates select="$addrs[contains(@value, ':')]" mode="ip"/>
        <xsl:for-each select="$gws[contains(@value, ':')][1]"><route gateway="{@value}"/></xsl:for-each>
      </protocol>
    </xsl:if>
  </xsl:template>

  <xsl:template name="dhcp">
    <xsl:param name="sec"/>
    <dhcp>
      <xsl:for-each select="($sec/node[@label = 'UseDNS'])[last()]/node[@label = 'value']">
        <xsl:variable name="on">
          <xsl:call-template name="true"><xsl:with-param name="value" select="@value"/></xsl:call-template>
        </xsl:variable>
        <xsl:attribute name="peerdns"><xsl:value-of select="substring('noyes', 1 + 2 * ($on = 'true'), 2 + ($on = 'true'))"/></xsl:attribute>
      </xsl:for-each>
    </dhcp>
  </xsl:template>

  <xsl:template match="node" mode="ip">
    <xsl:choose>
      <xsl:when test="contains(@value, '/')">
        <ip address="{substring-before(@value, '/')}" prefix="{substring-after(@value, '/')}"/>
      </xsl:when>
      <!-- networkd's prefix for a bare address: the IPv4 class, 0 for IPv6 -->
      <xsl:otherwise><ip address="{@value}" prefix="{ancf:nd-prefix(@value)}"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
