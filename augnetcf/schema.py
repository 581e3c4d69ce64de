"""Parse interface XML safely and decide whether it is a valid description.

Interface XML arrives from other programs (libvirt, UIs, remote callers), and
augnetcf runs as root, so the parser is hardened: no DTD is loaded, no entity
is expanded, nothing is fetched from the network, documents that declare a
DTD at all are refused, and size is bounded. Validation is the project's own
RelaxNG grammar (``interface.rng``), then the kernel's rules for interface
names, then checks the grammar cannot express (a name used twice).
"""

from __future__ import annotations

import functools

from lxml import etree

from . import resources
from .errors import XMLInvalid, XMLParseError

#: Largest interface description accepted, in bytes. Real ones are a few KiB.
MAX_DOCUMENT_BYTES = 1 << 20

#: The kernel's IFNAMSIZ is 16 including the terminating NUL.
MAX_NAME_BYTES = 15


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: str | bytes, source: str = "<string>") -> etree._ElementTree:
    """Parse interface XML from *data*; *source* names it in error messages.

    Raises :class:`XMLParseError` for anything that is not a small,
    well-formed UTF-8 document without a DTD.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise XMLParseError(f"document is larger than {MAX_DOCUMENT_BYTES} bytes", file=source)
    if not data.strip():
        raise XMLParseError("document is empty", file=source)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise XMLParseError(f"not UTF-8 (byte 0x{data[e.start]:02x})", file=source, line=line) from None
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as e:
        line = e.lineno if e.lineno else None
        msg = e.msg or "malformed XML"
        # libxml2 prefixes its own position; we print ours in front.
        raise XMLParseError(f"malformed XML: {msg}", file=source, line=line) from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise XMLParseError("DTDs and entity declarations are not allowed", file=source, line=1)
    return tree


@functools.cache
def _relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(resources.xslt_path("interface.rng"))))


def check_name(name: str) -> str | None:
    """Return why the kernel (or a shell-sourced config file) would refuse
    *name* as an interface name, or ``None`` when it is acceptable."""
    if name == "":
        return "is empty"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    if name in (".", ".."):
        return "may not be '.' or '..'"
    if "/" in name:
        return "may not contain '/'"
    if any(c.isspace() for c in name):
        return "may not contain whitespace"
    if any(c in name for c in "$`'\"\\;&|<>(){}*?![]#~=%"):
        return "may not contain shell metacharacters"
    if not all(c.isascii() and (c.isalnum() or c in "_.:-") for c in name):
        return "may contain only ASCII letters, digits, '_', '.', ':' and '-'"
    return None


def validate(tree: etree._ElementTree, source: str = "<string>") -> etree._ElementTree:
    """Check a parsed description; raise :class:`XMLInvalid` naming the line.

    Names are checked first because their message is the most precise one
    ("longer than 15 bytes" beats a pattern mismatch from RelaxNG).
    """
    root = tree.getroot()
    if root.tag != "interface":
        raise XMLInvalid(f"root element is <{root.tag}>, expected <interface>", file=source,
                         line=root.sourceline)
    seen: dict[str, int] = {}
    for el in root.iter("interface"):
        name = el.get("name")
        if name is None:
            continue
        why = check_name(name)
        if why:
            raise XMLInvalid(f"interface name {name!r} {why}", file=source, line=el.sourceline)
        # A vlan's <interface name> refers to its device; it is not a definition.
        if el.getparent() is not None and el.getparent().tag == "vlan":
            continue
        if name in seen:
            raise XMLInvalid(f"interface {name!r} is described twice (first on line {seen[name]})",
                             file=source, line=el.sourceline)
        seen[name] = el.sourceline or 0
    rng = _relaxng()
    if not rng.validate(tree):
        err = rng.error_log.last_error
        raise XMLInvalid(f"not a valid interface description: {err.message}", file=source,
                         line=err.line or None)
    return tree


def load(data: str | bytes, source: str = "<string>") -> etree._ElementTree:
    """Parse and validate in one step: what ``define`` and ``validate`` use."""
    return validate(parse(data, source), source)
