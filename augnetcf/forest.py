"""The forest: the contract between Augeas and the stylesheets.

A forest is XML that describes Augeas trees, one ``<tree>`` per file::

    <forest>
      <tree path="/files/etc/sysconfig/network-scripts/ifcfg-br0">
        <node label="DEVICE" value="br0"/>
        <node label="iface" value="br0">          (nodes nest where the lens nests)
          <node label="family" value="inet"/>
        </node>
      </tree>
    </forest>

``label`` is the Augeas label, ``value`` the node's value (absent when the
node has none). ``path`` on a ``<node>`` is filled in by :func:`read` with the
node's Augeas path and ignored by everything else. The grammar is
``xslt/forest.rng``; every backend speaks exactly this format.

This is the only module that knows both Augeas paths and forest XML.
:func:`write_node` makes the smallest change that turns what Augeas holds
into what the forest says: it sets values that differ, adds nodes that are
new, and removes nodes the backend owns but the forest no longer mentions.
Comments, blank lines, unknown keys, ordering and quoting stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import augeas
from lxml import etree

from . import xslt  # noqa: F401  (registers the XPath functions backend XPaths call on forests)
from .backends import Backend

#: Labels that Augeas lenses use for layout rather than content.
_LAYOUT = re.compile(r"^#")


def _label(aug: augeas.Augeas, path: str) -> str:
    return aug.label(path)


#: A label that is its own path step: no character Augeas would escape.
_PLAIN_LABEL = re.compile(r"[^/\[\]\\*|=()!<>,+'\" \t]+")


def _paths(aug: augeas.Augeas, var: str, parent_path: str,
           nodes: list[tuple[int, str | None, str]]) -> list[str | None]:
    """The Augeas path of each (index in *var*, value, label) child of
    *parent_path*, None for layout nodes: ``label`` when the label is unique
    among the siblings, else ``label[n]``, as Augeas writes them."""
    counts: dict[str, int] = {}
    for _i, _value, label in nodes:
        counts[label] = counts.get(label, 0) + 1
    seen: dict[str, int] = {}
    out: list[str | None] = []
    for i, _value, label in nodes:
        seen[label] = seen.get(label, 0) + 1
        if _LAYOUT.match(label):
            out.append(None)
        elif not _PLAIN_LABEL.fullmatch(label):
            out.append(aug.ns_path(var, i))  # Augeas escapes it its own way
        elif counts[label] > 1:
            out.append(f"{parent_path}/{label}[{seen[label]}]")
        else:
            out.append(f"{parent_path}/{label}")
    return out


def _read_children(aug: augeas.Augeas, var: str, parent_path: str, parent_el: etree._Element,
                   depth: int, used: set[str]) -> None:
    """Read the nodes in Augeas variable *var* (the children of *parent_path*)
    into *parent_el*.

    Each node is addressed through a variable, never by its path: evaluating
    ``iface[537]`` walks 536 siblings, and doing that for every node of a
    1,000-stanza file made reading quadratic. ``$var[i]`` costs as much as
    ``$var`` is long, too, so a long *var* is descended into through
    variables over slices of it.
    """
    count = aug.ns_count(var)
    nodes = []
    for i in range(count):
        value, label = aug.ns_node(var, i)  # not ns_attr: see _Augeas.ns_node
        nodes.append((i, value, label))
    # Only the nodes that have children are descended into (most have none).
    sub, kids_var, chunk_var = f"ancfread{depth + 1}", f"ancfkids{depth}", f"ancfchunk{depth}"
    used.update((sub, kids_var, chunk_var))
    aug.defvar(kids_var, f"${var}[*]")
    deeper = aug.ns_count(kids_var)
    chunk = -1
    for (i, value, label), path in zip(nodes, _paths(aug, var, parent_path, nodes)):
        if path is None:
            continue
        el = etree.SubElement(parent_el, "node", label=label)
        if value is not None:
            el.set("value", value)
        el.set("path", path)
        if not deeper:
            continue
        if count <= _CHUNK:
            aug.defvar(sub, f"${var}[{i + 1}]/*")
        else:
            if i // _CHUNK != chunk:
                chunk = i // _CHUNK
                aug.defvar(chunk_var, f"${var}[position() > {chunk * _CHUNK} and "
                                      f"position() <= {(chunk + 1) * _CHUNK}]")
            aug.defvar(sub, f"${chunk_var}[{i - chunk * _CHUNK + 1}]/*")
        if aug.ns_count(sub):
            _read_children(aug, sub, path, el, depth + 1, used)


def _read_folder(aug: augeas.Augeas, folder: str, trees: dict[str, etree._Element],
                 used: set[str], bad: list[str]) -> None:
    """Read every tree of *trees* that lives in Augeas folder *folder*, file
    by file through variables over slices of the folder. Never through a
    file's path, nor by asking a node for its file: Augeas finds a file, and
    names a node's file, by walking every sibling in the folder, which made a
    folder of thousands of files quadratic."""
    used.update(("ancffiles", "ancffilechunk"))
    aug.defvar("ancffiles", f"{folder}/*")
    for start in range(0, aug.ns_count("ancffiles"), _CHUNK):
        aug.defvar("ancffilechunk", f"$ancffiles[position() > {start} and position() <= {start + _CHUNK}]")
        for j in range(aug.ns_count("ancffilechunk")):
            _value, name = aug.ns_node("ancffilechunk", j)
            path = f"{folder}/{name}"
            tree = trees.get(path)
            if tree is None:
                continue  # a file not asked for, or a folder (of drop-ins)
            try:
                aug.defvar("ancfread0", f"$ancffilechunk[{j + 1}]/*")
                _read_children(aug, "ancfread0", path, tree, 0, used)
            except (UnicodeDecodeError, ValueError):
                bad.append(path)


#: Top-level nodes per variable when descending into a big file.
_CHUNK = 256
#: Files of one folder up to which each is read through Augeas' XML dump (:func:`_dumped`).
_DUMPED = 8
#: How the dump is parsed: strictly (bytes that are not UTF-8, or characters
#: XML text cannot hold, fail: the file is then read node by node, which
#: tells it unreadable), and with no entities or network.
_DUMP_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


class _Unsure(Exception):
    """The dump holds something :func:`_dumped` does not turn into forest nodes itself."""


def _dumped(aug: augeas.Augeas, path: str, tree: etree._Element) -> bool:
    """Fill *tree* (empty) with the content nodes of the Augeas tree at
    *path* from Augeas' XML dump of it (``aug_to_xml``: one call for the
    whole file, where walking it costs several calls a node: a file of
    2,000 ``VLAN=`` lines read in a quarter of the time). The nodes, their
    order, values and paths are what :func:`_read_children` gives. False,
    with *tree* left empty, whenever the dump cannot say that for sure
    (no dump here, bytes that do not parse as XML text, a node without a
    label or whose label Augeas would escape in a path): the caller then
    reads the file node by node."""
    dump = getattr(aug, "dump_xml", None)
    data = dump(path) if dump is not None else None
    if not data:
        return False
    try:
        doc = etree.fromstring(data, _DUMP_PARSER)
        if len(doc) != 1 or doc[0].get("path") != path:
            return False
        _from_dump(doc[0], tree, path)
    except (etree.XMLSyntaxError, _Unsure):
        del tree[:]
        return False
    return True


def _from_dump(src: etree._Element, dst: etree._Element, parent_path: str) -> None:
    """Append to *dst* the forest nodes of dump node *src*'s children (see :func:`_paths`)."""
    kids = []
    counts: dict[str, int] = {}
    for kid in src.iterchildren("node"):
        label = kid.get("label")
        if label is None:
            raise _Unsure(parent_path)
        counts[label] = counts.get(label, 0) + 1
        kids.append((kid, label))
    seen: dict[str, int] = {}
    for kid, label in kids:
        n = seen[label] = seen.get(label, 0) + 1
        if _LAYOUT.match(label):
            continue
        if not _PLAIN_LABEL.fullmatch(label) or "\n" in label or "\r" in label:
            raise _Unsure(parent_path)
        path = f"{parent_path}/{label}[{n}]" if counts[label] > 1 else f"{parent_path}/{label}"
        el = etree.SubElement(dst, "node", label=label)
        deeper = False
        for part in kid:  # <span>s (a session that keeps spans), <value>, then <node>s
            tag = part.tag
            if tag == "node":
                deeper = True
                break
            if tag == "value":
                el.set("value", part.text or "")
        el.set("path", path)
        if deeper:
            _from_dump(kid, el, path)


