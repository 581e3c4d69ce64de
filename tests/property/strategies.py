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
import random
import re
import string
import uuid
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
    "HOST_SPELLINGS",
    "Spelling",
    "host_spellings",
    "respell",
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


# --------------------------------------------------------------------------
# Files in the spellings real hosts have
# --------------------------------------------------------------------------

#: Per backend, the ways real hosts spell the same configuration that
#: augnetcf's own files do not use. Each one keeps what the files mean to
#: the distribution's tools (and so the interface XML they describe).
HOST_SPELLINGS: dict[str, tuple[str, ...]] = {
    # tabs: options indented with tabs, or tabs and spaces mixed; dashes: bridge-ports,
    # bond-slaves, vlan_raw_device... (ifupdown exports both as IF_BRIDGE_PORTS ...);
    # cidr: address A/P instead of address + netmask; port-stanzas: a bridge port's or bond
    # slave's bare `iface eno1 inet manual`; comments: comments and blank lines between and
    # inside stanzas; marks: auto / allow-hotplug lines gathered at the top (several names
    # on a line) (not auto spelled allow-auto: test_regressions.py's allow-auto-kept-by-an-edit
    # is the bug that leaves out); installer-header: what the Debian installer
    # writes first (its comments, `source /etc/network/interfaces.d/*`, the loopback stanza).
    "debian": ("tabs", "dashes", "cidr", "port-stanzas", "comments", "marks", "installer-header"),
    # quotes: values bare, in '...' or "..."; defaults: IPV6INIT=no, BOOTPROTO=none,
    # DHCPV6C=no where the file leaves them out; prefix: PREFIXn=P instead of NETMASKn;
    # anaconda: the keys Anaconda / NetworkManager add (NAME, UUID, PROXY_METHOD, DEFROUTE, ...);
    # type: TYPE=Ethernet / TYPE=Bond; order: the lines in another order.
    "redhat": ("quotes", "defaults", "prefix", "anaconda", "type", "order"),
    # quotes: every value in '...' (as YaST writes); split-prefix: IPADDR_x=A with NETMASK_x
    # or PREFIXLEN_x instead of A/P; defaults: YaST's empty keys (BROADCAST='', MTU='', ...);
    # order: the lines sorted (as YaST writes them) or shuffled, the IPADDR_x lines in the
    # order of their x: wicked takes addresses in file order (and test_regressions.py's
    # suse-address-order-kept-by-an-edit is the bug that otherwise shows).
    "suse": ("quotes", "split-prefix", "defaults", "order"),
    # ipv6-disabled: [ipv6] method=disabled for ignore; blanks: `key = value`;
    # autoconnect: an explicit autoconnect=true; nm-extras: what NetworkManager writes beside
    # (an empty [ethernet], [proxy], addr-gen-mode); gateway-key: gateway=G instead of
    # addressN=A/P,G.
    "nm-keyfile": ("ipv6-disabled", "blanks", "autoconnect", "nm-extras", "gateway-key"),
    # booleans: IPv6AcceptRA=false/0/off (true/1/on) and the like; activation: an explicit
    # ActivationPolicy=up; address-sections: [Address] sections instead of [Network]
    # Address=; blanks: blanks around `=`. (Not [Route] Gateway=: test_regressions.py's
    # networkd-route-section-gateway is the bug that leaves out.)
    "networkd": ("booleans", "activation", "address-sections", "blanks"),
    # booleans: yes/on/True for true (no/off/False); flow: a list of scalars as [a, b];
    # quotes: strings in '...' or "..."; indent4: four spaces a level (as Ubuntu's
    # installer writes); comments: comment lines and comments after values;
    # gateway4: the deprecated gateway4:/gateway6: for the default routes.
    "netplan": ("booleans", "flow", "quotes", "indent4", "comments", "gateway4"),
}


class Spelling:
    """A drawn host spelling: which of the backend's :data:`HOST_SPELLINGS`
    apply, and a seeded random source for the choices inside each."""

    def __init__(self, backend: str, features: tuple[str, ...], seed: int) -> None:
        self.backend, self.features, self.seed = backend, features, seed

    def __repr__(self) -> str:
        return f"Spelling({self.backend!r}, {self.features!r}, seed={self.seed})"

    def __contains__(self, feature: str) -> bool:
        return feature in self.features


