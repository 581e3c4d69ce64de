"""YAML files as Augeas-style trees, and back, changing only the lines an edit changes.

Augeas' stock YAML lens reads a small part of YAML, and netplan files use
much of the rest (flow and block collections, quoting, comments anywhere).
This module is the netplan backend's lens instead: :func:`parse` reads a
file with ruamel.yaml's round-trip loader into a tree of ``(label, value,
children)`` nodes (a mapping's keys are labels, a sequence's items are
labelled ``-``, a scalar is a value), which :class:`augnetcf.aug.AugeasSession`
puts into Augeas under ``/files`` like any lens' tree. :func:`render` is the
other direction: it applies the tree the engine edited to the document
ruamel.yaml loaded (which still holds the comments, the key order and the
styles), asks ruamel.yaml to print it, and then keeps the file's own bytes
for every line the edit did not change: ruamel.yaml prints one indentation
for a whole file and its own spelling of some scalars, so its output is
used only where the meaning changed. Every text :func:`render` returns is
parsed again and must give back the edited tree exactly.

Pure functions: text in, text out; the session does the files.
"""

from __future__ import annotations

import bisect
import difflib
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

#: (label, value or None, children)
Node = tuple[str, "str | None", tuple["Node", ...]]

#: The label of a sequence item.
ITEM = "-"

#: The name the session records as this lens' (``/augeas/files/.../lens``).
NAME = "@augnetcf.yamltree"


class YamlError(ValueError):
    """A file ruamel.yaml cannot read, or that is not a mapping at its top."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _yaml(indent: tuple[int, int, int] | None = None) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 20  # never fold a long line
    if indent is not None:
        y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return y


@dataclass
class Parsed:
    """A file as read: its text, ruamel.yaml's document, the tree, the indentation guessed."""

    text: str
    tree: tuple[Node, ...]
    indent: tuple[int, int, int]

    def document(self) -> Any:
        """A fresh round-trip document of :attr:`text` (each render edits its own)."""
        return _yaml().load(self.text) if self.text.strip() else None


def _scalar(value: Any) -> str | None:
    """A scalar as the tree holds it; an empty one is None, as Augeas (through
    python-augeas) cannot tell an empty value from none."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def tree_of(data: Any) -> tuple[Node, ...]:
    """The children of a loaded document or collection, as nodes."""
    if isinstance(data, dict):
        return tuple(_node(str(k), v) for k, v in data.items())
    if isinstance(data, list):
        return tuple(_node(ITEM, v) for v in data)
    return ()


#: The value of an empty sequence, which the tree would otherwise not tell
#: from an empty mapping (``search: []`` must not become ``search: {}``).
EMPTY_SEQ = "[]"


def _node(label: str, value: Any) -> Node:
    if isinstance(value, list) and not value:
        return (label, EMPTY_SEQ, ())
    if isinstance(value, (dict, list)):
        return (label, None, tree_of(value))
    return (label, _scalar(value), ())


def _guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, dash offset) as ruamel.yaml's ``indent()`` takes them:
    the smallest step between a key and its first nested key, and where the
    dashes of block sequences sit under their key."""
    steps: Counter[int] = Counter()
    offsets: Counter[int] = Counter()
    prev_key_indent = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        ind = len(line) - len(stripped)
        if stripped.startswith("- "):
            if prev_key_indent is not None:
                offsets[ind - prev_key_indent] += 1
            prev_key_indent = None
            continue
        if re.match(r"[^\s#][^#]*:(\s|$)", stripped):
            if prev_key_indent is not None and ind > prev_key_indent:
                steps[ind - prev_key_indent] += 1
            prev_key_indent = ind if stripped.rstrip().endswith(":") else None
    mapping = steps.most_common(1)[0][0] if steps else 2
    offset = offsets.most_common(1)[0][0] if offsets else mapping
    offset = max(0, offset)
    return mapping, offset + 2, offset


