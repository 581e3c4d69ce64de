"""SUSE / openSUSE: ``etc/sysconfig/network/ifcfg-*``, ``routes``, ``ifsysctl-*``.

One file per interface, named after it (SUSE has no DEVICE key). Default
gateways live in the shared ``routes`` file, one line per gateway naming the
interface; whether IPv6 autoconfigures is the interface's ``ifsysctl`` file.
Both are marks: they belong to an interface without describing it.
"""

import re

from lxml import etree

from . import Backend, Transform


def _alias(label: str, value: str) -> list[tuple[str, str]]:
    """A bond's slaves may be numbered otherwise (BONDING_SLAVE_1 for _0)."""
    return [(r"BONDING_SLAVE_?\S*", value)] if label.startswith("BONDING_SLAVE") else []

def _respell(new, old) -> None:
    """Keep IPADDR_x=A with PREFIXLEN_x=P (or NETMASK_x) where the file
    splits an address so, rather than writing IPADDR_x=A/P."""
    import netaddr

    have = {n.get("label"): n.get("value") for n in old.iterchildren("node")}
    for node in list(new.iterchildren("node")):
        m = re.fullmatch(r"IPADDR(_\S*)?", node.get("label"))
        value = node.get("value") or ""
        if not m or "/" not in value or "/" in (have.get(node.get("label")) or "/"):
            continue
        suffix = m.group(1) or ""
        address, prefix = value.split("/", 1)
        if f"PREFIXLEN{suffix}" in have:
            extra = ("PREFIXLEN", prefix)
        elif f"NETMASK{suffix}" in have and netaddr.valid_ipv4(address):
            extra = ("NETMASK", str(netaddr.IPNetwork(f"0.0.0.0/{prefix}").netmask))
        else:
            continue
        node.set("value", address)
        node.addnext(etree.Element("node", label=f"{extra[0]}{suffix}", value=extra[1]))


DIR = "/etc/sysconfig/network"

BACKEND = Backend(
    name="suse",
    keep_layout=True,  # the route lines of a shared routes file
    transforms=(
        Transform(lens="Ifcfg.lns", incl=(f"{DIR}/ifcfg-*",)),
        Transform(lens="Suse_Routes.lns", incl=(f"{DIR}/routes",)),
        Transform(lens="Sysctl.lns", incl=(f"{DIR}/ifsysctl-*",)),
    ),
    unit="tree[contains(@path, '/ifcfg-')]",
    unit_name="''",
    unit_key="''",
    unit_mac="string(node[@label='LLADDR']/@value)",
    unit_master="''",
    unit_ports="concat(node[@label='BRIDGE_PORTS']/@value, ' ',"
               " ancf:join(node[starts-with(@label, 'BONDING_SLAVE')]/@value))",
    limits=(
        ("//dhcp[@peerdns]", "SUSE sets DNS from DHCP for the whole host, not per interface"),
    ),
    name_from_path=re.compile(r"/ifcfg-([^/]+)$"),
    alias=_alias,
    respell=_respell,
    disposable=re.compile(r"/routes$"),
    mark="tree[contains(@path, '/ifsysctl-')]"
         " | tree[substring(@path, string-length(@path) - 6) = '/routes']"
         "/node[@label='route'][node[@label='destination']/@value='default']",
    # a routes line names its interface; an ifsysctl file is named after it
    mark_name="concat(substring-after(@path, '/ifsysctl-'), node[@label='interface']/@value)",
    mark_key="concat(@label, substring('6', 1, number(contains(node[@label='gateway']/@value, ':'))))",
    owned=re.compile(
        r"^(?:(STARTMODE|BOOTPROTO|IPADDR(?:_\S*)?|PREFIXLEN(?:_\S*)?|NETMASK(?:_\S*)?|LLADDR|MTU"
        r"|BRIDGE|BRIDGE_PORTS|BRIDGE_STP|BRIDGE_FORWARDDELAY"
        r"|BONDING_MASTER|BONDING_SLAVE_?\S*|BONDING_MODULE_OPTS|ETHERDEVICE|VLAN_ID"
        r"|destination|gateway|netmask|interface|net\.ipv6\.conf\.\S+\.autoconf)=.*)$",
        re.DOTALL,
    ),
    index=True,  # an ifcfg file per interface; routes and ifsysctl lines name their interface
)
