"""Forests of INI-style files (NetworkManager keyfiles, systemd-networkd units) as plain text.

Golden files for the nm-keyfile and networkd backends are kept as the text a
person reads: one ``== FILE`` header per tree, then ``[Section]`` and
``Key=value`` lines, exactly as the lenses write a new file. :func:`render`
turns a forest into that text and :func:`parse` turns it back, with the
shapes the stock lenses give: the NetworkManager lens keeps a value on its
key, the Systemd lens keeps each blank-separated word in a ``value`` child.
A connection's UUID is random, so :func:`render` prints ``UUID``.
"""

from __future__ import annotations

import re

from lxml import etree

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _value(key: etree._Element) -> str:
    words = key.findall("node[@label='value']")
    if words:
        return " ".join(w.get("value", "") for w in words)
    value = key.get("value", "")
    return "UUID" if key.get("label") == "uuid" and UUID.match(value) else value


def render(forest: etree._Element) -> str:
    """The files of *forest* as text, each under ``== PATH`` (its path under the root)."""
    out = []
    for tree in forest.iterfind("tree"):
        out.append(f"== {tree.get('path')[len('/files'):]}")
        for section in tree.iterfind("node"):
            keys = section.findall("node")
            if not keys:
                continue  # the engine creates no empty section
            out.append(f"[{section.get('label')}]")
            out.extend(f"{k.get('label')}={_value(k)}" for k in keys)
    return "\n".join(out) + "\n"


def parse(text: str, nested: bool) -> etree._Element:
    """The forest :func:`render` printed as *text*; *nested* for the Systemd lens' shape."""
    forest = etree.Element("forest")
    tree = section = None
    for line in text.splitlines():
        if line.startswith("== "):
            tree = etree.SubElement(forest, "tree", path="/files" + line[3:])
        elif line.startswith("["):
            section = etree.SubElement(tree, "node", label=line[1:-1])
        elif line:
            key, _, value = line.partition("=")
            if nested:
                node = etree.SubElement(section, "node", label=key)
                for word in value.split():
                    etree.SubElement(node, "node", label="value", value=word)
            else:
                etree.SubElement(section, "node", label=key, value=value)
    return forest
