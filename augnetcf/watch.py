"""Knowing that no file changed without looking at every one: inotify.

The index checks every file's stamp before it answers (a ``stat`` each, since
a file edited in place changes no directory): about 10 ms for 4,000 files,
which a tool that keeps one :class:`~augnetcf.config.Config` and asks it
again and again pays on every call. Linux can say instead that nothing
changed: an inotify watch on a directory reports every file created,
deleted, renamed, written or re-stamped in it, whoever does it, from the
moment the watch exists. So the index may skip its look at the files when

* every directory it read files from, every directory its globs would read
  (existing or not: the nearest existing ancestor then), and every ancestor
  of those up to the root, was watched before its last full look;
* no event has arrived on any of them since;
* none of the files it found was a symbolic link (the target's directory
  is not watched), and every watched directory is on a local filesystem
  (NFS, CIFS and FUSE report only the changes made on this machine);
* and this is the process that armed the watches (a forked child shares
  the queue, so one of them could read the other's events).

Any doubt means a full look, never a stale answer: the queue's overflow, an
event about a directory (made, removed, renamed, or a watched one itself),
any event in a directory watched only for its structure (an ancestor), a
directory not watched before, an inotify call that fails. Events that name
files in a directory files are read from say which files to look at again
(:meth:`Watcher.changes`): the index looks at just those, by the rules of
its full look (an edit of one file, augnetcf's own save included, costs a
look at that file, not at all 4,000). Only a process that looks twice arms a watcher at
all (:class:`augnetcf.index.Index` waits for its second refresh), so a
one-shot command pays nothing. ``AUGNETCF_WATCH=off`` turns it off.
"""

from __future__ import annotations

import contextlib
import os
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

#: inotify(7): what changes a directory's entries or a file in it
_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF = 0x400, 0x800
_IN_ONLYDIR = 0x01000000
#: what an event may say that no name of a file can stand for
_IN_UNMOUNT, _IN_Q_OVERFLOW, _IN_IGNORED, _IN_ISDIR = 0x2000, 0x4000, 0x8000, 0x40000000
_DOUBT = _IN_DELETE_SELF | _IN_MOVE_SELF | _IN_UNMOUNT | _IN_Q_OVERFLOW | _IN_IGNORED | _IN_ISDIR
#: struct inotify_event: wd, mask, cookie, len, then the name (len bytes, NUL-padded)
_EVENT = struct.Struct("iIII")
_STRUCTURE = (_IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE | _IN_DELETE_SELF | _IN_MOVE_SELF
              | _IN_ONLYDIR)
_MASK = _STRUCTURE | _IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE
_IN_NONBLOCK, _IN_CLOEXEC = 0o4000, 0o2000000

#: Filesystems whose every change, made by any process on this machine, inotify reports.
LOCAL = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "overlay", "f2fs", "zfs",
                   "ramfs", "jfs", "reiserfs", "bcachefs", "squashfs", "erofs", "vfat", "exfat"})


def enabled() -> bool:
    """Whether watching is allowed here (Linux, not turned off)."""
    return os.environ.get("AUGNETCF_WATCH", "").lower() not in ("off", "0", "no") \
        and os.path.isdir("/proc/self")


def _mounts() -> list[tuple[str, str]]:
    """(mount point, filesystem type) of every mount this process sees, longest first."""
    out = []
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                fields = line.split()
                if "-" not in fields:
                    continue
                point = fields[4].encode().decode("unicode_escape")  # \040 for a blank
                out.append((point, fields[fields.index("-") + 1]))
    except OSError:
        return []
    return sorted(out, key=lambda m: len(m[0]), reverse=True)


def _fstype(path: str, mounts: list[tuple[str, str]]) -> str:
    real = os.path.realpath(path)
    for point, kind in mounts:
        if real == point or real.startswith(point.rstrip("/") + "/"):
            return kind
    return ""