def parse(text: str) -> Parsed:
    """Read *text*; :class:`YamlError` (with its line, 1-based) if it is not
    YAML, or its top is not a mapping (netplan's files all are)."""
    try:
        data = _yaml().load(text) if text.strip() else None
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "not YAML"
        raise YamlError(f"not valid YAML: {problem}", mark.line + 1 if mark is not None else None) from None
    except YAMLError as e:
        raise YamlError(f"not valid YAML: {e}") from None
    if data is not None and not isinstance(data, dict):
        raise YamlError("its top level is not a YAML mapping", 1)
    return Parsed(text, tree_of(data), _guess_indent(text))


def known(text: str, tree: tuple[Node, ...]) -> Parsed:
    """What :func:`parse` gives for *text*, from its *tree* as the caller
    already has it (the index parsed these very bytes before): ruamel.yaml
    does not load the whole file again (2.5 s for an installer file of
    4,000 interfaces) only for a change that leaves it alone; :func:`render`
    loads the document when it must."""
    return Parsed(text, tree, _guess_indent(text))


# -- render ---------------------------------------------------------------------

def _typed(value: str, like: Any) -> Any:
    """A new scalar for *value*, in the style of the scalar *like* it replaces
    (None for a new key): quoted as it was quoted, a number or a boolean
    where the text is one and the old value was not a string."""
    if isinstance(like, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    if isinstance(like, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    if isinstance(like, str):
        return value
    if value in ("true", "false"):
        return value == "true"
    if re.fullmatch(r"-?[0-9]+", value) and not (len(value) > 1 and value.lstrip("-").startswith("0")):
        return int(value)
    if re.fullmatch(r"[0-9]+\.[0-9]+", value) and repr(float(value)) == value:
        return float(value)  # 0.01, not '0.01'
    return value


def _build(value: str | None, kids: tuple[Node, ...]) -> Any:
    if kids:
        if all(k[0] == ITEM for k in kids):
            seq = CommentedSeq(_build(v, c) for _l, v, c in kids)
            return seq
        m = CommentedMap()
        for label, v, c in kids:
            m[label] = _build(v, c)
        return m
    if value is None:
        return CommentedMap()  # netplan reads an empty mapping where it expects one; a null it refuses
    if value == EMPTY_SEQ:
        return CommentedSeq()
    return _typed(value, None)


def _is_seq(kids: tuple[Node, ...]) -> bool:
    return bool(kids) and all(k[0] == ITEM for k in kids)


def _apply(old: Any, value: str | None, kids: tuple[Node, ...]) -> Any:
    """*old* (a loaded value) made to say (value, kids), kept where it already does."""
    if kids:
        if _is_seq(kids) and isinstance(old, list):
            _apply_seq(old, kids)
            return old
        if not _is_seq(kids) and isinstance(old, dict):
            _apply_map(old, kids)
            return old
        return _build(value, kids)
    if value is None:
        if isinstance(old, (dict, list)):
            old.clear()  # emptied: stays the collection it was ({} or [])
            return old
        return old if old is None or old == "" else CommentedMap()
    if not isinstance(old, (dict, list)) and old is not None and _scalar(old) == value:
        return old
    if value == EMPTY_SEQ:
        if isinstance(old, list):
            old.clear()
            return old
        return CommentedSeq()
    return _typed(value, old)


def _apply_map(m: Any, kids: tuple[Node, ...]) -> None:
    wanted = [k[0] for k in kids]
    keys = {str(k): k for k in m}
    for label, key in list(keys.items()):
        if label not in wanted:
            del m[key]
            del keys[label]
    for pos, (label, value, children) in enumerate(kids):
        if label in keys:
            key = keys[label]
            new = _apply(m[key], value, children)
            if new is not m[key]:
                m[key] = new
        else:
            m.insert(min(pos, len(m)), label, _build(value, children))
            keys[label] = label


def _apply_seq(seq: Any, kids: tuple[Node, ...]) -> None:
    old = [_node(ITEM, v) for v in seq]
    ops = difflib.SequenceMatcher(None, old, list(kids), autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2)):
                new = _apply(seq[i], kids[j][1], kids[j][2])
                if new is not seq[i]:
                    seq[i] = new
            continue
        for i in reversed(range(i1, i2)):
            del seq[i]
        for j in reversed(range(j1, j2)):
            seq.insert(i1, _build(kids[j][1], kids[j][2]))


def _dump(data: Any, indent: tuple[int, int, int]) -> str:
    if data is None:
        return ""
    out = io.StringIO()
    _yaml(indent).dump(data, out)
    return out.getvalue()


def _width(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _norm(line: str) -> str:
    return " ".join(line.split())


def _quiet(line: str) -> bool:
    """A comment line or a blank one."""
    s = line.strip()
    return not s or s.startswith("#")


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from *a* to *b*, cheaper on a big file: the lines
    the two start and end with alike are matched first, and what lies
    between is cut at the lines that occur once in each (in the same
    order), each cut diffed alone. An edit of one interface among 4,000
    leaves all but a few lines alone, and difflib (without its junk
    heuristic, which would misplace repeated lines) took 3 s over the whole
    of a file that size."""
    out: list[tuple[str, int, int, int, int]] = []
    _diff(a, 0, len(a), b, 0, len(b), out)
    return out


#: Lines of a stretch between anchors that difflib diffs as they are.
_SMALL = 400


def _diff(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int,
          out: list[tuple[str, int, int, int, int]]) -> None:
    """Append the opcodes of ``a[alo:ahi]`` to ``b[blo:bhi]`` (see :func:`_opcodes`)."""
    head = 0
    while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
        head += 1
    if head:
        out.append(("equal", alo, alo + head, blo, blo + head))
        alo, blo = alo + head, blo + head
    tail = 0
    while alo < ahi - tail and blo < bhi - tail and a[ahi - 1 - tail] == b[bhi - 1 - tail]:
        tail += 1
    ahi, bhi = ahi - tail, bhi - tail
    anchors = _anchors(a, alo, ahi, b, blo, bhi) if max(ahi - alo, bhi - blo) > _SMALL else []
    if anchors:
        for i, j in anchors:
            _diff(a, alo, i, b, blo, j, out)
            out.append(("equal", i, i + 1, j, j + 1))
            alo, blo = i + 1, j + 1
        _diff(a, alo, ahi, b, blo, bhi, out)
    elif alo < ahi or blo < bhi:
        matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        out += [(tag, i1 + alo, i2 + alo, j1 + blo, j2 + blo) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                if i1 != i2 or j1 != j2]
    if tail:
        out.append(("equal", ahi, ahi + tail, bhi, bhi + tail))


def _anchors(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int) -> list[tuple[int, int]]:
    """(i, j) of the lines that occur once in ``a[alo:ahi]`` and once in
    ``b[blo:bhi]``, the longest run of them in the same order in both."""
    once_a: dict[str, int | None] = {}
    for i in range(alo, ahi):
        once_a[a[i]] = None if a[i] in once_a else i
    once_b: dict[str, int | None] = {}
    for j in range(blo, bhi):
        once_b[b[j]] = None if b[j] in once_b else j
    pairs = [(i, once_b[line]) for line, i in once_a.items()
             if i is not None and once_b.get(line) is not None]
    pairs.sort()
    # the longest increasing run of j (patience sorting), with back links
    tops: list[int] = []
    back: list[int] = [-1] * len(pairs)
    ends: list[int] = []
    for k, (_i, j) in enumerate(pairs):
        at = bisect.bisect_left(tops, j)
        if at:
            back[k] = ends[at - 1]
        if at == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[at], ends[at] = j, k
    run: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        run.append(pairs[k])  # type: ignore[arg-type]
        k = back[k]
    return run[::-1]


def _merge(orig: list[str], d0: list[str], d1: list[str]) -> str:
    """*orig* changed as ruamel.yaml's print went from *d0* (the document as
    loaded) to *d1* (as edited): lines the edit keeps are *orig*'s own."""
    to_orig: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in _opcodes([_norm(x) for x in d0], [_norm(x) for x in orig]):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            to_orig.update(zip(range(i1, i2), range(j1, j2)))
    widths: dict[int, Counter[int]] = {}
    for i, j in to_orig.items():
        if orig[j].strip():
            widths.setdefault(_width(d0[i]), Counter())[_width(orig[j])] += 1
    scale = {w: c.most_common(1)[0][0] for w, c in widths.items()}

    def reindent(line: str, like: str | None = None) -> str:
        w = _width(line)
        if like is not None:
            target = _width(like)
        elif w in scale:
            target = scale[w]
        else:
            below = [k for k in scale if 0 < k < w]
            k = max(below) if below else 0
            target = w if not k else round(w * scale[k] / k)
        return " " * target + line.lstrip(" ")

    out: list[str] = []
    next_orig = 0
    taken = set(to_orig.values())  # (once: a set of 22,000 lines made on every line was 9 s)

    def flush(upto: int) -> None:
        """Emit the lines of *orig* before *upto* that ruamel.yaml printed no line for."""
        nonlocal next_orig
        for j in range(next_orig, upto):
            if j not in taken:
                out.append(orig[j])
        next_orig = max(next_orig, upto)

    for tag, i1, i2, j1, j2 in _opcodes(d0, d1):
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                if i in to_orig:
                    flush(to_orig[i])
                    out.append(orig[to_orig[i]])
                    next_orig = to_orig[i] + 1
                else:
                    out.append(d1[j])
            continue
        gone = list(range(i1, i2))
        # comment and blank lines that end a removed block lead into what follows: they stay
        keep_tail: list[int] = []
        if tag == "delete":
            while gone and _quiet(d0[gone[-1]]):
                keep_tail.insert(0, gone.pop())
        if tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2)):
                like = orig[to_orig[i]] if i in to_orig else None
                if i in to_orig:
                    flush(to_orig[i])
                    next_orig = to_orig[i] + 1
                same_depth = like is not None and _width(d0[i]) == _width(d1[j])
                out.append(reindent(d1[j], like if same_depth else None))
            continue
        for i in gone:
            if i in to_orig:
                flush(to_orig[i])
                next_orig = to_orig[i] + 1
        block = [reindent(d1[j]) for j in range(j1, j2)]
        # after a nested block, the comment and blank lines that end it lead
        # into the less indented line after them: new lines go before them
        at = len(out)
        while block and at and _quiet(out[at - 1]) and (
                not out[at - 1].strip() or _width(out[at - 1]) < _width(block[0])):
            at -= 1
        out[at:at] = block
        for i in keep_tail:
            if i in to_orig:
                flush(to_orig[i])
                out.append(orig[to_orig[i]])
                next_orig = to_orig[i] + 1
    flush(len(orig))
    return "".join(x if x.endswith("\n") else x + "\n" for x in out[:-1]) + (out[-1] if out else "")


