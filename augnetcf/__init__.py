"""augnetcf: network interface configuration through Augeas.

Describe an interface in libvirt-style interface XML; augnetcf turns it into
the distribution's own files (and back) with XSLT and Augeas, editing them in
place so comments and keys it does not own survive.

    >>> import augnetcf
    >>> with augnetcf.Config(root="/", backend="redhat") as cfg:
    ...     for name in cfg.list_interfaces():
    ...         print(cfg.xml_desc(name))
"""

from .config import Config, Interface
from .errors import (
    AugnetcfError,
    ErrorCode,
    FileError,
    InternalError,
    InvalidOperation,
    NotFound,
    XMLInvalid,
    XMLParseError,
)

__version__ = "0.1.0"

__all__ = [
    "AugnetcfError",
    "Config",
    "ErrorCode",
    "FileError",
    "Interface",
    "InternalError",
    "InvalidOperation",
    "NotFound",
    "XMLInvalid",
    "XMLParseError",
    "__version__",
]
