"""NetworkManager keyfiles: ``etc/NetworkManager/system-connections/*.nmconnection``.

One GLib key file per connection, read by our NM_Keyfile lens
(``[section]`` nodes holding ``key=value`` nodes): the stock NetworkManager
lens, except that ``key = value`` is read as GLib reads it (lenses/nm_keyfile.aug). A file is found by its
``[connection] interface-name``, never by its name: NetworkManager names files
after the connection's id, which an admin may change. A new file is
``<name>.nmconnection`` with mode 0600 (NetworkManager ignores keyfiles others
can read) and a fresh UUID; an existing file keeps its UUID and id.

Only connections of the four types the interface XML describes are units;
Wi-Fi, VPN and the like are left alone. A port names its master by interface
name, connection id or UUID (``nmcli`` writes UUIDs). The engine resolves the
reference from what each file says (``Backend.aliased``: every connection's uuid
and id, and its interface-name), so the index serves this backend; the
stylesheets resolve it with ``ancf:nm-master``, by the same rule.
"""

from __future__ import annotations

import re

from .._lazy import lazy
from . import Backend, Transform, register_xpath_functions, section_spacing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lxml import etree

# Loaded when a define, a dumpxml or a parse needs them (see augnetcf._lazy).
uuid = lazy("uuid", globals())
xslt = lazy("augnetcf.xslt", globals())

DIR = "/etc/NetworkManager/system-connections"
TYPES = ("ethernet", "802-3-ethernet", "bridge", "bond", "vlan")


def _setting(tree: etree._Element, section: str, key: str) -> str:
    found = tree.xpath("node[@label=$s]/node[@label=$k]/@value", s=section, k=key)
    return str(found[-1]) if found else ""


#: The last few forests' maps from connection uuid and id to the trees that
#: carry them (most recent first): resolving every port's master by scanning
#: every other file made ``list`` quadratic (16 s at 1,000 connections).
_KEYS: list[tuple[etree._Element, int, dict[str, list[etree._Element]]]] = []


def _trees_by_key(forest: etree._Element) -> dict[str, list[etree._Element]]:
    """uuid or id -> the trees of *forest* that carry it, in file order.
    Kept while the forest object lives with the same number of trees."""
    size = len(forest)
    for known, n, keys in _KEYS:
        if known is forest and n == size:
            return keys
    keys: dict[str, list[etree._Element]] = {}
    for other in forest.iterchildren("tree"):
        uid, cid = _setting(other, "connection", "uuid"), _setting(other, "connection", "id")
        for key in dict.fromkeys((uid, cid)):
            if key:
                keys.setdefault(key, []).append(other)
    _KEYS.insert(0, (forest, size, keys))
    del _KEYS[4:]
    return keys


def _master(_ctx: Any, trees: Any) -> str:
    """The interface name of the master a connection names (by interface
    name, connection id or UUID), resolved against the other trees of its forest."""
    if not trees:
        return ""
    tree = trees[0]
    master = _setting(tree, "connection", "master")
    if not master:
        return ""
    forest = tree.getparent()
    if forest is None:
        return master
    for other in _trees_by_key(forest).get(master, ()):
        if other is tree or other.getparent() is not forest:
            continue
        if master in (_setting(other, "connection", "uuid"), _setting(other, "connection", "id")):
            name = _setting(other, "connection", "interface-name")
            if name:
                return name
    return master


def _uuid(_ctx: Any) -> str:
    """A fresh random UUID for a new connection."""
    return str(uuid.uuid4())


register_xpath_functions({"nm-master": _master, "uuid": _uuid})

#: GLib's spellings of the booleans we write (g_key_file_get_boolean()).
_BOOLEANS = {"true": "1", "false": "0"}


def _alias(label: str, value: str) -> list[tuple[str, str]]:
    """Other spellings of what we write, which a redefine leaves alone.

    Without an IPv6 protocol we write ``[ipv6] method=ignore``, but a file's
    ``method=disabled`` reads back as no IPv6 as well and says more (IPv6
    off, not left to the kernel): the file's word stays. A boolean stays
    spelled ``1``/``0`` where the file says so."""
    if label == "method" and value == "ignore":
        return [("method", "disabled")]
    if value in _BOOLEANS:
        return [(re.escape(label), _BOOLEANS[value])]
    return []


_CONN = "node[@label='connection']"

BACKEND = Backend(
    name="nm-keyfile",
    transforms=(Transform(lens="NM_Keyfile.lns", incl=(f"{DIR}/*.nmconnection",), relayout=section_spacing),),
    unit="tree[" + " or ".join(f"{_CONN}/node[@label='type']/@value='{t}'" for t in TYPES) + "]",
    unit_name=f"string({_CONN}/node[@label='interface-name']/@value)",
    unit_key="''",
    unit_mac="string(node[@label='ethernet' or @label='802-3-ethernet']/node[@label='mac-address']/@value)",
    # the reference as written (the last master=, as _setting reads it); the
    # engine resolves uuid and id through aliased*, as _master does
    unit_master=f"string(({_CONN}/node[@label='master']/@value)[last()])",
    unit_ports="''",
    limits=(
        ("/interface/start[@mode='hotplug']",
         "NetworkManager activates a connection whenever its device appears (autoconnect); "
         "it has no separate hotplug mode"),
        ("//protocol[route][not(ip)]",
         "NetworkManager takes a gateway only together with a static address"),
        ("//protocol[@family='ipv6'][autoconf][dhcp]",
         "NetworkManager's ipv6 method is auto (SLAAC, and DHCPv6 only when routers ask for it) or "
         "dhcp, not both"),
        ("//bridge[@delay][contains(@delay, '.') or @delay < 2 or @delay > 30]",
         "NetworkManager's bridge forward-delay is whole seconds from 2 to 30"),
        ("//bond[@mode='802.3ad' or @mode='balance-tlb' or @mode='balance-alb']/arpmon",
         "NetworkManager refuses ARP monitoring in the 802.3ad, balance-tlb and balance-alb modes"),
    ),
    alias=_alias,
    keep=re.compile(r"^connection/(?:uuid|id)$"),
    new_file_mode=0o600,
    min_forward_delay=2,
    defaults={"autoconnect": "true"},
    owned=re.compile(
        r"^(?:(?:type|interface-name|autoconnect|master|slave-type|mac-address|mtu"
        r"|stp|forward-delay|mode|miimon|downdelay|updelay|use_carrier|arp_interval|arp_ip_target"
        r"|arp_validate|primary|parent|method|address[0-9]*|addresses[0-9]*|gateway|ignore-auto-dns)=.*)$",
        re.DOTALL,
    ),
    # Any connection may be named as a master by its uuid or id (the last of
    # each, as _setting reads them), meaning its last interface-name.
    aliased="tree",
    aliased_keys=f"({_CONN}/node[@label='uuid']/@value)[last()] | ({_CONN}/node[@label='id']/@value)[last()]",
    aliased_name=f"string(({_CONN}/node[@label='interface-name']/@value)[last()])",
    # Through the index: a port's master reference is kept as written and its
    # file's aliases beside it; the engine resolves references across files
    # when it takes a snapshot (resolve.master_of), so each entry stays a
    # function of its own file.
    index=True,
)
