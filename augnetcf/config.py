"""The engine: list, look up, define and undefine interfaces under a root.

Every backend goes through the same steps; only the data in
:mod:`augnetcf.backends` differs.

Define:  parse -> validate -> to_forest -> forest.write (smallest change) -> save
Dumpxml: forest.read (all files) -> pick the interface's units -> from_forest

For a backend with ``index=True`` the :class:`~augnetcf.index.Index` says
which units every file holds, so a command about one interface reads only
its files and its relatives', and a change loads only those into Augeas.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from . import backends, resolve, txn
from ._lazy import lazy, logger
from .errors import (
    AugnetcfError,
    FileError,
    InternalError,
    InvalidOperation,
    KernelError,
    NotFound,
    Unsupported,
    XMLInvalid,
)
from .index import Index, gc_paused
from .index import facts as index_facts
from .index import xpath as index_xpath
from .macs import normalize_mac
from .resolve import XPATH_NS, Snapshot  # noqa: F401  (XPATH_NS: share and tests import it from here)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound=Callable[..., Any])
    _T = TypeVar("_T")

# Imported on first use (see augnetcf._lazy): listing from the index's facts
# needs neither libaugeas, lxml, the stylesheets nor netaddr.
aug = lazy("augnetcf.aug", globals())
detect = lazy("augnetcf.detect", globals())
etree = lazy("lxml.etree", globals(), also=("augnetcf.xslt",))  # its XPath functions
forest = lazy("augnetcf.forest", globals())
minimal = lazy("augnetcf.minimal", globals())
schema = lazy("augnetcf.schema", globals())
window = lazy("augnetcf.window", globals())
xslt = lazy("augnetcf.xslt", globals())

log = logger("augnetcf", globals())  # imported when something is logged


def canonical(doc: etree._Element) -> bytes:
    """:func:`augnetcf.minimal.canonical`, where callers have always found it."""
    return minimal.canonical(doc)


def _writes(method: _F) -> _F:
    """Run *method* under the write lock, from its first read to its last
    write, so that concurrent writers never lose each other's updates."""
    @functools.wraps(method)
    def locked(self: Config, *args: Any, **kwargs: Any) -> Any:
        # A dry run (plan_define, plan_undefine) only reads: the read lock is
        # enough, and it creates nothing under the root.
        lock = self._lock.exclusive() if self._dry_run is None else self._lock.shared()
        with lock:
            with txn.os_errors(self.root):
                txn.recover_journal(self.root)
            try:
                return method(self, *args, **kwargs)
            except AugnetcfError:
                # A window (augnetcf.window) shows Augeas part of a file, so an
                # error from it may name a line of the part: unless the save had
                # begun to put files in place, do it again on whole files.
                if not self._windowed or self._session is None or self._session.committing:
                    raise
                self._drop_window()
                self._no_window = True
                try:
                    return method(self, *args, **kwargs)
                finally:
                    self._no_window = False
            finally:
                self._drop_window()
    return locked  # type: ignore[return-value]


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


@dataclass(frozen=True)
class FileChange:
    """One file a define or undefine writes or deletes, as a dry run reports it."""

    #: the file's path relative to the root (``etc/network/interfaces``)
    path: str
    #: its bytes now, ``None`` when the change creates it
    before: bytes | None
    #: its bytes after the change, ``None`` when the change deletes it
    after: bytes | None


def unified_diff(changes: Iterable[FileChange]) -> str:
    """The changes as one unified diff (``---``/``+++`` headers with paths
    relative to the root, ``/dev/null`` for a created or deleted file), the
    form ``patch -p0`` applies from the root and reviewers expect."""
    import difflib

    out: list[str] = []
    for ch in changes:
        old = _lines(ch.before)
        new = _lines(ch.after)
        out.extend(difflib.unified_diff(old, new, "/dev/null" if ch.before is None else ch.path,
                                        "/dev/null" if ch.after is None else ch.path))
    return "".join(out)


def _lines(data: bytes | None) -> list[str]:
    if not data:
        return []
    lines = data.decode("utf-8", "replace").splitlines(keepends=True)
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


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

    def status(self) -> str:
        """``"active"`` when the kernel has it and it is up, else ``"inactive"``."""
        return self._config.status(self.name)

    def xml_state(self) -> str:
        """Interface XML describing this interface as the kernel has it now."""
        return self._config.xml_state(self.name)

    def ifup(self, timeout: float = 10.0) -> list[str]:
        """Bring it up as configured; see :meth:`Config.ifup`."""
        return self._config.ifup(self.name, timeout)

    def ifdown(self) -> None:
        """Bring it down; see :meth:`Config.ifdown`."""
        self._config.ifdown(self.name)

    def diff(self) -> list[str]:
        """How the kernel differs from its configuration; see :meth:`Config.diff`."""
        return self._config.diff(self.name)

    def __repr__(self) -> str:
        return f"<Interface {self.name}{' ' + self._mac if self._mac else ''}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Interface) and other.name == self.name and other._config is self._config

    def __hash__(self) -> int:
        return hash(self.name)


