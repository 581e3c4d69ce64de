"""SUSE / openSUSE: ``etc/sysconfig/network/ifcfg-*``, ``routes``, ``ifsysctl-*``.

One file per interface, named after it (SUSE has no DEVICE key). Default
gateways live in the shared ``routes`` file, one line per gateway naming the
interface; whether IPv6 autoconfigures is the interface's ``ifsysctl`` file.
Both are marks: they belong to an interface without describing it.
"""

from __future__ import annotations

import re

from .. import inet
from .._lazy import lazy
from ..errors import Unsupported
from . import Backend, Transform, register_xpath_functions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Loaded when a define, a dumpxml or a parse needs them (see augnetcf._lazy).
resolve = lazy("augnetcf.resolve", globals())
xslt = lazy("augnetcf.xslt", globals())
etree = lazy("lxml.etree", globals())

#: What wicked takes for yes (ni_sysconfig_test_boolean(), any case).
_YES = ("yes", "on", "true")
#: Keys that only mean something for one kind of interface.
_KIND_KEYS = (("bond", re.compile(r"BONDING_SLAVE_?\S*|BONDING_MODULE_OPTS")),
              ("bridge", re.compile(r"BRIDGE_PORTS")), ("vlan", re.compile(r"VLAN_ID")))


def _values(tree: etree._Element) -> dict[str, str]:
    """An ifcfg file's keys (the last of repeats, as the shell reads them)."""
    return {str(n.get("label")): str(n.get("value") or "") for n in tree.iterchildren("node")}


def _kind(tree: etree._Element | None) -> str:
    """What wicked makes of an ifcfg file: ``bond`` (BONDING_MASTER=yes),
    ``bridge`` (BRIDGE=yes), ``vlan`` (a non-empty ETHERDEVICE) or
    ``ethernet``. A file wicked would reject (two kinds at once), or whose
    keys say another kind than the one wicked takes (BONDING_SLAVE0 without
    BONDING_MASTER=yes), raises :class:`Unsupported`: reading it as a plain
    ethernet would let the next define delete those keys and the slaves' files."""
    if tree is None:
        return "ethernet"
    keys = _values(tree)
    kinds = [kind for kind, on in (("bond", keys.get("BONDING_MASTER", "").lower() in _YES),
                                   ("bridge", keys.get("BRIDGE", "").lower() in _YES),
                                   ("vlan", keys.get("ETHERDEVICE", "") != "")) if on]
    where = str(tree.get("path", ""))[len("/files"):] or None
    if len(kinds) > 1:
        raise Unsupported(f"is both a {kinds[0]} and a {kinds[1]}; wicked rejects such a file", file=where)
    kind = kinds[0] if kinds else "ethernet"
    for other, pattern in _KIND_KEYS:
        stray = [k for k, v in keys.items() if v and pattern.fullmatch(k)]
        if stray and other != kind:
            flag = {"bond": "BONDING_MASTER='yes'", "bridge": "BRIDGE='yes'", "vlan": "ETHERDEVICE"}[other]
            raise Unsupported(f"sets {stray[0]} but not {flag}, so wicked does not make it a {other}; "
                              f"add {flag} or remove the {other} keys", file=where)
    return kind


def _kind_fn(_ctx: Any, trees: Any) -> str:
    """XPath ``ancf:suse-kind(TREE)``: :func:`_kind` of the first tree of a node-set."""
    return _kind(trees[0] if isinstance(trees, list) and trees else None)


def _ports_fn(_ctx: Any, trees: Any) -> str:
    """XPath ``ancf:suse-ports(TREE)``: the bridge ports or bond slaves wicked
    takes from an ifcfg file (none unless BRIDGE or BONDING_MASTER says yes),
    separated by blanks. Never raises: the index reads it from every file."""
    if not (isinstance(trees, list) and trees):
        return ""
    keys = _values(trees[0])
    if keys.get("BRIDGE", "").lower() in _YES:
        return keys.get("BRIDGE_PORTS", "")
    if keys.get("BONDING_MASTER", "").lower() in _YES:
        return " ".join(v for k, v in keys.items() if k.startswith("BONDING_SLAVE"))
    return ""


