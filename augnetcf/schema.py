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
import os
import re
from collections.abc import Callable

from lxml import etree

from . import inet, resources, xslt  # noqa: F401  (xslt: backend XPaths run on what this parses)
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


#: What may precede a DOCTYPE: BOM, XML declaration, comments, PIs, blanks.
_PROLOG_ITEM = re.compile(rb"\xef\xbb\xbf|\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _doctype_line(data: bytes) -> int | None:
    """Line of a DOCTYPE in the prolog, found before libxml2 reads any of it
    (so an entity bomb is refused by us, not by libxml2's amplification limit)."""
    pos = 0
    while m := _PROLOG_ITEM.match(data, pos):
        pos = m.end()
    if data.startswith(b"<!DOCTYPE", pos):
        return data.count(b"\n", 0, pos) + 1
    return None


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
    doctype = _doctype_line(data)
    if doctype:
        raise XMLParseError("DTDs and entity declarations are not allowed", file=source, line=doctype)
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
    return etree.RelaxNG(etree.parse(os.path.join(resources.data_path("xslt"), "interface.rng")))


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


def _uint(lo: int, hi: int) -> Callable[[str], bool]:
    return lambda v: v.isascii() and v.isdigit() and len(v) <= 9 and lo <= int(v) <= hi


def is_ipv4(text: str) -> bool:
    """Whether *text* is an IPv4 address in dotted-quad form, by the same rule
    on every netaddr: before 1.0 netaddr reads ``24`` or ``10.1`` as IPv4
    addresses (inet_aton) unless told ``INET_PTON``, and raises on ``""``."""
    return bool(text) and text.isascii() and inet.valid_ipv4(text)


def _ip(version: int) -> Callable[[str], bool]:
    if version == 4:
        return lambda v: "%" not in v and is_ipv4(v)
    return lambda v: bool(v) and v.isascii() and "%" not in v and inet.valid_ipv6(v)


def _one_of(*words: str) -> Callable[[str], bool]:
    return lambda v: v in words


_UINT = _uint(0, 999_999_999)

#: (element, attribute) -> (check, what a valid value is). Checked before
#: RelaxNG because libxml2's interleave errors carry no line and say little.
#: For ip and route the address family comes from the enclosing <protocol>.
_VALUES: dict[tuple[str, str], tuple[Callable[[str], bool], str]] = {
    ("interface", "type"): (_one_of("ethernet", "bridge", "bond", "vlan"),
                            "one of ethernet, bridge, bond, vlan"),
    ("start", "mode"): (_one_of("onboot", "none", "hotplug"), "one of onboot, none, hotplug"),
    ("mac", "address"): (lambda v: bool(re.fullmatch(r"[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}", v)),
                         "a MAC address such as 52:54:00:12:34:56"),
    ("mtu", "size"): (_uint(68, 65535), "an MTU between 68 and 65535"),
    ("protocol", "family"): (_one_of("ipv4", "ipv6"), "ipv4 or ipv6"),
    ("dhcp", "peerdns"): (_one_of("yes", "no"), "yes or no"),
    ("bridge", "stp"): (_one_of("on", "off"), "on or off"),
    ("bridge", "delay"): (lambda v: bool(re.fullmatch(r"[0-9]{1,6}(\.[0-9]{1,6})?", v)),
                          "a non-negative number of seconds"),
    ("bond", "mode"): (_one_of("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
                               "balance-tlb", "balance-alb"), "a Linux bonding mode"),
    ("miimon", "freq"): (_UINT, "a number of milliseconds"),
    ("miimon", "downdelay"): (_UINT, "a number of milliseconds"),
    ("miimon", "updelay"): (_UINT, "a number of milliseconds"),
    ("miimon", "carrier"): (_one_of("ioctl", "netif"), "ioctl or netif"),
    ("arpmon", "interval"): (_UINT, "a number of milliseconds"),
    ("arpmon", "target"): (_ip(4), "an IPv4 address"),
    ("arpmon", "validate"): (_one_of("none", "active", "backup", "all"), "one of none, active, backup, all"),
    ("vlan", "tag"): (_uint(0, 4095), "a VLAN tag between 0 and 4095"),
    ("ipv4", "address"): (_ip(4), "an IPv4 address"),
    ("ipv4", "prefix"): (_uint(0, 32), "a prefix length between 0 and 32"),
    ("ipv4", "gateway"): (_ip(4), "an IPv4 address"),
    ("ipv6", "address"): (_ip(6), "an IPv6 address"),
    ("ipv6", "prefix"): (_uint(0, 128), "a prefix length between 0 and 128"),
    ("ipv6", "gateway"): (_ip(6), "an IPv6 address"),
}


#: Child elements each kind of interface may have, at top level and as a port/slave.
_CHILDREN = {
    "ethernet": ({"start", "mac", "mtu", "protocol", "link"}, {"mac", "link"}),
    "bridge": ({"start", "mtu", "protocol", "bridge", "link"}, set()),
    "bond": ({"start", "mtu", "protocol", "bond", "link"}, {"bond", "link"}),
    "vlan": ({"start", "mtu", "protocol", "vlan", "link"}, {"vlan", "link"}),
}


def _check_values(root: etree._Element, source: str) -> None:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if el.tag == "interface" and el.get("type") in _CHILDREN and (parent is None or parent.tag != "vlan"):
            top, bare = _CHILDREN[el.get("type")]
            allowed = top if parent is None else bare
            for child in el:
                if isinstance(child.tag, str) and child.tag not in allowed:
                    where = "" if parent is None else f" inside <{parent.tag}>"
                    what = f"{el.get('type')} interface {el.get('name')!r}{where}"
                    raise XMLInvalid(f"<{child.tag}> is not allowed in {what}", file=source,
                                     line=child.sourceline)
        key = el.tag
        if el.tag in ("ip", "route"):
            key = parent.get("family", "") if parent is not None and parent.tag == "protocol" else ""
        for attr, value in el.attrib.items():
            rule = _VALUES.get((key, attr))
            if rule and not rule[0](value):
                raise XMLInvalid(f"<{el.tag} {attr}={value!r}>: expected {rule[1]}", file=source,
                                 line=el.sourceline)


def _schema_error(rng: etree.RelaxNG, root: etree._Element, source: str) -> XMLInvalid:
    """The most useful of libxml2's RelaxNG errors, with a line wherever possible."""
    errors = list(rng.error_log)
    for err in errors:  # "Extra element X in interleave" carries no line: find X
        m = re.match(r"Extra element (\S+) in interleave", err.message)
        if m:
            found = root.find(f".//{m.group(1)}") if root.tag != m.group(1) else root
            line = found.sourceline if found is not None else None
            return XMLInvalid(f"<{m.group(1)}> is not allowed here", file=source, line=line)
    for err in errors:
        if err.type_name in ("RELAXNG_ERR_INVALIDATTR", "RELAXNG_ERR_NOELEM", "RELAXNG_ERR_ELEMWRONG",
                             "RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_NOTELEM", "RELAXNG_ERR_ELEMNOTEMPTY"):
            return XMLInvalid(err.message, file=source, line=err.line or None)
    err = max(errors, key=lambda e: e.line) if errors else None
    msg = err.message if err else "does not match the interface schema"
    return XMLInvalid(f"not a valid interface description: {msg}", file=source,
                      line=(err.line or None) if err else None)


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
            if el.getparent() is None or el.getparent().tag != "vlan":
                # libvirt lets a vlan go nameless; its files are named after it
                raise XMLInvalid(f"this {el.get('type', '')} interface has no name (a vlan's is "
                                 "usually DEVICE.TAG)", file=source, line=el.sourceline)
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
    _check_values(root, source)
    rng = _relaxng()
    if not rng.validate(tree):
        raise _schema_error(rng, root, source)
    return tree


def load(data: str | bytes, source: str = "<string>") -> etree._ElementTree:
    """Parse and validate in one step: what ``define`` and ``validate`` use."""
    return validate(parse(data, source), source)
