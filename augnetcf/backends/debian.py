"""Debian / Ubuntu ifupdown: ``etc/network/interfaces`` and the files it sources.

Interfaces share files, so a unit is an ``iface`` stanza (an interface may
have an ``inet`` and an ``inet6`` one) and its ``auto``/``allow-*`` entries
are marks. Files pulled in with ``source`` or ``source-directory`` are read
too; an interface found there is edited there, a new one goes into the main
file. Read by our Ifupdown lens (lenses/ifupdown.aug), which also takes
ifupdown2's and ifupdown-ng's syntax and keeps every option a plain value.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

from .._lazy import lazy
from ..errors import Unsupported
from . import Backend, Transform

etree = lazy("lxml.etree", globals())  # only defines and dumpxml need it (see augnetcf._lazy)

_OPT = r"[_-]"


def _alias(label: str, value: str) -> list[tuple[str, str]]:
    """ifupdown reads bridge_ports and bridge-ports alike (and so on)."""
    if "_" not in label and "-" not in label:
        return []
    return [(re.sub(r"[_-]", "[_-]", label), value)]


#: Options ifupdown reads with ``-`` or ``_`` alike, which the stylesheet
#: writes with ``_`` (netcf's spelling): a stanza that writes them with
#: ``-`` gets new ones with ``-`` too.
_SEPARABLE = re.compile(r"^(?:bridge|bond)_[a-z_]+$|^vlan[_-]raw[_-]device$")

#: Methods of an ``inet``/``inet6`` stanza that interface XML says something for.
_KNOWN_METHODS = {"inet": {"static", "dhcp", "manual", "loopback"},
                  "inet6": {"static", "dhcp", "auto", "manual", "loopback"}}


def _label_style(old: etree._Element) -> str:
    """``-`` or ``_``: how the stanza *old* (or, when it says nothing, its
    file) joins the words of option names such as ``bridge-ports``; "" when
    neither says."""
    for scope in (old, old.getparent()):
        if scope is None:
            continue
        labels = [n.get("label", "") for n in scope.iter("node")]
        dashed = sum(1 for lbl in labels if _SEPARABLE.match(lbl.replace("-", "_")) and "-" in lbl)
        under = sum(1 for lbl in labels if _SEPARABLE.match(lbl) and "_" in lbl)
        if dashed != under:
            return "-" if dashed > under else "_"
    return ""


def _respell_labels(new: etree._Element, style: str) -> None:
    """Give the options of unit *new* that ifupdown reads either way the
    separator the file uses."""
    for node in new.iterchildren("node"):
        label = node.get("label", "")
        if style and _SEPARABLE.match(label.replace("-", "_")):
            node.set("label", label.replace("-" if style == "_" else "_", style))


def _respell_address(new: etree._Element, old: etree._Element) -> None:
    """Keep ``address A/P`` (no netmask line) where the stanza writes its
    address so, rather than ``address A`` plus ``netmask M``; and
    ``address A`` plus ``netmask M`` where it writes that, rather than A/P."""
    have = old.find("node[@label='address']")
    address = new.find("node[@label='address']")
    netmask = new.find("node[@label='netmask']")
    if have is None or address is None:
        return
    value = address.get("value") or ""
    if "/" in (have.get("value") or ""):
        if netmask is None or "/" in value:
            return
        mask = netmask.get("value") or ""
        import netaddr  # (only where a mask is worked out: its import costs 15 ms)

        try:  # an inet6 netmask is a prefix length (which netaddr < 1.0 would read as IPv4)
            bits = int(mask) if mask.isdigit() else \
                netaddr.IPAddress(mask, flags=netaddr.INET_PTON).netmask_bits()
        except (netaddr.AddrFormatError, TypeError, ValueError):
            return
        address.set("value", f"{value}/{bits}")
        if old.find("node[@label='netmask']") is None:
            new.remove(netmask)  # else A/P and a netmask that agrees, both kept
    elif "/" not in (have.get("value") or "") and old.find("node[@label='netmask']") is not None \
            and "/" in value and netmask is None:
        addr, _sep, prefix = value.partition("/")
        family = new.find("node[@label='family']")
        if family is not None and family.get("value") == "inet6":
            mask = prefix
        else:
            import netaddr

            try:
                mask = str(netaddr.IPNetwork(f"0.0.0.0/{prefix}").netmask)
            except (netaddr.AddrFormatError, TypeError, ValueError):
                return
        address.set("value", addr)
        netmask = etree.Element("node", label="netmask", value=mask)
        address.addnext(netmask)


def _respell_header(new: etree._Element, old: etree._Element) -> None:
    """A stanza without family and method (ifupdown2, ifupdown-ng: ``iface
    swp1``) stays so while it means what the new one says: no method is
    manual, with an address static. Those tools need ``inet dhcp`` spelled
    out: a stanza made DHCP gets both, which the engine puts right after
    the name, where the lens prints them (``Backend.leading``)."""
    if old.find("node[@label='family']") is not None or old.find("node[@label='method']") is not None:
        return
    family, method = new.find("node[@label='family']"), new.find("node[@label='method']")
    if family is None or method is None or family.get("value") != "inet":
        return
    if method.get("value") in ("manual", "static"):
        new.remove(family)
        new.remove(method)


#: A name ifupdown takes for a VLAN: DEVICE.TAG or vlanTAG (not an alias, DEVICE.TAG:N).
_VLAN_NAME = re.compile(r"[^:]+\.[0-9]{1,4}|vlan[0-9]{1,4}")


def _prefix_conflict(stanza: etree._Element, fam: str) -> str:
    """Why an ``address A/P`` with a ``netmask`` that says another prefix
    cannot be read ("" when they agree or one is missing): ifupdown takes the
    netmask, ifupdown2 and ifupdown-ng the prefix."""
    address = stanza.find("node[@label='address']")
    netmask = stanza.find("node[@label='netmask']")
    if address is None or netmask is None or "/" not in (address.get("value") or ""):
        return ""
    import netaddr  # (only now: most stanzas say one of the two, and its import costs 15 ms)

    prefix = (address.get("value") or "").rpartition("/")[2]
    mask = netmask.get("value") or ""
    if fam == "inet" and not mask.isdigit():
        with contextlib.suppress(netaddr.AddrFormatError, ValueError):
            mask = str(netaddr.IPAddress(mask, version=4, flags=netaddr.INET_PTON).netmask_bits())
    if mask == prefix:
        return ""
    return (f"address {address.get('value')} with netmask {netmask.get('value')} "
            "(ifupdown takes the netmask, ifupdown2 and ifupdown-ng the prefix)")


def _respell_port_method(new: etree._Element, old: etree._Element) -> None:
    """Keep ``inet static`` without an address on a bridge port or bond
    slave (ifupdown2's example files) rather than write ``inet manual``: a
    port's description has no addressing, and both give it none."""
    method = new.find("node[@label='method']")
    if method is None or method.get("value") != "manual" or new.find("node[@label='address']") is not None:
        return
    family = new.find("node[@label='family']")
    was = old.find("node[@label='method']")
    if was is None or was.get("value") != "static" or old.find("node[@label='address']") is not None \
            or family is None or family.get("value") != "inet" \
            or (old.find("node[@label='family']") is not None
                and old.find("node[@label='family']").get("value") != "inet"):
        return
    name = new.get("value") or ""
    ports = new.getroottree().getroot().xpath("//node[translate(@label, '-', '_') = 'bridge_ports'"
                                              " or translate(@label, '-', '_') = 'bond_slaves']/@value")
    if any(name in str(v).replace("\\", " ").split() for v in ports):
        method.set("value", "static")


def refusal(stanza: etree._Element) -> str:
    """Why interface XML cannot describe the ``iface`` stanza *stanza* (a
    forest node), or "" when it can: a family or method it has no words for
    (``inet6 v4tunnel``, ``inet ppp``, ``can static``; a method without a
    family, ``iface swp1 dhcp``, which the three ifupdowns read three
    ways), or settings taken
    from elsewhere (``inherits``, ifupdown-ng's ``inherit`` and ``use``).
    Such a stanza is refused, never read as something simpler."""
    family = stanza.find("node[@label='family']")
    method = stanza.find("node[@label='method']")
    if family is None and method is not None:
        # ifupdown-ng reads "iface swp1 dhcp" as DHCP, ifupdown rejects it and
        # ifupdown2 takes the method for a family: no reading to keep
        return f"method {method.get('value')!r} without an address family"
    fam = family.get("value", "") if family is not None else "inet"
    if fam not in _KNOWN_METHODS:
        return f"address family {fam!r}"
    if method is not None and method.get("value") not in _KNOWN_METHODS[fam]:
        return f"method {fam} {method.get('value')}"
    if family is None and method is None:
        addresses = [n.get("value", "") for n in stanza.iterchildren("node") if n.get("label") == "address"]
        if len(addresses) > 1 or any(":" in a for a in addresses):
            return "addresses of both families, or several, in one stanza without a family"
    options = [n.get("label", "").replace("-", "_") for n in stanza.iterchildren("node")]
    for label in ("bridge_ports", "bond_slaves"):
        if options.count(label) > 1:
            # ifupdown2 joins the lines, ifupdown joins them with a line
            # break, ifupdown-ng keeps both: no one list of ports to read
            return f"{label} on several lines"
        if label in options and _VLAN_NAME.fullmatch(stanza.get("value") or ""):
            # ifupdown's vlan hook would make it a VLAN too
            return f"{label} on an interface named like a VLAN (DEVICE.TAG or vlanTAG)"
    why = _prefix_conflict(stanza, fam)
    if why:
        return why
    for label in ("inherits", "inherit", "use"):
        if stanza.find(f"node[@label='{label}']") is not None:
            return f"{label!r} (settings from another stanza or an executor)"
    return ""


def _respell(new: etree._Element, old: etree._Element) -> None:
    """Write *new* in the spelling of *old*, the stanza it replaces: option
    names with the file's separator, the address as the stanza writes it, a
    header without family and method kept so; refuse a stanza that the
    description cannot have come from (see :func:`refusal`)."""
    why = refusal(old)
    if why:
        tree = next(old.iterancestors("tree"), None)
        where = tree.get("path", "").removeprefix("/files") if tree is not None else "interfaces"
        raise Unsupported(f"iface {old.get('value')}: interface XML cannot describe its {why}; "
                          "augnetcf leaves this stanza alone", file=where)
    _respell_labels(new, _label_style(old))
    _respell_address(new, old)
    _respell_header(new, old)
    _respell_port_method(new, old)


#: A line that starts a stanza or stands alone (never an option line).
_TOP = re.compile(rb"^[ \t]*(?:iface|interface|template|defaults|vlan|mapping|auto|allow-[a-z-]+"
                  rb"|no-auto-down|no-scripts|rename|source|source-directory)(?:[ \t]|$)")
#: The indentation the Ifupdown lens gives a line it creates.
_LENS_INDENT = b"   "


def _indent(line: bytes) -> bytes:
    return line[: len(line) - len(line.lstrip(b" \t"))]


def reindent(old: bytes, new: bytes) -> bytes:
    """*new* (what Augeas printed for a file that held *old*) with each line
    Augeas added inside a stanza indented like that stanza's other lines.

    The lens cannot know a file's indentation (tabs in a Proxmox file, four
    spaces elsewhere), so an added option comes out with the lens' three
    spaces; keeping the indentation in the tree would put layout into the
    forest. Instead this compares the texts: a line of *new* that is not a
    line of *old* and has the lens' indentation takes the indentation of
    the first option line of its stanza that *old* already had; in a stanza
    that is new altogether, that of the file's first indented option. Every
    other byte is *new*'s. A file that lacked a final newline keeps lacking
    it when its last line is unchanged (Augeas adds one when it reads).

    An edit changes a few lines of a file that may hold 4,000 stanzas, and
    only the stanzas around a changed line can change: the work is done on
    the lines between the texts' common head and tail, widened to whole
    stanzas (:func:`_changed_region`), with exactly the result the rule
    above gives on the whole texts (tests/unit/test_reindent.py holds the
    rule applied to whole texts and compares)."""
    lo, old_hi, new_hi = _changed_region(old, new)
    middle = _reindent_lines(old[lo:old_hi].splitlines(keepends=True),
                             new[lo:new_hi].splitlines(keepends=True), lambda: _first_option_indent(old))
    text = b"".join([new[:lo], *middle, new[new_hi:]])
    if old and not old.endswith(b"\n"):
        last = old[old.rfind(b"\n") + 1:].splitlines(keepends=True)[-1]
        if text.endswith(b"\n" + last + b"\n"):
            text = text[:-1]
    return text


#: One line as ``bytes.splitlines(keepends=True)`` cuts them (at ``\n``, ``\r\n`` or ``\r``).
_LINE = re.compile(rb"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _common_prefix(a: bytes, b: bytes) -> int:
    """How many leading bytes *a* and *b* share (compared a block at a time, in C)."""
    n = min(len(a), len(b))
    at, step = 0, 1 << 16
    while at < n and a[at:at + step] == b[at:at + step]:
        at += step
    at = min(at, n)
    hi = min(n, at + step)
    while at < hi:  # the first difference is in [at, hi): halve
        mid = (at + hi + 1) // 2
        if a[at:mid] == b[at:mid]:
            at = mid
        else:
            hi = mid - 1
    return at


def _changed_region(old: bytes, new: bytes) -> tuple[int, int, int]:
    """(lo, old_hi, new_hi): *old* and *new* are the same bytes before *lo*
    and the same bytes from *old_hi* and *new_hi* on, every edge is a line
    start in both (just after a ``\n``, or the text's end), *lo* is a stanza
    start (the first line, or one :data:`_TOP` matches) and the bytes from
    *new_hi* start with one or are empty, so that what :func:`reindent`
    does to each stanza of the region is what it does to it in the whole
    text; and the common tail is no longer than what remains after the
    common head (how the whole-text rule counts them)."""
    p = _common_prefix(old, new)
    lo = old.rfind(b"\n", 0, p) + 1
    # the common tail, within what the common head leaves
    room = min(len(old), len(new)) - p
    q = _common_prefix(old[::-1][:room], new[::-1][:room]) if room > 0 else 0
    cut = old.find(b"\n", len(old) - q)
    old_hi = len(old) if cut < 0 else cut + 1
    new_hi = old_hi + len(new) - len(old)
    # back to the start of the stanza that holds the first changed line
    while 0 < lo < len(new) and not _TOP.match(_LINE.match(new, lo).group()):
        lo = new.rfind(b"\n", 0, lo - 1) + 1
    while new_hi < len(new):  # on to the start of the next stanza
        line = _LINE.match(new, new_hi).group()
        if _TOP.match(line):
            break
        new_hi += len(line)
        old_hi += len(line)
    return lo, old_hi, new_hi


def _first_option_indent(old: bytes) -> bytes | None:
    """The indentation of the first indented option line of *old* (a line
    that is not blank, a comment or one that starts a stanza), or None."""
    for m in _LINE.finditer(old):
        ln = m.group()
        if _indent(ln) and ln.strip() and not ln.lstrip().startswith(b"#") and not _TOP.match(ln):
            return _indent(ln)
    return None


def _reindent_lines(old_lines: list[bytes], new_lines: list[bytes],
                    default_indent: Callable[[], bytes | None]) -> list[bytes]:
    """:func:`reindent`'s rule on lines (see there); *default_indent* gives
    the indentation for a stanza that has none of its own to follow."""
    import difflib

    # an edit touches a few lines of a big file: match the common head and
    # tail directly, and only the middle by difflib (quadratic at worst)
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < min(len(old_lines), len(new_lines)) - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    kept = [True] * head + [False] * (len(new_lines) - head - tail) + [True] * tail
    matcher = difflib.SequenceMatcher(None, old_lines[head:len(old_lines) - tail],
                                      new_lines[head:len(new_lines) - tail], autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            kept[head + block.b + k] = True
    default: list[bytes | None] = []
    out = list(zip(new_lines, kept))
    # stanza by stanza: its first kept option may come after its added lines
    result = []
    i = 0
    while i < len(out):
        j = i + 1
        while j < len(out) and not _TOP.match(out[j][0]):
            j += 1
        block = out[i:j]
        if all(was for _ln, was in block):
            result += [ln for ln, _was in block]
            i = j
            continue
        own = next((_indent(ln) for ln, was in block[1:] if was and ln.strip() and _indent(ln)
                    and not ln.lstrip().startswith(b"#")), None)
        if own is None and not default:
            default.append(default_indent())
        want = own if own is not None else default[0]
        for n, (line, was) in enumerate(block):
            if not was and n > 0 and want is not None and _indent(line) == _LENS_INDENT and line.strip():
                line = want + line[len(_LENS_INDENT):]
            result.append(line)
        i = j
    return result


BACKEND = Backend(
    name="debian",
    transforms=(Transform(lens="Ifupdown.lns", incl=("/etc/network/interfaces",), relayout=reindent),),
    unit="tree/node[@label='iface']",
    unit_name="string(@value)",
    # ifupdown2 and ifupdown-ng take a stanza without a family for inet
    unit_key="concat(node[@label='family']/@value, substring('inet', 1, 4 * not(node[@label='family'])))",
    unit_mac="ancf:last-word(node[@label='hwaddress']/@value)",
    unit_master="''",
    # a continued line keeps its backslash (and line break) in the value
    unit_ports="translate(concat(node[translate(@label, '-', '_')='bridge_ports']/@value, ' ',"
               " node[translate(@label, '-', '_')='bond_slaves']/@value), '\\', ' ')",
    mark="tree/node[@label='auto' or starts-with(@label, 'allow-')]/node",
    mark_name="string(@value)",
    mark_key="string(../@label)",
    owned=re.compile(
        r"^(?:(?:family|method|address|netmask|gateway|mtu|hwaddress"
        rf"|bridge{_OPT}(?:ports|stp|fd)"
        rf"|bond{_OPT}(?:slaves|primary|mode|miimon|downdelay|updelay|use{_OPT}carrier"
        rf"|arp{_OPT}interval|arp{_OPT}ip{_OPT}target|arp{_OPT}validate)"
        rf"|vlan{_OPT}raw{_OPT}device|autoconf)=.*"
        r"|pre-up=ifup \S+|post-down=ifdown \S+"
        r"|pre-up=echo 0 > /proc/sys/net/ipv6/conf/\S+/autoconf"
        r"|post-down=echo 1 > /proc/sys/net/ipv6/conf/\S+/autoconf"
        r"|up=(?:/sbin/)?ip(?: -[46])? addr add \S+ dev \S+"
        r"|down=(?:/sbin/)?ip(?: -[46])? addr del \S+ dev \S+"
        r"|up=/sbin/ifconfig \S+ inet6 add \S+|down=/sbin/ifconfig \S+ inet6 del \S+)$",
        re.DOTALL,
    ),
    alias=_alias,
    respell=_respell,
    refuse=refusal,
    leading=("family", "method"),  # words of the iface line, before its options
    multi=re.compile(r"^(?:up|down|pre-up|post-up|pre-down|post-down)$"),
    limits=(
        ("//dhcp[@peerdns]", "ifupdown has no per-interface setting for DNS from DHCP"),
        ("/interface/protocol[route][not(ip)]",
         "ifupdown takes a gateway only in a static stanza, which needs an address"),
        ("//protocol[@family='ipv6'][dhcp][ip]",
         "an inet6 stanza is either dhcp or static, not both"),
        # eth0.0201 is tag 201 on eth0 (ifupdown reads the number)
        ("//interface[@type='vlan'][@name][not(number(ancf:vlan-tag(@name)) = number(vlan/@tag)"
         " and (ancf:vlan-device(@name) = vlan/interface/@name"
         " or starts-with(@name, 'vlan') and ancf:vlan-device(@name) = ''))]",
         "ifupdown takes a VLAN's tag from its name, which must be DEVICE.TAG or vlanTAG"),
        # eth2.2:3 is an alias (a label for addresses) on eth2.2, not a VLAN
        ("//interface[@type!='vlan'][contains(@name, '.') and not(contains(@name, ':'))"
         " or (starts-with(@name, 'vlan') and ancf:vlan-tag(@name) != '')]",
         "ifupdown would take an interface named DEVICE.TAG or vlanTAG for a VLAN"),
        ("//bridge/interface[@name='none' or @name='all'] | //bond/interface[@name='none' or @name='all']",
         "in bridge_ports and bond_slaves, 'none' and 'all' are keywords, not interface names"),
        ("//bridge/interface[@type='ethernet'][mac] | //bond/interface[mac]",
         "ifupdown has no stanza for a bridge port or bond slave to carry its MAC"),
    ),
    stanza_comments="#comment",
    keep_layout=True,
    port_keywords=("none",),  # bridge_ports none: a bridge without ports
    includes="tree/node[@label='source']/@value",
    include_dirs="tree/node[@label='source-directory']/@value",
    index=True,  # stanzas and auto lines name their interface; sourced files are followed per file
)
