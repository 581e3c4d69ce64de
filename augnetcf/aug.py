"""The only place augnetcf talks to libaugeas directly.

An :class:`AugeasSession` opens Augeas under a root with
``NO_MODL_AUTOLOAD`` and registers just the backend's transforms, so loading
costs what the backend's files cost and nothing more (loading every stock lens
takes about a second). Parse and save failures under ``/augeas//error`` turn
into :class:`~augnetcf.errors.FileError` naming the file, the line and the
lens' complaint.

With spans on, a session also keeps each file's layout across removals.
Augeas prints a tree by matching its nodes to the original text's pieces in
order, label by label, so after a removed Debian stanza (or SUSE route line)
every later node of that label would be printed with the spacing of the one
before it. The session remembers where each removed top-level node was in its
file and, at save, lets Augeas print the tree against the original text with
those lines cut out (``aug_text_retrieve``): every surviving line keeps its
own bytes.

Older python-augeas releases lack calls that libaugeas itself has had since
1.11: the binding Debian 12 ships (0.5.0, ctypes) has no ``ns_count``,
``ns_value``, ``ns_path`` or ``ns_attr``, and its ``get`` and ``set`` turn an
empty value (``ZONE=''``) into no value at all, where 1.x reads and writes an
empty one. :class:`_Libaugeas` is a
minimal ctypes shim that makes exactly those calls on the binding's own
handle, through the library the binding loaded (python-augeas before 1.0 keeps
it as ``Augeas._libaugeas``) or ``libaugeas.so.0``. It fills only the gaps: a
binding that has a call, and gets it right, keeps its own.

Why one module of about 930 lines: one job, it is the only place that talks
to libaugeas. Most of it is :class:`AugeasSession`, whose load, narrowing,
layout-keeping save (cut lines, staged files, the journal) and the Python
lenses' trees all act on the same handle and the same per-file bookkeeping;
split, each part would reach into the others' state. The shim for old
bindings is small and used only here.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fnmatch
import functools
import os
import re
import stat
import time
from collections.abc import Callable, Iterable
from glob import iglob

import augeas

from . import resources, txn
from ._lazy import logger
from .backends import Transform
from .errors import FileError
from .txn import check_root  # defined there: the lock needs no libaugeas

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lxml import etree

log = logger("augnetcf", globals())  # imported when something is logged


#: A path whose every step is its own label: nothing Augeas would escape.
_PLAIN_PATH = re.compile(r"(?:/[A-Za-z0-9_.@%:+-]+)+")


_CHARP = ctypes.c_char_p
_CHARPP = ctypes.POINTER(ctypes.c_char_p)


class _Libaugeas:
    """The libaugeas calls augnetcf needs beyond what every python-augeas has
    (see the module docstring), made with ctypes on a binding's handle.

    Strings Augeas returns through ``const char **`` point into its tree and
    are not freed; ``aug_ns_path`` allocates its result, which is freed here
    with libc's ``free``. Errors raise :class:`RuntimeError` with Augeas' own
    message, as python-augeas 1.x's ``AugeasRuntimeError`` (a RuntimeError)
    does."""

    def __init__(self) -> None:
        own = getattr(augeas.Augeas, "_libaugeas", None)  # python-augeas < 1.0 loads it with ctypes
        # A CDLL of our own on the same library (dlopen hands back the loaded
        # one): declaring argtypes here leaves the binding's function objects alone.
        try:
            lib = ctypes.CDLL(getattr(own, "_name", None) or "libaugeas.so.0")
        except OSError:  # not under its usual name: ask the linker's cache (ldconfig, ~10 ms)
            from ctypes.util import find_library

            lib = ctypes.CDLL(find_library("augeas") or "libaugeas.so.0")
        void = ctypes.c_void_p
        for fn, args in (("aug_get", [void, _CHARP, _CHARPP]),
                         ("aug_set", [void, _CHARP, _CHARP]),
                         ("aug_ns_count", [void, _CHARP]),
                         ("aug_ns_value", [void, _CHARP, ctypes.c_int, _CHARPP]),
                         ("aug_ns_path", [void, _CHARP, ctypes.c_int, ctypes.POINTER(void)]),
                         ("aug_ns_attr", [void, _CHARP, ctypes.c_int, _CHARPP, _CHARPP, void]),
                         ("aug_error_message", [void]),
                         ("aug_error_minor_message", [void]),
                         ("aug_error_details", [void])):
            getattr(lib, fn).argtypes = args
            getattr(lib, fn).restype = _CHARP if fn.startswith("aug_error") else ctypes.c_int
        libc = ctypes.CDLL(None)
        libc.free.argtypes, libc.free.restype = [void], None
        self.lib, self._free = lib, libc.free
        # dump_xml: aug_to_xml, printed by the libxml2 libaugeas itself uses
        try:
            lib.aug_to_xml.argtypes = [void, _CHARP, ctypes.POINTER(void), ctypes.c_uint]
            lib.aug_to_xml.restype = ctypes.c_int
            xml = ctypes.CDLL("libxml2.so.2")
            xml.xmlBufferCreate.argtypes, xml.xmlBufferCreate.restype = [], void
            xml.xmlNodeDump.argtypes = [void, void, void, ctypes.c_int, ctypes.c_int]
            xml.xmlNodeDump.restype = ctypes.c_int
            xml.xmlBufferContent.argtypes, xml.xmlBufferContent.restype = [void], void
            xml.xmlBufferLength.argtypes, xml.xmlBufferLength.restype = [void], ctypes.c_int
            xml.xmlBufferFree.argtypes, xml.xmlBufferFree.restype = [void], None
            xml.xmlFreeNode.argtypes, xml.xmlFreeNode.restype = [void], None
            self._xml: ctypes.CDLL | None = xml
        except (OSError, AttributeError):  # no libxml2 by that name, or an Augeas before 1.0
            self._xml = None

    @staticmethod
    def handle(aug: augeas.Augeas) -> int:
        """The ``augeas *`` behind *aug*, as an address, from either kind of binding."""
        h = aug._Augeas__handle
        if not h:
            raise RuntimeError("The Augeas object has already been closed!")
        if isinstance(h, ctypes.c_void_p):  # python-augeas < 1.0
            return h.value or 0
        return int(augeas.ffi.cast("uintptr_t", h))  # cffi (python-augeas >= 1.0)

    def dump_xml(self, aug: augeas.Augeas, path: str) -> bytes | None:
        """The nodes *path* matches as XML, what ``augtool dump-xml`` prints
        (``<augeas><node label=".." path=".."><value>..</value><node ..>``):
        one call into libaugeas for a whole tree, where reading it node by
        node costs several calls a node. The bytes are exactly the labels
        and values (libxml2 escapes nothing it cannot write, so bytes that
        are not UTF-8 or XML text make the result fail to parse). None
        where it cannot be had (no libxml2 by its soname, an error)."""
        xml = self._xml
        if xml is None:
            return None
        node = ctypes.c_void_p()
        if self.lib.aug_to_xml(self.handle(aug), path.encode(), ctypes.byref(node), 0) < 0 or not node:
            return None
        buf = xml.xmlBufferCreate()
        try:
            if not buf or xml.xmlNodeDump(buf, None, node, 0, 0) < 0:
                return None
            return ctypes.string_at(xml.xmlBufferContent(buf), xml.xmlBufferLength(buf))
        finally:
            if buf:
                xml.xmlBufferFree(buf)
            xml.xmlFreeNode(node)

    def _fail(self, h: int, call: str) -> RuntimeError:
        parts = [self.lib.aug_error_message(h), self.lib.aug_error_minor_message(h),
                 self.lib.aug_error_details(h)]
        text = ": ".join(p.decode("utf-8", "replace") for p in parts if p)
        return RuntimeError(f"Augeas.{call}() failed" + (f": {text}" if text else ""))

    def get(self, aug: augeas.Augeas, path: str) -> str | bytes | None:
        """The value at *path*, None for none; ValueError when *path* matches
        several nodes or is no path. An empty value is ``b""``, exactly what
        python-augeas 1.x returns for one: the engine is tested against that
        answer, and a ``""`` changes which nodes its edits match (with it, a
        netplan edit reorders route items). 0.5's own get says None."""
        h, value = self.handle(aug), _CHARP()
        if self.lib.aug_get(h, path.encode(), ctypes.byref(value)) < 0:
            raise ValueError(str(self._fail(h, "get")))
        return None if value.value is None else (value.value.decode() or b"")

    def set(self, aug: augeas.Augeas, path: str, value: str | None) -> None:
        """Set *path* to *value*; ``""`` stays an empty value, and None is
        written as one too, as python-augeas 1.x does (what augnetcf is tested on)."""
        h = self.handle(aug)
        if self.lib.aug_set(h, path.encode(), (value or "").encode()) < 0:
            raise ValueError(str(self._fail(h, "set")))

    def ns_count(self, aug: augeas.Augeas, var: str) -> int:
        h = self.handle(aug)
        n = self.lib.aug_ns_count(h, var.encode())
        if n < 0:
            raise self._fail(h, "ns_count")
        return n

    def ns_value(self, aug: augeas.Augeas, var: str, index: int) -> str | None:
        h, value = self.handle(aug), _CHARP()
        if self.lib.aug_ns_value(h, var.encode(), index, ctypes.byref(value)) < 0:
            raise self._fail(h, "ns_value")
        return None if value.value is None else value.value.decode()

    def ns_path(self, aug: augeas.Augeas, var: str, index: int) -> str | None:
        h, path = self.handle(aug), ctypes.c_void_p()
        if self.lib.aug_ns_path(h, var.encode(), index, ctypes.byref(path)) < 0:
            raise self._fail(h, "ns_path")
        if not path.value:
            return None
        try:
            return ctypes.string_at(path.value).decode()
        finally:
            self._free(path)

    def ns_node(self, aug: augeas.Augeas, var: str, index: int) -> tuple[str | None, str]:
        h, value, label = self.handle(aug), _CHARP(), _CHARP()
        if self.lib.aug_ns_attr(h, var.encode(), index, ctypes.byref(value), ctypes.byref(label), None) < 0:
            raise self._fail(h, "ns_attr")
        return (None if value.value is None else value.value.decode(),
                (label.value or b"").decode())


