"""The kernel layer: live state, bringing interfaces up and down, verification.

The only module that talks to the kernel, and the only importer of pyroute2
(imported on first use, so commands that never ask the kernel do not pay for
it). It works on the network namespace of the calling process.

Everything starts from the interface XML of the configuration (what dumpxml
prints), turned into a :class:`Want` per device, ports and slaves first:

- :func:`ifup` creates what is virtual (bridge, bond, vlan), sets masters,
  mtu, mac, bridge and bond options, addresses, default routes, brings links
  up, waits (bounded) for carrier, runs the DHCP client, then compares the
  kernel with the configuration and raises :class:`KernelError` naming every
  difference. Devices it created are remembered (in ``/run/augnetcf``, per
  network namespace) so that :func:`ifdown` removes exactly those.
- :func:`differences` is that comparison on its own (``augnetcf diff``).
- :func:`describe` is the kernel's side as interface XML (``dumpxml --live``).

Why one module of about 950 lines: one job, it is the only importer of
pyroute2 and the only code that touches the kernel. Planning, reading,
describing, comparing, DHCP and ifup/ifdown all work on the same
:class:`Want` and :class:`Snapshot` types and netlink helpers, and ifup ends
by calling the comparison; split, those types and helpers would have to be
shared across modules that each still need pyroute2. What joins it to the
configuration is :mod:`augnetcf.live`.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import shutil
import socket
import struct
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import netaddr
from lxml import etree

from .errors import KernelError, NotFound


def kernel_is_ours(root: str) -> bool:
    """Whether the kernel's interfaces are the ones the configuration under
    *root* describes: the real root, or a process in a network namespace
    other than init's (``ip netns exec``, a container). Whatever would bring
    interfaces up or down asks first (the engine's rollback restart, the
    Ansible modules), so that work on a copy of a system never touches the
    host's own links. Needs no pyroute2."""
    if os.path.realpath(root) == "/":
        return True
    try:
        mine = os.stat("/proc/self/ns/net")
    except OSError:
        return False
    with contextlib.suppress(OSError):
        init = os.stat("/proc/1/ns/net")
        return (mine.st_dev, mine.st_ino) != (init.st_dev, init.st_ino)
    # /proc/1 may be hidden from us: a namespace made by ip netns is named in /run/netns
    with contextlib.suppress(OSError):
        for name in os.listdir("/run/netns"):
            st = os.stat(os.path.join("/run/netns", name))
            if (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino):
                return True
    return False

ACTIVE, INACTIVE = "active", "inactive"

IFF_UP = 0x1
IFF_LOWER_UP = 0x10000
IFA_F_DADFAILED = 0x08
IFA_F_TENTATIVE = 0x40
IFA_F_PERMANENT = 0x80
RT_SCOPE_LINK = 253
MAIN_TABLE = 254

BOND_MODES = ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb",
              "balance-alb"]
#: Bond modes where the first slave listed is the primary one.
PRIMARY_MODES = ("active-backup", "balance-tlb", "balance-alb")
ARP_VALIDATE = ["none", "active", "backup", "all"]
VIRTUAL = ("bridge", "bond", "vlan")

#: Where ifup remembers what it created and runs DHCP clients from.
RUN_DIR = Path(os.environ.get("AUGNETCF_RUN_DIR", "/run/augnetcf"))


# -- pyroute2, on first use ---------------------------------------------------------------------------------
@contextlib.contextmanager
def _iproute() -> Iterator[Any]:
    try:
        from pyroute2 import IPRoute
    except ImportError:
        # a dependency of augnetcf, so only a broken installation gets here
        raise KernelError("the kernel layer needs pyroute2, which augnetcf depends on but cannot import: "
                          "reinstall augnetcf (pip) or python3-pyroute2 (apt)") from None
    try:
        ipr = IPRoute()
    except OSError as e:
        raise KernelError(f"cannot open a netlink socket: {e.strerror or e}") from None
    try:
        yield ipr
    finally:
        ipr.close()


def _netlink_error(what: str, e: Exception) -> KernelError:
    reason = getattr(e, "strerror", None) or (e.args[1] if len(e.args) > 1 else str(e))
    return KernelError(f"{what}: the kernel refused: {reason}")