def render(parsed: Parsed | None, tree: tuple[Node, ...]) -> str:
    """The text of a file that held *parsed* (None: a new file) and now
    holds *tree*. Raises :class:`YamlError` if no text says exactly *tree*
    (a label the tree repeats, which a YAML mapping cannot)."""
    if parsed is None or not parsed.text.strip():
        indent = parsed.indent if parsed is not None else (2, 4, 2)
        if not tree:
            return parsed.text if parsed is not None else ""
        text = _dump(_build(None, tree), indent)
        return _checked(text, tree) or _fail(tree)
    if tree == parsed.tree:
        return parsed.text
    indent = parsed.indent
    data = parsed.document()
    d0 = _dump(data, indent)  # (printing leaves the document as it was: one load, not two)
    _apply_map(data, tree)
    d1 = _dump(data, indent)
    merged = _merge(parsed.text.splitlines(keepends=True), d0.splitlines(keepends=True),
                    d1.splitlines(keepends=True))
    return _checked(merged, tree) or _checked(d1, tree) or _fail(tree)


def _checked(text: str, tree: tuple[Node, ...]) -> str | None:
    try:
        return text if parse(text).tree == tree else None
    except YamlError:
        return None


def _fail(tree: tuple[Node, ...]) -> str:
    labels = Counter(k[0] for k in tree)
    twice = [label for label, n in labels.items() if n > 1]
    raise YamlError(f"no YAML says this tree{': ' + twice[0] + ' appears twice' if twice else ''}")
