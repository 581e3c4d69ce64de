"""The kernel side of :class:`~augnetcf.config.Config`: status, live state,
ifup, ifdown and diff.

:mod:`augnetcf.kernel` knows devices and plans (pyroute2, imported on first
use) and nothing of files; the façade knows files. This module joins them:
it plans from an interface's configured description (refusing a port or
slave, which comes up with its master), and checks that what the kernel
reports can be printed as interface XML. Functions over a Config, as
:mod:`augnetcf.share` is, so that the façade only delegates.
"""

from __future__ import annotations

from ._lazy import lazy
from .errors import InvalidOperation, KernelError, XMLInvalid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .config import Config

etree = lazy("lxml.etree", globals(), also=("augnetcf.xslt",))
schema = lazy("augnetcf.schema", globals())


def plan(cfg: Config, name: str) -> list:
    """The kernel's plan for top-level interface *name*, from its configuration."""
    from . import kernel

    master = cfg._snapshot().masters.get(name)
    if master:
        raise InvalidOperation(f"{name} is configured as a port or slave of {master}: "
                               f"bring {master} up or down instead")
    return kernel.plan(schema.parse(cfg.xml_desc(name), name).getroot())


def statuses(cfg: Config, names: list[str] | None) -> dict[str, str]:
    """:meth:`Config.statuses`."""
    from . import kernel

    snap = kernel.snapshot()
    return {n: kernel.status(snap, n) for n in (cfg.list_interfaces() if names is None else names)}


def xml_state(name: str) -> str:
    """:meth:`Config.xml_state`."""
    from . import kernel

    doc = kernel.describe(kernel.snapshot(), name)
    try:
        schema.validate(etree.ElementTree(doc), f"live state of {name}")
    except XMLInvalid as e:  # what we print, we must accept (a kernel name may be one we refuse)
        raise KernelError(f"{name}: the kernel's state cannot be described as interface XML: "
                          f"{e.message}") from None
    return etree.tostring(doc, pretty_print=True, encoding="unicode")


def ifup(cfg: Config, name: str, timeout: float) -> list[str]:
    """:meth:`Config.ifup`."""
    from . import kernel

    return kernel.ifup(plan(cfg, name), timeout)


def ifdown(cfg: Config, name: str) -> None:
    """:meth:`Config.ifdown`."""
    from . import kernel

    kernel.ifdown(plan(cfg, name))


def diff(cfg: Config, name: str) -> list[str]:
    """:meth:`Config.diff`."""
    from . import kernel

    return kernel.differences(plan(cfg, name), kernel.snapshot())