_LIBAUGEAS = _Libaugeas()
#: python-augeas before 1.0 (ctypes): its get and set lose empty values.
_PRE_1_0 = hasattr(augeas.Augeas, "_libaugeas")


class _Augeas(augeas.Augeas):
    """python-augeas that, when *cuts* is a dict, notes where each removed
    top-level node was in its file (byte ranges by disk path), for
    :meth:`AugeasSession._recut`. Every removal in augnetcf goes through here.
    Where the binding lacks ``ns_count``, ``ns_value`` or ``ns_path``, or
    loses empty values in ``get`` and ``set``, those come from :class:`_Libaugeas`."""

    cuts: dict[str, list[tuple[int, int]]] | None = None
    #: Whether anything under /files changed since the session last put the
    #: trees of its Python lenses there (see AugeasSession._load_python).
    touched: bool = False
    #: The paths of those changes (see :meth:`touches`).
    touched_paths: list[str]

    def set(self, path: str, value: str | None) -> None:
        self._touch(path)
        if _PRE_1_0:
            _LIBAUGEAS.set(self, path, value)
        else:
            super().set(path, value)

    def insert(self, path: str, label: str, before: bool = True) -> None:
        self._touch(path)
        super().insert(path, label, before)

    def move(self, src: str, dst: str) -> None:
        self._touch(src)
        self._touch(dst)
        super().move(src, dst)

    def _touch(self, path: str) -> None:
        if not path.startswith(("/augeas", "/augnetcf")):
            if not self.touched:
                self.touched_paths = []
            self.touched = True
            self.touched_paths.append(path)

    def touches(self, tree: str) -> bool:
        """Whether a change since the session last put its Python lenses'
        trees may have reached file tree *tree* (a ``/files/...`` path): a
        change at or below it, above it, or anywhere a wildcard could reach."""
        if not self.touched:
            return False
        for path in self.touched_paths:
            path = path.replace("\\", "")
            if not path.startswith("/files/") or "*" in path or "//" in path:
                return True
            if path == tree or path.startswith((tree + "/", tree + "[")) or tree.startswith(path + "/"):
                return True
        return False

    if _PRE_1_0:
        def get(self, path: str) -> str | bytes | None:
            return _LIBAUGEAS.get(self, path)

    if not hasattr(augeas.Augeas, "ns_count"):
        def ns_count(self, var: str) -> int:
            return _LIBAUGEAS.ns_count(self, var)

    if not hasattr(augeas.Augeas, "ns_value"):
        def ns_value(self, var: str, index: int) -> str | None:
            return _LIBAUGEAS.ns_value(self, var, index)

    if not hasattr(augeas.Augeas, "ns_path"):
        def ns_path(self, var: str, index: int) -> str | None:
            return _LIBAUGEAS.ns_path(self, var, index)

    def dump_xml(self, path: str) -> bytes | None:
        """The nodes *path* matches as XML (see :meth:`_Libaugeas.dump_xml`)."""
        return _LIBAUGEAS.dump_xml(self, path)

    def ns_node(self, var: str, index: int) -> tuple[str | None, str]:
        """(value, label) of node *index* of variable *var*: ``ns_attr``
        without the file. Asking Augeas for a node's file makes it compute
        that file's path the first time, which walks every sibling of the file
        in its folder: quadratic over a folder of thousands of files. No
        python-augeas can leave the file out, so this always goes through
        :class:`_Libaugeas`."""
        return _LIBAUGEAS.ns_node(self, var, index)

    def remove(self, path: str) -> int:
        self._touch(path)
        if self.cuts is not None:
            for p in self.match(path):
                self._note_cut(p)
        return super().remove(path)

    def _note_cut(self, path: str) -> None:
        parent = path.rsplit("/", 1)[0]
        try:
            disk, *_labels, start, end = self.span(path)
        except (ValueError, RuntimeError):  # python-augeas 1.x: AugeasValueError, a ValueError
            return  # a node made in this session has no span: nothing to cut
        assert self.cuts is not None
        if not self.match(f"/augeas{parent}/path"):
            return  # not a line of its own at the top of a file
        self.cuts.setdefault(os.path.normpath(disk), []).append((start, end))