class Config:
    """The network configuration under *root*, read and written through *backend*
    (``"redhat"``, ``"debian"``, ``"suse"``; detected from the root when ``None``).

    Use it as a context manager, or call :meth:`close`::

        with augnetcf.Config("/", "redhat") as cfg:
            print(cfg.list_interfaces())
    """

    def __init__(self, root: str = "/", backend: str | None = None):
        root = txn.check_root(root)
        self._lock = txn.Lock(root)
        self._recover(root)  # an interrupted save is finished or undone before anything else
        self.backend = backends.get(detect.detect(root) if backend is None else backend)
        self.root = root
        self._closed = False
        self._session: aug.AugeasSession | None = None
        # node positions in files: stanza comments, layout kept across removals
        self._spans = bool(self.backend.stanza_comments or self.backend.keep_layout)
        #: which file says what (``Backend.index``); None: every command loads every file
        self.index: Index | None = None
        if self.backend.index:
            self.index = Index(root, self.backend, lambda: self.session)
        # Nothing is read until a question is asked: each reads the files afresh.
        self._dry_run: list[FileChange] | None = None
        #: Whether the session is a window on big files (augnetcf.window), and whether not to use one.
        self._windowed = False
        self._no_window = False

    # -- plumbing ---------------------------------------------------------------
    @property
    def session(self) -> aug.AugeasSession:
        """The Augeas session, opened on first use. With the index, with no
        files: the index and the changes narrow it to the files they need;
        without, with every file of the backend."""
        if self._closed:
            raise InvalidOperation("the configuration has been closed")
        if self._session is None:
            self._session = aug.AugeasSession(self.root, self.backend.transforms,
                                          spans=self._spans, lazy=self.index is not None)
        return self._session

    def _learn_windows(self, deleted: list[str]) -> None:
        """Tell the index what each windowed file now holds (its tree: the
        index's old one with the windows' items as the change left them), so
        that the next command does not parse the whole big file again."""
        session = self.session
        entries = {e.path: e for e in self.index.entries}
        for path, w in session.windows.items():
            entry, data = entries.get(path), session.staged.get(path)
            if entry is None or data is None or entry.aug_path in deleted:
                continue
            old = self.index.tree_of(entry)
            shown = session.parse_printed(path, self.backend.transforms[entry.xfm].lens)
            if old is None or shown is None:
                continue
            found = w.facts_after(old, entry.facts(), shown, self.backend)
            tree = w.rebuilt(old, shown) if found is not None else None
            if tree is not None:
                self.index.learn(path, tree, data, found)

    def _drop_window(self) -> None:
        """Close a session windowed for one change: the next reads whole files."""
        if self._windowed:
            self._windowed = False
            if self._session is not None:
                self._session.close()
                self._session = None

    def _save(self, delete: list[str], new_mode: int | None = None) -> None:
        """Save, or, inside :meth:`plan_define`/:meth:`plan_undefine`, record
        what a save would do and forget the edits."""
        if self._dry_run is None:
            self.session.save(delete=delete, new_mode=new_mode, guard=self._guard)
            if self._windowed:
                self._learn_windows(delete)
            return
        for path, before, after in self.session.preview(delete=delete, guard=self._guard):
            self._dry_run.append(FileChange(os.path.relpath(path, self.root), before, after))

    def _guard(self, paths: list[str]) -> None:
        """Refuse to write or delete any of *paths* (under the root) that is
        not augnetcf's to change: read-only to the backend (netplan's
        ``run/netplan``), or written by something else (:func:`augnetcf.detect.not_ours`)."""
        read_only = self.backend.read_only
        for path in paths:
            tree = "/files/" + os.path.relpath(path, self.root).replace(os.sep, "/")
            if read_only is not None and read_only.search(tree):
                raise FileError(f"cannot be written: the {self.backend.name} backend only reads it "
                                "(a distribution default or a runtime file); change the definition "
                                "under etc/ instead", file=path)
            why = detect.not_ours(self.root, path)
            if why:
                raise FileError(f"cannot be written: it {why}", file=path)

    def _planned(self, change: object) -> list[FileChange]:
        self._dry_run = []
        try:
            change()  # type: ignore[operator]
            return self._dry_run
        finally:
            self._dry_run = None

    def plan_define(self, xml: str | bytes, source: str = "<string>") -> list[FileChange]:
        """What :meth:`define` would write, without writing anything: one
        :class:`FileChange` per file (none when the files already say it).
        :func:`unified_diff` turns them into a reviewable diff."""
        return self._planned(lambda: self.define(xml, source))

    def plan_undefine(self, name: str) -> list[FileChange]:
        """What :meth:`undefine` would change, without changing anything."""
        return self._planned(lambda: self.undefine(name))

    def close(self) -> None:
        """Release libaugeas; the object is unusable afterwards."""
        self._closed = True
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> Config:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _xpath(self, el: etree._Element, expr: str) -> object:
        return index_xpath(el, expr)  # compiled once per expression

    def _recover(self, root: str) -> None:
        if txn.journal_pending(root):
            with self._lock.exclusive(), txn.os_errors(root):
                txn.recover_journal(root)

    def _load_forest(self) -> etree._Element:
        """Read the files under the read lock, so that they are all from
        before a concurrent write or all from after it; finish first a save
        whose writer died (its journal is still there)."""
        return self._locked_read(self._read_forest)

    def _locked_read(self, read: Callable[[], _T]) -> _T:
        """``read()`` under the read lock (see :meth:`_load_forest`)."""
        if self._closed:
            raise InvalidOperation("the configuration has been closed")
        if self._lock.held:  # our own write: it holds the write lock
            return read()
        while True:
            self._recover(self.root)
            with self._lock.shared() as locked:
                if not txn.journal_pending(self.root):
                    out = read()
                    if locked or not self._lock.exists():
                        return out
            # a writer died meanwhile, or appeared on a root that had none: again

    def _read_forest(self) -> etree._Element:
        """Load the backend's files, following includes until none is new."""
        opened = self._session is None
        session = self.session
        if not opened:  # a session opened just now (under the lock) has just read them
            session.load()
        for _round in range(8):
            unreadable: list[str] = []
            forest_ = forest.read(session.aug, sorted(session.files()), unreadable)
            for path in unreadable:  # left out, like a file the lens rejects
                session.broken.append(FileError("cannot be parsed: it holds bytes that are not UTF-8 "
                                                "text, or control characters", file=session.fs_path(path)))
            if not session.include(self._includes(forest_)):
                return forest_
        raise FileError("includes nest more than 8 deep", file=self.root)

    def _includes(self, forest_: etree._Element) -> list[str]:
        """Globs (under the root) of the files the loaded ones pull in."""
        b = self.backend
        pairs = [(v, "") for v in forest_.xpath(b.includes)] if b.includes else []
        pairs += [(v, "/*") for v in forest_.xpath(b.include_dirs)] if b.include_dirs else []
        globs = []
        for value, suffix in pairs:
            glob = str(value)
            if not glob.startswith("/"):
                tree = value.getparent().xpath("ancestor-or-self::tree")[0]
                glob = os.path.join(os.path.dirname(tree.get("path")[len("/files"):]), glob)
            globs.append(os.path.normpath(glob) + suffix)
        return globs

    @property
    def broken_files(self) -> list[FileError]:
        """Files that could not be parsed at the last read, one error each.

        Reading goes on without them (list, lookup and dumpxml of the other
        interfaces work); define and undefine refuse until they are fixed,
        since a broken file might hold the very interface being changed.
        """
        if self.index is not None:
            if self._closed or not (self.index.refreshed or self.index.listed):
                self._locked_read(self.index.refresh)  # nothing asked yet: look now
            return list(self.index.broken)
        return list(self.session.broken)

    def _broken(self) -> list[FileError]:
        return self.index.broken if self.index is not None else self.session.broken

    def _refuse_if_broken(self, refresh: bool = True) -> None:
        """Raise for the first broken file. With the index, *refresh* False
        uses what the last refresh found: a refresh may parse files, which
        narrows the session and so drops the files a change has loaded."""
        if self.index is not None:
            if refresh:
                self._locked_read(self.index.refresh)
        else:
            self._load_forest()
        for err in self._broken():
            raise FileError(f"{err.message}; fix it before changing the configuration",
                            file=err.file, line=err.line)

    def _not_found(self, name: str) -> NotFound:
        broken = self._broken()
        hint = f" (unless it is in {broken[0].where}, which cannot be parsed)" if broken else ""
        return NotFound(f"no interface named {name!r} is defined{hint}", file=self.root)

    def _already(self, snap: Snapshot, name: str, new: etree._Element) -> bool:
        """Whether the files already say what forest *new* says, in their own
        spelling (PREFIX for NETMASK, ``address A/P``, quotes...). Then a define
        is a no-op: redefining what dumpxml printed changes no byte."""
        owned = snap.owned(name)
        if not owned:
            return False
        try:
            have = xslt.from_forest(self._subforest(owned), self.backend, name)
            want = xslt.from_forest(new, self.backend, name)
        except AugnetcfError:
            return False
        return minimal.canonical(have) == minimal.canonical(want)

    def _identify(self, el: etree._Element, kind: str) -> tuple[str, str]:
        """(interface name, key) of a unit or mark, as the backend's data says."""
        b = self.backend
        if kind == "mark":
            name = str(self._xpath(el, b.mark_name))
            if not name and b.mark_addr:
                # a mark without a name (SUSE's '-' route) is, within its own
                # forest, the interface the engine's rule gives: a new
                # description's route line that says '-' is still that
                # interface's, and is matched with the line it replaces
                units = el.getroottree().getroot().xpath(b.unit, namespaces=XPATH_NS)
                nets = [(self._identify(u, "unit")[0], str(self._xpath(u, b.unit_nets)).split())
                        for u in units] if b.unit_nets else []
                name = resolve.mark_owner(name, str(self._xpath(el, b.mark_addr)), nets)
            return name, self._xpath(el, b.mark_key)
        name = self._xpath(el, b.unit_name)
        if not name and b.name_from_path:
            m = b.name_from_path.search(el.get("path", ""))
            name = m.group(1) if m else ""
        return name, self._xpath(el, b.unit_key)

    def _snapshot(self, names: Iterable[str] | None = None, write: bool = False,
                  extra: Iterable[str] = (), refresh: bool = True) -> Snapshot:
        """What the files say now. Without the index, every unit and mark is an
        element of the forest of all files. With it, interfaces are found from
        the index alone, and only the units and marks of *names* (with their
        ports' and slaves') are elements: read from the index's trees, or
        with *write* from Augeas, loaded with just their files and the files
        *extra* (Augeas paths a change writes). *refresh* False: the index
        was just brought up to date."""
        if self.index is None:
            return self._full_snapshot()
        for attempt in range(3):
            snap = self._resolve(refresh or attempt > 0)
            if names is None or self._materialize(snap, names, write, extra):
                return snap
        raise InternalError("the configuration files keep changing while augnetcf reads them",
                            file=self.root)

    def _full_snapshot(self) -> Snapshot:
        """Every file read at once (no index): :func:`augnetcf.resolve.from_forest`."""
        forest_ = self._load_forest()
        return resolve.from_forest(forest_, self.backend, sysfs_macs(self.root))

    def _resolve(self, refresh: bool = True) -> Snapshot:
        """Which unit is which interface's, from the index (no tree read):
        :func:`augnetcf.resolve.from_index`, the full load's rules on the
        facts the index keeps per unit."""
        assert self.index is not None
        if refresh:
            self._locked_read(self.index.refresh)
        with gc_paused():
            return resolve.from_index(self.index.entries, self.backend, sysfs_macs(self.root))

    def _materialize(self, snap: Snapshot, names: Iterable[str], write: bool, extra: Iterable[str]) -> bool:
        """Replace the references of *names* (with their ports' and slaves',
        and their masters') in *snap* by elements; False if a file changed
        since the index read it."""
        assert self.index is not None
        b = self.backend
        wanted = {n for name in names for n in snap.names(name)}
        wanted |= {snap.masters[name] for name in names if snap.masters.get(name)}
        refs = [r for n in wanted for table in snap.tables() for r in table.get(n, [])]
        files = sorted({r[1] for r in refs})
        entries = self.index.entries
        trees: dict[int, etree._Element | None] = {}
        if write:
            # Augeas holds just these files (and the new ones), so the change
            # and its save touch nothing else.
            incl: dict[int, list[str]] = {}
            paths = [entries[f].path for f in files] + [p[len("/files"):] for p in extra]
            for path in dict.fromkeys(paths):
                xfm = self.index.transform_for(path)
                if xfm is None:  # an included file: read as its includer's transform reads it
                    xfm = next((e.xfm for e in entries if e.path == path), None)
                if xfm is not None:
                    incl.setdefault(xfm, []).append(aug.escape_glob(path))
            windows = self._windows(refs, files, [p[len("/files"):] for p in extra])
            if windows:  # Augeas sees only the part of each big file the change needs
                if self._session is not None:
                    self._session.close()
                self._session = window.WindowSession(self.root, b.transforms, windows, dict.fromkeys(paths),
                                                     spans=self._spans)
                self._windowed = True
            self.session.narrow(incl)
            read = forest.read(self.session.aug, sorted(entries[f].aug_path for f in files))
            by_path = {t.get("path"): t for t in read}
            for f in files:
                tree = by_path.get(entries[f].aug_path)
                if tree is not None:
                    etree.Element("forest").append(tree)  # a forest of its own, as the index has
                    want = entries[f].facts()._replace(includes=[])
                    w = windows.get(entries[f].path)
                    got = index_facts(tree, b)._replace(includes=[])
                    if w is not None:  # what the index says of the window's items
                        want = want._replace(units=[want.units[n] for n in w.units],
                                             nets=[want.nets[n] for n in w.units],
                                             marks=[want.marks[n] for n in w.marks],
                                             mark_addrs=[want.mark_addrs[n] for n in w.marks])
                    if got != want:
                        return False
                trees[f] = tree
        else:
            windows = {}
            trees = {f: self.index.tree_of(entries[f]) for f in files}
        resolved: dict[tuple, etree._Element] = {}
        for f, tree in trees.items():
            if tree is None:
                return False
            top = tree.getparent()
            w = windows.get(entries[f].path)
            for ui, el in enumerate(top.xpath(b.unit, namespaces=XPATH_NS)):
                resolved[("unit", f, w.units[ui] if w is not None else ui)] = el
            for mi, el in enumerate(top.xpath(b.mark, namespaces=XPATH_NS) if b.mark else []):
                resolved[("mark", f, w.marks[mi] if w is not None else mi)] = el
            for hi, el in enumerate(top.xpath(b.mark_homes, namespaces=XPATH_NS) if b.mark_homes else []):
                resolved[("home", f, hi)] = el
            resolved[("extra", f)] = tree
        for n in wanted:
            for table in snap.tables():
                if n in table:
                    table[n] = [resolved[r] for r in table[n]]
        return True

    def _windows(self, refs: list[tuple], files: list[int], extra: list[str]) -> dict[str, window.Window]:
        """Files (paths under the root) too big to load whole for this change,
        and the window of each that it needs (see :mod:`augnetcf.window`):
        for a backend whose interfaces share files and whose meaning stays
        within a file, each file that holds the *refs* of the change (index
        references to units and marks) or gets new nodes (*extra*)."""
        b = self.backend
        # the window's scanner knows the Ifupdown lens' items (Debian's files)
        if self._no_window or not b.keep_layout or b.aliased or b.mark_homes or b.matches or b.dropin \
                or any(t.lens != "Ifupdown.lns" for t in b.transforms):
            return {}
        entries = self.index.entries
        by_path = {e.path: i for i, e in enumerate(entries)}
        out = {}
        for f in dict.fromkeys([*files, *(by_path[p] for p in extra if p in by_path)]):
            e = entries[f]
            mine = [r for r in refs if r[1] == f]
            # only a file recorded (not changed within the racy window): then
            # its stamp, checked again when the window is cut, proves that no
            # byte outside the window changed since the index read it
            if any(r[0] not in ("unit", "mark") for r in mine) or not (e.keep or e.digest) or not e.stamp or \
                    self.index.transform_for(e.path) is None:
                continue
            tree = self.index.tree_of(e)
            if tree is None:
                continue
            top = tree.getparent()
            units = top.xpath(b.unit, namespaces=XPATH_NS)
            marks = top.xpath(b.mark, namespaces=XPATH_NS) if b.mark else []
            needed = [units[r[2]] if r[0] == "unit" else marks[r[2]] for r in mine]
            w = window.plan(e.path, self.root.rstrip("/") + e.path, tree, e.stamp, needed, e.path in extra,
                            b.unit, b.mark, e.digest)
            if w is not None:
                out[e.path] = w
        return out

    def _subforest(self, elements: list[etree._Element]) -> etree._Element:
        return _subforest(elements, lambda el: self._context(el))

    def _context(self, el: etree._Element) -> list[etree._Element]:
        """Nodes outside *el* that say what it means (``Backend.mark_context``)."""
        b = self.backend
        return list(self._xpath(el, b.mark_context)) if b.mark_context and el.tag != "tree" else []

    def _remove(self, elements: list[etree._Element]) -> list[str]:
        """Drop *elements* from Augeas; return the files that must go with them.

        A unit that is a whole file is deleted by :meth:`AugeasSession.save`
        only once everything else is written, so a failure deletes nothing.
        """
        aug = self.session.aug
        files = []
        shared = set()
        label = self.backend.stanza_comments
        stanzas = [el for el in elements if el.tag == "node" and el.getparent().tag == "tree"]
        # Decide which comments go before anything moves: the decision reads positions.
        plans = forest.stanza_comments(aug, [el.get("path") for el in stanzas], label) if label else []
        for plan in plans:
            forest.rehome_comments(aug, plan)
        for el in elements:
            if el.tag == "tree":
                files.append(el.get("path"))
            else:
                shared.add(next(el.iterancestors("tree")).get("path"))
                forest.remove_node(aug, el.get("path"))
        for plan in plans:
            forest.remove_comments(aug, plan)
        disposable = self.backend.disposable
        residue = self.backend.residue
        files += [p for p in sorted(shared) if disposable and disposable.search(p)
                  and not [q for q in aug.match(f"{p}/{'/' if self.backend.residue_deep else ''}*")
                           if not residue.match(aug.label(q))]]
        return files

    def _create(self, el: etree._Element, before: str | None = None, after: str | None = None) -> str:
        """Create the Augeas node (or file) for new forest element *el*, and
        every new container between it and its file; return its path.

        A node goes at the end of its file, or next to an existing node of the
        same interface (*before* or *after* that node's path), so that an
        interface kept in an included file stays there in one piece.
        """
        if el.tag == "tree":
            return el.get("path")
        aug = self.session.aug
        parent = el.getparent()
        label = forest.step(el.get("label"))
        if parent.tag != "tree" and self.backend.nested_units:
            base = self._container(parent)
        elif parent.tag != "tree":
            base = self._create(parent, before, after)
        elif before or after:
            anchor = before or after
            aug.insert(anchor, label, before=bool(before))
            path = aug.match(f"{anchor}/{'preceding' if before else 'following'}-sibling::*[1]")[0]
            aug.set(path, el.get("value"))
            return path
        else:
            base = parent.get("path")
        aug.set(f"{base}/{label}[last()+1]", el.get("value"))
        return aug.match(f"{base}/{label}")[-1]

    def _container(self, el: etree._Element) -> str:
        """The Augeas path of new forest element *el* as a container: the
        file's own node of that label and value if it has one (netplan's
        ``network:`` and ``ethernets:``), else a new one at the end of its own container."""
        if el.tag == "tree":
            return el.get("path")
        aug = self.session.aug
        base = self._container(el.getparent())
        label = forest.step(el.get("label"))
        same = [p for p in aug.match(f"{base}/{label}") if (aug.get(p) or None) == (el.get("value") or None)]
        if same:
            return same[0]
        aug.set(f"{base}/{label}[last()+1]", el.get("value"))
        return aug.match(f"{base}/{label}")[-1]

    def _interface(self, snap: Snapshot, name: str) -> Interface:
        return Interface(self, name, snap.macs.get(name) or None)

    # -- queries ----------------------------------------------------------------
    def list_interfaces(self) -> list[str]:
        """Names of the top-level interfaces: not a bridge port or bond slave."""
        return [name for name, _mac in self._top_level()]

    def interfaces(self) -> list[Interface]:
        """The top-level interfaces as :class:`Interface` objects."""
        return [Interface(self, name, mac or None) for name, mac in self._top_level()]

    def _top_level(self) -> list[tuple[str, str]]:
        """(name, MAC or "") of the top-level interfaces. With the index, the
        answer kept from the last time when no file, include, kernel MAC or
        code changed since (:meth:`Index.listing`, the same check every index
        entry gets); else resolved from the facts, and kept."""
        if self.index is not None:
            kernel = sysfs_macs(self.root)
            listed = self._locked_read(lambda: self.index.listing(kernel))
            if listed is not None:
                return [(name, mac) for name, mac in listed]
        snap = self._snapshot()
        top = [(n, snap.macs.get(n) or "") for n in snap.top_level()]
        if self.index is not None:
            self.index.record_listing(snap.kernel, top)
        return top

    def lookup_by_name(self, name: str) -> Interface:
        """The interface called *name* (top-level or not); :class:`NotFound` if none."""
        snap = self._snapshot()
        if name not in snap.units:
            raise self._not_found(name)
        return self._interface(snap, name)

    def lookup_by_mac(self, mac: str) -> list[Interface]:
        """Every top-level interface whose MAC is *mac* (case does not matter)."""
        want = normalize_mac(mac)
        if want is None:
            raise NotFound(f"{mac!r} is not a MAC address")
        snap = self._snapshot()
        return [self._interface(snap, n) for n in snap.top_level() if snap.macs.get(n) == want]

    def xml_desc(self, name: str) -> str:
        """Interface XML for *name*, read from its files and its ports' files."""
        snap = self._snapshot([name])
        units = snap.owned(name)
        if not units:
            raise self._not_found(name)
        self._refuse_units(snap, [name], FileError)
        doc = xslt.from_forest(self._subforest(units), self.backend, name)
        try:
            # What we print, we must accept: a hand-edited file may say things
            # (MTU=jumbo, PREFIX=33) that no interface description can.
            schema.validate(etree.ElementTree(doc), name)
        except XMLInvalid as e:
            files = sorted({self.session.fs_path(u.get("path")) for u in units})
            raise FileError(f"cannot be described as interface XML: {e.message}",
                            file=", ".join(files)) from None
        return etree.tostring(doc, pretty_print=True, encoding="unicode")

    def _refuse_units(self, snap: Snapshot, names: list[str], error: type[AugnetcfError]) -> None:
        """Raise *error* for the first unit of *names* (and of their ports and
        slaves) that interface XML cannot describe (``Backend.refuse``),
        naming its file and line. Dumpxml must not print it as something
        simpler, and a define must neither rewrite it nor remove it, even
        when no new unit replaces it (an ``inet6 v4tunnel`` stanza beside
        the ``inet`` one a define writes)."""
        units = [u for n in names for m in snap.names(n) for u in snap.units.get(m, [])
                 if isinstance(u, etree._Element)]
        if self.backend.merged:
            for n in names:
                spread = [u for u in snap.units.get(n, []) if isinstance(u, etree._Element)]
                files = list(dict.fromkeys(next(u.iterancestors("tree")).get("path") for u in spread))
                if len(files) > 1:
                    raise error(f"{n} is defined in several {self.backend.name} files ("
                                f"{', '.join(self.session.fs_path(f) for f in files)}), which "
                                f"{self.backend.name} merges; augnetcf edits a definition in one file only",
                                file=self.session.fs_path(files[1]))
        for unit, why in xslt.refused(units, self.backend)[:1]:
            raise xslt.refusal(error, unit, why, self.backend, self._line_of(unit))

    def _line_of(self, unit: etree._Element) -> int | None:
        """The line (from 1) of its file where forest *unit* starts, from its
        Augeas span; None when that cannot be known. A session of its own
        reads just that file with spans: the engine's may not hold it (the
        index reads without Augeas) or may hold it without spans. Only a
        refusal asks, so the extra parse costs nothing otherwise."""
        tree = next(unit.iterancestors("tree"), None)
        path = unit.get("path", "")
        if tree is None or not path.startswith("/files/"):
            return None
        file = tree.get("path", "").removeprefix("/files")
        i = self.index.transform_for(file) if self.index is not None else None
        t = self.backend.transforms[i or 0]
        try:
            with aug.AugeasSession(self.root, (backends.Transform(t.lens, (aug.escape_glob(file),), t.excl),),
                               spans=True) as s:
                disk, label_start, *_rest = s.aug.span(path)
                with open(disk, "rb") as f:
                    return f.read(label_start).count(b"\n") + 1
        except (AugnetcfError, OSError, ValueError, RuntimeError):
            return None

    # -- changes ----------------------------------------------------------------
    def define(self, xml: str | bytes, source: str = "<string>") -> Interface:
        """Define (or redefine) an interface from its XML description.

        A redefinition replaces the interface's configuration, but edits its
        files in place: keys augnetcf does not own, comments and ordering
        stay. Files of former ports that the new description drops are removed.
        A description that is invalid, or that the backend cannot express, is
        refused before anything under the root is touched (the lock included).
        """
        doc = schema.load(xml, source)
        for expr, why in self.backend.limits:
            for el in doc.xpath(expr, namespaces=XPATH_NS):
                attrs = " ".join(f"{k}={v!r}" for k, v in el.attrib.items())
                what = f"<{el.tag}{' ' + attrs if attrs else ''}>"
                raise Unsupported(f"{what}: the {self.backend.name} backend cannot express this: {why}",
                                  file=source, line=el.sourceline)
        return self._define(doc, source)

    @_writes
    def _define(self, doc: etree._ElementTree, source: str = "<string>") -> Interface:
        name = doc.getroot().get("name")
        self._refuse_if_broken()
        new = xslt.to_forest(doc, self.backend)
        names = {el.get("name") for el in doc.getroot().iter("interface") if el.get("name")}
        snap = self._snapshot(names, write=True, extra=[t.get("path") for t in new.iter("tree")],
                              refresh=False)  # _refuse_if_broken just did
        aug = self.session.aug
        if self._already(snap, name, new):
            return Interface(self, name, snap.macs.get(name) or None)
        # What the new description replaces: the interface as it is now, and
        # the current configuration of every interface it names as a port.
        defined = [el.get("name") for el in doc.getroot().iter("interface")
                   if el.getparent() is None or el.getparent().tag != "vlan"]
        old: list[etree._Element] = []
        for n in defined:
            old.extend(el for el in snap.owned(n, extras=False) if el not in old)
        self._refuse_units(snap, defined, Unsupported)
        self._refuse_overriding_extras(snap, defined)
        self._refuse_shadowed(snap, new)
        self._refuse_missing(snap, new, doc, source)
        touched = old + [el for n in defined for el in snap.units.get(n, []) + snap.marks.get(n, [])]
        pins = forest.pin(aug, dict.fromkeys(touched))
        try:
            self._conserve(snap, new, old, doc, names)
            self._write(snap, new, old)
        finally:
            forest.unpin(aug, pins)
        mac_el = doc.getroot().find("mac")
        mac = normalize_mac(mac_el.get("address")) if mac_el is not None else None
        return Interface(self, name, mac or sysfs_macs(self.root).get(name))

    def _matches(self, snap: Snapshot, new: etree._Element
                 ) -> list[tuple[etree._Element, str, etree._Element | None]]:
        """(element, kind, the element of the files it replaces or None) for
        every unit and mark of forest *new*, in document order."""
        b = self.backend
        kinds = {el: "unit" for el in new.xpath(b.unit)}
        kinds.update({el: "mark" for el in new.xpath(b.mark)} if b.mark else {})
        kept: set[etree._Element] = set()
        out = []
        for el in (e for e in new.iter() if e in kinds):  # document order
            kind = kinds[el]
            el_name, key = self._identify(el, kind)
            match = next((e for e in (snap.units if kind == "unit" else snap.marks).get(el_name, [])
                          if e not in kept and self._identify(e, kind)[1] == key), None)
            if match is not None:
                kept.add(match)
            out.append((el, kind, match))
        return out

    def _conserve(self, snap: Snapshot, new: etree._Element, old: list[etree._Element],
                  doc: etree._ElementTree, names: set[str]) -> None:
        """Move forest *new* towards what the files say, wherever that keeps
        its meaning (see :mod:`augnetcf.minimal`): explicit defaults, the
        files' spellings and a port's bare stanza stay as they are written.
        Only the units of interfaces the new description names are kept
        this way; a former port's configuration still goes."""
        b = self.backend
        name = doc.getroot().get("name")
        matched = self._matches(snap, new)
        pairs = [(el, match) for el, _kind, match in matched if match is not None]
        for el, match in pairs:
            if b.respell is not None:
                b.respell(el, match)
        replaced = {match for _el, match in pairs}
        # The top interface's own marks say its start mode: a changed one replaces them.
        gone = [el for el in old if el not in replaced and self._owner(snap, el) in names
                and (self._owner(snap, el) != name
                     or any(u is el for u in snap.units.get(name, [])))]
        # What the files lack; the top interface's first unit is the description itself.
        top = next((el for el, kind, _m in matched if kind == "unit" and self._identify(el, kind)[0] == name),
                   None)
        fresh = [el for el, _kind, match in matched if match is None and el is not top]
        instead = [el for el in old
                   if el not in replaced and el not in gone and self._owner(snap, el) == name]
        if not pairs and not gone:
            return

        def facts(el: etree._Element) -> tuple[str, str, list[str]]:
            ports = [p for p in str(self._xpath(el, b.unit_ports)).split() if p not in b.port_keywords]
            return self._identify(el, "unit")[0], str(self._xpath(el, b.unit_master)), ports

        described = {el.get("name"): {c.tag for c in el} for el in doc.getroot().iter("interface")
                     if el.get("name") in names and el.get("name") != name}
        def alone(forest_: etree._Element, n: str) -> etree._Element | None:
            own = [el for el in forest_.xpath(b.unit) if self._identify(el, "unit")[0] == n]
            if b.mark:
                own += [el for el in forest_.xpath(b.mark) if self._identify(el, "mark")[0] == n]
            return self._subforest(own) if own else None

        meaning = minimal.reading(b, name, described, facts, alone)

        def before() -> bytes | None:
            """What the files mean now (minimal.conserve takes one element out at a time)."""
            attached = [el for el in old if any(a.tag == "forest" for a in el.iterancestors())]
            return meaning(self._subforest(attached))

        moved = [match for _el, match in pairs if self._owner(snap, match) != name]
        minimal.conserve(new, pairs, gone, meaning, b, fresh, instead, before, moved)

    def _owner(self, snap: Snapshot, el: etree._Element) -> str:
        """The interface a unit or mark of the files belongs to."""
        name = self._identify(el, "unit")[0]
        return name if any(u is el for u in snap.units.get(name, [])) else self._identify(el, "mark")[0]

    def _write(self, snap: Snapshot, new: etree._Element, old: list[etree._Element]) -> None:
        """Write forest *new* over the snapshot, replacing the elements *old*, and save."""
        b = self.backend
        aug = self.session.aug
        kept: set[etree._Element] = set()
        written: set[str] = set()
        whole: set[etree._Element] = set()  # new elements written with all they contain
        for el, kind, match in self._matches(snap, new):
            el_name = self._identify(el, kind)[0]
            if any(a in whole for a in el.iterancestors()):
                if match is not None:  # a mark inside a unit (VLAN= in its parent's file): written with it
                    kept.add(match)
                continue
            if match is not None:
                kept.add(match)
                target = match.get("path")
            elif kind == "mark" and b.mark_home:
                target = self._place_mark(snap, el, whole)
                if target is None:
                    continue
            else:
                near = [u.get("path") for u in snap.units.get(el_name, []) if u.tag == "node"]
                tree = next(el.iterancestors("tree"), None)
                if b.nested_units and tree is not None and not aug.match(tree.get("path")):
                    skeleton = copy.deepcopy(tree)  # the new file without its units: version: 2
                    for unit in skeleton.xpath(f"({b.unit.replace('tree/', 'self::tree/', 1)})"):
                        unit.getparent().remove(unit)
                    forest.write_node(aug, tree.get("path"), skeleton, b)
                if kind == "mark":
                    target = self._create(el, before=near[0] if near else None)
                else:
                    target = self._create(el, after=near[-1] if near else None)
            forest.write_node(aug, target, el, b)
            written.add(target)
            whole.add(el)
        gone = [el for el in old if el not in kept and el.get("path") not in written]
        self._save(self._remove(gone), new_mode=b.new_file_mode)

    def _place_mark(self, snap: Snapshot, el: etree._Element, whole: set[etree._Element]) -> str | None:
        """Where new mark *el* goes: into the file of the interface it belongs
        on (``Backend.mark_home``), else into its own tree's file, created
        whole (with what gives it meaning) when it does not exist yet. Returns
        the new node's path, or None when the whole tree was written."""
        b = self.backend
        aug = self.session.aug
        tree = next(el.iterancestors("tree"))
        suffix = os.path.splitext(tree.get("path"))[1]
        for home in snap.homes.get(str(self._xpath(el, b.mark_home)), []):
            path = home.get("path") if home.tag == "tree" else next(home.iterancestors("tree")).get("path")
            if os.path.splitext(path)[1] == suffix:
                return self._create_in(el, home.get("path"))
        if not aug.match(tree.get("path")):
            forest.write_node(aug, tree.get("path"), tree, b)
            whole.add(tree)
            return None
        return self._create_in(el, tree.get("path"))

    def _create_in(self, el: etree._Element, base: str) -> str:
        """Create new forest node *el* under the Augeas node *base*, inside
        containers like its own ancestors (a ``[Network]`` section), reusing
        the first existing one with the same label and value."""
        aug = self.session.aug
        for anc in reversed([a for a in el.iterancestors("node")]):
            label = forest.step(anc.get("label"))
            same = [p for p in aug.match(f"{base}/{label}") if aug.get(p) == anc.get("value")]
            if same:
                base = same[0]
            else:
                aug.set(f"{base}/{label}[last()+1]", anc.get("value"))
                base = aug.match(f"{base}/{label}")[-1]
        label = forest.step(el.get("label"))
        aug.set(f"{base}/{label}[last()+1]", el.get("value"))
        return aug.match(f"{base}/{label}")[-1]

    def _refuse_missing(self, snap: Snapshot, new: etree._Element, doc: etree._ElementTree,
                        source: str) -> None:
        """Refuse forest *new* when it needs an interface that neither it nor
        the files define (``Backend.requires``: a netplan VLAN's link),
        naming the element of the description that asks for it."""
        b = self.backend
        if not b.requires:
            return
        have = {self._identify(el, "unit")[0] for el in new.xpath(b.unit)}
        for name in dict.fromkeys(str(v) for v in new.xpath(b.requires)):
            if name not in have and not snap.units.get(name):
                el = next(iter(doc.xpath("//interface[@name=$n]", n=name)), doc.getroot())
                raise Unsupported(f"<interface name={name!r}>: the {b.name} backend writes an interface "
                                  f"on {name} only where the files define {name} (netplan refuses a link "
                                  f"it has no definition for); define {name} first",
                                  file=source, line=el.sourceline)

    def _refuse_shadowed(self, snap: Snapshot, new: etree._Element) -> None:
        """A new file that another file would hide from its reader (an earlier
        ``.network`` matching the name) would change nothing: refuse, naming it."""
        b = self.backend
        if not b.matches:
            return
        for el in new.xpath(b.unit):
            name, key = self._identify(el, "unit")
            if el.tag != "tree" or any(self._identify(u, "unit")[1] == key for u in snap.units.get(name, [])):
                continue
            first = resolve.shadowed_by(snap.matches, name, el.get("path"))
            if first:
                raise InvalidOperation(
                    f"is read before {self.session.fs_path(el.get('path'))} and also applies to {name}, "
                    "so a new file for it would be ignored; rename or edit it first",
                    file=self.session.fs_path(first))

    def _refuse_overriding_extras(self, snap: Snapshot, names: list[str]) -> None:
        """A drop-in that sets a key the backend writes would override the
        define: refuse, naming it, rather than write what would not apply."""
        b = self.backend
        aug = self.session.aug
        for name in names:
            for extra in snap.extras.get(name, []):
                for key in extra.xpath("node/node"):
                    label = key.get("label")
                    value = aug.get(key.get("path")) or ""
                    if b.owned.match(f"{label}={value}"):
                        raise InvalidOperation(
                            f"drop-in sets {key.getparent().get('label')}/{label}, which augnetcf writes for "
                            f"{name}; it would override the define (move it into the main file or remove it)",
                            file=self.session.fs_path(extra.get("path")))

    def undefine(self, name: str) -> None:
        """Remove *name*'s configuration and that of its ports and slaves.
        An unknown *name* is refused before the write lock is taken, so it
        creates nothing under the root."""
        if not self._snapshot().owned(name):
            raise self._not_found(name)
        self._undefine(name)

    @_writes
    def _undefine(self, name: str) -> None:
        snap = self._snapshot([name], write=True)
        owned = snap.owned(name)
        if not owned:
            raise self._not_found(name)
        self._refuse_if_broken(refresh=False)  # the snapshot just looked
        pins = forest.pin(self.session.aug, owned)
        try:
            self._save(self._remove(owned))
        finally:
            forest.unpin(self.session.aug, pins)

    # -- the kernel (augnetcf.kernel; pyroute2 is imported on first use) ------------
    def _plan(self, name: str) -> list:
        from . import kernel

        master = self._snapshot().masters.get(name)
        if master:
            raise InvalidOperation(f"{name} is configured as a port or slave of {master}: "
                                   f"bring {master} up or down instead")
        return kernel.plan(schema.parse(self.xml_desc(name), name).getroot())

    def status(self, name: str) -> str:
        """``"active"`` when the kernel has *name* and it is administratively up
        (ncftool's meaning), else ``"inactive"``. *name* need not be defined."""
        return self.statuses([name])[name]

    def statuses(self, names: list[str] | None = None) -> dict[str, str]:
        """Status of each of *names* (default: the top-level interfaces), from one kernel read."""
        from . import kernel

        snap = kernel.snapshot()
        return {n: kernel.status(snap, n) for n in (self.list_interfaces() if names is None else names)}

    def xml_state(self, name: str) -> str:
        """Interface XML describing device *name* as the kernel has it now:
        addresses, mtu, mac, ports and slaves, vlan, link state and speed.
        :class:`NotFound` when the kernel has no such device."""
        from . import kernel

        doc = kernel.describe(kernel.snapshot(), name)
        try:
            schema.validate(etree.ElementTree(doc), f"live state of {name}")
        except XMLInvalid as e:  # what we print, we must accept (a kernel name may be one we refuse)
            raise KernelError(f"{name}: the kernel's state cannot be described as interface XML: "
                              f"{e.message}") from None
        return etree.tostring(doc, pretty_print=True, encoding="unicode")

    def ifup(self, name: str, timeout: float = 10.0) -> list[str]:
        """Bring *name* up from its configuration without distro scripts, then
        verify that the kernel matches it. Returns warnings (no carrier within
        *timeout* seconds); raises :class:`KernelError` naming what failed or differs."""
        from . import kernel

        return kernel.ifup(self._plan(name), timeout)

    def ifdown(self, name: str) -> None:
        """Bring *name* down: release its DHCP lease, remove its addresses,
        release its ports and slaves, delete the virtual devices ifup created."""
        from . import kernel

        kernel.ifdown(self._plan(name))

    def diff(self, name: str) -> list[str]:
        """Each way the kernel differs from *name*'s configuration, one line
        each naming the device; empty when they agree."""
        from . import kernel

        return kernel.differences(self._plan(name), kernel.snapshot())

    # -- sharing a NIC with guests (augnetcf.share) --------------------------------
    # -- transactions -----------------------------------------------------------
    def owned_files(self) -> list[str]:
        """Every file (path under the root) the backend owns now: what its
        transforms match and what those files include, parsable or not."""
        if self.index is not None:  # the index lists them all, parsed or not
            self._locked_read(self.index.refresh)
            return sorted(os.path.join(self.root, e.path.lstrip("/")) for e in self.index.entries)
        self._load_forest()
        return self.session.owned_files()

    def change_begin(self, timeout: float | None = None) -> txn.Transaction:
        """Snapshot every file the backend owns (netcf's change-begin).

        With *timeout* (seconds), a detached watcher rolls the change back
        unless :meth:`change_commit` comes first. :class:`InvalidOperation`
        if a transaction is already open.
        """
        with self._lock.exclusive(), txn.os_errors(self.root):
            txn.recover_journal(self.root)
            t = txn.begin(self.root, self.backend.name, self.owned_files(), timeout)
            if timeout is not None:
                try:
                    txn.set_watcher(self.root, t, txn.spawn_watcher(self.root, self.backend.name, t.id))
                except BaseException:
                    txn.drop(self.root)
                    raise
        return t

    def change_commit(self) -> None:
        """Keep the changes made since :meth:`change_begin`; drop the snapshot."""
        with self._lock.exclusive(), txn.os_errors(self.root):
            self._open_transaction("commit")
            txn.drop(self.root)

    def change_rollback(self) -> list[str]:
        """Put every file back as it was at :meth:`change_begin` (bytes, mode,
        owner), remove the files created since; return the paths changed."""
        with self._lock.exclusive(), txn.os_errors(self.root):
            txn.recover_journal(self.root)
            return self._rollback(self._open_transaction("roll back"), restart=True)

    def change_rollback_expired(self, txn_id: str) -> bool:
        """The watcher's rollback: only if transaction *txn_id* is still open."""
        with self._lock.exclusive(), txn.os_errors(self.root):
            txn.recover_journal(self.root)
            t = txn.current(self.root)
            if t is None or t.id != txn_id:
                return False
            self._rollback(t, restart=True)
            return True

    def change_recover(self) -> tuple[str | None, str | None]:
        """Boot-time recovery (netcf-transaction.service): finish or undo an
        interrupted save, then roll back a transaction left open, archiving the
        files it discards. Returns (what happened to a journal, the archive)."""
        with self._lock.exclusive(), txn.os_errors(self.root):
            outcome = txn.recover_journal(self.root)
            t = txn.current(self.root)
            if t is None:
                return outcome, None
            self._check_backend(t)
            where = txn.archive(self.root, self.owned_files())
            self._rollback(t, restart=False)
            return outcome, where

    @contextlib.contextmanager
    def transaction(self, timeout: float | None = None) -> Iterator[txn.Transaction]:
        """``with cfg.transaction(): ...`` commits when the block ends and
        rolls back when it raises."""
        t = self.change_begin(timeout)
        try:
            yield t
        except BaseException:
            self.change_rollback()
            raise
        self.change_commit()

    def _open_transaction(self, verb: str) -> txn.Transaction:
        t = txn.require(self.root, verb)
        self._check_backend(t)
        return t

    def _check_backend(self, t: txn.Transaction) -> None:
        if t.backend != self.backend.name:
            raise InvalidOperation(f"the open transaction was begun with the {t.backend} backend, "
                                   f"not {self.backend.name} (use --backend {t.backend})", file=self.root)

    def _rollback(self, t: txn.Transaction, restart: bool) -> list[str]:
        before = self._descriptions() if restart else {}
        changed = txn.restore(self.root, t, self.owned_files())
        txn.drop(self.root)
        if restart and changed:
            after = self._descriptions()
            names = sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))
            txn.restart_changed_interfaces(self.root, self.backend.name, names)
            self._restart(names, before, after)
        return changed

    def _restart(self, names: list[str], before: dict[str, bytes], after: dict[str, bytes]) -> None:
        """After a rollback, bring the kernel back to the restored configuration:
        each changed top-level interface that is up goes down as the rolled-back
        description had it (deleting the devices it made) and up as the restored
        one says. Only where the configuration describes this kernel: root ``/``,
        or any root from inside a network namespace of its own (never the
        host's interfaces for a root that is a copy). Failures are logged: the
        files are back either way."""
        from .kernel import kernel_is_ours

        if not names or not kernel_is_ours(self.root):
            return
        try:
            from . import kernel

            snap = kernel.snapshot()
        except (ImportError, AugnetcfError, OSError) as e:
            log.warning("cannot restart %s after the rollback: %s", " ".join(names), e)
            return
        docs = {}
        for which, descs in (("before", before), ("after", after)):
            for n in names:
                try:
                    docs[which, n] = etree.fromstring(descs[n]) if n in descs else None
                except etree.XMLSyntaxError:  # no description, just why (an error message)
                    docs[which, n] = None
        ports = {p.get("name") for d in docs.values() if d is not None for p in d.iter("interface")
                 if p.getparent() is not None}
        for n in names:
            if n in ports or kernel.status(snap, n) != "active":
                continue
            try:
                if docs["before", n] is not None:
                    kernel.ifdown(kernel.plan(docs["before", n]))
                if docs["after", n] is not None:
                    for warning in kernel.ifup(kernel.plan(docs["after", n])):
                        log.warning("%s", warning)
                log.info("restarted %s after the rollback", n)
            except (AugnetcfError, OSError) as e:
                log.warning("cannot restart %s after the rollback: %s", n, e)

    def _descriptions(self) -> dict[str, bytes]:
        """Every interface's description in canonical form (or why it has none)."""
        snap = self._snapshot()
        if self.index is not None:  # every interface's elements
            snap = self._snapshot(list(snap.units), refresh=False)
        out = {}
        for name in snap.units:
            try:
                doc = xslt.from_forest(_subforest(snap.owned(name)), self.backend, name)
                out[name] = minimal.canonical(doc)
            except AugnetcfError as e:
                out[name] = str(e).encode()
        return out


def _subforest(elements: list[etree._Element],
               context: Callable[[etree._Element], list[etree._Element]] | None = None) -> etree._Element:
    """A forest of copies of *elements*, each inside copies of its ancestors
    (its file's ``<tree>``, an ``auto`` container), in the order given, and
    with copies of the nodes *context* names for it."""
    out = etree.Element("forest")
    copies: dict[etree._Element, etree._Element] = {}

    def container(orig: etree._Element) -> etree._Element:
        if orig not in copies:
            parent = out if orig.tag == "tree" else container(orig.getparent())
            copies[orig] = etree.SubElement(parent, orig.tag, dict(orig.attrib))
        return copies[orig]

    for el in elements:
        parent = out if el.tag == "tree" else container(el.getparent())
        for extra in context(el) if context else []:
            if extra not in copies:
                copies[extra] = copy.deepcopy(extra)
                container(extra.getparent()).append(copies[extra])
        copies[el] = copy.deepcopy(el)
        parent.append(copies[el])
    return out
