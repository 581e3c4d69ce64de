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
:func:`write` makes the smallest change that turns what Augeas holds into
what the forest says: it sets values that differ, adds nodes that are new, and
removes nodes the backend owns but the forest no longer mentions.
Comments, blank lines, unknown keys, ordering and quoting stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import augeas
from lxml import etree

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


def read(aug: augeas.Augeas, paths: Iterable[str]) -> etree._Element:
    """Build a forest from the Augeas trees at *paths* (``/files/...``)."""
    forest = etree.Element("forest")
    for path in paths:
        tree = etree.SubElement(forest, "tree", path=path)
        _read_children(aug, path, tree)
    return forest


def _children(aug: augeas.Augeas, path: str) -> list[tuple[str, str]]:
    """(label, path) of the content children of *path*."""
    out = []
    for p in aug.match(f"{path}/*"):
        label = _label(aug, p)
        if not _LAYOUT.match(label):
            out.append((label, p))
    return out


def _write_children(aug: augeas.Augeas, path: str, want: list[etree._Element], owned: re.Pattern) -> None:
    have = _children(aug, path)
    by_label: dict[str, list[str]] = {}
    for label, p in have:
        by_label.setdefault(label, []).append(p)
    used: dict[str, int] = {}
    keep: set[str] = set()
    for el in want:
        label = el.get("label")
        value = el.get("value")
        k = used.get(label, 0)
        used[label] = k + 1
        existing = by_label.get(label, [])
        if k < len(existing):
            p = existing[k]
            if aug.get(p) != value:
                aug.set(p, value)
        else:
            # Append after the last node of the parent; Augeas numbers it for us.
            p = f"{path}/{label}[last()+1]" if existing or k else f"{path}/{label}"
            aug.set(p, value)
            p = aug.match(f"{path}/{label}")[-1]
        keep.add(p)
        _write_children(aug, p, list(el.iterchildren("node")), owned)
    for label, p in reversed(have):
        if p not in keep and owned.match(f"{label}={aug.get(p) or ''}"):
            aug.remove(p)


def write(aug: augeas.Augeas, forest: etree._Element, owned: re.Pattern) -> None:
    """Make the Augeas trees say what *forest* says, with the fewest changes.

    *owned* matches ``LABEL=VALUE`` of the nodes the backend is responsible
    for; such a node that the forest no longer mentions is removed. Other nodes
    (an admin's ``NM_CONTROLLED``, ``UUID``, comments) are never touched.
    The caller saves.
    """
    for tree in forest.iterchildren("tree"):
        _write_children(aug, tree.get("path"), list(tree.iterchildren("node")), owned)


def strip_paths(forest: etree._Element) -> etree._Element:
    """A copy of *forest* without the ``path`` annotations :func:`read` adds."""
    copy = etree.fromstring(etree.tostring(forest))
    for el in copy.iter("node"):
        el.attrib.pop("path", None)
    return copy
