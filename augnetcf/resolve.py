"""Rules that decide across files, on what each file says.

The engine reads files two ways: all at once into one forest (a backend
without the index, :func:`from_forest`), or one at a time into the index,
whose facts it joins at snapshot time (:func:`from_index`). A rule that
needs several files (which unit wins a name, who is whose master through an
alias, which drop-ins amend which unit, which file shadows a new one, where
a mark without a name belongs) must give the same answer both ways, so it
lives here, as a function of plain facts that both ways (and the
stylesheets, through an extension function) can hand it. The result is a
:class:`Snapshot`: which units, marks and drop-ins are each interface's.

It imports neither lxml, libaugeas nor (until an address is asked about)
netaddr: listing from a warm index goes through :func:`from_index` and must
stay light.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ._lazy import lazy
from .index import alias_keys, gc_paused
from .index import xpath as _xpath
from .macs import normalize_mac

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lxml import etree

    from .backends import Backend
    from .index import Entry

netaddr = lazy("netaddr", globals())  # only for a mark without a name (address_owner)

#: Backend XPath expressions may call the stylesheets' extension functions.
XPATH_NS = {"ancf": "urn:augnetcf:xslt"}  # xslt.NS

_GLOB_MAGIC = re.compile(r"[*?\[]")


@dataclass
class Snapshot:
    """What the configuration says right now, indexed for the engine."""

    #: every file read (None when the snapshot comes from the index)
    forest: etree._Element | None = None
    #: name -> its units (the first one is its main description). From the
    #: index: elements for the names the snapshot was taken for, and
    #: ("unit", file, n) references for the others
    units: dict[str, list] = field(default_factory=dict)
    #: name -> its marks, likewise
    marks: dict[str, list] = field(default_factory=dict)
    #: name -> name of its bridge/bond ("" or absent when top-level)
    masters: dict[str, str] = field(default_factory=dict)
    #: name -> MAC (the kernel's if it has the interface, else the configured one)
    macs: dict[str, str] = field(default_factory=dict)
    #: name -> files that amend its units (drop-ins), in the order they apply
    extras: dict[str, list[etree._Element]] = field(default_factory=dict)
    #: name -> the element its new marks go into (see ``Backend.mark_homes``)
    homes: dict[str, list[etree._Element]] = field(default_factory=dict)
    #: (Augeas path, name patterns) of every file that applies only to the
    #: names its patterns take (``Backend.matches``), in file order
    matches: list[tuple[str, list[str]]] = field(default_factory=list)
    #: the kernel's MACs (``sys/class/net``) the snapshot was resolved with
    kernel: dict[str, str] = field(default_factory=dict)

    def names(self, name: str) -> list[str]:
        """*name*, then every port and slave below it, breadth-first."""
        names = [name]
        for n in names:  # grows while we walk it
            names.extend(sorted(c for c, m in self.masters.items() if m == n and c not in names))
        return names

    def tables(self) -> tuple[dict[str, list], ...]:
        """The tables that hold units and marks, or references to them."""
        return self.units, self.marks, self.extras, self.homes

    def owned(self, name: str, extras: bool = True) -> list[etree._Element]:
        """Units and marks of *name* and of its ports and slaves, *name*'s first;
        with *extras*, each interface's drop-ins after its units."""
        if name not in self.units:
            return []
        return [el for n in self.names(name)
                for el in self.units.get(n, []) + (self.extras.get(n, []) if extras else [])
                + self.marks.get(n, [])]

    def top_level(self) -> list[str]:
        return sorted(n for n in self.units if not self.masters.get(n))


