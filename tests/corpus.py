"""The corpus of real files (tests/data/corpus): cases, roots, and the checks on them.

A case is a directory of files that sit together on a host; :func:`make_root`
copies it into the backend's configuration directory of a fresh root. The
checks are plain functions, so that the tests and a survey of the whole
corpus (``python tests/corpus.py``, which prints the counts) run the same code:

- :func:`describe`: list and dumpxml every interface; never a crash;
- :func:`redefine_is_noop`: defining what dumpxml printed changes no byte;
- :func:`edit`: one value changed in the XML (MTU, one IPv4 address, the
  start mode) changes only the lines that say it and reads back, or is
  refused cleanly with nothing written.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "data" / "corpus"

#: backend -> (configuration directory under the root, os-release ID)
PLACES = {
    "redhat": ("etc/sysconfig/network-scripts", "rhel"),
    "debian": ("etc/network", "debian"),
    "suse": ("etc/sysconfig/network", "opensuse-leap"),
    "nm-keyfile": ("etc/NetworkManager/system-connections", "fedora"),
    "networkd": ("etc/systemd/network", "debian"),
    "netplan": ("etc/netplan", "ubuntu"),
}

#: The one-value edits: name -> what each backend's changed lines may mention.
#: A line that says something else (and is not blank or a section header)
#: makes the edit larger than its value.
EXPRESSES = {
    "mtu": {"*": r"(?i)\bmtu"},
    "address": {"*": None},  # the old or the new address (filled in per edit)
    "start": {
        "redhat": r"^\s*(ONBOOT|HOTPLUG)=",
        "debian": r"^\s*(auto|allow-\S+)\b",
        "suse": r"^\s*STARTMODE=",
        "nm-keyfile": r"^\s*autoconnect\s*=",
        "networkd": r"^\s*(ActivationPolicy|RequiredForOnline)\s*=",
        "netplan": r"^\s*(activation-mode|optional)\s*:",
    },
}
#: Lines that only frame what an edit says: blank lines, ini section headers,
#: and a YAML mapping's own key line (``eth0:`` / ``eth0: {}``), which turns
#: from one into the other when an edit fills an empty mapping or empties one
#: (netplan needs ``{}``: it refuses a definition that is null).
_LAYOUT_LINE = re.compile(r"^\s*(\[[^\]]*\]\s*)?$|^\s*[^\s#:\[{-][^:#]*:(\s*\{\})?\s*$")


@dataclass(frozen=True)
class Case:
    backend: str
    path: Path

    @property
    def id(self) -> str:
        return str(self.path.relative_to(CORPUS))


def cases() -> list[Case]:
    """Every case of every backend, in a stable order."""
    out = []
    for backend in PLACES:
        for case in sorted((CORPUS / backend).glob("*/*")):
            if case.is_dir():
                out.append(Case(backend, case))
    return out


def make_root(case: Case, root: Path) -> Path:
    """A fresh root holding *case*'s files where its backend reads them."""
    where, os_id = PLACES[case.backend]
    (root / "etc").mkdir(parents=True)
    (root / "etc/os-release").write_text(f"ID={os_id}\n")
    shutil.copytree(case.path, root / where, dirs_exist_ok=True)
    if case.backend == "nm-keyfile":
        for f in (root / where).glob("*.nmconnection"):
            f.chmod(0o600)
    if case.backend == "netplan":
        for f in (root / where).glob("*.yaml"):
            f.chmod(0o600)  # as netplan wants them
    if case.path.parent.name == "cloud-init":
        # files cloud-init generated once, on a host whose admin has since taken them over
        disable = root / "etc/cloud/cloud.cfg.d/99-disable-network-config.cfg"
        disable.parent.mkdir(parents=True)
        disable.write_text("network: {config: disabled}\n")
    return root


def files(root: Path) -> dict[str, bytes]:
    """Every configuration file under *root* (not augnetcf's own state)."""
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            p = Path(dirpath) / n
            rel = str(p.relative_to(root))
            if not rel.startswith("var/"):
                out[rel] = p.read_bytes()
    return out


