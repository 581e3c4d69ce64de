"""A change to a big shared file, with Augeas shown only the part it touches.

Debian keeps every interface in one ``interfaces`` file. Augeas parses a
whole file to change one stanza, and prints all of it again, in time that
grows faster than the file (8 s of CPU, and 130 MB, to define one bridge in
a file of 4,000 stanzas). Yet a define or undefine touches a few stanzas:
those of the interface, its ports and its ``auto`` lines, plus the end of
the file where new stanzas go.

So for such a file the write session's Augeas handle is rooted in a private
shadow directory that holds, at the same path, only a *window* of the file:
whole top-level items (a stanza with the comments after it, an ``auto``
line, ...) from a little before the first item the change needs to the end
of the file (or a little after the last needed item, for an undefine).
Every Augeas path, lens and span inside the window is what the engine would
see in the whole file, so it edits, decides stanza comments and cuts
removed lines exactly as it would. At save, what Augeas printed for the
window is spliced back between the untouched bytes before and after it, the
backend's ``relayout`` runs on the old and new texts (Debian's ``reindent``
works on the lines that differ, widened to whole stanzas, with the bytes it
gives on whole texts), and the result goes through the same journal as
every save: all or nothing, crash safe.

The index's whole tree of the file is never parsed for this: the index
keeps per top-level item its label, whether it has a value, the length of
its XML in the tree's text and which units and marks it holds
(:data:`augnetcf.index.Items`). The window is planned from those, and what
the index records after the change (:meth:`Window.learned`) is the old
text with the runs' items replaced by their new XML, the items whose
number moved renumbered: exactly what a fresh parse of the new file gives.

Nothing is trusted that has not been checked. The items are found by a
scanner of the lens' item-starting lines, and a window is used only if the
scanner's items are exactly the top-level nodes of the file's index tree
(the labels the index keeps for them, every stanza named) and the window's own parse says the
same as the index does for those items; the file must still have the stamp
the index recorded for it, and must not change while the window is cut (it
is read under the write lock). Otherwise the change loads the whole file,
as before.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import os
import re
import shutil
import tempfile

from . import aug
from .errors import FileError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml import etree

    from .backends import Backend, Transform
    from .index import Facts, Items

#: Below this size a whole file costs little: no window. ``AUGNETCF_WINDOW_MIN``
#: (bytes) sets another, for tests that put every change through a window.
#: Measured (bench roots): at 12 KiB (100 stanzas) a window took a define
#: from 173 to 140 ms and an undefine from 244 to 162 (the next command
#: need not parse what was learned); at 4.7 KiB they were even, at 1 KiB
#: the window cost 10 ms more (its own parse of what Augeas printed).
MIN_BYTES = int(os.environ.get("AUGNETCF_WINDOW_MIN", 8 * 1024))
#: Items kept before each needed one (at least up to a stanza that stays,
#: which takes the comments a removed stanza leaves) and after it; the last
#: items of the file, where new stanzas go.
BEFORE, AFTER = 4, 2

#: The first word of a line that starts a top-level item (lenses/ifupdown.aug's ``keyword``):
#: on the text's first line (:data:`_START`), and after any newline
#: (:data:`_NEXT`, which starts with a literal, so the search for it runs
#: in C from one newline to the next: half the time of ``^`` in MULTILINE).
_KEYWORD = (rb"[ \t]*(iface|interface|template|defaults|vlan|mapping|auto|allow-[a-z-]+|no-auto-down"
            rb"|no-scripts|rename|source|source-directory)(?=[ \t\\]|$)")
_START = re.compile(_KEYWORD, re.MULTILINE)
_NEXT = re.compile(rb"\n" + _KEYWORD, re.MULTILINE)
_NS = {"ancf": "urn:augnetcf:xslt"}
#: A label that is its own path step (augnetcf.forest's rule).
_PLAIN_LABEL = re.compile(r"[^/\[\]\\*|=()!<>,+'\" \t]+")
#: Top-level nodes that hold an interface's stanza (the home of the comments a removed stanza leaves).
_STANZAS = ("iface", "interface", "template", "vlan", "mapping", "defaults")


def items(text: bytes) -> list[tuple[int, str]]:
    """(byte offset, keyword) of each line of *text* that starts a top-level
    item, as the Ifupdown lens reads it: a keyword first on its line, not on
    a line continued from the one before, and not a bare ``auto`` (inside a
    stanza, ifupdown-ng's mark for it). A comment's trailing backslash
    continues nothing.

    One regular expression over the whole text finds the candidate lines
    (a file of 4,000 stanzas has 24,000 lines, and a Python loop over them
    was most of the cost of cutting a window); only the line before a
    candidate that ends in a backslash is looked at further."""
    out: list[tuple[int, str]] = []
    names: dict[bytes, str] = {}
    first = _START.match(text)
    for m in itertools.chain([first] if first else [], _NEXT.finditer(text)):
        pos = m.start() if m is first else m.start() + 1
        if pos >= 2 and text[pos - 2] == 0x5C:  # the line before ends in a backslash
            prev = text[text.rfind(b"\n", 0, pos - 1) + 1:pos - 1]
            if not prev.lstrip(b" \t").startswith(b"#") and not continued_escape(prev):
                continue
        key = m.group(1)
        if key == b"auto":
            end = text.find(b"\n", m.end())
            if not text[m.end():end if end >= 0 else len(text)].strip(b" \t"):
                continue
        name = names.get(key)
        if name is None:
            name = names[key] = key.decode()
        out.append((pos, name))
    return out


def continued_escape(line: bytes) -> bool:
    """Whether *line* ends in an even run of backslashes (escaped ones: no continuation)."""
    run = len(line) - len(line.rstrip(b"\\"))
    return run % 2 == 0


class Window:
    """The parts of one file a change loads: whole top-level items, in runs
    (*ranges*, byte offsets into *text*), shown to Augeas as one file with a
    gap line (a ``source`` line naming nothing) between runs. Splicing puts
    what Augeas printed for each run back in its place."""

    def __init__(self, path: str, text: bytes, stamp: tuple[int, ...], ranges: list[tuple[int, int]],
                 units: list[int], marks: list[int], runs: list[tuple[int, int]]):
        #: Path under the root (``/etc/network/interfaces``).
        self.path = path
        self.text = text
        self.stamp = stamp
        self.ranges = ranges
        #: The runs as item numbers: ``[first, last)`` of the file's top-level items.
        self.runs = runs
        #: The file's units and marks (their index among all of the file's)
        #: in the order the window shows them: index reference (file, n) is
        #: the window's ``units.index(n)``.
        self.units, self.marks = units, marks
        self.token = os.urandom(8).hex()

    def gap(self, k: int) -> bytes:
        return f"source {self.gap_value(k)}\n".encode()

    def gap_value(self, k: int) -> str:
        return f"/augnetcf-window-gap-{self.token}-{k}"

    def _parts(self, shown: etree._Element) -> list[list[etree._Element]]:
        parts: list[list[etree._Element]] = [[]]
        for el in shown:
            if el.get("label") == "source" and el.get("value") == self.gap_value(len(parts)):
                parts.append([])
            else:
                parts[-1].append(el)
        return parts

    def _unmoved(self, old: list[str], new: list[str],
                 parts: list[list[etree._Element]]) -> list[tuple[int, int]] | None:
        """The stretches of old items outside the runs (before each run, then
        after the last), when none of their items' paths changes (every
        label keeps being one of several, or alone, and no run before an
        item changed how many of its label there are); else None. A define
        at the end of a file, or a change that keeps each label's count,
        moves no item."""
        from collections import Counter

        was, now = Counter(old), Counter(new)
        flipped = {label for label in was.keys() | now.keys() if (was[label] > 1) != (now[label] > 1)}
        moved: Counter[str] = Counter()  # how many more of each label the runs so far left
        stretches, at = [], 0
        for (lo, hi), part in [*zip(self.runs, parts), ((len(old), len(old)), [])]:
            risky = flipped | {label for label, d in moved.items() if d and now[label] > 1}
            if risky & set(old[at:lo]):
                return None
            stretches.append((at, lo))
            moved.update(str(el.get("label")) for el in part)
            moved.subtract(old[lo:hi])
            at = hi
        return stretches

    def learned(self, text: bytes | memoryview, items: Items, before: Facts, base: str, shown: etree._Element,
                backend: Backend) -> tuple[bytes, Items, Facts] | None:
        """What the index records for the file after the change, as a fresh
        parse would give it, from what it recorded before (the tree's XML
        *text*, its *items* and facts *before*; the tree's path is *base*)
        and the window's tree after the change (*shown*, gap lines between
        the runs): the tree's XML text, its items and its facts. None when
        that cannot be done with certainty (then the next command parses
        the file).

        Only the runs' items are new; every other item is the same XML as
        before, but renumbered when the change added or removed an item of
        its label before it (``iface[12]`` becomes ``iface[11]``), and only
        those are parsed. Their facts are the ones recorded before: reading
        every item of a big file again cost more than the change did."""
        from lxml import etree

        from .index import Items, facts

        parts = self._parts(shown)
        n = len(items.labels)
        if len(parts) != len(self.runs) or self.runs[-1][1] > n or len(items.units) != len(before.units) \
                or len(items.marks) != len(before.marks):
            return None
        close = b"</tree>"
        head_len = len(text) - sum(items.sizes) - len(close)
        head = etree.tostring(etree.Element("tree", path=base), encoding="unicode").encode()
        if head_len <= 0 or text[len(text) - len(close):] != close or text[:head_len] != head[:-2] + b">":
            return None
        starts = list(itertools.accumulate(items.sizes, initial=head_len))

        def old_xml(i: int) -> bytes | memoryview:
            return text[starts[i]:starts[i + 1]]

        # the new items, in order: (old item number or None, element or None)
        new: list[tuple[int | None, etree._Element | None]] = []
        at = 0
        for (lo, hi), part in zip(self.runs, parts):
            new += [(i, None) for i in range(at, lo)] + [(None, el) for el in part]
            at = hi
        new += [(i, None) for i in range(at, n)]
        labels = [items.labels[i] if i is not None else str(el.get("label")) for i, el in new]
        if not all(_PLAIN_LABEL.fullmatch(label) for label in set(labels)):
            return None

        def numbered(labels: list[str]) -> list[str]:
            counts: dict[str, int] = {}
            for label in labels:
                counts[label] = counts.get(label, 0) + 1
            seen: dict[str, int] = {}
            out = []
            for label in labels:
                seen[label] = seen.get(label, 0) + 1
                out.append(f"{base}/{label}[{seen[label]}]" if counts[label] > 1 else f"{base}/{label}")
            return out

        # the facts of the runs' new items, and which of them holds each unit and mark
        wrapper = etree.Element("forest")
        tree = etree.SubElement(wrapper, "tree", path=base)
        fresh = [el for i, el in new if i is None]
        for el in fresh:
            tree.append(el)
        got = facts(tree, backend)
        place = {id(el): k for k, el in enumerate(fresh)}
        unit_in = [place[id(_top(u, tree))] for u in wrapper.xpath(backend.unit, namespaces=_NS)]
        mark_in = [place[id(_top(m, tree))] for m in wrapper.xpath(backend.mark, namespaces=_NS)] \
            if backend.mark else []
        if len(unit_in) != len(got.units) or len(mark_in) != len(got.marks):
            return None
        # the facts and items after: before's outside the runs, the runs' own inside
        units, nets, marks, addrs, unit_at, mark_at = [], [], [], [], [], []

        def take_old(a: int, b: int, shift: int) -> None:
            """Old items a..b, now numbered *shift* further."""
            u0, u1 = bisect.bisect_left(items.units, a), bisect.bisect_left(items.units, b)
            m0, m1 = bisect.bisect_left(items.marks, a), bisect.bisect_left(items.marks, b)
            units.extend(before.units[u0:u1])
            nets.extend(before.nets[u0:u1])
            marks.extend(before.marks[m0:m1])
            addrs.extend(before.mark_addrs[m0:m1])
            unit_at.extend(i + shift for i in items.units[u0:u1])
            mark_at.extend(i + shift for i in items.marks[m0:m1])

        def take_new(a: int, b: int, first: int) -> None:
            """New items a..b (of *fresh*), numbered from *first* on."""
            u0, u1 = bisect.bisect_left(unit_in, a), bisect.bisect_left(unit_in, b)
            m0, m1 = bisect.bisect_left(mark_in, a), bisect.bisect_left(mark_in, b)
            units.extend(got.units[u0:u1])
            nets.extend(got.nets[u0:u1])
            marks.extend(got.marks[m0:m1])
            addrs.extend(got.mark_addrs[m0:m1])
            unit_at.extend(first + k - a for k in unit_in[u0:u1])
            mark_at.extend(first + k - a for k in mark_in[m0:m1])

        at = shift = done = 0
        for (lo, hi), part in zip(self.runs, parts):
            take_old(at, lo, shift)
            take_new(done, done + len(part), lo + shift)
            shift += len(part) - (hi - lo)
            done += len(part)
            at = hi
        take_old(at, n, shift)
        # the includes, in the order of their lines in the new file
        lines = etree.Element("forest")
        sources = etree.SubElement(lines, "tree", path=base)
        for i, el in new:
            if (items.labels[i] if i is not None else el.get("label")) in ("source", "source-directory"):
                sources.append(etree.fromstring(bytes(old_xml(i))) if i is not None else copy.deepcopy(el))
        found = before._replace(units=units, nets=nets, marks=marks, mark_addrs=addrs,
                                includes=facts(sources, backend).includes)
        # the XML text: each item's as before, renumbered where its path moved
        def renumbered(el: etree._Element, path: str) -> bytes:
            was = el.get("path")
            for node in el.iter():
                node.set("path", path + node.get("path")[len(was):])
            el.tail = None
            # as the index writes a tree's text: UTF-8, not ASCII with character references
            return etree.tostring(el, encoding="unicode").encode()

        out: list[bytes | memoryview] = [text[:head_len]]
        sizes: list[int] = []
        valued: list[bool] = []
        segments = self._unmoved(items.labels, labels, parts)
        if segments is not None:
            # no item outside the runs moved: copy the stretches between
            # them whole, number the runs' items where they now stand
            at = 0
            for part, (a, b) in zip(parts, segments):
                out.append(text[starts[a]:starts[b]])
                sizes += items.sizes[a:b]
                valued += items.valued[a:b]
                pos = at + (b - a)
                for el in part:
                    label = str(el.get("label"))
                    if labels.count(label) > 1:
                        path = f"{base}/{label}[{labels[:pos].count(label) + 1}]"
                    else:
                        path = f"{base}/{label}"
                    xml = renumbered(el, path)
                    out.append(xml)
                    sizes.append(len(xml))
                    valued.append(el.get("value") is not None)
                    pos += 1
                at = pos
            a, b = segments[-1]
            out.append(text[starts[a]:starts[b]])
            sizes += items.sizes[a:b]
            valued += items.valued[a:b]
        else:
            old_paths, new_paths = numbered(items.labels), numbered(labels)
            for (i, el), path in zip(new, new_paths):
                if i is not None and old_paths[i] == path:
                    xml = old_xml(i)
                    valued.append(items.valued[i])
                else:
                    if el is None:
                        el = etree.fromstring(bytes(old_xml(i)))
                    xml = renumbered(el, path)
                    valued.append(el.get("value") is not None)
                out.append(xml)
                sizes.append(len(xml))
        out.append(close)
        return b"".join(out), Items(labels, valued, sizes, unit_at, mark_at), found

    def shown(self) -> bytes:
        """What Augeas reads: the runs, a gap line between each two."""
        out = []
        for k, (start, end) in enumerate(self.ranges):
            if k:
                out.append(self.gap(k))
            out.append(self.text[start:end])
        return b"".join(out)

    def splice(self, printed: bytes) -> bytes:
        """The whole file with each run replaced by what Augeas printed for it."""
        parts = []
        rest = printed
        for k in range(1, len(self.ranges)):
            head, sep, rest = rest.partition(self.gap(k))
            if not sep or self.gap(k) in rest:
                raise FileError("the change reached into a part of the file augnetcf did not load",
                                file=self.path)
            parts.append(head)
        parts.append(rest)
        out, at = [], 0
        for (start, end), part in zip(self.ranges, parts):
            out += [self.text[at:start], part]
            at = end
        out.append(self.text[at:])
        return b"".join(out)


def plan(path: str, full: str, tops: Items, stamp: tuple[int, ...], wanted: Iterable[int], to_end: bool,
         digest: str = "") -> Window | None:
    """The window of file *path* (*full*: the same under the root) whose
    index tree has the top-level items *tops*, recorded with *stamp*, that holds
    the items numbered *wanted* with a few items around each, and the end
    of the file when *to_end* (where new stanzas go); None when the file is
    small, changed since, or its items cannot be told for certain (then the
    whole file is loaded). Nothing of the index's tree is parsed: its items'
    labels are what the scanner's items must be."""
    try:
        st = os.stat(full)
        with open(full, "rb") as f:
            text = f.read()
        after = os.stat(full)
    except OSError:
        return None
    now = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    again = (after.st_dev, after.st_ino, after.st_size, after.st_mtime_ns, after.st_ctime_ns)
    if len(text) < MIN_BYTES or now != tuple(stamp) or again != now:
        return None
    if digest:  # a file augnetcf wrote moments ago: its bytes, not its stamp, tell (see Index.learn)
        import hashlib

        if hashlib.sha256(text).hexdigest() != digest:
            return None
    labels = tops.labels
    found = items(text)
    if not found or found[0][0] != _first_item(text) or [k for _pos, k in found] != labels:
        return None
    for key, valued in zip(labels, tops.valued):
        if key in _STANZAS and key != "defaults" and not valued:
            return None
    wanted = set(wanted)
    if any(not 0 <= i < len(labels) for i in wanted):
        return None
    runs = []
    for i in sorted(wanted):
        lo, back, kept_stanza = i, 0, False
        while lo > 0 and (back < BEFORE or not kept_stanza):
            lo -= 1
            back += 1
            kept_stanza = kept_stanza or (lo not in wanted and labels[lo] in _STANZAS)
        runs.append([lo, min(len(labels), i + 1 + AFTER)])
    if to_end:
        runs.append([max(0, len(labels) - AFTER), len(labels)])
    if not runs:
        return None
    runs.sort()
    merged = [runs[0]]
    for lo, hi in runs[1:]:
        if lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    if merged == [[0, len(labels)]]:
        return None  # the whole file anyway
    offsets = [pos for pos, _key in found] + [len(text)]
    ranges = [(offsets[lo] if lo else 0, offsets[hi]) for lo, hi in merged]

    inside = bytearray(len(labels))  # 1 for the items the runs hold
    for lo, hi in merged:
        inside[lo:hi] = b"\1" * (hi - lo)
    units = [n for n, i in enumerate(tops.units) if inside[i]]
    marks = [n for n, i in enumerate(tops.marks) if inside[i]]
    return Window(path, text, now, ranges, units, marks, [(lo, hi) for lo, hi in merged])


