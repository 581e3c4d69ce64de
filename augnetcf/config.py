"""The engine: list, look up, define and undefine interfaces under a root.

Every backend goes through the same steps; only the data in
:mod:`augnetcf.backends` differs.

Define:  parse -> validate -> to_forest -> forest.write (smallest change) -> save
Dumpxml: forest.read (all files) -> pick the interface's units -> from_forest

For a backend with ``index=True`` the :class:`~augnetcf.index.Index` says
which units every file holds, so a command about one interface reads only
its files and its relatives', and a change loads only those into Augeas.

:class:`Config` is the façade: it holds the root, the lock, the Augeas
session and the dry run, and delegates the rest: which unit is whose
(:mod:`augnetcf.resolve`), what to read (:mod:`augnetcf.load`), how a
change edits the files (:mod:`augnetcf.edit`), transactions
(:mod:`augnetcf.changes`) and the kernel (:mod:`augnetcf.live`).
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from . import backends, resolve, txn
from ._lazy import lazy
from .errors import (
    AugnetcfError,
    FileError,
    InternalError,
    InvalidOperation,
    NotFound,
    XMLInvalid,
)
from .index import Index
from .macs import normalize_mac, sysfs_macs  # noqa: F401  (sysfs_macs: callers import it from here)
from .resolve import XPATH_NS, Snapshot  # noqa: F401  (XPATH_NS: share and tests import it from here)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound=Callable[..., Any])
    _T = TypeVar("_T")

# Imported on first use (see augnetcf._lazy): listing from the index's facts
# needs neither libaugeas, lxml, the stylesheets nor netaddr.
aug = lazy("augnetcf.aug", globals())
changes = lazy("augnetcf.changes", globals())
detect = lazy("augnetcf.detect", globals())
edit = lazy("augnetcf.edit", globals())
etree = lazy("lxml.etree", globals(), also=("augnetcf.xslt",))  # its XPath functions
live = lazy("augnetcf.live", globals())
load = lazy("augnetcf.load", globals())
minimal = lazy("augnetcf.minimal", globals())
schema = lazy("augnetcf.schema", globals())
window = lazy("augnetcf.window", globals())
xslt = lazy("augnetcf.xslt", globals())


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
        self._lock.recover()  # an interrupted save is finished or undone before anything else
        self.backend = backends.get(detect.detect(root) if backend is None else backend)
        self.root = root
        self._closed = False
        self._session: aug.AugeasSession | None = None
        # node positions in files: stanza comments, layout kept across removals
        self._spans = bool(self.backend.stanza_comments or self.backend.keep_layout)
        #: which file says what (``Backend.index``); None: every command loads every file
        self.index: Index | None = None
        self._resolutions = resolve.Kept()
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
            if self.index is not None:
                self._session.known = self._known_tree
        return self._session

    def _known_tree(self, path: str, data: bytes) -> tuple | None:
        """For the session, of a file of a Python lens (netplan's YAML): the
        tree the index keeps for file *path* (on disk), if the index parsed
        exactly *data*, the bytes the session read (:meth:`Index.tree_if_holds`)."""
        if self.index is None:
            return None
        tree = self.index.tree_if_holds("/" + os.path.relpath(path, self.root), data)
        return aug.python_tree(tree) if tree is not None else None

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
            changed = self.session.save(delete=delete, new_mode=new_mode, guard=self._guard)
            if self.index is not None:
                load.learn_saved(self.session, self.index, self.backend, changed, delete)
            return
        for path, before, after in self.session.preview(delete=delete, guard=self._guard):
            self._dry_run.append(FileChange(os.path.relpath(path, self.root), before, after))

    def _guard(self, paths: list[str]) -> None:
        """:func:`augnetcf.edit.guard`: refuse files that are not augnetcf's to change."""
        edit.guard(paths, self.root, self.backend)

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

    def _load_forest(self) -> etree._Element:
        """Read the files under the read lock, so that they are all from
        before a concurrent write or all from after it; finish first a save
        whose writer died (its journal is still there)."""
        return self._locked_read(self._read_forest)

    def _locked_read(self, read: Callable[[], _T]) -> _T:
        """``read()`` under the read lock (:meth:`augnetcf.txn.Lock.read`)."""
        if self._closed:
            raise InvalidOperation("the configuration has been closed")
        return self._lock.read(read)

    def _read_forest(self) -> etree._Element:
        """Load the backend's files, following includes until none is new."""
        opened = self._session is None
        session = self.session
        if not opened:  # a session opened just now (under the lock) has just read them
            session.load()
        return load.read_all(session, self.backend, self.root)

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
        for attempt in range(4):  # (the first may be the resolved file's, which a change outdates)
            snap = self._resolve(refresh or attempt > 0, record=not write)
            if names is None or self._materialize(snap, names, write, extra):
                return snap
        raise InternalError("the configuration files keep changing while augnetcf reads them",
                            file=self.root)

    def _full_snapshot(self) -> Snapshot:
        """Every file read at once (no index): :func:`augnetcf.resolve.from_forest`."""
        forest_ = self._load_forest()
        return resolve.from_forest(forest_, self.backend, sysfs_macs(self.root))

    def _resolve(self, refresh: bool = True, record: bool = False) -> Snapshot:
        """Which unit is which interface's, from the index (no tree read):
        :func:`augnetcf.resolve.from_index`, the full load's rules on the
        facts the index keeps per unit; or what the index's resolved file
        kept, when no file, include or kernel MAC changed since. With
        *record* (a command that only reads), a fresh resolution is kept
        for the next command (:meth:`Index.record_resolved`); a change
        would only make it stale."""
        assert self.index is not None
        if refresh:
            self._locked_read(self.index.refresh)
        kernel = sysfs_macs(self.root)
        kept = self.index.resolved
        if kept is not None and kept[0] == kernel:
            self._resolutions.seed(self.index.entries, kernel, resolve.from_kept(kept))
        snap = self._resolutions.snapshot(self.index.entries, self.backend, kernel)
        last = self._resolutions.last
        if record and self._resolutions.fresh and last is not None:
            # (no lock: the file pairs the resolution with the stamps it came from)
            self.index.record_resolved(kernel, resolve.to_kept(last),
                                       [(n, last.macs.get(n) or "") for n in last.top_level()])
        return snap

    def _materialize(self, snap: Snapshot, names: Iterable[str], write: bool, extra: Iterable[str]) -> bool:
        """Replace the references of *names* in *snap* by elements
        (:func:`augnetcf.load.materialize`); False if a file changed since
        the index read it. With *write*, from a session that holds just
        their files and the files *extra* (Augeas paths a change writes)."""
        assert self.index is not None
        return load.materialize(snap, names, write, extra, self.index, self.backend, self._change_session)

    def _change_session(self, refs: list[tuple], files: list[int], extra: list[str],
                        paths: list[str]) -> tuple[aug.AugeasSession, dict[str, window.Window]]:
        """The session a change edits in, and the windows it shows: a window
        on each big file the change needs (:func:`augnetcf.load.windows`),
        unless a windowed try failed (``_no_window``)."""
        windows = {} if self._no_window else load.windows(refs, files, extra, self.index, self.backend,
                                                            self.root)
        if windows:  # Augeas sees only the part of each big file the change needs
            if self._session is not None:
                self._session.close()
            self._session = window.WindowSession(self.root, self.backend.transforms, windows,
                                                 dict.fromkeys(paths), spans=self._spans)
            self._windowed = True
        return self.session, windows

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
        if self.index is not None and not self.index.watched:  # (watched: a refresh is cheaper)
            kernel = sysfs_macs(self.root)
            listed = self._locked_read(lambda: self.index.listing(kernel))
            if listed is not None:
                return [(name, mac) for name, mac in listed]
        snap = self._snapshot()  # (which keeps the listing, see _resolve)
        return [(n, snap.macs.get(n) or "") for n in snap.top_level()]

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
        edit.refuse_units(snap, [name], FileError, lambda p: self.session.fs_path(p), self.backend, self.root,
                          self.index)
        doc = xslt.from_forest(edit.subforest(units, self.backend), self.backend, name)
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
        A description that is invalid, or that the backend cannot express, is
        refused before anything under the root is touched (the lock included).
        """
        doc = schema.load(xml, source)
        edit.refuse_limits(doc, source, self.backend)
        return self._define(doc, source)

    @_writes
    def _define(self, doc: etree._ElementTree, source: str = "<string>") -> Interface:
        name = doc.getroot().get("name")
        self._refuse_if_broken()
        new = xslt.to_forest(doc, self.backend)
        names = {el.get("name") for el in doc.getroot().iter("interface") if el.get("name")}
        snap = self._snapshot(names, write=True, extra=[t.get("path") for t in new.iter("tree")],
                              refresh=False)  # _refuse_if_broken just did
        if not edit.define(snap, new, doc, names, source, self.session, self.backend, self.root, self.index,
                           self._save):  # the files already say it
            return Interface(self, name, snap.macs.get(name) or None)
        mac_el = doc.getroot().find("mac")
        mac = normalize_mac(mac_el.get("address")) if mac_el is not None else None
        return Interface(self, name, mac or sysfs_macs(self.root).get(name))

    def undefine(self, name: str) -> None:
        """Remove *name*'s configuration and that of its ports and slaves.
        An unknown *name* is refused before the write lock is taken when
        taking it would create the lock file, so it creates nothing under
        the root. Once the lock file is there (any change made it), the
        check is left to the locked look: a look before it would only be
        done twice (a third of an undefine among 4,000 files)."""
        if self._dry_run is None and not self._lock.exists() and not self._snapshot().owned(name):
            raise self._not_found(name)
        self._undefine(name)

    @_writes
    def _undefine(self, name: str) -> None:
        snap = self._snapshot([name], write=True)
        owned = snap.owned(name)
        if not owned:
            raise self._not_found(name)
        self._refuse_if_broken(refresh=False)  # the snapshot just looked
        edit.undefine(owned, self.session.aug, self.backend, self._save)

    # -- the kernel (augnetcf.live; pyroute2 is imported on first use) --------------
    def status(self, name: str) -> str:
        """``"active"`` when the kernel has *name* and it is administratively up
        (ncftool's meaning), else ``"inactive"``. *name* need not be defined."""
        return self.statuses([name])[name]

    def statuses(self, names: list[str] | None = None) -> dict[str, str]:
        """Status of each of *names* (default: the top-level interfaces), from one kernel read."""
        return live.statuses(self, names)

    def xml_state(self, name: str) -> str:
        """Interface XML describing device *name* as the kernel has it now:
        addresses, mtu, mac, ports and slaves, vlan, link state and speed.
        :class:`NotFound` when the kernel has no such device."""
        return live.xml_state(name)

    def ifup(self, name: str, timeout: float = 10.0) -> list[str]:
        """Bring *name* up from its configuration without distro scripts, then
        verify that the kernel matches it. Returns warnings (no carrier within
        *timeout* seconds); raises :class:`KernelError` naming what failed or differs."""
        return live.ifup(self, name, timeout)

    def ifdown(self, name: str) -> None:
        """Bring *name* down: release its DHCP lease, remove its addresses,
        release its ports and slaves, delete the virtual devices ifup created."""
        live.ifdown(self, name)

    def diff(self, name: str) -> list[str]:
        """Each way the kernel differs from *name*'s configuration, one line
        each naming the device; empty when they agree."""
        return live.diff(self, name)

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
        return changes.begin(self, timeout)

    def change_commit(self) -> None:
        """Keep the changes made since :meth:`change_begin`; drop the snapshot."""
        changes.commit(self)

    def change_rollback(self) -> list[str]:
        """Put every file back as it was at :meth:`change_begin` (bytes, mode,
        owner), remove the files created since; return the paths changed."""
        return changes.rollback(self)

    def change_rollback_expired(self, txn_id: str) -> bool:
        """The watcher's rollback: only if transaction *txn_id* is still open."""
        return changes.rollback_expired(self, txn_id)

    def change_recover(self) -> tuple[str | None, str | None]:
        """Boot-time recovery (netcf-transaction.service): finish or undo an
        interrupted save, then roll back a transaction left open, archiving the
        files it discards. Returns (what happened to a journal, the archive)."""
        return changes.recover(self)

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
