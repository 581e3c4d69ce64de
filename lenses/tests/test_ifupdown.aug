(* augparse tests for lenses/ifupdown.aug: run with
     augparse -I lenses lenses/tests/test_ifupdown.aug *)
module Test_ifupdown =

  (* Debian ifupdown, ifupdown2 and ifupdown-ng syntax in one file *)
  let conf = "# /etc/network/interfaces -- a bit of everything
source /etc/network/interfaces.d/*
source-directory interfaces.d

auto lo eth0
allow-auto eth3
allow-hotplug eth1
no-auto-down eth0
no-scripts eth9
rename foo=bar

iface lo inet loopback

  # indented comment before a stanza
iface eth0 inet static
	address 192.0.2.10/24
	gateway 192.0.2.1
	# inside
	up ip route add 10.0.0.0/8 via 192.0.2.254 \\
	   dev eth0
	up echo a\\\\b
	dns-nameservers 192.0.2.53 192.0.2.54
  post-up   echo   spaced   
iface eth0 inet6 auto
iface swp1
    mtu 9000
    bridge-vids 10 20
iface swp2 inet
iface eth2 dhcp
iface eth0-home inet static inherits eth0
iface eth4 inherits base no-defaults
template base
	mtu 1500
defaults
	use dhcp
interface eth5
	inherit base
	requires eth0
	use bridge
vlan vlan100
	vlan-id 100
	vlan-raw-device bridge
mapping eth0 eth1
	script /usr/local/sbin/map-scheme
	map HOME eth0-home
	map WORK eth0-work
iface br0 inet manual
	bridge-ports eth0 \\
	             eth1
	bridge_stp off
	bridge-fd 0
iface bond0 inet manual
	bond-slaves eth6 eth7
	bond_mode active-backup
iface bnep0 inet static
iface tun0 inet6 v4tunnel
  endpoint 1.2.3.4
iface can0 can static
  bitrate 125000

#
# trailing
iface last inet manual
	mtu 1400
"

  (* printing the tree back gives every byte back *)
  test Ifupdown.lns put conf after set "iface[1]/method" "loopback" = conf

  test Ifupdown.lns get "auto lo eth0\nallow-hotplug eth1\nno-auto-down eth0\nrename foo=bar\n" =
    { "auto" { "1" = "lo" } { "2" = "eth0" } }
    { "allow-hotplug" { "1" = "eth1" } }
    { "no-auto-down" { "1" = "eth0" } }
    { "rename" { "1" = "foo=bar" } }

  (* Proxmox: dashed and underscored names alike are plain values, tabs kept *)
  test Ifupdown.lns get "iface vmbr0 inet static\n\taddress 192.168.1.10/24\n\tbridge-ports eno1 eno2\n\tbridge_stp off\n" =
    { "iface" = "vmbr0"
      { "family" = "inet" } { "method" = "static" }
      { "address" = "192.168.1.10/24" }
      { "bridge-ports" = "eno1 eno2" }
      { "bridge_stp" = "off" } }

  (* ifupdown2 / ifupdown-ng: no family, no method; a family alone; a method alone *)
  test Ifupdown.lns get "iface swp1\n    mtu 9000\niface swp2 inet\niface eth2 dhcp\n" =
    { "iface" = "swp1" { "mtu" = "9000" } }
    { "iface" = "swp2" { "family" = "inet" } }
    { "iface" = "eth2" { "method" = "dhcp" } }

  (* templates: ifupdown's inherits, ifupdown-ng's template, defaults, inherit and use *)
  test Ifupdown.lns get "iface eth0-home inet static inherits eth0\niface e inherits base no-defaults\ntemplate base\n\tmtu 1500\ndefaults\n\tuse dhcp\ninterface eth5\n\tinherit base\n" =
    { "iface" = "eth0-home" { "family" = "inet" } { "method" = "static" } { "inherits" = "eth0" } }
    { "iface" = "e" { "inherits" = "base" } { "no-defaults" } }
    { "template" = "base" { "mtu" = "1500" } }
    { "defaults" { "use" = "dhcp" } }
    { "interface" = "eth5" { "inherit" = "base" } }

  (* mapping stanzas; ifupdown2's vlan stanzas *)
  test Ifupdown.lns get "mapping eth0 eth1\n  script /sbin/map\n  map HOME eth0-home\nvlan vlan100\n  vlan-id 100\n" =
    { "mapping" = "eth0 eth1" { "script" = "/sbin/map" } { "map" = "HOME eth0-home" } }
    { "vlan" = "vlan100" { "vlan-id" = "100" } }

  (* comments anywhere, blank lines, a continued line, an option without a value *)
  test Ifupdown.lns get "# top\n\niface br0 inet manual\n  # inside\n\tbridge-ports eth0 \\\n\t  eth1\n\n  auto\n# after\nsource-directory interfaces.d\n" =
    { "#comment" = "top" }
    {  }
    { "iface" = "br0" { "family" = "inet" } { "method" = "manual" }
      { "#comment" = "inside" }
      { "bridge-ports" = "eth0 \\\n\t  eth1" }
      {  }
      { "auto" }
      { "#comment" = "after" } }
    { "source-directory" = "interfaces.d" }

  (* options keep their own separators and layout when one changes *)
  test Ifupdown.lns put "iface eth0 inet static\n\taddress 10.0.0.1/24\n\tmtu  1500\n" after
    set "iface/mtu" "9000" = "iface eth0 inet static\n\taddress 10.0.0.1/24\n\tmtu  9000\n"

  (* new options are indented with three spaces, as the stock lens does *)
  test Ifupdown.lns put "iface eth0 inet manual\n" after
    set "iface/bridge-ports" "eth1 eth2" = "iface eth0 inet manual\n   bridge-ports eth1 eth2\n"

  (* a new stanza, with its family and method *)
  test Ifupdown.lns put "auto lo\n" after
    set "iface" "br0";
    set "iface/family" "inet";
    set "iface/method" "dhcp" = "auto lo\niface br0 inet dhcp\n"

  (* a stanza without family and method takes options; dashes stay dashes *)
  test Ifupdown.lns put "iface swp1\n  mtu 9000\n" after
    set "iface/bridge-access" "10" = "iface swp1\n  mtu 9000\n   bridge-access 10\n"

  (* the lens wants a final newline; Augeas adds one when it reads a file
     that lacks it (tests/integration/test_debian.py checks such files) *)
  test Ifupdown.lns get "iface a inet manual\n\tmtu 1" = *

  (* not interfaces syntax *)
  test Ifupdown.lns get "iface\n" = *
  test Ifupdown.lns get "iface eth0 inet static extra\n" = *