def _call(what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one netlink request; a refusal becomes a KernelError saying *what*."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # pyroute2's NetlinkError is an OSError; keep the message either way
        if isinstance(e, (OSError, ValueError)) or type(e).__name__ == "NetlinkError":
            raise _netlink_error(what, e) from None
        raise


# -- what the configuration wants ----------------------------------------------------------------------------
@dataclass
class Want:
    """One device as the configuration describes it."""

    name: str
    kind: str  # ethernet, bridge, bond, vlan
    master: str | None = None
    master_kind: str | None = None
    mac: str | None = None
    mtu: int | None = None
    ports: list[str] = field(default_factory=list)
    stp: bool | None = None
    delay: float | None = None
    bond: dict[str, Any] = field(default_factory=dict)
    vlan_tag: int | None = None
    vlan_dev: str | None = None
    v4: list[tuple[str, int]] = field(default_factory=list)
    v6: list[tuple[str, int]] = field(default_factory=list)
    gw4: str | None = None
    gw6: str | None = None
    dhcp4: bool = False
    dhcp6: bool = False
    autoconf: bool | None = None  # None: no IPv6 protocol configured


def _prefix(address: str, prefix: str | None) -> int:
    if prefix:
        return int(prefix)
    ip = netaddr.IPAddress(address)
    if ip.version == 6:
        return 64
    first = ip.words[0]  # classful, as ipcalc and the distro scripts do without a netmask
    return 8 if first < 128 else 16 if first < 192 else 24


def plan(doc: etree._Element) -> list[Want]:
    """The devices interface XML *doc* describes, ports and slaves before their
    master (the order ifup works in); the last one is *doc*'s own."""
    out: list[Want] = []

    def walk(el: etree._Element, master: Want | None) -> Want:
        kind = el.get("type")
        name = el.get("name")
        w = Want(name=name or "", kind=kind)
        if master is not None:
            w.master, w.master_kind = master.name, master.kind
            w.mtu = master.mtu
        mac = el.find("mac")
        w.mac = mac.get("address").lower() if mac is not None else None
        mtu = el.find("mtu")
        if mtu is not None:
            w.mtu = int(mtu.get("size"))
        vlan = el.find("vlan")
        if vlan is not None:
            w.vlan_tag = int(vlan.get("tag"))
            w.vlan_dev = vlan.find("interface").get("name")
            w.name = w.name or f"{w.vlan_dev}.{w.vlan_tag}"
        children: list[etree._Element] = []
        bridge = el.find("bridge")
        if bridge is not None:
            w.stp = bridge.get("stp") == "on" if bridge.get("stp") else None
            w.delay = float(bridge.get("delay")) if bridge.get("delay") else None
            children = bridge.findall("interface")
        bond = el.find("bond")
        if bond is not None:
            w.bond = _bond_options(bond)
            children = bond.findall("interface")
        for proto in el.findall("protocol"):
            ips = [(ip.get("address"), _prefix(ip.get("address"), ip.get("prefix")))
                   for ip in proto.findall("ip")]
            route = proto.find("route")
            gw = route.get("gateway") if route is not None else None
            if proto.get("family") == "ipv4":
                w.v4, w.gw4, w.dhcp4 = ips, gw, proto.find("dhcp") is not None
            else:
                w.v6, w.gw6, w.dhcp6 = ips, gw, proto.find("dhcp") is not None
                w.autoconf = proto.find("autoconf") is not None
        w.ports = [walk(c, w).name for c in children]
        out.append(w)
        return w

    walk(doc, None)
    return out


def _bond_options(bond: etree._Element) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    if bond.get("mode"):
        opts["mode"] = BOND_MODES.index(bond.get("mode"))
    mii = bond.find("miimon")
    if mii is not None:
        opts["miimon"] = int(mii.get("freq"))
        for key in ("updelay", "downdelay"):
            if mii.get(key):
                opts[key] = int(mii.get(key))
        if mii.get("carrier"):
            opts["use_carrier"] = 1 if mii.get("carrier") == "netif" else 0
    arp = bond.find("arpmon")
    if arp is not None:
        opts["arp_interval"] = int(arp.get("interval"))
        opts["arp_ip_target"] = [arp.get("target")]
        if arp.get("validate"):
            opts["arp_validate"] = ARP_VALIDATE.index(arp.get("validate"))
    return opts


# -- what the kernel has -------------------------------------------------------------------------------------
@dataclass
class Link:
    index: int
    name: str
    kind: str  # bridge, bond, vlan, or the driver's kind (veth, ...); "" for plain NICs
    flags: int
    mtu: int
    mac: str
    master: int
    operstate: str
    info: dict[str, Any]
    lower: int  # IFLA_LINK: a vlan's device

    @property
    def up(self) -> bool:
        return bool(self.flags & IFF_UP)

    @property
    def carrier(self) -> bool:
        return bool(self.flags & IFF_LOWER_UP)


@dataclass
class Addr:
    address: str
    prefix: int
    family: int
    flags: int
    scope: int

    @property
    def permanent(self) -> bool:
        return bool(self.flags & IFA_F_PERMANENT)

    @property
    def link_local(self) -> bool:
        return self.family == socket.AF_INET6 and (self.scope == RT_SCOPE_LINK or
                                                    netaddr.IPAddress(self.address).is_link_local())


@dataclass
class Snapshot:
    """Links, addresses and default routes of this network namespace, read once."""

    links: dict[str, Link]
    addrs: dict[int, list[Addr]]
    defaults: dict[int, list[tuple[int, str]]]  # oif -> [(family, gateway)]

    def by_index(self, index: int) -> Link | None:
        return next((lk for lk in self.links.values() if lk.index == index), None)

    def ports(self, link: Link) -> list[Link]:
        return sorted((lk for lk in self.links.values() if lk.master == link.index), key=lambda lk: lk.name)


def _attrs(nla: Any) -> dict[str, Any]:
    if not nla:
        return {}
    return {k: v for k, v in nla.get("attrs", [])} if isinstance(nla, dict) else dict(nla.get("attrs", []))


def _info_data(msg: Any) -> dict[str, Any]:
    """The kind-specific attributes (IFLA_INFO_DATA) of a link message."""
    return _attrs(_attrs(msg.get_attr("IFLA_LINKINFO")).get("IFLA_INFO_DATA"))


def read(ipr: Any) -> Snapshot:
    links: dict[str, Link] = {}
    for msg in ipr.get_links():
        linkinfo = _attrs(msg.get_attr("IFLA_LINKINFO"))
        links[msg.get_attr("IFLA_IFNAME")] = Link(
            index=msg["index"], name=msg.get_attr("IFLA_IFNAME"), kind=linkinfo.get("IFLA_INFO_KIND") or "",
            flags=msg["flags"], mtu=msg.get_attr("IFLA_MTU") or 0,
            mac=(msg.get_attr("IFLA_ADDRESS") or "").lower(), master=msg.get_attr("IFLA_MASTER") or 0,
            operstate=(msg.get_attr("IFLA_OPERSTATE") or "unknown").lower(),
            info=_attrs(linkinfo.get("IFLA_INFO_DATA")), lower=msg.get_attr("IFLA_LINK") or 0)
    addrs: dict[int, list[Addr]] = {}
    for msg in ipr.get_addr():
        addrs.setdefault(msg["index"], []).append(Addr(
            address=msg.get_attr("IFA_ADDRESS") if msg["family"] == socket.AF_INET6
            else msg.get_attr("IFA_LOCAL") or msg.get_attr("IFA_ADDRESS"),
            prefix=msg["prefixlen"], family=msg["family"],
            flags=msg.get_attr("IFA_FLAGS") or msg["flags"], scope=msg["scope"]))
    defaults: dict[int, list[tuple[int, str]]] = {}
    for family in (socket.AF_INET, socket.AF_INET6):
        for msg in ipr.get_routes(family=family, table=MAIN_TABLE):
            gw = msg.get_attr("RTA_GATEWAY")
            if msg["dst_len"] == 0 and gw and msg.get_attr("RTA_OIF"):
                defaults.setdefault(msg.get_attr("RTA_OIF"), []).append((family, gw))
    return Snapshot(links, addrs, defaults)


def snapshot() -> Snapshot:
    """The namespace's links, addresses and default routes, now."""
    with _iproute() as ipr:
        return read(ipr)


def _kind(link: Link) -> str:
    """The interface XML type of a kernel device."""
    return link.kind if link.kind in VIRTUAL else "ethernet"


def status(snap: Snapshot, name: str) -> str:
    """ncftool's meaning: active when the kernel has the device and it is administratively up."""
    link = snap.links.get(name)
    return ACTIVE if link is not None and link.up else INACTIVE


# -- live state as interface XML -----------------------------------------------------------------------------
def _speed(name: str) -> int | None:
    """Link speed in Mbit/s from the ethtool ioctl, which (unlike sysfs) always
    answers for the caller's network namespace; None when unknown."""
    buf = ctypes.create_string_buffer(struct.pack("I", 1) + bytes(40))  # ETHTOOL_GSET, struct ethtool_cmd
    ifreq = struct.pack("16sP", name.encode()[:15], ctypes.addressof(buf))
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            fcntl.ioctl(s.fileno(), 0x8946, ifreq)  # SIOCETHTOOL
    except OSError:
        return None
    speed = struct.unpack_from("H", buf.raw, 12)[0] | struct.unpack_from("H", buf.raw, 28)[0] << 16
    return None if speed in (0, 0xFFFF, 0xFFFFFFFF) else speed


def _delay_text(centiseconds: int) -> str:
    seconds = centiseconds / 100
    return str(int(seconds)) if seconds == int(seconds) else f"{seconds:g}"


def describe(snap: Snapshot, name: str) -> etree._Element:
    """Interface XML for device *name* as the kernel has it: mac, mtu, link
    state and speed, addresses (IPv6 link-local ones too, as netcf showed
    them) and default routes, bridge ports, bond slaves, vlan tag and device."""
    link = snap.links.get(name)
    if link is None:
        raise NotFound(f"no network device named {name!r} in the kernel")
    return _describe(snap, link, top=True)


def _describe(snap: Snapshot, link: Link, top: bool) -> etree._Element:
    kind = _kind(link)
    el = etree.Element("interface", type=kind, name=link.name)
    if kind == "ethernet" and link.mac:
        etree.SubElement(el, "mac", address=link.mac)
    if top:
        etree.SubElement(el, "mtu", size=str(link.mtu))
    if kind != "bridge":
        attrs = {"state": link.operstate}
        speed = _speed(link.name) if link.carrier and kind == "ethernet" else None
        if speed:
            attrs = {"speed": str(speed), **attrs}
        etree.SubElement(el, "link", attrs)
    if top:
        routes = snap.defaults.get(link.index, [])
        for family, tag in ((socket.AF_INET, "ipv4"), (socket.AF_INET6, "ipv6")):
            addrs = [a for a in snap.addrs.get(link.index, []) if a.family == family]
            gws = [gw for f, gw in routes if f == family]
            if not addrs and not gws:
                continue
            proto = etree.SubElement(el, "protocol", family=tag)
            for a in addrs:
                etree.SubElement(proto, "ip", address=str(netaddr.IPAddress(a.address)), prefix=str(a.prefix))
            if gws:
                etree.SubElement(proto, "route", gateway=str(netaddr.IPAddress(gws[0])))
    if kind == "bridge":
        br = etree.SubElement(el, "bridge", stp="on" if link.info.get("IFLA_BR_STP_STATE") else "off",
                              delay=_delay_text(link.info.get("IFLA_BR_FORWARD_DELAY", 0)))
        for port in snap.ports(link):
            br.append(_describe(snap, port, top=False))
    elif kind == "bond":
        el.append(_describe_bond(snap, link))
    elif kind == "vlan":
        vlan = etree.SubElement(el, "vlan", tag=str(link.info.get("IFLA_VLAN_ID", 0)))
        lower = snap.by_index(link.lower)
        etree.SubElement(vlan, "interface", name=lower.name if lower else "")
    return el


def _describe_bond(snap: Snapshot, link: Link) -> etree._Element:
    info = link.info
    mode = BOND_MODES[info.get("IFLA_BOND_MODE", 0)]
    bond = etree.Element("bond", mode=mode)
    if info.get("IFLA_BOND_MIIMON"):
        etree.SubElement(bond, "miimon", freq=str(info["IFLA_BOND_MIIMON"]),
                         updelay=str(info.get("IFLA_BOND_UPDELAY", 0)),
                         downdelay=str(info.get("IFLA_BOND_DOWNDELAY", 0)),
                         carrier="netif" if info.get("IFLA_BOND_USE_CARRIER", 1) else "ioctl")
    elif info.get("IFLA_BOND_ARP_INTERVAL") and info.get("IFLA_BOND_ARP_IP_TARGET"):
        targets = info["IFLA_BOND_ARP_IP_TARGET"]
        target = targets[0] if isinstance(targets, list) else targets
        etree.SubElement(bond, "arpmon", interval=str(info["IFLA_BOND_ARP_INTERVAL"]), target=str(target),
                         validate=ARP_VALIDATE[info.get("IFLA_BOND_ARP_VALIDATE", 0)])
    slaves = snap.ports(link)
    if not slaves:
        raise KernelError(f"{link.name} is a bond without slaves, which interface XML cannot describe")
    primary = info.get("IFLA_BOND_PRIMARY")
    slaves.sort(key=lambda s: s.index != primary)  # the primary first: its place says so
    for s in slaves:
        bond.append(_describe(snap, s, top=False))
    return bond


# -- comparing -----------------------------------------------------------------------------------------------
def _same_ip(a: str, b: str) -> bool:
    return netaddr.IPAddress(a) == netaddr.IPAddress(b)


def differences(wants: list[Want], snap: Snapshot) -> list[str]:
    """What the kernel has that the configuration does not say, and the other
    way round, one line per difference naming the device (empty: they agree)."""
    out: list[str] = []
    for w in wants:
        link = snap.links.get(w.name)
        if link is None:
            out.append(f"{w.name}: not in the kernel")
            continue
        out += _link_differences(w, link, snap)
        if w.master is None:
            out += _address_differences(w, link, snap)
    return out


def _link_differences(w: Want, link: Link, snap: Snapshot) -> list[str]:
    out = []
    n = w.name
    if w.kind != "ethernet" and _kind(link) != w.kind:
        out.append(f"{n}: is a {link.kind or 'ethernet'} device, configured as a {w.kind}")
        return out
    if not link.up:
        out.append(f"{n}: is down")
    if w.mac and link.mac != w.mac:
        out.append(f"{n}: mac is {link.mac}, configured {w.mac}")
    if w.mtu and link.mtu != w.mtu:
        out.append(f"{n}: mtu is {link.mtu}, configured {w.mtu}")
    master = snap.by_index(link.master)
    if w.master and (master is None or master.name != w.master):
        out.append(f"{n}: is not a port of {w.master}" + (f" (it is one of {master.name})" if master else ""))
    elif not w.master and master is not None:
        out.append(f"{n}: is a port of {master.name}, configured top-level")
    if w.kind == "bridge":
        ports = {p.name for p in snap.ports(link)}
        out += [f"{n}: has port {p}, not configured" for p in sorted(ports - set(w.ports))]
        stp = bool(link.info.get("IFLA_BR_STP_STATE"))
        if w.stp is not None and stp != w.stp:
            out.append(f"{n}: stp is {'on' if stp else 'off'}, configured {'on' if w.stp else 'off'}")
        fd = link.info.get("IFLA_BR_FORWARD_DELAY", 0)
        if w.delay is not None and fd != round(w.delay * 100):
            out.append(f"{n}: forward delay is {_delay_text(fd)} s, configured {w.delay:g} s")
    elif w.kind == "bond":
        slaves = {p.name for p in snap.ports(link)}
        out += [f"{n}: has slave {p}, not configured" for p in sorted(slaves - set(w.ports))]
        for key, want in w.bond.items():
            have = link.info.get(f"IFLA_BOND_{key.upper()}")
            if key == "arp_ip_target":
                have = [str(t) for t in (have if isinstance(have, list) else [have] if have else [])]
                ok = {str(netaddr.IPAddress(t)) for t in have} == {str(netaddr.IPAddress(t)) for t in want}
            else:
                ok = have == want
            if not ok:
                shown = BOND_MODES[have] if key == "mode" and have is not None else have
                wanted = BOND_MODES[want] if key == "mode" else want
                out.append(f"{n}: bond {key} is {shown}, configured {wanted}")
    elif w.kind == "vlan":
        tag = link.info.get("IFLA_VLAN_ID")
        if tag != w.vlan_tag:
            out.append(f"{n}: vlan tag is {tag}, configured {w.vlan_tag}")
        lower = snap.by_index(link.lower)
        if lower is None or lower.name != w.vlan_dev:
            out.append(f"{n}: vlan device is {lower.name if lower else 'missing'}, configured {w.vlan_dev}")
    return out


def _address_differences(w: Want, link: Link, snap: Snapshot) -> list[str]:
    out = []
    n = w.name
    addrs = snap.addrs.get(link.index, [])
    for family, wanted, dhcp, dynamic_ok in ((socket.AF_INET, w.v4, w.dhcp4, w.dhcp4),
                                             (socket.AF_INET6, w.v6, w.dhcp6, w.dhcp6 or bool(w.autoconf))):
        have = [a for a in addrs if a.family == family and not a.link_local]
        for addr, prefix in wanted:
            match = [a for a in have if _same_ip(a.address, addr)]
            if not match:
                out.append(f"{n}: lacks address {addr}/{prefix}")
            elif match[0].prefix != prefix:
                out.append(f"{n}: address {addr} has prefix {match[0].prefix}, configured {prefix}")
            elif match[0].flags & IFA_F_DADFAILED:
                out.append(f"{n}: address {addr} failed duplicate address detection")
        for a in have:
            if any(_same_ip(a.address, addr) for addr, _p in wanted):
                continue
            if a.permanent or not dynamic_ok:
                out.append(f"{n}: has address {a.address}/{a.prefix}, not configured")
        if dhcp and link.up and not any(not a.permanent for a in have):
            out.append(f"{n}: has no address from DHCP" + ("v6" if family == socket.AF_INET6 else ""))
    for family, gw in ((socket.AF_INET, w.gw4), (socket.AF_INET6, w.gw6)):
        if gw and not any(f == family and _same_ip(g, gw) for f, g in snap.defaults.get(link.index, [])):
            out.append(f"{n}: lacks default route via {gw}")
    if w.autoconf is not None:
        have_ac = _sysctl6(n, "autoconf")
        if have_ac is not None and have_ac != str(int(w.autoconf)):
            out.append(f"{n}: IPv6 autoconf is {'on' if have_ac == '1' else 'off'}, configured "
                       f"{'on' if w.autoconf else 'off'}")
    return out


def _sysctl6(name: str, key: str, value: str | None = None) -> str | None:
    """Read (or write) ``net.ipv6.conf.NAME.KEY``; /proc/sys/net is per namespace."""
    path = Path("/proc/sys/net/ipv6/conf") / name / key
    try:
        if value is not None:
            path.write_text(value)
            return value
        return path.read_text().strip()
    except OSError as e:
        if value is not None:
            raise KernelError(f"{name}: cannot set net.ipv6.conf.{name}.{key}: {e.strerror}") from None
        return None


# -- remembering what ifup did -------------------------------------------------------------------------------
def _run_dir() -> Path:
    """This network namespace's directory under RUN_DIR (namespaces share /run)."""
    return RUN_DIR / f"netns-{os.stat('/proc/self/ns/net').st_ino}"


def _record_path(name: str) -> Path:
    return _run_dir() / f"{name}.json"


def _load_record(name: str) -> dict[str, Any]:
    try:
        return json.loads(_record_path(name).read_text())
    except (OSError, ValueError):
        return {}


def _save_record(name: str, record: dict[str, Any]) -> None:
    """Keep *record* for ifdown; one that holds nothing (no device created, no
    DHCP client) is removed instead, with the run directory once it is empty,
    so that an ifup of a plain NIC leaves nothing in /run behind it."""
    path = _record_path(name)
    if not any(record.values()):
        with contextlib.suppress(OSError):
            path.unlink()
        _tidy_run_dir()
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record))
    tmp.replace(path)


