"""Pure transforms between interface XML and forests.

Each stylesheet is compiled once per process. The extension functions the
stylesheets call live here, in the ``urn:augnetcf:xslt`` namespace; they do
address math in Python (:mod:`augnetcf.inet`, netaddr's answers) rather than by hand in XSLT.

    to_forest(doc, backend)          interface XML  -> forest
    from_forest(forest, backend, n)  forest         -> interface XML for n
"""

from __future__ import annotations

import functools
import os
import re
from typing import Any

from lxml import etree

from . import backends, inet, resources
from .backends import Backend
from .errors import AugnetcfError, FileError, InternalError, Unsupported
from .macs import normalize_mac  # noqa: F401  (callers import it from here too)

NS = "urn:augnetcf:xslt"

#: Linux bonding modes by number, as ``mode=1`` may appear in BONDING_OPTS.
BOND_MODES = ("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
              "balance-tlb", "balance-alb")
ARP_VALIDATE = ("none", "active", "backup", "all")


def _s(arg: Any) -> str:
    """XPath arguments arrive as strings or node-sets; flatten to a string."""
    if isinstance(arg, list):
        return str(arg[0]) if arg else ""
    return "" if arg is None else str(arg)


def _netmask(_ctx: Any, prefix: Any) -> str:
    """Dotted IPv4 netmask for a prefix length ("24" -> "255.255.255.0")."""
    return inet.netmask_for(str(int(_s(prefix))))


def _prefix(_ctx: Any, netmask: Any) -> str:
    """Prefix length for a dotted netmask or a bare prefix ("255.255.255.0" -> "24")."""
    text = _s(netmask).strip()
    if _digits(text):
        return text
    if not inet.valid_ipv4(text):  # what netaddr.IPAddress(text, version=4) refuses
        return ""
    return str(inet.netmask_bits(text)) if inet.is_netmask(text) else ""


def _bond_options(text: str) -> dict[str, str]:
    opts = {}
    for word in text.split():
        key, sep, value = word.partition("=")
        if sep:
            opts[key] = value
    return opts


def _bond_option(_ctx: Any, opts: Any, key: Any) -> str:
    """The value of *key* in a BONDING_OPTS-style "k=v k=v" string, or ""."""
    value = _bond_options(_s(opts)).get(_s(key), "")
    name = _s(key)
    if name == "mode" and _digits(value) and int(value) < len(BOND_MODES):
        return BOND_MODES[int(value)]
    if name == "arp_validate" and _digits(value) and int(value) < len(ARP_VALIDATE):
        return ARP_VALIDATE[int(value)]
    if name == "arp_ip_target":
        return value.split(",")[0]
    return value


def _mac(_ctx: Any, mac: Any) -> str:
    """A MAC address in lower-case colon form, or "" when it is not one."""
    return normalize_mac(_s(mac)) or ""


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _vlan_device(_ctx: Any, name: Any) -> str:
    """The underlying device of a VLAN named DEVICE.TAG ("eth0.42" -> "eth0")."""
    device, sep, tag = _s(name).rpartition(".")
    return device if sep and _digits(tag) else ""


def _vlan_tag(_ctx: Any, name: Any) -> str:
    """The tag of a VLAN named DEVICE.TAG or vlanTAG ("eth0.42", "vlan42" -> "42")."""
    text = _s(name)
    _device, sep, tag = text.rpartition(".")
    if not sep and text.startswith("vlan"):
        sep, tag = "vlan", text[4:]
    return str(int(tag)) if sep and _digits(tag) and len(tag) <= 4 else ""


def _join(_ctx: Any, values: Any) -> str:
    """The string values of a node-set, joined by spaces."""
    return " ".join(str(v) for v in values) if isinstance(values, list) else _s(values)


def _last_word(_ctx: Any, text: Any) -> str:
    """The last blank-separated word ("ether 52:54:00:12:34:56" -> the MAC)."""
    words = _s(text).split()
    return words[-1] if words else ""


#: An ``up`` command that adds an address: iproute2's, or net-tools' as netcf wrote it.
_ADDED = re.compile(
    r"(?:/usr)?(?:/s?bin/)?(?:ip\s+(?:-[46]\s+)?addr(?:ess)?\s+add\s+(?P<ip>\S+)"
    r"|ifconfig\s+\S+\s+inet6?\s+add\s+(?P<ifconfig>\S+))"
)


