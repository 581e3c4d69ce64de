"""Which backend a root uses, and which of its files nothing should write.

Two questions with one rule behind them: augnetcf must never write a file
that the host's network stack will not read, or that something else will
overwrite.

- :func:`detect` picks the backend when none is named: os-release says the
  family, the files present say which of the family's formats is live.
  It refuses rather than guess when two are, or none is.
- :func:`not_ours` says why a file that a write would change belongs to
  something else (cloud-init's generated files, files that say they are
  managed by a tool, the stock ``interfaces`` that says ifupdown was replaced).

Kept out of :mod:`augnetcf.backends` so that a backend module stays data and
imports no Augeas session.
"""

from __future__ import annotations

import glob
import os
import re

from . import backends
from .aug import AugeasSession
from .backends import IN_USE, LOCATIONS, MODERN, NAMES, OS_IDS, Transform
from .errors import FileError, InvalidOperation

_ASSIGNMENT = re.compile(r"^[ \t]*[A-Za-z_][A-Za-z0-9_]*=.*$", re.MULTILINE)
_LOOPBACK_ONLY = backends._LOOPBACK_ONLY
_STANZA = re.compile(rb"^[ \t]*iface[ \t]+(?!lo[ \t])\S", re.MULTILINE)

#: What the stock ``/etc/network/interfaces`` of Ubuntu since 17.10 says: no
#: ifupdown reads it (netplan does the work).
_REPLACED = re.compile(rb"ifupdown has been replaced by netplan", re.IGNORECASE)


def os_ids(root: str) -> list[str]:
    """``ID`` then the ``ID_LIKE`` words of ``<root>/etc/os-release`` (or
    ``usr/lib/os-release``), read through Augeas' Sysconfig lens. A file the
    lens rejects as a whole is read again without its lines that are not
    assignments, as os-release(5) readers do: one stray line does not hide the ID."""
    globs = ("/etc/os-release", "/usr/lib/os-release")
    try:
        with AugeasSession(root, (Transform("Sysconfig.lns", globs),)) as s:
            for pattern in globs:
                tree = f"/files{pattern}"
                path = os.path.join(s.root, pattern.lstrip("/"))
                if not s.aug.match(tree) and os.path.isfile(path):
                    s.check_inside(path)
                    with open(path, "rb") as f:
                        text = f.read(1 << 16).decode(errors="replace")
                    s.aug.set("/augnetcf/os-release", "".join(m + "\n" for m in _ASSIGNMENT.findall(text)))
                    tree = "/augnetcf/os-release-tree"
                    try:
                        s.aug.text_store("Sysconfig.lns", "/augnetcf/os-release", tree)
                    except (ValueError, RuntimeError):
                        continue
                ids = s.aug.get(f"{tree}/ID")
                if ids is not None:
                    return [ids.lower(), *(s.aug.get(f"{tree}/ID_LIKE") or "").lower().split()]
    except (FileError, OSError):
        pass  # an unreadable os-release does not decide; the file locations may
    return []


def _head(path: str, size: int = 1 << 20) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(size)
    except OSError:
        return b""


def in_use(root: str, backend: str) -> bool:
    """Whether *root* holds live configuration of *backend* beyond loopback."""
    for pattern in IN_USE[backend]:
        for path in glob.glob(os.path.join(glob.escape(root), pattern)):
            if not os.path.isfile(path) or _LOOPBACK_ONLY.fullmatch(os.path.basename(path)):
                continue
            if backend != "debian":
                return True
            if _STANZA.search(_head(path)):
                return True
    return False


def _netplan_installed(root: str) -> bool:
    """netplan is there to read files, though none exists yet."""
    return os.path.isdir(os.path.join(root, "etc/netplan")) or any(
        os.path.exists(os.path.join(root, p)) for p in ("usr/sbin/netplan", "usr/share/netplan"))