def _nets(tree: etree._Element) -> list[str]:
    """An ifcfg file's static addresses as ``A/P``: IPADDR_x=A/P, or A with
    PREFIXLEN_x or NETMASK_x (wicked's order); an address without a prefix
    says no subnet and is left out."""
    keys = _values(tree)
    out = []
    for label, value in keys.items():
        m = re.fullmatch(r"IPADDR(_\S*)?", label)
        if not m or not value:
            continue
        address, _sep, prefix = value.partition("/")
        suffix = m.group(1) or ""
        prefix = (prefix or keys.get(f"PREFIXLEN{suffix}", "")
                  or xslt._prefix(None, keys.get(f"NETMASK{suffix}", "")))
        if prefix:
            out.append(f"{address}/{prefix}")
    return out


def _nets_fn(_ctx: Any, trees: Any) -> str:
    """XPath ``ancf:suse-nets(TREE)``: :func:`_nets` of the first tree of a
    node-set, separated by blanks (``Backend.unit_nets``). Never raises: the
    index reads it from every file."""
    return " ".join(_nets(trees[0])) if isinstance(trees, list) and trees else ""


def _route_owner(_ctx: Any, routes: Any) -> str:
    """XPath ``ancf:suse-route-owner(ROUTE)``: the interface a ``routes``
    line belongs to, for the stylesheet. Its fourth column, or for ``-``
    (YaST's default route, ``default 192.168.122.1 - -``) the engine's rule
    (:func:`augnetcf.resolve.address_owner`) on the ifcfg trees of the
    route's forest: the engine has put the line into the forest of the
    interface it decided on (with every interface whose subnet might compete,
    so the answer here is the same); ``""`` when none or several hold it."""
    if not (isinstance(routes, list) and routes):
        return ""
    route = routes[0]
    named = str(route.xpath("string(node[@label='interface']/@value)"))
    if named not in ("", "-"):
        return named
    gateway = str(route.xpath("string(node[@label='gateway']/@value)"))
    units = route.xpath("/forest/tree[contains(@path, '/ifcfg-')]")
    return resolve.address_owner(gateway, ((str(t.get("path")).rpartition("/ifcfg-")[2], _nets(t))
                                           for t in units))


register_xpath_functions({"suse-route-owner": _route_owner, "suse-nets": _nets_fn,
                          "suse-kind": _kind_fn, "suse-ports": _ports_fn})


def _alias(label: str, value: str) -> list[tuple[str, str]]:
    """A bond's slaves may be numbered otherwise (BONDING_SLAVE_1 for _0);
    a default route found to be the interface's by its gateway (see
    :func:`_route_owner`) keeps ``-`` as its interface column."""
    if label == "interface":
        return [("interface", "-")]
    return [(r"BONDING_SLAVE_?\S*", value)] if label.startswith("BONDING_SLAVE") else []

def _same_bond_options(new: str, old: str, first_slave: str) -> bool:
    """Whether BONDING_MODULE_OPTS *old* says what *new* says: the same
    options, ``mode=1`` for ``mode=active-backup``, and without the
    ``primary=`` that we write for the first slave (the XML's first slave)."""
    def opts(text: str) -> dict[str, str]:
        return {k: xslt._bond_option(None, text, k) for k in xslt._bond_options(text)}

    ours, theirs = opts(new), opts(old)
    if "primary" not in theirs and ours.get("primary") == first_slave:
        ours.pop("primary")
    return ours == theirs


