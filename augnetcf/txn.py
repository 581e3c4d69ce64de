"""Transactions: the writers' lock, the intent journal, snapshots, recovery.

Three layers, each small:

* :class:`Lock` serialises writers and lets readers see the files either
  before or after a write: ``flock`` on ``<root>/var/lib/augnetcf/lock``,
  exclusive for writers, shared for readers. The kernel drops a dead
  process' lock, so a stale lock never blocks anyone.
* :class:`Journal` makes one save, which may touch several files, all or
  nothing even under SIGKILL. Its steps: write a *prepared* journal listing
  what the folders the save may write in hold (fsync'd), let Augeas stage
  each changed file beside its original (its newfile mode), name every staged
  and deleted file in the journal, fsync the staged files, hard-link each
  original into the journal directory as a backup, then replace the journal
  with a *committed* one that carries each staged file's SHA-256: that
  rename is the commit point. Only then are staged files renamed over the
  originals and deleted files unlinked. :func:`recover_journal`, which every
  :class:`~augnetcf.config.Config` runs before anything else, undoes a
  prepared journal (the originals were never touched) and redoes a committed
  one, or, should a staged file not be what the journal says, puts every
  backup back.
* A *transaction* (netcf's change-begin / commit / rollback) is a snapshot
  of every file the backend owns, taken under ``snapshot/``. Rollback puts
  them back byte for byte with mode and owner, and removes the files created
  since, through a :class:`Journal` like any other save. A timed transaction
  is watched by a detached process (:func:`spawn_watcher`) that rolls back
  unless the transaction is committed in time; one left open when the machine
  died is rolled back at boot by ``augnetcf change-recover``.

:func:`_step` marks every write, fsync, link, rename and unlink, so the crash
harness (tests/integration/test_crash.py) can stop a save at any one of them.

Why one module of about 780 lines: one job, making changes to a root's files
durable and undoable. The lock, the journal and the transactions share the
state directory, the fsync and rename helpers and the fault-injection points
of the crash harness, and recovery has to know all three layers' files;
splitting them would make those helpers public across modules for no
caller's benefit. Running a transaction on a configuration (and restarting
the kernel after a rollback) lives in :mod:`augnetcf.changes`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ._lazy import lazy, logger
from .errors import FileError, InternalError, InvalidOperation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    _T = TypeVar("_T")

# What only a save, a transaction or a crash test needs (see augnetcf._lazy).
datetime = lazy("datetime", globals())
hashlib = lazy("hashlib", globals())
secrets = lazy("secrets", globals())
shutil = lazy("shutil", globals())
signal = lazy("signal", globals())

log = logger("augnetcf", globals())  # imported when something is logged

#: Where augnetcf keeps its state, under the root.
STATE_DIR = "var/lib/augnetcf"

# -- fault injection (tests only) ----------------------------------------------------------------
#: Test hook: called with a description before every write, fsync, link, rename
#: and unlink of a save; it may raise to simulate a crash at that instant.
fault_hook: Callable[[str], None] | None = None
#: Test hook for other processes: ``AUGNETCF_FAULT_AT=K`` SIGKILLs this
#: process just before its K-th step (counted from process start).
FAULT_ENV = "AUGNETCF_FAULT_AT"
_steps = 0


def _step(what: str) -> None:
    global _steps
    _steps += 1
    if fault_hook is not None:
        fault_hook(what)
    at = os.environ.get(FAULT_ENV)
    if at and at.isdigit() and int(at) == _steps:
        os.kill(os.getpid(), signal.SIGKILL)


# -- small durable file operations -----------------------------------------------------------------
def fsync_file(path: str) -> None:
    _step(f"fsync {path}")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: str) -> None:
    """Make renames, creations and unlinks in *path* durable."""
    _step(f"fsync {path}/")
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: str, data: bytes, mode: int = 0o600) -> None:
    """Write *path* through ``path.tmp`` and a rename, fsync'ing file and directory."""
    tmp = path + ".tmp"
    _step(f"write {tmp}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
    try:
        os.write(fd, data)
        _step(f"fsync {tmp}")
        os.fsync(fd)
    finally:
        os.close(fd)
    _step(f"rename {tmp}")
    os.replace(tmp, path)
    fsync_dir(os.path.dirname(path))


def sha256(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def os_errors(where: str) -> Iterator[None]:
    """Report a stray OSError as a FileError naming its file: the command
    prints those in one line (a traceback is for bugs)."""
    try:
        yield
    except FileError:
        raise
    except OSError as e:
        raise FileError(e.strerror or str(e), file=e.filename or where) from None


def check_root(root: str) -> str:
    """Refuse a root that is not a directory before anything (Augeas, the
    lock) looks under it; the root as an absolute path."""
    if not os.path.exists(root):
        raise FileError("root directory does not exist", file=root)
    if not os.path.isdir(root):
        raise FileError("root is not a directory", file=root)
    return os.path.abspath(root)


def state_dir(root: str, create: bool = False) -> str:
    """``<root>/var/lib/augnetcf``; created (0700) when *create*. It must not
    lead outside the root, like every other file augnetcf writes."""
    path = os.path.join(root, STATE_DIR)
    if create and not os.path.isdir(path):
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except OSError as e:
            raise FileError(f"cannot create augnetcf's state directory: {e.strerror}", file=path) from None
    real, top = os.path.realpath(path), os.path.realpath(root)
    if not (real + os.sep).startswith(top.rstrip(os.sep) + os.sep):
        raise FileError(f"leads outside the root (to {real}); augnetcf will not use it", file=path)
    return path


def _rel(root: str, path: str) -> str:
    return os.path.relpath(path, root)


def _abs(root: str, rel: str) -> str:
    path = os.path.normpath(os.path.join(root, rel))
    if not path.startswith(root.rstrip(os.sep) + os.sep):
        raise FileError(f"journal or snapshot names a file outside the root: {rel}", file=root)
    return path


# -- the lock --------------------------------------------------------------------------------------
class Lock:
    """Writers exclusive, readers shared, on ``<root>/var/lib/augnetcf/lock``.

    Re-entrant within one :class:`~augnetcf.config.Config` (a define reads
    while it holds the write lock). Readers never create the lock file: on a
    root no writer has touched they read unlocked, and look again afterwards
    in case a writer appeared meanwhile (see :meth:`shared`).
    """

    def __init__(self, root: str):
        self.root = root
        self.path = os.path.join(root, STATE_DIR, "lock")
        self._fd: int | None = None
        self._mode = 0
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._depth > 0

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        if self._depth:
            if self._mode != fcntl.LOCK_EX:
                raise InternalError("asked for the write lock while holding the read lock")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        state_dir(self.root, create=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as e:
            raise FileError(f"cannot open the lock file: {e.strerror}", file=self.path) from None
        with self._holding(fd, fcntl.LOCK_EX):
            yield

    @contextlib.contextmanager
    def shared(self) -> Iterator[bool]:
        """Hold the read lock if there is a lock file; yield whether it is held."""
        if self._depth:
            self._depth += 1
            try:
                yield True
            finally:
                self._depth -= 1
            return
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            yield False
            return
        with self._holding(fd, fcntl.LOCK_SH):
            yield True

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def recover(self) -> None:
        """Finish or undo, under the write lock, a save whose writer died
        (its journal is still there); nothing when there is none."""
        if journal_pending(self.root):
            with self.exclusive(), os_errors(self.root):
                recover_journal(self.root)

    def read(self, read: Callable[[], _T]) -> _T:
        """``read()`` under the read lock, so that the files it reads are all
        from before a concurrent write or all from after it; a save whose
        writer died is finished first (:meth:`recover`). Within our own
        write (the write lock is held) it just reads."""
        if self.held:
            return read()
        while True:
            self.recover()
            with self.shared() as locked:
                if not journal_pending(self.root):
                    out = read()
                    if locked or not self.exists():
                        return out
            # a writer died meanwhile, or appeared on a root that had none: again

    @contextlib.contextmanager
    def _holding(self, fd: int, mode: int) -> Iterator[bool]:
        try:
            fcntl.flock(fd, mode)
            self._fd, self._mode, self._depth = fd, mode, 1
            yield True
        finally:
            self._fd, self._mode, self._depth = None, 0, 0
            os.close(fd)  # releases the flock


# -- the journal -----------------------------------------------------------------------------------
@dataclass
class Change:
    """One file of a save: *target* gets *staged*'s bytes, or is deleted when
    *staged* is None. Paths are relative to the root, so a root that moves
    (a --root on another mount) keeps its journal meaningful."""

    target: str
    staged: str | None = None
    sha256: str | None = None
    backup: str | None = None
    #: where Augeas put the staged file (next to a symlink, not its target)
    augnew: str | None = None

    def to_json(self) -> dict:
        return dict(self.__dict__)


#: Augeas' staged and temporary files: FILE.augnew, FILE.augnew.XXXXXX, FILE.XXXXXX (mkstemp)
_TEMP = re.compile(r".+\.(?:augnew|augnew\.[A-Za-z0-9]{6}|[A-Za-z0-9]{6})")


class Journal:
    """One all-or-nothing change to several files (see the module docstring)."""

    def __init__(self, root: str, changes: list[Change], listing: dict[str, list[str]] | None = None):
        self.root = root
        self.changes = changes
        #: folder (relative) -> the names in it before the save: whatever
        #: temporary file appears there is swept if the save does not commit
        self.listing = listing or {}
        self.dir = state_dir(root)
        self.path = os.path.join(self.dir, "journal")
        self.backups = os.path.join(self.dir, "journal.d")

    # -- writing ----------------------------------------------------------
    @classmethod
    def begin(cls, root: str, folders: Iterable[str]) -> Journal:
        """Record, before Augeas writes anything, what *folders* hold now:
        a crash before :meth:`plan` is undone by removing the ``FILE.augnew``
        and ``FILE.XXXXXX`` files that appeared there since."""
        state_dir(root, create=True)
        journal = cls(root, [])
        if os.path.lexists(journal.path):
            raise InternalError("an unfinished journal is in the way", file=journal.path)
        journal._list(folders)
        journal._save("prepared")
        return journal

    @classmethod
    def prepare(cls, root: str, written: Iterable[str], deleted: Iterable[str] = ()) -> Journal | None:
        """:meth:`begin` and :meth:`plan` at once; None when there is nothing to do."""
        written, deleted = list(written), list(deleted)
        journal = cls.begin(root, {os.path.dirname(os.path.realpath(p)) for p in written + deleted})
        return journal if journal.plan(written, deleted) else None

    def plan(self, written: Iterable[str], deleted: Iterable[str] = ()) -> bool:
        """Name every file the save will write (staged as ``TARGET.augnew``)
        or delete (paths under the root); the originals stay untouched until
        :meth:`apply`. False, and the journal is gone, when there is nothing to do."""
        root = self.root
        for path in written:
            target = os.path.realpath(path)
            self.changes.append(Change(_rel(root, target), staged=_rel(root, target + ".augnew"),
                                       augnew=_rel(root, path + ".augnew")))
        self.changes += [Change(_rel(root, path)) for path in deleted]
        if not self.changes:
            self.finish()
            return False
        self._list(os.path.dirname(self.abs(c.staged)) for c in self.changes if c.staged)
        self._save("prepared")
        return True

    def _list(self, folders: Iterable[str]) -> None:
        # Only the temporary-looking names: :meth:`abort` removes just those
        # that appeared since, so the others (thousands of ifcfg files) need
        # not be written to the journal three times a save.
        for folder in folders:
            rel = _rel(self.root, folder)
            if rel not in self.listing:
                with contextlib.suppress(OSError):
                    self.listing[rel] = sorted(n for n in os.listdir(folder) if _TEMP.fullmatch(n))

    def _save(self, state: str) -> None:
        try:
            self._write(state)
        except OSError as e:
            raise FileError(f"cannot write the journal: {e.strerror}", file=self.path) from None

    def _write(self, state: str) -> None:
        data = {"version": 1, "state": state, "changes": [c.to_json() for c in self.changes],
                "listing": self.listing}
        _write_durably(self.path, json.dumps(data, indent=1).encode())

    def abs(self, rel: str) -> str:
        return _abs(self.root, rel)

    def stage(self, staged: Callable[[str, str], None] | None = None) -> None:
        """Make every staged file final and durable: move it beside its
        target when Augeas wrote it beside a symlink, let *staged(staged,
        target)* adjust it (mode, owner), fsync it and its directory."""
        dirs = set()
        for c in self.changes:
            if c.staged is None:
                continue
            staged_path, target = self.abs(c.staged), self.abs(c.target)
            if c.augnew and c.augnew != c.staged:
                _step(f"move {c.augnew}")
                _move(self.abs(c.augnew), staged_path)
            if staged is not None:
                _step(f"attrs {staged_path}")
                staged(staged_path, target)
            fsync_file(staged_path)
            dirs.add(os.path.dirname(staged_path))
        for d in sorted(dirs):
            fsync_dir(d)

    def commit(self) -> None:
        """The commit point: back up the originals, then mark the journal committed."""
        os.makedirs(self.backups, mode=0o700, exist_ok=True)
        for i, c in enumerate(self.changes):
            if c.staged is not None:
                c.sha256 = sha256(self.abs(c.staged))
                if c.sha256 is None:
                    raise InternalError("a staged file vanished before the commit", file=self.abs(c.staged))
            target = self.abs(c.target)
            if os.path.lexists(target):
                c.backup = f"{i}"
                _link_or_copy(target, os.path.join(self.backups, c.backup))
        fsync_dir(self.backups)
        self._write("committed")

    def apply(self) -> None:
        """Rename the staged files over their targets and unlink the deleted
        ones; idempotent, so recovery can run it again after a crash."""
        dirs = set()
        for c in self.changes:
            target = self.abs(c.target)
            if c.staged is not None:
                staged = self.abs(c.staged)
                if os.path.lexists(staged):
                    _step(f"rename {c.staged}")
                    os.replace(staged, target)
            elif os.path.lexists(target):
                _step(f"unlink {c.target}")
                os.unlink(target)
            dirs.add(os.path.dirname(target))
        for d in sorted(dirs):
            fsync_dir(d)
        self.finish()

    def finish(self) -> None:
        _step(f"unlink {self.path}")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        fsync_dir(self.dir)
        shutil.rmtree(self.backups, ignore_errors=True)

    def abort(self) -> None:
        """Undo a journal that was not committed: the originals were never
        touched, so removing the staged files and the temporary files Augeas
        made (names that appeared since :meth:`begin`) is enough."""
        for c in self.changes:
            for rel in {c.staged, c.augnew} - {None}:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.abs(rel))
        for rel, before in self.listing.items():
            folder = self.abs(rel) if rel != "." else self.root
            with contextlib.suppress(OSError):
                for name in set(os.listdir(folder)) - set(before):
                    if _TEMP.fullmatch(name):
                        os.unlink(os.path.join(folder, name))
        self.finish()

    def roll_back(self) -> None:
        """Put every original back from its backup (a committed journal whose
        staged files are not all intact), and drop what was created."""
        dirs = set()
        for c in self.changes:
            target = self.abs(c.target)
            if c.backup is not None:
                backup = os.path.join(self.backups, c.backup)
                tmp = target + ".augrestore"
                if not _same_file(backup, target):  # (rename between two links of one file does nothing)
                    _link_or_copy(backup, tmp)
                    os.replace(tmp, target)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)  # left by a crash in an earlier attempt
            elif os.path.lexists(target):
                os.unlink(target)
            if c.staged is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.abs(c.staged))
            dirs.add(os.path.dirname(target))
        for d in sorted(dirs):
            fsync_dir(d)
        self.finish()

    def run(self, adjust: Callable[[str, str], None] | None = None) -> None:
        """Stage, commit and apply. A failure before the commit point leaves
        the originals alone; one after it puts them back from the backups
        (or, if even that fails, leaves the journal for the next open)."""
        committed = False
        try:
            self.stage(adjust)
            self.commit()
            committed = True
            self.apply()
        except OSError as e:
            with contextlib.suppress(OSError):
                self.roll_back() if committed else self.abort()
            raise FileError(f"cannot be written: {e.strerror}", file=e.filename or self.root) from None

    def complete(self) -> bool:
        """Whether every change can still be made: each staged file is intact,
        or already renamed into place."""
        for c in self.changes:
            if c.staged is None:
                continue
            if os.path.lexists(self.abs(c.staged)):
                if sha256(self.abs(c.staged)) != c.sha256:
                    return False
            elif sha256(self.abs(c.target)) != c.sha256:
                return False
        return True