# -- the two ways of reading ----------------------------------------------------------------------
def from_forest(forest_: etree._Element, backend: Backend, kernel: dict[str, str]) -> Snapshot:
    """The snapshot of *forest_*, every file of the backend read at once;
    *kernel*: the kernel's MACs by interface name (``sys/class/net``)."""
    b = backend
    snap = Snapshot(forest=forest_)
    kernel_names = {mac: name for name, mac in kernel.items()}
    candidates: dict[tuple[str, str], list[tuple[int, etree._Element]]] = {}
    configured: dict[str, str] = {}
    for unit in snap.forest.xpath(b.unit):
        mac = normalize_mac(_xpath(unit, b.unit_mac)) or ""
        name = _xpath(unit, b.unit_name) or kernel_names.get(mac, "")
        path = unit.get("path", "")
        from_path = b.name_from_path.search(path) if b.name_from_path else None
        file_name = from_path.group(1) if from_path else ""
        name = name or file_name
        if not name:
            continue
        score = claim(name, mac, file_name, kernel)
        candidates.setdefault((name, _xpath(unit, b.unit_key)), []).append((score, unit))
        configured.setdefault(name, mac) if mac else None
    keep_winners(candidates, snap, b.merged)
    named = snap.forest.xpath(b.aliased, namespaces=XPATH_NS) if b.aliased else []
    aliases = alias_table((el, str(_xpath(el, b.aliased_name)), alias_keys(el, b)) for el in named)
    for name, units in snap.units.items():
        for unit in units:
            relate(snap, b, name, master_of(_xpath(unit, b.unit_master), unit, aliases),
                   str(_xpath(unit, b.unit_ports)))
        snap.macs[name] = kernel.get(name) or configured.get(name, "")
    if b.mark:
        nets = [(name, str(_xpath(unit, b.unit_nets)).split())
                for name, units in snap.units.items() for unit in units] if b.unit_nets else []
        for mark in snap.forest.xpath(b.mark):
            name = _xpath(mark, b.mark_name)
            addr = "" if name or not b.mark_addr else str(_xpath(mark, b.mark_addr))
            snap.marks.setdefault(mark_owner(name, addr, nets), []).append(mark)
    _forest_extras(snap, b)
    return snap


def _forest_extras(snap: Snapshot, b: Backend) -> None:
    """Drop-ins, by the interface whose unit they amend; where new marks
    may go; which files apply only to names their patterns take."""
    if b.dropin:
        by_path = {u.get("path"): name for name, units in snap.units.items() for u in units}
        assign_extras(snap, by_path, ((el, _xpath(el, b.dropin_of)) for el in snap.forest.xpath(b.dropin)))
    if b.mark_homes:
        assign_homes(snap, ((el, _xpath(el, b.unit_name)) for el in snap.forest.xpath(b.mark_homes)))
    if b.matches:
        trees = ((t.get("path"), [str(v) for v in _xpath(t, b.matches)])
                 for t in snap.forest.iterchildren("tree"))
        snap.matches = [(path, patterns) for path, patterns in trees if patterns]


def from_index(entries: Sequence[Entry], backend: Backend, kernel: dict[str, str]) -> Snapshot:
    """Which unit is which interface's, from the index's *entries* (no tree
    read): :func:`from_forest`'s rules on the facts the index keeps per
    unit. Units, marks, drop-ins and homes are references into *entries*
    (``("unit", file, n)``...), which ``Config._materialize`` replaces by
    elements for the interfaces a command is about."""
    snap = Snapshot()
    snap.kernel = kernel
    kernel_names = {mac: name for name, mac in kernel.items()}
    candidates: dict[tuple[str, str], list[tuple[int, tuple]]] = {}
    configured: dict[str, str] = {}
    relatives: dict[tuple, tuple[str, str]] = {}
    aliases = alias_table(((fi, ai), name, keys) for fi, entry in enumerate(entries)
                          for ai, (name, keys) in enumerate(entry.aliases)) if backend.aliased else {}
    # (4,000 files in every command: the loops below avoid calls and
    # allocations a unit does not need; the rules are the functions named)
    for fi, entry in enumerate(entries):
        for ui, (raw, key, mac, master, ports, from_path, me) in enumerate(entry.units):
            name = raw or (mac and kernel_names.get(mac, "")) or from_path
            if not name:
                continue
            ref = ("unit", fi, ui)
            claimed = (claim(name, mac, from_path, kernel), ref)
            have = candidates.get((name, key))
            if have is None:
                candidates[(name, key)] = [claimed]
            else:
                have.append(claimed)
            if master or ports:
                relatives[ref] = (master_of(master, (fi, me), aliases) if master else "", ports)
            if mac and name not in configured:
                configured[name] = mac
    keep_winners(candidates, snap, backend.merged)
    for name, refs in snap.units.items():
        for ref in refs:
            related = relatives.get(ref)
            if related is not None:
                relate(snap, backend, name, *related)
        snap.macs[name] = kernel.get(name) or configured.get(name, "")
    nets = [(name, entries[ref[1]].nets[ref[2]]) for name, refs in snap.units.items()
            for ref in refs] if backend.unit_nets else []
    for fi, entry in enumerate(entries) if backend.mark else ():
        for mi, (name, _key) in enumerate(entry.marks):
            owner = mark_owner(name, entry.mark_addrs[mi], nets)
            snap.marks.setdefault(owner, []).append(("mark", fi, mi))
    b = backend
    if b.dropin:
        # a unit amended by drop-ins is a whole file: its path is its file's
        by_path = {entries[ref[1]].aug_path: name for name, refs in snap.units.items() for ref in refs}
        assign_extras(snap, by_path, ((("extra", fi), e.dropin_of)
                                      for fi, e in enumerate(entries) if e.dropin_of))
    if b.mark_homes:
        assign_homes(snap, ((("home", fi, hi), name) for fi, e in enumerate(entries)
                            for hi, name in enumerate(e.homes)))
    if b.matches:
        snap.matches = [(e.aug_path, e.matches) for e in entries if e.matches]
    return snap


