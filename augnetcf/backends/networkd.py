"""systemd-networkd: ``etc/systemd/network/*.network``, ``*.netdev`` and their drop-ins.

Read by our Systemd_Network lens (lenses/systemd_network.aug: Augeas'
stock Systemd lens, cheaper to load, with the same trees), which nests
``Key=`` nodes in their ``[Section]`` and each blank-separated word of a
value in a ``value`` child.

An interface may have two units, told apart by ``unit_key``: a ``.netdev``
that creates a virtual device (``[NetDev] Name=``, ``Kind=bridge/bond/vlan``)
and a ``.network`` that configures it (``[Match] Name=`` one literal name;
a ``.network`` matching a pattern or several names describes no single
interface and is left alone). Several files naming one interface: the
first in lexical order wins, as in networkd.

A VLAN is created by its parent's ``.network`` (``[Network] VLAN=``): that
line is a *mark* of the VLAN. A new one goes into the parent's file; if the
parent has none, into ``50-augnetcf-PARENT.network``, which holds just a
``[Match]`` and the VLAN lines (not an interface description), and is
deleted when its last VLAN goes.

Drop-ins (``NAME.network.d/*.conf``) are read after their file, in lexical
order; a define leaves them alone and refuses when one sets a key augnetcf
writes. New files are ``50-augnetcf-NAME.network`` / ``.netdev``; a define
refuses when an earlier ``.network`` also matches the name (networkd would
never read the new file).
"""

from __future__ import annotations

import re
from decimal import Decimal, DecimalException

from .. import inet
from .._lazy import lazy
from ..errors import Unsupported
from . import Backend, Transform, register_xpath_functions, section_spacing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Loaded when a define, a dumpxml or a parse needs them (see augnetcf._lazy).
xslt = lazy("augnetcf.xslt", globals())
etree = lazy("lxml.etree", globals())

DIR = "/etc/systemd/network"

_NETWORK = "substring(@path, string-length(@path) - 7) = '.network'"
_NETDEV = "substring(@path, string-length(@path) - 6) = '.netdev'"
_MATCH_NAME = "node[@label='Match']/node[@label='Name']/node[@label='value']"
#: A .network that names exactly one interface, literally.
_ONE_NAME = (f"count({_MATCH_NAME}) = 1 and translate({_MATCH_NAME}/@value, '*?[!', '') = "
             f"{_MATCH_NAME}/@value")


def _seconds(text: str) -> Decimal | None:
    """A systemd time span ("1.5", "100ms", "2s 500ms", "1min") in seconds."""
    units = {"": 1, "s": 1, "sec": 1, "second": 1, "seconds": 1, "ms": Decimal("0.001"),
             "msec": Decimal("0.001"), "us": Decimal("0.000001"), "usec": Decimal("0.000001"),
             "m": 60, "min": 60, "minute": 60, "minutes": 60, "h": 3600, "hr": 3600, "hour": 3600,
             "hours": 3600}
    parts = re.findall(r"([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)", text.strip())
    if not parts or re.sub(r"[0-9.\sa-z]", "", text.strip()):
        return None
    total = Decimal(0)
    try:
        for number, unit in parts:
            if unit not in units:
                return None
            total += Decimal(number) * units[unit]
    except DecimalException:
        return None
    return total


def _span(_ctx: Any, text: Any, unit: Any) -> str:
    """A systemd time span in *unit* ("s" or "ms"), without trailing zeros; "" if not one."""
    seconds = _seconds(xslt._s(text))
    if seconds is None:
        return ""
    value = seconds * (1000 if xslt._s(unit) == "ms" else 1)
    return format(value.normalize(), "f")


def _legacy_prefix(address: str) -> str:
    """The prefix length networkd gives ``Address=A`` written without one
    (systemd's PREFIXLEN_LEGACY): the class of an IPv4 address (A /8, B /16,
    C /24) and 0 for IPv6. "" where networkd ignores the line instead
    (class D and E addresses, or not an address at all)."""
    # (inet answers as netaddr.IPAddress(A, flags=INET_PTON) does, without its import:
    # a redefine asks this of every address, and netaddr's import cost a define 15 ms)
    address = address.strip()
    if inet.valid_ipv6(address):
        return "0"
    if not inet.valid_ipv4(address):
        return ""
    first = int(address.partition(".")[0])
    return "8" if first < 128 else "16" if first < 192 else "24" if first < 224 else ""