@st.composite
def host_spellings(draw: st.DrawFn, backend: str) -> Spelling:
    """A :class:`Spelling` for *backend*; each feature on or off (shrinks to off)."""
    on = draw(st.fixed_dictionaries({f: st.booleans() for f in HOST_SPELLINGS[backend]}))
    features = tuple(f for f in HOST_SPELLINGS[backend] if on[f])
    return Spelling(backend, features, draw(st.integers(0, 2**32 - 1)))


def respell(spelling: Spelling, files: dict[str, bytes]) -> dict[str, bytes]:
    """*files* (relative path -> bytes, as augnetcf wrote them) in *spelling*.
    Files the spelling has nothing to say about come back unchanged."""
    rnd = random.Random(spelling.seed)
    return {
        "debian": _respell_debian, "redhat": _respell_redhat, "suse": _respell_suse,
        "nm-keyfile": _respell_keyfile, "networkd": _respell_networkd, "netplan": _respell_netplan,
    }[spelling.backend](spelling, dict(files), rnd)


def _lines(text: bytes) -> list[str]:
    return text.decode().splitlines()


def _text(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode()


def _insert_somewhere(lines: list[str], new: list[str], rnd: random.Random, start: int = 0) -> None:
    for line in new:
        lines.insert(rnd.randint(start, len(lines)), line)


def _prefix_of(netmask: str) -> int | None:
    try:
        mask = netaddr.IPAddress(netmask)
    except (netaddr.AddrFormatError, ValueError):
        return None
    return mask.netmask_bits() if mask.version == 4 and mask.is_netmask() else None


# -- Debian ----------------------------------------------------------------

_DEBIAN_HEADER = [
    "# This file describes the network interfaces available on your system",
    "# and how to activate them. For more information, see interfaces(5).",
    "",
    "source /etc/network/interfaces.d/*",
    "",
    "# The loopback network interface",
    "auto lo",
    "iface lo inet loopback",
    "",
]
_MARKS = ("auto", "allow-hotplug", "allow-auto")


def _is_mark(line: str) -> bool:
    return line.split()[:1] in [[m] for m in _MARKS]


def _respell_debian(sp: Spelling, files: dict[str, bytes], rnd: random.Random) -> dict[str, bytes]:
    for rel in [r for r in files if r.endswith("etc/network/interfaces")]:
        files[rel] = _text(_debian(sp, _lines(files[rel]), rnd))
    return files


def _debian(sp: Spelling, lines: list[str], rnd: random.Random) -> list[str]:
    # blocks: [mark lines..., iface line, option lines...]; options are the indented lines
    stanzas = [i for i, line in enumerate(lines) if line.startswith("iface ")]
    names = {lines[i].split()[1] for i in stanzas}
    if "port-stanzas" in sp:
        ports = [p for line in lines if line.split()[:1] in (["bridge_ports"], ["bond_slaves"])
                 for p in line.split()[1:] if p != "none" and p not in names]
        ports = list(dict.fromkeys(ports))
        bare = [f"iface {p} inet manual" for p in ports]
        if bare:
            lines = bare + lines if rnd.random() < 0.5 else lines + bare
    if "cidr" in sp:
        out: list[str] = []
        for line in lines:
            word = line.split()
            if line.startswith("iface "):
                out.append(line)
                stanza_at, family = len(out) - 1, word[2]
            elif word[:1] == ["netmask"] and rnd.random() < 0.8:
                address = next((j for j in range(stanza_at + 1, len(out))
                                if out[j].split()[:1] == ["address"]), None)
                prefix = word[1] if family == "inet6" else _prefix_of(word[1])
                if address is None or prefix is None or "/" in out[address]:
                    out.append(line)
                    continue
                out[address] = f"{out[address]}/{prefix}"
            else:
                out.append(line)
        lines = out
    if "dashes" in sp:
        def dash(line: str) -> str:
            body = line.lstrip()
            key, _, rest = body.partition(" ")
            if not key.startswith(("bridge", "bond", "vlan")) or line == body:
                return line
            sep = "-" if rnd.random() < 0.6 else "_"
            return line[: len(line) - len(body)] + key.replace("_", sep).replace("-", sep) + " " + rest
        lines = [dash(line) for line in lines]
    if "marks" in sp:
        top: dict[str, list[str]] = {}
        out = []
        for line in lines:
            word = line.split()
            if _is_mark(line) and rnd.random() < 0.6:
                top.setdefault(word[0], []).extend(word[1:])
                continue
            out.append(line)
        head = []
        for kind, marked in top.items():
            while marked:
                n = rnd.randint(1, len(marked))
                head.append(" ".join([kind, *marked[:n]]))
                marked = marked[n:]
        lines = head + out
    if "comments" in sp:
        out = []
        for i, line in enumerate(lines):
            if i and (line.startswith("iface ") or _is_mark(line)) and not _is_mark(lines[i - 1]):
                out.extend(rnd.choice([[""], ["", "# by hand"], ["# by hand"], []]))
            out.append(line)
        lines = out
        for _ in range(rnd.randint(1, 3)):
            at = rnd.randint(0, len(lines))
            indented = at and lines[at - 1][:1] in (" ", "\t")
            lines.insert(at, rnd.choice(["   ", "\t", ""] if indented else [""]) + "# " + rnd.choice(
                ["kept by hand", "see interfaces(5)", "bridge_ports eth9", "address 192.0.2.1"]))
    if "tabs" in sp:
        lines = [rnd.choice(["\t", "\t", "  \t", "\t  ", "    "]) + line.lstrip(" ")
                 if line.startswith(" ") else line for line in lines]
    if "installer-header" in sp:
        lines = _DEBIAN_HEADER + ["# The primary network interface"] + lines
    return lines


# -- Red Hat and SUSE ------------------------------------------------------

_SHELL_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(?:'([^']*)'|\"([^\"]*)\"|([^\s'\"]*))")