def detect(root: str) -> str:
    """The backend for the configuration under *root*.

    os-release decides first (``ID``, then ``ID_LIKE``) which family the
    host is. Within a family the files decide: the one format whose files
    are there (Fedora: ``ifcfg`` or keyfiles; Debian and Ubuntu:
    ``interfaces`` stanzas other than ``lo``, ``.network`` files or netplan
    YAML); with two, detection refuses rather than guess. With none, the
    family's classic backend, except on Ubuntu with netplan installed (its
    ``interfaces`` says ifupdown was replaced), which is ``netplan``. Without
    a known os-release, the one backend whose location or files exist.
    Raises :class:`InvalidOperation` naming the choices when nothing decides.
    """
    ids = os_ids(root)
    for word in ids:
        if word not in OS_IDS:
            continue
        classic = OS_IDS[word]
        live = [b for b in (classic, *(m for m, c in MODERN.items() if c == classic)) if in_use(root, b)]
        if len(live) == 1:
            return live[0]
        if len(live) > 1:
            raise InvalidOperation(f"cannot tell which backend to use under {root}: "
                                   f"{' and '.join(live)} files are all present; choose one with --backend")
        interfaces = os.path.join(root, "etc/network/interfaces")
        replaced = _REPLACED.search(_head(interfaces, 1 << 16)) is not None
        if classic == "debian" and (replaced or "ubuntu" in ids) and _netplan_installed(root):
            return "netplan"
        return classic
    found = [name for name, rel, is_dir in LOCATIONS
             if (os.path.isdir if is_dir else os.path.isfile)(os.path.join(root, rel))]
    found += [name for name in MODERN if in_use(root, name)]
    if len(found) == 1:
        return found[0]
    why = f"both {' and '.join(found)} files are present" if found else "no known configuration was found"
    raise InvalidOperation(f"cannot tell which backend to use under {root}: {why}; "
                           f"choose one of {', '.join(NAMES)} (--backend)")


# -- files that are not augnetcf's to write -------------------------------------

#: Lines near the top of a file that say something else writes it. cloud-init's
#: own words (netplan/ENI, and ifcfg), then the usual warnings of tools.
_CLOUD_INIT = re.compile(rb"generated from information provided by the datasource"
                         rb"|created by cloud-init", re.IGNORECASE)
_MANAGED = re.compile(rb"^[ \t]*[#;].*\b(?:do not edit|managed by (?:puppet|ansible|salt|chef)"
                      rb"|this file is managed)\b.*$", re.IGNORECASE | re.MULTILINE)


def cloud_init_network_disabled(root: str) -> bool:
    """Whether cloud-init is told not to write network configuration
    (``network: {config: disabled}`` in ``etc/cloud/cloud.cfg`` or a file of
    ``cloud.cfg.d``), so that the files it generated once are the admin's now."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    paths = [os.path.join(root, "etc/cloud/cloud.cfg"),
             *sorted(glob.glob(os.path.join(glob.escape(root), "etc/cloud/cloud.cfg.d/*.cfg")))]
    disabled = False
    for path in paths:  # later files override earlier ones, as cloud-init merges them
        text = _head(path)
        if not text:
            continue
        try:
            data = YAML(typ="safe", pure=True).load(text.decode(errors="replace"))
        except YAMLError:
            continue
        network = data.get("network") if isinstance(data, dict) else None
        if isinstance(network, dict) and "config" in network:
            disabled = network["config"] == "disabled"
    if os.path.exists(os.path.join(root, "etc/cloud/cloud-init.disabled")):
        disabled = True
    return disabled


def not_ours(root: str, path: str) -> str:
    """Why augnetcf must not write the existing file *path* (under *root*):
    "" when nothing says so. Looks at the file's first lines only."""
    head = _head(path, 4096)
    if not head:
        return ""
    top = b"\n".join(head.split(b"\n")[:12])
    if _CLOUD_INIT.search(top) and not cloud_init_network_disabled(root):
        return ("is generated by cloud-init, which writes it again from the datasource; disable "
                "cloud-init's network configuration first (a file in /etc/cloud/cloud.cfg.d/ saying "
                "network: {config: disabled}), and the file is yours to change")
    managed = _MANAGED.search(top)
    if managed:
        return f"says it is written by another tool ({managed.group(0).decode(errors='replace').strip()})"
    if os.path.basename(path) == "interfaces" and _REPLACED.search(top):
        return "says ifupdown was replaced by netplan on this host: nothing reads it"
    return ""