def _added_address(_ctx: Any, command: Any, family: Any) -> str:
    """ADDR[/PREFIX] that an ``up`` *command* adds, if of *family* ("ipv4"/"ipv6"), else ""."""
    m = _ADDED.match(_s(command).strip())
    if not m:
        return ""
    cidr = m.group("ip") or m.group("ifconfig")
    is_v6 = ":" in cidr.split("/")[0]
    return cidr if is_v6 == (_s(family) == "ipv6") else ""


def _refuse(_ctx: Any, message: Any, path: Any) -> str:
    """XPath ``ancf:refuse(MESSAGE, PATH)``: stop a stylesheet that would
    otherwise describe a file (Augeas path *PATH*) as less than it says.
    Raises :class:`Unsupported` naming the file (its path under the root);
    lxml hands the exception through the transform unchanged."""
    where = _s(path)
    file = where[len("/files"):] if where.startswith("/files/") else where or None
    raise Unsupported(_s(message), file=file)


def register(functions: dict[str, Any]) -> None:
    """Hand XPath extension functions (name -> function) to lxml, in :data:`NS`."""
    ns = etree.FunctionNamespace(NS)
    for name, fn in functions.items():
        ns[name] = fn


register({"netmask": _netmask, "prefix": _prefix, "bond-option": _bond_option, "mac": _mac,
          "vlan-device": _vlan_device, "vlan-tag": _vlan_tag, "last-word": _last_word, "join": _join,
          "added-address": _added_address, "refuse": _refuse})
# the backends' own, declared before lxml was loaded (see backends.register_xpath_functions)
register(backends.XPATH_FUNCTIONS)


@functools.cache
def stylesheet(filename: str) -> etree.XSLT:
    """Compile a stylesheet from the data directory once per process."""
    path = os.path.join(resources.data_path("xslt"), filename)
    doc = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True))
    ac = etree.XSLTAccessControl.DENY_ALL
    return etree.XSLT(doc, access_control=ac)


def _run(filename: str, doc: etree._Element, **params: str) -> etree._Element:
    xsl = stylesheet(filename)
    try:
        result = xsl(doc, **{k: etree.XSLT.strparam(v) for k, v in params.items()})
    except etree.XSLTApplyError as e:
        raise InternalError(f"stylesheet {filename} failed: {e}") from None
    root = result.getroot()
    if root is None:
        raise InternalError(f"stylesheet {filename} produced no output")
    return root


def to_forest(doc: etree._Element | etree._ElementTree, backend: Backend) -> etree._Element:
    """The forest (one ``<tree>`` per file) that describes interface *doc*."""
    if isinstance(doc, etree._ElementTree):
        doc = doc.getroot()
    return _run(backend.to_forest_xsl, doc)


def refused(units: list[etree._Element], backend: Backend) -> list[tuple[etree._Element, str]]:
    """(unit, why) for each of forest *units* that interface XML cannot
    describe (``Backend.refuse``): a Debian ``inet6 v4tunnel`` stanza, say.
    Such a unit must be neither read as something simpler nor rewritten."""
    if backend.refuse is None:
        return []
    out = []
    for unit in units:
        why = backend.refuse(unit)
        if why:
            out.append((unit, why))
    return out


def refusal(cls: type[AugnetcfError], unit: etree._Element, why: str, backend: Backend,
            line: int | None = None) -> AugnetcfError:
    """The error (*cls*) that refuses *unit* for reason *why*, naming its
    file (its path under the root) and, when known, the *line* it starts on."""
    name = str(unit.xpath(backend.unit_name, namespaces={"ancf": NS}))
    tree = next(unit.iterancestors("tree"), None) if unit.tag != "tree" else unit
    where = tree.get("path", "").removeprefix("/files") if tree is not None else name
    return cls(f"{name}: interface XML cannot describe its {why}; augnetcf leaves it alone",
               file=where, line=line)


def from_forest(forest: etree._Element, backend: Backend, name: str) -> etree._Element:
    """Interface XML for *name*, from a forest whose first unit describes it
    and whose other units are its ports and slaves. A unit that the XML
    cannot describe (``Backend.refuse``), *name*'s or a port's, is a
    :class:`FileError` naming its file, never a simpler description: a
    define of that description would rewrite or remove the unit."""
    for unit, why in refused(forest.xpath(backend.unit), backend)[:1]:
        raise refusal(FileError, unit, why, backend)
    return _run(backend.from_forest_xsl, forest, name=name)