# -- DHCP ----------------------------------------------------------------------------------------------------
#: dhclient's hook: addresses and routes with ip(8), nothing else (resolv.conf is left alone).
DHCLIENT_SCRIPT = r"""#!/bin/sh
# Written by augnetcf: dhclient runs this (dhclient-script(8)) to apply a lease.
case "$reason" in
PREINIT)
    ip link set dev "$interface" up ;;
BOUND|RENEW|REBIND|REBOOT)
    if [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ]; then
        ip -4 addr del "$old_ip_address/$old_subnet_mask" dev "$interface" 2>/dev/null
    fi
    life=${new_dhcp_lease_time:-forever}
    ip -4 addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" \
        valid_lft "$life" preferred_lft "$life" || exit 1
    for router in $new_routers; do
        ip -4 route replace default via "$router" dev "$interface"
        break
    done ;;
EXPIRE|FAIL|RELEASE|STOP)
    if [ -n "$old_ip_address" ]; then
        ip -4 addr del "$old_ip_address/$old_subnet_mask" dev "$interface" 2>/dev/null
    fi ;;
BOUND6|RENEW6|REBIND6|REBOOT6)
    if [ -n "$new_ip6_address" ]; then
        ip -6 addr replace "$new_ip6_address/$new_ip6_prefixlen" dev "$interface" \
            valid_lft "${new_max_life:-forever}" preferred_lft "${new_preferred_life:-forever}" || exit 1
    fi ;;
EXPIRE6|RELEASE6|STOP6)
    if [ -n "$old_ip6_address" ]; then
        ip -6 addr del "$old_ip6_address/$old_ip6_prefixlen" dev "$interface" 2>/dev/null
    fi ;;
esac
exit 0
"""


