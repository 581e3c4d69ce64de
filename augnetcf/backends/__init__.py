"""Backends: the only place a distribution plugs in.

A backend is data: the Augeas transforms that read its files, XPath
expressions that let the engine find interfaces in a forest, the labels it
owns, and two stylesheets named after it (``<name>-to-forest.xsl`` and
``<name>-from-forest.xsl``). The engine in :mod:`augnetcf.config` does the
rest the same way for every backend.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import InvalidOperation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lxml import etree

#: Files that are never configuration: editor and package-manager leftovers,
#: and Augeas' own newfile/backup output.
BACKUP_GLOBS: tuple[str, ...] = (
    "*.augnew", "*.augsave", "*.rpmsave", "*.rpmnew", "*.rpmorig",
    "*.dpkg-dist", "*.dpkg-old", "*.dpkg-new", "*.orig", "*~", "*.bak", "*.swp", "#*#",
)


@dataclass(frozen=True)
class Transform:
    """One Augeas transform: a lens and the files (globs under the root) it reads."""

    lens: str
    incl: tuple[str, ...]
    excl: tuple[str, ...] = field(default=BACKUP_GLOBS)
    #: relayout(old, new): the text Augeas printed for a file (*new*) given
    #: back the file's own layout where the lens cannot know it (the
    #: indentation of an added ``interfaces`` option). Pure; bytes in and out.
    relayout: Callable[[bytes, bytes], bytes] | None = None
    #: A module that reads and prints the files instead of an Augeas lens
    #: (``augnetcf.yamltree``: ``parse(text)`` and ``render(parsed, tree)``),
    #: for a format no lens can keep byte for byte. The session puts its
    #: trees into Augeas and prints them back itself; *lens* is then only a
    #: name for messages. See :class:`augnetcf.aug.AugeasSession`.
    python_lens: str = ""
    #: Whether a file hides a file of the same name that an earlier glob of
    #: *incl* matches (netplan reads ``run/netplan/X`` instead of
    #: ``etc/netplan/X``, and that instead of ``lib/netplan/X``). Python lenses only.
    hides: bool = False


_SECTION = re.compile(rb"^[ \t]*\[[^\]\n]*\][ \t]*$")


def section_spacing(old: bytes, new: bytes) -> bytes:
    """*new* (what Augeas printed for an ini-style file that held *old*)
    with a blank line before each section Augeas added, where the file sets
    its sections apart with blank lines: the lens prints a new ``[Link]``
    right under the last line of the section before it. A file whose
    sections touch, or that had no second section to tell by, is left as
    printed. Pure; for ``Transform.relayout``."""
    old_lines = old.split(b"\n")
    headers = [i for i, line in enumerate(old_lines) if _SECTION.match(line)]
    if not any(i > 0 and not old_lines[i - 1].strip() for i in headers[1:]):
        return new
    seen: dict[bytes, int] = {}
    had: dict[bytes, int] = {}
    for i in headers:
        key = old_lines[i].strip()
        had[key] = had.get(key, 0) + 1
    out: list[bytes] = []
    for line in new.split(b"\n"):
        if _SECTION.match(line):
            key = line.strip()
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > had.get(key, 0) and out and out[-1].strip():
                out.append(b"")  # a section the file did not have: set apart as the others are
        out.append(line)
    return b"\n".join(out)


#: XPath extension functions of the backends (name -> function, in the
#: stylesheets' namespace ``urn:augnetcf:xslt``). A backend module declares
#: its own with :func:`register_xpath_functions`; :mod:`augnetcf.xslt` hands
#: them to lxml when it loads, so that importing a backend costs no lxml
#: (``list`` answers from the index's facts and never loads it).
XPATH_FUNCTIONS: dict[str, Callable[..., object]] = {}


def register_xpath_functions(functions: dict[str, Callable[..., object]]) -> None:
    """Make *functions* callable from backend XPaths and the stylesheets
    (``ancf:NAME``): now if lxml and the stylesheets are loaded, else when they are."""
    XPATH_FUNCTIONS.update(functions)
    xslt = sys.modules.get("augnetcf.xslt")
    if xslt is not None and hasattr(xslt, "register"):
        xslt.register(functions)


#: Backend names.
NAMES: tuple[str, ...] = ("redhat", "debian", "suse", "nm-keyfile", "networkd", "netplan")

#: os-release ``ID``/``ID_LIKE`` words -> backend.
OS_IDS = {
    "rhel": "redhat", "fedora": "redhat", "centos": "redhat", "rocky": "redhat", "almalinux": "redhat",
    "ol": "redhat", "debian": "debian", "ubuntu": "debian", "raspbian": "debian", "linuxmint": "debian",
    "suse": "suse", "opensuse": "suse", "opensuse-leap": "suse", "opensuse-tumbleweed": "suse",
    "sles": "suse", "sled": "suse",
}

#: Where each backend keeps its files, for roots os-release does not decide:
#: (backend, path under the root, must be a directory).
LOCATIONS = (
    ("redhat", "etc/sysconfig/network-scripts", True),
    ("debian", "etc/network/interfaces", False),
    ("suse", "etc/sysconfig/network", True),  # a plain file on Red Hat, a directory on SUSE
)

#: The backends of today's distributions, and the classic backend whose
#: distributions moved to them: os-release names the family (Fedora is
#: ``redhat``), the files present say which of them the host uses.
MODERN = {"nm-keyfile": "redhat", "networkd": "debian", "netplan": "debian"}

#: Files (globs under the root) that show a backend is in use: an empty
#: ``etc/systemd/network`` is on every systemd host, so a directory alone
#: does not count. ``ifcfg-lo`` and a loopback-only ``interfaces`` do not either.
IN_USE = {
    "redhat": ("etc/sysconfig/network-scripts/ifcfg-*",),
    "debian": ("etc/network/interfaces", "etc/network/interfaces.d/*"),
    "suse": ("etc/sysconfig/network/ifcfg-*",),
    "nm-keyfile": ("etc/NetworkManager/system-connections/*.nmconnection",),
    "networkd": ("etc/systemd/network/*.network", "etc/systemd/network/*.netdev"),
    "netplan": ("etc/netplan/*.yaml", "lib/netplan/*.yaml", "run/netplan/*.yaml"),
}
_LOOPBACK_ONLY = re.compile(r"(?:ifcfg-lo|.*\.(?:augnew|rpmsave|rpmnew|orig|bak|dpkg-\w+)|.*~)$")


@dataclass(frozen=True)
class Backend:
    """What the engine needs to know about one distribution's files.

    The XPath expressions are evaluated by lxml on a forest (see
    :mod:`augnetcf.forest`) and may call the stylesheets' extension functions
    (prefix ``ancf``). A *unit* is an element that describes one interface: a
    whole ``<tree>`` when each interface has its own file, a ``<node>`` (a
    stanza) when interfaces share a file. An interface may have several units
    (Debian's ``inet`` and ``inet6`` stanzas), told apart by ``unit_key``. A
    *mark* belongs to an interface without describing it: Debian's ``auto``
    entries, SUSE's default routes.
    """

    name: str
    transforms: tuple[Transform, ...]
    #: From ``<forest>`` to every unit.
    unit: str
    #: From a unit: the interface name it describes (may be empty).
    unit_name: str
    #: From a unit: what tells several units of one interface apart.
    unit_key: str
    #: From a unit: its hardware address, used to resolve names via sysfs.
    unit_mac: str
    #: From a unit: the bridge or bond it is a port/slave of ("" if none).
    unit_master: str
    #: From a unit: its ports or slaves, separated by blanks ("" if none).
    unit_ports: str
    #: Matched against ``LABEL=VALUE`` of existing nodes: what this backend
    #: writes and therefore removes when a new description no longer implies it.
    owned: re.Pattern
    #: From ``<forest>`` to every mark ("" if the backend has none).
    mark: str = ""
    #: From a mark: the interface it belongs to.
    mark_name: str = "''"
    #: From a mark: what tells several marks of one interface apart.
    mark_key: str = "''"
    #: From a mark whose ``mark_name`` is empty: the address that decides
    #: its interface ("" when none does). Such a mark belongs to the one
    #: interface whose ``unit_nets`` hold the address (SUSE's ``default GW -
    #: -`` route), a rule across files that the engine applies on every
    #: snapshot (:func:`augnetcf.resolve.address_owner`), with the index too.
    mark_addr: str = ""
    #: From a unit: its addresses with their prefix lengths (``A/P``),
    #: separated by blanks; what ``mark_addr`` is matched against.
    unit_nets: str = ""
    #: A unit's name when ``unit_name`` is empty, from its Augeas path.
    name_from_path: re.Pattern | None = None
    #: Labels that may repeat within one node; their nodes are only ever
    #: matched by value, so a define never rewrites an admin's ``up`` line.
    multi: re.Pattern = re.compile(r"(?!)")
    #: From ``<forest>``: more files to read (``source`` lines), as globs
    #: relative to the root; relative ones are relative to the including file.
    includes: str = ""
    #: From ``<forest>``: directories whose files are read too (``source-directory``).
    include_dirs: str = ""
    #: What the files cannot express: (XPath over interface XML, why). A
    #: define whose description matches any of them fails, naming the element.
    limits: tuple[tuple[str, str], ...] = ()
    #: Other spellings of a node: (LABEL, VALUE) -> [(label regex, value)].
    #: An existing node spelled so is taken as the wanted one and left alone.
    alias: Callable[[str, str], list[tuple[str, str]]] | None = None
    #: Shared files (by Augeas path) that are deleted once nothing is left in them.
    disposable: re.Pattern | None = None
    #: LABEL -> the value a missing LABEL means. A define neither adds such a
    #: node to a file that lacks it nor removes one that states it.
    defaults: dict[str, str] = field(default_factory=dict)
    #: Label of comment nodes, for backends whose units are stanzas in a
    #: shared file: a removed stanza takes the comments that belong to it
    #: (see :func:`augnetcf.forest.stanza_comments`) and leaves the others.
    #: Needs Augeas spans, which cost a little at load, so it is opt-in.
    stanza_comments: str = ""
    #: Words in ``unit_ports`` that are keywords, not interfaces (ifupdown's
    #: ``bridge_ports none``).
    port_keywords: tuple[str, ...] = ()
    #: The distribution's reader ignores a bridge port's or bond slave's own
    #: addresses (wicked does). An address in the file of an interface that
    #: was a port of the same master before a define, and still is, is then
    #: left as written: it meant nothing before and means nothing after. A
    #: port that joins a master loses its former addresses all the same.
    port_addresses_ignored: bool = False
    #: Files whose top-level nodes share a label (stanzas, route lines): a
    #: removed node's lines are cut from the text before Augeas prints the
    #: rest, so later lines keep their own layout (see :mod:`augnetcf.aug`).
    #: Needs spans too.
    keep_layout: bool = False
    #: respell(new, old): rewrite forest unit *new*, in place, into the
    #: spelling unit *old* (what the files say now) uses for the same thing:
    #: PREFIX for NETMASK, ``address A/P`` for address + netmask. Pure lxml;
    #: called before a redefine is written, so a change touches only the
    #: lines whose meaning changes.
    respell: Callable[[etree._Element, etree._Element], None] | None = None
    #: refuse(unit): why interface XML cannot describe forest unit *unit*
    #: ("" when it can): a Debian stanza whose method the XML has no word for
    #: (``inet6 v4tunnel``). Reading it as something simpler would make a
    #: redefine rewrite it, so dumpxml refuses it (:func:`augnetcf.xslt.from_forest`)
    #: and ``respell`` refuses a define over it.
    refuse: Callable[[etree._Element], str] | None = None
    #: Labels of children that the lens prints only first, in this order,
    #: before any other child (Debian's ``family`` and ``method``, words of
    #: the ``iface`` line). A define that adds one to a node that has
    #: children (``iface swp1`` with options, made DHCP) inserts it after
    #: the leading ones before it, not after the last child: the lens could
    #: not print it there.
    leading: tuple[str, ...] = ()
    #: Matched against ``PARENT/LABEL`` (the parent node's label, "" for a
    #: file): nodes whose existing value a define keeps (a connection's UUID
    #: and id). A define writes them only where they are missing.
    keep: re.Pattern = re.compile(r"(?!)")
    #: The mode of a file a define creates (NetworkManager ignores keyfiles
    #: that others can read); ``None`` leaves it to the umask.
    new_file_mode: int | None = None
    #: The shortest bridge forward delay (seconds) the backend can write: what
    #: ``share`` gives a new bridge unless told otherwise. Guests should not
    #: wait on a bridge with one port, so it is as short as the format allows.
    min_forward_delay: int = 0
    #: From ``<forest>`` to files that amend a unit (systemd drop-ins); from
    #: one, the Augeas path of the file it amends (a unit that is a whole
    #: file; the engine pairs them across files, see
    #: ``augnetcf.resolve.assign_extras``). Read with their unit and
    #: removed with it; a define leaves them alone, and refuses when one sets
    #: a key the backend owns (the drop-in would override the define).
    dropin: str = ""
    dropin_of: str = "''"
    #: From a mark in a new forest: the interface whose file should hold it
    #: (a VLAN is created by its parent's ``.network``). A new mark goes into
    #: the first of that interface's ``mark_homes`` whose file name ends as its
    #: own tree's does, else into a file of its own.
    mark_home: str = ""
    #: From ``<forest>``: every element that may hold marks, named by ``unit_name``.
    mark_homes: str = ""
    #: From a mark: nodes outside it that say what it means (the ``[Match]``
    #: section that names the link a VLAN= line is on), read along with it.
    mark_context: str = ""
    #: Labels that do not keep a disposable file alive once its marks are gone.
    residue: re.Pattern = re.compile(r"(?!)")
    #: Whether units sit inside containers that a file shares among them
    #: (netplan's ``network: ethernets:``): a new unit goes into the file's
    #: existing container of that label, and a new file gets what the new
    #: forest's file holds besides its units (``version: 2``).
    nested_units: bool = False
    #: Whether several units of one name and key all apply, merged (netplan
    #: merges the definitions of one id across files), rather than the one
    #: that claims the name best (see ``augnetcf.resolve.claim``). The stylesheet
    #: sees them all, and refuses what it cannot describe.
    merged: bool = False
    #: Whether ``residue`` is matched against every node of the file, not
    #: just its top-level ones (netplan's definitions sit two levels down).
    residue_deep: bool = False
    #: From a new forest: the names of interfaces that must be defined, by
    #: the new forest or by the files, for it to mean anything (netplan
    #: refuses a VLAN whose ``link`` no file defines). A define refuses a
    #: forest that needs one that is missing.
    requires: str = ""
    #: From a ``<tree>``: the name patterns (fnmatch; ``!`` negates) of the
    #: interfaces the file applies to, as a node-set of values, when only the
    #: first file in lexical order that takes a name applies to it (networkd's
    #: ``.network``). A new file that such an earlier file of the same kind
    #: would hide is refused (``augnetcf.resolve.shadowed_by``, on what each file says).
    matches: str = ""
    #: From ``<forest>``: every element a ``unit_master`` may name by an alias
    #: instead of its interface name ("" when masters are named by name only).
    #: NetworkManager: every connection, of a unit type or not, by uuid or id.
    aliased: str = ""
    #: From such an element: its aliases, as a node-set of values (empty ones do not count).
    aliased_keys: str = ""
    #: From such an element: the interface name a master reference to one of
    #: its aliases means. The engine resolves a reference across files (see
    #: ``augnetcf.resolve.master_of``), so the index keeps both sides per file.
    aliased_name: str = "''"
    #: Files (Augeas paths) that are read but never written: the
    #: distribution's defaults and runtime files (netplan's ``lib/netplan``
    #: and ``run/netplan``). A define or undefine that would change one refuses.
    read_only: re.Pattern | None = None
    #: Whether the engine finds interfaces through :mod:`augnetcf.index` (what
    #: each file says, kept per file) and loads into Augeas only the files a
    #: command needs. That is right only when every expression above looks at
    #: one file at a time: what crosses files (a master named by alias, see
    #: ``aliased``; a drop-in's unit, ``dropin_of``; a mark's home,
    #: ``mark_homes``; a file hidden by another, ``matches``; the owner of a
    #: mark without a name, ``mark_addr``) is decided by the
    #: engine from what each file says, by the rule the full load uses. A
    #: backend whose meaning crosses files otherwise says False, and every
    #: command loads all of its files.
    index: bool = False

    @property
    def to_forest_xsl(self) -> str:
        return f"{self.name}-to-forest.xsl"

    @property
    def from_forest_xsl(self) -> str:
        return f"{self.name}-from-forest.xsl"


def get(name: str) -> Backend:
    """The backend called *name*; :class:`InvalidOperation` if there is none."""
    if name not in NAMES:
        raise InvalidOperation(f"unknown backend {name!r} (known: {', '.join(NAMES)})")
    return importlib.import_module(f"{__name__}.{name.replace('-', '_')}").BACKEND
