"""netcf's transactions on a :class:`~augnetcf.config.Config`.

:mod:`augnetcf.txn` keeps a root's lock, journal and snapshots and knows
nothing of interfaces; this module runs netcf's change-begin, -commit,
-rollback and boot-time recovery on a configuration, under its write lock,
and after a rollback brings the kernel back to the restored configuration
(:func:`restart`), for which it compares every interface's description
before and after. Functions over a Config rather than methods, as
:mod:`augnetcf.share` is: the façade delegates to them and stays small.
"""

from __future__ import annotations

from . import txn
from ._lazy import lazy, logger
from .errors import AugnetcfError, InvalidOperation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .config import Config

edit = lazy("augnetcf.edit", globals())
etree = lazy("lxml.etree", globals(), also=("augnetcf.xslt",))
minimal = lazy("augnetcf.minimal", globals())
xslt = lazy("augnetcf.xslt", globals())

log = logger("augnetcf", globals())


def begin(cfg: Config, timeout: float | None) -> txn.Transaction:
    """:meth:`Config.change_begin`."""
    with cfg._lock.exclusive(), txn.os_errors(cfg.root):
        txn.recover_journal(cfg.root)
        t = txn.begin(cfg.root, cfg.backend.name, cfg.owned_files(), timeout)
        if timeout is not None:
            try:
                txn.set_watcher(cfg.root, t, txn.spawn_watcher(cfg.root, cfg.backend.name, t.id))
            except BaseException:
                txn.drop(cfg.root)
                raise
    return t


def commit(cfg: Config) -> None:
    """:meth:`Config.change_commit`."""
    with cfg._lock.exclusive(), txn.os_errors(cfg.root):
        _open_transaction(cfg, "commit")
        txn.drop(cfg.root)


def rollback(cfg: Config) -> list[str]:
    """:meth:`Config.change_rollback`."""
    with cfg._lock.exclusive(), txn.os_errors(cfg.root):
        txn.recover_journal(cfg.root)
        return _rollback(cfg, _open_transaction(cfg, "roll back"), restart=True)


def rollback_expired(cfg: Config, txn_id: str) -> bool:
    """:meth:`Config.change_rollback_expired`."""
    with cfg._lock.exclusive(), txn.os_errors(cfg.root):
        txn.recover_journal(cfg.root)
        t = txn.current(cfg.root)
        if t is None or t.id != txn_id:
            return False
        _rollback(cfg, t, restart=True)
        return True


def recover(cfg: Config) -> tuple[str | None, str | None]:
    """:meth:`Config.change_recover`."""
    with cfg._lock.exclusive(), txn.os_errors(cfg.root):
        outcome = txn.recover_journal(cfg.root)
        t = txn.current(cfg.root)
        if t is None:
            return outcome, None
        _check_backend(cfg, t)
        where = txn.archive(cfg.root, cfg.owned_files())
        _rollback(cfg, t, restart=False)
        return outcome, where


def _open_transaction(cfg: Config, verb: str) -> txn.Transaction:
    t = txn.require(cfg.root, verb)
    _check_backend(cfg, t)
    return t


def _check_backend(cfg: Config, t: txn.Transaction) -> None:
    if t.backend != cfg.backend.name:
        raise InvalidOperation(f"the open transaction was begun with the {t.backend} backend, "
                               f"not {cfg.backend.name} (use --backend {t.backend})", file=cfg.root)


def _rollback(cfg: Config, t: txn.Transaction, restart: bool) -> list[str]:
    before = descriptions(cfg) if restart else {}
    changed = txn.restore(cfg.root, t, cfg.owned_files())
    txn.drop(cfg.root)
    if restart and changed:
        after = descriptions(cfg)
        names = sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))
        txn.restart_changed_interfaces(cfg.root, cfg.backend.name, names)
        restart_kernel(cfg.root, names, before, after)
    return changed


def restart_kernel(root: str, names: list[str], before: dict[str, bytes], after: dict[str, bytes]) -> None:
    """After a rollback, bring the kernel back to the restored configuration:
    each changed top-level interface that is up goes down as the rolled-back
    description had it (deleting the devices it made) and up as the restored
    one says. Only where the configuration describes this kernel: root ``/``,
    or any root from inside a network namespace of its own (never the
    host's interfaces for a root that is a copy). Failures are logged: the
    files are back either way."""
    from .kernel import kernel_is_ours

    if not names or not kernel_is_ours(root):
        return
    try:
        from . import kernel

        snap = kernel.snapshot()
    except (ImportError, AugnetcfError, OSError) as e:
        log.warning("cannot restart %s after the rollback: %s", " ".join(names), e)
        return
    docs = {}
    for which, descs in (("before", before), ("after", after)):
        for n in names:
            try:
                docs[which, n] = etree.fromstring(descs[n]) if n in descs else None
            except etree.XMLSyntaxError:  # no description, just why (an error message)
                docs[which, n] = None
    ports = {p.get("name") for d in docs.values() if d is not None for p in d.iter("interface")
             if p.getparent() is not None}
    for n in names:
        if n in ports or kernel.status(snap, n) != "active":
            continue
        try:
            if docs["before", n] is not None:
                kernel.ifdown(kernel.plan(docs["before", n]))
            if docs["after", n] is not None:
                for warning in kernel.ifup(kernel.plan(docs["after", n])):
                    log.warning("%s", warning)
            log.info("restarted %s after the rollback", n)
        except (AugnetcfError, OSError) as e:
            log.warning("cannot restart %s after the rollback: %s", n, e)


def descriptions(cfg: Config) -> dict[str, bytes]:
    """Every interface's description in canonical form (or why it has none)."""
    snap = cfg._snapshot()
    if cfg.index is not None:  # every interface's elements
        snap = cfg._snapshot(list(snap.units), refresh=False)
    out = {}
    for name in snap.units:
        try:
            doc = xslt.from_forest(edit.subforest(snap.owned(name)), cfg.backend, name)
            out[name] = minimal.canonical(doc)
        except AugnetcfError as e:
            out[name] = str(e).encode()
    return out