def to_kept(snap: Snapshot) -> dict[str, object]:
    """The tables of a snapshot :func:`from_index` made (references, not
    elements), as plain data for the index's resolved file
    (:meth:`augnetcf.index.Index.record_resolved`); :func:`from_kept` undoes it."""
    return {"units": snap.units, "marks": snap.marks, "extras": snap.extras, "homes": snap.homes,
            "masters": snap.masters, "macs": snap.macs, "matches": snap.matches}


def from_kept(kept: tuple) -> Snapshot:
    """The snapshot the index's resolved file holds (``Index.resolved``)."""
    kernel, refs, masters, macs, matches = kept
    return Snapshot(units=refs["units"], marks=refs["marks"], extras=refs["extras"], homes=refs["homes"],
                    masters=masters, macs=macs, matches=matches, kernel=kernel)


# -- the rules, on plain facts ---------------------------------------------------------------------
class Kept:
    """The last resolution, for a :class:`~augnetcf.config.Config` that is
    asked many times: the same entries (as objects: the index makes a new
    entry for a changed file) and the same kernel MACs resolve the same way,
    so :func:`from_index` runs again only when one of them changed."""

    def __init__(self) -> None:
        self._last: tuple[Sequence[Entry], dict[str, str], Snapshot] | None = None
        #: Whether the last :meth:`snapshot` ran :func:`from_index` (rather
        #: than copying the last one, or one :meth:`seed` gave).
        self.fresh = False

    def seed(self, entries: Sequence[Entry], kernel: dict[str, str], snap: Snapshot) -> None:
        """Take *snap* as what :func:`from_index` gives for *entries* and
        *kernel* (the index's resolved file said so, see
        :attr:`augnetcf.index.Index.resolved`)."""
        self._last = (entries, kernel, snap)

    @property
    def last(self) -> Snapshot | None:
        """The last resolution, its references unreplaced."""
        return self._last[2] if self._last is not None else None

    def snapshot(self, entries: Sequence[Entry], backend: Backend, kernel: dict[str, str]) -> Snapshot:
        """:func:`from_index` of *entries*, or a copy of the last one when it
        was of the same entries and kernel (a copy: the caller fills its
        tables in)."""
        last = self._last
        self.fresh = False
        if last is None or last[1] != kernel or not (
                last[0] is entries or (type(last[0]) is list and type(entries) is list
                                       and len(last[0]) == len(entries)
                                       and all(a is b for a, b in zip(last[0], entries)))):
            with gc_paused():
                last = self._last = (entries, kernel, from_index(entries, backend, kernel))
            self.fresh = True
        snap = last[2]
        return dataclasses.replace(snap, units=dict(snap.units), marks=dict(snap.marks),
                                   masters=dict(snap.masters), macs=dict(snap.macs),
                                   extras=dict(snap.extras), homes=dict(snap.homes),
                                   matches=list(snap.matches), kernel=dict(snap.kernel))


def claim(name: str, mac: str, file_name: str | None, kernel: dict[str, str]) -> int:
    """How strongly a unit claims *name* when several do (a stale copy, a
    decoy): the one whose MAC is the NIC's wins, then one without a MAC, then
    the one whose file is named after the interface, then the first."""
    score = 4 if mac and kernel.get(name) == mac else (2 if not mac else 0)
    return score + (1 if file_name == name else 0)


def keep_winners(candidates: dict[tuple[str, str], list[tuple[int, Any]]], snap: Snapshot,
                 merged: bool = False) -> None:
    """Give each (name, unit key) its strongest claim (see :func:`claim`);
    with *merged* (``Backend.merged``), every claim, in file order."""
    for (name, _key), claims in candidates.items():
        if merged:  # netplan merges every definition of a name: all of them count
            snap.units.setdefault(name, []).extend(c[1] for c in claims)
            continue
        best = claims[0][1] if len(claims) == 1 else max(claims, key=lambda c: c[0])[1]  # the first of equals
        have = snap.units.get(name)
        if have is None:
            snap.units[name] = [best]
        else:
            have.append(best)


