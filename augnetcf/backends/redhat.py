"""Red Hat / Fedora / CentOS initscripts: ``etc/sysconfig/network-scripts/ifcfg-*``.

One shell-variable file per interface, read by our Ifcfg lens (stock Sysconfig
that writes new simple values without quotes; see lenses/ifcfg.aug).
"""

import re

import netaddr

from . import Backend, Transform


def _alias(label: str, value: str) -> list[tuple[str, str]]:
    """NETMASKn=255.255.255.0 is also spelled PREFIXn=24."""
    m = re.fullmatch(r"NETMASK([0-9]*)", label)
    if m and netaddr.valid_ipv4(value):
        return [(f"PREFIX{m.group(1)}", str(netaddr.IPAddress(value).netmask_bits()))]
    return []


CONFDIR = "/etc/sysconfig/network-scripts"

BACKEND = Backend(
    name="redhat",
    transforms=(Transform(lens="Ifcfg.lns", incl=(f"{CONFDIR}/ifcfg-*",)),),
    unit="tree",
    unit_name="string(node[@label='DEVICE']/@value)",
    unit_key="''",
    unit_mac="string(node[@label='HWADDR']/@value)",
    unit_master="string((node[@label='BRIDGE'] | node[@label='MASTER'])[1]/@value)",
    unit_ports="''",
    name_from_path=re.compile(r"/ifcfg-([^/]+)$"),
    alias=_alias,
    limits=(("//protocol[@family='ipv6']/dhcp[@peerdns]",
             "PEERDNS applies to DHCP for IPv4; initscripts has no DNS setting for DHCPv6"),),
    defaults={"BOOTPROTO": "none"},
    # TYPE is ours only when it says Bridge: TYPE=Ethernet is kept as the admin wrote it.
    owned=re.compile(
        r"^(?:(DEVICE|HWADDR|ONBOOT|HOTPLUG|MTU|BOOTPROTO|PEERDNS|"
        r"IPADDR[0-9]*|NETMASK[0-9]*|PREFIX[0-9]*|GATEWAY|"
        r"IPV6INIT|IPV6_AUTOCONF|DHCPV6C|IPV6ADDR|IPV6ADDR_SECONDARIES|IPV6_DEFAULTGW|"
        r"BRIDGE|STP|DELAY|BONDING_OPTS|MASTER|SLAVE|VLAN|PHYSDEV|VLAN_ID)=.*|TYPE=(?i:bridge))$",
        re.DOTALL,
    ),
)