def _node(parent: etree._Element, label: str, value: str | None, path: str) -> etree._Element:
    el = etree.SubElement(parent, "node", label=label)
    if value is not None:
        el.set("value", value)
    el.set("path", path)
    return el


def read(aug: augeas.Augeas, paths: Iterable[str],
         unreadable: list[str] | None = None) -> etree._Element:
    """Build a forest from the Augeas trees at *paths* (``/files/...``).

    A tree holding text XML cannot carry (bytes that are not UTF-8, control
    characters) is left out, and its path appended to *unreadable*.

    Nodes are never looked up by path one at a time: in a directory of
    4,000 files, or a file of 2,000 stanzas, each lookup walks the siblings
    and reading would take quadratic time. Files sharing a directory are read
    in one walk (:func:`_read_folder`), deeper nodes through variables.
    """
    forest = etree.Element("forest")
    trees = {path: etree.SubElement(forest, "tree", path=path) for path in paths}
    used = {"ancfread0"}
    bad: list[str] = []
    folders: dict[str, dict[str, etree._Element]] = {}
    by_folder: dict[str, list[str]] = {}
    for path in trees:
        by_folder.setdefault(path.rpartition("/")[0], []).append(path)
    done = set()
    for members in by_folder.values():
        if len(members) <= _DUMPED:  # (Augeas finds each file among all of its folder's)
            done.update(p for p in members if _dumped(aug, p, trees[p]))
    trees_left = {p: t for p, t in trees.items() if p not in done}
    for path, tree in trees_left.items():
        folder, _sep, name = path.rpartition("/")
        if _PLAIN_LABEL.fullmatch(name) and "\\" not in folder:
            folders.setdefault(folder, {})[path] = tree
    try:
        for folder, members in folders.items():
            try:
                _read_folder(aug, folder, members, used, bad)
            except UnicodeDecodeError:  # some label or value: find out which file, one by one
                for tree in members.values():
                    del tree[:]
                bad[:] = [p for p in bad if p not in members]
                folders[folder] = {}
        for path, tree in trees_left.items():
            folder, _sep, _name = path.rpartition("/")
            if path in folders.get(folder, {}):
                continue
            try:
                aug.defvar("ancfread0", f"{path}/*")
                _read_children(aug, "ancfread0", path, tree, 0, used)
            except (UnicodeDecodeError, ValueError):
                bad.append(path)
    finally:
        # Augeas keeps variables up to date through every later edit: drop them.
        for var in used:
            aug.defvar(var, "/augeas/ancf-unpinned")
    for path in bad:
        forest.remove(trees[path])
        if unreadable is not None:
            unreadable.append(path)
    return forest


