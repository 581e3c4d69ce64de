<?xml version="1.0"?>
<!--
  Interface XML -> forest of systemd-networkd files.

  Input: a validated <interface> (see interface.rng) that passed the
  networkd limits. Output (see forest.rng), for each interface in document
  order, the top-level one first:
  - a bridge, bond or vlan: 50-augnetcf-NAME.netdev, which creates it;
  - every interface: 50-augnetcf-NAME.network, which configures it, with
    the VLAN= lines of the VLANs on it;
  and last, for each VLAN parent the document does not describe, a
  50-augnetcf-PARENT.network holding only [Match] and its VLAN= lines (the
  engine puts them into the parent's own file when it has one).

  The Systemd lens keeps each word of a value in a "value" child. Sections
  are always written, even empty (the engine creates no empty section), so
  that a redefine reaches and removes the keys it owns in them. Ports and
  slaves inherit the top-level ActivationPolicy.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:ancf="urn:augnetcf:xslt"
                exclude-result-prefixes="ancf">
  <xsl:output method="xml" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:variable name="dir" select="'/files/etc/systemd/network/50-augnetcf-'"/>
  <xsl:variable name="top" select="/interface"/>
  <!-- every interface the document describes (not the parents VLANs only name) -->
  <xsl:variable name="described" select="//interface[not(parent::vlan)]"/>

  <xsl:template match="/interface">
    <forest>
      <xsl:apply-templates select="." mode="files"/>
      <xsl:for-each select="//vlan/interface[not(@name = $described/@name)]
                            [not(@name = preceding::vlan/interface/@name)]">
        <tree path="{$dir}{@name}.network">
          <node label="Match">
            <xsl:call-template name="key"><xsl:with-param name="k" select="'Name'"/>
              <xsl:with-param name="v" select="@name"/></xsl:call-template>
          </node>
          <node label="Network">
            <xsl:call-template name="vlans"><xsl:with-param name="parent" select="@name"/></xsl:call-template>
          </node>
        </tree>
      </xsl:for-each>
    </forest>
  </xsl:template>

  <!-- KEY=VALUE as the Systemd lens holds it -->
  <xsl:template name="key">
    <xsl:param name="k"/>
    <xsl:param name="v"/>
    <node label="{$k}"><node label="value" value="{$v}"/></node>
  </xsl:template>

  <xsl:template name="vlans">
    <xsl:param name="parent"/>
    <xsl:for-each select="$top/descendant-or-self::interface[@type = 'vlan'][vlan/interface/@name = $parent]">
      <xsl:call-template name="key"><xsl:with-param name="k" select="'VLAN'"/>
        <xsl:with-param name="v" select="@name"/></xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="interface" mode="files">
    <xsl:variable name="port" select="parent::bridge or parent::bond"/>
    <xsl:if test="@type != 'ethernet'">
      <tree path="{$dir}{@name}.netdev">
        <node label="NetDev">
          <xsl:call-template name="key"><xsl:with-param name="k" select="'Name'"/>
            <xsl:with-param name="v" select="@name"/></xsl:call-template>
          <xsl:call-template name="key"><xsl:with-param name="k" select="'Kind'"/>
            <xsl:with-param name="v" select="@type"/></xsl:call-template>
        </node>
        <xsl:apply-templates select="bridge | bond | vlan" mode="netdev"/>
      </tree>
    </xsl:if>
    <tree path="{$dir}{@name}.network">
      <node label="Match">
        <xsl:call-template name="key"><xsl:with-param name="k" select="'Name'"/>
          <xsl:with-param name="v" select="@name"/></xsl:call-template>
      </node>
      <node label="Link">
        <xsl:if test="@type = 'ethernet' and mac">
          <xsl:call-template name="key"><xsl:with-param name="k" select="'MACAddress'"/>
            <xsl:with-param name="v" select="mac/@address"/></xsl:call-template>
        </xsl:if>
        <xsl:if test="not($port) and mtu">
          <xsl:call-template name="key"><xsl:with-param name="k" select="'MTUBytes'"/>
            <xsl:with-param name="v" select="mtu/@size"/></xsl:call-template>
        </xsl:if>
        <!-- no <start> means none -->
        <xsl:call-template name="key"><xsl:with-param name="k" select="'ActivationPolicy'"/>
          <xsl:with-param name="v" select="substring('manualup', 1 + 6 * ($top/start/@mode = 'onboot'), 6)"/>
        </xsl:call-template>
      </node>
      <node label="Network">
        <xsl:if test="parent::bridge">
          <xsl:call-template name="key"><xsl:with-param name="k" select="'Bridge'"/>
            <xsl:with-param name="v" select="../../@name"/></xsl:call-template>
        </xsl:if>
        <xsl:if test="parent::bond">
          <xsl:call-template name="key"><xsl:with-param name="k" select="'Bond'"/>
            <xsl:with-param name="v" select="../../@name"/></xsl:call-template>
          <xsl:if test="not(preceding-sibling::interface)
                        and (../@mode = 'active-backup' or ../@mode = 'balance-tlb' or ../@mode = 'balance-alb')">
            <xsl:call-template name="key"><xsl:with-param name="k" select="'PrimarySlave'"/>
              <xsl:with-param name="v" select="'yes'"/></xsl:call-template>
          </xsl:if>
        </xsl:if>
        <xsl:if test="not($port)">
          <xsl:variable name="v4" select="boolean(protocol[@family = 'ipv4']/dhcp)"/>
          <xsl:variable name="v6" select="boolean(protocol[@family = 'ipv6']/dhcp)"/>
          <xsl:if test="$v4 or $v6">
            <xsl:call-template name="key"><xsl:with-param name="k" select="'DHCP'"/>
              <xsl:with-param name="v">
                <xsl:choose>
                  <xsl:when test="$v4 and $v6">yes</xsl:when>
                  <xsl:when test="$v4">ipv4</xsl:when>
                  <xsl:otherwise>ipv6</xsl:otherwise>
                </xsl:choose>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:if>
          <xsl:for-each select="protocol[@family = 'ipv4']/ip | protocol[@family = 'ipv6']/ip">
            <xsl:call-template name="key"><xsl:with-param name="k" select="'Address'"/>
              <xsl:with-param name="v">
                <xsl:value-of select="@address"/>
                <xsl:if test="@prefix">/<xsl:value-of select="@prefix"/></xsl:if>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:for-each>
          <xsl:for-each select="protocol[@family = 'ipv4']/route | protocol[@family = 'ipv6']/route">
            <xsl:call-template name="key"><xsl:with-param name="k" select="'Gateway'"/>
              <xsl:with-param name="v" select="@gateway"/></xsl:call-template>
          </xsl:for-each>
          <!-- present exactly when there is an ipv6 protocol: that is how it reads back -->
          <xsl:for-each select="protocol[@family = 'ipv6']">
            <xsl:call-template name="key"><xsl:with-param name="k" select="'IPv6AcceptRA'"/>
              <xsl:with-param name="v" select="substring('noyes', 1 + 2 * count(autoconf), 2 + count(autoconf))"/>
            </xsl:call-template>
          </xsl:for-each>
        </xsl:if>
        <xsl:call-template name="vlans"><xsl:with-param name="parent" select="@name"/></xsl:call-template>
      </node>
      <xsl:if test="$port">
        <node label="DHCPv4"/>
        <node label="DHCPv6"/>
      </xsl:if>
      <xsl:if test="not($port)">
        <node label="DHCPv4">
          <xsl:for-each select="protocol[@family = 'ipv4']/dhcp[@peerdns]">
            <xsl:call-template name="key"><xsl:with-param name="k" select="'UseDNS'"/>
              <xsl:with-param name="v" select="@peerdns"/></xsl:call-template>
          </xsl:for-each>
        </node>
        <node label="DHCPv6">
          <xsl:for-each select="protocol[@family = 'ipv6']/dhcp">
            <xsl:if test="@peerdns">
              <xsl:call-template name="key"><xsl:with-param name="k" select="'UseDNS'"/>
                <xsl:with-param name="v" select="@peerdns"/></xsl:call-template>
            </xsl:if>
            <!-- without autoconf no router advertisement starts DHCPv6: start it regardless -->
            <xsl:if test="not(../autoconf)">
              <xsl:call-template name="key"><xsl:with-param name="k" select="'WithoutRA'"/>
                <xsl:with-param name="v" select="'solicit'"/></xsl:call-template>
            </xsl:if>
          </xsl:for-each>
        </node>
      </xsl:if>
    </tree>
    <xsl:apply-templates select="bridge/interface | bond/interface" mode="files"/>
  </xsl:template>

  <xsl:template match="bridge" mode="netdev">
    <node label="Bridge">
      <xsl:if test="@stp">
        <xsl:call-template name="key"><xsl:with-param name="k" select="'STP'"/>
          <xsl:with-param name="v" select="substring('noyes', 1 + 2 * (@stp = 'on'), 2 + (@stp = 'on'))"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="@delay">
        <xsl:call-template name="key"><xsl:with-param name="k" select="'ForwardDelaySec'"/>
          <xsl:with-param name="v" select="@delay"/></xsl:call-template>
      </xsl:if>
    </node>
  </xsl:template>

  <!-- times in the XML are milliseconds; a bare number is seconds to networkd -->
  <xsl:template match="bond" mode="netdev">
    <node label="Bond">
      <xsl:if test="@mode">
        <xsl:call-template name="key"><xsl:with-param name="k" select="'Mode'"/>
          <xsl:with-param name="v" select="@mode"/></xsl:call-template>
      </xsl:if>
      <xsl:for-each select="miimon">
        <xsl:call-template name="key"><xsl:with-param name="k" select="'MIIMonitorSec'"/>
          <xsl:with-param name="v" select="concat(@freq, 'ms')"/></xsl:call-template>
        <xsl:if test="@updelay">
          <xsl:call-template name="key"><xsl:with-param name="k" select="'UpDelaySec'"/>
            <xsl:with-param name="v" select="concat(@updelay, 'ms')"/></xsl:call-template>
        </xsl:if>
        <xsl:if test="@downdelay">
          <xsl:call-template name="key"><xsl:with-param name="k" select="'DownDelaySec'"/>
            <xsl:with-param name="v" select="concat(@downdelay, 'ms')"/></xsl:call-template>
        </xsl:if>
      </xsl:for-each>
      <xsl:for-each select="arpmon">
        <xsl:call-template name="key"><xsl:with-param name="k" select="'ARPIntervalSec'"/>
          <xsl:with-param name="v" select="concat(@interval, 'ms')"/></xsl:call-template>
        <xsl:call-template name="key"><xsl:with-param name="k" select="'ARPIPTargets'"/>
          <xsl:with-param name="v" select="@target"/></xsl:call-template>
        <xsl:if test="@validate">
          <xsl:call-template name="key"><xsl:with-param name="k" select="'ARPValidate'"/>
            <xsl:with-param name="v" select="@validate"/></xsl:call-template>
        </xsl:if>
      </xsl:for-each>
    </node>
  </xsl:template>

  <xsl:template match="vlan" mode="netdev">
    <node label="VLAN">
      <xsl:call-template name="key"><xsl:with-param name="k" select="'Id'"/>
        <xsl:with-param name="v" select="@tag"/></xsl:call-template>
    </node>
  </xsl:template>
</xsl:stylesheet>