class AugeasSession:
    """A libaugeas handle limited to the given transforms, under *root*."""

    def __init__(self, root: str, transforms: Iterable[Transform], spans: bool = False,
                 lazy: bool = False):
        """With *lazy*, read no file until :meth:`narrow` or :meth:`widen` says which."""
        self.root = check_root(root)
        try:
            self.aug = _Augeas(
                root=self.root,
                loadpath=resources.data_path("lenses"),
                flags=augeas.Augeas.NO_MODL_AUTOLOAD | augeas.Augeas.NO_LOAD,
            )
        except (OSError, RuntimeError) as e:
            raise FileError(f"cannot initialise Augeas: {e}", file=self.root) from None
        self._included: set[str] = set()
        self._broken: list[FileError] = []
        self._stats: dict[str, tuple[str, tuple[int, ...]]] = {}  # meta -> (file, _stat_key)
        self._transforms = tuple(transforms)
        self._spans = spans
        #: Python lenses: the globs each reads (by transform index), and what
        #: each of its files held when read: (stat key, parsed, tree).
        self._python_incl: dict[int, list[str]] = {}
        self._python: dict[str, tuple[tuple[int, ...], object, tuple]] = {}
        #: the same, of files the last load left out (see _load_python)
        self._python_out: dict[str, tuple[tuple[int, ...], object, tuple]] = {}
        #: For a file of a Python lens: the tree the caller already knows for
        #: exactly the bytes read (given the file's path and those bytes), or
        #: None, and then the lens parses them (see Config._known_tree).
        self.known: Callable[[str, bytes], tuple | None] | None = None
        try:
            if spans:  # each node's position in its file: stanza_comments, _recut
                self.aug.set("/augeas/span", "enable")
            for i, t in enumerate(self._transforms):
                if t.python_lens:
                    self._python_incl[i] = [] if lazy else list(t.incl)
                    self._included.update(self._python_incl[i])
                    continue
                base = f"/augeas/load/xfm{i}"
                self.aug.set(f"{base}/lens", t.lens)
                for j, glob in enumerate(() if lazy else t.incl, 1):
                    self.aug.set(f"{base}/incl[{j}]", glob)
                    self._included.add(glob)
                for j, glob in enumerate(t.excl, 1):
                    self.aug.set(f"{base}/excl[{j}]", glob)
            if not lazy:
                self.load()
        except BaseException:
            self.close()  # python-augeas frees the handle only on close()
            raise

    # -- errors ---------------------------------------------------------------
    def fs_path(self, path: str) -> str:
        """``/files/etc/x`` or ``/etc/x`` as a path under the root, for messages."""
        if path.startswith("/files/"):
            path = path[len("/files"):]
        return os.path.join(self.root, path.lstrip("/"))

    def errors(self) -> list[FileError]:
        """Every problem Augeas recorded, as FileErrors naming file and line."""
        found = []
        get = self._get_text
        for err in self.aug.match("/augeas/files//error"):
            meta = err[: -len("/error")]
            file = self.fs_path(meta[len("/augeas/files"):])
            kind = get(err) or "error"
            message = get(f"{err}/message") or kind
            line = get(f"{err}/line")
            lens = get(f"{err}/lens")
            if kind == "parse_failed":
                text = f"cannot be parsed: {message}"
            elif kind in ("put_failed", "mk_augtemp", "open_augnew", "rename_augtemp", "unlink_orig",
                          "clone_unlink_dst", "close_augnew", "xfer_augnew", "replace_from_missing"):
                text = f"cannot be written ({kind}): {message}"
            else:
                text = f"{kind}: {message}"
            if lens and kind in ("parse_failed", "put_failed"):
                text += f" (lens {os.path.basename(lens.split(':')[0])})"
            found.append(FileError(text, file=file, line=int(line) if line and line.isdigit() else None))
        for err in self.aug.match("/augeas/load/*/error"):
            found.append(FileError(f"Augeas cannot load a lens: {self.aug.get(err)}", file=self.root))
        return found

    def _get_text(self, path: str) -> str | None:
        """A value from /augeas; Augeas' own messages are not always valid UTF-8."""
        try:
            return self.aug.get(path)
        except UnicodeDecodeError:
            return "(Augeas gave a message that is not UTF-8)"

    def raise_errors(self) -> None:
        errs = self.errors()
        if errs:
            raise errs[0]

    @property
    def broken(self) -> list[FileError]:
        """Files the lenses could not parse at the last load (they have no tree)."""
        return self._broken

    # -- load / save ----------------------------------------------------------
    def load(self) -> None:
        """(Re)read the files; Augeas skips files that have not changed."""
        self._forget_replaced()
        self.aug.cuts = {} if self._spans else None
        began = time.time_ns()  # every file is read after this (see _ambiguous)
        try:
            if len(self._python_incl) < len(self._transforms):
                self.aug.load()
        except (OSError, RuntimeError) as e:
            raise FileError(f"Augeas load failed: {e}", file=self.root) from None
        self._load_python()
        # A file its lens rejects is left out, not fatal: reading the others goes
        # on (the engine refuses to write while one is broken). Anything else is.
        errs = self.errors()
        self._broken = [e for e in errs if "cannot be parsed" in e.message]
        for err in errs:
            if err not in self._broken:
                raise err
        for err in self._broken:
            log.debug("%s (left out)", err)
        files = self.files()
        log.debug("loaded %d files under %s", len(files), self.root)
        for path in files:
            self.check_inside(self.fs_path(path))
        self._stats = {}
        # through a variable, as in files(): a lookup per file would be quadratic
        self.aug.defvar("ancffiles", "/augeas/files//path")
        try:
            for i in range(self.aug.ns_count("ancffiles")):
                tree = self.aug.ns_value("ancffiles", i)
                fs = self.fs_path(tree)
                # /augeas/files/X holds X's metadata; asking Augeas for the path
                # counts every sibling (quadratic), so only labels it would escape ask
                meta = f"/augeas{tree}" if _PLAIN_PATH.fullmatch(tree) else \
                    self.aug.ns_path("ancffiles", i)[: -len("/path")]
                self._stats[meta] = (fs, _stat_key(fs, began))
        finally:
            self.aug.defvar("ancffiles", "/augeas/ancf-unpinned")

    def _forget_replaced(self) -> None:
        """Make Augeas re-read every file replaced since the last load.

        Augeas skips a file whose mtime (in whole seconds) is unchanged, so a
        file another process replaced within the same second would keep its
        stale tree, and the next save would undo that process' change (a lost
        update). Every write here is a rename, so a new inode tells; a file
        rewritten in place has a new ctime (which no one can set back, unlike
        the mtime). A file that changed within the timestamp tick in which
        it was last read may have changed again within that tick, which no
        stamp tells (:func:`_ambiguous`): it is read again.
        """
        for meta, (fs, key) in self._stats.items():
            if _stat_key(fs)[:5] != key[:5] or _ambiguous(key):
                self.aug.set(f"{meta}/mtime", "0")
    def check_inside(self, path: str) -> None:
        """Refuse a file that resolves (through symlinks) to a place outside the root."""
        real = os.path.realpath(path)
        top = os.path.realpath(self.root)
        if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
            raise FileError(f"leads outside the root (to {real}); augnetcf will not use it", file=path)

    def save(self, delete: Iterable[str] = (), new_mode: int | None = None,
             guard: Callable[[list[str]], None] | None = None) -> list[str]:
        """Write every changed file and delete the files *delete* (Augeas
        paths), all or nothing; return the paths (under the root) changed.

        Augeas writes each changed file as ``FILE.augnew`` beside the original
        (its newfile mode) and leaves the originals alone. Only when every file
        has been written are they renamed into place, each rename atomic, and
        the deleted files unlinked. A lens or disk error therefore changes
        nothing, and the session is reloaded from disk so it stays usable.
        *guard* sees every file to be written or deleted before any is, and
        may refuse by raising :class:`FileError`.
        A file that did not exist gets mode *new_mode* (if given). The tree
        is not read again from disk until the next :meth:`load` or :meth:`narrow`.
        """
        aug = self.aug
        deleted = [self.fs_path(p) for p in delete]
        failure = None
        # Augeas writes through temporary FILE.XXXXXX files and does not always
        # remove them when a save fails (a full disk): note what is there now.
        folders = self._folders()
        litter = {d: set(os.listdir(d)) for d in folders if os.path.isdir(d)}
        # The intent journal, before Augeas writes anything: a crash from here
        # on is undone (or finished) when a Config opens next.
        journal: txn.Journal | None = txn.Journal.begin(self.root, litter)
        try:
            self._check_folders(folders, deleted)
            txn._step("augeas save")
            planned = self._drop_deleted(self._stage(), deleted)
            if guard is not None:
                guard(planned + deleted)
            if not journal.plan(planned, deleted):
                journal = None
        except FileError:  # ours, from check_inside (a FileError is also an OSError)
            self._unstage()
            if journal is not None:
                journal.abort()
            self.load()
            raise
        except (OSError, RuntimeError) as e:
            failure = e
        written = [p for p in (self.fs_path(aug.get(e)) for e in aug.match("/augeas/events/saved"))
                   if p not in deleted]
        if failure is not None:
            errs = self.errors()
            for path in written:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path + ".augnew")
            _sweep(litter)
            if journal is not None:
                journal.abort()
            self.load()
            if errs:
                raise errs[0] from None
            raise FileError(f"Augeas save failed: {failure}", file=self.root) from None
        for path in deleted:  # before anything is renamed: a deletion that cannot happen stops it all
            folder = os.path.dirname(os.path.realpath(path))
            if os.path.lexists(path) and not os.access(folder, os.W_OK):
                for p in written:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(p + ".augnew")
                if journal is not None:
                    journal.abort()
                self.load()
                raise FileError(f"cannot be deleted: {os.strerror(errno.EACCES)} or read-only", file=path)
        if journal is not None:
            self._commit(journal, new_mode)
        for path in written:
            log.debug("saved %s", path)
        for path in deleted:
            log.debug("deleted %s", path)
        # No reload here: every read starts with load() or narrow(), which
        # re-parse exactly the files replaced since (their inodes changed).
        return written + deleted

    def parse_bytes(self, data: bytes, lens: str, as_path: str) -> etree._Element | None:
        """The ``<tree>`` (in a forest of its own) that loading a file holding
        *data* as Augeas path *as_path* with *lens* gives, parsed from *data*
        itself in this session's handle: no file is read, no lens module
        loaded again. What a window printed, or what a change wrote (see
        :meth:`augnetcf.index.Index.learn`). None when the lens rejects it
        or it is not text XML can carry."""
        from . import forest

        a = self.aug
        scratch = "/augnetcf/parsed"
        try:
            a.set("/augnetcf/text", data.decode())
            a.text_store(lens, "/augnetcf/text", scratch)
            unreadable: list[str] = []
            read = forest.read(a, [scratch], unreadable)
        except (KeyError, UnicodeDecodeError, ValueError, RuntimeError):
            return None
        finally:
            a.remove("/augnetcf")
        if unreadable or len(read) != 1:
            return None
        tree = read[0]
        tree.set("path", as_path)
        for node in tree.iter("node"):
            path = node.get("path")
            if path is not None:
                node.set("path", as_path + path[len(scratch):])
        return tree

    def preview(self, delete: Iterable[str] = (), guard: Callable[[list[str]], None] | None = None
                ) -> list[tuple[str, bytes | None, bytes | None]]:
        """What :meth:`save` would do, done to nothing: ``(path, before,
        after)`` for every file it would write or delete (``None`` for a file
        that does not exist before, or no longer after). The tree is reloaded
        from disk afterwards, so the session forgets the pending edits.

        Augeas itself prints the new contents (newfile mode, into ``FILE.augnew``
        that is read and removed at once), so the preview is exactly what a
        save would write.
        """
        aug = self.aug
        deleted = [self.fs_path(p) for p in delete]
        folders = self._folders()
        litter = {d: set(os.listdir(d)) for d in folders if os.path.isdir(d)}
        changes: list[tuple[str, bytes | None, bytes | None]] = []
        try:
            self._check_folders(folders, deleted)
            planned = self._drop_deleted(self._stage(), deleted)
            if guard is not None:
                guard(planned + deleted)
            for meta in aug.match("/augeas/events/saved"):
                path = self.fs_path(aug.get(meta))
                if path not in planned:
                    continue
                before = _read_or_none(path)
                with open(path + ".augnew", "rb") as f:
                    after = f.read()
                if before == b"" and after.startswith(b"\n"):
                    after = after[1:]  # as _install does
                changes.append((path, before, after))
            changes += [(path, _read_or_none(path), None) for path in deleted if os.path.lexists(path)]
        except FileError:
            self._unstage()
            raise
        except (OSError, RuntimeError) as e:
            errs = self.errors()
            if errs:
                raise errs[0] from None
            raise FileError(f"Augeas save failed: {e}", file=self.root) from None
        finally:
            _sweep(litter)
            self.load()
        return changes

    def _folders(self) -> set[str]:
        """Every folder a save may write in: those of the loaded files and of
        the transforms' globs (where a new file goes)."""
        folders = {os.path.dirname(self.fs_path(p)) for p in self.files()}
        return folders | {os.path.dirname(os.path.join(self.root, g.lstrip("/"))) for g in self._included}

    def _check_folders(self, folders: Iterable[str], deleted: Iterable[str]) -> None:
        """Before Augeas writes anything: every folder it may write in, and
        every file to delete, must lie inside the root. (A loaded file was
        checked when it was read; a new file goes into one of *folders*.)"""
        for path in [*folders, *deleted]:
            self.check_inside(path)

    def _stage(self) -> list[str]:
        """Let Augeas print every changed file as ``FILE.augnew`` beside it
        (newfile mode) and return those files' paths; each must lie inside
        the root. One print per file: the folders were checked beforehand,
        so no dry run is needed to know where Augeas will write."""
        aug = self.aug
        aug.remove("/augeas/events/saved")
        aug.set("/augeas/save", "newfile")
        aug.save()
        self._stage_python()
        planned = [self.fs_path(aug.get(p)) for p in aug.match("/augeas/events/saved")]
        for path in planned:
            self.check_inside(path)
        self._recut()
        self._relayout()
        return planned

    # -- Python lenses ----------------------------------------------------------
    # A transform with a python_lens (netplan's YAML) is not Augeas' to read
    # or write: the session parses its files itself, puts each tree under
    # /files and its metadata under /augeas/files as Augeas does for its own
    # lenses (path, lens, and error/message/line for a file that does not
    # parse), so that everything above (forest, engine, errors, the journal)
    # works on it unchanged. At save, each file whose tree differs from what
    # was read is printed by the lens into FILE.augnew, as Augeas would.

    def _python_files(self) -> dict[str, int]:
        """Every file (absolute path) the Python lenses read now, with its transform's index."""
        out: dict[str, int] = {}
        for i, globs in self._python_incl.items():
            t = self._transforms[i]
            by_name: dict[str, str] = {}
            for pattern in globs:
                for path in sorted(iglob(os.path.join(self.root, pattern.lstrip("/")))):
                    name = os.path.basename(path)
                    if os.path.isfile(path) and not any(fnmatch.fnmatchcase(name, e) for e in t.excl):
                        if t.hides and name in by_name:
                            out.pop(by_name[name], None)  # hidden by this later one
                        by_name[name] = path
                        out.setdefault(path, i)
        return dict(sorted(out.items()))

    def _tree_path(self, path: str) -> str:
        return "/files/" + os.path.relpath(path, self.root).replace(os.sep, "/")

    def _load_python(self) -> None:
        """(Re)read the files of the Python lenses that changed on disk, or
        every one when the tree under /files was edited since (a load
        forgets edits that were not saved, as Augeas' does)."""
        if not self._python_incl:
            return
        import importlib

        from .forest import step

        aug = self.aug
        files = self._python_files()
        # an edit that was not saved: the files it reached are read again
        stale = [p for p in self._python if aug.touches(self._tree_path(p))]
        # a file this load leaves out keeps its parse, for a later load that
        # takes it in again while it is as it was (a big netplan file, with a
        # session narrowed to other files in between)
        for path in [p for p in self._python if p not in files and p not in stale]:
            self._python_out[path] = self._python.pop(path)
            aug.remove(self._tree_path(path))
            aug.remove("/augeas" + self._tree_path(path))
        for path in stale:
            del self._python[path]
            aug.remove(self._tree_path(path))
            aug.remove("/augeas" + self._tree_path(path))
        if aug.touched:  # a file made since the last load but never saved is forgotten too
            for tree_path in self._python_trees():
                if self.fs_path(tree_path) not in files:
                    aug.remove(tree_path)
        for path, i in files.items():
            key = _stat_key(path)
            known = self._python.get(path)
            if known is not None and known[0][:5] == key[:5] and not _ambiguous(known[0]):
                continue
            tree_path = self._tree_path(path)
            meta = "/augeas" + tree_path
            aug.remove(tree_path)
            aug.remove(meta)
            t = self._transforms[i]
            lens = importlib.import_module(t.python_lens)
            aug.set(f"{meta}/path", tree_path)
            aug.set(f"{meta}/lens", t.lens)
            self.check_inside(path)
            out = self._python_out.pop(path, None)
            if out is not None and out[0][:5] == key[:5] and not _ambiguous(out[0]):
                self._python[path] = out
                aug.set(tree_path, None)
                self._put_tree(tree_path, out[2], step)
                continue
            try:
                with open(path, "rb") as f:
                    data = f.read()
                text = data.decode()
                tree = self.known(path, data) if self.known is not None else None
                parsed = lens.parse(text) if tree is None else lens.known(text, tree)
            except UnicodeDecodeError:
                aug.set(f"{meta}/error", "parse_failed")
                aug.set(f"{meta}/error/message", "it holds bytes that are not UTF-8 text")
                continue
            except OSError as e:
                raise FileError(f"cannot be read: {e.strerror}", file=path) from None
            except ValueError as e:  # the lens' own error: not this format
                aug.set(f"{meta}/error", "parse_failed")
                aug.set(f"{meta}/error/message", getattr(e, "message", str(e)))
                line = getattr(e, "line", None)
                if line is not None:
                    aug.set(f"{meta}/error/line", str(line))
                continue
            self._python[path] = (key, parsed, parsed.tree)
            aug.set(tree_path, None)
            self._put_tree(tree_path, parsed.tree, step)
        aug.touched = False

    def _put_tree(self, path: str, tree: tuple, step: object, depth: int = 0) -> None:
        """Put *tree*'s nodes under Augeas node *path*, through variables (a
        path per node would walk its siblings: quadratic in a big file)."""
        aug = self.aug
        var = f"ancfput{depth}"
        for label, value, kids in tree:
            aug.set(f"{path}/{step(label)}[last()+1]", value)
            if kids:
                aug.defvar(var, f"{path}/{step(label)}[last()]")
                self._put_tree(f"${var}", kids, step, depth + 1)
        if depth == 0:
            for d in range(8):
                aug.defvar(f"ancfput{d}", "/augeas/ancf-unpinned")

    def _python_trees(self) -> dict[str, int]:
        """The Augeas paths of every tree under /files that a Python lens'
        globs match (files read, and files made since), with the transform's index."""
        trees: dict[str, int] = {}
        for i, globs in self._python_incl.items():
            for pattern in globs:
                folder, _sep, name = pattern.rpartition("/")
                for p in self.aug.match(f"/files{folder}/*"):
                    if fnmatch.fnmatchcase(p.rpartition("/")[2], name):
                        trees.setdefault(p, i)
        return trees

    def _stage_python(self) -> None:
        """Print every file of the Python lenses whose tree changed (or that
        is new) as FILE.augnew, and record it among /augeas/events/saved."""
        if not self._python_incl:
            return
        import importlib

        from . import forest

        aug = self.aug
        for tree_path, i in self._python_trees().items():
            path = self.fs_path(tree_path)
            if path in self._python and not aug.touches(tree_path):
                continue  # no edit reached it: as read (reading it back costs a big file's time)
            read = forest.read(aug, [tree_path])
            now = python_tree(read[0]) if len(read) else ()
            old = self._python.get(path)
            if old is not None and old[2] == now:
                continue
            if old is None and os.path.lexists(path):
                self.check_inside(path)  # a symlink out of the root, say
                raise FileError("cannot be written: it is there but was not read (not a regular file)",
                                file=path)
            lens = importlib.import_module(self._transforms[i].python_lens)
            try:
                text = lens.render(old[1] if old is not None else None, now)
            except ValueError as e:
                raise FileError(f"cannot be written: {getattr(e, 'message', e)}", file=path) from None
            self.check_inside(os.path.dirname(path))
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path + ".augnew")  # a leftover (or a planted symlink) is not written through
            try:
                fd = os.open(path + ".augnew", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                             stat.S_IMODE(os.stat(path).st_mode) if old is not None else 0o600)
                aug.set("/augeas/events/saved[last()+1]", tree_path)  # from here on, _unstage removes it
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
            except OSError as e:
                raise FileError(f"cannot be written: {e.strerror}", file=path) from None

    @staticmethod
    def _drop_deleted(planned: list[str], deleted: list[str]) -> list[str]:
        """*planned* without the files that are deleted anyway (a shared file
        whose last interface went is printed, emptied, before it is known to
        go): their staged copies are removed, so that the journal never both
        renames a file into place and deletes it."""
        gone = set(deleted)
        for path in planned:
            if path in gone:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path + ".augnew")
        return [p for p in planned if p not in gone]

    def _relayout(self) -> None:
        """Give each just-staged ``FILE.augnew`` whose transform has a
        ``relayout`` the file's own layout back (see :class:`Transform`)."""
        aug = self.aug
        relayout = {t.lens: t.relayout for t in self._transforms if t.relayout is not None}
        if not relayout:
            return
        for meta in aug.match("/augeas/events/saved"):
            tree = aug.get(meta)
            fix = relayout.get(aug.get(f"/augeas{tree}/lens") or "")
            if fix is None:
                continue
            disk = self.fs_path(tree)
            old = _read_or_none(disk) or b""
            with open(disk + ".augnew", "r+b") as f:  # keeps the mode Augeas gave it
                new = fix(old, f.read())
                f.seek(0)
                f.write(new)
                f.truncate()

    def _unstage(self) -> None:
        """Remove the ``FILE.augnew`` files the last :meth:`_stage` wrote."""
        for meta in self.aug.match("/augeas/events/saved"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.fs_path(self.aug.get(meta)) + ".augnew")

    def _recut(self) -> None:
        """Reprint each just-staged ``FILE.augnew`` that lost top-level nodes
        against FILE's text with those nodes' lines cut out, so that the lines
        after them keep their own layout (see the module docstring). Only
        whole lines are cut; a file whose cuts are not, or whose reprint
        Augeas refuses, keeps what Augeas printed (correct, layout aside)."""
        aug = self.aug
        if not aug.cuts:
            return
        for meta in aug.match("/augeas/events/saved"):
            tree = aug.get(meta)
            disk = self.fs_path(tree)
            ranges = aug.cuts.get(os.path.normpath(disk))
            if not ranges:
                continue
            with contextlib.suppress(OSError, UnicodeDecodeError, ValueError, RuntimeError):
                with open(disk, "rb") as f:
                    text = f.read()
                cut = _cut_lines(text, ranges)
                lens = aug.get(f"/augeas{tree}/lens")
                if cut is None or not lens:
                    continue
                aug.set("/augnetcf/cut/in", cut.decode())
                aug.text_retrieve(lens.split(":")[0], "/augnetcf/cut/in", tree, "/augnetcf/cut/out")
                out = aug.get("/augnetcf/cut/out")
                if out is not None:
                    with open(disk + ".augnew", "r+b") as f:  # keeps the mode Augeas gave it
                        f.write(out if isinstance(out, bytes) else out.encode())
                        f.truncate()
            aug.remove("/augnetcf")

    def _commit(self, journal: txn.Journal, new_mode: int | None = None) -> None:
        """Make the staged files durable, commit the journal, rename them into
        place (see :meth:`augnetcf.txn.Journal.run`); reread the files if that fails."""
        try:
            journal.run(functools.partial(_prepare_staged, new_mode=new_mode))
        except FileError:
            self.load()
            raise

    def include(self, globs: Iterable[str]) -> bool:
        """Also read the files matching *globs* (absolute, under the root)
        with the first transform's lens; reload if any glob is new."""
        new = [g for g in globs if g.startswith("/") and g not in self._included]
        for glob in new:
            self.aug.set("/augeas/load/xfm0/incl[last()+1]", glob)
            self._included.add(glob)
        if new:
            self.load()
        return bool(new)

    def narrow(self, incl: dict[int, list[str]]) -> None:
        """Read only what the globs *incl* (per transform index) match from
        now on, and reload: the files an operation needs, not all of the
        backend's (Augeas drops the trees of the others). See
        :func:`escape_glob` to name one file exactly."""
        for i in range(len(self._transforms)):
            if i in self._python_incl:
                self._python_incl[i] = list(incl.get(i, ()))
                continue
            self.aug.remove(f"/augeas/load/xfm{i}/incl")
            for j, glob in enumerate(incl.get(i, ()), 1):
                self.aug.set(f"/augeas/load/xfm{i}/incl[{j}]", glob)
        self._included = {g for globs in incl.values() for g in globs}
        self.load()

    def widen(self) -> None:
        """Read every file of the transforms again (after :meth:`narrow`)."""
        self.narrow({i: list(t.incl) for i, t in enumerate(self._transforms)})

    def owned_files(self) -> list[str]:
        """Every file (path under the root) the transforms and includes match,
        parsable or not: what a transaction snapshots."""
        excl = {g for t in self._transforms for g in t.excl}
        out = set()
        for pattern in self._included:
            for path in iglob(os.path.join(self.root, pattern.lstrip("/"))):
                name = os.path.basename(path)
                if any(fnmatch.fnmatchcase(name, e) or fnmatch.fnmatchcase(path, e) for e in excl):
                    continue
                if os.path.isfile(path):
                    self.check_inside(path)
                    out.add(path)
        return sorted(out)

    def files(self) -> list[str]:
        """Augeas paths (``/files/...``) of every file the transforms loaded."""
        # Through a variable: matching and then getting each path walks the
        # siblings for every file, quadratic in a directory of 4,000 files.
        self.aug.defvar("ancffiles", "/augeas/files//path")
        try:
            return [self.aug.ns_value("ancffiles", i) for i in range(self.aug.ns_count("ancffiles"))]
        finally:
            self.aug.defvar("ancffiles", "/augeas/ancf-unpinned")

    def close(self) -> None:
        aug, self.aug = self.aug, None
        if aug is not None:
            aug.close()

    def __enter__(self) -> AugeasSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def python_tree(el: object) -> tuple:
    """A forest element's children as a Python lens' tree: (label, value, children).
    python-augeas sets a value of None as "" (its ``enc``), so "" reads as None,
    as the lenses read an empty scalar."""
    return tuple((c.get("label"), c.get("value") or None, python_tree(c)) for c in el.iterchildren("node"))