def _children(aug: augeas.Augeas, path: str) -> list[tuple[str, str]]:
    """(label, path) of the content children of *path*."""
    out = []
    for p in aug.match(f"{path}/*"):
        label = _label(aug, p)
        if not _LAYOUT.match(label):
            out.append((label, p))
    return out


def step(label: str) -> str:
    """*label* as one step of an Augeas path: a '/' in a sysctl key, say, escaped."""
    return re.sub(r"([/\[\]\\*|=()!<>,+'\" \t])", r"\\\1", label)


def _flat(aug: augeas.Augeas, path: str) -> str | None:
    """A node's value; for a node without one, its children's values joined by
    blanks (the Systemd lens keeps each word of ``Key=a b`` in a child)."""
    value = aug.get(path)
    if value is None and aug.match(f"{path}/*"):
        return " ".join(aug.get(p) or "" for p in aug.match(f"{path}/*"))
    return value


def _flat_el(el: etree._Element) -> str | None:
    """:func:`_flat` of a forest element."""
    if el.get("value") is None and len(el):
        return " ".join(c.get("value", "") for c in el.iterchildren("node"))
    return el.get("value")


def _words_el(el: etree._Element) -> str | None:
    """The words of a key that keeps them in children (the Systemd lens'
    ``value`` nodes), as :func:`_flat` joins them; None for a node with a
    value of its own, or for a section (children with children), which is
    matched by its label alone (sections of one name pair by position)."""
    if el.get("value") is not None or not len(el) or any(len(c) for c in el):
        return None
    return _flat_el(el)