def _same_file(a: str, b: str) -> bool:
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except FileNotFoundError:
        return False
    return (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev)


def _move(src: str, dst: str) -> None:
    try:
        os.replace(src, dst)
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        shutil.copy2(src, dst)
        os.unlink(src)


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link (no data copied), or a durable copy across file systems."""
    _step(f"link {src}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dst)
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError as e:
        if e.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        shutil.copy2(src, dst, follow_symlinks=False)
        if not os.path.islink(dst):
            fsync_file(dst)


def recover_journal(root: str) -> str | None:
    """Finish or undo a save a crash interrupted; the caller holds the write
    lock. Returns ``"rolled forward"``, ``"rolled back"`` or None (no journal)."""
    folder = os.path.join(root, STATE_DIR)
    path = os.path.join(folder, "journal")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path + ".tmp")  # never the commit point: only its rename is
    try:
        with open(path, "rb") as f:
            data = json.load(f)
    except FileNotFoundError:
        shutil.rmtree(os.path.join(folder, "journal.d"), ignore_errors=True)
        return None
    except (OSError, ValueError) as e:
        raise FileError(f"cannot read the journal of an interrupted change: {e}", file=path) from None
    journal = Journal(root, [Change(**c) for c in data.get("changes", [])], data.get("listing"))
    if data.get("state") == "committed":
        if journal.complete():
            journal.apply()
            outcome = "rolled forward"
        else:
            journal.roll_back()
            outcome = "rolled back"
    else:
        journal.abort()
        outcome = "rolled back"
    log.warning("an interrupted change to %d file(s) under %s was %s", len(journal.changes), root, outcome)
    return outcome


def journal_pending(root: str) -> bool:
    return os.path.lexists(os.path.join(root, STATE_DIR, "journal"))


# -- transactions ----------------------------------------------------------------------------------
@dataclass
class Transaction:
    """An open change-begin: its snapshot's manifest."""

    id: str
    backend: str
    begun: float
    deadline: float | None
    #: each file the backend owned at begin: path (relative), mode, uid, gid, sha256
    files: list[dict]
    watcher: int | None = None


