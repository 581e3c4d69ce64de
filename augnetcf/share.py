"""Share a NIC with guests: put it under a bridge that takes over its addressing.

The use case augnetcf exists for. A virtualization host has one NIC (or one
bond) carrying its address; guests must sit on the same LAN, so the NIC has
to become a port of a bridge that holds the host's IP configuration. Done by
hand, that strands hosts. :func:`share` does it as one transaction:

1. the bridge's description is built from the NIC's (:func:`bridge_xml`):
   start mode, mtu, every ``<protocol>`` (addresses, gateway, DHCP, autoconf,
   peerdns) move to the bridge; the NIC stays as a bare port with its mac;
2. the bridge is defined inside a transaction (:meth:`Config.transaction`),
   and the bytes of every file the define changes are kept under
   ``<root>/var/lib/augnetcf/shared/<bridge>/`` for :func:`unshare`;
3. the kernel layer brings the bridge up: the NIC becomes its port and its
   addresses and routes move to the bridge in one pass (a DHCP NIC's client
   stops without releasing its lease; the bridge has the NIC's mac, so the
   server gives the bridge the same address);
4. the default gateway (or the host to verify) must answer a ping within
   the timeout.

If anything fails, or the process is interrupted (Ctrl-C, SIGTERM), the
kernel is put back (the bridge goes down and the NIC comes up as it was
configured) and the transaction rolls the files back.

:func:`unshare` reverses it: when the files still hold exactly what share
wrote, it writes back the bytes from before share (byte-identical files);
otherwise it undefines the bridge and defines the NIC from the description
saved at share time (the same meaning, but the files' spelling may differ).

The default bridge name is the first of ``br0``, ``br1``, ... that neither
the configuration nor the kernel uses: the name administrators and libvirt's
documentation expect, and always short enough for the kernel's 15 bytes
(``br-<NIC>`` is not, for names like ``enx001122334455``).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import math
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from . import schema, txn
from .errors import AugnetcfError, InvalidOperation, KernelError, NotFound

if TYPE_CHECKING:
    from .config import Config, FileChange

#: Under the root's state directory: one directory per shared bridge.
SHARED_DIR = "shared"
RECORD = "share.json"
#: The kernel's limit on interface names (IFNAMSIZ - 1).
MAX_NAME = 15


@dataclass
class SharePlan:
    """What a share (or unshare) does, or would do with ``dry_run``."""

    nic: str
    bridge: str
    #: the bridge's interface XML (share), or the NIC's (unshare)
    xml: str
    #: the files it changes, before and after
    changes: list[FileChange]
    #: the host whose answer proves the network still works (None: nothing to ask)
    verify: str | None
    #: what the user must know before saying yes
    warning: str
    #: warnings from bringing it up (no carrier yet...)
    notes: list[str] = field(default_factory=list)


# -- the description ----------------------------------------------------------------------------------------
def bridge_xml(nic_xml: str, bridge: str, stp: bool = False, delay: float = 0.0) -> str:
    """The description of a bridge *bridge* that takes over all of the
    addressing of the interface described by *nic_xml*, with that interface
    as its only, bare port (its mac kept, its start mode, mtu and protocols
    moved to the bridge)."""
    nic = etree.fromstring(nic_xml.encode())
    br = etree.Element("interface", type="bridge", name=bridge)
    port = copy.deepcopy(nic)
    for tag in ("start", "mtu", "protocol"):
        for el in port.findall(tag):
            port.remove(el)
        for el in nic.findall(tag):
            br.append(copy.deepcopy(el))
    port.text = None
    holder = etree.SubElement(br, "bridge", stp="on" if stp else "off", delay=f"{delay:g}")
    holder.append(port)
    etree.indent(br, space="  ")
    return etree.tostring(br, pretty_print=True, encoding="unicode")


def _fit(cfg: Config, br_xml: str) -> str:
    """Drop the port's mac where the backend cannot write one for a port
    (ifupdown has no stanza for it): the kernel keeps the NIC's mac anyway."""
    from .config import XPATH_NS

    doc = etree.fromstring(br_xml.encode())
    [port] = doc.findall("bridge/interface")
    for expr, _why in cfg.backend.limits:
        if port in doc.xpath(expr, namespaces=XPATH_NS) and port.find("mac") is not None:
            port.remove(port.find("mac"))
            return etree.tostring(doc, pretty_print=True, encoding="unicode")
    return br_xml


