"""Red Hat / Fedora / CentOS initscripts: ``etc/sysconfig/network-scripts/ifcfg-*``.

One shell-variable file per interface, read by our Ifcfg lens (stock Sysconfig
that writes new simple values without quotes; see lenses/ifcfg.aug).
"""

import re

from .. import inet
from . import Backend, Transform


def _alias(label: str, value: str) -> list[tuple[str, str]]:
    """NETMASKn=255.255.255.0 is also spelled PREFIXn=24."""
    m = re.fullmatch(r"NETMASK([0-9]*)", label)
    if m and inet.valid_ipv4(value):
        return [(f"PREFIX{m.group(1)}", str(inet.netmask_bits(value)))]
    return []


def _respell(new, old) -> None:
    """Keep the file's address numbering, PREFIXn where the file says
    PREFIXn, and BOOTPROTO=static where it says static (initscripts read it
    as none)."""
    have = {n.get("label"): n.get("value") for n in old.iterchildren("node")}
    # Addresses keep the file's numbering (IPADDR0, PREFIX0 ... rather than IPADDR, NETMASK ...):
    # the i-th address written goes where the file has its i-th address.
    def suffixes(labels: list[str]) -> list[str]:
        found = [m.group(1) for m in (re.fullmatch(r"IPADDR([0-9]*)", lbl) for lbl in labels) if m]
        return sorted(found, key=lambda x: -1 if x == "" else int(x))

    theirs = suffixes(list(have))
    ours = suffixes([n.get("label") for n in new.iterchildren("node")])
    if theirs and ours != theirs[: len(ours)]:
        spare = iter(str(i) for i in range(max(int(x or 0) for x in theirs) + 1, 1 << 16))
        rename = {o: (theirs[i] if i < len(theirs) else next(spare)) for i, o in enumerate(ours)}
        for node in new.iterchildren("node"):
            m = re.fullmatch(r"(IPADDR|NETMASK|PREFIX)([0-9]*)", node.get("label"))
            if m and m.group(2) in rename:
                node.set("label", m.group(1) + rename[m.group(2)])
    for node in new.iterchildren("node"):
        label, value = node.get("label"), node.get("value") or ""
        m = re.fullmatch(r"NETMASK([0-9]*)", label)
        if m and f"PREFIX{m.group(1)}" in have and label not in have and inet.valid_ipv4(value):
            node.set("label", f"PREFIX{m.group(1)}")
            node.set("value", str(inet.netmask_bits(value)))
        elif label == "BOOTPROTO" and value == "none" and have.get(label) == "static":
            node.set("value", "static")


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
    respell=_respell,
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
    index=True,  # one file per interface, each read on its own
)