def _dhclient() -> str:
    exe = shutil.which("dhclient") or next((p for p in ("/usr/sbin/dhclient", "/sbin/dhclient")
                                            if os.access(p, os.X_OK)), None)
    if not exe:
        raise KernelError("DHCP needs dhclient (Debian: isc-dhcp-client, Fedora: dhcp-client)")
    return exe


def _dhclient_args(name: str, family: int, timeout: float) -> list[str]:
    d = _run_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    v = "4" if family == 4 else "6"
    script = d / "dhclient-script"
    if not script.exists() or script.read_text() != DHCLIENT_SCRIPT:
        script.write_text(DHCLIENT_SCRIPT)
        script.chmod(0o700)
    conf = d / f"dhclient{v}-{name}.conf"
    conf.write_text(f"timeout {max(1, round(timeout))};\nretry 60;\n")
    return [_dhclient(), f"-{v}", "-cf", str(conf), "-pf", str(d / f"dhclient{v}-{name}.pid"),
            "-lf", str(d / f"dhclient{v}-{name}.leases"), "-sf", str(script)]


def dhcp_start(name: str, family: int, timeout: float) -> None:
    """Get a lease for *name* with dhclient, which stays behind to renew it."""
    args = _dhclient_args(name, family, timeout)
    if family == 6:
        _wait_for_link_local(name, timeout)
    log = _run_dir() / f"dhclient{family}-{name}.log"
    with open(log, "wb") as err:
        try:
            proc = subprocess.run([*args, "-1", name], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=err, timeout=timeout + 30)
        except subprocess.TimeoutExpired:
            raise KernelError(f"{name}: no DHCPv{family} lease within {timeout:g} s") from None
    if proc.returncode != 0:
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
        why = lines[-1] if lines else f"dhclient exited with status {proc.returncode}"
        raise KernelError(f"{name}: no DHCPv{family} lease within {timeout:g} s ({why})")