def _owns(aug: augeas.Augeas, owned: re.Pattern, label: str, path: str) -> bool:
    return bool(owned.match(f"{label}={aug.get(path) or ''}"))


def write_node(aug: augeas.Augeas, path: str, want: etree._Element, backend: Backend) -> None:
    """Make the Augeas node at *path* (a file or a node) say what *want* says.

    Each wanted child is matched with an existing child, in this order of
    preference: the same label and value, and the same words for a key that
    keeps them in children (nothing to do); another spelling
    of the same thing (``Backend.alias``: PREFIX3=24 for NETMASK3=255.255.255.0;
    left as it is); the same label and a value the backend owns (set the
    value); for a label that occurs once (not ``Backend.multi``), the same
    label whatever its value. Unmatched wanted children are appended, unless
    they only restate a default (``Backend.defaults``) to a node that already
    had content, or are empty (no value, no children: a section that must
    only hold nothing of ours). A label ``Backend.keep`` names keeps its value.
    Unmatched existing children the backend owns are removed,
    unless they hold the default. Everything else, comments included, stays.
    """
    owned, multi, defaults = backend.owned, backend.multi, backend.defaults
    value = want.get("value")
    if want.tag == "node" and aug.get(path) != value:
        aug.set(path, value)
    have = _children(aug, path)
    existed = bool(have)
    parent_label = want.get("label", "")
    free = {p: label for label, p in have}
    children = list(want.iterchildren("node"))
    match: dict[int, str | None] = {}

    def take(i: int, ok: Callable[[str, str], bool]) -> bool:
        for p, label in free.items():
            if ok(label, p):
                match[i] = p
                del free[p]
                return True
        return False

    for i, el in enumerate(children):  # 1. identical (a key's words too: Address=A is not Address=B)
        words = _words_el(el)
        take(i, lambda lbl, p, el=el, words=words: lbl == el.get("label") and aug.get(p) == el.get("value")
             and (words is None or _flat(aug, p) == words))
    for i, el in enumerate(children):  # 2. the same, spelled otherwise
        if i not in match and backend.alias is not None and not len(el):
            for alt_label, alt_value in backend.alias(el.get("label"), el.get("value") or ""):
                if take(i, lambda lbl, p, a=alt_label, v=alt_value: re.fullmatch(a, lbl) is not None
                        and aug.get(p) == v):
                    match[i] = None  # matched, and left exactly as it is
                    break
    for i, el in enumerate(children):  # 3. ours, with another value; 4. a single-valued key
        if i in match:
            continue
        label = el.get("label")
        same = [p for p, lbl in free.items() if lbl == label]
        ours = [p for p in same if _owns(aug, owned, label, p)]
        if same and backend.keep.match(f"{parent_label}/{label}"):
            take(i, lambda lbl, p, pick=same[0]: p == pick)
            match[i] = None  # an existing UUID stays what it is
        elif ours or (same and not multi.match(label)):
            take(i, lambda lbl, p, pick=(ours or same)[0]: p == pick)
        elif existed and label in defaults and defaults[label] == _flat_el(el):
            match[i] = None  # absent already means this
    for i, el in enumerate(children):
        if i in match and match[i] is None:
            continue
        p = match.get(i)
        if p is None and el.get("value") is None and not len(el):
            continue  # an empty section only asks that nothing we own be in it
        if p is None:
            p = _add(aug, path, el.get("label"), el.get("value"), backend.leading)
        write_node(aug, p, el, backend)
    for p, label in reversed(list(free.items())):
        if _owns(aug, owned, label, p) and (label not in defaults or defaults[label] != _flat(aug, p)):
            aug.remove(p)


def _add(aug: augeas.Augeas, path: str, label: str, value: str | None, leading: tuple[str, ...]) -> str:
    """Add a LABEL node under *path* where the lens can print it: a label
    of *leading* (``Backend.leading``) goes before every existing child but
    the leading labels listed before it, anything else at the end
    (:func:`_append`); return its path."""
    if label in leading:
        before = leading[:leading.index(label)]
        first = next((p for p in aug.match(f"{path}/*") if aug.label(p) not in before), None)
        if first is not None:
            aug.insert(first, label, before=True)
            new = aug.match(f"{first}/preceding-sibling::*[1]")[0]
            aug.set(new, value)
            return new
    return _append(aug, path, label, value)


