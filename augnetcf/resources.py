"""Where the stylesheets, schemas and lenses live.

In a wheel they travel inside the package (``augnetcf/xslt``,
``augnetcf/lenses``); in a checkout they sit at the top of the tree. Looking
in both places keeps ``pip install .`` and ``pytest`` from a checkout working
from the same code.
"""

from __future__ import annotations

import functools
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@functools.cache
def data_dir(name: str) -> Path:
    """The directory holding data *name* (``"xslt"`` or ``"lenses"``)."""
    for candidate in (_PKG / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"augnetcf data directory {name!r} is missing from the installation")


def xslt_path(filename: str) -> Path:
    return data_dir("xslt") / filename


def lenses_dir() -> Path:
    return data_dir("lenses")
