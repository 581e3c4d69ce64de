"""augnetcf: network interface configuration through Augeas.

Describe an interface in libvirt-style interface XML; augnetcf turns it into
the distribution's own files (and back) with XSLT and Augeas, editing them in
place so comments and keys it does not own survive.

    >>> import augnetcf
    >>> with augnetcf.Config(root="/", backend="redhat") as cfg:
    ...     for name in cfg.list_interfaces():
    ...         print(cfg.xml_desc(name))
"""

from __future__ import annotations

from .errors import (
    AugnetcfError,
    ErrorCode,
    FileError,
    InternalError,
    InvalidOperation,
    KernelError,
    NotFound,
    Unsupported,
    XMLInvalid,
    XMLParseError,
)
from .version import __version__

TYPE_CHECKING = False  # typing itself is not imported: every command starts here
if TYPE_CHECKING:
    from typing import Any

    from .config import Config, Interface


def __getattr__(name: str) -> Any:
    # Config needs libaugeas; the pure core (schema, xslt) must not, so the
    # engine is imported on first use rather than with the package.
    if name in ("Config", "Interface"):
        from . import config

        return getattr(config, name)
    raise AttributeError(f"module 'augnetcf' has no attribute {name!r}")

__all__ = [
    "AugnetcfError",
    "Config",
    "ErrorCode",
    "FileError",
    "Interface",
    "InternalError",
    "InvalidOperation",
    "KernelError",
    "NotFound",
    "Unsupported",
    "XMLInvalid",
    "XMLParseError",
    "__version__",
]
