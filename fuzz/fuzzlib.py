"""What the fuzz harnesses share: the backend selector byte and a scratch root.

Every harness reads its first input byte as a backend selector:

    backend = BACKENDS[data[0] % 3]      # 0 redhat, 1 debian, 2 suse

so a seed that starts with the ASCII digit ``0``, ``1`` or ``2`` (or the byte
0x00, 0x01 or 0x02) is for redhat, debian or suse; the rest of the input is the
harness' payload. Seeds are kept that way on disk, readable in an editor.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

BACKENDS = ("redhat", "debian", "suse")

#: Where each backend keeps its configuration, under the root.
CONFDIR = {"redhat": "etc/sysconfig/network-scripts", "debian": "etc/network",
           "suse": "etc/sysconfig/network"}

#: The digit a seed starts with to select each backend.
SELECTOR = {name: str(i).encode() for i, name in enumerate(BACKENDS)}


def quiet() -> None:
    """Keep augnetcf's warnings (a file left out, ...) off the fuzzer's output."""
    logging.getLogger("augnetcf").addHandler(logging.NullHandler())


def split(data: bytes) -> tuple[str, bytes] | None:
    """(backend, payload) of a fuzz input; ``None`` for the empty input."""
    if not data:
        return None
    return BACKENDS[data[0] % len(BACKENDS)], data[1:]


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
