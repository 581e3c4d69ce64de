"""Hypothesis strategies for interface XML documents.

:func:`interface_docs` draws complete, *meaningful* interface descriptions as
lxml elements: every one is valid for augnetcf's grammar
(``xslt/interface.rng``) and for libvirt's, and it also makes sense as a
configuration. Addresses come from :mod:`ipaddress` / :mod:`netaddr`,
interface names are distinct within a document, and a vlan's name, when
present, is ``DEVICE.TAG``.

The documents cover every element and attribute the grammar allows: all four
top-level types, bridges with ethernet / vlan / bond ports, bonds with either
link monitor, both protocol families in either order, ``<link>``, and (unless
``shuffle=False``) children in any order the grammar permits. Siblings whose
relative order carries meaning (bridge ports, bond slaves, addresses) keep
the order they were drawn in, also when shuffled; the ipv4 and ipv6
``<protocol>`` elements, in either order, stay next to each other (see
:func:`_streams` for the libxml2 limitation behind that).

The smaller strategies (:func:`iface_names`, :func:`macs`, :func:`ipv4_addrs`,
:func:`ipv6_addrs`, ...) produce attribute values as strings.
"""

from __future__ import annotations

import ipaddress
import string
from typing import Callable, Union

import netaddr
from hypothesis import strategies as st
from lxml import etree

__all__ = [
    "NAME_ALPHABET",
    "MAX_NAME_LEN",
    "TYPES",
    "iface_names",
    "macs",
    "ipv4_addrs",
    "ipv6_addrs",
    "ipv4_prefixes",
    "ipv6_prefixes",
    "mtus",
    "vlan_tags",
    "uints",
    "delays",
    "interface_docs",
    "to_bytes",
]

#: Interface names are drawn from these characters only. The grammar allows
#: more (``_ . : -`` and upper case), but those carry meaning to some distros
#: (``eth0.42`` is a vlan, ``eth0:1`` an alias), so generated names avoid them.
NAME_ALPHABET = string.ascii_lowercase + string.digits
MAX_NAME_LEN = 15
TYPES = ("ethernet", "bridge", "bond", "vlan")

BOND_MODES = ("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb",
              "balance-alb")
START_MODES = ("onboot", "none", "hotplug")
LINK_STATES = ("unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up")


# --------------------------------------------------------------------------
# Attribute values
# --------------------------------------------------------------------------

def iface_names(max_size: int = MAX_NAME_LEN) -> st.SearchStrategy[str]:
    """Interface names: 1..*max_size* characters of ``[a-z0-9]``."""
    return st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=max_size)


def macs() -> st.SearchStrategy[str]:
    """MAC addresses as six colon-separated hex pairs, lower or upper case."""
    return st.builds(
        lambda value, upper: _case(str(netaddr.EUI(value, dialect=netaddr.mac_unix_expanded)), upper),
        st.integers(0, 2**48 - 1),
        st.booleans(),
    )


def ipv4_addrs() -> st.SearchStrategy[str]:
    """IPv4 addresses in dotted-quad form (no leading zeros)."""
    return st.ip_addresses(v=4).map(str)


@st.composite
def ipv6_addrs(draw: st.DrawFn) -> str:
    """IPv6 addresses in any hex-group spelling: all eight groups (with or
    without leading zeros), or any run of zero groups written as ``::``;
    lower or upper case. Never the dotted-quad-tail form."""
    addr = draw(st.ip_addresses(v=6))
    groups = [int.from_bytes(addr.packed[i:i + 2], "big") for i in range(0, 16, 2)]
    pad = draw(st.booleans())
    words = [f"{g:04x}" if pad else f"{g:x}" for g in groups]
    runs = [(i, j) for i in range(8) for j in range(i + 1, 9) if not any(groups[i:j])]
    run = draw(st.sampled_from([None, *runs])) if runs else None
    if run is None:
        text = ":".join(words)
    else:
        i, j = run
        text = ":".join(words[:i]) + "::" + ":".join(words[j:])
    text = _case(text, draw(st.booleans()))
    assert ipaddress.IPv6Address(text) == addr, (text, addr)
    return text


def ipv4_prefixes() -> st.SearchStrategy[str]:
    return st.integers(0, 32).map(str)


def ipv6_prefixes() -> st.SearchStrategy[str]:
    return st.integers(0, 128).map(str)


def mtus() -> st.SearchStrategy[str]:
    return st.integers(68, 65535).map(str)