def mark_owner(name: str, addr: str, nets: list[tuple[str, list[str]]]) -> str:
    """The interface a mark belongs to: the one it names, else (a mark
    without a name, ``Backend.mark_addr``) the single interface whose
    nets hold its address (:func:`address_owner`), else
    none (""). *nets*: (interface name, ``A/P`` nets) of the units that
    won their names. One rule for the full load and the index, applied on
    every snapshot, so an address changed in one file re-homes a mark
    kept in another file that did not change."""
    return name or (address_owner(addr, nets) if addr else "")


def relate(snap: Snapshot, backend: Backend, name: str, master: str, ports: str) -> None:
    """Record that *name* is a port of *master* (if any) and the master of
    each of *ports* that is not a keyword of the backend (ifupdown's
    ``bridge_ports none``). One rule for the full load and the index."""
    if master:
        snap.masters.setdefault(name, master)
    for port in ports.split():
        if port not in backend.port_keywords:
            snap.masters.setdefault(port, name)


def alias_table(named: Iterable[tuple[object, str, list[str]]]) -> dict[str, list[tuple[object, str]]]:
    """alias -> [(element, its interface name)] in file order, from
    (element, interface name, aliases) triples (``Backend.aliased``). An
    element is a forest element on a full load, (file, place) from the index."""
    table: dict[str, list[tuple[object, str]]] = {}
    for who, name, keys in named:
        for key in keys:
            table.setdefault(key, []).append((who, name))
    return table


def master_of(ref: str, me: object, aliases: dict[str, list[tuple[object, str]]]) -> str:
    """The interface name of the master that unit *me* names *ref*: that
    of the first element in file order, other than *me*, that has *ref*
    among its aliases and an interface name; else *ref* itself (a master
    named by its interface name). ``ancf:nm-master``'s rule, on what each
    file says, so the full load and the index resolve alike."""
    for who, name in aliases.get(ref, ()) if ref else ():
        if who != me and name:
            return name
    return ref


def assign_extras(snap: Snapshot, by_path: dict[str, str], dropins: Iterable[tuple[object, str]]) -> None:
    """Give each drop-in, from (drop-in, Augeas path of the file it amends)
    pairs in file order, to the interface whose unit is that file (the
    unit that won the name; *by_path*: unit path -> name). One rule for
    the full load and the index, where a drop-in is a reference."""
    for who, of in dropins:
        name = by_path.get(of)
        if name:
            snap.extras.setdefault(name, []).append(who)


def assign_homes(snap: Snapshot, homes: Iterable[tuple[object, str]]) -> None:
    """Record, from (element, interface name) pairs in file order, where
    each interface's new marks may go (``Backend.mark_homes``)."""
    for who, name in homes:
        if name:
            snap.homes.setdefault(name, []).append(who)


def shadowed_by(matches: list[tuple[str, list[str]]], name: str, path: str) -> str | None:
    """The first file of new file *path*'s kind read before it whose name
    patterns take *name* (``Backend.matches``: only the first such file
    applies), or None. On what each file says, for both ways of reading."""
    def takes(pattern: str) -> bool:  # a literal name (most are) costs no compiled pattern
        return fnmatch.fnmatchcase(name, pattern) if _GLOB_MAGIC.search(pattern) else name == pattern

    base, kind = os.path.basename(path), os.path.splitext(path)[1]
    for other, patterns in matches:
        if os.path.splitext(other)[1] != kind or os.path.basename(other) >= base:
            continue
        if any(takes(p) for p in patterns if not p.startswith("!")) and \
                not any(takes(p[1:]) for p in patterns if p.startswith("!")):
            return other
    return None


def address_owner(address: str, nets: Iterable[tuple[str, Iterable[str]]]) -> str:
    """The interface a mark without a name belongs to, by *address* (SUSE's
    ``default GW - -`` route: YaST leaves the interface out, wicked puts the
    route on the interface whose subnet holds the gateway).

    *nets* gives, per interface name, its addresses as ``A/P`` strings (an
    interface may appear more than once). The answer is the single name one
    of whose nets contains *address*; ``""`` when none does, when several
    do (guessing would move a gateway between interfaces on the next
    define), or when *address* is not an address. Nets that do not parse are
    skipped, as wicked skips them.
    """
    try:
        ip = netaddr.IPAddress(address, flags=netaddr.INET_PTON)  # "10.1" is no address on any netaddr
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return ""
    owners: set[str] = set()
    for name, values in nets:
        if not name or name in owners:
            continue
        for value in values:
            try:
                if ip in netaddr.IPNetwork(value):
                    owners.add(name)
                    break
            except (netaddr.AddrFormatError, ValueError, TypeError):
                continue
    return owners.pop() if len(owners) == 1 else ""