def _wait_for_link_local(name: str, timeout: float) -> None:
    """DHCPv6 talks from the link-local address: wait (bounded) until it has
    passed duplicate address detection, or dhclient cannot bind to it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snap = snapshot()
        link = snap.links.get(name)
        if link is None or any(a.link_local and not a.flags & IFA_F_TENTATIVE
                               for a in snap.addrs.get(link.index, [])):
            return
        time.sleep(0.05)


def _dhclient_end(name: str, family: int, flag: str) -> None:
    """Run ``dhclient FLAG`` for *name* if one runs, then remove its files."""
    d = _run_dir()
    if (d / f"dhclient{family}-{name}.pid").exists():
        args = _dhclient_args(name, family, 5)
        subprocess.run([*args, flag, name], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30, check=False)
    for suffix in ("pid", "conf", "leases", "log"):
        with contextlib.suppress(OSError):
            (d / f"dhclient{family}-{name}.{suffix}").unlink()


def dhcp_release(name: str, family: int) -> None:
    """Release *name*'s lease and stop its dhclient (a no-op when none runs)."""
    _dhclient_end(name, family, "-r")


def dhcp_stop(name: str, family: int) -> None:
    """Stop *name*'s DHCP client without releasing its lease (``dhclient -x``),
    so that the server still holds the address for the same mac: used when a
    bridge with the NIC's mac takes the NIC's place (``augnetcf share``)."""
    _dhclient_end(name, family, "-x")
    record = _load_record(name)
    if family in record.get("dhcp", []):
        record["dhcp"] = [f for f in record["dhcp"] if f != family]
        _save_record(name, record)


