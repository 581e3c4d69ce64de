"""What the fuzz harnesses share: the backend selector byte and a scratch root.

Every harness reads its first input byte as a backend selector: the ASCII
digits ``0`` to ``4`` pick redhat, debian, suse, nm-keyfile and networkd, and
any other byte picks ``BACKENDS[byte % 5]`` (so the bytes 0x00 to 0x04 pick
them in the same order). The rest of the input is the harness' payload. Seeds
are kept that way on disk, readable in an editor; seeds written when there
were three backends (digits ``0`` to ``2``) keep their meaning.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

BACKENDS = ("redhat", "debian", "suse", "nm-keyfile", "networkd")

#: Where each backend keeps its configuration, under the root.
CONFDIR = {"redhat": "etc/sysconfig/network-scripts", "debian": "etc/network",
           "suse": "etc/sysconfig/network", "nm-keyfile": "etc/NetworkManager/system-connections",
           "networkd": "etc/systemd/network"}

#: The digit a seed starts with to select each backend.
SELECTOR = {name: str(i).encode() for i, name in enumerate(BACKENDS)}


def quiet() -> None:
    """Keep augnetcf's warnings (a file left out, ...) off the fuzzer's output."""
    logging.getLogger("augnetcf").addHandler(logging.NullHandler())


def split(data: bytes) -> tuple[str, bytes] | None:
    """(backend, payload) of a fuzz input; ``None`` for the empty input."""
    if not data:
        return None
    first = data[0]
    digit = first - ord("0")
    index = digit if 0 <= digit < len(BACKENDS) else first % len(BACKENDS)
    return BACKENDS[index], data[1:]


_SCRATCH: str | None = None


def scratch_root() -> Path:
    """This process' scratch directory, created empty; release() it after the input.

    The same path serves every input of a process. It is removed after each
    one rather than at exit, because libFuzzer ends the process with C exit(),
    which runs no Python clean-up.
    """
    global _SCRATCH
    if _SCRATCH is not None:
        try:
            os.mkdir(_SCRATCH, 0o700)  # never follows a symlink someone put there
            return Path(_SCRATCH)
        except FileExistsError:
            pass
    _SCRATCH = tempfile.mkdtemp(prefix="augnetcf-fuzz-")
    return Path(_SCRATCH)


def release(root: Path) -> None:
    """Remove the scratch directory and everything in it."""
    shutil.rmtree(root)


def empty_root(backend: str) -> Path:
    """A fresh scratch root holding an empty configuration for *backend*."""
    root = scratch_root()
    (root / CONFDIR[backend]).mkdir(parents=True)
    if backend == "debian":
        (root / CONFDIR[backend] / "interfaces").write_bytes(b"")
    return root


def files(root: Path) -> dict[str, bytes]:
    """Every regular file under *root*: relative path -> bytes."""
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                out[str(path.relative_to(root))] = path.read_bytes()
    return dict(sorted(out.items()))


def import_engine() -> None:
    """Import every module of the engine and every backend now. augnetcf
    imports them on first use (augnetcf._lazy), and atheris.instrument_all()
    instruments only the modules already loaded: call this before it."""
    import importlib

    from augnetcf import backends

    for name in ("aug", "config", "forest", "index", "inet", "macs", "minimal", "resolve", "schema", "txn",
                 "xslt"):
        importlib.import_module(f"augnetcf.{name}")
    for name in backends.NAMES:
        backends.get(name)