def _address_prefix(_ctx: Any, text: Any) -> str:
    """XPath ``ancf:nd-prefix(A)``: see :func:`_legacy_prefix`."""
    return _legacy_prefix(xslt._s(text))


register_xpath_functions({"span": _span, "nd-prefix": _address_prefix})

#: systemd's boolean spellings (parse_boolean(), any case).
_TRUE = ("yes", "true", "on", "1", "y", "t")
_FALSE = ("no", "false", "off", "0", "n", "f")


def _alias(label: str, value: str) -> list[tuple[str, str]]:
    """Other spellings networkd reads the same, which a redefine keeps:
    any boolean spelling of the yes/no we write (``IPv6AcceptRA=false``
    stays), and ``Address=A`` for ``A/P`` when P is the prefix networkd
    assumes for a bare A."""
    if label != "value":
        return []
    for words in (_TRUE, _FALSE):
        if value in words:
            return [("value", s) for w in words for s in dict.fromkeys((w, w.upper(), w.capitalize()))
                    if s != value]
    address, sep, prefix = value.partition("/")
    if sep and prefix == _legacy_prefix(address):
        return [("value", address)]
    return []


def _meaning(value: str) -> str:
    """An ``Address=`` value as networkd reads it: ``A/P``, with the prefix
    it assumes for a bare address."""
    address, sep, prefix = value.partition("/")
    return f"{address}/{prefix if sep else _legacy_prefix(address)}"


def _first_address(section: etree._Element) -> str | None:
    """The first ``Address=`` of *section*, as :func:`_meaning` (None if it has none)."""
    found = section.xpath("node[@label='Address']/node[@label='value']/@value")
    return _meaning(str(found[0])) if found else None


def _drop_restated_defaults(new: etree._Element, old: etree._Element) -> None:
    """``ActivationPolicy=up`` and ``IPv6AcceptRA=yes`` are what a file
    without them means (as the stylesheets read it): a redefine of a file
    that has neither adds neither (nor the ``[Link]`` section for one)."""
    for section, key, value in (("Link", "ActivationPolicy", "up"), ("Network", "IPv6AcceptRA", "yes")):
        if old.xpath(f"node[@label='{section}']/node[@label='{key}']"):
            continue
        for node in new.xpath(f"node[@label='{section}']/node[@label='{key}'][node[@value='{value}']]"):
            node.getparent().remove(node)


def _respell(new: etree._Element, old: etree._Element) -> None:
    """Write a redefine in the file's own shape; see :func:`_keep_sections`
    and :func:`_keep_routes`."""
    _drop_restated_defaults(new, old)
    _keep_sections(new, old)
    _keep_routes(new, old)


#: The keys of a ``[Route]`` section that says only a default route (what
#: the from-forest stylesheet reads as the gateway; it reads no other route).
_DEFAULT_ROUTE_KEYS = {"Gateway", "Destination", "Metric", "GatewayOnLink"}
_ANY = {"0.0.0.0/0", "::/0", "0.0.0.0", "::"}


def _default_route(section: etree._Element) -> str | None:
    """The gateway of a ``[Route]`` section that is a default route as the
    from-forest stylesheet reads it, else None."""
    labels = {k.get("label") for k in section.iterchildren("node") if not k.get("label", "").startswith("#")}
    if not labels <= _DEFAULT_ROUTE_KEYS or any(
            v not in _ANY for v in section.xpath("node[@label='Destination']/node[@label='value']/@value")):
        return None
    found = [str(v) for v in section.xpath("node[@label='Gateway']/node[@label='value']/@value")
             if not str(v).startswith("_")]
    return found[0] if found else None