# -- ifup ----------------------------------------------------------------------------------------------------
def _index(ipr: Any, name: str) -> int | None:
    found = ipr.link_lookup(ifname=name)
    return found[0] if found else None


def ifup(wants: list[Want], timeout: float = 10.0) -> list[str]:
    """Bring the devices of *wants* (from :func:`plan`) up as configured, then
    verify. Returns warnings (a link without carrier after *timeout*); raises
    :class:`KernelError` for a refusal or for any difference left afterwards.
    Devices created by a call that fails are removed again."""
    top = wants[-1]
    record = _load_record(top.name)
    created: dict[str, int] = {}
    warnings: list[str] = []
    leases: list[int] = []
    try:
        with _iproute() as ipr:
            snap = read(ipr)
            indexes = {w.name: _ensure_device(ipr, snap, w, created) for w in wants}
            for w in reversed(wants):  # a bond's options before it has slaves
                _configure_link(ipr, w, indexes[w.name])
            for w in wants:
                _enslave(ipr, w, indexes)
            record.setdefault("created", {}).update(created)
            _save_record(top.name, record)
            _configure_addresses(ipr, read(ipr), top)
            for w in wants:
                _call(f"{w.name}: cannot set it up", ipr.link, "set", index=_index(ipr, w.name), state="up")
            _configure_routes(ipr, top)
            warnings = _wait_for_carrier(ipr, wants, timeout)
        dhcp = [f for f, on in ((4, top.dhcp4), (6, top.dhcp6)) if on]
        for family in dhcp:
            dhcp_start(top.name, family, timeout)
            leases.append(family)
        if dhcp:
            record["dhcp"] = dhcp
            _save_record(top.name, record)
        diffs = _settled_differences(wants, timeout)
        if diffs:
            raise KernelError(f"{top.name} is up but differs from its configuration: " + "; ".join(diffs))
    except BaseException:
        for family in leases:  # no DHCP client outlives a failed ifup
            dhcp_release(top.name, family)
        if created:
            _delete_created(created)
            record["created"] = {k: v for k, v in record.get("created", {}).items() if k not in created}
            _save_record(top.name, record)
        raise
    return warnings