def changed_lines(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The lines that differ, as ``-line`` and ``+line``, over every file."""
    out = []
    for f in sorted(set(before) | set(after)):
        a = before.get(f, b"").decode(errors="replace").splitlines()
        b = after.get(f, b"").decode(errors="replace").splitlines()
        if a == b and before.get(f) != after.get(f):
            out.append(f"~{f}: final newline")
            continue
        for line in difflib.unified_diff(a, b, lineterm="", n=0):
            if line.startswith(("---", "+++", "@@")):
                continue
            out.append(line)
    return out


def _config(root: Path, backend: str):
    import augnetcf

    return augnetcf.Config(str(root), backend)


def describe(root: Path, backend: str) -> dict[str, str | Exception]:
    """name -> its XML, or the clean error that refused it. A crash (an
    exception that is not augnetcf's, or augnetcf's own InternalError) raises."""
    from augnetcf.errors import AugnetcfError, InternalError

    out: dict[str, str | Exception] = {}
    with _config(root, backend) as cfg:
        for name in cfg.list_interfaces():
            try:
                out[name] = cfg.xml_desc(name)
            except InternalError:
                raise
            except AugnetcfError as e:
                out[name] = e
    return out


def redefine_is_noop(root: Path, backend: str, xml: str) -> list[str]:
    """The lines a define of *xml* (as dumpxml printed it) changes: none, if all is well."""
    before = files(root)
    with _config(root, backend) as cfg:
        cfg.define(xml)
    return changed_lines(before, files(root))


def edits(xml: str) -> Iterator[tuple[str, str, str, str]]:
    """(edit, new XML, old value, new value) for each one-value edit that applies to *xml*."""
    doc = etree.fromstring(xml)
    mtu = doc.find("mtu")
    old_mtu = mtu.get("size") if mtu is not None else ""
    new_mtu = "1400" if old_mtu != "1400" else "1300"
    d = etree.fromstring(xml)
    m = d.find("mtu")
    if m is None:
        m = etree.Element("mtu")
        anchor = d.find("mac") if d.find("mac") is not None else d.find("start")
        if anchor is not None:
            anchor.addnext(m)
        else:
            d.insert(0, m)
    m.set("size", new_mtu)
    yield "mtu", etree.tostring(d, encoding="unicode"), old_mtu, new_mtu
    d = etree.fromstring(xml)
    ip = d.find("protocol[@family='ipv4']/ip")
    if ip is not None:
        old = ip.get("address")
        octets = old.split(".")
        octets[-1] = str((int(octets[-1]) % 250) + 2) if octets[-1] != "252" else "3"
        new = ".".join(octets)
        gw = d.find("protocol[@family='ipv4']/route")
        if gw is not None and gw.get("gateway") == new:
            octets[-1] = str(int(octets[-1]) % 250 + 2)
            new = ".".join(octets)
        ip.set("address", new)
        yield "address", etree.tostring(d, encoding="unicode"), old, new
    d = etree.fromstring(xml)
    start = d.find("start")
    old_mode = start.get("mode") if start is not None else ""
    new_mode = "none" if old_mode == "onboot" else "onboot"
    if start is None:
        start = etree.Element("start")
        d.insert(0, start)
    start.set("mode", new_mode)
    yield "start", etree.tostring(d, encoding="unicode"), old_mode, new_mode


def extra_lines(backend: str, edit: str, lines: list[str], old: str, new: str) -> list[str]:
    """The changed *lines* that do not express *edit*."""
    pattern = EXPRESSES[edit].get(backend, EXPRESSES[edit].get("*"))
    if pattern is None:
        pattern = rf"(?<![\d.]){re.escape(old)}(?![\d.])|(?<![\d.]){re.escape(new)}(?![\d.])"
    return [line for line in lines
            if not re.search(pattern, line[1:]) and not _LAYOUT_LINE.match(line[1:])]


def apply_edit(root: Path, backend: str, name: str, edit: str, xml: str, old: str, new: str) -> str | None:
    """Define the edited *xml*; None when all is well, else what went wrong.

    All is well when the define is refused cleanly and changed nothing, or
    when it changed only lines that express the edit and the edited value
    reads back."""
    from augnetcf.errors import AugnetcfError, InternalError

    before = files(root)
    try:
        with _config(root, backend) as cfg:
            cfg.define(xml)
    except InternalError as e:
        return f"crash: {e}"
    except AugnetcfError:
        lines = changed_lines(before, files(root))
        return f"refused but wrote: {lines}" if lines else None
    lines = changed_lines(before, files(root))
    extra = extra_lines(backend, edit, lines, old, new)
    if extra:
        return f"changed more than the {edit}: {extra}"
    try:
        with _config(root, backend) as cfg:
            back = etree.fromstring(cfg.xml_desc(name))
    except AugnetcfError as e:
        return f"does not read back: {e}"
    got = {"mtu": lambda: (back.find("mtu") is not None and back.find("mtu").get("size")),
           "address": lambda: [ip.get("address") for ip in back.findall("protocol[@family='ipv4']/ip")],
           "start": lambda: (back.find("start") is not None and back.find("start").get("mode"))}[edit]()
    if (new not in got) if isinstance(got, list) else (got != new):
        return f"{edit} reads back as {got!r}, not {new!r}"
    return None


def survey(only: list[str]) -> None:  # pragma: no cover - a report for humans
    import tempfile

    counts: dict[str, int] = {}
    for case in cases():
        if only and case.backend not in only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            root = make_root(case, Path(tmp) / "root")
            try:
                described = describe(root, case.backend)
            except Exception as e:  # noqa: BLE001 - counted and shown
                print(f"CRASH list/dumpxml {case.id}: {e!r}")
                counts["crash"] = counts.get("crash", 0) + 1
                continue
            pristine = files(root)
            for name, xml in described.items():
                if isinstance(xml, Exception):
                    counts["refused dumpxml"] = counts.get("refused dumpxml", 0) + 1
                    print(f"refused {case.id} {name}: {xml}")
                    continue
                try:
                    lines = redefine_is_noop(root, case.backend, xml)
                except Exception as e:  # noqa: BLE001
                    lines = [f"error {e!r}"]
                key = "noop ok" if not lines else "noop BAD"
                counts[key] = counts.get(key, 0) + 1
                if lines:
                    print(f"NOOP {case.id} {name}: {lines}")
                for edit, new_xml, old, new in edits(xml):
                    shutil.rmtree(root)
                    make_root(case, root)
                    try:
                        why = apply_edit(root, case.backend, name, edit, new_xml, old, new)
                    except Exception as e:  # noqa: BLE001
                        why = f"exception {e!r}"
                    key = f"{case.backend} {edit} {'ok' if why is None else 'BAD'}"
                    counts[key] = counts.get(key, 0) + 1
                    if why:
                        print(f"EDIT {case.id} {name} {edit}: {why}")
                shutil.rmtree(root)
                make_root(case, root)
                assert files(root) == pristine
    for k in sorted(counts):
        print(f"{k}: {counts[k]}")


if __name__ == "__main__":  # pragma: no cover
    sys.path.insert(0, str(TESTS))
    survey(sys.argv[1:])  # backends to survey; all without