def vlan_tags() -> st.SearchStrategy[int]:
    return st.integers(0, 4095)


def uints() -> st.SearchStrategy[str]:
    """Unsigned integers as the grammar allows them (at most nine digits)."""
    return st.integers(0, 999_999_999).map(str)


def delays() -> st.SearchStrategy[str]:
    """Bridge forward delays: plain decimals, no leading or trailing zeros."""
    return st.from_regex(r"(0|[1-9][0-9]{0,5})(\.[0-9]{0,5}[1-9])?", fullmatch=True)


def _case(text: str, upper: bool) -> str:
    return text.upper() if upper else text


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------

class _Names:
    """Hands out interface names that are distinct within one document."""

    def __init__(self, draw: st.DrawFn) -> None:
        self._draw = draw
        self._used: set[str] = set()

    def new(self, max_size: int = MAX_NAME_LEN) -> str:
        name = self._draw(iface_names(max_size).filter(lambda n: n not in self._used))
        self._used.add(name)
        return name


def _el(element: str, **attrs: str | None) -> etree._Element:
    """A new element; attributes whose value is ``None`` are left out."""
    el = etree.Element(element)
    for key, value in attrs.items():
        if value is not None:
            el.set(key, value)
    return el


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy) -> object:
    """Draw from *strategy* or return ``None``; shrinks towards ``None``."""
    return draw(st.none() | strategy)


# An item of a stream: one element, or a tuple of elements that stay adjacent.
_Item = Union[etree._Element, tuple]


def _append(draw: st.DrawFn, parent: etree._Element, streams: list[list[_Item]],
            shuffle: bool) -> etree._Element:
    """Append the items of *streams* to *parent*.

    Each stream keeps its own order; with *shuffle*, the streams are merged
    in a drawn order (shrinking towards plain concatenation).
    """
    pending = [list(s) for s in streams if s]
    while pending:
        i = draw(st.integers(0, len(pending) - 1)) if shuffle else 0
        item = pending[i].pop(0)
        for el in item if isinstance(item, tuple) else (item,):
            parent.append(el)
        if not pending[i]:
            del pending[i]
    return parent


def _link(draw: st.DrawFn) -> list[etree._Element]:
    if not draw(st.booleans()):
        return []
    return [_el("link", speed=_maybe(draw, uints()), state=_maybe(draw, st.sampled_from(LINK_STATES)))]


def _dhcp(draw: st.DrawFn) -> list[etree._Element]:
    if not draw(st.booleans()):
        return []
    return [_el("dhcp", peerdns=_maybe(draw, st.sampled_from(("yes", "no"))))]


def _protocol(draw: st.DrawFn, family: str, shuffle: bool) -> etree._Element:
    if family == "ipv4":
        addrs, prefixes = ipv4_addrs(), ipv4_prefixes()
    else:
        addrs, prefixes = ipv6_addrs(), ipv6_prefixes()
    proto = _el("protocol", family=family)
    streams = []
    if family == "ipv6" and draw(st.booleans()):
        streams.append([_el("autoconf")])
    streams.append(_dhcp(draw))
    ips = draw(st.lists(st.tuples(addrs, st.none() | prefixes), max_size=4,
                        unique_by=lambda t: ipaddress.ip_address(t[0])))
    streams.append([_el("ip", address=a, prefix=p) for a, p in ips])
    if draw(st.booleans()):
        streams.append([_el("route", gateway=draw(addrs))])
    return _append(draw, proto, streams, shuffle)


def _addressing(draw: st.DrawFn, shuffle: bool) -> list[etree._Element]:
    families = [f for f in ("ipv4", "ipv6") if draw(st.booleans())]
    if len(families) == 2 and draw(st.booleans()):
        families.reverse()
    return [_protocol(draw, f, shuffle) for f in families]


def _streams(draw: st.DrawFn, shuffle: bool, top: bool, mac: str | None = None,
             link: list[etree._Element] | None = None,
             typed: etree._Element | None = None) -> list[list[_Item]]:
    """The children of an ``<interface>`` as streams, in canonical order:
    start, mac, mtu, protocols, link, then the type's own element.

    start, mtu and protocols exist only on top-level interfaces. The two
    protocols are one block, kept adjacent. (RelaxNG would let other
    children come between them, but libxml2's interleave matching, for
    libvirt's grammar as for ours, refuses some such documents, e.g. an
    ethernet with <mac> whose <link> sits between the protocols.)
    """
    start = _maybe(draw, st.sampled_from(START_MODES)) if top else None
    mtu = _maybe(draw, mtus()) if top else None
    return [
        [_el("start", mode=start)] if start else [],
        [_el("mac", address=mac)] if mac else [],
        [_el("mtu", size=mtu)] if mtu else [],
        [tuple(_addressing(draw, shuffle))] if top else [],
        link or [],
        [typed] if typed is not None else [],
    ]