def _renumber(new: etree._Element, old: etree._Element) -> None:
    """Give the new unit's addresses the file's IPADDR labels: wicked (and
    dumpxml) take a family's addresses in file order, whatever their
    suffixes, so the i-th address of a family goes where the file has its
    i-th address of that family; more addresses take suffixes the file does
    not use. The stylesheet numbers them in the XML's order (IPv4 first),
    which would swap the lines of a file that lists IPADDR_1 first."""
    def family(node: etree._Element) -> str:
        return "6" if ":" in (node.get("value") or "") else "4"

    def addresses(unit: etree._Element) -> list[etree._Element]:
        return [n for n in unit.iterchildren("node") if re.fullmatch(r"IPADDR(_\S*)?", n.get("label") or "")
                and (n.get("value") or "").split("/")[0] not in ("", "0.0.0.0")]

    theirs = addresses(old)
    if not theirs:
        return
    ours = addresses(new)
    used = {n.get("label") for n in old.iterchildren("node")}
    spare = (f"IPADDR_{i}" for i in range(1, 1 << 16) if f"IPADDR_{i}" not in used)
    for fam in ("4", "6"):
        labels = [n.get("label") for n in theirs if family(n) == fam]
        for i, node in enumerate(n for n in ours if family(n) == fam):
            node.set("label", labels[i] if i < len(labels) else next(spare))


def _respell(new: etree._Element, old: etree._Element) -> None:
    """Keep IPADDR_x=A with PREFIXLEN_x=P (or NETMASK_x) where the file
    splits an address so, rather than writing IPADDR_x=A/P, and the file's
    BONDING_MODULE_OPTS where it says the same. Refuse to write over a file
    whose kind cannot be told (see :func:`_kind`)."""
    if "/ifcfg-" in str(old.get("path", "")):
        _kind(old)
    have = {n.get("label"): n.get("value") for n in old.iterchildren("node")}
    opts = new.find("node[@label='BONDING_MODULE_OPTS']")
    slaves = new.xpath("node[starts-with(@label, 'BONDING_SLAVE')]/@value")
    if opts is not None and "BONDING_MODULE_OPTS" in have and \
            _same_bond_options(str(opts.get("value")), str(have["BONDING_MODULE_OPTS"]),
                               str(slaves[0]) if slaves else ""):
        opts.set("value", str(have["BONDING_MODULE_OPTS"]))
    _renumber(new, old)
    for node in list(new.iterchildren("node")):
        m = re.fullmatch(r"IPADDR(_\S*)?", node.get("label"))
        value = node.get("value") or ""
        if not m or "/" not in value or "/" in (have.get(node.get("label")) or "/"):
            continue
        suffix = m.group(1) or ""
        address, prefix = value.split("/", 1)
        if f"PREFIXLEN{suffix}" in have:
            extra = ("PREFIXLEN", prefix)
        elif f"NETMASK{suffix}" in have and inet.valid_ipv4(address):
            extra = ("NETMASK", inet.netmask_for(prefix))
        else:
            continue
        node.set("value", address)
        node.addnext(etree.Element("node", label=f"{extra[0]}{suffix}", value=extra[1]))


DIR = "/etc/sysconfig/network"

BACKEND = Backend(
    name="suse",
    keep_layout=True,  # the route lines of a shared routes file
    port_addresses_ignored=True,  # wicked sets up no addresses on a port or slave
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
    unit_ports="ancf:suse-ports(.)",
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
    # a routes line names its interface, or says '-' (YaST): then it has no
    # name of its own, and its gateway decides (the engine's rule, across
    # files: the interface whose subnet holds it); an ifsysctl file is named after it
    mark_name="concat(substring-after(@path, '/ifsysctl-'), node[@label='interface']/@value[. != '-'])",
    mark_addr="string(node[@label='gateway']/@value)",
    unit_nets="ancf:suse-nets(.)",
    mark_key="concat(@label, substring('6', 1, number(contains(node[@label='gateway']/@value, ':'))))",
    owned=re.compile(
        r"^(?:(STARTMODE|BOOTPROTO|IPADDR(?:_\S*)?|PREFIXLEN(?:_\S*)?|NETMASK(?:_\S*)?|LLADDR|MTU"
        r"|BRIDGE|BRIDGE_PORTS|BRIDGE_STP|BRIDGE_FORWARDDELAY"
        r"|BONDING_MASTER|BONDING_SLAVE_?\S*|BONDING_MODULE_OPTS|ETHERDEVICE|VLAN_ID"
        r"|destination|gateway|netmask|interface|net\.ipv6\.conf\.\S+\.autoconf)=.*)$",
        re.DOTALL,
    ),
    index=True,  # an ifcfg file per interface; routes lines name theirs or are resolved by mark_addr
)