def _shell(lines: list[str]) -> list[tuple[str, str | None, str | None]]:
    """An ifcfg file as (key, unquoted value, the line as written) triples;
    other lines as (line, None, line). A respelled pair has no line."""
    out: list[tuple[str, str | None, str | None]] = []
    for line in lines:
        m = _SHELL_LINE.fullmatch(line)
        value = next(g for g in m.groups()[1:] if g is not None) if m else None
        out.append((m.group(1), value, line) if m else (line, None, line))
    return out


def _shell_text(kv: list[tuple[str, str | None, str | None]], quotes: list[str] | None,
                rnd: random.Random) -> bytes:
    """The lines of *kv*: with *quotes*, each value in one of them;
    otherwise new pairs bare or in double quotes, and the rest as written."""
    def line(k: str, v: str | None, was: str | None) -> str:
        if v is None or (was is not None and not quotes):
            return was or k
        if quotes:
            return f"{k}={_quote(v, quotes, rnd)}"
        return f"{k}={v}" if re.fullmatch(r"[A-Za-z0-9_.:/@%+,=-]*", v) else f'{k}="{v}"'
    return _text([line(*item) for item in kv])


def _quote(value: str, quotes: list[str], rnd: random.Random) -> str:
    plain = re.fullmatch(r"[A-Za-z0-9_.:/@%+,=-]+", value) is not None
    choices = [q for q in quotes if q or plain] or ["'"]
    q = rnd.choice(choices)
    return f"{q}{value}{q}"