def _ethernet(draw: st.DrawFn, names: _Names, shuffle: bool, top: bool) -> etree._Element:
    iface = _el("interface", type="ethernet", name=names.new())
    streams = _streams(draw, shuffle, top, mac=_maybe(draw, macs()), link=_link(draw))
    return _append(draw, iface, streams, shuffle)


def _vlan(draw: st.DrawFn, names: _Names, shuffle: bool, top: bool) -> etree._Element:
    tag = draw(vlan_tags())
    device = names.new(MAX_NAME_LEN - 1 - len(str(tag)))
    # The name is optional (libvirt derives it); when given it is DEVICE.TAG.
    name = f"{device}.{tag}" if draw(st.booleans()) else None
    iface = _el("interface", type="vlan", name=name)
    vlan = _el("vlan", tag=str(tag))
    vlan.append(_el("interface", name=device))
    streams = _streams(draw, shuffle, top, link=_link(draw), typed=vlan)
    return _append(draw, iface, streams, shuffle)


def _bond(draw: st.DrawFn, names: _Names, shuffle: bool, top: bool) -> etree._Element:
    iface = _el("interface", type="bond", name=names.new())
    bond = _el("bond", mode=_maybe(draw, st.sampled_from(BOND_MODES)))
    monitor = draw(st.sampled_from((None, "miimon", "arpmon")))
    mon: list[etree._Element] = []
    if monitor == "miimon":
        mon = [_el("miimon", freq=draw(uints()), downdelay=_maybe(draw, uints()),
                   updelay=_maybe(draw, uints()),
                   carrier=_maybe(draw, st.sampled_from(("ioctl", "netif"))))]
    elif monitor == "arpmon":
        mon = [_el("arpmon", interval=draw(uints()), target=draw(ipv4_addrs()),
                   validate=_maybe(draw, st.sampled_from(("none", "active", "backup", "all"))))]
    n_slaves = draw(st.integers(1, 4))
    slaves = [_ethernet(draw, names, shuffle, top=False) for _ in range(n_slaves)]
    _append(draw, bond, [mon, slaves], shuffle)
    streams = _streams(draw, shuffle, top, link=_link(draw), typed=bond)
    return _append(draw, iface, streams, shuffle)


_PORT_BUILDERS: dict[str, Callable[..., etree._Element]] = {
    "ethernet": _ethernet, "vlan": _vlan, "bond": _bond,
}


def _bridge(draw: st.DrawFn, names: _Names, shuffle: bool) -> etree._Element:
    iface = _el("interface", type="bridge", name=names.new())
    bridge = _el("bridge", stp=_maybe(draw, st.sampled_from(("on", "off"))), delay=_maybe(draw, delays()))
    kinds = draw(st.lists(st.sampled_from(tuple(_PORT_BUILDERS)), max_size=4))
    for kind in kinds:
        bridge.append(_PORT_BUILDERS[kind](draw, names, shuffle, top=False))
    streams = _streams(draw, shuffle, top=True, typed=bridge)
    return _append(draw, iface, streams, shuffle)


@st.composite
def interface_docs(draw: st.DrawFn, types: tuple[str, ...] = TYPES,
                   shuffle: bool = True) -> etree._Element:
    """A top-level ``<interface>`` of one of *types*.

    With ``shuffle=False`` children come in a fixed order (start, mac, mtu,
    protocols, link, then the bridge / bond / vlan element, as the corpus
    writes them), which is handier for round-trip comparisons.
    """
    kind = draw(st.sampled_from(types))
    names = _Names(draw)
    if kind == "bridge":
        return _bridge(draw, names, shuffle)
    return _PORT_BUILDERS[kind](draw, names, shuffle, top=True)


def to_bytes(el: etree._Element) -> bytes:
    """Serialise a generated document the way a caller would send it."""
    return etree.tostring(el, pretty_print=True, encoding="utf-8", xml_declaration=True)
