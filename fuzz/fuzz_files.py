"""Fuzz the readers: configuration file bytes -> Augeas -> forest -> interface XML.

Input: one selector byte, then the bytes of one configuration file.
The first byte picks the backend (see fuzzlib.py; seeds start with ASCII
``0`` redhat, ``1`` debian, ``2`` suse, ``3`` nm-keyfile, ``4`` networkd), and
the file is written where that backend reads it, in an otherwise empty root:

    redhat      etc/sysconfig/network-scripts/ifcfg-fuzz0
    debian      etc/network/interfaces
    suse        etc/sysconfig/network/ifcfg-fuzz0, and, if the payload holds a
                NUL byte, what follows the first NUL is etc/sysconfig/network/routes
    nm-keyfile  etc/NetworkManager/system-connections/fuzz0.nmconnection
    networkd    etc/systemd/network/fuzz0.network; after a first NUL,
                fuzz0.netdev; after a second, the drop-in fuzz0.network.d/fuzz.conf

Then ``Config(root, backend).list_interfaces()`` and ``xml_desc`` of each
interface listed. The only acceptable failures are augnetcf's own errors
(``AugnetcfError``: a file the lens cannot parse, one no interface XML can
describe, ...). Any other exception is a finding. The root is one scratch
directory per process, emptied after every input.

    python fuzz/fuzz_files.py -max_total_time=60 fuzz/corpus/files-redhat \\
        fuzz/corpus/files-debian fuzz/corpus/files-suse
"""

from __future__ import annotations

import sys

import fuzzlib

import augnetcf

#: Where the payload goes, per backend, under the root.
TARGET = {
    "redhat": "etc/sysconfig/network-scripts/ifcfg-fuzz0",
    "debian": "etc/network/interfaces",
    "suse": "etc/sysconfig/network/ifcfg-fuzz0",
    "nm-keyfile": "etc/NetworkManager/system-connections/fuzz0.nmconnection",
    "networkd": "etc/systemd/network/fuzz0.network",
}
SUSE_ROUTES = "etc/sysconfig/network/routes"
NETWORKD_MORE = ("etc/systemd/network/fuzz0.netdev", "etc/systemd/network/fuzz0.network.d/fuzz.conf")


def lay_out(backend: str, payload: bytes) -> dict[str, bytes]:
    """The files (path under the root -> bytes) an input stands for."""
    if backend == "suse":
        ifcfg, sep, routes = payload.partition(b"\0")
        return {TARGET[backend]: ifcfg, **({SUSE_ROUTES: routes} if sep else {})}
    if backend == "networkd":
        parts = payload.split(b"\0", 2)
        return dict(zip((TARGET[backend], *NETWORKD_MORE), parts))
    return {TARGET[backend]: payload}


def check(backend: str, layout: dict[str, bytes]) -> None:
    root = fuzzlib.scratch_root()
    try:
        for rel, content in layout.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        try:
            with augnetcf.Config(str(root), backend) as cfg:
                for name in cfg.list_interfaces():
                    cfg.xml_desc(name)
        except augnetcf.AugnetcfError:
            pass
    finally:
        fuzzlib.release(root)


def one_input(data: bytes) -> None:
    picked = fuzzlib.split(data)
    if picked is not None:
        check(picked[0], lay_out(*picked))


def main() -> None:
    import atheris

    fuzzlib.quiet()
    atheris.instrument_func(one_input)
    fuzzlib.import_engine()  # before instrument_all: augnetcf imports its modules on first use
    atheris.instrument_all()
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