def directories(root: str, patterns: Iterable[str]) -> dict[str, bool]:
    """The directories (full paths) whose changes can change what glob
    *patterns* (under *root*) take, each with whether files are read from
    it: the pattern's folder, or every folder its magic part matches now
    (True); for a folder that does not exist, its nearest existing ancestor
    (True: the folder may appear in it); and every ancestor of those up to
    the root (False: only a rename or a new or deleted entry there matters)."""
    import glob

    top = root.rstrip("/")
    out: dict[str, bool] = {}
    for pattern in patterns:
        folder = pattern.rpartition("/")[0]
        parts = folder.split("/")[1:]
        static = []
        for part in parts:
            if glob.has_magic(part):
                break
            static.append(part)
        found = [top + "".join("/" + p for p in static)]
        if len(static) < len(parts):
            found += [p for p in glob.glob(glob.escape(top) + folder) if os.path.isdir(p)]
        for path in found:
            while len(path) > len(top) and not os.path.isdir(path):
                path = os.path.dirname(path)
            out[path or "/"] = True
            while len(path) > len(top) and path not in ("", "/"):
                path = os.path.dirname(path)
                out.setdefault(path or "/", False)
    return out


class Watcher:
    """Watches on a set of directories; :meth:`quiet` says whether nothing happened since the last look."""

    def __init__(self) -> None:
        import ctypes

        self._libc = ctypes.CDLL(None, use_errno=True)
        self._pid = os.getpid()
        self._fd = self._libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        #: watch descriptor -> (directory, whether files are read from it)
        self._wds: dict[int, tuple[str, bool]] = {}
        self._mounts: list[tuple[str, str]] | None = None
        #: whether the last :meth:`arm` covered every directory on a local filesystem
        self.sound = False

    def close(self) -> None:
        if self._fd >= 0 and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = -1

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # never raise from a finalizer
            self.close()

    def _drain(self) -> set[str] | None:
        """Read every queued event: the paths of the files they name (empty:
        none came), or None when one says something no file name can (see
        the module docstring)."""
        paths: set[str] | None = set()
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return paths
            except OSError:
                return None
            if not data:
                return paths
            at = 0
            while at + _EVENT.size <= len(data):
                wd, mask, _cookie, size = _EVENT.unpack_from(data, at)
                name = data[at + _EVENT.size:at + _EVENT.size + size].rstrip(b"\0")
                at += _EVENT.size + size
                folder, files = self._wds.get(wd, ("", False))
                if paths is None or mask & _DOUBT or not files or not name or b"/" in name:
                    paths = None
                else:
                    paths.add(folder.rstrip("/") + "/" + os.fsdecode(name))

    def changes(self) -> set[str] | None:
        """The files (full paths) events named since the last look, in the
        directories of the last :meth:`arm` whose files are read; an empty
        set when nothing happened. None when that cannot be known: not every
        directory was watched, an event said more than a file's name (see
        the module docstring), or this is not the process that armed them.
        Reads the queued events, so each is said once; after None the
        caller arms again and looks at every file."""
        if self._fd < 0 or self._pid != os.getpid():
            return None
        paths = self._drain()
        return paths if self.sound else None

    def quiet(self) -> bool:
        """Whether nothing changed in the directories of the last :meth:`arm`
        (:meth:`changes` is empty)."""
        return self.changes() == set()

    def arm(self, dirs: dict[str, bool]) -> None:
        """Watch *dirs* (again: a directory replaced since gets a watch on the
        new one), before the caller looks at the files. :attr:`sound` says
        whether every one could be watched and is on a local filesystem."""
        if self._fd < 0 or self._pid != os.getpid():
            self.sound = False
            return
        self._drain()
        if self._mounts is None:
            self._mounts = _mounts()
        sound = True
        for path, files in sorted(dirs.items()):
            mask = _MASK if files else _STRUCTURE
            wd = self._libc.inotify_add_watch(self._fd, os.fsencode(path), mask)
            if wd < 0 or _fstype(path, self._mounts) not in LOCAL:
                sound = False
            else:  # the same directory keeps its descriptor; a replaced one gets another
                self._wds[wd] = (path, files)
        self.sound = sound
