"""One exception hierarchy for everything augnetcf raises on purpose.

Every class carries a netcf-like :class:`ErrorCode` and also subclasses the
builtin it resembles, so callers may catch ``LookupError`` or ``ValueError``
without importing augnetcf, or catch :class:`AugnetcfError` to get them all.
The message always says what was wrong and where: the file (and line, when
known) for configuration and XML problems.
"""

from __future__ import annotations

import enum


class ErrorCode(str, enum.Enum):
    """netcf's error codes, spelled for humans and JSON."""

    XML_PARSE = "xml-parse"
    XML_INVALID = "xml-invalid"
    NOT_FOUND = "not-found"
    FILE = "file"
    INVALID_OP = "invalid-operation"
    UNSUPPORTED = "unsupported"
    INTERNAL = "internal"
    KERNEL = "kernel"


class AugnetcfError(Exception):
    """Base of every error augnetcf raises deliberately.

    ``where`` names the file (optionally ``FILE:LINE``) the error is about, so
    that the message can be printed the way compilers print theirs.
    """

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(str(self))

    @property
    def where(self) -> str | None:
        if self.file is None:
            return None
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        # One line, whatever the input: control characters are shown escaped.
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class XMLParseError(AugnetcfError, ValueError):
    """Raised when an interface description is not well-formed XML, is not
    UTF-8, is empty, too large, or carries a DTD or entity declarations."""

    code = ErrorCode.XML_PARSE


class XMLInvalid(AugnetcfError, ValueError):
    """Raised when well-formed XML is not a valid interface description: it
    fails the RelaxNG schema, names an interface the kernel would refuse, or
    contradicts itself (the same name twice)."""

    code = ErrorCode.XML_INVALID


class Unsupported(AugnetcfError, ValueError):
    """Raised by define when a valid description says something the backend's
    files cannot express (Debian has no per-interface ``peerdns``, say);
    nothing is dropped silently, and nothing is written. Raised by dumpxml
    when the files say something no description can say faithfully (a
    keyfile's gateway without an address, which NetworkManager rejects):
    printing less would let a define of the output rewrite the files."""

    code = ErrorCode.UNSUPPORTED


class NotFound(AugnetcfError, LookupError):
    """Raised when no defined interface has the requested name or MAC."""

    code = ErrorCode.NOT_FOUND


class FileError(AugnetcfError, OSError):
    """Raised when a configuration file or the root cannot be read, parsed by
    its Augeas lens, or written; the message names the file and Augeas' reason."""

    code = ErrorCode.FILE


class InvalidOperation(AugnetcfError, RuntimeError):
    """Raised when an operation is not allowed in the current state, such as
    using a configuration after it was closed or asking for an unknown backend."""

    code = ErrorCode.INVALID_OP


class InternalError(AugnetcfError, RuntimeError):
    """Raised when augnetcf itself misbehaves, for instance when a stylesheet
    produces output that breaks the forest contract. Always a bug to report."""

    code = ErrorCode.INTERNAL


class KernelError(AugnetcfError, OSError):
    """Raised by the kernel layer (status, live state, ifup, ifdown): the
    kernel refused a change, a device the configuration names is missing or of
    another type, the DHCP client failed, or after ifup the kernel still
    differs from the configuration (the message names each difference)."""

    code = ErrorCode.KERNEL