def _cut_lines(text: bytes, ranges: list[tuple[int, int]]) -> bytes | None:
    """*text* without the byte *ranges*, each widened to whole lines (the
    blanks before it on its first line); None if a range ends inside a line."""
    spans = []
    for start, end in sorted(set(ranges)):
        if not 0 <= start <= end <= len(text) or (end < len(text) and text[end - 1:end] != b"\n"):
            return None
        while start > 0 and text[start - 1:start] in (b" ", b"\t"):
            start -= 1
        if start > 0 and text[start - 1:start] != b"\n":
            return None
        spans.append((start, end))
    out, at = [], 0
    for start, end in spans:
        if start > at:
            out.append(text[at:start])
        at = max(at, end)
    out.append(text[at:])
    return b"".join(out)


def escape_glob(path: str) -> str:
    """*path* as a glob(3) pattern that matches just that file."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", path)


def _read_or_none(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _no_leading_newline(path: str) -> None:
    """Some lenses (Interfaces) open a new stanza with a blank line, even at
    the top of an empty file; a file that was empty should not start with one."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\n"):
        with open(path, "wb") as f:
            f.write(data[1:])


def _prepare_staged(new: str, target: str, new_mode: int | None = None) -> None:
    """Give staged file *new* the mode and owner of the file it will replace
    (an ifcfg file may hold secrets, so 0600 stays 0600). The journal stages
    it beside the symlink's target, so the edit goes through a symlink
    (inside the root) rather than over it, and renames it into place. A new
    file gets *new_mode* when the backend asks for one (NetworkManager
    ignores keyfiles that others can read)."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        if new_mode is not None:
            os.chmod(new, new_mode)
        return
    if st.st_size == 0:
        _no_leading_newline(new)
    os.chown(new, st.st_uid, st.st_gid)
    os.chmod(new, stat.S_IMODE(st.st_mode))


def _ambiguous(key: tuple[int, ...]) -> bool:
    """Whether the file a :func:`_stat_key` was taken of had changed within
    one timestamp tick of that moment, so that a change after it, within the
    same tick and of the same size, would leave every stamp as it was. The
    tick is a second (two, for FAT) where the filesystem keeps whole seconds,
    else the kernel's clock tick, at most 10 ms (20 ms here, to be sure)."""
    if not key:
        return False
    changed = max(key[2], key[4])
    whole = key[2] % 1_000_000_000 == 0 and key[4] % 1_000_000_000 == 0
    return changed > key[5] - (2_000_000_000 if whole else 20_000_000)


def _stat_key(path: str, read_after: int | None = None) -> tuple[int, ...]:
    """A file's stamp: inode, device, mtime, size, ctime (compare these five),
    and the moment (ns) from which its tree was read: *read_after*, or now
    (before a read)."""
    try:
        st = os.stat(path)
    except OSError:
        return ()
    return (st.st_ino, st.st_dev, st.st_mtime_ns, st.st_size, st.st_ctime_ns,
            time.time_ns() if read_after is None else read_after)


def _sweep(before: dict[str, set[str]]) -> None:
    """Remove the temporary files (FILE.XXXXXX, FILE.augnew) a failed Augeas
    save leaves behind: only names that appeared since *before*."""
    pattern = re.compile(r".+\.(augnew|[A-Za-z0-9]{6})")
    for folder, names in before.items():
        try:
            now = os.listdir(folder)
        except OSError:
            continue
        for name in now:
            if name not in names and pattern.fullmatch(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