def _append(aug: augeas.Augeas, path: str, label: str, value: str | None) -> str:
    """Add a LABEL node after the last child of *path* that has a label (a
    comment counts), so that it lands before the blank lines that some lenses
    (IniFile's) keep, unlabelled, at the end of a section; return its path."""
    last = aug.match(f"{path}/*")
    if last:
        aug.insert(last[-1], label, before=False)
        new = aug.match(f"{last[-1]}/following-sibling::*[1]")[0]
        aug.set(new, value)
        return new
    aug.set(f"{path}/{step(label)}[last()+1]", value)
    return aug.match(f"{path}/{step(label)}")[-1]


def remove_node(aug: augeas.Augeas, path: str) -> None:
    """Remove the node at *path*, and its parent if that is left empty (an
    ``auto`` line whose last interface went, say). Files are never removed here."""
    up = aug.match(f"{path}/..")
    aug.remove(path)
    parent = up[0] if up else ""
    while parent.startswith("/files/") and not aug.match(f"/augeas{parent}/path") \
            and not aug.match(f"{parent}/*"):
        up = aug.match(f"{parent}/..")
        aug.remove(parent)
        parent = up[0] if up else ""


@dataclass
class CommentPlan:
    """What happens to the comments around one stanza that is being removed."""

    stanza: str
    label: str
    #: pinned paths of comments that go with the stanza (above it, or inside it)
    drop: list[str] = field(default_factory=list)
    #: texts of comments the lens put inside the stanza that belong elsewhere
    keep: list[str] = field(default_factory=list)
    #: the stanza before it, which takes the kept comments ("" for top level)
    home: str = ""
    pins: list[str] = field(default_factory=list)


def _has_span(aug: augeas.Augeas, path: str) -> bool:
    """Whether Augeas knows where *path* is in its file (not a node added since the load)."""
    try:
        aug.span(path)
    except ValueError:  # python-augeas 1.x raises AugeasValueError, a ValueError; 0.5 a plain one
        return False
    return True


def stanza_comments(aug: augeas.Augeas, paths: list[str], label: str) -> list[CommentPlan]:
    """Decide which comments go with the stanzas at *paths* (top-level nodes
    of shared files, all being removed). Needs Augeas spans.

    Comments belong to what they touch. A block of comment lines directly
    above a stanza (or above its ``auto`` line, when that goes too) belongs to
    it; so does one inside it or directly after its last line. A block set
    apart by a blank line, or directly above the next line of the file,
    introduces something else and stays. The Interfaces lens nests every
    comment after a stanza's last option inside that stanza, so the ones that
    stay are handed to the stanza before.
    """
    texts: dict[str, bytes] = {}
    gone = {aug.get(p) for p in paths}
    found: list[tuple[CommentPlan, str, list[tuple[int, str]], int, int | None]] = []
    real = {aug.match(p)[0] for p in paths}
    lead_lines: set[tuple[str, int]] = set()
    #: file node -> (comment by line, auto/allow- line by line)
    around: dict[str, tuple[dict[int, str], dict[int, str]]] = {}
    for path in paths:
        fname, *_, start, end = aug.span(path)
        if fname not in texts:
            with open(fname, "rb") as f:
                texts[fname] = f.read()
        text = texts[fname]
        lines = text.split(b"\n")

        def line_of(pos: int, text: bytes = text) -> int:
            return text.count(b"\n", 0, pos)

        file_node = aug.match(f"{path}/..")[0]
        if file_node not in around:  # once per file: each walks the whole file
            # nodes this change just created have no span (they are not in the file yet): skip them
            around[file_node] = (
                {line_of(aug.span(c)[5]): c for c in aug.match(f"{file_node}//{step(label)}")
                 if _has_span(aug, c)},
                {line_of(aug.span(m)[5]): m for m in aug.match(f"{file_node}/*")
                 if (_label(aug, m) == "auto" or _label(aug, m).startswith("allow-")) and _has_span(aug, m)})
        comment_at, marks_at = around[file_node]
        first = line_of(start)
        children = aug.match(f"{path}/*")
        body = [line_of(aug.span(c)[5]) for c in children if _label(aug, c) != label]
        last_body = max([first, *body])
        plan = CommentPlan(stanza=path, label=label)
        above = first - 1
        while above >= 0:
            if above in comment_at:
                plan.drop.append(comment_at[above])
            elif above in marks_at and {aug.get(v) for v in aug.match(f"{marks_at[above]}/*")} <= gone:
                pass
            else:
                break
            lead_lines.add((fname, above))
            above -= 1
        trailing = sorted((line_of(aug.span(c)[5]), c) for c in children
                          if _label(aug, c) == label and line_of(aug.span(c)[5]) > last_body)
        after = line_of(max(end - 1, start)) + 1
        while after < len(lines) and not lines[after].strip():
            after += 1
        for prev in aug.match(f"{path}/preceding-sibling::*"):  # Augeas gives the nearest first
            kind = _label(aug, prev)
            if prev in real or (kind == "auto" or kind.startswith("allow-")) and \
                    {aug.get(v) for v in aug.match(f"{prev}/*")} <= gone:
                continue  # it goes too
            plan.home = prev if kind in ("iface", "mapping") else ""
            break
        found.append((plan, fname, trailing, last_body, after if after < len(lines) else None))
    plans = []
    for plan, fname, trailing, last_body, next_line in found:
        blocks: list[list[tuple[int, str]]] = []
        for line, c in trailing:
            if blocks and blocks[-1][-1][0] == line - 1:
                blocks[-1].append((line, c))
            else:
                blocks.append([(line, c)])
        for block in blocks:
            attached = block[0][0] == last_body + 1
            introduces = next_line is not None and block[-1][0] + 1 == next_line
            if all((fname, line) in lead_lines for line, _c in block):
                continue  # it introduces a stanza that goes too
            if attached and not introduces:
                continue  # it goes with the stanza
            plan.keep.extend(aug.get(c) for _line, c in block)
        plans.append(plan)
    # Pin what is decided: paths shift as nodes are removed.
    n = 0
    for plan in plans:
        for i, c in enumerate(plan.drop):
            aug.defvar(f"ancfc{n}", c)
            plan.pins.append(f"ancfc{n}")
            plan.drop[i] = f"$ancfc{n}"
            n += 1
        if plan.home:
            aug.defvar(f"ancfc{n}", plan.home)
            plan.pins.append(f"ancfc{n}")
            plan.home = f"$ancfc{n}"
            n += 1
    return plans