def _keep_routes(new: etree._Element, old: etree._Element) -> None:
    """Keep a default route where the file gives it: in a ``[Route]`` section.

    The stylesheet says a gateway as ``[Network] Gateway=``. Where the file
    has no such key for the gateway's family but a ``[Route]`` section that
    says only a default route of it (perhaps with a metric), the gateway
    goes into that section instead: a changed gateway is that one line.
    Sections of one name pair by position, so every ``[Route]`` section of
    the file is handed on as it is, in its place. Removing such a route is
    refused: the engine keeps ``[Route]`` sections (they may say what the
    XML cannot), so its other keys would stay behind as a route of their own."""
    sections = old.xpath("node[@label='Route']")
    network = new.find("node[@label='Network']")
    if not sections:
        return
    family = {False: "ipv4", True: "ipv6"}
    had = {family[":" in str(v)] for v in
           old.xpath("node[@label='Network']/node[@label='Gateway']/node[@label='value']/@value")}
    ours = {} if network is None else {
        family[":" in str(k.find("node").get("value", ""))]: k
        for k in reversed(network.xpath("node[@label='Gateway'][node[@label='value']]"))}
    for section in sections:
        copy_ = etree.fromstring(etree.tostring(section))
        gateway = _default_route(section)
        fam = family[":" in gateway] if gateway is not None else None
        if fam is not None and fam not in had:
            had.add(fam)  # the first default route of its family is the one that is read
            key = ours.pop(fam, None)
            if key is None:
                where = old.get("path", "")[len("/files"):]
                raise Unsupported(
                    f"removing the default route via {gateway} would leave the rest of its [Route] section "
                    "behind as a route of its own; remove the section by hand first", file=where or None)
            network.remove(key)
            mine = next(g for g in copy_.xpath("node[@label='Gateway']")
                        if g.xpath("node[@label='value']/@value")[:1] == [gateway])
            copy_.replace(mine, key)
        new.append(copy_)


def _keep_sections(new: etree._Element, old: etree._Element) -> None:
    """Keep the addresses the file gives in ``[Address]`` sections there.

    A new unit says every address as ``[Network] Address=``. Those the file
    has in an ``[Address]`` section (where other keys may qualify them) move
    into a section again, in the file's order, because the engine pairs
    sections of one name by position: so each stays where it is. An address
    that is new takes the place of one of the file's sections whose address
    is gone (an edit changes that one line); one after a section's address
    gets a new section at the end; the others go to ``[Network]``.
    A section without ``Address=`` is kept as it is. Removing a section other
    than the last ones shifts the later ones by a place: that is refused when
    one of them holds more than ``Address=`` (its other keys would go with
    another address)."""
    sections = old.xpath("node[@label='Address']")
    network = new.find("node[@label='Network']")
    if not sections or network is None:
        return
    theirs = [_first_address(s) for s in sections]
    keys = [k for k in network.iterchildren("node") if k.get("label") == "Address"]
    ours = [_meaning(str(k.find("node").get("value"))) for k in keys]
    in_network = {_meaning(str(v)) for v in
                  old.xpath("node[@label='Network']/node[@label='Address']/node[@label='value']/@value")}
    slot: dict[int, int] = {}  # section -> our address that goes into it
    for i, value in enumerate(ours):
        j = next((j for j, t in enumerate(theirs) if t == value and j not in slot), None)
        if j is not None:
            slot[j] = i
    free = [j for j, t in enumerate(theirs) if t is not None and j not in slot]
    placed = set(slot.values())
    for i, value in enumerate(ours):
        if i not in placed and value not in in_network and free:
            slot[free.pop(0)] = i
    # the engine keeps the first sections and removes the last ones: a
    # section gone from the middle shifts every later section by one
    at_end = free == list(range(len(sections) - len(free), len(sections)))
    if free and not at_end and any(sections[j].xpath("node[@label != 'Address']")
                                   for j in range(free[0], len(sections))):
        where = old.get("path", "")[len("/files"):]
        raise Unsupported(
            f"removing Address={theirs[free[0]]} from the [Address] sections would hand the other settings "
            "of these sections to other addresses; remove its section by hand first", file=where or None)
    # a new address after one in a section gets a section of its own, at
    # the end: it reads back in the place the description gave it
    first = min(slot.values(), default=len(ours))
    extra = [i for i in range(first + 1, len(ours)) if i not in slot.values() and ours[i] not in in_network]
    anchor = new.find("node[@label='DHCPv4']")
    for j in [*range(len(sections)), *(len(sections) + n for n in range(len(extra)))]:
        if j in free:
            continue
        section = etree.Element("node", label="Address")
        i = slot.get(j) if j < len(sections) else extra[j - len(sections)]
        if i is not None:
            network.remove(keys[i])
            section.append(keys[i])
        if anchor is not None:
            anchor.addprevious(section)
        else:
            new.append(section)