def _respell_redhat(sp: Spelling, files: dict[str, bytes], rnd: random.Random) -> dict[str, bytes]:
    ifcfg = sorted(r for r in files if "/ifcfg-" in r)
    parsed = {r: _shell(_lines(files[r])) for r in ifcfg}
    masters = {v for kv in parsed.values() for k, v, _ in kv if k in ("MASTER", "BRIDGE") and v is not None}
    for rel in ifcfg:
        kv = parsed[rel]
        keys = {k: v for k, v, _ in kv if v is not None}
        new: list[tuple[str, str]] = []
        if "prefix" in sp:
            for i, (k, v, _) in enumerate(kv):
                m = re.fullmatch(r"NETMASK([0-9]*)", k)
                if m and v is not None and _prefix_of(v) is not None and rnd.random() < 0.8:
                    kv[i] = (f"PREFIX{m.group(1)}", str(_prefix_of(v)), None)
        if "defaults" in sp:
            if "BOOTPROTO" not in keys:
                new.append(("BOOTPROTO", "none"))
            if "IPV6INIT" not in keys:
                new.append(("IPV6INIT", "no"))
            elif keys["IPV6INIT"] == "yes" and "DHCPV6C" not in keys:
                new.append(("DHCPV6C", "no"))
        if "anaconda" in sp:
            device = keys.get("DEVICE", rel.rsplit("ifcfg-", 1)[1])
            extra = [("NAME", rnd.choice([device, f"System {device}"])),
                     ("UUID", str(uuid.UUID(int=rnd.getrandbits(128), version=4))),
                     ("PROXY_METHOD", "none"), ("BROWSER_ONLY", "no"), ("DEFROUTE", "yes"),
                     ("IPV4_FAILURE_FATAL", "no"), ("IPV6_DEFROUTE", "yes"), ("IPV6_FAILURE_FATAL", "no"),
                     ("IPV6_ADDR_GEN_MODE", "stable-privacy")]
            new.extend(rnd.sample(extra, rnd.randint(1, len(extra))))
        if "type" in sp and "TYPE" not in keys and keys.get("VLAN") != "yes":
            if "BONDING_OPTS" in keys:
                new.append(("TYPE", "Bond"))
            elif keys.get("DEVICE") not in masters:
                new.append(("TYPE", "Ethernet"))
        for k, v in new:
            kv.insert(rnd.randint(0, len(kv)), (k, v, None))
        if "order" in sp:
            rnd.shuffle(kv)
        files[rel] = _shell_text(kv, ["", "'", '"'] if "quotes" in sp else None, rnd)
    return files


def _respell_suse(sp: Spelling, files: dict[str, bytes], rnd: random.Random) -> dict[str, bytes]:
    for rel in sorted(r for r in files if "/ifcfg-" in r):
        kv = _shell(_lines(files[rel]))
        keys = {k: v for k, v, _ in kv if v is not None}
        if "split-prefix" in sp:
            out: list[tuple[str, str | None, str | None]] = []
            for k, v, was in kv:
                m = re.fullmatch(r"IPADDR(_\S*)?", k)
                if m and v and "/" in v and rnd.random() < 0.8:
                    address, prefix = v.split("/")
                    suffix = m.group(1) or ""
                    out.append((k, address, None))
                    if ":" not in address and rnd.random() < 0.5:
                        netmask = str(netaddr.IPNetwork(f"0.0.0.0/{prefix}").netmask)
                        out.append((f"NETMASK{suffix}", netmask, None))
                    else:
                        out.append((f"PREFIXLEN{suffix}", prefix, None))
                else:
                    out.append((k, v, was))
            kv = out
        if "defaults" in sp:
            empty = ["BROADCAST", "ETHTOOL_OPTIONS", "MTU", "NAME", "NETWORK", "REMOTE_IPADDR", "IPADDR"]
            new = [(k, "") for k in empty if k not in keys] + [("USERCONTROL", "no")]
            for k, v in rnd.sample(new, rnd.randint(1, len(new))):
                kv.insert(rnd.randint(0, len(kv)), (k, v, None))
        if "order" in sp:
            addresses = [item for item in kv if re.fullmatch(r"IPADDR(_\S*)?", item[0])]
            if rnd.random() < 0.5:
                kv.sort(key=lambda item: item[0])
            else:
                rnd.shuffle(kv)
            places = iter(addresses)
            kv = [next(places) if re.fullmatch(r"IPADDR(_\S*)?", item[0]) else item for item in kv]
        files[rel] = _shell_text(kv, ["'"] if "quotes" in sp else None, rnd)
    return files


# -- Key files and unit files ----------------------------------------------

def _sections(lines: list[str]) -> list[list[str]]:
    """Lines grouped by section: each group starts with its [header] (the
    first may be headerless)."""
    out: list[list[str]] = [[]]
    for line in lines:
        if line.startswith("["):
            out.append([])
        out[-1].append(line)
    return [s for s in out if s]