def nic_xml_from_bridge(br_xml: str) -> str:
    """The inverse of :func:`bridge_xml`: the bridge's only port with the
    bridge's start mode, mtu and protocols. For an unshare without a record."""
    br = etree.fromstring(br_xml.encode())
    ports = br.findall("bridge/interface")
    if len(ports) != 1:
        raise InvalidOperation(f"{br.get('name')} has {len(ports)} ports; unshare needs exactly one "
                               "(the shared NIC)")
    nic = copy.deepcopy(ports[0])
    for tag in ("start", "mtu", "protocol"):
        for el in br.findall(tag):
            nic.append(copy.deepcopy(el))
    etree.indent(nic, space="  ")
    return etree.tostring(nic, pretty_print=True, encoding="unicode")


def _gateway(xml: str) -> str | None:
    doc = etree.fromstring(xml.encode())
    for family in ("ipv4", "ipv6"):
        gw = doc.xpath(f"string(protocol[@family='{family}']/route/@gateway)")
        if gw:
            return gw
    return None


# -- refusals -----------------------------------------------------------------------------------------------
def _default_bridge(cfg: Config, kernel_links: set[str]) -> str:
    defined = set(cfg._snapshot().units)
    return next(f"br{i}" for i in range(1000) if f"br{i}" not in defined and f"br{i}" not in kernel_links)


def _check(cfg: Config, nic: str, bridge: str | None, use_kernel: bool) -> tuple[str, str]:
    """Refuse what share must not do; return (the NIC's XML, the bridge's name)."""
    snap = cfg._snapshot()
    master = snap.masters.get(nic)
    if master:
        raise InvalidOperation(f"{nic} is already a port or slave of {master}; share {master} instead")
    if nic not in snap.units:
        raise cfg._not_found(nic)
    nic_xml = cfg.xml_desc(nic)
    kind = etree.fromstring(nic_xml.encode()).get("type")
    if kind not in ("ethernet", "bond"):
        raise InvalidOperation(f"{nic} is a {kind}: only an ethernet NIC or a bond can be shared")
    for other in snap.top_level():
        if other == nic:
            continue
        try:
            doc = etree.fromstring(cfg.xml_desc(other).encode())
        except AugnetcfError:  # an undescribable neighbour is not ours to judge
            continue
        if doc.xpath("boolean(.//vlan/interface[@name=$n])", n=nic):
            raise InvalidOperation(f"{nic} is the base of vlan {other}: a bridge cannot take it")
    from . import kernel

    try:
        ksnap = kernel.snapshot()
    except (KernelError, ImportError):
        if use_kernel:
            raise
        ksnap = None  # a dry run on a machine without netlink: names from the configuration only
    links: dict[str, object] = dict(ksnap.links) if ksnap else {}
    if use_kernel and ksnap is not None:  # a dry run only plans the files: the NIC may be elsewhere
        link = ksnap.links.get(nic)
        if link is None:
            raise NotFound(f"{nic} is defined but the kernel has no such device")
        if link.master:
            owner = ksnap.by_index(link.master)
            raise InvalidOperation(f"{nic} is already a port or slave of "
                                   f"{owner.name if owner else 'a master'} in the kernel")
        uppers = [lk.name for lk in ksnap.links.values() if lk.kind == "vlan" and lk.lower == link.index]
        if uppers:
            raise InvalidOperation(f"{nic} is the base of vlan {', '.join(sorted(uppers))} in the kernel")
    if bridge is None:
        bridge = _default_bridge(cfg, set(links))
    if not bridge or len(bridge.encode()) > MAX_NAME or "/" in bridge or bridge.strip() != bridge:
        raise InvalidOperation(f"{bridge!r} is not a usable interface name (at most {MAX_NAME} bytes)")
    if bridge in snap.units:
        raise InvalidOperation(f"the name {bridge} is taken: an interface of that name is defined")
    if bridge in links:
        raise InvalidOperation(f"the name {bridge} is taken: the kernel has a device of that name")
    if os.path.exists(_record_dir(cfg.root, bridge)):
        raise InvalidOperation(f"the name {bridge} is taken: {_record_dir(cfg.root, bridge)} "
                               "records an earlier share (unshare it, or remove the directory)")
    return nic_xml, bridge