def _snapshot_dir(root: str) -> str:
    return os.path.join(root, STATE_DIR, "snapshot")


def current(root: str) -> Transaction | None:
    """The open transaction under *root*, or None."""
    try:
        with open(os.path.join(_snapshot_dir(root), "manifest.json"), "rb") as f:
            data = json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise FileError(f"cannot read the open transaction: {e}", file=_snapshot_dir(root)) from None
    return Transaction(**data)


def begin(root: str, backend: str, files: Iterable[str], timeout: float | None) -> Transaction:
    """Snapshot *files* (paths under the root) as a new open transaction.
    The caller holds the write lock. Built in ``snapshot.new`` and renamed
    into place, so a crash leaves either no transaction or a whole one."""
    if current(root) is not None:
        raise InvalidOperation("a transaction is already open (change-commit or change-rollback it first)",
                               file=_snapshot_dir(root))
    if timeout is not None and not timeout > 0:
        raise InvalidOperation(f"the timeout must be a positive number of seconds, not {timeout}")
    folder = state_dir(root, create=True)
    new = os.path.join(folder, "snapshot.new")
    shutil.rmtree(new, ignore_errors=True)
    now = time.time()
    txn = Transaction(id=secrets.token_hex(8), backend=backend, begun=now,
                      deadline=now + timeout if timeout is not None else None, files=[])
    try:
        os.makedirs(os.path.join(new, "files"), mode=0o700)
        for path in sorted(set(files)):
            real = os.path.realpath(path)
            st = os.stat(real)
            rel = _rel(root, path)
            copy = os.path.join(new, "files", rel)
            os.makedirs(os.path.dirname(copy), mode=0o700, exist_ok=True)
            _step(f"snapshot {rel}")
            shutil.copyfile(real, copy)
            fsync_file(copy)
            txn.files.append({"path": rel, "mode": stat.S_IMODE(st.st_mode), "uid": st.st_uid,
                              "gid": st.st_gid, "sha256": sha256(copy)})
        for dirpath, _dirs, _files in os.walk(new):
            fsync_dir(dirpath)
        _write_durably(os.path.join(new, "manifest.json"), json.dumps(txn.__dict__, indent=1).encode())
        _step("rename snapshot")
        os.replace(new, _snapshot_dir(root))
        fsync_dir(folder)
    except OSError as e:
        shutil.rmtree(new, ignore_errors=True)
        raise FileError(f"cannot take the snapshot: {e.strerror}", file=e.filename or new) from None
    return txn