def _first_item(text: bytes) -> int:
    """Where the first item starts: after the comments and blank lines that open the file."""
    pos = 0
    for line in text.split(b"\n"):
        if line.strip(b" \t") and not line.lstrip(b" \t").startswith(b"#"):
            return pos
        pos += len(line) + 1
    return len(text)


def _top(el: etree._Element, tree: etree._Element) -> etree._Element:
    while el.getparent() is not tree:
        el = el.getparent()
    return el


class WindowSession(aug.AugeasSession):
    """An Augeas session whose handle reads a shadow copy of the files a
    change needs, windowed files cut down to their window (see the module
    docstring), while everything it reports and writes is under the real
    root: :meth:`fs_path` maps to it, and :meth:`_stage` turns what Augeas
    printed into ``FILE.augnew`` files beside the real ones, which the
    journal of :meth:`AugeasSession.save` then puts in place."""

    def __init__(self, root: str, transforms: Iterable[Transform], windows: dict[str, Window],
                 files: Iterable[str], spans: bool = False):
        real = aug.check_root(root)
        self.shadow = tempfile.mkdtemp(prefix="augnetcf-window-")
        self.windows = windows
        try:
            for path in files:  # paths under the root
                target = self.shadow + path
                os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
                w = windows.get(path)
                if w is not None:
                    with open(target, "wb") as f:
                        f.write(w.shown())
                elif os.path.isfile(real + path):
                    shutil.copyfile(real + path, target)
            super().__init__(self.shadow, transforms, spans=spans, lazy=True)
        except BaseException:
            shutil.rmtree(self.shadow, ignore_errors=True)
            raise
        self.root = real
        #: Whether a save has begun to put files in place (after that, no retry on whole files).
        self.committing = False
        #: Path under the root -> the bytes the last stage wrote for it, and
        #: what Augeas printed for its window (the runs, gap lines between).
        self.staged: dict[str, bytes] = {}
        self.printed: dict[str, bytes] = {}

    def parse_printed(self, path: str, lens: str) -> etree._Element | None:
        """A fresh parse of what Augeas printed for the window of *path*
        (the tree a parse of the runs gives, gap lines included), or None."""
        return self.parse_bytes(self.printed[path], lens, "/files/augnetcf-window-printed") \
            if path in self.printed else None

    def _commit(self, journal: object, new_mode: int | None = None) -> None:
        self.committing = True
        super()._commit(journal, new_mode)

    def _stage(self) -> list[str]:
        """Let Augeas print every changed file into the shadow, cut removed
        lines there as :meth:`AugeasSession._recut` does, splice a window's
        print back into its file, give the whole text the backend's layout,
        and write it as ``FILE.augnew`` beside the real file."""
        a = self.aug
        a.remove("/augeas/events/saved")
        a.set("/augeas/save", "newfile")
        a.save()
        planned = []
        relayout = {t.lens: t.relayout for t in self._transforms if t.relayout is not None}
        for meta in a.match("/augeas/events/saved"):
            tree = a.get(meta)
            rel = tree[len("/files"):]
            shadow, real = self.shadow + rel, self.fs_path(tree)
            self.check_inside(real)
            self._recut_shadow(tree, shadow)
            with open(shadow + ".augnew", "rb") as f:
                printed = f.read()
            self.printed[rel] = printed
            os.unlink(shadow + ".augnew")
            w = self.windows.get(rel)
            if w is not None:
                self.check_window(rel)
                old = w.text
                new = w.splice(printed)
            else:
                old = aug._read_or_none(real) or b""
                new = printed
            fix = relayout.get((a.get(f"/augeas{tree}/lens") or "").split(":")[0]) or \
                relayout.get(a.get(f"/augeas{tree}/lens") or "")
            if fix is not None:
                new = fix(old, new)
            self.staged[rel] = new
            fd = os.open(real + ".augnew", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(new)
            planned.append(real)
        return planned

    def _recut_shadow(self, tree: str, shadow: str) -> None:
        a = self.aug
        ranges = (a.cuts or {}).get(os.path.normpath(shadow))
        if not ranges:
            return
        try:
            with open(shadow, "rb") as f:
                text = f.read()
            cut = aug._cut_lines(text, ranges)
            lens = a.get(f"/augeas{tree}/lens")
            if cut is None or not lens:
                return
            a.set("/augnetcf/cut/in", cut.decode())
            a.text_retrieve(lens.split(":")[0], "/augnetcf/cut/in", tree, "/augnetcf/cut/out")
            out = a.get("/augnetcf/cut/out")
            if out is not None:
                with open(shadow + ".augnew", "r+b") as f:
                    f.write(out if isinstance(out, bytes) else out.encode())
                    f.truncate()
        except (OSError, UnicodeDecodeError, ValueError, RuntimeError):
            pass
        finally:
            a.remove("/augnetcf")

    def check_window(self, path: str) -> None:
        """Refuse to go on if a windowed file changed since its window was cut."""
        w = self.windows[path]
        try:
            st = os.stat(self.root + path)
        except OSError:
            raise FileError("changed while augnetcf was reading it", file=self.root + path) from None
        if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) != w.stamp:
            raise FileError("changed while augnetcf was reading it", file=self.root + path)

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.shadow, ignore_errors=True)