BACKEND = Backend(
    name="networkd",
    transforms=(Transform(lens="Systemd_Network.lns", incl=(
        f"{DIR}/*.network", f"{DIR}/*.netdev", f"{DIR}/*.network.d/*.conf", f"{DIR}/*.netdev.d/*.conf"),
        relayout=section_spacing),),
    unit=f"tree[{_NETWORK}][{_ONE_NAME}][node[@label != 'Match']/node[@label != 'VLAN']]"
         f" | tree[{_NETDEV}][node[@label='NetDev']/node[@label='Name']/node[@label='value']]"
         "[node[@label='NetDev']/node[@label='Kind']/node[@label='value']"
         "[@value='bridge' or @value='bond' or @value='vlan']]",
    unit_name="string((node[@label='Match'] | node[@label='NetDev'])/node[@label='Name']"
              "/node[@label='value']/@value)",
    unit_key=f"concat(substring('netdev', 1, 6 * ({_NETDEV})), substring('network', 1, 7 * ({_NETWORK})))",
    unit_mac="''",
    unit_master="string((node[@label='Network']/node[@label='Bridge' or @label='Bond'])[last()]"
                "/node[@label='value']/@value)",
    unit_ports="''",
    mark=f"tree[{_NETWORK}]/node[@label='Network']/node[@label='VLAN']",
    mark_name="string(node[@label='value']/@value)",
    mark_key=f"string(../../{_MATCH_NAME}/@value)",
    mark_home=f"string(../../{_MATCH_NAME}/@value)",
    mark_homes=f"tree[{_NETWORK}][{_ONE_NAME}]",
    mark_context="../../node[@label='Match']",
    dropin="tree[contains(@path, '.network.d/') or contains(@path, '.netdev.d/')]",
    dropin_of="substring-before(@path, '.d/')",
    disposable=re.compile(r"/50-augnetcf-[^/]*\.network$"),
    residue=re.compile(r"^Match$"),
    # networkd applies the first .network in lexical order that takes a name
    matches=f"self::tree[{_NETWORK}]/{_MATCH_NAME}/@value",
    # the LABEL's words joined by blanks (see forest.write_node)
    defaults={"ActivationPolicy": "up", "DHCP": "no"},
    alias=_alias,
    respell=_respell,
    limits=(
        ("/interface/start[@mode='hotplug']",
         "networkd configures a link whenever it appears; it has no separate hotplug mode"),
        ("//miimon[@carrier]", "networkd has no setting for how a bond reads carrier (use_carrier)"),
        ("//vlan[@tag='4095']", "networkd takes VLAN ids from 0 to 4094"),
        ("//ip[not(@prefix)]", "networkd warns that it will change how it reads an address without a "
                               "prefix length; give the prefix"),
    ),
    owned=re.compile(
        r"^(?:(?:Name|Kind|MACAddress|MTUBytes|ActivationPolicy|DHCP|Address|Gateway|IPv6AcceptRA"
        r"|Bridge|Bond|PrimarySlave|UseDNS|WithoutRA|STP|ForwardDelaySec|Mode|MIIMonitorSec"
        r"|UpDelaySec|DownDelaySec|ARPIntervalSec|ARPIPTargets|ARPValidate|Id|value)=.*)$",
        re.DOTALL,
    ),
    # Through the index: each file's facts are kept per file (its units and
    # VLAN= marks, the unit a drop-in amends, the name it holds marks for, its
    # [Match] Name= patterns); the engine decides across files (which file
    # wins, which drop-ins are whose, where a new VLAN= goes, what a new file
    # would be hidden by) from those facts, by the rules of the full load.
    index=True,
)
