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
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..errors import InvalidOperation

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


#: Backend names.
NAMES: tuple[str, ...] = ("redhat", "debian", "suse")

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
    #: respell(new, old): rewrite forest unit *new*, in place, into the
    #: spelling unit *old* (what the files say now) uses for the same thing:
    #: PREFIX for NETMASK, ``address A/P`` for address + netmask. Pure lxml;
    #: called before a redefine is written, so a change touches only the
    #: lines whose meaning changes.
    respell: Callable[[etree._Element, etree._Element], None] | None = None

    @property
    def to_forest_xsl(self) -> str:
        return f"{self.name}-to-forest.xsl"

    @property
    def from_forest_xsl(self) -> str:
        return f"{self.name}-from-forest.xsl"


def _os_ids(root: str) -> list[str]:
    """``ID`` then the ``ID_LIKE`` words of ``<root>/etc/os-release`` (or
    ``usr/lib/os-release``), read through Augeas' Sysconfig lens."""
    from ..aug import AugeasSession
    from ..errors import FileError

    globs = ("/etc/os-release", "/usr/lib/os-release")
    try:
        with AugeasSession(root, (Transform("Sysconfig.lns", globs),)) as s:
            for glob in globs:
                ids = s.aug.get(f"/files{glob}/ID")
                if ids is not None:
                    return [ids.lower(), *(s.aug.get(f"/files{glob}/ID_LIKE") or "").lower().split()]
    except FileError:
        pass  # an unreadable os-release does not decide; the file locations may
    return []


def detect(root: str) -> str:
    """The backend for the configuration under *root*.

    os-release decides first (``ID``, then ``ID_LIKE``); then which backend's
    config location exists. Raises :class:`InvalidOperation` naming the
    choices when neither decides.
    """
    import os

    for word in _os_ids(root):
        if word in OS_IDS:
            return OS_IDS[word]
    found = [name for name, rel, is_dir in LOCATIONS
             if (os.path.isdir if is_dir else os.path.isfile)(os.path.join(root, rel))]
    if len(found) == 1:
        return found[0]
    why = f"both {' and '.join(found)} files are present" if found else "no known configuration was found"
    raise InvalidOperation(f"cannot tell which backend to use under {root}: {why}; "
                           f"choose one of {', '.join(NAMES)} (--backend)")


def get(name: str) -> Backend:
    """The backend called *name*; :class:`InvalidOperation` if there is none."""
    if name not in NAMES:
        raise InvalidOperation(f"unknown backend {name!r} (known: {', '.join(NAMES)})")
    return importlib.import_module(f"{__name__}.{name}").BACKEND
