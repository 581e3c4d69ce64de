"""The index: which file describes which interface, without parsing every file every time.

Parsing 4,000 ifcfg files through an Augeas lens takes seconds, and a command
about one interface needs three of them. The index keeps, for each of the
backend's files, what the engine needs to find interfaces (per unit: name,
key, MAC, master, ports, addresses; per mark: name, key, and for a mark
without a name the address that decides its owner; the aliases a master may
be named by; the files it includes) and the file's forest ``<tree>``. It is a
pure function of the file's bytes, worked out from the tree Augeas parsed,
with the backend's own XPath expressions. A master named by another file's
alias (a NetworkManager uuid) is kept as written, and so is a SUSE ``-``
route's gateway: the engine resolves them across entries when it takes a
snapshot.

Finding the files is cheap (a directory listing and a ``stat`` each); only
files that are new or changed since the last parse go through Augeas, in a
session whose transforms include exactly those files.

The index is kept on disk in ``ROOT/var/cache/augnetcf`` (created when
``ROOT/var/cache`` exists; ``AUGNETCF_CACHE=off`` turns it off), so a
command after the first parses only what changed. An entry is used only while
the file's device, inode, size, mtime and ctime are all as recorded, and an
entry is recorded only for a file whose last change is at least
:data:`RACY_SECONDS` older than the moment it was read: a change within the
same timestamp tick (same size, same inode) could otherwise go unnoticed.
Files a lens rejects are never recorded, so their errors are reported every
time. The cache is ignored unless owned by us and writable by no one else,
and written 0600 (ifcfg files may hold secrets) by atomic rename.

The cache is three files: the facts of every entry (``index-BACKEND.json``),
their trees (``.trees``), and the entries recorded since those two were
written (``.delta``, facts and trees together, tied to them by a token).
A change records the few files it wrote: writing the facts of 4,000 files
again for that cost as much as parsing the few files would have (100 ms), so
those go to the delta, until it grows past :data:`DELTA_MAX` entries or an
eighth of the trees, or a command keeps its resolution (which points into
the trees file): then all three are written afresh.

Why one module of about 700 lines: one job, keeping per file what it says.
Most of it is :class:`Index`, whose refresh, cache reading and writing and
racy-window rules share the entries' stamps and must agree on them; the
rules that join entries across files are elsewhere
(:mod:`augnetcf.resolve`). Splitting the cache from the refresh would put
the one invariant (an entry is used only while its file is as recorded) in
two places.
"""

from __future__ import annotations

import bisect
import contextlib
import fnmatch
import functools
import gc
import glob
import json
import os
import re
import stat
import struct
import time
from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from . import resources
from ._lazy import lazy, logger
from .backends import Backend
from .errors import FileError

# Only parsing a file, or a command that reads trees, needs these (see augnetcf._lazy).
aug = lazy("augnetcf.aug", globals())
etree = lazy("lxml.etree", globals(), also=("augnetcf.xslt",))  # its XPath functions
forest = lazy("augnetcf.forest", globals())
watch = lazy("augnetcf.watch", globals())

log = logger("augnetcf", globals())  # imported when something is logged

CACHE_DIR = "var/cache/augnetcf"
#: Bump when what an entry holds changes.
FORMAT = 6
#: A file changed this recently is parsed every time, never recorded.
RACY_SECONDS = 2.0
#: Most entries the delta file holds (see the module docstring) before the
#: whole cache is written again.
DELTA_MAX = 256
#: Namespace of the stylesheets' extension functions, which backend XPaths may call.
XPATH_NS = {"ancf": "urn:augnetcf:xslt"}

_MAGIC = re.compile(r"[*?\[]")


@dataclass
class Entry:
    """One configuration file, as the index knows it."""

    #: Path under the root (``/etc/sysconfig/network-scripts/ifcfg-br0``).
    path: str
    #: Its Augeas path (``/files/etc/...``).
    aug_path: str
    #: Index of the backend transform that reads it.
    xfm: int
    #: (device, inode, size, mtime_ns, ctime_ns) when it was parsed.
    stamp: tuple[int, ...]
    #: Per unit: [name, key, mac, master as written, ports, name from path,
    #: its place in *aliases* (-1 when it has none)].
    units: list[list] = field(default_factory=list)
    #: Per mark: [name, key].
    marks: list[list[str]] = field(default_factory=list)
    #: Globs (under the root) of the files it includes.
    includes: list[str] = field(default_factory=list)
    #: Per element a master may be named by alias (``Backend.aliased``): [interface name, [aliases]].
    aliases: list[list] = field(default_factory=list)
    #: The Augeas path of the file whose unit it amends, when it is a drop-in (``Backend.dropin``).
    dropin_of: str = ""
    #: The interfaces it may hold new marks for (``Backend.mark_homes``), one per element.
    homes: list[str] = field(default_factory=list)
    #: The name patterns it applies to (``Backend.matches``).
    matches: list[str] = field(default_factory=list)
    #: Per unit (in *units*' order): its ``A/P`` nets (``Backend.unit_nets``).
    #: Not a column of *units*, whose seven columns the engine unpacks.
    nets: list[list[str]] = field(default_factory=list)
    #: Per mark (in *marks*' order): the address that decides its owner
    #: when it has no name (``Backend.mark_addr``), else "".
    mark_addrs: list[str] = field(default_factory=list)
    #: The ``<tree>`` as XML text; None when the file could not be read, or
    #: not read yet from the cache's trees file (then *blob* says where it is).
    tree: str | None = None
    #: Whether it may be recorded (parsed cleanly, and not changed too recently).
    keep: bool = True
    #: (offset, length) of the tree in the cache's trees file.
    blob: tuple[int, int] | None = None
    #: The tree's top-level items (see :data:`Items`), for a backend whose
    #: big files get windows (:func:`itemized`); None when not known (yet).
    items: Items | None = None
    #: (offset, length) of *items* (as JSON) in the cache's trees file.
    items_blob: tuple[int, int] | None = None
    #: For an entry augnetcf wrote itself (see :meth:`Index.learn`) while
    #: the racy window still covers the file: the sha256 of the bytes it
    #: wrote. Until then the entry is used only while the file holds exactly
    #: those bytes (read and hashed), not on its stamp alone.
    digest: str = ""
    _element: etree._Element | None = field(default=None, repr=False)
    #: *tree* as UTF-8, when it was made as bytes (:meth:`Index.learn_text`): not encoded again.
    _text: bytes | None = field(default=None, repr=False)
    #: (its tree, then the tree's units, marks and mark homes by the backend's
    #: XPath): :meth:`parts` asks the XPath once per tree, not once a command
    _parts: tuple | None = field(default=None, repr=False)

    def parts(self, tree: etree._Element, backend: Backend, ns: dict[str, str]) -> tuple[list, list, list]:
        """The units, marks and mark homes of *tree* (this entry's, from the
        index: never edited), as the backend's XPath finds them."""
        if self._parts is None or self._parts[0] is not tree:
            top = tree.getparent()
            self._parts = (tree, top.xpath(backend.unit, namespaces=ns),
                           top.xpath(backend.mark, namespaces=ns) if backend.mark else [],
                           top.xpath(backend.mark_homes, namespaces=ns) if backend.mark_homes else [])
        return self._parts[1:]

    def element(self) -> etree._Element | None:
        """The file's ``<tree>`` inside a forest of its own (None if it has none)."""
        if self._element is None and self.tree is not None:
            wrapper = etree.Element("forest")
            wrapper.append(etree.fromstring(self.tree))
            self._element = wrapper[0]
        return self._element

    def to_json(self, blob: tuple[int, int] | None, items_blob: tuple[int, int] | None = None) -> list:
        return [list(self.stamp), self.aug_path, self.xfm, self.units, self.marks, self.includes,
                list(blob) if blob else None, self.aliases, self.dropin_of, self.homes, self.matches,
                self.nets, self.mark_addrs, self.digest, list(items_blob) if items_blob else None]

    @classmethod
    def from_json(cls, path: str, data: list) -> Entry:
        (stamp, aug_path, xfm, units, marks, includes, blob, aliases, dropin_of, homes, matches, nets,
         mark_addrs, digest, items_blob) = data
        return cls(path, aug_path, xfm, tuple(stamp), units, marks, includes, aliases, dropin_of, homes,
                   matches, nets, mark_addrs, None, not digest, tuple(blob) if blob else None, None,
                   tuple(items_blob) if items_blob else None, digest)

    def facts(self) -> Facts:
        """What :func:`facts` gave for the file when it was parsed."""
        return Facts(self.units, self.marks, self.includes, self.aliases, self.dropin_of, self.homes,
                     self.matches, self.nets, self.mark_addrs)

    def set_facts(self, found: Facts) -> None:
        (self.units, self.marks, self.includes, self.aliases, self.dropin_of, self.homes,
         self.matches, self.nets, self.mark_addrs) = found