def warning_text(nic: str, bridge: str, verify: str | None, timeout: float) -> str:
    check = (f"If {verify} does not answer a ping within {timeout:g} s, everything is rolled back."
             if verify else "Nothing is pinged afterwards (no gateway and no --verify HOST).")
    return (f"{nic} becomes a port of bridge {bridge}, which takes over its addresses and routes. "
            f"The link drops briefly while they move; connections through {nic} may stall. {check}")


# -- the record unshare reads -------------------------------------------------------------------------------
def _record_dir(root: str, bridge: str) -> str:
    return os.path.join(txn.state_dir(root), SHARED_DIR, bridge)


def _sha(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _read(root: str, rel: str) -> bytes | None:
    try:
        with open(os.path.join(root, rel), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _save_record(cfg: Config, nic: str, bridge: str, nic_xml: str, br_xml: str,
                 changes: list[FileChange], modes: dict[str, int | None]) -> None:
    files = [{"path": ch.path,
              "before": base64.b64encode(ch.before).decode() if ch.before is not None else None,
              "mode": modes.get(ch.path),
              "after": _sha(_read(cfg.root, ch.path))} for ch in changes]
    record = {"nic": nic, "bridge": bridge, "nic_xml": nic_xml, "bridge_xml": br_xml, "files": files}
    txn.state_dir(cfg.root, create=True)
    d = _record_dir(cfg.root, bridge)
    os.makedirs(d, mode=0o700, exist_ok=True)
    tmp = os.path.join(d, RECORD + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(d, RECORD))
    txn.fsync_dir(d)


def _mode(root: str, rel: str) -> int | None:
    try:
        return os.stat(os.path.join(root, rel)).st_mode & 0o7777
    except FileNotFoundError:
        return None


def _load_record(root: str, bridge: str) -> dict | None:
    path = os.path.join(_record_dir(root, bridge), RECORD)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise InvalidOperation(f"cannot read the record of the share: {e}", file=path) from None


def _drop_record(root: str, bridge: str) -> None:
    shutil.rmtree(_record_dir(root, bridge), ignore_errors=True)


# -- interruption -------------------------------------------------------------------------------------------
@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (and SIGHUP) raise KeyboardInterrupt, like Ctrl-C, so that the
    rollback runs. Only the main thread can install handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    old = {s: signal.signal(s, interrupt) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


# -- verification -------------------------------------------------------------------------------------------
def ping(host: str, timeout: float) -> bool:
    """Whether *host* answers one echo request within *timeout* seconds
    (iputils ping keeps asking until then)."""
    exe = shutil.which("ping") or next((p for p in ("/usr/bin/ping", "/bin/ping") if os.access(p, os.X_OK)),
                                       None)
    if exe is None:
        raise KernelError("verifying needs ping (Debian: iputils-ping)")
    deadline = str(max(1, math.ceil(timeout)))
    try:
        proc = subprocess.run([exe, "-n", "-q", "-c", "1", "-w", deadline, host], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout + 10)
    except subprocess.TimeoutExpired:
        return False
    if proc.returncode not in (0, 1):
        why = proc.stderr.decode(errors="replace").strip().splitlines()
        raise KernelError(f"cannot ping {host}: {why[-1] if why else f'ping exited {proc.returncode}'}")
    return proc.returncode == 0


def _live_gateway(bridge: str) -> str | None:
    """The default gateway the kernel routes through *bridge* (a DHCP one)."""
    from . import kernel

    snap = kernel.snapshot()
    link = snap.links.get(bridge)
    routes = snap.defaults.get(link.index, []) if link else []
    return str(routes[0][1]) if routes else None


# -- share --------------------------------------------------------------------------------------------------
def share(cfg: Config, nic: str, bridge: str | None = None, stp: bool = False, delay: float | None = None,
          verify: str | None = None, timeout: float = 30.0, dry_run: bool = False) -> SharePlan:
    """Make *nic* (an ethernet NIC or a bond) the only port of a new bridge
    (default: the first free ``brN``) that takes over all its addressing,
    as one transaction of *cfg*: define, move addresses and routes in the
    kernel, then ping the gateway (or *verify*) within *timeout* seconds. A
    failure or an interruption rolls back files and kernel. Refuses
    (:class:`NotFound`, :class:`InvalidOperation`) a NIC that is missing,
    already a port, slave or vlan base, and a taken bridge name. *delay*
    (the forward delay) defaults to the shortest the backend can write:
    0, or 2 s on nm-keyfile. With *dry_run*, changes nothing (and does not
    ask the kernel) and returns the plan: the bridge's XML and the file changes.

    A function over a :class:`~augnetcf.config.Config` rather than a method
    of it: share sits on top of the engine, which does not know it."""
    nic_xml, bridge = _check(cfg, nic, bridge, use_kernel=not dry_run)
    if delay is None:
        delay = cfg.backend.min_forward_delay
    br_xml = _fit(cfg, bridge_xml(nic_xml, bridge, stp, delay))
    schema.load(br_xml, f"bridge {bridge}")  # ours, but checked before anything is written
    changes = cfg.plan_define(br_xml, f"bridge {bridge}")
    target = verify or _gateway(nic_xml)
    plan = SharePlan(nic, bridge, br_xml, changes, target, warning_text(nic, bridge, target or (
        "the default gateway" if _dhcp(nic_xml) else None), timeout))
    if dry_run:
        return plan

    from . import kernel

    nic_wants = kernel.plan(schema.parse(nic_xml, nic).getroot())
    br_wants = kernel.plan(schema.parse(br_xml, bridge).getroot())
    modes = {ch.path: _mode(cfg.root, ch.path) for ch in changes}
    with _sigterm_interrupts(), cfg.transaction():
        try:
            cfg.define(br_xml, f"bridge {bridge}")
            _save_record(cfg, nic, bridge, nic_xml, br_xml, changes, modes)
            try:
                top = nic_wants[-1]
                for family in [f for f, on in ((4, top.dhcp4), (6, top.dhcp6)) if on]:
                    kernel.dhcp_stop(nic, family)  # no release: the bridge asks for the same lease
                plan.notes = kernel.ifup(br_wants, timeout)
                target = target or _live_gateway(bridge)
                plan.verify = target
                if target and not ping(target, timeout):
                    raise KernelError(f"{target} did not answer through {bridge} within {timeout:g} s; "
                                      f"{nic} is back as it was")
                if not target:
                    plan.notes.append(f"nothing verified: {bridge} has no default gateway and no "
                                      "host to verify was given")
            except BaseException:
                _restore_kernel(br_wants, nic_wants, timeout)
                raise
        except BaseException:
            _drop_record(cfg.root, bridge)
            raise
    return plan


def _dhcp(nic_xml: str) -> bool:
    return bool(etree.fromstring(nic_xml.encode()).xpath("boolean(protocol/dhcp)"))


def _restore_kernel(down: list, up: list, timeout: float) -> None:
    """Best effort, whatever interrupted us: take *down* down, bring *up* up."""
    from . import kernel

    with _signals_held():
        with contextlib.suppress(Exception):
            kernel.ifdown(down)
        with contextlib.suppress(Exception):
            kernel.ifup(up, timeout)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """A second Ctrl-C or SIGTERM must not cut the rollback short: ignore
    them while it runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def later(_signum: int, _frame: object) -> None:  # not SIG_IGN: a dhclient started now would inherit it
        pass

    old = {s: signal.signal(s, later) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


# -- unshare ------------------------------------------------------------------------------------------------
def unshare(cfg: Config, bridge: str, timeout: float = 30.0, dry_run: bool = False) -> SharePlan:
    """Reverse :func:`share`: the files return to their bytes from before
    it (if they still say what share wrote; else the bridge is undefined
    and the NIC redefined from its saved description), the bridge goes
    down and the NIC comes up as configured."""
    from .config import FileChange

    snap = cfg._snapshot()
    if bridge not in snap.units:
        raise cfg._not_found(bridge)
    br_xml = cfg.xml_desc(bridge)
    doc = etree.fromstring(br_xml.encode())
    if doc.get("type") != "bridge":
        raise InvalidOperation(f"{bridge} is a {doc.get('type')}, not a bridge")
    record = _load_record(cfg.root, bridge)
    if record is not None and record.get("bridge") == bridge:
        nic, nic_xml = record["nic"], record["nic_xml"]
        exact = all(_sha(_read(cfg.root, f["path"])) == f["after"] for f in record["files"])
    else:
        nic_xml = nic_xml_from_bridge(br_xml)
        nic = etree.fromstring(nic_xml.encode()).get("name")
        exact = False
    if exact:
        changes = [FileChange(f["path"], _read(cfg.root, f["path"]),
                              base64.b64decode(f["before"]) if f["before"] is not None else None)
                   for f in record["files"]]
    else:
        changes = _plan_redefine(cfg, bridge, nic_xml)
    warning = (f"{nic} leaves bridge {bridge} and takes its addresses and routes back; guests on "
               f"{bridge} lose the network. The link drops briefly.")
    plan = SharePlan(nic, bridge, nic_xml, changes, None, warning)
    if not exact:
        plan.notes.append(f"the files changed since share: {bridge} is undefined and {nic} defined from "
                          "its saved description (same meaning, spelling may differ)")
    if dry_run:
        return plan

    from . import kernel

    nic_wants = kernel.plan(schema.parse(nic_xml, nic).getroot())
    br_wants = kernel.plan(schema.parse(br_xml, bridge).getroot())
    had_bridge = bridge in kernel.snapshot().links
    with _sigterm_interrupts(), cfg.transaction():
        if exact:
            with cfg._lock.exclusive():
                for f, ch in zip(record["files"], changes, strict=True):
                    _put(cfg.root, ch.path, ch.after, f.get("mode"))
        else:
            cfg.undefine(bridge)
            cfg.define(nic_xml, f"saved description of {nic}")
        try:
            if had_bridge:
                kernel.ifdown(br_wants)
            plan.notes += kernel.ifup(nic_wants, timeout)
        except BaseException:
            if had_bridge:
                _restore_kernel(nic_wants, br_wants, timeout)
            raise
    _drop_record(cfg.root, bridge)
    return plan


def _plan_redefine(cfg: Config, bridge: str, nic_xml: str) -> list[FileChange]:
    """What undefining *bridge* then defining the NIC would change, file by file."""
    from .config import FileChange

    first = {ch.path: ch for ch in cfg.plan_undefine(bridge)}
    # the define is planned against the files as they are: the NIC's units are
    # the bridge's port units, which it replaces; close enough for a preview
    out = dict(first)
    for ch in cfg.plan_define(nic_xml, "saved description"):
        out[ch.path] = FileChange(ch.path, first[ch.path].before if ch.path in first else ch.before, ch.after)
    return list(out.values())


def _put(root: str, rel: str, data: bytes | None, mode: int | None) -> None:
    """Write back (or remove) one file atomically, as it was before share."""
    path = os.path.join(root, rel)
    if data is None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        txn.fsync_dir(os.path.dirname(path))
        return
    tmp = f"{path}.augnetcf-unshare"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    if mode is not None:
        os.chmod(tmp, mode)
    os.replace(tmp, path)
    txn.fsync_dir(os.path.dirname(path))