def _settled_differences(wants: list[Want], timeout: float) -> list[str]:
    """Differences once the configured IPv6 addresses have finished duplicate
    address detection (bounded by *timeout*), so that a failed one is seen."""
    deadline = time.monotonic() + timeout
    top = wants[-1]
    while True:
        snap = snapshot()
        link = snap.links.get(top.name)
        tentative = link is not None and any(
            a.flags & IFA_F_TENTATIVE and not a.flags & IFA_F_DADFAILED and any(_same_ip(a.address, x)
                                                                              for x, _p in top.v6)
            for a in snap.addrs.get(link.index, []))
        if not tentative or time.monotonic() >= deadline:
            return differences(wants, snap)
        time.sleep(0.05)


def _ensure_device(ipr: Any, snap: Snapshot, w: Want, created: dict[str, int]) -> int:
    link = snap.links.get(w.name)
    if link is not None:
        if w.kind in VIRTUAL and link.kind != w.kind:
            raise KernelError(f"{w.name}: exists as a {link.kind or 'ethernet'} device, "
                              f"configured as a {w.kind}")
        return link.index
    if w.kind == "ethernet":
        raise KernelError(f"{w.name}: no such network device in the kernel")
    kwargs: dict[str, Any] = {"ifname": w.name, "kind": w.kind}
    if w.kind == "vlan":
        lower = _index(ipr, w.vlan_dev)
        if lower is None:
            raise KernelError(f"{w.name}: its vlan device {w.vlan_dev} is not in the kernel")
        # tagged frames need the device up, as Debian's vlan scripts do it (ifdown leaves it up)
        _call(f"{w.vlan_dev}: cannot set it up", ipr.link, "set", index=lower, state="up")
        kwargs.update(link=lower, vlan_id=w.vlan_tag)
    elif w.kind == "bond":
        kwargs.update({f"bond_{k}": v for k, v in w.bond.items()})
    elif w.kind == "bridge":
        kwargs.update(_bridge_options(w))
    _call(f"{w.name}: cannot create the {w.kind}", ipr.link, "add", **kwargs)
    idx = _index(ipr, w.name)
    created[w.name] = idx
    return idx


def _bridge_options(w: Want) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    if w.delay is not None:
        opts["br_forward_delay"] = round(w.delay * 100)
    if w.stp is not None:
        opts["br_stp_state"] = int(w.stp)
    return opts


def _configure_link(ipr: Any, w: Want, idx: int) -> None:
    """Set what belongs to the device itself: mac, mtu, bridge or bond options."""
    link = ipr.get_links(idx)[0]
    mac = (link.get_attr("IFLA_ADDRESS") or "").lower()
    if w.mac and mac != w.mac:
        _call(f"{w.name}: cannot set it down", ipr.link, "set", index=idx, state="down")
        _call(f"{w.name}: cannot set mac {w.mac}", ipr.link, "set", index=idx, address=w.mac)
    if w.mtu and link.get_attr("IFLA_MTU") != w.mtu:
        _call(f"{w.name}: cannot set mtu {w.mtu}", ipr.link, "set", index=idx, mtu=w.mtu)
    if w.kind == "bridge" and _bridge_options(w):
        _call(f"{w.name}: cannot set bridge options", ipr.link, "set", index=idx, kind="bridge",
              **_bridge_options(w))
    if w.kind == "bond" and w.bond:
        _configure_bond(ipr, w, idx, link)


def _configure_bond(ipr: Any, w: Want, idx: int, link: Any) -> None:
    """Set the bond options that differ (the kernel refuses some, even unchanged,
    while the bond is up); a new mode needs the bond down and without slaves."""
    have = _info_data(link)
    changed = {}
    for key, want in w.bond.items():
        now = have.get(f"IFLA_BOND_{key.upper()}")
        if key == "arp_ip_target":
            now = {str(t) for t in (now if isinstance(now, list) else [now] if now else [])}
            if now != set(want):
                changed[key] = want
        elif now != want:
            changed[key] = want
    if not changed:
        return
    if "mode" in changed:
        _call(f"{w.name}: cannot set it down", ipr.link, "set", index=idx, state="down")
        for msg in ipr.get_links():
            if msg.get_attr("IFLA_MASTER") == idx:
                _call(f"{msg.get_attr('IFLA_IFNAME')}: cannot release it from {w.name}", ipr.link, "set",
                      index=msg["index"], master=0)
    opts = {f"bond_{k}": v for k, v in changed.items()}
    _call(f"{w.name}: cannot set bond options {', '.join(changed)}", ipr.link, "set", index=idx, kind="bond",
          **opts)


