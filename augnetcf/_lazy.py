"""Modules imported on first use, so a command pays only for what it runs.

``augnetcf --version`` needs argparse and nothing else; ``list`` answers
from the index's facts and needs neither libaugeas, lxml nor netaddr. Yet
the engine's modules name those at the top, as modules do. ``lazy(name,
globals())`` binds a stand-in that imports *name* on its first attribute
access and then puts the real module in its place in the importing
module's namespace, so every later use is an ordinary global lookup: no
cost once loaded, and none at all for a command that never touches it.
"""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from collections.abc import Callable
    from types import ModuleType


class _Lazy:
    __slots__ = ("_module", "_namespace", "_as", "_also")

    def __init__(self, module: str, namespace: dict, as_: str, also: tuple[str, ...]):
        self._module = module
        self._namespace = namespace
        self._as = as_
        self._also = also

    def __getattr__(self, attr: str) -> object:
        module = importlib.import_module(self._module)
        for other in self._also:
            importlib.import_module(other)
        if self._namespace.get(self._as) is self:
            self._namespace[self._as] = module
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._module!r}>"


def lazy(module: str, namespace: dict, as_: str | None = None, also: tuple[str, ...] = ()) -> ModuleType:
    """A stand-in for module *module* (absolute name), to be bound in
    *namespace* (the caller's ``globals()``) as *as_* (default: the last
    component of *module*); it replaces itself there on first use. The
    modules *also* are imported with it: lxml with :mod:`augnetcf.xslt`, so
    that no backend XPath runs before its extension functions are registered."""
    return _Lazy(module, namespace, as_ or module.rpartition(".")[2], also)  # type: ignore[return-value]


#: Callables run with the logging module once a stand-in logger first needs it.
_LOGGING_SETUP: list = []


class _LazyLogger:
    __slots__ = ("_name", "_namespace", "_as")

    def __init__(self, name: str, namespace: dict, as_: str):
        self._name = name
        self._namespace = namespace
        self._as = as_

    def debug(self, *args: object, **kwargs: object) -> None:
        """Nothing, while the logging module is not loaded: no one can have
        asked for debug records then (a level below WARNING is set through
        it), and importing it would cost every command about 5 ms."""
        if "logging" in sys.modules:
            self.__getattr__("debug")(*args, **kwargs)

    def info(self, *args: object, **kwargs: object) -> None:
        """Nothing, while the logging module is not loaded (see :meth:`debug`)."""
        if "logging" in sys.modules:
            self.__getattr__("info")(*args, **kwargs)

    def __getattr__(self, attr: str) -> object:
        import logging

        while _LOGGING_SETUP:
            _LOGGING_SETUP.pop(0)(logging)
        real = logging.getLogger(self._name)
        if self._namespace.get(self._as) is self:
            self._namespace[self._as] = real
        return getattr(real, attr)


def logger(name: str, namespace: dict, as_: str = "log") -> logging.Logger:
    """``logging.getLogger(name)``, bound in *namespace* as *as_*, with the
    logging module imported (and set up, see :func:`when_logging`) only when
    something is logged: most commands log nothing and would pay for its
    import (logging, traceback, threading) on every run."""
    return _LazyLogger(name, namespace, as_)  # type: ignore[return-value]


def when_logging(setup: Callable[[ModuleType], None]) -> None:
    """Run ``setup(logging)`` now if logging is loaded, else when a stand-in
    logger first needs it (the command's ``basicConfig``)."""
    if "logging" in sys.modules:
        setup(sys.modules["logging"])
    else:
        _LOGGING_SETUP.append(setup)
