"""What a command reads into Augeas and into forest elements.

Without the index, a command reads every file of the backend, following
includes (:func:`read_all`). With it, the snapshot holds references into
the index (:func:`augnetcf.resolve.from_index`), and :func:`materialize`
turns those of the interfaces a command is about into elements: from the
index's trees for a read, from Augeas for a change, which then loads just
their files, and only a window of a big shared file (:func:`windows`,
:mod:`augnetcf.window`). After a save, :func:`learn_saved` tells the index
what the files now hold. The engine
(:class:`augnetcf.config.Config`) owns the session and the lock; this
module only decides which files and elements.

Imported on first use only (it loads lxml and libaugeas).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from lxml import etree

from . import resolve
from ._lazy import lazy
from .errors import FileError
from .index import facts as index_facts
from .index import itemized
from .resolve import XPATH_NS

# A read from the index's trees needs no libaugeas; only Debian's big files get windows.
aug = lazy("augnetcf.aug", globals())
forest = lazy("augnetcf.forest", globals())
window = lazy("augnetcf.window", globals())

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .aug import AugeasSession
    from .backends import Backend
    from .index import Index

    #: ``session_for(refs, files, extra, paths)``: the session a change edits
    #: in, and the windows it shows (see ``Config._change_session``)
    SessionFor = Callable[[list, list, list, list], tuple[AugeasSession, dict[str, window.Window]]]


def read_all(session: AugeasSession, backend: Backend, root: str) -> etree._Element:
    """The forest of every file *session* loaded, following includes until none is new."""
    for _round in range(8):
        unreadable: list[str] = []
        forest_ = forest.read(session.aug, sorted(session.files()), unreadable)
        for path in unreadable:  # left out, like a file the lens rejects
            session.broken.append(FileError("cannot be parsed: it holds bytes that are not UTF-8 "
                                            "text, or control characters", file=session.fs_path(path)))
        if not session.include(includes(forest_, backend)):
            return forest_
    raise FileError("includes nest more than 8 deep", file=root)


def includes(forest_: etree._Element, backend: Backend) -> list[str]:
    """Globs (under the root) of the files the loaded ones pull in."""
    b = backend
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


def materialize(snap: resolve.Snapshot, names: Iterable[str], write: bool, extra: Iterable[str], index: Index,
                backend: Backend, session_for: SessionFor) -> bool:
    """Replace the references of *names* (with their ports' and slaves',
    and their masters') in *snap* by elements; False if a file changed
    since the index read it. With *write*, from the session
    *session_for* gives, narrowed to their files and the files *extra*
    (Augeas paths a change writes); else from the index's trees."""
    b = backend
    wanted = {n for name in names for n in snap.names(name)}
    wanted |= {snap.masters[name] for name in names if snap.masters.get(name)}
    refs = [r for n in wanted for table in snap.tables() for r in table.get(n, [])]
    files = sorted({r[1] for r in refs})
    entries = index.entries
    trees: dict[int, etree._Element | None] = {}
    resolved: dict[tuple, etree._Element] = {}
    if write:
        # Augeas holds just these files (and the new ones), so the change
        # and its save touch nothing else.
        incl: dict[int, list[str]] = {}
        paths = [entries[f].path for f in files] + [p[len("/files"):] for p in extra]
        for path in dict.fromkeys(paths):
            xfm = index.transform_for(path)
            if xfm is None:  # an included file: read as its includer's transform reads it
                xfm = next((e.xfm for e in entries if e.path == path), None)
            if xfm is not None:
                incl.setdefault(xfm, []).append(aug.escape_glob(path))
        session, windows = session_for(refs, files, [p[len("/files"):] for p in extra], paths)
        session.narrow(incl)
        read = forest.read(session.aug, sorted(entries[f].aug_path for f in files))
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
        for f in files:
            mine = [r for r in refs if r[1] == f]
            cut = index.partial_tree(entries[f], [r[2] for r in mine if r[0] == "unit"],
                                     [r[2] for r in mine if r[0] == "mark"]) \
                if all(r[0] in ("unit", "mark") for r in mine) else None
            if cut is None:
                trees[f] = index.tree_of(entries[f])
                continue
            # just the items of a big file that the refs are in, each unit and mark at its place
            tree, units, marks = cut
            resolved.update({("unit", f, ui): el for ui, el in units})
            resolved.update({("mark", f, mi): el for mi, el in marks})
            resolved[("extra", f)] = tree
    for f, tree in trees.items():
        if tree is None:
            return False
        w = windows.get(entries[f].path)
        if write:
            top = tree.getparent()
            units = top.xpath(b.unit, namespaces=XPATH_NS)
            marks = top.xpath(b.mark, namespaces=XPATH_NS) if b.mark else []
            homes = top.xpath(b.mark_homes, namespaces=XPATH_NS) if b.mark_homes else []
        else:
            units, marks, homes = entries[f].parts(tree, b, XPATH_NS)
        for ui, el in enumerate(units):
            resolved[("unit", f, w.units[ui] if w is not None else ui)] = el
        for mi, el in enumerate(marks):
            resolved[("mark", f, w.marks[mi] if w is not None else mi)] = el
        for hi, el in enumerate(homes):
            resolved[("home", f, hi)] = el
        resolved[("extra", f)] = tree
    for n in wanted:
        for table in snap.tables():
            if n in table:
                table[n] = [resolved[r] for r in table[n]]
    return True


def windows(refs: list[tuple], files: list[int], extra: list[str], index: Index, backend: Backend,
            root: str) -> dict[str, window.Window]:
    """Files (paths under the root) too big to load whole for this change,
    and the window of each that it needs (see :mod:`augnetcf.window`):
    for a backend whose interfaces share files and whose meaning stays
    within a file, each file that holds the *refs* of the change (index
    references to units and marks) or gets new nodes (*extra*)."""
    b = backend
    if not itemized(b):  # the window's scanner knows the Ifupdown lens' items (Debian's files)
        return {}
    entries = index.entries
    by_path = {e.path: i for i, e in enumerate(entries)}
    out = {}
    for f in dict.fromkeys([*files, *(by_path[p] for p in extra if p in by_path)]):
        e = entries[f]
        mine = [r for r in refs if r[1] == f]
        # only a file recorded (not changed within the racy window): then
        # its stamp, checked again when the window is cut, proves that no
        # byte outside the window changed since the index read it
        if any(r[0] not in ("unit", "mark") for r in mine) or not (e.keep or e.digest) or not e.stamp or \
                index.transform_for(e.path) is None:
            continue
        tops = index.items_of(e)  # the items of its tree, without parsing the tree
        if tops is None or len(tops.units) != len(e.units) or len(tops.marks) != len(e.marks):
            continue
        try:
            wanted = [tops.units[r[2]] if r[0] == "unit" else tops.marks[r[2]] for r in mine]
        except IndexError:
            continue
        w = window.plan(e.path, root.rstrip("/") + e.path, tops, e.stamp, wanted, e.path in extra, e.digest)
        if w is not None:
            out[e.path] = w
    return out


def learn_saved(session: AugeasSession, index: Index, backend: Backend, changed: list[str],
                deleted: list[str]) -> None:
    """Tell the index what each file a save wrote now holds (*changed*:
    the save's paths on disk; *deleted*: the Augeas paths it removed), so
    that the next command does not parse it again. A windowed file's tree
    is the index's old one with the windows' items as the change left them
    (a big Debian file is not parsed whole). Any other file is read back
    (under the write lock) and its bytes parsed in this session, whose
    handle has the lens at hand already: the tree is what a fresh parse of
    exactly those bytes gives, and the index uses it only while the file
    holds them (:meth:`augnetcf.index.Index.learn`). A file of a Python
    lens (netplan's YAML) is left to the next command."""
    windows = getattr(session, "windows", {})
    top = index.root.rstrip("/")
    gone = {session.fs_path(p) for p in deleted}
    learned = False
    for path, w in windows.items():
        entry, data = index.entry(path), session.staged.get(path)
        if entry is None or data is None or entry.aug_path in deleted:
            continue
        tops, text = index.items_of(entry), index.tree_bytes(entry)
        shown = session.parse_printed(path, backend.transforms[entry.xfm].lens)
        if tops is None or text is None or shown is None:
            continue
        got = w.learned(text, tops, entry.facts(), entry.aug_path, shown, backend)
        if got is not None:
            new_text, new_tops, found = got
            index.learn_text(path, new_text, new_tops, data, found, save=False)
            learned = True
    for full in changed:
        path = full[len(top):]
        if full in gone or not full.startswith(top + "/") or path in windows:
            continue
        entry = index.entry(path)
        xfm = entry.xfm if entry is not None else index.transform_for(path)
        if xfm is None or backend.transforms[xfm].python_lens:
            continue
        try:
            with open(full, "rb") as f:
                data = f.read()
        except OSError:
            continue
        tree = session.parse_bytes(data, backend.transforms[xfm].lens, "/files" + path)
        if tree is not None:
            index.learn(path, tree, data, save=False)
            learned = True
    if learned:
        index.save()