def _enslave(ipr: Any, w: Want, indexes: dict[str, int]) -> None:
    """Make a port or slave one of its master's (a bond's slaves must be down for
    that), without addresses of its own; then a bond's first slave is its primary."""
    idx = indexes[w.name]
    if w.master:
        master = indexes[w.master]
        if ipr.get_links(idx)[0].get_attr("IFLA_MASTER") != master:
            if w.master_kind == "bond":
                _call(f"{w.name}: cannot set it down", ipr.link, "set", index=idx, state="down")
            _call(f"{w.name}: cannot add it to {w.master}", ipr.link, "set", index=idx, master=master)
        _flush_addresses(ipr, idx, w.name, keep_link_local=True)
    if w.kind == "bond" and w.ports and BOND_MODES[w.bond.get("mode", 0)] in PRIMARY_MODES and \
            _info_data(ipr.get_links(idx)[0]).get("IFLA_BOND_PRIMARY") != indexes[w.ports[0]]:
        _call(f"{w.name}: cannot make {w.ports[0]} its primary slave", ipr.link, "set", index=idx,
              kind="bond", bond_primary=indexes[w.ports[0]])


def _configure_addresses(ipr: Any, snap: Snapshot, w: Want) -> None:
    link = snap.links[w.name]
    if w.autoconf is not None:
        _sysctl6(w.name, "autoconf", str(int(w.autoconf)))
        _sysctl6(w.name, "accept_ra", "1" if (w.autoconf or w.dhcp6) else "0")
    have = [a for a in snap.addrs.get(link.index, []) if not a.link_local]
    for family, wanted, dynamic_ok in ((socket.AF_INET, w.v4, w.dhcp4),
                                       (socket.AF_INET6, w.v6, w.dhcp6 or bool(w.autoconf))):
        for a in (a for a in have if a.family == family):
            keep = any(_same_ip(a.address, x) and a.prefix == p for x, p in wanted)
            if not keep and (a.permanent or not dynamic_ok):
                _call(f"{w.name}: cannot remove address {a.address}/{a.prefix}", ipr.addr, "del",
                      index=link.index, address=a.address, prefixlen=a.prefix)
        for addr, prefix in wanted:
            if not any(_same_ip(a.address, addr) and a.prefix == prefix for a in have):
                _call(f"{w.name}: cannot add address {addr}/{prefix}", ipr.addr, "add", index=link.index,
                      address=addr, prefixlen=prefix)


def _configure_routes(ipr: Any, w: Want) -> None:
    idx = _index(ipr, w.name)
    for family, gw, dst in ((socket.AF_INET, w.gw4, "0.0.0.0/0"), (socket.AF_INET6, w.gw6, "::/0")):
        if gw:
            _call(f"{w.name}: cannot add the default route via {gw}", ipr.route, "replace", dst=dst,
                  gateway=gw, oif=idx, family=family)


def _wait_for_carrier(ipr: Any, wants: list[Want], timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    waiting = {w.name for w in wants}
    while waiting:
        for name in sorted(waiting):
            idx = _index(ipr, name)
            if idx is None or ipr.get_links(idx)[0]["flags"] & IFF_LOWER_UP:
                waiting.discard(name)
        if not waiting or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    return [f"{name}: no carrier after {timeout:g} s" for name in sorted(waiting)]


def _flush_addresses(ipr: Any, idx: int, name: str, keep_link_local: bool = False) -> None:
    for msg in ipr.get_addr(index=idx):
        a = Addr(msg.get_attr("IFA_ADDRESS"), msg["prefixlen"], msg["family"], msg["flags"], msg["scope"])
        if keep_link_local and a.link_local:
            continue
        _call(f"{name}: cannot remove address {a.address}/{a.prefix}", ipr.addr, "del", index=idx,
              address=a.address, prefixlen=a.prefix)


def _delete_created(created: dict[str, int]) -> None:
    with _iproute() as ipr:
        for name, idx in reversed(list(created.items())):  # masters were created after their ports
            if _index(ipr, name) == idx:
                _call(f"{name}: cannot remove it", ipr.link, "del", index=idx)


# -- ifdown --------------------------------------------------------------------------------------------------
def ifdown(wants: list[Want]) -> None:
    """Reverse :func:`ifup`: release DHCP leases, remove addresses and routes,
    release ports and slaves, set everything down, and delete the virtual
    devices ifup created. Physical NICs stay, down and without addresses."""
    top = wants[-1]
    record = _load_record(top.name)
    for family in (4, 6):
        dhcp_release(top.name, family)
    created = record.get("created", {})
    with _iproute() as ipr:
        for w in reversed(wants):  # the master first, then its ports
            idx = _index(ipr, w.name)
            if idx is None:
                continue
            _call(f"{w.name}: cannot set it down", ipr.link, "set", index=idx, state="down")
            if w.master:
                _call(f"{w.name}: cannot release it from {w.master}", ipr.link, "set", index=idx, master=0)
            _flush_addresses(ipr, idx, w.name)
    _delete_created({w.name: created[w.name] for w in wants if w.name in created})
    with contextlib.suppress(OSError):
        _record_path(top.name).unlink()
    _tidy_run_dir()


def _tidy_run_dir() -> None:
    """Remove this namespace's run directory once nothing in it is in use."""
    d = _run_dir()
    with contextlib.suppress(OSError):
        if {p.name for p in d.iterdir()} <= {"dhclient-script"}:
            shutil.rmtree(d)