@functools.cache
def _compiled(expr: str) -> etree.XPath:
    return etree.XPath(expr, namespaces=XPATH_NS)


def xpath(el: etree._Element, expr: str) -> object:
    return _compiled(expr)(el) if expr else ""


#: The top-level items of a file's ``<tree>`` (its children), so that a
#: window (:mod:`augnetcf.window`) is cut from a big file, and what the
#: file holds after the change recorded, without parsing its whole tree
#: (a third of the time and of the memory of a define in a Debian file of
#: 4,000 stanzas): per item its *labels*, whether it has a value
#: (*valued*), and the length in bytes of its XML (*sizes*: the tree text
#: is ``<tree path="...">``, the items' XML one after the other, then
#: ``</tree>``); and the item that holds each unit (*units*) and each mark
#: (*marks*), in the order of the facts' units and marks.
Items = namedtuple("Items", "labels valued sizes units marks")


def itemized(backend: Backend) -> bool:
    """Whether the big files of *backend* get windows, and so their
    entries :data:`Items`: files whose interfaces share them, whose meaning
    stays within the file, read by the Ifupdown lens (the window's scanner
    knows its items)."""
    b = backend
    return bool(b.keep_layout and not b.aliased and not b.mark_homes and not b.matches and not b.dropin
                and all(t.lens == "Ifupdown.lns" for t in b.transforms))


def tree_text(tree: etree._Element, backend: Backend) -> tuple[str, Items | None]:
    """The XML text of *tree* (in its forest) as the index keeps it, and,
    for a backend whose files get windows, its :data:`Items` (None when
    the text is not its items' XML one after the other)."""
    text = etree.tostring(tree, encoding="unicode")
    if not itemized(backend):
        return text, None
    tops = list(tree)
    parts = [etree.tostring(el, encoding="unicode") for el in tops]
    body = "".join(parts)
    close = "</tree>"
    head = len(text) - len(body) - len(close)
    if not parts or head <= 0 or not text.endswith(close) or text[head:len(text) - len(close)] != body:
        return text, None
    place = {id(el): i for i, el in enumerate(tops)}

    def item_of(el: etree._Element) -> int:
        while el.getparent() is not tree:
            el = el.getparent()
        return place[id(el)]

    top = tree.getparent()
    units = [item_of(u) for u in xpath(top, backend.unit)]
    marks = [item_of(m) for m in xpath(top, backend.mark)] if backend.mark else []
    return text, Items([str(el.get("label")) for el in tops], [el.get("value") is not None for el in tops],
                       [len(p.encode()) for p in parts], units, marks)


#: A transform's number and a stamp (:func:`_stamp`), as :meth:`Index._signature` packs them.
_STAMP = struct.Struct("<IQQQqq")

#: Below this size (of a file's tree text) a whole tree costs little to parse:
#: :meth:`Index.partial_tree` cuts none.
_PARTIAL_MIN = 64 * 1024

#: What one file says, as the engine needs it (see :class:`Entry`): units,
#: marks, includes, aliases, dropin_of, homes, matches, nets, mark_addrs.
#: A plain namedtuple (typing's NamedTuple would cost every command typing's import).
Facts = namedtuple("Facts", "units marks includes aliases dropin_of homes matches nets mark_addrs")


def facts(tree: etree._Element, backend: Backend) -> Facts:
    """What one ``<tree>`` says (see :class:`Entry`); it must sit in a
    ``<forest>`` of its own: exactly what the engine reads off a full forest."""
    from .xslt import normalize_mac  # registers the extension functions the XPaths call

    b = backend
    top = tree.getparent()
    named = list(xpath(top, b.aliased)) if b.aliased else []
    aliases = [[str(xpath(el, b.aliased_name)), alias_keys(el, b)] for el in named]
    place = {el: i for i, el in enumerate(named)}
    units = []
    nets = []
    for unit in xpath(top, b.unit):
        from_path = b.name_from_path.search(unit.get("path", "")) if b.name_from_path else None
        units.append([str(xpath(unit, b.unit_name)), str(xpath(unit, b.unit_key)),
                      normalize_mac(str(xpath(unit, b.unit_mac))) or "", str(xpath(unit, b.unit_master)),
                      str(xpath(unit, b.unit_ports)), from_path.group(1) if from_path else "",
                      place.get(unit, -1)])
        nets.append(str(xpath(unit, b.unit_nets)).split())
    marks = []
    mark_addrs = []
    for m in xpath(top, b.mark) if b.mark else []:
        name = str(xpath(m, b.mark_name))
        marks.append([name, str(xpath(m, b.mark_key))])
        mark_addrs.append("" if name else str(xpath(m, b.mark_addr)))
    pairs = [(v, "") for v in top.xpath(b.includes)] if b.includes else []
    pairs += [(v, "/*") for v in top.xpath(b.include_dirs)] if b.include_dirs else []
    globs = []
    for value, suffix in pairs:
        text = str(value)
        if not text.startswith("/"):
            text = os.path.join(os.path.dirname(tree.get("path")[len("/files"):]), text)
        globs.append(os.path.normpath(text) + suffix)
    dropin_of = str(xpath(tree, b.dropin_of)) if b.dropin and xpath(top, b.dropin) else ""
    homes = [str(xpath(el, b.unit_name)) for el in xpath(top, b.mark_homes)] if b.mark_homes else []
    matches = [str(v) for v in xpath(tree, b.matches)] if b.matches else []
    return Facts(units, marks, globs, aliases, dropin_of, homes, matches, nets, mark_addrs)


def alias_keys(el: etree._Element, backend: Backend) -> list[str]:
    """The aliases of *el* (``Backend.aliased_keys``), without empty ones and repeats."""
    found = xpath(el, backend.aliased_keys)
    values = found if isinstance(found, list) else [found]
    return list(dict.fromkeys(str(v) for v in values if str(v)))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection for a while: reading the facts of
    thousands of files makes tens of thousands of small lists, and each
    collection that this triggers walks all of them again (half the time of
    ``list`` at 8,000 files). Nothing made meanwhile is cyclic garbage."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _stamp(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _code_stamp() -> str:
    """What the entries depend on besides the files: augnetcf's code, the
    lenses (ours and Augeas' stock ones) and libaugeas. Any change empties the cache."""
    from .version import __version__

    parts = [f"format={FORMAT}", __version__]
    pkg = os.path.dirname(os.path.abspath(__file__))
    folders = [pkg, os.path.join(pkg, "backends"), resources.data_path("lenses"),
               resources.data_path("xslt"), "/usr/share/augeas/lenses/dist", "/usr/share/augeas/lenses"]
    for folder in folders:
        try:
            with os.scandir(folder) as it:
                for e in sorted(it, key=lambda e: e.name):
                    if e.name.endswith((".py", ".aug", ".xsl")):
                        st = e.stat()
                        parts.append(f"{folder}/{e.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{folder}:-")
    return "\n".join(parts)


