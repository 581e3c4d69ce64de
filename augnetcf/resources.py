"""Where the stylesheets, schemas and lenses live.

In a wheel they travel inside the package (``augnetcf/xslt``,
``augnetcf/lenses``); in a checkout they sit at the top of the tree. Looking
in both places keeps ``pip install .`` and ``pytest`` from a checkout working
from the same code.
"""

from __future__ import annotations

import functools
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

_PKG = os.path.dirname(os.path.realpath(__file__))


@functools.cache
def data_path(name: str) -> str:
    """The directory holding data *name* (``"xslt"`` or ``"lenses"``), as a
    string: what every command's index check needs, without pathlib's import."""
    for candidate in (os.path.join(_PKG, name), os.path.join(os.path.dirname(_PKG), name)):
        if os.path.isdir(candidate):
            return candidate
    raise FileNotFoundError(f"augnetcf data directory {name!r} is missing from the installation")


# (the engine itself asks data_path: pathlib's import costs a command about 5 ms)
def data_dir(name: str) -> Path:
    """The directory holding data *name* (``"xslt"`` or ``"lenses"``)."""
    from pathlib import Path

    return Path(data_path(name))


def xslt_path(filename: str) -> Path:
    return data_dir("xslt") / filename


def lenses_dir() -> Path:
    return data_dir("lenses")