def set_watcher(root: str, txn: Transaction, pid: int) -> None:
    txn.watcher = pid
    _write_durably(os.path.join(_snapshot_dir(root), "manifest.json"), json.dumps(txn.__dict__).encode())


def require(root: str, verb: str) -> Transaction:
    txn = current(root)
    if txn is None:
        raise InvalidOperation(f"no transaction is open to {verb} (start one with change-begin)",
                               file=_snapshot_dir(root))
    return txn


def drop(root: str) -> None:
    """Forget the open transaction (commit, or after a rollback): one rename,
    then the removal of what it held."""
    folder = os.path.join(root, STATE_DIR)
    old = os.path.join(folder, "snapshot.old")
    shutil.rmtree(old, ignore_errors=True)
    _step("rename snapshot.old")
    os.replace(_snapshot_dir(root), old)
    fsync_dir(folder)
    shutil.rmtree(old, ignore_errors=True)


def restore(root: str, txn: Transaction, now: Iterable[str]) -> list[str]:
    """Put the snapshot's files back and delete the files in *now* (paths
    the backend owns at present) that it did not hold, through a
    :class:`Journal`. Returns the paths changed."""
    snap = os.path.join(_snapshot_dir(root), "files")
    held = {f["path"]: f for f in txn.files}
    written: list[str] = []
    for rel, f in held.items():
        path = _abs(root, rel)
        real = os.path.realpath(path)
        try:
            st = os.stat(real)
            same = (sha256(real) == f["sha256"] and stat.S_IMODE(st.st_mode) == f["mode"]
                    and (st.st_uid, st.st_gid) == (f["uid"], f["gid"]))
        except FileNotFoundError:
            same = False
        if not same:
            written.append(path)
    deleted = sorted(p for p in set(now) if _rel(root, p) not in held and os.path.lexists(p))
    journal = Journal.prepare(root, written, deleted)
    if journal is None:
        return []
    try:
        for c, path in zip(journal.changes, written):  # the written ones come first
            f = held[_rel(root, path)]
            staged = journal.abs(c.augnew or c.staged)
            os.makedirs(os.path.dirname(staged), exist_ok=True)
            _step(f"write {c.augnew}")
            shutil.copyfile(os.path.join(snap, f["path"]), staged)
            os.chown(staged, f["uid"], f["gid"])
            os.chmod(staged, f["mode"])
    except OSError as e:
        journal.abort()
        raise FileError(f"cannot be restored: {e.strerror}", file=e.filename or root) from None
    journal.run()
    return written + deleted