def _header(section: list[str]) -> str:
    return section[0] if section[0].startswith("[") else ""


def _blanks(lines: list[str], rnd: random.Random) -> list[str]:
    out = []
    for line in lines:
        key, eq, value = line.partition("=")
        if eq and not line.startswith(("[", "#")):
            line = key + rnd.choice(["", " ", "  "]) + "=" + rnd.choice(["", " ", "\t"]) + value
        out.append(line)
    return out


def _respell_keyfile(sp: Spelling, files: dict[str, bytes], rnd: random.Random) -> dict[str, bytes]:
    for rel in sorted(r for r in files if r.endswith(".nmconnection")):
        sections = _sections(_lines(files[rel]))
        heads = [_header(s) for s in sections]
        for s in sections:
            head = _header(s)
            if "ipv6-disabled" in sp and head == "[ipv6]":
                s[:] = ["method=disabled" if line == "method=ignore" else line for line in s]
            if "autoconnect" in sp and head == "[connection]" and not any(
                    line.startswith("autoconnect=") for line in s):
                s.insert(rnd.randint(1, len(s)), "autoconnect=true")
            if "gateway-key" in sp and head in ("[ipv4]", "[ipv6]"):
                for i, line in enumerate(s):
                    m = re.fullmatch(r"(address[0-9]*=[^,]+),(\S+)", line)
                    if m:
                        s[i] = m.group(1)
                        s.append(f"gateway={m.group(2)}")
            if "nm-extras" in sp and head == "[ipv6]":
                s.insert(rnd.randint(1, len(s)), "addr-gen-mode=stable-privacy")
        if "nm-extras" in sp:
            if "[ethernet]" not in heads and "type=ethernet" in sections[0]:
                sections.insert(1, ["[ethernet]"])
            sections.append(["[proxy]"])
        lines = [line for s in sections for line in s]
        files[rel] = _text(_blanks(lines, rnd) if "blanks" in sp else lines)
    return files


_NETWORKD_BOOLEANS = ("IPv6AcceptRA", "STP", "PrimarySlave", "UseDNS")
_SPELL_BOOL = {"yes": ("yes", "true", "1", "on"), "no": ("no", "false", "0", "off")}


def _respell_networkd(sp: Spelling, files: dict[str, bytes], rnd: random.Random) -> dict[str, bytes]:
    for rel in sorted(r for r in files if r.endswith((".network", ".netdev"))):
        sections = _sections(_lines(files[rel]))
        moved: list[list[str]] = []
        for s in sections:
            head = _header(s)
            if "booleans" in sp:
                for i, line in enumerate(s):
                    key, eq, value = line.partition("=")
                    if eq and key in _NETWORKD_BOOLEANS and value in _SPELL_BOOL:
                        s[i] = f"{key}={rnd.choice(_SPELL_BOOL[value])}"
            if head == "[Network]" and "address-sections" in sp:
                addresses = [line for line in s if line.startswith("Address=")]
                keep = rnd.randint(0, max(0, len(addresses) - 1))
                for line in addresses[keep:]:
                    s.remove(line)
                    moved.append(["[Address]", line])
        if "activation" in sp and rel.endswith(".network") and not any(
                line.startswith("ActivationPolicy=") for s in sections for line in s):
            link = next((s for s in sections if _header(s) == "[Link]"), None)
            if link is None:
                link = ["[Link]"]
                sections.insert(1, link)
            link.insert(rnd.randint(1, len(link)), "ActivationPolicy=up")
        lines = [line for s in sections + moved for line in s]
        files[rel] = _text(_blanks(lines, rnd) if "blanks" in sp else lines)
    return files


_YAML_BOOL = {"true": ("yes", "on", "True", "true"), "false": ("no", "off", "False", "false")}
_YAML_KEY = re.compile(r"^(\s*(?:- )?)([\w-]+): (.+)$")
_YAML_ITEM = re.compile(r"^(\s*)- ([^\s#\[{][^#]*)$")


