"""netplan (Ubuntu): ``etc/netplan/*.yaml``, and the files of ``lib/netplan`` and ``run/netplan``.

Read and written by :mod:`augnetcf.yamltree` (a round-trip YAML library
behind the engine's lens contract; see the README for why not an Augeas
lens). A mapping's keys are labels, a sequence's items are labelled ``-``.

An interface is a definition: a key under ``network/ethernets``,
``bridges``, ``bonds`` or ``vlans``. Its name is the key, except for an
ethernet that says ``set-name:`` (the name it gets) or ``match: name:``
with one literal name; an ethernet matched by ``macaddress`` alone has no
name in the file and is named through sysfs, as Red Hat's ``HWADDR``. A
bridge or bond names its ports in ``interfaces:``; a VLAN its parent in
``link:``. netplan wants every one of them defined too (an empty ``{}``
will do), so a define refuses a VLAN whose parent no file defines.

netplan reads ``lib/netplan``, ``etc/netplan`` and ``run/netplan``
together in the lexical order of the file names (a file in ``run`` hides
one of the same name in ``etc``, which hides one in ``lib``) and merges a
definition spread over several files. augnetcf reads all three, writes only
under ``etc/netplan`` (new definitions go into ``60-augnetcf.yaml``, mode
0600 as netplan wants), and refuses to write an interface whose definition
is spread over several files, or lies outside ``etc/netplan``, or in a file
that another hides: an edit there would not be what netplan reads.
"""

from __future__ import annotations

import re

from .._lazy import lazy
from . import Backend, Transform, register_xpath_functions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

etree = lazy("lxml.etree", globals())  # only defines and dumpxml need it (see augnetcf._lazy)

NEW_FILE = "/etc/netplan/60-augnetcf.yaml"

_GROUPS = "@label='ethernets' or @label='bridges' or @label='bonds' or @label='vlans'"

def np_name(unit: etree._Element) -> str:
    """The interface a definition configures: its ``set-name``, else the one
    literal name its ``match`` gives, else (no ``match`` at all) its id.
    "" when it matches by other properties only, or by a pattern."""
    set_name = unit.xpath("string(node[@label='set-name']/@value)")
    if set_name:
        return set_name
    match = unit.find("node[@label='match']")
    if match is None:
        return unit.get("label", "")
    name = match.xpath("string(node[@label='name']/@value)")
    return name if name and not re.search(r"[*?\[]", name) else ""


def _np_name(_ctx: Any, units: Any) -> str:
    """XPath ``ancf:np-name(UNIT)``: see :func:`np_name`."""
    return np_name(units[0]) if isinstance(units, list) and units else ""


register_xpath_functions({"np-name": _np_name})

_BOOLS = {"true": ("true", "yes", "on", "y", "True", "TRUE", "Yes", "YES", "On", "ON", "Y"),
          "false": ("false", "no", "off", "n", "False", "FALSE", "No", "NO", "Off", "OFF", "N")}


def _alias(label: str, value: str) -> list[tuple[str, str]]:
    """Other spellings netplan reads the same, which a redefine keeps:
    ``dhcp4: yes`` for ``true``, ``to: 0.0.0.0/0`` for ``default``."""
    for canon, words in _BOOLS.items():
        if value == canon:
            return [(re.escape(label), w) for w in words if w != value]
    if label == "to" and value == "default":
        return [("to", "0.0.0.0/0"), ("to", "::/0")]
    return []


_DEFAULT_ROUTE = ("default", "0.0.0.0/0", "::/0")


def _copy(el: etree._Element) -> etree._Element:
    """A forest element of the files as a new one (no Augeas paths)."""
    copy = etree.fromstring(etree.tostring(el))
    for sub in copy.iter():
        sub.attrib.pop("path", None)
    return copy


def _false(value: str | None) -> bool:
    return (value or "").lower() in ("false", "no", "off", "n")


def _master(new: etree._Element) -> etree._Element | None:
    """The bridge or bond of the new forest that names unit *new* as a port,
    when *new* configures no address of its own."""
    if new.xpath("node[@label='addresses' or @label='dhcp4' or @label='dhcp6']"):
        return None
    return next(iter(new.xpath(
        "/forest/tree/node[@label='network']/node[@label='bridges' or @label='bonds']"
        "/node[node[@label='interfaces']/node/@value = $id]", id=new.get("label"))), None)


def _move_to_master(new: etree._Element, old: etree._Element) -> None:
    """A port's name servers go with its addresses to its bridge or bond
    too (unless that says its own)."""
    master = _master(new)
    dns = old.find("node[@label='nameservers']")
    if master is None or dns is None or master.find("node[@label='nameservers']") is not None:
        return
    master.append(_copy(dns))  # the port keeps its own: a define removes nothing it cannot say