def archive(root: str, files: Iterable[str]) -> str:
    """Copy *files* (what a boot-time rollback discards) to
    ``archive/YYYYmmddTHHMMSSZ/`` under the state directory; return it."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    dest = os.path.join(state_dir(root, create=True), "archive", stamp)
    for path in sorted(set(files)):
        if not os.path.isfile(path):
            continue
        copy = os.path.join(dest, _rel(root, path))
        os.makedirs(os.path.dirname(copy), mode=0o700, exist_ok=True)
        shutil.copy2(os.path.realpath(path), copy)
    os.makedirs(dest, mode=0o700, exist_ok=True)
    return dest


# -- the watcher -----------------------------------------------------------------------------------
def spawn_watcher(root: str, backend: str, txn_id: str) -> int:
    """Start ``python -m augnetcf change-watch`` fully detached (double fork,
    new session, no terminal, stdio on /dev/null); return its pid. It rolls
    the transaction back at its deadline unless it was committed first."""
    argv = [sys.executable, "-m", "augnetcf", "--root", root, "--backend", backend, "change-watch", txn_id]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.close(r)
            os.setsid()
            grandchild = os.fork()
            if grandchild == 0:
                os.close(w)
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.closerange(3, 65536)
                os.chdir("/")
                try:
                    os.execv(argv[0], argv)
                finally:
                    os._exit(127)
            os.write(w, str(grandchild).encode())
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    if not data.isdigit():
        raise FileError("cannot start the rollback watcher", file=sys.executable)
    return int(data)


def wait_for_deadline(root: str, txn_id: str, poll: float = 0.2) -> bool:
    """Sleep until transaction *txn_id*'s deadline. False as soon as it is
    no longer the open one (committed, rolled back)."""
    while True:
        txn = current(root)
        if txn is None or txn.id != txn_id or txn.deadline is None:
            return False
        left = txn.deadline - time.time()
        if left <= 0:
            return True
        time.sleep(min(left, poll))


def restart_changed_interfaces(root: str, backend: str, names: list[str]) -> None:
    """Hook for the kernel layer: restart the interfaces whose configuration
    a rollback just changed, so a host cut off by a change gets its old
    network back without a reboot.

    A timed rollback (and change-rollback) calls this with the names of the
    interfaces whose description differs before and after the rollback. It
    only logs until :mod:`augnetcf.kernel` lands; then it should take each
    interface down and up again there (never at boot: change-recover runs
    before the network is started and does not call it).
    """
    if names:
        log.info("interfaces changed by the rollback: %s (restarting them needs the kernel layer)",
                 " ".join(names))
