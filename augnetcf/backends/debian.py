"""Debian / Ubuntu ifupdown: ``etc/network/interfaces`` and the files it sources.

Interfaces share files, so a unit is an ``iface`` stanza (an interface may
have an ``inet`` and an ``inet6`` one) and its ``auto``/``allow-*`` entries
are marks. Files pulled in with ``source`` or ``source-directory`` are read
too; an interface found there is edited there, a new one goes into the main
file. Read by Augeas' stock Interfaces lens.
"""

import re

from . import Backend, Transform

_OPT = r"[_-]"


def _alias(label: str, value: str) -> list[tuple[str, str]]:
    """ifupdown reads bridge_ports and bridge-ports alike (and so on)."""
    if "_" not in label and "-" not in label:
        return []
    return [(re.sub(r"[_-]", "[_-]", label), value)]


def _respell(new, old) -> None:
    """Keep ``address A/P`` (no netmask line) where the stanza writes its
    address so, rather than ``address A`` plus ``netmask M``."""
    import netaddr

    have = old.find("node[@label='address']")
    if have is None or "/" not in (have.get("value") or "") or old.find("node[@label='netmask']") is not None:
        return
    address = new.find("node[@label='address']")
    netmask = new.find("node[@label='netmask']")
    if address is None or netmask is None or "/" in (address.get("value") or ""):
        return
    try:
        bits = netaddr.IPAddress(netmask.get("value")).netmask_bits()
    except (netaddr.AddrFormatError, TypeError, ValueError):
        return
    address.set("value", f"{address.get('value')}/{bits}")
    new.remove(netmask)


BACKEND = Backend(
    name="debian",
    transforms=(Transform(lens="Interfaces.lns", incl=("/etc/network/interfaces",)),),
    unit="tree/node[@label='iface']",
    unit_name="string(@value)",
    unit_key="string(node[@label='family']/@value)",
    unit_mac="ancf:last-word(node[@label='hwaddress']/@value)",
    unit_master="''",
    # bridge_ports is a value; the lens makes bridge-ports (with a dash) a list of children
    unit_ports="concat(node[translate(@label, '-', '_')='bridge_ports']/@value, ' ',"
               " ancf:join(node[translate(@label, '-', '_')='bridge_ports']/node/@value), ' ',"
               " node[translate(@label, '-', '_')='bond_slaves']/@value, ' ',"
               " ancf:join(node[translate(@label, '-', '_')='bond_slaves']/node/@value))",
    mark="tree/node[@label='auto' or starts-with(@label, 'allow-')]/node",
    mark_name="string(@value)",
    mark_key="string(../@label)",
    owned=re.compile(
        r"^(?:(?:family|method|address|netmask|gateway|mtu|hwaddress"
        rf"|bridge{_OPT}(?:ports|stp|fd)"
        rf"|bond{_OPT}(?:slaves|primary|mode|miimon|downdelay|updelay|use{_OPT}carrier"
        rf"|arp{_OPT}interval|arp{_OPT}ip{_OPT}target|arp{_OPT}validate)"
        rf"|vlan{_OPT}raw{_OPT}device|autoconf)=.*"
        r"|pre-up=ifup \S+|post-down=ifdown \S+"
        r"|pre-up=echo 0 > /proc/sys/net/ipv6/conf/\S+/autoconf"
        r"|post-down=echo 1 > /proc/sys/net/ipv6/conf/\S+/autoconf"
        r"|up=(?:/sbin/)?ip(?: -[46])? addr add \S+ dev \S+"
        r"|down=(?:/sbin/)?ip(?: -[46])? addr del \S+ dev \S+"
        r"|up=/sbin/ifconfig \S+ inet6 add \S+|down=/sbin/ifconfig \S+ inet6 del \S+)$",
        re.DOTALL,
    ),
    alias=_alias,
    respell=_respell,
    multi=re.compile(r"^(?:up|down|pre-up|post-up|pre-down|post-down)$"),
    limits=(
        ("//dhcp[@peerdns]", "ifupdown has no per-interface setting for DNS from DHCP"),
        ("/interface/protocol[route][not(ip)]",
         "ifupdown takes a gateway only in a static stanza, which needs an address"),
        ("//protocol[@family='ipv6'][dhcp][ip]",
         "an inet6 stanza is either dhcp or static, not both"),
        ("//interface[@type='vlan'][@name][not(@name = concat(vlan/interface/@name, '.', vlan/@tag))]"
         "[not(@name = concat('vlan', vlan/@tag))]",
         "ifupdown takes a VLAN's tag from its name, which must be DEVICE.TAG or vlanTAG"),
        ("//interface[@type!='vlan'][contains(@name, '.') or (starts-with(@name, 'vlan')"
         " and ancf:vlan-tag(@name) != '')]",
         "ifupdown would take an interface named DEVICE.TAG or vlanTAG for a VLAN"),
        ("//bridge/interface[@name='none' or @name='all'] | //bond/interface[@name='none' or @name='all']",
         "in bridge_ports and bond_slaves, 'none' and 'all' are keywords, not interface names"),
        ("//bridge/interface[@type='ethernet'][mac] | //bond/interface[mac]",
         "ifupdown has no stanza for a bridge port or bond slave to carry its MAC"),
    ),
    stanza_comments="#comment",
    keep_layout=True,
    port_keywords=("none",),  # bridge_ports none: a bridge without ports
    includes="tree/node[@label='source']/@value",
    include_dirs="tree/node[@label='source-directory']/@value",
    index=True,  # stanzas and auto lines name their interface; sourced files are followed per file
)