def _width(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _gateway4(lines: list[str]) -> list[str]:
    """Each ``routes:`` that holds only default routes, one per family, as
    ``gateway4:``/``gateway6:`` lines."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "routes:":
            j, items = i + 1, []
            while j < len(lines) and _width(lines[j]) > _width(line):
                items.append(lines[j].strip())
                j += 1
            pairs = [(items[k], items[k + 1]) for k in range(0, len(items) - 1, 2)]
            if len(items) % 2 == 0 and all(a == "- to: default" and b.startswith("via: ") for a, b in pairs):
                vias = [b[5:] for _a, b in pairs]
                families = ["6" if ":" in v else "4" for v in vias]
                if len(set(families)) == len(families):
                    out += [" " * _width(line) + f"gateway{f}: {v}" for f, v in zip(families, vias)]
                    i = j
                    continue
        out.append(line)
        i += 1
    return out


def _flow(lines: list[str], rnd: random.Random) -> list[str]:
    """Block lists of plain scalars as flow lists."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        j, items = i + 1, []
        while line.rstrip().endswith(":") and j < len(lines) and _YAML_ITEM.match(lines[j]) \
                and ": " not in lines[j] and _width(lines[j]) > _width(line):
            items.append(_YAML_ITEM.match(lines[j]).group(2).strip())
            j += 1
        if items and rnd.random() < 0.7:
            sep = rnd.choice([", ", ",  "])
            out.append(f"{line.rstrip()} {rnd.choice(['[{}]', '[ {} ]']).format(sep.join(items))}")
            i = j
            continue
        out.append(line)
        i += 1
    return out


def _requote_yaml(line: str, rnd: random.Random) -> str:
    m = _YAML_KEY.match(line)
    if m and not re.fullmatch(r"[0-9.]+|true|false|yes|no|on|off|True|False|\[.*\]|\{.*\}|'.*'|\".*\"",
                              m.group(3)):
        q = rnd.choice(["'", '"', ""])
        return f"{m.group(1)}{m.group(2)}: {q}{m.group(3)}{q}"
    m = _YAML_ITEM.match(line)
    if m and ": " not in m.group(2) and not re.fullmatch(r"[0-9.]+|'.*'|\".*\"", m.group(2)):
        q = rnd.choice(["'", '"', ""])
        return f"{m.group(1)}- {q}{m.group(2)}{q}"
    return line


def _indent4(lines: list[str]) -> list[str]:
    """Twice the indentation a level; the keys of a sequence item stay two
    columns right of its dash, where YAML needs them."""
    columns: dict[int, int] = {0: 0}
    out = []
    for line in lines:
        w = _width(line)
        new = columns[w] if w in columns else 2 * w
        for c in [c for c in columns if c > w]:
            del columns[c]  # a deeper item's columns end where a shallower line starts
        columns[w] = new
        if line.lstrip(" ").startswith("- "):
            columns[w + 2] = new + 2
        out.append(" " * new + line.lstrip(" ") if line.strip() else line)
    return out


def _respell_netplan(sp: Spelling, files: dict[str, bytes], rnd: random.Random) -> dict[str, bytes]:
    for rel in sorted(r for r in files if r.endswith(".yaml")):
        lines = _lines(files[rel])
        if "gateway4" in sp:
            lines = _gateway4(lines)
        if "booleans" in sp:
            for i, line in enumerate(lines):
                m = _YAML_KEY.match(line)
                if m and m.group(3) in _YAML_BOOL:
                    lines[i] = f"{m.group(1)}{m.group(2)}: {rnd.choice(_YAML_BOOL[m.group(3)])}"
        if "quotes" in sp:
            lines = [_requote_yaml(line, rnd) for line in lines]
        if "flow" in sp:
            lines = _flow(lines, rnd)
        if "indent4" in sp:
            lines = _indent4(lines)
        if "comments" in sp:
            for i, line in enumerate(lines):
                if _YAML_KEY.match(line) and rnd.random() < 0.3:
                    lines[i] = line + "  # by hand"
            _insert_somewhere(lines, ["# kept by hand", "", "    # indented, by hand"], rnd)
        files[rel] = _text(lines)
    return files
