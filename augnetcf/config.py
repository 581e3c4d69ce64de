"""The engine: list, look up, define and undefine interfaces under a root.

Every backend goes through the same steps; only the data in
:mod:`augnetcf.backends` differs.

Define:  parse -> validate -> to_forest -> forest.write (smallest change) -> save
Dumpxml: forest.read (all files) -> pick the interface's units -> from_forest
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field

from lxml import etree

from . import backends, forest, schema, xslt
from .aug import AugeasSession
from .errors import FileError, InternalError, InvalidOperation, NotFound, XMLInvalid
from .xslt import normalize_mac


def sysfs_macs(root: str) -> dict[str, str]:
    """Interface name -> MAC from ``<root>/sys/class/net/*/address``."""
    base = os.path.join(root, "sys/class/net")
    macs: dict[str, str] = {}
    try:
        entries = sorted(os.listdir(base))
    except OSError:
        return macs
    for name in entries:
        try:
            with open(os.path.join(base, name, "address"), encoding="ascii", errors="replace") as f:
                mac = normalize_mac(f.read(64))
        except OSError:
            continue
        if mac:
            macs[name] = mac
    return macs


@dataclass
class _Snapshot:
    """What the configuration says right now, indexed for the engine."""

    forest: etree._Element
    #: name -> the unit (forest element) that describes it
    units: dict[str, etree._Element] = field(default_factory=dict)
    #: name -> name of its bridge/bond, or ""
    masters: dict[str, str] = field(default_factory=dict)
    #: name -> MAC from its configuration, or ""
    macs: dict[str, str] = field(default_factory=dict)

    def owned(self, name: str) -> list[etree._Element]:
        """The unit of *name* first, then every port and slave below it."""
        if name not in self.units:
            return []
        names = [name]
        for n in names:  # grows while we walk it: breadth-first
            names.extend(sorted(c for c, m in self.masters.items() if m == n and c not in names))
        return [self.units[n] for n in names]


class Interface:
    """A defined interface. Cheap to hold: every call reads the files afresh."""

    def __init__(self, config: Config, name: str, mac: str | None = None):
        self._config = config
        self.name = name
        self._mac = mac

    @property
    def mac(self) -> str | None:
        """Its MAC: from its configuration, else from ``sys/class/net``."""
        return self._mac

    def xml_desc(self) -> str:
        """The interface XML describing this interface's configuration."""
        return self._config.xml_desc(self.name)

    def undefine(self) -> None:
        """Remove this interface's configuration (and its ports' and slaves')."""
        self._config.undefine(self.name)

    def __repr__(self) -> str:
        return f"<Interface {self.name}{' ' + self._mac if self._mac else ''}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Interface) and other.name == self.name and other._config is self._config

    def __hash__(self) -> int:
        return hash(self.name)


class Config:
    """The network configuration under *root*, read and written through *backend*.

    Use it as a context manager, or call :meth:`close`::

        with augnetcf.Config("/", "redhat") as cfg:
            print(cfg.list_interfaces())
    """

    def __init__(self, root: str = "/", backend: str = "redhat"):
        self.backend = backends.get(backend)
        self._session: AugeasSession | None = AugeasSession(root, self.backend.transforms)
        self.root = self._session.root

    # -- plumbing ---------------------------------------------------------------
    @property
    def session(self) -> AugeasSession:
        if self._session is None:
            raise InvalidOperation("the configuration has been closed")
        return self._session

    def close(self) -> None:
        """Release libaugeas; the object is unusable afterwards."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> Config:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _snapshot(self) -> _Snapshot:
        session = self.session
        session.load()
        b = self.backend
        snap = _Snapshot(forest=forest.read(session.aug, sorted(session.files())))
        kernel = sysfs_macs(self.root)
        kernel_names = {mac: name for name, mac in kernel.items()}
        candidates: dict[str, list[tuple[int, etree._Element, str]]] = {}
        for unit in snap.forest.xpath(b.unit):
            mac = normalize_mac(unit.xpath(b.unit_mac)) or ""
            name = unit.xpath(b.unit_name) or kernel_names.get(mac, "")
            path = unit.get("path", "")
            if not name:
                m = b.name_from_path.search(path)
                name = m.group(1) if m else ""
            if not name:
                continue
            # Several files may claim one name (a stale copy, a decoy). The
            # one whose HWADDR is the NIC's address wins, then one without a
            # HWADDR, then the one whose file is named after the interface.
            score = 4 if mac and kernel.get(name) == mac else (2 if not mac else 0)
            m = b.name_from_path.search(path)
            score += 1 if m and m.group(1) == name else 0
            candidates.setdefault(name, []).append((score, unit, mac))
        for name, cands in candidates.items():
            best = max(cands, key=lambda c: c[0])  # max keeps the first of equals
            _score, unit, mac = best
            snap.units[name] = unit
            snap.masters[name] = unit.xpath(b.unit_master)
            snap.macs[name] = mac or kernel.get(name, "")
        return snap

    def _remove(self, units: list[etree._Element]) -> list[str]:
        """Drop *units* from Augeas; return the files that must go with them.

        A unit that is a whole file is deleted by :meth:`AugeasSession.save`
        only once everything else is written, so a failure deletes nothing.
        """
        files = []
        for unit in units:
            if unit.tag == "tree":
                files.append(unit.get("path"))
            else:
                self.session.aug.remove(unit.get("path"))
        return files

    def _interface(self, snap: _Snapshot, name: str) -> Interface:
        return Interface(self, name, snap.macs.get(name) or None)

    # -- queries ----------------------------------------------------------------
    def list_interfaces(self) -> list[str]:
        """Names of the top-level interfaces: not a bridge port or bond slave."""
        snap = self._snapshot()
        return sorted(n for n in snap.units if not snap.masters.get(n))

    def interfaces(self) -> list[Interface]:
        """The top-level interfaces as :class:`Interface` objects."""
        snap = self._snapshot()
        return [self._interface(snap, n) for n in sorted(snap.units) if not snap.masters.get(n)]

    def lookup_by_name(self, name: str) -> Interface:
        """The interface called *name* (top-level or not); :class:`NotFound` if none."""
        snap = self._snapshot()
        if name not in snap.units:
            raise NotFound(f"no interface named {name!r} is defined", file=self.root)
        return self._interface(snap, name)

    def lookup_by_mac(self, mac: str) -> list[Interface]:
        """Every top-level interface whose MAC is *mac* (case does not matter)."""
        want = normalize_mac(mac)
        if want is None:
            raise NotFound(f"{mac!r} is not a MAC address")
        snap = self._snapshot()
        return [self._interface(snap, n) for n in sorted(snap.units)
                if snap.macs.get(n) == want and not snap.masters.get(n)]

    def xml_desc(self, name: str) -> str:
        """Interface XML for *name*, read from its files and its ports' files."""
        snap = self._snapshot()
        units = snap.owned(name)
        if not units:
            raise NotFound(f"no interface named {name!r} is defined", file=self.root)
        doc = xslt.from_forest(_subforest(units), self.backend, name)
        try:
            # What we print, we must accept: a hand-edited file may say things
            # (MTU=jumbo, PREFIX=33) that no interface description can.
            schema.validate(etree.ElementTree(doc), name)
        except XMLInvalid as e:
            files = sorted({self.session.fs_path(u.get("path")) for u in units})
            raise FileError(f"cannot be described as interface XML: {e.message}",
                            file=", ".join(files)) from None
        return etree.tostring(doc, pretty_print=True, encoding="unicode")

    # -- changes ----------------------------------------------------------------
    def define(self, xml: str | bytes, source: str = "<string>") -> Interface:
        """Define (or redefine) an interface from its XML description.

        A redefinition replaces the interface's configuration, but edits its
        files in place: keys augnetcf does not own, comments and ordering
        stay. Files of former ports that the new description drops are removed.
        """
        doc = schema.load(xml, source)
        name = doc.getroot().get("name")
        new = xslt.to_forest(doc, self.backend)
        snap = self._snapshot()
        b = self.backend
        aug = self.session.aug
        written: set[str] = set()
        for unit in new.xpath(b.unit):
            uname = unit.xpath(b.unit_name)
            existing = snap.units.get(uname)
            target = existing.get("path") if existing is not None else unit.get("path")
            if target is None:
                raise InternalError(f"{b.to_forest_xsl} produced a unit without a path for {uname!r}")
            forest.write(aug, _single(target, unit), b.owned)
            written.add(target)
        gone = [u for u in snap.owned(name) if u.get("path") not in written]
        self.session.save(delete=self._remove(gone))
        mac_el = doc.getroot().find("mac")
        mac = normalize_mac(mac_el.get("address")) if mac_el is not None else None
        return Interface(self, name, mac or sysfs_macs(self.root).get(name))

    def undefine(self, name: str) -> None:
        """Remove *name*'s configuration and that of its ports and slaves."""
        snap = self._snapshot()
        units = snap.owned(name)
        if not units:
            raise NotFound(f"no interface named {name!r} is defined", file=self.root)
        self.session.save(delete=self._remove(units))


def _single(path: str, unit: etree._Element) -> etree._Element:
    """A forest holding *unit*'s content as the tree at *path*."""
    out = etree.Element("forest")
    tree = etree.SubElement(out, "tree", path=path)
    for child in unit.iterchildren("node"):
        tree.append(copy.deepcopy(child))
    return out


def _subforest(units: list[etree._Element]) -> etree._Element:
    """A forest of copies of *units* (each with its file's ``<tree>``), in order."""
    out = etree.Element("forest")
    trees: dict[str, etree._Element] = {}
    for unit in units:
        if unit.tag == "tree":
            out.append(copy.deepcopy(unit))
            continue
        tree = next(unit.iterancestors("tree"))
        path = tree.get("path")
        if path not in trees:
            trees[path] = etree.SubElement(out, "tree", path=path)
        trees[path].append(copy.deepcopy(unit))
    return out
