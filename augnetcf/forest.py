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

from .backends import Backend

#: Labels that Augeas lenses use for layout rather than content.
_LAYOUT = re.compile(r"^#")


def _label(aug: augeas.Augeas, path: str) -> str:
    return aug.label(path)


def _read_children(aug: augeas.Augeas, parent_path: str, parent_el: etree._Element) -> None:
    for p in aug.match(f"{parent_path}/*"):
        label = _label(aug, p)
        if _LAYOUT.match(label):
            continue
        el = etree.SubElement(parent_el, "node", label=label)
        value = aug.get(p)
        if value is not None:
            el.set("value", value)
        el.set("path", p)
        _read_children(aug, p, el)


def read(aug: augeas.Augeas, paths: Iterable[str],
         unreadable: list[str] | None = None) -> etree._Element:
    """Build a forest from the Augeas trees at *paths* (``/files/...``).

    A tree holding text XML cannot carry (bytes that are not UTF-8, control
    characters) is left out, and its path appended to *unreadable*.
    """
    forest = etree.Element("forest")
    for path in paths:
        tree = etree.SubElement(forest, "tree", path=path)
        try:
            _read_children(aug, path, tree)
        except (UnicodeDecodeError, ValueError):
            forest.remove(tree)
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


def _owns(aug: augeas.Augeas, owned: re.Pattern, label: str, path: str) -> bool:
    return bool(owned.match(f"{label}={aug.get(path) or ''}"))


def write_node(aug: augeas.Augeas, path: str, want: etree._Element, backend: Backend) -> None:
    """Make the Augeas node at *path* (a file or a node) say what *want* says.

    Each wanted child is matched with an existing child, in this order of
    preference: the same label and value (nothing to do); another spelling
    of the same thing (``Backend.alias``: PREFIX3=24 for NETMASK3=255.255.255.0;
    left as it is); the same label and a value the backend owns (set the
    value); for a label that occurs once (not ``Backend.multi``), the same
    label whatever its value. Unmatched wanted children are appended, unless
    they only restate a default (``Backend.defaults``) to a node that already
    had content. Unmatched existing children the backend owns are removed,
    unless they hold the default. Everything else, comments included, stays.
    """
    owned, multi, defaults = backend.owned, backend.multi, backend.defaults
    value = want.get("value")
    if want.tag == "node" and aug.get(path) != value:
        aug.set(path, value)
    have = _children(aug, path)
    existed = bool(have)
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

    for i, el in enumerate(children):  # 1. identical
        take(i, lambda lbl, p, el=el: lbl == el.get("label") and aug.get(p) == el.get("value"))
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
        if ours or (same and not multi.match(label)):
            take(i, lambda lbl, p, pick=(ours or same)[0]: p == pick)
        elif existed and defaults.get(label) == el.get("value"):
            match[i] = None  # absent already means this
    for i, el in enumerate(children):
        if i in match and match[i] is None:
            continue
        p = match.get(i)
        if p is None:
            # Append after the parent's last child; Augeas numbers it for us.
            label = step(el.get("label"))
            aug.set(f"{path}/{label}[last()+1]", el.get("value"))
            p = aug.match(f"{path}/{label}")[-1]
        write_node(aug, p, el, backend)
    for p, label in reversed(list(free.items())):
        if _owns(aug, owned, label, p) and defaults.get(label) != aug.get(p):
            aug.remove(p)


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
    except augeas.AugeasValueError:
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
        # nodes this change just created have no span (they are not in the file yet): skip them
        comment_at = {line_of(aug.span(c)[5]): c for c in aug.match(f"{file_node}//{step(label)}")
                      if _has_span(aug, c)}
        marks_at = {line_of(aug.span(m)[5]): m for m in aug.match(f"{file_node}/*")
                    if (_label(aug, m) == "auto" or _label(aug, m).startswith("allow-"))
                    and _has_span(aug, m)}
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