def _keep_gateway_keys(new: etree._Element, old: etree._Element) -> None:
    """Where the file says ``gateway4:`` (``gateway6:``), the default route
    of that family stays said so, rather than as a ``routes:`` item."""
    routes = new.find("node[@label='routes']")
    if routes is None:
        return
    for family, key in (("4", "gateway4"), ("6", "gateway6")):
        if old.find(f"node[@label='{key}']") is None:
            continue
        for item in routes.iterchildren("node"):
            via = item.xpath("string(node[@label='via']/@value)")
            to = item.xpath("string(node[@label='to']/@value)")
            if to == "default" and (":" in via) == (family == "6"):
                routes.remove(item)
                new.insert(list(new).index(routes), etree.Element("node", label=key, value=via))
                break
    if not len(routes):
        new.remove(routes)


def _respell(new: etree._Element, old: etree._Element) -> None:
    """Keep what the description cannot say but the files do, where it
    changes nothing the description says:

    - routes other than the first default route of each family (interface
      XML has one gateway per family): other destinations, a second
      default route with its metric, after the ones written; a port's go to
      the bridge or bond that takes its addresses over;
    - a bond without ``primary:`` gets none, where the one the description
      implies is the first slave (the kernel's choice anyway);
    - a port's ``accept-ra: false`` (a port has no addresses to configure);
    - a port's ``nameservers:`` are copied to its bridge or bond;
    - ``gateway4:``/``gateway6:`` where the file says them (deprecated, still read).
    """
    old_routes = old.find("node[@label='routes']")
    if old_routes is not None:
        first: set[str] = set()
        others = []
        for item in old_routes.iterchildren("node"):
            to = item.xpath("string(node[@label='to']/@value)")
            family = "6" if ":" in to or ":" in item.xpath("string(node[@label='via']/@value)") else "4"
            if to in _DEFAULT_ROUTE and family not in first:
                first.add(family)
                continue
            others.append(item)
        if others:
            # a port's routes go with its addresses, to the bridge or bond that takes them over
            home = _master(new)
            home = new if home is None else home
            routes = home.find("node[@label='routes']")
            if routes is None:
                routes = etree.SubElement(home, "node", label="routes")
            for item in others:
                routes.append(_copy(item))
    _move_to_master(new, old)
    _keep_gateway_keys(new, old)
    primary = new.find("node[@label='parameters']/node[@label='primary']")
    if primary is not None and old.find("node[@label='parameters']/node[@label='primary']") is None \
            and primary.get("value") == new.xpath("string(node[@label='interfaces']/node[1]/@value)"):
        primary.getparent().remove(primary)
    ra = old.find("node[@label='accept-ra']")
    if ra is not None and _false(ra.get("value")) and new.find("node[@label='accept-ra']") is None \
            and not new.xpath("node[@label='addresses' or @label='dhcp4' or @label='dhcp6']"):
        new.append(_copy(ra))


def refusal(unit: etree._Element) -> str:
    """Why interface XML cannot describe netplan definition *unit* ("" if it can)."""
    for key in ("match",):
        m = unit.find(f"node[@label='{key}']")
        if m is not None and m.find("node[@label='driver']") is not None:
            return "matches its device by driver, which interface XML cannot say"
    return ""


BACKEND = Backend(
    name="netplan",
    transforms=(Transform(lens="YAML", python_lens="augnetcf.yamltree", hides=True,
                          incl=("/lib/netplan/*.yaml", "/etc/netplan/*.yaml", "/run/netplan/*.yaml")),),
    unit=f"tree/node[@label='network']/node[{_GROUPS}]/node",
    unit_name="ancf:np-name(.)",
    unit_key="''",
    unit_mac="string((node[@label='match']/node[@label='macaddress'] | node[@label='macaddress'])[1]/@value)",
    unit_master="''",
    unit_ports="ancf:join(node[@label='interfaces']/node/@value)",
    owned=re.compile(
        r"^(?:(?:dhcp4|dhcp6|accept-ra|addresses|gateway4|gateway6|routes|to|via|mtu|macaddress|optional"
        r"|activation-mode|interfaces|stp|forward-delay|mode|mii-monitor-interval|up-delay|down-delay"
        r"|arp-interval|arp-ip-targets|arp-validate|primary|id|link|match|set-name|use-dns|-)=.*)$",
        re.DOTALL,
    ),
    alias=_alias,
    respell=_respell,
    refuse=refusal,
    defaults={"dhcp4": "false", "dhcp6": "false", "optional": "false"},
    disposable=re.compile(r"/etc/netplan/60-augnetcf\.yaml$"),
    residue=re.compile(r"^(?:network|version|renderer|ethernets|bridges|bonds|vlans)$"),
    residue_deep=True,
    read_only=re.compile(r"^/files/(?:lib|run)/"),
    nested_units=True,
    merged=True,
    requires="//node[@label='vlans']/node/node[@label='link']/@value",
    new_file_mode=0o600,
    limits=(
        ("//ip[not(@prefix)]", "netplan takes an address only with its prefix length"),
        ("//miimon[@carrier]", "netplan has no setting for how a bond reads carrier (use_carrier)"),
        ("//vlan[@tag='4095']", "netplan takes VLAN ids from 0 to 4094"),
        ("//interface[@type='vlan'][bridge or bond]", "a VLAN is not a bridge or a bond"),
    ),
    min_forward_delay=0,
    # Through the index: what each file says is kept per file; which file a
    # name lives in, and which hides which, the engine decides (Transform.hides,
    # Backend.merged) from those facts.
    index=True,
)