def rehome_comments(aug: augeas.Augeas, plan: CommentPlan) -> None:
    """Give the comments that stay a place outside the stanza, in order."""
    if not plan.keep:
        return
    if plan.home:
        for text in plan.keep:
            aug.set(f"{plan.home}/{step(plan.label)}[last()+1]", text)
        return
    anchor = plan.stanza
    for text in plan.keep:
        aug.insert(anchor, plan.label, before=False)
        anchor = aug.match(f"{anchor}/following-sibling::*[1]")[0]
        aug.set(anchor, text)


def remove_comments(aug: augeas.Augeas, plan: CommentPlan) -> None:
    """Remove the comments that went with the stanza, then forget the pins."""
    for path in plan.drop:
        aug.remove(path)
    unpin(aug, plan.pins)


def pin(aug: augeas.Augeas, elements: Iterable[etree._Element]) -> list[str]:
    """Make the paths of forest *elements* survive edits elsewhere in their file.

    A path such as ``iface[3]`` names the third stanza *now*; removing or
    inserting a stanza before it would make it name another. Each node
    element's path is replaced by an Augeas variable bound to the node itself.
    Returns the variable names, for :func:`unpin`.
    """
    names = []
    for el in elements:
        path = el.get("path", "")
        if el.tag == "node" and path.startswith("/files/"):
            name = f"ancf{len(names)}"  # reused by the next pin(); unpin() empties it
            aug.defvar(name, path)
            el.set("path", f"${name}")
            names.append(name)
    return names


def unpin(aug: augeas.Augeas, names: Iterable[str]) -> None:
    # python-augeas cannot pass NULL to remove a variable; an empty node-set does.
    for name in names:
        aug.defvar(name, "/augeas/ancf-unpinned")


def strip_paths(forest: etree._Element) -> etree._Element:
    """A copy of *forest* without the ``path`` annotations :func:`read` adds."""
    copy = etree.fromstring(etree.tostring(forest))
    for el in copy.iter("node"):
        el.attrib.pop("path", None)
    return copy
