"""Comparison oracles shared by the test layers: netcf's XML equality and forests as plain lists.

netcf's tests called two interface documents equal when they have the same
elements in the same order with the same attribute sets, ignoring text,
whitespace and comments. No configuration format keeps the order of bridge
ports or bond slaves, so those compare as sets here, except that an
active-backup bond's first slave is its primary and must stay first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from lxml import etree

#: (depth, label, value) of one forest node; depth 0 is a direct child of its <tree>.
ForestNode = tuple[int, str, Optional[str]]


def parse_xml(source: Path | str | bytes) -> etree._Element:
    """Parse a file (Path) or a document (str/bytes) without comments, blank text or entities."""
    parser = etree.XMLParser(remove_comments=True, remove_blank_text=True,
                             resolve_entities=False, no_network=True)
    if isinstance(source, Path):
        return etree.parse(str(source), parser).getroot()
    if isinstance(source, str):
        source = source.encode("utf-8")
    return etree.fromstring(source, parser)


def _elements(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if isinstance(c.tag, str)]


def _c14n(el: etree._Element) -> bytes:
    return etree.tostring(el, method="c14n")


def _ports_as_set(parent: etree._Element, children: list[etree._Element]) -> list[etree._Element]:
    """*children* of a <bridge>/<bond> in a canonical order: the other elements (<miimon>,
    <arpmon>) as they are, then the <interface> children sorted, except that an active-backup
    bond's first <interface> (its primary) stays first."""
    others = [c for c in children if c.tag != "interface"]
    ports = [c for c in children if c.tag == "interface"]
    keep = 1 if parent.tag == "bond" and parent.get("mode") == "active-backup" else 0
    return others + ports[:keep] + sorted(ports[keep:], key=_c14n)


def xml_diff(want: etree._Element, got: etree._Element, path: str = "/") -> str | None:
    """``None`` when *want* and *got* are equal under netcf's equality, else where they first differ."""
    if want.tag != got.tag:
        return f"{path}: element <{want.tag}> != <{got.tag}>"
    if dict(want.attrib) != dict(got.attrib):
        return f"{path}{want.tag}: attributes {dict(want.attrib)} != {dict(got.attrib)}"
    cw, cg = _elements(want), _elements(got)
    if want.tag in ("bridge", "bond"):
        cw, cg = _ports_as_set(want, cw), _ports_as_set(got, cg)
    if [c.tag for c in cw] != [c.tag for c in cg]:
        return f"{path}{want.tag}: children {[c.tag for c in cw]} != {[c.tag for c in cg]}"
    for x, y in zip(cw, cg):
        err = xml_diff(x, y, f"{path}{want.tag}/")
        if err:
            return err
    return None


def _flatten(parent: etree._Element, depth: int, out: list[ForestNode]) -> None:
    for node in parent.iterchildren("node"):
        out.append((depth, node.get("label"), node.get("value")))
        _flatten(node, depth + 1, out)


def forest_trees(forest: etree._Element) -> list[tuple[str, list[ForestNode]]]:
    """A forest as ``[(tree path, [(depth, label, value), ...]), ...]``, both lists in document order."""
    out = []
    for tree in forest.iterchildren("tree"):
        nodes: list[ForestNode] = []
        _flatten(tree, 0, nodes)
        out.append((tree.get("path"), nodes))
    return out
