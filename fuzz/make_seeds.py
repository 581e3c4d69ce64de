"""(Re)write the fuzz_files seed corpora from the test data, one seed per file.

    python fuzz/make_seeds.py

Each seed is the backend's selector digit (fuzzlib.py) and then the file:

    files-redhat/  0 + netcf's Red Hat ifcfg-* files
    files-debian/  1 + netcf's Debian interfaces file
    files-suse/    2 + tests/data/suse-fsroot's ifcfg-* files and netcf's SUSE ifcfg-* files;
                   2 + NUL + suse-fsroot's routes file (an empty ifcfg, then routes)
    files-nm-keyfile/, files-networkd/  3 and 4 + what augnetcf writes (below); for
                   networkd one seed per interface: .network, NUL, .netdev

and, in each, ``defined-CASE-FILE``: the files augnetcf itself writes when it
defines netcf's interface XML (tests/data/netcf/interface/CASE.xml) on an
empty root of that backend (for suse, also ``ifcfg-X`` + NUL + ``routes``
when a routes file was written, its lines naming fuzz0). These need libaugeas.

fuzz/corpus/xml (fuzz_xml, fuzz_roundtrip) is selector + interface XML; it
grows by hand and from fuzzing, and is not written here.
"""

from __future__ import annotations

import re
from pathlib import Path

import fuzzlib
from fuzzlib import SELECTOR

import augnetcf

FUZZ = Path(__file__).resolve().parent
DATA = FUZZ.parent / "tests" / "data"
NETCF = DATA / "netcf"
SUSE = DATA / "suse-fsroot" / "etc" / "sysconfig" / "network"


def seeds() -> dict[str, dict[str, bytes]]:
    """Corpus directory -> seed name -> bytes."""
    out: dict[str, dict[str, bytes]] = {f"files-{b}": {} for b in fuzzlib.BACKENDS}
    for path in sorted((NETCF / "redhat/fsroot/etc/sysconfig/network-scripts").glob("ifcfg-*")):
        out["files-redhat"][f"netcf-{path.name}"] = SELECTOR["redhat"] + path.read_bytes()
    out["files-debian"]["netcf-interfaces"] = \
        SELECTOR["debian"] + (NETCF / "debian/fsroot/etc/network/interfaces").read_bytes()
    for path in sorted(SUSE.glob("ifcfg-*")):
        out["files-suse"][f"suse-{path.name}"] = SELECTOR["suse"] + path.read_bytes()
    out["files-suse"]["suse-routes"] = SELECTOR["suse"] + b"\0" + (SUSE / "routes").read_bytes()
    for path in sorted((NETCF / "suse/fsroot/etc/sysconfig/network-scripts").glob("ifcfg-*")):
        out["files-suse"][f"netcf-{path.name}"] = SELECTOR["suse"] + path.read_bytes()
    for backend in fuzzlib.BACKENDS:
        out[f"files-{backend}"].update(defined(backend))
    return out


def defined(backend: str) -> dict[str, bytes]:
    """Seeds from what augnetcf writes for each of netcf's interface XML cases."""
    out = {}
    conf = fuzzlib.CONFDIR[backend]
    for case in sorted((NETCF / "interface").glob("*.xml")):
        root = fuzzlib.empty_root(backend)
        try:
            with augnetcf.Config(str(root), backend) as cfg:
                try:
                    cfg.define(case.read_bytes(), str(case))
                except (augnetcf.Unsupported, augnetcf.XMLInvalid):
                    continue
            written = {k[len(conf) + 1:]: v for k, v in fuzzlib.files(root).items() if k.startswith(conf)}
        finally:
            fuzzlib.release(root)
        routes = written.pop("routes", None)
        if backend == "networkd":
            out.update(networkd_seeds(case, written))
            continue
        for name, data in written.items():
            if not data or name.startswith("ifsysctl-"):  # the harness writes no ifsysctl
                continue
            out[f"defined-{case.stem}-{name}"] = SELECTOR[backend] + data
            iface = case_name(case)
            if routes is not None and name == f"ifcfg-{iface}":
                # the harness names the interface fuzz0 (after its file): so must the routes
                mine = re.sub(rb"(?m)\s" + re.escape(iface.encode()) + rb"$", b" fuzz0", routes)
                out[f"defined-{case.stem}-{name}+routes"] = SELECTOR[backend] + data + b"\0" + mine
    return out


def networkd_seeds(case: Path, written: dict[str, bytes]) -> dict[str, bytes]:
    """One seed per interface: its .network, NUL, its .netdev (named fuzz0 as the harness does)."""
    out = {}
    for name, data in written.items():
        if not name.endswith(".network"):
            continue
        iface = name[len("50-augnetcf-"):-len(".network")]
        netdev = written.get(name[:-len(".network")] + ".netdev", b"")
        name_line = rb"(?m)^Name=" + re.escape(iface.encode()) + rb"$"
        network, netdev = (re.sub(name_line, b"Name=fuzz0", d) for d in (data, netdev))
        more = b"\0" + netdev if netdev else b""
        out[f"defined-{case.stem}-{iface}"] = SELECTOR["networkd"] + network + more
    return out


def case_name(case: Path) -> str:
    from lxml import etree

    return etree.parse(str(case)).getroot().get("name", "")


def main() -> None:
    for corpus, entries in seeds().items():
        directory = FUZZ / "corpus" / corpus
        directory.mkdir(parents=True, exist_ok=True)
        for name, data in entries.items():
            (directory / name).write_bytes(data)
        print(f"{directory.relative_to(FUZZ.parent)}: {len(entries)} seeds")


if __name__ == "__main__":
    main()