def _fs_relative(aug_path: str) -> str:
    """A path under the root from a session's ``/files`` path (which Augeas keeps unescaped)."""
    return aug_path[len("/files"):]


class Index:
    """The backend's files under *root* and what each says; see the module docstring.

    *session* returns the Augeas session to parse with; the index narrows its
    transforms to the files it needs parsed.
    """

    def __init__(self, root: str, backend: Backend, session: Callable[[], object]):
        self.root = root
        self.backend = backend
        self._session = session
        self.entries: list[Entry] | _Rows = []
        self.broken: list[FileError] = []
        #: Whether :meth:`refresh` has run at all.
        self.refreshed = False
        #: Whether :meth:`listing` answered: every file is as recorded, none broken.
        self.listed = False
        #: From the last refresh: every file found (path -> (transform, stat,
        #: symlink)) and the include globs expanded, in order (see :meth:`listing`).
        self._found: dict[str, tuple[int, os.stat_result, bool]] = {}
        self._expanded: list[str] = []
        self._known: dict[str, Entry] = {}
        #: the entries the cache file holds (or will, once written), by id
        #: (held, so that no new entry takes the id of one gone)
        self._on_disk: dict[int, Entry] = {}
        #: the entries as the facts and trees files hold them, by path: what
        #: the delta file is written against (see :meth:`_save_cache`)
        self._filed: dict[str, Entry] = {}
        #: the length of the trees file they were read from or written to
        self._filed_size = 0
        self._cache_file = self._cache_path()
        self._cache_loaded = False
        self._token = ""
        self._trees: bytes | None = None
        self._code = ""
        #: the inotify watches of :meth:`_watching` (None: not yet; False: none here)
        self._watcher: watch.Watcher | bool | None = None
        #: whether the last refresh found a file through a symbolic link
        self._linked = False
        #: the includes followed when the watches were last armed
        self._armed: list[str] | None = None
        self._excl = [re.compile("|".join(fnmatch.translate(g) for g in t.excl) or "(?!)")
                      for t in backend.transforms]
        #: Set by a first refresh that the resolved file answered (see
        #: :meth:`_refresh_from_resolution`): (the kernel's MACs it was
        #: resolved with, its unit, mark, drop-in and home references by
        #: interface name, masters, MACs, matches); else None.
        self.resolved: tuple[dict[str, str], dict[str, dict[str, list]], dict[str, str], dict[str, str],
                             list[tuple[str, list[str]]]] | None = None

    # -- the cache on disk ------------------------------------------------------
    def _cache_path(self) -> str | None:
        if os.environ.get("AUGNETCF_CACHE", "").lower() in ("off", "0", "no"):
            return None
        parent = os.path.join(self.root, os.path.dirname(CACHE_DIR))
        folder = os.path.join(self.root, CACHE_DIR)
        try:
            if not os.path.isdir(folder) and os.path.isdir(parent) and not os.path.islink(parent):
                os.mkdir(folder, 0o700)
            st = os.lstat(folder)
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
            return None  # someone else could plant entries
        real = os.path.realpath(folder)
        if not real.startswith(os.path.realpath(self.root).rstrip(os.sep) + os.sep):
            return None
        return os.path.join(folder, f"index-{self.backend.name}")

    def _open_private(self, path: str) -> int | None:
        """A file descriptor for a cache file only we can have written, else None."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        st = os.fstat(fd)
        if st.st_uid != os.geteuid() or st.st_mode & 0o077 or not stat.S_ISREG(st.st_mode):
            os.close(fd)
            return None
        return fd

    def _load_cache(self) -> None:
        """Read the facts file; trees stay in the trees file until one is needed."""
        self._cache_loaded = True
        self._known, self._filed = {}, {}
        if self._cache_file is None:
            return
        self._code = _code_stamp()
        fd = self._open_private(self._cache_file + ".json")
        if fd is None:
            return
        try:
            with os.fdopen(fd, "rb") as f:
                data = json.loads(f.read())
            if data.get("code") != self._code:
                return
            self._token = str(data["token"])
            self._filed_size = int(data.get("size", 0))
            for path, item in data["files"].items():
                self._known[path] = Entry.from_json(path, item)
            self._filed = dict(self._known)
        except (OSError, ValueError, KeyError, TypeError) as e:
            log.debug("ignoring the index cache %s: %s", self._cache_file, e)
            self._known.clear()
            self._filed = {}
            return
        self._known.update(self._load_delta())
        self._on_disk = {id(e): e for e in self._known.values()}

    def _load_delta(self) -> dict[str, Entry]:
        """The entries of the delta file, if it was written against the facts
        file read (its token); each with its tree (and items) at hand."""
        fd = self._open_private(self._cache_file + ".delta") if self._cache_file else None
        if fd is None:
            return {}
        with os.fdopen(fd, "rb") as f:
            data = f.read()
        head, _nl, trees = data.partition(b"\n")
        out: dict[str, Entry] = {}
        try:
            meta = json.loads(head)
            if meta["token"] != self._token or not self._token:
                return {}
            for path, item in meta["files"].items():
                entry = Entry.from_json(str(path), item[:15])
                text, items = item[15], item[16]
                if text is not None:
                    offset, length = text
                    raw = trees[offset:offset + length]
                    if len(raw) != length or not raw.startswith(b"<tree"):
                        raise ValueError(f"a tree that is not where it says: {path}")
                    entry.tree, entry._text = raw.decode(), raw
                if items is not None:
                    entry.items = _items(items)
                entry.blob = entry.items_blob = None
                out[entry.path] = entry
        except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError) as e:
            log.debug("ignoring the index cache's delta %s: %s", self._cache_file, e)
            return {}
        return out

    def _trees_file(self) -> bytes:
        """The cache's trees file, if it belongs to the facts file read."""
        if self._trees is None:
            self._trees = b""
            fd = self._open_private(self._cache_file + ".trees") if self._cache_file else None
            if fd is not None:
                with os.fdopen(fd, "rb") as f:
                    data = f.read()
                head = f"augnetcf-trees {self._token}\n".encode()
                if self._token and data.startswith(head):
                    self._trees = data
        return self._trees

    def _blob(self, entry: Entry) -> memoryview | None:
        """*entry*'s tree as bytes from the cache's trees file, if it has it
        (a view into the file read, not a copy: a Debian file's tree is
        megabytes, and copies of it were a tenth of a define's memory)."""
        if entry.blob is None:
            return None
        offset, length = entry.blob
        data = memoryview(self._trees_file())[offset:offset + length]
        return data if len(data) == length and data[:5] == b"<tree" else None

    def items_of(self, entry: Entry) -> Items | None:
        """*entry*'s :data:`Items`, from the cache's trees file if needed; None if unknown."""
        if entry.items is None and entry.items_blob is not None:
            data = self._items_data(entry)
            try:
                entry.items = _items(json.loads(data) if data is not None else None)
            except (ValueError, TypeError):
                entry.items_blob = None
        return entry.items

    def _items_data(self, entry: Entry) -> bytes | None:
        """*entry*'s items as JSON bytes, from memory or the cache's trees file."""
        if entry.items is not None:
            return json.dumps(list(entry.items), separators=(",", ":")).encode()
        if entry.items_blob is None:
            return None
        offset, length = entry.items_blob
        data = self._trees_file()[offset:offset + length]
        return data if len(data) == length and data.startswith(b"[") else None

    def tree_bytes(self, entry: Entry) -> bytes | memoryview | None:
        """*entry*'s tree as XML text (UTF-8), without parsing it; None if unknown."""
        if entry._text is not None:
            return entry._text
        if entry.tree is not None:
            return entry.tree.encode()
        return self._blob(entry)

    def tree_of(self, entry: Entry) -> etree._Element | None:
        """*entry*'s ``<tree>`` (see :meth:`Entry.element`), from the cache if needed.
        When the cache cannot give it, the entry is dropped, to be parsed afresh."""
        if entry.tree is None and entry.blob is not None:
            data = self._blob(entry)
            if data is None:
                entry.blob, entry.keep, entry.stamp = None, False, ()
                self._armed = None  # the next refresh looks (no inotify event tells of this)
                return None
            entry.tree = str(data, "utf-8")
        return entry.element()

    def partial_tree(self, entry: Entry, units: list[int], marks: list[int]
                     ) -> tuple[etree._Element, list[tuple[int, etree._Element]],
                                list[tuple[int, etree._Element]]] | None:
        """Of a big file whose :data:`Items` the index keeps (Debian's one
        ``interfaces``), a ``<tree>`` (in a forest of its own) that holds
        just the top-level items of its units *units* and marks *marks*
        (their places in *entry*'s), cut from the tree's text and parsed
        alone: a command about one stanza of 4,000 need not parse the other
        3,999 (60 ms). With it, the units and the marks it holds, each as
        (its place in *entry*'s, element). None when the items cannot say
        for sure (then the caller parses the whole tree): unknown or not of
        this entry, text whose parts do not add up, a cut whose units or
        marks are not those the items say, or not worth it (a small file,
        or one whose whole tree is parsed already)."""
        if entry._element is not None or not itemized(self.backend):
            return None
        items = self.items_of(entry)
        if items is None or len(items.units) != len(entry.units) or len(items.marks) != len(entry.marks):
            return None
        data = self.tree_bytes(entry)
        close = b"</tree>"
        if data is None or len(data) < _PARTIAL_MIN:
            return None
        head = len(data) - sum(items.sizes) - len(close)
        if head <= 0 or data[head:head + 1] != b"<" or bytes(data[-len(close):]) != close:
            return None
        try:
            wanted = sorted({items.units[u] for u in units} | {items.marks[m] for m in marks})
        except IndexError:
            return None
        starts = [head]
        for size in items.sizes:
            starts.append(starts[-1] + size)
        text = b"".join([bytes(data[:head]), *(data[starts[i]:starts[i + 1]] for i in wanted), close])
        try:
            tree = etree.fromstring(text)
        except etree.XMLSyntaxError:
            return None
        top = etree.Element("forest")
        top.append(tree)
        keep = set(wanted)
        unit_at = [u for u, i in enumerate(items.units) if i in keep]
        mark_at = [m for m, i in enumerate(items.marks) if i in keep]
        found_units = top.xpath(self.backend.unit, namespaces=XPATH_NS)
        found_marks = top.xpath(self.backend.mark, namespaces=XPATH_NS) if self.backend.mark else []
        if len(found_units) != len(unit_at) or len(found_marks) != len(mark_at):
            return None
        return tree, list(zip(unit_at, found_units)), list(zip(mark_at, found_marks))

    def _save_cache(self, whole: bool = False) -> None:
        """Write what the index would keep: only the delta file, when the
        entries new since the facts and trees files were written are few
        (see the module docstring) and *whole* is False; else the trees
        file, then the facts file naming it (each by rename, so a reader
        sees whole files; a token ties them together), and the delta goes."""
        if self._cache_file is None:
            return
        if not whole and self._save_delta():
            return
        token = os.urandom(8).hex()
        parts = [f"augnetcf-trees {token}\n".encode()]
        offset = len(parts[0])
        blobs: dict[str, tuple[int, int] | None] = {}
        item_blobs: dict[str, tuple[int, int] | None] = {}
        kept = []
        for e in self.entries:
            if not (e.keep or e.digest):
                continue
            data = self.tree_bytes(e)
            if data is None and e.blob is not None:
                e.blob, e.keep, e.stamp = None, False, ()  # its tree went with an old trees file
                continue
            kept.append(e)
            blobs[e.path] = None if data is None else (offset, len(data))
            if data is not None:
                parts.append(data)
                offset += len(data)
            items = self._items_data(e) if data is not None else None
            item_blobs[e.path] = None if items is None else (offset, len(items))
            if items is not None:
                parts.append(items)
                offset += len(items)
        facts = {"code": self._code, "token": token, "size": offset,
                 "files": {e.path: e.to_json(blobs[e.path], item_blobs[e.path]) for e in kept}}
        try:
            self._write_private(self._cache_file + ".trees", parts)
            self._write_private(self._cache_file + ".json",
                                json.dumps(facts, separators=(",", ":")).encode())
        except OSError as e:
            log.debug("cannot write the index cache %s: %s", self._cache_file, e)
            return
        with contextlib.suppress(OSError):  # (its token no longer matches: it would be ignored)
            os.unlink(self._cache_file + ".delta")
        for e in kept:
            e.blob, e.items_blob = blobs[e.path], item_blobs[e.path]
        self._token, self._trees = token, None
        self._filed, self._filed_size = {e.path: e for e in kept}, offset

    def _save_delta(self) -> bool:
        """Write the entries to keep that the facts file does not hold as
        they are (a file changed or new since) to the delta file, against
        the facts file's token; False when they are too many or too big for
        that (then the whole cache is written)."""
        if isinstance(self.entries, _Rows):  # the facts file's entries, but for those put since
            fresh = list(self.entries.put_since.values())
        elif self._token and self._filed:
            fresh = [e for e in self.entries if (e.keep or e.digest) and self._filed.get(e.path) is not e]
        else:
            return False
        if len(fresh) > DELTA_MAX:
            return False
        parts: list[bytes | memoryview] = []
        offset = 0
        files = {}
        for e in fresh:
            data = self.tree_bytes(e)
            if data is None and e.blob is not None:
                return False  # (its tree is in a trees file that is no longer there)
            text = None
            if data is not None:
                text = [offset, len(data)]
                parts.append(data)
                offset += len(data)
            files[e.path] = [*e.to_json(None, None), text, list(e.items) if e.items is not None else None]
        if not self._filed_size:  # (entries from the resolved file: the facts file was not read)
            with contextlib.suppress(OSError):
                self._filed_size = os.path.getsize(self._cache_file + ".trees")
        if offset * 8 > max(self._filed_size, 64 * 1024):
            return False  # (a big file's tree: the trees file takes it as cheaply)
        # (no code stamp: only a process whose code the facts file's matched
        # has their token, and that file is read first)
        meta = {"token": self._token, "files": files}
        try:
            self._write_private(self._cache_file + ".delta",
                                [json.dumps(meta, separators=(",", ":")).encode(), b"\n", *parts])
        except OSError as e:
            log.debug("cannot write the index cache's delta %s: %s", self._cache_file, e)
            return True  # (as a failed write of the whole cache: the entries are parsed next time)
        return True

    @staticmethod
    def _write_private(path: str, data: bytes | list[bytes | memoryview]) -> None:
        """Write *data* (bytes, or pieces written one after the other) to *path* by atomic rename, 0600."""
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as f:
                if isinstance(data, list):
                    f.writelines(data)
                else:
                    f.write(data)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    # -- finding files ------------------------------------------------------------
    def _expand(self, pattern: str, xfm: int, out: dict[str, tuple[int, os.stat_result, bool]],
                dirs: dict[str, list[os.DirEntry]] | None = None) -> None:
        """Add the regular files matching glob *pattern* (under the root) that
        transform *xfm* does not exclude, as Augeas does: glob(3), excl
        matched against the base name, symlinks followed. Values are
        (transform, stat, whether the name is a symlink). *dirs*: the
        directory listings of this look, shared by its patterns (networkd's
        four globs list one directory of 8,000 files)."""
        top = self.root.rstrip("/")
        folder, _sep, base = pattern.rpartition("/")
        if not _MAGIC.search(base):
            pass
        elif not _MAGIC.search(folder):
            # the usual case (ifcfg-*): one directory listing, no path joins
            self._scan(top, folder, base, xfm, out, dirs)
            return
        else:
            parent, _sep, part = folder.rpartition("/")
            if not _MAGIC.search(parent):  # a drop-in directory (*.network.d/*.conf): glob's rules by hand
                match, hidden = re.compile(fnmatch.translate(part)).match, part.startswith(".")
                for d in self._listing(top + parent, dirs):
                    if match(d.name) and (hidden or not d.name.startswith(".")) and d.is_dir():
                        self._scan(top, f"{parent}/{d.name}", base, xfm, out, dirs)
                return
        if _MAGIC.search(pattern):
            names = [p[len(top):] for p in glob.glob(glob.escape(top) + pattern)]
        else:
            names = [pattern]
        for path in names:
            if path in out or self._excl[xfm].match(os.path.basename(path)):
                continue
            try:
                st = os.stat(top + path)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                out[path] = (xfm, st, os.path.islink(top + path))

    @staticmethod
    def _listing(folder: str, dirs: dict[str, list[os.DirEntry]] | None) -> list[os.DirEntry]:
        """The entries of *folder* (a full path), listed once per look; none if it cannot be listed."""
        if dirs is not None and folder in dirs:
            return dirs[folder]
        try:
            with os.scandir(folder) as it:
                got = list(it)
        except OSError:
            got = []
        if dirs is not None:
            dirs[folder] = got
        return got

    def _scan(self, top: str, folder: str, base: str, xfm: int,
              out: dict[str, tuple[int, os.stat_result, bool]],
              dirs: dict[str, list[os.DirEntry]] | None) -> None:
        """:meth:`_expand` of ``folder/base`` where only *base* is a pattern."""
        match = re.compile(fnmatch.translate(base)).match
        excl = self._excl[xfm].match
        hidden = base.startswith(".")
        for e in self._listing(top + folder, dirs):
            name = e.name
            if not match(name) or (name.startswith(".") and not hidden) or excl(name):
                continue
            path = f"{folder}/{name}"
            if path in out:
                continue
            try:
                st = e.stat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                out[path] = (xfm, st, e.is_symlink())

    def _check_inside(self, paths: list[str], found: dict[str, tuple[int, os.stat_result, bool]]) -> None:
        """Refuse a file that resolves (through symlinks) to a place outside the root."""
        top = os.path.realpath(self.root).rstrip(os.sep) + os.sep
        folders: dict[str, bool] = {}
        for path in paths:
            folder = path.rpartition("/")[0]
            if folder not in folders:
                folders[folder] = (os.path.realpath(self.root.rstrip("/") + folder) + os.sep).startswith(top)
            if not folders[folder] or found[path][2]:
                full = self.root.rstrip("/") + path
                real = os.path.realpath(full)
                if not real.startswith(top):
                    raise FileError(f"leads outside the root (to {real}); augnetcf will not use it",
                                    file=full)

    # -- refresh --------------------------------------------------------------------
    def refresh(self) -> None:
        """Bring the index up to date with the files: list them, parse the new
        and changed ones (and what they include), forget the ones that went."""
        with gc_paused():
            self._refresh()

    def _refresh(self) -> None:
        self.resolved = None
        dirs: dict[str, list[os.DirEntry]] = {}
        found: dict[str, tuple[int, os.stat_result, bool]] | None = None
        if not self.refreshed:
            found = self._globbed(dirs)
            if self._refresh_from_resolution((found, dirs)):
                return  # nothing changed since the last command resolved it all
        if not self._cache_loaded:
            self._load_cache()
        if self._watching():
            return  # nothing changed since the last refresh (see augnetcf.watch)
        now = time.time_ns()  # (after the look: a later moment only records fewer files)
        racy = now - int(RACY_SECONDS * 1e9)
        if found is None:
            found = self._globbed(dirs)
        self.broken = []
        entries: dict[str, Entry] = {}
        done_includes: set[str] = set()
        expanded: list[str] = []
        for _round in range(9):
            todo = [p for p in found if p not in entries]
            if not todo:
                break
            if _round == 8:
                raise FileError("includes nest more than 8 deep", file=self.root)
            self._check_inside(todo, found)
            stale = []
            for path in todo:
                old = self._known.get(path)
                if self._current(old, found[path], racy):
                    entries[path] = old
                else:
                    stale.append(path)
            if stale:
                for entry in self._parse(stale, found, racy):
                    entries[entry.path] = entry
            for entry in [entries[p] for p in todo if p in entries]:
                for pattern in entry.includes:
                    if pattern.startswith("/") and pattern not in done_includes:
                        done_includes.add(pattern)
                        expanded.append(pattern)
                        self._expand(pattern, 0, found, dirs)
        self.entries = sorted(entries.values(), key=lambda e: e.aug_path)
        self._known = entries
        self._linked = any(link for _xfm, _st, link in found.values())
        self.refreshed = True
        self._found, self._expanded = found, expanded
        self._record()

    @property
    def watched(self) -> bool:
        """Whether the next :meth:`refresh` can ask inotify what changed
        (armed, every directory watched) rather than look at every file."""
        w = self._watcher
        return bool(self.refreshed and w and w.sound and not self._linked)

    def _watching(self) -> bool:
        """Whether the last refresh still stands because inotify reported no
        change since (see :mod:`augnetcf.watch`); otherwise arm the watches,
        before the caller looks at the files. A process's first refresh arms
        nothing: a one-shot command would only pay for it."""
        if not self.refreshed or self._watcher is False:
            return False
        # The directories change only with an entry made, renamed or removed
        # in one that is watched, or with the includes a full look follows.
        if self._watcher is not None and not self._linked and self._armed == self._expanded:
            changed = self._watcher.changes()
            if changed is not None and (not changed or self._look_at(changed)):
                return True
        dirs = watch.directories(self.root, [*(g for t in self.backend.transforms for g in t.incl),
                                             *self._expanded])
        if self._watcher is None:
            if not watch.enabled():
                self._watcher = False
                return False
            try:
                self._watcher = watch.Watcher()
            except (OSError, AttributeError):  # no inotify here
                self._watcher = False
                return False
        self._watcher.arm(dirs)
        self._armed = list(self._expanded)
        return False

    def _look_at(self, changed: set[str]) -> bool:
        """Look again at just the files inotify named (full paths), as the
        full look would at each: its stamp, a parse if it changed, gone if it
        went. False, with nothing changed, when a full look is needed: a
        name that is a directory or a symbolic link now, a file that appears
        or goes where a later glob hides others (``Transform.hides``), or a
        file whose includes differ from before. A name no glob takes is no
        file of the index (an editor's swap file, Augeas' ``.augnew``)."""
        top = self.root.rstrip("/")
        found = dict(self._found)
        looked: list[str] = []
        for full in sorted(changed):
            if not full.startswith(top + "/"):
                return False
            path = full[len(top):]
            xfm = self._taker(path)
            try:
                st = os.lstat(full)
            except OSError:
                st = None
            if st is not None and not stat.S_ISREG(st.st_mode):
                if stat.S_ISDIR(st.st_mode) or stat.S_ISLNK(st.st_mode):
                    return False
                st = None  # a fifo, a socket: never a file of the index
            if xfm is None:
                continue
            if self.backend.transforms[found[path][0] if path in found else xfm].hides \
                    and (st is None) != (path not in found):
                return False
            if st is None:
                found.pop(path, None)
            else:
                found[path] = (found[path][0] if path in found else xfm, st, False)
            looked.append(path)
        if not looked:
            return True
        racy = time.time_ns() - int(RACY_SECONDS * 1e9)
        present = [p for p in looked if p in found]
        self._check_inside(present, found)
        entries = dict(self._known)
        stale = []
        for path in present:
            if not self._current(entries.get(path), found[path], racy):
                stale.append(path)
        broken = [e for e in self.broken if e.file not in {top + p for p in looked}]
        before = self.broken
        self.broken = broken
        for entry in self._parse(stale, found, racy) if stale else ():
            old = entries.get(entry.path)
            if entry.includes != (old.includes if old is not None else []):
                self.broken = before
                return False
            entries[entry.path] = entry
        for path in looked:
            if path not in found:
                entries.pop(path, None)
        self.entries = sorted(entries.values(), key=lambda e: e.aug_path)
        self._known = entries
        self._found = found
        self._record()
        return True

    def _record(self) -> None:
        """Write the cache when it lacks an entry that may be recorded. An
        entry it holds that is no longer current (its file changed, or went)
        is never used (its stamp does not match), so dropping it is no reason
        to write 4,000 entries again: the command after a define would."""
        keep = {id(e): e for e in self.entries if e.keep or e.digest}
        if any(i not in self._on_disk for i in keep):
            self._on_disk = keep
            self._save_cache()

    def _taker(self, path: str) -> int | None:
        """The transform whose glob takes *path* (under the root) as
        :meth:`_expand` would: a backend glob's, or transform 0 for an
        include the last full look followed; None if none does."""
        for i, t in enumerate(self.backend.transforms):
            if any(_globbed(path, g) for g in t.incl) and not self._excl[i].match(os.path.basename(path)):
                return i
        if any(_globbed(path, g) for g in self._expanded) and not self._excl[0].match(os.path.basename(path)):
            return 0
        return None

    # -- what was resolved, kept -------------------------------------------------------
    # A command on a root where nothing changed would read every file's facts
    # (json of thousands of entries), check each against its file, and
    # resolve them all again (the engine's rules) only to reach the same
    # answer. The resolved file keeps that answer beside what it was
    # computed from: every file found (path, transform and the same stat
    # stamp entries are checked by), the include globs followed, the
    # kernel's MACs and the code stamp. It is used only while all of those
    # are still the same, which is the same check the entries get (a file
    # changed since it was recorded has another stamp; one changed within
    # the racy window was never recorded), so it never answers for files
    # that changed. Only a root whose every file is recorded and none broken
    # gets one: broken files are reported on every run.
    #
    # Its layout: a JSON header line (code, kernel, includes, the top-level
    # listing, the trees file's token, the entry count and where the
    # signature starts), a JSON line of the snapshot's tables (references
    # ``("unit", file, n)``... into the entries), one JSON line per entry
    # (:meth:`Entry.to_json`, in the entries' order), then the signature.
    # ``list`` reads the header alone; another command parses the tables
    # and only the entries it materializes (:class:`_Rows`).
    @staticmethod
    def _signature(found: dict[str, tuple[int, os.stat_result, bool]]) -> bytes:
        """Every file found and its stamp, as bytes to compare: the paths,
        then per path its transform and stamp packed (half the time of
        formatting them as text, at 8,000 files)."""
        # in path order: a look at a few files keeps its map in another order than a full one
        items = sorted(found.items())
        pack = _STAMP.pack
        return b"".join([b"\n".join([p.encode() for p, _v in items]), b"\0",
                         *[pack(xfm, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
                           for _p, (xfm, st, _link) in items]])

    def _globbed(self, dirs: dict[str, list[os.DirEntry]]) -> dict[str, tuple[int, os.stat_result, bool]]:
        """The files the backend's own globs find (not those of includes):
        path -> (transform, stat, symlink), each directory listed once (*dirs*)."""
        found: dict[str, tuple[int, os.stat_result, bool]] = {}
        for i, t in enumerate(self.backend.transforms):
            for pattern in t.incl:
                self._expand(pattern, i, found, dirs)
            if t.hides:
                _drop_hidden(found, i, t.incl)
        return found

    def _kept_resolution(self, look: tuple[dict, dict] | None = None
                         ) -> tuple[dict, bytes, dict[str, tuple[int, os.stat_result, bool]]] | None:
        """(header, body, files found) of the resolved file, if every file,
        include and the code are as it was recorded from; else None.
        *look*: what :meth:`_globbed` found and the listings it made, when
        the caller has them (a refresh looks at them anyway if this fails)."""
        if self._cache_file is None:
            return None
        fd = self._open_private(self._cache_file + ".resolved")
        if fd is None:
            return None
        with os.fdopen(fd, "rb") as f:
            data = f.read()
        head, _nl, rest = data.partition(b"\n")
        try:
            meta = json.loads(head)
            code = self._code or _code_stamp()
            if meta["code"] != code:
                return None
            if look is None:
                dirs: dict[str, list[os.DirEntry]] = {}
                look = (self._globbed(dirs), dirs)
            found, dirs = dict(look[0]), look[1]
            for pattern in meta["includes"]:
                self._expand(pattern, 0, found, dirs)
            if len(found) != int(meta["entries"]):
                return None  # a file added or gone: no need to compare stamps
            self._check_inside(list(found), found)
            at = int(meta["signature"])
            if not 0 <= at <= len(rest) or self._signature(found) != rest[at:]:
                return None
            self._code = code
            return meta, rest[:at], found
        except (ValueError, KeyError, TypeError):
            return None

    def listing(self, kernel: dict[str, str]) -> list[list[str]] | None:
        """[name, MAC] of the top-level interfaces as :meth:`record_resolved`
        kept them, if no file, include, kernel MAC or code changed since; else
        None (then the caller refreshes and resolves, as always)."""
        kept = self._kept_resolution()
        if kept is None:
            return None
        meta = kept[0]
        try:
            if meta["kernel"] != kernel:
                return None
            listing = [[str(name), str(mac)] for name, mac in meta["listing"]]
        except (ValueError, KeyError, TypeError):
            return None
        self.listed, self.broken = True, []
        return listing

    def _refresh_from_resolution(self, look: tuple[dict, dict]) -> bool:
        """A process's first refresh, when the resolved file still stands:
        the entries come from it (parsed one by one as they are asked for)
        and :attr:`resolved` holds its snapshot, so the command neither
        reads every file's facts nor resolves them again. False (nothing
        changed) when it does not stand."""
        kept = self._kept_resolution(look)
        if kept is None:
            return False
        meta, body, found = kept
        try:
            lines = body.split(b"\n")
            count = int(meta["entries"])
            if len(lines) != count + 2 or lines[-1] or count != len(found):
                return False
            tables = json.loads(lines[0])
            refs = {key: {str(n): [tuple(r) for r in v] for n, v in tables[key].items()}
                    for key in ("units", "marks", "extras", "homes")}
            resolved = (dict(meta["kernel"]), refs, dict(tables["masters"]), dict(tables["macs"]),
                        [(str(p), list(m)) for p, m in tables["matches"]])
            token = str(meta["token"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return False
        head = f"augnetcf-trees {token}\n".encode()
        fd = self._open_private(self._cache_file + ".trees")  # the trees its entries point into
        if fd is None:
            return False
        with os.fdopen(fd, "rb") as f:
            if f.read(len(head)) != head:
                return False
        self.entries = _Rows(lines[1:-1])
        self._known, self._cache_loaded = {}, False  # a later full look reads the facts file
        self._token, self._trees = token, None
        self.broken = []
        self._linked = any(link for _xfm, _st, link in found.values())
        self._found, self._expanded = found, [str(p) for p in meta["includes"]]
        self.resolved = resolved
        self.refreshed = True
        return True

    def record_resolved(self, kernel: dict[str, str], tables: dict[str, object],
                        listing: list[tuple[str, str]]) -> None:
        """Keep the snapshot's *tables* (as :func:`augnetcf.resolve.from_index`
        resolved them from this refresh's entries with *kernel*, references
        unreplaced) and *listing* (the top-level interfaces and their MACs)
        for the next command (see :meth:`listing`, :attr:`resolved`)."""
        if self._cache_file is None or not self.refreshed or self.broken \
                or len(self.entries) != len(self._found) or not all(e.keep for e in self.entries) \
                or not self._token:
            return
        if any(e.blob is None and e.tree is not None for e in self.entries):
            # trees of the delta file (or not yet written): the rows point into the trees file
            self._save_cache(whole=True)
            if any(e.blob is None and e.tree is not None for e in self.entries) or not self._token:
                return  # (the cache could not be written)
        rows = [json.dumps([e.path, *e.to_json(e.blob, e.items_blob)], separators=(",", ":")).encode()
                for e in self.entries]
        body = b"\n".join([json.dumps(tables, separators=(",", ":")).encode(), *rows, b""])
        meta = {"code": self._code or _code_stamp(), "kernel": kernel, "includes": self._expanded,
                "listing": [list(item) for item in listing], "token": self._token,
                "entries": len(rows), "signature": len(body)}
        with contextlib.suppress(OSError):
            self._write_private(self._cache_file + ".resolved",
                                [json.dumps(meta, separators=(",", ":")).encode(), b"\n", body,
                                 self._signature(self._found)])

    # -- what augnetcf wrote itself ----------------------------------------------------
    def learn(self, path: str, tree: etree._Element, data: bytes, found: Facts | None = None,
              save: bool = True) -> None:
        """Record that file *path* (under the root) now holds *data*, which
        augnetcf has just written, and that *tree* (a ``<tree>``) is what a
        parse of it gives; so the next command need not parse it again (two
        seconds for a Debian file of 4,000 stanzas, 90 ms for the five files
        of a networkd bridge among 8,000). Called under the write lock. The
        file was written moments ago, inside the racy window, so the entry
        carries the hash of *data* and is used only while the file still
        holds exactly those bytes (:meth:`_still_written`). *found*: the
        tree's facts, when the caller knows them cheaper than reading them.
        *save* False: the caller writes the cache (:meth:`save`) once it
        has told all it wrote."""
        wrapper = etree.Element("forest")
        wrapper.append(tree)
        text, items = tree_text(tree, self.backend)
        found = found if found is not None else facts(tree, self.backend)
        entry = self._learned(path, data, text, items, found, save=save)
        if entry is not None:
            entry._element = tree

    def tree_if_holds(self, path: str, data: bytes) -> etree._Element | None:
        """The ``<tree>`` of file *path* (under the root) if its entry says
        what *data*, the file's bytes just read, hold: an entry augnetcf
        wrote, with their hash; or a recorded one, whose stamp the file
        still has after that read (a change since would show in its ctime,
        which cannot be set back, and a recorded entry's file had not
        changed for the racy window when it was parsed). Else None."""
        entry = self.entry(path)
        if entry is None:
            return None
        if entry.digest:
            import hashlib

            if hashlib.sha256(data).hexdigest() != entry.digest:
                return None
        elif entry.keep:
            try:
                st = os.stat(self.root.rstrip("/") + path)
            except OSError:
                return None
            if _stamp(st) != tuple(entry.stamp) or st.st_size != len(data):
                return None
        else:
            return None
        return self.tree_of(entry)

    def entry(self, path: str) -> Entry | None:
        """The entry of file *path* (under the root), if the index has one;
        from the resolved file's rows without reading the others."""
        if isinstance(self.entries, _Rows):
            return self.entries.get(path)
        return self._known.get(path)

    def save(self) -> None:
        """Write the cache after :meth:`learn` with *save* False."""
        if not isinstance(self.entries, _Rows):
            self._on_disk = {id(e): e for e in self.entries if e.keep or e.digest}
        self._save_cache()

    def learn_text(self, path: str, text: bytes, items: Items, data: bytes, found: Facts,
                   save: bool = True) -> None:
        """:meth:`learn` from the tree's XML *text* (UTF-8), :data:`Items` and
        facts (what a window gives without building the whole tree)."""
        entry = self._learned(path, data, text.decode(), items, found, text, save)
        if entry is not None:
            entry._text = None  # written: the trees file has it now

    def _learned(self, path: str, data: bytes, text: str, items: Items | None, found: Facts,
                 raw: bytes | None = None, save: bool = True) -> Entry | None:
        """Record the entry of :meth:`learn` (*raw*: *text* as UTF-8, if at
        hand) and, with *save*, write the cache; None when the file is not
        the one written, or is no file of the backend's globs (a new file
        must be one: an included file is known from the file including it)."""
        import hashlib

        rows = self.entries if isinstance(self.entries, _Rows) else None
        # (entries from the resolved file: the facts file's own, all of them
        # in its trees file; they stay unparsed but for the one replaced)
        old = rows.get(path) if rows is not None else self._known.get(path)
        xfm = old.xfm if old is not None else self.transform_for(path)
        if xfm is None:
            return None
        try:
            st = os.stat(self.root.rstrip("/") + path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return None
        entry = Entry(path, old.aug_path if old is not None else "/files" + path, xfm, _stamp(st))
        entry.set_facts(found)
        entry.tree, entry.items, entry._text = text, items, raw
        entry.keep = False
        entry.digest = hashlib.sha256(data).hexdigest()
        if rows is not None:
            rows.put(entry)
            if save:
                self.save()
            return entry
        self._known[path] = entry
        entries = list(self.entries)
        at = next((i for i, e in enumerate(entries) if e.path == path), None)
        if at is not None:
            entries[at] = entry
        else:  # a new file
            entries.insert(bisect.bisect([e.aug_path for e in entries], entry.aug_path), entry)
        self.entries = entries
        if save:
            self.save()
        return entry

    def _current(self, old: Entry | None, where: tuple[int, os.stat_result, bool], racy: int) -> bool:
        """Whether entry *old* still says what its file, found as *where*
        (transform, stat, symlink), holds: the same stamp and transform, and
        recorded, or still the bytes augnetcf wrote (:meth:`_still_written`).
        The one rule of the full look and of a look at a few files."""
        xfm, st, _link = where
        return old is not None and old.stamp == _stamp(st) and old.xfm == xfm and \
            (old.keep or self._still_written(old, racy))

    def _still_written(self, entry: Entry, racy: int) -> bool:
        """Whether the file of an entry :meth:`learn` recorded still holds the
        bytes augnetcf wrote (its stamp alone cannot tell inside the racy
        window); once the file is older than that window, the stamp can, and
        the entry becomes an ordinary one."""
        if not entry.digest:
            return False
        import hashlib

        try:
            with open(self.root.rstrip("/") + entry.path, "rb") as f:
                same = hashlib.sha256(f.read()).hexdigest() == entry.digest
        except OSError:
            return False
        if same and max(entry.stamp[3], entry.stamp[4]) < racy:
            entry.keep, entry.digest = True, ""
            self._on_disk = {}  # written again with the entry as an ordinary one
        return same

    def _parse(self, paths: list[str], found: dict[str, tuple[int, os.stat_result, bool]],
               racy: int) -> list[Entry]:
        """Parse *paths* through Augeas (only them) into entries."""
        session = self._session()
        by_xfm: dict[int, list[str]] = {}
        for path in paths:
            by_xfm.setdefault(found[path][0], []).append(path)
        incl: dict[int, list[str]] = {}
        for i, some in by_xfm.items():
            every = [p for p, (x, _st, _l) in found.items() if x == i]
            # Thousands of exact names cost Augeas more than its own globs;
            # reading a few files more than needed is harmless.
            if len(some) > 64 and len(some) * 2 > len(every):
                base = self._base(i)
                incl[i] = list(self.backend.transforms[i].incl) + [aug.escape_glob(p) for p in some
                                                                   if p not in base]
            else:
                incl[i] = [aug.escape_glob(p) for p in sorted(some)]
        session.narrow(incl)
        broken = {err.file: err for err in session.broken}
        loaded = {_fs_relative(p): p for p in session.files()}
        unreadable: list[str] = []
        wanted = [loaded[p] for p in paths if p in loaded]
        forest_ = forest.read(session.aug, sorted(wanted), unreadable)
        trees = {t.get("path"): t for t in forest_}
        self.broken.extend(broken.values())
        out = []
        for path in paths:
            xfm, st, _link = found[path]
            aug_path = loaded.get(path, "/files" + path)
            full = os.path.join(self.root, path.lstrip("/"))
            entry = Entry(path, aug_path, xfm, _stamp(st))
            entry.keep = (full not in broken and aug_path not in unreadable and path in loaded
                          and max(st.st_mtime_ns, st.st_ctime_ns) < racy)
            if aug_path in unreadable:
                self.broken.append(FileError("cannot be parsed: it holds bytes that are not UTF-8 "
                                             "text, or control characters", file=full))
            tree = trees.get(aug_path)
            if tree is not None:
                wrapper = etree.Element("forest")
                wrapper.append(tree)
                entry.set_facts(facts(tree, self.backend))
                entry.tree, entry.items = tree_text(tree, self.backend)
                entry._element = tree
            out.append(entry)
        return out

    def _base(self, xfm: int) -> set[str]:
        """Files transform *xfm*'s own globs take (not those taken in by includes)."""
        out: dict[str, tuple[int, os.stat_result, bool]] = {}
        t = self.backend.transforms[xfm]
        dirs: dict[str, list[os.DirEntry]] = {}
        for pattern in t.incl:
            self._expand(pattern, xfm, out, dirs)
        if t.hides:
            _drop_hidden(out, xfm, t.incl)
        return set(out)

    def transform_for(self, path: str) -> int | None:
        """The backend transform whose globs take *path* (under the root), if any."""
        for i, t in enumerate(self.backend.transforms):
            if any(fnmatch.fnmatchcase(path, g) for g in t.incl) \
                    and not self._excl[i].match(os.path.basename(path)):
                return i
        return None


class _Rows(Sequence):
    """The entries of the resolved file (see :meth:`Index._refresh_from_resolution`),
    each parsed from its JSON line when it is first asked for: a command
    about one interface of thousands needs a handful."""

    def __init__(self, lines: list[bytes]):
        self._lines: list[bytes | None] = list(lines)
        self._made: list[Entry | None] = [None] * len(lines)
        self._at: dict[str, int] | None = None
        #: entries :meth:`put` since the rows were read (what a change learned), by path
        self.put_since: dict[str, Entry] = {}

    def _places(self) -> dict[str, int]:
        """Each row's place by path, read from the start of its line alone
        (a row of a big Debian file is megabytes)."""
        if self._at is None:
            paths = []
            for i, line in enumerate(self._lines):
                end = line.find(b'",', 2) if line is not None else -1
                if line is not None and line.startswith(b'["') and end > 0 and b"\\" not in line[2:end]:
                    paths.append(line[2:end].decode("utf-8", "surrogateescape"))
                else:  # (one made here, or a path JSON escapes)
                    paths.append(self[i].path)
            self._at = {path: i for i, path in enumerate(paths)}
        return self._at

    def get(self, path: str) -> Entry | None:
        """The entry of *path*, if there is one."""
        i = self._places().get(path)
        return self[i] if i is not None else None

    def put(self, entry: Entry) -> None:
        """Replace the entry of *entry*'s path by *entry*, or add it in its
        place (by Augeas path, as the rows are) when its file is new."""
        at = self._places()
        i = at.get(entry.path)
        if i is None:  # (an Augeas path is "/files" and the path: the rows are in path order too)
            paths = sorted(at, key=at.__getitem__)
            i = bisect.bisect(paths, entry.path)
            paths.insert(i, entry.path)
            self._lines.insert(i, None)
            self._made.insert(i, entry)
            self._at = {path: j for j, path in enumerate(paths)}
        self._made[i] = entry
        self.put_since[entry.path] = entry

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        entry = self._made[i]
        if entry is None:
            path, *data = json.loads(self._lines[i])  # type: ignore[arg-type]
            entry = self._made[i] = Entry.from_json(str(path), data)
        return entry

    def __iter__(self) -> Iterator[Entry]:
        return (self[i] for i in range(len(self._lines)))


def _globbed(path: str, pattern: str) -> bool:
    """Whether glob(3) would list *path* for *pattern*: a name for each part,
    and a part's leading dot matched only by a dot (``*`` takes no hidden file)."""
    names, parts = path.split("/"), pattern.split("/")
    if len(names) != len(parts):
        return False
    for name, part in zip(names, parts):
        if not _MAGIC.search(part):
            if name != part:
                return False
        elif (name.startswith(".") and not part.startswith(".")) or not fnmatch.fnmatchcase(name, part):
            return False
    return True


def _items(data: object) -> Items:
    """:data:`Items` from their JSON form; ValueError or TypeError unless
    they fit together as a window relies on them: one label, value flag and
    size per item, sizes above 0, and units and marks in the items' order
    (it bisects them), each naming an item."""
    labels, valued, sizes, units, marks = data  # type: ignore[misc]
    items = Items([str(x) for x in labels], [bool(x) for x in valued], [int(x) for x in sizes],
                  [int(x) for x in units], [int(x) for x in marks])
    seqs = (items.units, items.marks)
    if not len(items.labels) == len(items.valued) == len(items.sizes) or min(items.sizes, default=1) <= 0 \
            or any(a > b for seq in seqs for a, b in zip(seq, seq[1:])) \
            or any(not 0 <= i < len(items.labels) for seq in seqs for i in seq[:1] + seq[-1:]):
        raise ValueError("items that do not fit together")
    return items


def _drop_hidden(found: dict[str, tuple[int, os.stat_result, bool]], xfm: int, incl: tuple[str, ...]) -> None:
    """Forget the files of transform *xfm* that a file of the same name taken
    by a later glob of *incl* hides (``Transform.hides``: netplan's ``run``
    over ``etc`` over ``lib``), as the session does."""
    def rank(path: str) -> int:
        return max(i for i, g in enumerate(incl) if fnmatch.fnmatchcase(path, g))

    best: dict[str, str] = {}
    for path in [p for p, v in found.items() if v[0] == xfm]:
        name = os.path.basename(path)
        if name not in best or rank(path) > rank(best[name]):
            best[name] = path
    for path in [p for p, v in found.items() if v[0] == xfm]:
        if best[os.path.basename(path)] != path:
            del found[path]
