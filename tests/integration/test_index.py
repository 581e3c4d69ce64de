"""The index and narrowed loading give the answers a full load gives.

For the backends with ``Backend.index`` (all of them), augnetcf
finds interfaces from an index (augnetcf/index.py) and loads into Augeas only
the files a command needs; the index can be kept in ``ROOT/var/cache/augnetcf``.
Here, on generated roots with tricky files, every answer is checked against a
full load: the file list against what Augeas loads with the backend's own
globs, each file's entry against a fresh parse, dumpxml of every interface
with and without the cache, and define/undefine with narrowed loading against
the same change with every file loaded. On nm-keyfile, where a port names
its master by another file's uuid or id, and on networkd, where the first
file in lexical order wins, drop-ins amend another file's unit and VLAN=
lines live in the parent's file, every answer and change is also checked
against the engine with the index switched off (every file loaded, as before).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import shutil
import stat
import time
from pathlib import Path

import pytest
from conftest import DATA, NETCF, snapshot_tree

import augnetcf
from augnetcf import backends, forest, index
from augnetcf.aug import AugeasSession

CACHE = "var/cache/augnetcf"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def host(root: Path, backend: str, tenants: int = 6) -> Path:
    """A small host: two NICs in a bond, per tenant a VLAN on it under a bridge,
    plus files that must be skipped and files written in unusual ways."""
    if backend == "nm-keyfile":
        return nm_host(root, tenants)
    for nic, mac in (("eth0", "52:54:00:00:00:01"), ("eth1", "52:54:00:00:00:02")):
        (root / "sys/class/net" / nic).mkdir(parents=True)
        (root / "sys/class/net" / nic / "address").write_text(mac + "\n")
    if backend == "debian":
        d = root / "etc/network"
        (d / "interfaces.d").mkdir(parents=True)
        main = ["auto lo", "iface lo inet loopback", "source interfaces.d/*", "source /etc/network/more",
                "# iface ghost inet dhcp", "#source /etc/network/ghost",
                "allow-hotplug eth4", "iface eth4 inet dhcp", "   # a comment inside a stanza", "   mtu 1400",
                "auto bond0", "iface bond0 inet manual", "   bond_slaves eth0 eth1",
                "   bond_mode active-backup"]
        for t in range(1, tenants + 1):
            stanza = [f"# tenant {t}", f"auto br{t}", f"iface br{t} inet static", f"   address 10.0.{t}.1",
                      "   netmask 255.255.255.0",
                      f"   bridge{'-' if t % 4 == 1 else '_'}ports bond0.{t}",  # with a dash: a list node
                      "   bridge_stp off",
                      f"iface bond0.{t} inet manual", "   vlan-raw-device bond0"]
            if t % 3 == 0:  # some tenants live in sourced files
                (d / "interfaces.d" / f"tenant{t}").write_text("\n".join(stanza) + "\n")
            else:
                main += stanza
        (d / "interfaces").write_text("\n".join(main) + "\n")
        (d / "more").write_text("iface eth9 inet dhcp\n   hwaddress ether 52:54:00:00:00:09\n"
                                "source-directory /etc/network/deeper\n")
        (d / "deeper").mkdir()
        (d / "deeper" / "x").write_text("auto eth8\niface eth8 inet dhcp\n")
        (d / "interfaces.d" / "tenant3.bak").write_text("iface decoy inet dhcp\n")
        return root
    d = root / ("etc/sysconfig/network-scripts" if backend == "redhat" else "etc/sysconfig/network")
    d.mkdir(parents=True)
    if backend == "redhat":
        for nic, mac in (("eth0", "52:54:00:00:00:01"), ("eth1", "52:54:00:00:00:02")):
            (d / f"ifcfg-{nic}").write_text(f"DEVICE={nic}\nHWADDR={mac}\nMASTER=bond0\nSLAVE=yes\n")
        (d / "ifcfg-bond0").write_text('DEVICE=bond0\nBONDING_OPTS="mode=active-backup miimon=100"\n')
        for t in range(1, tenants + 1):
            (d / f"ifcfg-bond0.{t}").write_text(f"DEVICE=bond0.{t}\nVLAN=yes\nBRIDGE='br{t}'\n")
            (d / f"ifcfg-br{t}").write_text(f'# tenant {t}\nDEVICE="br{t}"\nTYPE=Bridge\nBOOTPROTO=none\n'
                                            f"IPADDR=10.0.{t}.1\nNETMASK=255.255.255.0\n")
        # named by HWADDR only (no DEVICE), in a file named after nothing
        (d / "ifcfg-uplink").write_text("HWADDR=52-54-00-00-00-02\nONBOOT=yes\n")
        # quoting and comments a line-based guess would get wrong
        (d / "ifcfg-quoted").write_text("# DEVICE=ghost\n#DEVICE=ghost2\nDEVICE='eth3'\n"
                                        'NAME="a \\"quoted\\" # not a comment"\n'
                                        "BRIDGE=br1  # a comment after the value\nBOOTPROTO=none\n")
    else:
        for nic in ("eth0", "eth1"):
            (d / f"ifcfg-{nic}").write_text("STARTMODE=hotplug\nBOOTPROTO=none\n")
        (d / "ifcfg-bond0").write_text("BONDING_MASTER=yes\nBONDING_SLAVE_0=eth0\nBONDING_SLAVE_1=eth1\n")
        for t in range(1, tenants + 1):
            (d / f"ifcfg-bond0.{t}").write_text(f"ETHERDEVICE=bond0\nVLAN_ID={t}\n")
            (d / f"ifcfg-br{t}").write_text(f"# tenant {t}\nBOOTPROTO=static\nIPADDR=10.0.{t}.1/24\n"
                                            f'BRIDGE=yes\nBRIDGE_PORTS="bond0.{t}"\n')
        # YaST's spelling: no interface; br3's subnet holds the gateway
        (d / "routes").write_text("default 10.0.1.254 - br1\ndefault 10.0.3.254 - -\n")
        (d / "ifsysctl-br2").write_text("net.ipv6.conf.br2.autoconf = 0\n")
        (d / "ifcfg-eth3").write_text("# BRIDGE=ghost\nSTARTMODE='auto'\nBOOTPROTO=\"dhcp\"  # trailing\n")
    # files Augeas must skip, and a file reached through a symlink inside the root
    for skipped in ("ifcfg-br1.bak", "ifcfg-br1~", "ifcfg-br1.rpmsave", "ifcfg-br1.augnew", ".ifcfg-hidden"):
        (d / skipped).write_text("DEVICE=decoy\n")
    (d / "ifcfg-dir").mkdir()
    (d / "ifcfg-dangling").symlink_to(root / "nowhere")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "ifcfg-eth7").write_text("DEVICE=eth7\nBOOTPROTO=dhcp\n")
    (d / "ifcfg-eth7").symlink_to(root / "elsewhere" / "ifcfg-eth7")
    (d / "ifcfg-odd name[1]").write_text("DEVICE=odd1\nBOOTPROTO=dhcp\n")
    return root


NM = "etc/NetworkManager/system-connections"


def keyfile(root: Path, name: str, text: str) -> Path:
    path = root / NM / f"{name}.nmconnection"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)
    return path


def conn(cid: str, kind: str, ifname: str | None = None, uuid: str | None = None, master: str | None = None,
         slave: str = "bridge", more: str = "") -> str:
    """A keyfile's text: ``[connection]`` with what is given, then *more*."""
    lines = ["[connection]", f"id={cid}"] + ([f"uuid={uuid}"] if uuid else []) + [f"type={kind}"]
    lines += [f"interface-name={ifname}"] if ifname else []
    lines += [f"master={master}", f"slave-type={slave}"] if master else []
    return "\n".join(lines) + "\n" + more


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def nm_host(root: Path, tenants: int = 6) -> Path:
    """NetworkManager keyfiles whose ports name their masters every way
    NetworkManager allows (uuid, id, interface name), with the cases where
    resolving a reference needs care: an id two files carry, a reference to
    the port's own id, keys given twice, a Wi-Fi master, a master in a file
    the lens rejects, file names with blanks."""
    for nic, mac in (("eth0", "52:54:00:00:00:01"), ("eth1", "52:54:00:00:00:02")):
        (root / "sys/class/net" / nic).mkdir(parents=True)
        (root / "sys/class/net" / nic / "address").write_text(mac + "\n")
    ip = "[ipv4]\nmethod=manual\naddress1={}/24\n[ipv6]\nmethod=ignore\n"
    off = "[ipv4]\nmethod=disabled\n[ipv6]\nmethod=ignore\n"
    # a bond whose slaves name it by uuid, by id and by interface name
    keyfile(root, "bond0", conn("Bond zero", "bond", "bond0", uid(1),
                                more="[bond]\nmode=active-backup\nmiimon=100\n" + off))
    keyfile(root, "Wired connection 1", conn("Wired connection 1", "ethernet", "eth0", uid(2), uid(1), "bond",
                                             "[ethernet]\nmac-address=52:54:00:00:00:01\n"))
    keyfile(root, "Wired connection 2", conn("Wired connection 2", "ethernet", "eth1", uid(3), "Bond zero",
                                             "bond"))
    keyfile(root, "eth2", conn("eth2", "ethernet", "eth2", uid(4), "bond0", "bond"))
    for t in range(1, tenants + 1):
        # per tenant a bridge over a VLAN of the bond; the VLAN names its
        # bridge by uuid, id or interface name in turn
        keyfile(root, f"br{t}", conn(f"Tenant {t}", "bridge", f"br{t}", uid(100 + t),
                                     more="[bridge]\nstp=false\n" + ip.format(f"10.0.{t}.1")))
        ref = (uid(100 + t), f"Tenant {t}", f"br{t}")[t % 3]
        keyfile(root, f"bond0.{t}", conn(f"vlan{t}", "vlan", f"bond0.{t}", uid(200 + t), ref,
                                         more=f"[vlan]\nid={t}\nparent=bond0\n"))
    # Two files carry the id "shared": the first in file order with an
    # interface name wins ("dup-0", a Wi-Fi without one, is passed over).
    keyfile(root, "dup-0", conn("shared", "wifi", None, uid(300), more="[wifi]\nssid=x\n"))
    keyfile(root, "dup-a", conn("shared", "bridge", "br-a", uid(301), more=off))
    keyfile(root, "dup-b", conn("shared", "bridge", "br-b", uid(302), more=off))
    keyfile(root, "eth3", conn("eth3", "ethernet", "eth3", uid(303), "shared"))
    # a port whose reference is its own id, which a bridge carries too: the bridge
    keyfile(root, "eth4", conn("selfish", "ethernet", "eth4", uid(400), "selfish"))
    keyfile(root, "selfish-br", conn("selfish", "bridge", "br-self", uid(401), more=off))
    # a port naming only its own uuid: no master resolves, the reference stays
    keyfile(root, "eth5", conn("eth5", "ethernet", "eth5", uid(500), uid(500)))
    # keys given twice (the last counts) and a second [connection] section
    keyfile(root, "twice", "[connection]\nid=old-id\nuuid=" + uid(600) + "\ntype=bridge\n"
            "interface-name=br-x\nid=new-id\n" + off + "[connection]\ninterface-name=br-y\n")
    keyfile(root, "eth6", conn("eth6", "ethernet", "eth6", uid(601), "new-id"))
    keyfile(root, "eth7", conn("eth7", "ethernet", "eth7", uid(602), "old-id"))
    # a Wi-Fi connection is not an interface here, but may be named as a master
    keyfile(root, "home", conn("home", "wifi", "wlan0", uid(700), more="[wifi]\nssid=home\n"))
    keyfile(root, "eth8", conn("eth8", "ethernet", "eth8", uid(701), "home"))
    # a master in a file the lens rejects: its port's reference stays as written
    keyfile(root, "broken", conn("Broken", "bridge", "br-broken", uid(800)) + "=no key here\n")
    keyfile(root, "eth9", conn("eth9", "ethernet", "eth9", uid(801), uid(800)))
    # not configuration: backups, and a name the glob does not take
    for skipped in ("br1.nmconnection.bak", "br1.nmconnection~", "br1.conf"):
        (root / NM / skipped).write_text(conn("decoy", "bridge", "decoy"))
    return root


ND = "etc/systemd/network"


def unit_file(root: Path, name: str, text: str) -> Path:
    path = root / ND / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def nd_host(root: Path, tenants: int = 6) -> Path:
    """A networkd host: two NICs in a bond (.netdev + .network), per tenant a
    VLAN on it (.netdev, its VLAN= line in the bond's file or in a second
    file for the bond) under a bridge (.netdev + .network); files that match
    one name in different lexical order, patterns and negations, drop-ins
    (of a winner, of a loser, of a .netdev), and a file the lens rejects."""
    for nic, mac in (("eth0", "52:54:00:00:00:01"), ("eth1", "52:54:00:00:00:02")):
        (root / "sys/class/net" / nic).mkdir(parents=True)
        (root / "sys/class/net" / nic / "address").write_text(mac + "\n")
    for nic in ("eth0", "eth1"):
        unit_file(root, f"10-{nic}.network", f"[Match]\nName={nic}\n\n[Network]\nBond=bond0\n")
    unit_file(root, "10-eth0.network.d/mtu.conf", "[Link]\nMTUBytes=9000\n")
    unit_file(root, "20-bond0.netdev", "[NetDev]\nName=bond0\nKind=bond\n\n[Bond]\nMode=active-backup\n"
                                       "MIIMonitorSec=100ms\n")
    unit_file(root, "20-bond0.netdev.d/updelay.conf", "[Bond]\nUpDelaySec=200ms\n")
    homes = {1: ["# the bond carries the tenants"], 2: []}
    for t in range(1, tenants + 1):
        homes[1 + t % 2].append(f"VLAN=bond0.{t}")
        unit_file(root, f"30-bond0.{t}.netdev", f"[NetDev]\nName=bond0.{t}\nKind=vlan\n\n[VLAN]\nId={t}\n")
        unit_file(root, f"30-bond0.{t}.network", f"[Match]\nName=bond0.{t}\n\n[Network]\nBridge=br{t}\n")
        unit_file(root, f"40-br{t}.netdev", f"# tenant {t}\n[NetDev]\nName=br{t}\nKind=bridge\n\n"
                                           "[Bridge]\nSTP=no\n")
        unit_file(root, f"40-br{t}.network", f"[Match]\nName=br{t}\n\n[Network]\nAddress=10.0.{t}.1/24\n")
    # the bond's VLAN= lines, in its file and in a later one (both hold marks; the first is its home)
    unit_file(root, "20-bond0.network", "[Match]\nName=bond0\n\n[Network]\n" + "\n".join(homes[1]) + "\n")
    unit_file(root, "60-bond0-more.network",
              "[Match]\nName=bond0\n\n[Network]\n" + "\n".join(homes[2]) + "\n")
    # one name, several files: the first in lexical order wins, with its drop-ins only
    unit_file(root, "05-br1.network", "[Match]\nName=br1\n\n[Network]\nAddress=10.9.1.1/24\n")
    unit_file(root, "05-br1.network.d/dns.conf", "[Network]\nDNS=9.9.9.9\n")
    unit_file(root, "90-br2.network", "[Match]\nName=br2\n\n[Network]\nAddress=10.9.2.1/24\n")
    unit_file(root, "90-br2.network.d/mtu.conf", "[Link]\nMTUBytes=1400\n")
    unit_file(root, "40-br2.network.d/dns.conf", "[Network]\nDNS=1.1.1.1\n")
    # patterns, negations and lists: no interface of their own, but they hide later files
    unit_file(root, "00-en.network", "[Match]\nName=en*\n\n[Network]\nDHCP=yes\n")
    unit_file(root, "01-not-eth0.network", "[Match]\nName=eth[5-7] !eth6\n\n[Network]\nDHCP=yes\n")
    unit_file(root, "02-two.network", "[Match]\nName=eth8 eth9\n\n[Network]\nDHCP=yes\n")
    unit_file(root, "70-eth4.network", "# by hand\n[Match]\nName=eth4\n\n[Link]\nMTUBytes=1500\n\n"
                                       "[Network]\nDHCP=ipv4\nVLAN=eth4.10\n")
    unit_file(root, "71-eth4.10.netdev", "[NetDev]\nName=eth4.10\nKind=vlan\n\n[VLAN]\nId=10\n")
    # not configuration: a README, a backup
    unit_file(root, "README", "not configuration\n")
    unit_file(root, "40-br1.network.bak", "[Match]\nName=decoy\n[Network]\nDHCP=yes\n")
    return root


def nd_broken(root: Path) -> Path:
    """nd_host with a file the Systemd lens rejects."""
    nd_host(root)
    unit_file(root, "80-broken.network", "[Match\nName=eth3\n")
    return root


def np_host(root: Path, tenants: int = 6) -> Path:
    """A netplan host: the NICs and a bond in the installer's file, per tenant a
    VLAN on the bond under a bridge spread over files in etc, lib and run, a file
    in run that hides one in etc, one that is not YAML, and a stray backup."""
    etc, lib, run = root / "etc/netplan", root / "lib/netplan", root / "run/netplan"
    for d in (etc, lib, run):
        d.mkdir(parents=True)
    (etc / "00-installer-config.yaml").write_text(
        "network:\n    version: 2\n    ethernets:\n        eth0: {}\n        eth1: {}\n"
        "    bonds:\n        bond0:\n            interfaces: [eth0, eth1]\n"
        "            parameters: {mode: active-backup}\n")
    for t in range(1, tenants + 1):
        where = (etc, lib, run)[t % 3]
        (where / f"{10 + t}-tenant.yaml").write_text(
            f"# tenant {t}\nnetwork:\n  vlans:\n    bond0.{t}:\n      id: {t}\n      link: bond0\n"
            f"  bridges:\n    br{t}:\n      interfaces: [bond0.{t}]\n      addresses: [10.0.{t}.1/24]\n")
    (etc / "90-eth4.yaml").write_text("network:\n  ethernets:\n    eth4: {dhcp4: true}\n")
    (run / "90-eth4.yaml").write_text("network:\n  ethernets:\n    eth4: {dhcp4: true, mtu: 1400}\n")
    (etc / "95-broken.yaml").write_text("network:\n  ethernets:\n    eth5: [unclosed\n")
    (etc / "00-installer-config.yaml.bak").write_text("network: {ethernets: {decoy: {}}}\n")
    return root


ROOTS = {
    "netplan-host": ("netplan", np_host),
    "netplan-txn": ("netplan", lambda p: _txn_root(p, "netplan")),
    "netplan-example": ("netplan", lambda p: shutil.copytree(EXAMPLES / "ubuntu-root", p)),
    "networkd-host": ("networkd", nd_host),
    "networkd-broken": ("networkd", nd_broken),
    "networkd-txn": ("networkd", lambda p: _txn_root(p, "networkd")),
    "networkd-example": ("networkd", lambda p: shutil.copytree(EXAMPLES / "networkd-root", p)),
    "nm-host": ("nm-keyfile", lambda p: host(p, "nm-keyfile")),
    "nm-txn": ("nm-keyfile", lambda p: _txn_root(p, "nm-keyfile")),
    "redhat-host": ("redhat", lambda p: host(p, "redhat")),
    "debian-host": ("debian", lambda p: host(p, "debian")),
    "suse-host": ("suse", lambda p: host(p, "suse")),
    "redhat-netcf": ("redhat", lambda p: shutil.copytree(NETCF / "redhat/fsroot", p)),
    "debian-netcf": ("debian", lambda p: shutil.copytree(NETCF / "debian/fsroot", p)),
    "suse-fsroot": ("suse", lambda p: shutil.copytree(DATA / "suse-fsroot", p)),
}


def _txn_root(path: Path, backend: str) -> Path:
    from txn_roots import make_root

    return make_root(path, backend)


@pytest.fixture(params=sorted(ROOTS))
def made(request, tmp_path: Path) -> tuple[Path, str]:
    backend, make = ROOTS[request.param]
    root = tmp_path / "root"
    make(root)
    return root, backend


def with_cache(root: Path) -> Path:
    (root / CACHE).mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch):
    """Files made by a test are seconds old; on a host they are old. The
    index records no file changed within RACY_SECONDS (ctime cannot be set
    back), so the tests shrink the window rather than sleep."""
    monkeypatch.setattr(index, "RACY_SECONDS", 0.0)


def rewrite_unnoticed(path: Path, old: bytes, new: bytes) -> None:
    """Replace *old* by *new* (of the same length) in *path* in place: same
    size, same inode, and the old mtime put back, so only ctime tells."""
    assert len(old) == len(new)
    st = path.stat()
    with open(path, "r+b") as f:
        data = f.read()
        assert old in data, (path, old)
        f.seek(0)
        f.write(data.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    time.sleep(0.01)
    assert path.stat().st_size == st.st_size and path.stat().st_ino == st.st_ino


def answers(root: Path, backend: str) -> dict:
    """Everything a reader can ask: the list, MACs, and dumpxml of every interface."""
    with augnetcf.Config(str(root), backend) as cfg:
        snap = cfg._snapshot()
        names = sorted(snap.units)
        out = {"list": cfg.list_interfaces(), "macs": [(i.name, i.mac) for i in cfg.interfaces()],
               "broken": [str(e).replace(str(root), "ROOT") for e in cfg.broken_files],
               "masters": dict(sorted((n, m) for n, m in snap.masters.items() if m))}
        for name in names:
            try:
                out[name] = cfg.xml_desc(name)
            except augnetcf.AugnetcfError as e:
                out[name] = f"error: {e}".replace(str(root), "ROOT")
    return out


def full_load(root: Path, backend: str) -> tuple[list[str], dict[str, str]]:
    """The files Augeas loads with the backend's own globs (following includes
    as the engine does), and each file's forest tree."""
    b = backends.get(backend)
    with AugeasSession(str(root), b.transforms, spans=bool(b.stanza_comments)) as s:
        for _ in range(8):
            read = forest.read(s.aug, sorted(s.files()))
            globs = [g for t in read for g in index.facts(_alone(t), b)[2]]
            if not s.include(globs):
                break
        read = forest.read(s.aug, sorted(s.files()))
        return sorted(s.files()), {t.get("path"): forest_text(t) for t in read}


def _alone(tree):
    from lxml import etree

    etree.Element("forest").append(tree)
    return tree


def forest_text(tree) -> str:
    from lxml import etree

    return etree.tostring(tree, encoding="unicode")


# -- discovery ----------------------------------------------------------------------------------------------
def test_the_index_finds_exactly_the_files_augeas_loads(made):
    root, backend = made
    want_files, want_trees = full_load(root, backend)
    with augnetcf.Config(str(root), backend) as cfg:
        cfg.list_interfaces()
        got = {e.aug_path: e for e in cfg.index.entries}
    assert sorted(got) == want_files
    for path, text in want_trees.items():
        assert got[path].tree == text, path


def test_the_index_expands_globs_as_glob_does(tmp_path):
    """The index lists a directory once per look and matches names itself
    (networkd's four globs in one directory of thousands); what it finds
    is what glob(3) finds: no hidden names for ``*``, symbolic links to
    directories followed, a name that is not a directory not descended
    into, only regular files kept."""
    import glob

    root = tmp_path / "root"
    d = root / "etc/systemd/network"
    d.mkdir(parents=True)
    for name in ("a.network", ".hidden.network", "b.netdev", "c.network~", "x.conf"):
        (d / name).write_text("[Match]\nName=a\n")
    for sub in ("a.network.d", ".h.network.d", "b.netdev.d", "real.network.d"):
        (d / sub).mkdir()
        (d / sub / "10-x.conf").write_text("[Network]\nDHCP=yes\n")
        (d / sub / ".20-hidden.conf").write_text("[Network]\nDHCP=yes\n")
        (d / sub / "30-dir.conf").mkdir()
    (d / "file.network.d").write_text("not a directory\n")
    (d / "linked.network.d").symlink_to("real.network.d")
    (d / "l.network").symlink_to("a.network")
    (d / "dangling.network").symlink_to("nowhere")
    b = backends.get("networkd")
    ix = index.Index(str(root), b, lambda: None)
    got: dict = {}
    dirs: dict = {}
    for pattern in b.transforms[0].incl:
        ix._expand(pattern, 0, got, dirs)
    want = {p[len(str(root)):] for pattern in b.transforms[0].incl for p in glob.glob(str(root) + pattern)
            if os.path.isfile(p) and not ix._excl[0].match(os.path.basename(p))}
    assert set(got) == want
    assert "/etc/systemd/network/linked.network.d/10-x.conf" in want
    assert got["/etc/systemd/network/l.network"][2] and not got["/etc/systemd/network/a.network"][2]
    assert len(dirs) == 5, "each directory listed once"


def test_cached_entries_are_what_a_fresh_parse_gives(made):
    root, backend = made
    with_cache(root)
    with augnetcf.Config(str(root), backend) as cfg:
        cfg.list_interfaces()
    cache = json.loads((root / CACHE / f"index-{backend}.json").read_text())
    trees = (root / CACHE / f"index-{backend}.trees").read_bytes()
    assert trees.startswith(f"augnetcf-trees {cache['token']}\n".encode())
    assert cache["files"], "files are recorded"
    _files, want = full_load(root, backend)
    for path, item in cache["files"].items():
        entry = index.Entry.from_json(path, item)
        offset, length = entry.blob
        entry.tree = trees[offset:offset + length].decode()
        assert entry.tree == want[entry.aug_path]
        tree = _alone(entry.element())
        assert index.facts(tree, backends.get(backend)) == entry.facts()


# -- reading -------------------------------------------------------------------------------------------------
def test_every_answer_is_the_same_with_and_without_the_cache(made, monkeypatch):
    root, backend = made
    monkeypatch.setenv("AUGNETCF_CACHE", "off")
    plain = answers(root, backend)
    assert not (root / "var").exists(), "no cache directory is made when var/cache is not there"
    monkeypatch.delenv("AUGNETCF_CACHE")
    with_cache(root)
    cold = answers(root, backend)
    assert (root / CACHE / f"index-{backend}.json").exists()
    warm = answers(root, backend)
    assert plain == cold == warm


def without_index(monkeypatch, backend: str) -> None:
    """Switch the backend's index off: every command loads every file, and
    masters are resolved on the forest of all of them."""
    module = importlib.import_module(f"augnetcf.backends.{backend.replace('-', '_')}")
    monkeypatch.setattr(module, "BACKEND", dataclasses.replace(module.BACKEND, index=False))


def test_every_answer_is_the_same_without_the_index(made, monkeypatch):
    root, backend = made
    with monkeypatch.context() as m:
        without_index(m, backend)
        with augnetcf.Config(str(root), backend) as cfg:
            assert cfg.index is None
        plain = answers(root, backend)
    with_cache(root)
    cold = answers(root, backend)
    warm = answers(root, backend)
    assert plain == cold == warm


def test_nm_masters_are_resolved_by_uuid_id_and_interface_name(tmp_path):
    """What the nm-keyfile root says, spelled out (the test above checks that
    the index agrees with a full load; this, that both say the right thing)."""
    root = with_cache(nm_host(tmp_path / "root"))
    got = answers(root, "nm-keyfile")
    assert got == answers(root, "nm-keyfile")  # warm
    masters = got["masters"]
    assert {masters[p] for p in ("eth0", "eth1", "eth2")} == {"bond0"}  # by uuid, id, name
    assert [masters[f"bond0.{t}"] for t in (1, 2, 3)] == ["br1", "br2", "br3"]
    assert masters["eth3"] == "br-a"  # the first file with the id and an interface name
    assert masters["eth4"] == "br-self"  # its own id is not its master
    assert masters["eth5"] == uid(500)  # its own uuid names nothing
    assert (masters["eth6"], masters["eth7"]) == ("br-y", "old-id")  # the last id and interface-name
    assert masters["eth8"] == "wlan0"  # a Wi-Fi connection's id
    assert masters["eth9"] == uid(800)  # a master the lens rejects
    assert "broken.nmconnection" in got["broken"][0]
    assert "wlan0" not in got["list"] and "eth0" not in got["list"] and "bond0" in got["list"]
    for port in ("eth0", "eth1", "eth2"):
        assert f'name="{port}"' in got["bond0"]
    assert 'name="bond0.1"' in got["br1"]


def test_nm_masters_follow_the_stylesheets_rule(tmp_path, monkeypatch):
    """The engine's rule (Config._master_of) is ancf:nm-master's, which the
    stylesheets use: on the forest of every file, both give every unit's master."""
    root = nm_host(tmp_path / "root")
    without_index(monkeypatch, "nm-keyfile")
    with augnetcf.Config(str(root), "nm-keyfile") as cfg:
        snap = cfg._snapshot()
        units = [u for us in snap.units.values() for u in us]
        assert len(units) > 20
        for name, [unit] in snap.units.items():
            resolved = unit.xpath("ancf:nm-master(.)", namespaces=index.XPATH_NS)
            assert resolved == snap.masters.get(name, ""), name


def test_an_id_changed_by_hand_is_never_served_from_the_cache(tmp_path, monkeypatch):
    """A port's file stays as it was while its master's id changes: what the
    port means changes with it, though the index's entry for it is still good."""
    root = with_cache(nm_host(tmp_path / "root"))
    before = answers(root, "nm-keyfile")
    assert before["masters"]["bond0.1"] == "br1" and before["masters"]["eth3"] == "br-a"
    br1 = root / NM / "br1.nmconnection"
    rewrite_unnoticed(br1, b"id=Tenant 1\n", b"id=Tenant 9\n")
    dup = root / NM / "dup-a.nmconnection"
    dup.write_text(dup.read_text().replace("id=shared", "id=not-shared"))
    after = answers(root, "nm-keyfile")
    assert after["masters"]["bond0.1"] == "Tenant 1" and 'name="bond0.1"' not in after["br1"]
    assert after["masters"]["eth3"] == "br-b" and 'name="eth3"' in after["br-b"]
    with monkeypatch.context() as m:
        without_index(m, "nm-keyfile")
        assert answers(root, "nm-keyfile") == after
    # and back: the port is the bridge's again
    dup.write_text(dup.read_text().replace("id=not-shared", "id=shared"))
    br1.write_text(br1.read_text().replace("id=Tenant 9", "id=Tenant 1"))
    assert answers(root, "nm-keyfile") == before


def run_in_mode(m: pytest.MonkeyPatch, mode: str, cache: bool, root: Path, backend: str) -> None:
    """Make the next commands on *root* run without the index (``full``), or
    through it, with a warm cache if *cache*: the two sides of a comparison."""
    if mode == "full":
        without_index(m, backend)
    elif cache:
        with_cache(root)
        answers(root, backend)  # warm


@pytest.mark.parametrize("cache", [False, True])
def test_nm_changes_equal_changes_without_the_index(tmp_path, monkeypatch, cache):
    """A define and undefine through the index (loading only the interface's
    files, its ports' and its master's) change exactly what they change with
    every file loaded and no index."""
    xml = ('<interface type="bond" name="bond0"><start mode="onboot"/><bond mode="active-backup">'
           '<miimon freq="100"/><interface type="ethernet" name="eth0"/>'
           '<interface type="ethernet" name="eth3"/></bond></interface>')
    roots = []
    for mode in ("index", "full"):
        root = nm_host(tmp_path / mode)
        (root / NM / "broken.nmconnection").unlink()  # else changes are refused
        with monkeypatch.context() as m:
            run_in_mode(m, mode, cache, root, "nm-keyfile")
            with augnetcf.Config(str(root), "nm-keyfile") as cfg:
                cfg.define(xml)  # eth1 (by id) and eth2 (by name) dropped, eth3 taken from br-a
                for name in ("br1", "br2", "br3", "br-self"):  # ports by id, name, uuid, a shared id
                    cfg.undefine(name)
                cfg.define(xml)  # again: a no-op
        shutil.rmtree(root / "var", ignore_errors=True)
        roots.append(root)
    index_, full = (snapshot_tree(r) for r in roots)
    assert index_ == full
    files = sorted(p.name for p in (roots[0] / NM).iterdir())
    for gone in ("Wired connection 2", "eth2", "br1", "bond0.1", "br2", "bond0.2", "br3", "bond0.3",
                 "eth4", "selfish-br"):
        assert f"{gone}.nmconnection" not in files
    eth3 = (roots[0] / NM / "eth3.nmconnection").read_text()
    assert "master=bond0" in eth3 and "slave-type=bond" in eth3 and f"uuid={uid(303)}" in eth3
    eth0 = (roots[0] / NM / "Wired connection 1.nmconnection").read_text()  # it named bond0 by uuid
    assert "master=bond0" in eth0 and "id=Wired connection 1" in eth0 and f"uuid={uid(2)}" in eth0
    with monkeypatch.context() as m:
        without_index(m, "nm-keyfile")
        want = answers(roots[1], "nm-keyfile")
    assert answers(roots[0], "nm-keyfile") == want


#: networkd changes, each reaching across files: (verb, argument).
ND_CHANGES = [
    # a new VLAN on the bond: its VLAN= line goes into the bond's first file
    ("define", '<interface type="vlan" name="bond0.7"><start mode="onboot"/><vlan tag="7">'
               '<interface name="bond0"/></vlan></interface>'),
    # the bridge whose drop-in amends it, its port moved; a losing file for it stays
    ("define", '<interface type="bridge" name="br2"><start mode="onboot"/><protocol family="ipv4">'
               '<ip address="10.0.2.1" prefix="24"/></protocol><bridge stp="off">'
               '<interface type="vlan" name="bond0.7"><vlan tag="7"><interface name="bond0"/></vlan>'
               '</interface></bridge></interface>'),
    # its VLAN= line is in the bond's second file
    ("undefine", "br3"),
    # br1's winner (05-br1.network) and its drop-in
    ("define", '<interface type="bridge" name="br1"><start mode="onboot"/><bridge stp="on" delay="2">'
               '<interface type="vlan" name="bond0.1"><vlan tag="1"><interface name="bond0"/></vlan>'
               '</interface></bridge></interface>'),
    # refused: a drop-in sets MTUBytes
    ("define", '<interface type="ethernet" name="eth0"><start mode="onboot"/><mtu size="1400"/></interface>'),
    # refused: hidden by 00-en.network; by 01-not-eth0.network; not hidden (negated): eth6
    ("define", '<interface type="ethernet" name="ens9"><start mode="onboot"/></interface>'),
    ("define", '<interface type="ethernet" name="eth5"><start mode="onboot"/></interface>'),
    ("define", '<interface type="ethernet" name="eth6"><start mode="onboot"/></interface>'),
    # VLANs on an unconfigured parent: a file of their own, found again as their home
    ("define", '<interface type="vlan" name="vlan42"><start mode="onboot"/><vlan tag="42">'
               '<interface name="eth3"/></vlan></interface>'),
    ("define", '<interface type="vlan" name="vlan43"><start mode="onboot"/><vlan tag="43">'
               '<interface name="eth3"/></vlan></interface>'),
    ("undefine", "vlan42"),
    # the VLAN= line in eth4's own (hand-written) file
    ("undefine", "eth4.10"),
    ("define", '<interface type="vlan" name="eth4.11"><start mode="onboot"/><vlan tag="11">'
               '<interface name="eth4"/></vlan></interface>'),
    # the whole bond: its ports' files, both files of its VLAN= lines, its drop-in
    ("undefine", "vlan43"),
    ("undefine", "bond0"),
]


def nd_changes(root: Path) -> list[str]:
    """Apply ND_CHANGES one Config each, as separate commands; what each said."""
    said = []
    for verb, arg in ND_CHANGES:
        try:
            with augnetcf.Config(str(root), "networkd") as cfg:
                getattr(cfg, verb)(arg)
            said.append("ok")
        except augnetcf.AugnetcfError as e:
            said.append(f"{type(e).__name__}: {e}".replace(str(root), "ROOT"))
    return said


@pytest.mark.parametrize(("cache", "racy"), [(False, False), (True, False), (True, True)])
def test_networkd_changes_equal_changes_without_the_index(tmp_path, monkeypatch, cache, racy):
    """Define and undefine through the index (loading only the interface's
    files, their drop-ins, the files of its VLAN= lines and their homes)
    change exactly what they change with every file loaded and no index, and
    refuse alike (a drop-in that would override, a file that would hide)."""
    if racy:
        monkeypatch.setattr(index, "RACY_SECONDS", 3600.0)
    roots, said = [], []
    for mode in ("index", "full"):
        root = nd_host(tmp_path / mode)
        with monkeypatch.context() as m:
            run_in_mode(m, mode, cache, root, "networkd")
            said.append(nd_changes(root))
            said.append(answers(root, "networkd"))
        shutil.rmtree(root / "var", ignore_errors=True)
        roots.append(root)
    assert said[0] == said[2] and said[1] == said[3]
    assert snapshot_tree(roots[0]) == snapshot_tree(roots[1])
    steps = said[0]
    assert steps[:4] == ["ok"] * 4 and steps[7:] == ["ok"] * (len(ND_CHANGES) - 7), steps
    assert steps[4].startswith("InvalidOperation: ROOT/etc/systemd/network/10-eth0.network.d/mtu.conf: "
                               "drop-in sets Link/MTUBytes")
    assert steps[5].startswith("InvalidOperation: ROOT/etc/systemd/network/00-en.network: is read before")
    assert steps[6].startswith("InvalidOperation: ROOT/etc/systemd/network/01-not-eth0.network: "
                               "is read before")
    nd = roots[0] / ND
    assert (nd / "70-eth4.network").read_text().endswith("DHCP=ipv4\nVLAN=eth4.11\n")
    assert not (nd / "50-augnetcf-eth3.network").exists()  # went with its last VLAN
    assert not (nd / "10-eth0.network").exists() and not (nd / "20-bond0.netdev").exists()


def test_networkd_cross_file_facts_are_decided_at_snapshot_time(tmp_path, monkeypatch):
    """A file changed by hand between commands changes what other files mean
    (a new lexical winner, a drop-in, a VLAN= line moved): the warm index
    answers what a full load answers, every time."""
    root = with_cache(nd_host(tmp_path / "root"))
    answers(root, "networkd")

    def check() -> dict:
        got = answers(root, "networkd")
        with monkeypatch.context() as m:
            without_index(m, "networkd")
            assert answers(root, "networkd") == got
        return got

    before = check()
    loser = root / ND / "90-br2.network"
    rewrite_unnoticed(loser, b"Name=br2", b"Name=br1")  # it now names br1 (and loses to 05-br1 too)
    assert check()["br1"] == before["br1"]
    (root / ND / "05-br1.network").rename(root / ND / "95-br1.network")  # now 40-br1 wins
    after = check()
    assert "10.0.1.1" in after["br1"] and "10.9.1.1" not in after["br1"]
    (root / ND / "40-br1.network.d").mkdir()
    (root / ND / "40-br1.network.d/mtu.conf").write_text("[Link]\nMTUBytes=1300\n")
    assert '<mtu size="1300"/>' in check()["br1"]
    more = root / ND / "60-bond0-more.network"  # bond0.2's VLAN= line moves to the bond's first file
    more.write_text(more.read_text().replace("VLAN=bond0.2\n", ""))
    first = root / ND / "20-bond0.network"
    first.write_text(first.read_text() + "VLAN=bond0.2\n")
    assert check()["bond0.2"] == before["bond0.2"]
    with augnetcf.Config(str(root), "networkd") as cfg:
        cfg.undefine("bond0.2")
    assert "bond0.2" not in first.read_text() and "bond0.2" not in check()["masters"]
    (root / ND / "05-br1.network").write_text("[Match]\nName=br*\n\n[Network]\nDHCP=yes\n")
    with augnetcf.Config(str(root), "networkd") as cfg, pytest.raises(augnetcf.InvalidOperation) as exc:
        cfg.define('<interface type="bridge" name="br9"><start mode="onboot"/>'
                   '<bridge stp="off"/></interface>')
    assert exc.value.file.endswith("/05-br1.network")


def test_a_changed_file_is_never_served_from_the_cache(tmp_path):
    root = with_cache(host(tmp_path / "root", "redhat"))
    answers(root, "redhat")  # records every file
    path = root / "etc/sysconfig/network-scripts/ifcfg-br2"
    rewrite_unnoticed(path, b"10.0.2.1", b"10.0.2.9")
    with augnetcf.Config(str(root), "redhat") as cfg:
        assert 'address="10.0.2.9"' in cfg.xml_desc("br2")


def test_a_file_changed_moments_ago_is_not_recorded(tmp_path, monkeypatch):
    root = with_cache(host(tmp_path / "root", "suse"))
    monkeypatch.setattr(index, "RACY_SECONDS", 0.5)
    time.sleep(0.6)
    (root / "etc/sysconfig/network/ifcfg-br1").write_text("BOOTPROTO=dhcp\nBRIDGE=yes\n")
    with augnetcf.Config(str(root), "suse") as cfg:
        cfg.list_interfaces()
    cache = json.loads((root / CACHE / "index-suse.json").read_text())
    assert "/etc/sysconfig/network/ifcfg-br1" not in cache["files"]
    assert "/etc/sysconfig/network/ifcfg-br2" in cache["files"]


def test_a_change_is_recorded_once_the_file_is_old_enough_and_not_before(tmp_path, monkeypatch):
    """The command after a change (a define's, say) finds the changed file
    too recent to record: the cache keeps its old entry, which its stamp
    rules out, and is not written again for that alone (4,000 entries); once
    the file is older than the racy window, the next command records it."""
    root = with_cache(host(tmp_path / "root", "suse"))
    monkeypatch.setattr(index, "RACY_SECONDS", 0.5)
    time.sleep(0.6)
    answers(root, "suse")  # records every file
    facts = root / CACHE / "index-suse.json"
    before = facts.stat()
    path = root / "etc/sysconfig/network/ifcfg-br1"
    old = json.loads(facts.read_text())["files"]["/etc/sysconfig/network/ifcfg-br1"]
    path.write_text("BOOTPROTO=dhcp\nBRIDGE=yes\n")
    for _ in range(2):
        with augnetcf.Config(str(root), "suse") as cfg:
            assert "<dhcp/>" in cfg.xml_desc("br1")
    assert (facts.stat().st_ino, facts.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert json.loads(facts.read_text())["files"]["/etc/sysconfig/network/ifcfg-br1"] == old
    time.sleep(0.6)
    with augnetcf.Config(str(root), "suse") as cfg:
        assert "<dhcp/>" in cfg.xml_desc("br1")
    entry = json.loads(facts.read_text())["files"]["/etc/sysconfig/network/ifcfg-br1"]
    assert entry != old and entry[0][1] == path.stat().st_ino


@pytest.mark.parametrize("backend", ["redhat", "debian"])
def test_the_kept_listing_answers_only_while_nothing_changed(tmp_path, backend):
    """``list`` keeps its answer beside what it came from (index.listing): a
    second list on an unchanged root reads no entry, and any change (a file
    edited, added to an included directory or removed, a kernel MAC, a file
    that will not parse) makes it resolve from the files again, with the
    answer a full load gives."""
    root = with_cache(host(tmp_path / "root", backend))

    def listed() -> tuple[list, bool]:
        with augnetcf.Config(str(root), backend) as cfg:
            got = [(i.name, i.mac) for i in cfg.interfaces()]
            used = cfg.index.listed
            assert cfg.list_interfaces() == [n for n, _m in got]
            assert not cfg.broken_files or not cfg.index.listed
            return got, used

    def full() -> list:
        with augnetcf.Config(str(root), backend) as cfg:
            snap = cfg._full_snapshot() if cfg.index is None else cfg._snapshot()
            return [(n, snap.macs.get(n) or None) for n in snap.top_level()]

    first, used = listed()
    assert not used and first == full()
    again, used = listed()
    assert used and again == first
    if backend == "redhat":
        edited = root / "etc/sysconfig/network-scripts/ifcfg-br2"
        edited.write_text(edited.read_text().replace("br2", "brX"))
        added = root / "etc/sysconfig/network-scripts/ifcfg-br9"
        added.write_text("DEVICE=br9\nTYPE=Bridge\n")
    else:
        edited = root / "etc/network/interfaces"
        edited.write_text(edited.read_text().replace("br2", "brX"))
        added = root / "etc/network/deeper/y"  # reached through more's source-directory
        added.write_text("iface br9 inet dhcp\n")
    got, used = listed()
    assert not used and got == full() and "brX" in dict(got) and "br9" in dict(got)
    assert listed() == (got, True)
    added.unlink()
    got, used = listed()
    assert not used and "br9" not in dict(got)
    listed()
    (root / "sys/class/net/eth5").mkdir(parents=True)  # the kernel's MACs name interfaces too
    (root / "sys/class/net/eth5/address").write_text("52:54:00:00:00:09\n")
    got, used = listed()
    assert not used and got == full()
    broken = added.with_name("ifcfg-zz" if backend == "redhat" else "z")
    broken.write_text('DEVICE=zz\nIPADDR="1\n' if backend == "redhat" else "iface\n")
    for _ in range(2):  # a broken file is reported every time: never a kept answer
        with augnetcf.Config(str(root), backend) as cfg:
            cfg.list_interfaces()
            assert not cfg.index.listed and cfg.broken_files


def one_shot_answers(root: Path, backend: str) -> tuple[dict, list[bool]]:
    """What :func:`answers` asks, each question from a Config of its own (as
    each command of the tool is), and whether each one's first look was
    answered by the index's resolved file."""
    def ask(question, resolves: bool = True):
        with augnetcf.Config(str(root), backend) as cfg:
            got = question(cfg)
            if resolves:  # (resolved again, or taken from the resolved file)
                used.append(cfg.index.resolved is not None and not cfg._resolutions.fresh)
            return got

    used: list[bool] = []
    snap = ask(lambda cfg: cfg._snapshot())
    out = {"list": ask(lambda cfg: cfg.list_interfaces(), False),  # (these read the kept listing)
           "macs": ask(lambda cfg: [(i.name, i.mac) for i in cfg.interfaces()], False),
           "broken": ask(lambda cfg: [str(e).replace(str(root), "ROOT") for e in cfg.broken_files], False),
           "masters": dict(sorted((n, m) for n, m in snap.masters.items() if m))}
    for name in sorted(snap.units):
        def dump(cfg, name=name):
            try:
                return cfg.xml_desc(name)
            except augnetcf.AugnetcfError as e:
                return f"error: {e}".replace(str(root), "ROOT")
        out[name] = ask(dump)
    return out, used


def test_one_shot_commands_on_an_unchanged_root_use_what_was_resolved(made, monkeypatch):
    """A command on a root where nothing changed since the last one resolved
    it takes the entries and the snapshot from the index's resolved file
    (no facts file read, nothing resolved again, only the entries it needs
    parsed), and every answer is the one a load of every file gives."""
    root, backend = made
    monkeypatch.setenv("AUGNETCF_CACHE", "off")
    plain = answers(root, backend)
    monkeypatch.delenv("AUGNETCF_CACHE")
    with_cache(root)
    answers(root, backend)  # records every file, and the resolution
    assert (root / CACHE / f"index-{backend}.resolved").exists() is not bool(plain["broken"])
    got, used = one_shot_answers(root, backend)
    assert got == plain
    if plain["broken"]:  # broken files are reported every time: nothing is kept for such a root
        assert not any(used)
    else:
        assert all(used), used
    with augnetcf.Config(str(root), backend) as cfg:
        cfg._snapshot()
        rows = cfg.index.entries
        if not plain["broken"]:
            assert isinstance(rows, index._Rows) and not any(rows._made), "no entry read before one is asked"
        if plain["list"]:
            cfg.xml_desc(plain["list"][0])
            if not plain["broken"] and len(rows) > 8:
                assert sum(e is not None for e in rows._made) < len(rows)


@pytest.mark.parametrize("backend", ["redhat", "debian"])
def test_what_was_resolved_is_used_only_while_nothing_changed(tmp_path, backend):
    """Any change since the resolution was kept (a file edited, added or
    removed, an included file, a kernel MAC, a file that will not parse, a
    trees file of another generation, a resolved file damaged) makes the
    next command look at the files again, with the answers a full load gives."""
    root = with_cache(host(tmp_path / "root", backend))

    def full() -> dict:
        os.environ["AUGNETCF_CACHE"] = "off"
        try:
            return answers(root, backend)
        finally:
            del os.environ["AUGNETCF_CACHE"]

    def check(expect_used: bool) -> None:
        got, used = one_shot_answers(root, backend)
        assert got == full()
        assert used[0] is expect_used
        assert all(used) is expect_used

    answers(root, backend)
    check(True)
    if backend == "redhat":
        edited = root / "etc/sysconfig/network-scripts/ifcfg-br2"
        added = root / "etc/sysconfig/network-scripts/ifcfg-br9"
        added_text, broken_text = "DEVICE=br9\nTYPE=Bridge\n", 'DEVICE=zz\nIPADDR="1\n'
    else:
        edited = root / "etc/network/interfaces"
        added = root / "etc/network/deeper/y"  # reached through more's source-directory
        added_text, broken_text = "iface br9 inet dhcp\n", "iface\n"
    edited.write_text(edited.read_text().replace("10.0.2.1", "10.0.2.7"))
    check(False)
    check(True)
    added.write_text(added_text)
    check(False)
    check(True)
    added.unlink()
    check(False)
    check(True)
    (root / "sys/class/net/eth5").mkdir(parents=True)
    (root / "sys/class/net/eth5/address").write_text("52:54:00:00:00:09\n")
    check(False)
    check(True)
    cache = root / CACHE / f"index-{backend}"
    trees = cache.with_suffix(".trees")
    data = trees.read_bytes()  # another generation's trees, as a writer that died between renames leaves
    stale = data.split(b"\n", 1)[1].replace(b"10.0.", b"10.6.")
    trees.write_bytes(b"augnetcf-trees 0000000000000000\n" + stale)
    with augnetcf.Config(str(root), backend) as cfg:
        assert "10.0.1.1" in cfg.xml_desc("br1")
    assert one_shot_answers(root, backend)[0] == full()
    resolved = cache.with_suffix(".resolved")
    data = resolved.read_bytes()
    for damaged in (data[:len(data) // 2], data[:-1], b"{}\n" + data, b"", data.replace(b"\n", b"\n\n", 3)):
        resolved.write_bytes(damaged)
        assert one_shot_answers(root, backend)[0] == full()
    broken = added.with_name("ifcfg-zz" if backend == "redhat" else "z")
    broken.write_text(broken_text)
    for _ in range(2):
        got, used = one_shot_answers(root, backend)
        assert got == full() and not any(used) and got["broken"]


def test_a_resolved_file_others_could_write_is_ignored(tmp_path):
    root = with_cache(host(tmp_path / "root", "redhat"))
    answers(root, "redhat")
    resolved = root / CACHE / "index-redhat.resolved"
    assert stat.S_IMODE(resolved.stat().st_mode) == 0o600
    resolved.write_bytes(resolved.read_bytes().replace(b'"br1"', b'"planted"'))
    os.chmod(resolved, 0o644)
    with augnetcf.Config(str(root), "redhat") as cfg:
        assert "planted" not in cfg.list_interfaces() and "br1" in cfg.list_interfaces()
        assert cfg.index.resolved is None


def test_a_change_through_what_was_resolved_is_learned(tmp_path, monkeypatch):
    """A define whose first look the resolved file answered (on Debian,
    through a window) leaves the index knowing the file it wrote, so the
    next command does not parse it again, and answers as a full load."""
    from augnetcf import window

    root = with_cache(host(tmp_path / "root", "debian", tenants=40))
    answers(root, "debian")
    monkeypatch.setattr(index, "RACY_SECONDS", 3600.0)  # what the define writes stays racy
    monkeypatch.setattr(window, "MIN_BYTES", 0)
    planned = []
    plan = window.plan
    monkeypatch.setattr(window, "plan", lambda *a, **k: planned.append(plan(*a, **k)) or planned[-1])
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.define(CHANGES["debian"][0])
        assert cfg.index.resolved is not None, "the define's first look was the resolved file's"
    assert any(planned), "the change went through a window"
    parsed = []
    real = index.Index._parse
    monkeypatch.setattr(index.Index, "_parse",
                        lambda self, paths, *a: parsed.extend(paths) or real(self, paths, *a))
    with augnetcf.Config(str(root), "debian") as cfg:
        got = cfg.xml_desc("br3")
    assert "eth5" in got and "/etc/network/interfaces" not in parsed
    monkeypatch.setenv("AUGNETCF_CACHE", "off")
    with augnetcf.Config(str(root), "debian") as cfg:
        assert cfg.xml_desc("br3") == got


def test_a_broken_file_is_reported_every_time(tmp_path):
    root = with_cache(host(tmp_path / "root", "redhat"))
    broken = root / "etc/sysconfig/network-scripts/ifcfg-br3"
    broken.write_text('DEVICE=br3\nIPADDR="10.0.3.1\n')
    for _ in range(2):
        with augnetcf.Config(str(root), "redhat") as cfg:
            [err] = cfg.broken_files
            assert err.file == str(broken)
            with pytest.raises(augnetcf.FileError, match="fix it before changing"):
                cfg.undefine("br1")


def test_a_cache_others_could_write_is_ignored(tmp_path):
    root = with_cache(host(tmp_path / "root", "redhat"))
    answers(root, "redhat")
    cache = root / CACHE / "index-redhat.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.with_suffix(".trees").stat().st_mode) == 0o600
    data = json.loads(cache.read_text())
    for item in data["files"].values():  # a planted entry: every interface renamed
        item[3] = [["planted", *unit[1:]] for unit in item[3]]
    cache.write_text(json.dumps(data))
    os.chmod(cache, 0o666)
    with augnetcf.Config(str(root), "redhat") as cfg:
        assert "planted" not in cfg.list_interfaces()
    cache.write_text("{not json")
    with augnetcf.Config(str(root), "redhat") as cfg:
        assert "br1" in cfg.list_interfaces()


# -- changing ------------------------------------------------------------------------------------------------
def _load_everything(monkeypatch) -> None:
    """Make changes load every file of the backend, as before narrowing."""
    real = augnetcf.config.Config._materialize

    def everything(self, snap, names, write, extra):
        if write:
            extra = list(extra) + [e.aug_path for e in self.index.entries]
        return real(self, snap, names, write, extra)

    monkeypatch.setattr(augnetcf.config.Config, "_materialize", everything)


CHANGES = {
    # a bridge whose port lives in another file, moved to a new port: the old port's file goes
    "redhat": ('<interface type="bridge" name="br2"><start mode="onboot"/><bridge stp="off">'
               '<interface type="ethernet" name="eth5"/></bridge></interface>', "br4"),
    "debian": ('<interface type="bridge" name="br3"><start mode="onboot"/><bridge stp="off">'
               '<interface type="ethernet" name="eth5"/></bridge></interface>', "br2"),
    "suse": ('<interface type="bridge" name="br2"><start mode="onboot"/><protocol family="ipv4">'
             '<ip address="10.9.9.9" prefix="24"/><route gateway="10.9.9.1"/></protocol><bridge stp="off">'
             '<interface type="vlan" name="bond0.2"><vlan tag="2"><interface name="bond0"/></vlan>'
             '</interface></bridge></interface>', "br1"),
}


@pytest.mark.parametrize("backend", sorted(CHANGES))
@pytest.mark.parametrize(("cache", "racy"), [(False, False), (True, False), (True, True)])
def test_narrowed_changes_equal_changes_with_every_file_loaded(tmp_path, monkeypatch, backend, cache, racy):
    """*racy*: the files are all within the racy window, so every refresh
    parses them again (as on a root written moments ago), between the reads
    and the writes of each change."""
    if racy:
        monkeypatch.setattr(index, "RACY_SECONDS", 3600.0)
    xml, gone = CHANGES[backend]
    roots = []
    for mode in ("narrow", "full"):
        root = host(tmp_path / mode, backend)
        if cache:
            with_cache(root)
            answers(root, backend)  # warm
        with monkeypatch.context() as m:
            if mode == "full":
                _load_everything(m)
            with augnetcf.Config(str(root), backend) as cfg:
                cfg.define(xml)
                cfg.undefine(gone)
                cfg.define(xml)  # again: a no-op
        shutil.rmtree(root / "var", ignore_errors=True)
        roots.append(root)
    narrow, full = (snapshot_tree(r) for r in roots)
    assert narrow == full
    before = snapshot_tree(host(tmp_path / "before", backend))
    assert narrow != before, "the change did something"
    answers_after = [answers(r, backend) for r in roots]
    assert answers_after[0] == answers_after[1]


def test_define_of_a_bridge_edits_port_files_it_did_not_name_by_file(tmp_path):
    """The bridge's new port was configured in its own file: that file is
    edited (BRIDGE= added), though nothing named it but the index."""
    root = with_cache(host(tmp_path / "root", "redhat"))
    answers(root, "redhat")
    xml = ('<interface type="bridge" name="br1"><start mode="onboot"/><bridge stp="off">'
           '<interface type="vlan" name="bond0.1"><vlan tag="1"><interface name="bond0"/></vlan></interface>'
           '<interface type="vlan" name="bond0.2"><vlan tag="2"><interface name="bond0"/></vlan></interface>'
           '</bridge></interface>')
    with augnetcf.Config(str(root), "redhat") as cfg:
        cfg.define(xml)
        assert "bond0.2" in cfg.xml_desc("br1")
        assert "br2" in cfg.list_interfaces()
    port = (root / "etc/sysconfig/network-scripts/ifcfg-bond0.2").read_text()
    assert "BRIDGE='br1'" in port and "br2" not in port  # its quoting kept


def test_a_trees_file_that_does_not_match_the_index_is_not_used(tmp_path):
    root = with_cache(host(tmp_path / "root", "redhat"))
    want = answers(root, "redhat")
    trees = root / CACHE / "index-redhat.trees"
    data = trees.read_bytes()
    # another generation's trees (say, a writer that died between the two renames)
    stale = data.split(b"\n", 1)[1].replace(b"10.0.", b"10.6.")
    trees.write_bytes(b"augnetcf-trees 0000000000000000\n" + stale)
    assert answers(root, "redhat") == want


# -- what the index does not serve ---------------------------------------------------------------------------
def test_a_backend_whose_files_depend_on_each_other_loads_every_file(tmp_path, monkeypatch):
    """A backend that says ``index=False`` (every backend is indexed today;
    networkd was not) is not indexed: Config reads every file as before,
    and makes no cache."""
    from txn_roots import make_root

    backend = "networkd"
    assert backends.get(backend).index
    without_index(monkeypatch, backend)
    root = with_cache(make_root(tmp_path / "root", backend))
    with augnetcf.Config(str(root), backend) as cfg:
        assert cfg.index is None and not backends.get(backend).index
        assert "eth0" in cfg.list_interfaces()
    assert not list((root / CACHE).iterdir())


# -- the index and transactions ------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["redhat", "debian", "suse", "nm-keyfile", "networkd", "netplan"])
def test_a_rollback_is_seen_through_a_warm_cache(tmp_path, backend):
    """A rollback puts files back by rename (new inodes): the index reads them
    again, and every answer is what it was before the transaction."""
    from txn_roots import BRIDGE, make_root

    root = with_cache(make_root(tmp_path / "root", backend))
    before = answers(root, backend)
    answers(root, backend)  # the cache holds every file now
    with augnetcf.Config(str(root), backend) as cfg:
        cfg.change_begin()
        cfg.define(BRIDGE)
        assert "br0" in cfg.list_interfaces()
    during = answers(root, backend)
    assert during != before
    with augnetcf.Config(str(root), backend) as cfg:
        assert cfg.change_rollback()
    assert answers(root, backend) == before


def test_a_save_interrupted_by_a_crash_is_recovered_before_the_index_reads(tmp_path, monkeypatch):
    """A writer that dies after committing its journal: the next Config
    finishes the save at open, and the index (warm) serves the finished files."""
    from txn_roots import BRIDGE, make_root

    from augnetcf import txn

    root = with_cache(make_root(tmp_path / "root", "redhat"))
    answers(root, "redhat")

    def die(step: str) -> None:
        if step.startswith("rename ") and "journal" not in step:  # after the commit point
            raise KeyboardInterrupt(step)

    with monkeypatch.context() as m:
        m.setattr(txn, "fault_hook", die)
        with augnetcf.Config(str(root), "redhat") as cfg, pytest.raises(KeyboardInterrupt):
            cfg.define(BRIDGE)
    with augnetcf.Config(str(root), "redhat") as cfg:
        assert "br0" in cfg.list_interfaces()
        assert "<bridge" in cfg.xml_desc("br0")


# -- what a change wrote ---------------------------------------------------------------------------------
#: A new tenant: a bridge over a new VLAN of bond0 (on networkd, the VLAN= line goes to bond0's own file).
TENANT = ('<interface type="bridge" name="br9"><start mode="onboot"/><protocol family="ipv4">'
          '<ip address="10.0.9.1" prefix="24"/></protocol><bridge stp="off"><interface type="vlan" '
          'name="bond0.9"><vlan tag="9"><interface name="bond0"/></vlan></interface></bridge></interface>')
#: A bridge over a new NIC, for the roots without a bond.
OVER_A_NIC = ('<interface type="bridge" name="br9"><start mode="onboot"/><bridge stp="off">'
              '<interface type="ethernet" name="eth7"/></bridge></interface>')
#: Roots none of whose files is broken, and what to define and then undefine on each.
LEARNING = {"redhat-host": (TENANT, "br2"), "debian-host": (TENANT, "br2"), "suse-host": (TENANT, "br2"),
            "networkd-host": (TENANT, "br2"), "nm-txn": (OVER_A_NIC, "br9"),
            "netplan-txn": (OVER_A_NIC, "br9")}


def cached_entries(root: Path, backend: str) -> dict[str, index.Entry]:
    """Every entry the cache on disk holds (facts and trees files, then the
    delta over them when it belongs to them), each with its tree text."""
    cache = root / CACHE / f"index-{backend}"
    facts = json.loads(cache.with_suffix(".json").read_text())
    trees = cache.with_suffix(".trees").read_bytes()
    out = {}
    for path, item in facts["files"].items():
        entry = index.Entry.from_json(path, item)
        if entry.blob:
            offset, length = entry.blob
            entry.tree = trees[offset:offset + length].decode()
        out[path] = entry
    delta = cache.with_suffix(".delta")
    if delta.exists():
        head, _nl, body = delta.read_bytes().partition(b"\n")
        meta = json.loads(head)
        if meta["token"] == facts["token"]:
            for path, item in meta["files"].items():
                entry = index.Entry.from_json(path, item[:15])
                if item[15]:
                    offset, length = item[15]
                    entry.tree = body[offset:offset + length].decode()
                out[path] = entry
    return out


def parses(monkeypatch) -> list[str]:
    """The paths every Index._parse is asked for from now on."""
    parsed: list[str] = []
    real = index.Index._parse
    monkeypatch.setattr(index.Index, "_parse",
                        lambda self, paths, *a: parsed.extend(paths) or real(self, paths, *a))
    return parsed


@pytest.mark.parametrize(("name", "windows"),
                         [(n, False) for n in sorted(LEARNING)] + [("debian-host", True)])
def test_what_a_change_wrote_is_learned_not_parsed_again(tmp_path, monkeypatch, name, windows):
    """A define and an undefine tell the index what each file they wrote
    holds (its bytes read back and parsed in the change's own Augeas
    handle), so the command after each parses none of them, though they are
    all inside the racy window; what the cache keeps for each is what a
    fresh parse of the file gives, and every answer is the one a load of
    every file gives. netplan's YAML (a Python lens) is parsed by the next
    command as before. *windows*: Debian's changes go through a window."""
    from augnetcf import window

    backend, make = ROOTS[name]
    if windows:
        monkeypatch.setattr(window, "MIN_BYTES", 0)
    root = with_cache(make(tmp_path / "root"))
    answers(root, backend)
    monkeypatch.setattr(index, "RACY_SECONDS", 3600.0)  # what the changes write stays racy
    xml, gone = LEARNING[name]
    parsed = parses(monkeypatch)
    for step, change in enumerate([lambda cfg: cfg.define(xml), lambda cfg: cfg.undefine(gone)]):
        before = snapshot_tree(root)
        with augnetcf.Config(str(root), backend) as cfg:
            change(cfg)
        after = snapshot_tree(root)
        written = sorted("/" + p for p in set(before) | set(after)
                         if before.get(p) != after.get(p) and not p.startswith("var/"))
        assert written, f"change {step} wrote something"
        parsed.clear()
        with augnetcf.Config(str(root), backend) as cfg:
            cfg.list_interfaces()
            assert cfg.index.broken == []
        present = [p for p in written if (root / p.lstrip("/")).exists()]
        if backend == "netplan":
            assert sorted(parsed) == present
            continue
        assert parsed == [], f"the command after change {step} parsed what it wrote"
        kept = cached_entries(root, backend)
        _files, want = full_load(root, backend)
        b = backends.get(backend)
        for path in present:
            entry = kept[path]
            assert entry.digest, f"{path} is kept by its bytes, inside the racy window"
            assert entry.tree == want[entry.aug_path]
            assert index.facts(_alone(entry.element()), b) == entry.facts()
    got = answers(root, backend)
    monkeypatch.setenv("AUGNETCF_CACHE", "off")
    assert got == answers(root, backend)


def test_a_change_writes_only_the_delta_until_it_grows(tmp_path, monkeypatch):
    """After a change only the small delta file is written (not the facts
    and trees of every file again); a command that keeps its resolution
    folds it into the whole cache; a delta past DELTA_MAX entries means the
    whole cache; a delta that does not belong to the facts file, or is
    damaged, or that others could write, is not used (its files are parsed)."""
    root = with_cache(host(tmp_path / "root", "redhat"))
    cache = root / CACHE / "index-redhat"
    facts, trees, delta = (cache.with_suffix(s) for s in (".json", ".trees", ".delta"))
    plain = answers(root, "redhat")

    def stamps():
        return [(p.stat().st_ino, p.stat().st_mtime_ns) for p in (facts, trees)]

    before = stamps()
    with augnetcf.Config(str(root), "redhat") as cfg:
        cfg.define(TENANT)
    assert stamps() == before, "the facts and trees files are not written again"
    meta = json.loads(delta.read_bytes().partition(b"\n")[0])
    assert sorted(meta["files"]) == ["/etc/sysconfig/network-scripts/ifcfg-bond0.9",
                                     "/etc/sysconfig/network-scripts/ifcfg-br9"]
    assert meta["token"] == json.loads(facts.read_text())["token"]
    after = answers(root, "redhat")
    assert "br9" in after["list"] and after != plain
    assert not delta.exists() and stamps() != before, "a kept resolution folds the delta in"
    assert "/etc/sysconfig/network-scripts/ifcfg-br9" in json.loads(facts.read_text())["files"]

    monkeypatch.setattr(index, "RACY_SECONDS", 3600.0)
    parsed = parses(monkeypatch)
    with augnetcf.Config(str(root), "redhat") as cfg:
        cfg.undefine("br9")
        cfg.define(TENANT.replace("10.0.9.1", "10.0.9.2"))
    good = delta.read_bytes()
    parsed.clear()
    with augnetcf.Config(str(root), "redhat") as cfg:
        assert 'address="10.0.9.2"' in cfg.xml_desc("br9")
    assert parsed == []
    head, nl, body = good.partition(b"\n")
    other = json.loads(head)
    other["token"] = "0" * 16
    for bad in (json.dumps(other).encode() + nl + body, good[:-1], good[: len(head) // 2], b""):
        delta.write_bytes(bad)
        parsed.clear()
        with augnetcf.Config(str(root), "redhat") as cfg:
            assert 'address="10.0.9.2"' in cfg.xml_desc("br9")
        assert "/etc/sysconfig/network-scripts/ifcfg-br9" in parsed
    delta.write_bytes(good)
    os.chmod(delta, 0o644)
    parsed.clear()
    with augnetcf.Config(str(root), "redhat") as cfg:
        assert 'address="10.0.9.2"' in cfg.xml_desc("br9")
    assert "/etc/sysconfig/network-scripts/ifcfg-br9" in parsed

    monkeypatch.setattr(index, "DELTA_MAX", 1)
    before = stamps()
    with augnetcf.Config(str(root), "redhat") as cfg:
        cfg.undefine("br9")
        cfg.define(TENANT)
    assert stamps() != before and not delta.exists(), "two entries: the whole cache"
    monkeypatch.setattr(index, "RACY_SECONDS", 0.0)
    monkeypatch.setenv("AUGNETCF_CACHE", "off")
    want = answers(root, "redhat")
    monkeypatch.delenv("AUGNETCF_CACHE")
    assert answers(root, "redhat") == want


def test_an_undefine_looks_at_the_files_once(tmp_path, monkeypatch):
    """Once the lock file is there, an undefine looks at the files only
    under the write lock (a look before it was a third of an undefine among
    4,000 files); an unknown name is refused all the same, and changes nothing."""
    root = with_cache(host(tmp_path / "root", "redhat"))
    with augnetcf.Config(str(root), "redhat") as cfg:
        cfg.define(TENANT)
    looks = []
    real = index.Index.refresh
    monkeypatch.setattr(index.Index, "refresh", lambda self: looks.append(1) or real(self))
    before = snapshot_tree(root)
    with augnetcf.Config(str(root), "redhat") as cfg, pytest.raises(augnetcf.NotFound, match="nope"):
        cfg.undefine("nope")
    assert {p: d for p, d in snapshot_tree(root).items() if not p.startswith("var/")} == \
        {p: d for p, d in before.items() if not p.startswith("var/")}
    looks.clear()
    with augnetcf.Config(str(root), "redhat") as cfg:
        cfg.undefine("br9")
    assert len(looks) == 1
    assert "br9" not in answers(root, "redhat")["list"]


def installer_yaml(root: Path, tenants: int) -> Path:
    """A netplan root as an installer leaves it: one file with the NICs, a
    bond, and per tenant a VLAN on it; bridges over all but the last VLAN."""
    vlans = "".join(f"    bond0.{t}:\n      id: {t}\n      link: bond0\n" for t in range(1, tenants + 1))
    bridges = "".join(f"    br{t}:  # tenant {t}\n      addresses: [10.0.{t}.1/24]\n      interfaces:\n"
                      f"        - bond0.{t}\n" for t in range(1, tenants))
    path = root / "etc/netplan/00-installer-config.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("# written by the installer\nnetwork:\n  version: 2\n  ethernets:\n    eth0: {}\n"
                    "    eth1: {}\n  bonds:\n    bond0:\n      interfaces: [eth0, eth1]\n  vlans:\n"
                    f"{vlans}  bridges:\n{bridges}")
    path.chmod(0o600)
    return root


def test_a_netplan_change_that_leaves_a_file_alone_does_not_parse_it(tmp_path, monkeypatch):
    """A define whose interfaces live partly in a YAML file it does not
    change (a new bridge over a VLAN of the installer's file) takes that
    file's tree from the index, which parsed exactly the bytes the change
    reads: ruamel.yaml does not load the file again (2.5 s at 4,000
    interfaces). The files it writes, and every answer after, are those of
    the same define with every file parsed."""
    from augnetcf import yamltree

    xml = ('<interface type="bridge" name="br6"><start mode="onboot"/><bridge stp="off">'
           '<interface type="vlan" name="bond0.6"><vlan tag="6"><interface name="bond0"/></vlan>'
           '</interface></bridge></interface>')
    results = []
    for cache in (True, False):
        root = installer_yaml(tmp_path / f"cache-{cache}", 6)
        if cache:
            with_cache(root)
        answers(root, "netplan")  # the index parses (and, with the cache, keeps) every file
        loaded = []
        real = yamltree.parse
        with monkeypatch.context() as m:
            m.setattr(yamltree, "parse", lambda text, seen=loaded, parse=real:
                      seen.append(text.partition("\n")[0]) or parse(text))
            with augnetcf.Config(str(root), "netplan") as cfg:
                cfg.define(xml)
        if cache:
            assert "# written by the installer" not in loaded, "the installer's file was parsed again"
        else:
            assert "# written by the installer" in loaded
        shutil.rmtree(root / "var", ignore_errors=True)
        results.append((snapshot_tree(root), answers(root, "netplan")))
    assert results[0] == results[1]
    assert "br6" in results[0][1]["list"]


def test_the_resolved_rows_find_and_take_entries_by_path_without_reading_the_others():
    """``_Rows.get`` and ``put`` (what a change through the resolved file
    uses) find a row by the path at the start of its line, JSON escapes and
    all, read no other row, and keep the rows in path order when a new
    file's entry goes in."""
    paths = ["/etc/x/ifcfg-a", '/etc/x/ifcfg-b"q', "/etc/x/ifcfg-c\\d", "/etc/x/ifcfg-z", "/etc/x/ifcfg-é"]

    def entry(path: str, ino: int) -> index.Entry:
        unit = [path[-1], "", "", "", "", "", -1]
        return index.Entry(path, "/files" + path, 0, (1, ino, 3, 4, 5), units=[unit])

    rows = index._Rows([json.dumps([e.path, *e.to_json(None)]).encode()
                        for e in (entry(p, i) for i, p in enumerate(paths))])
    assert rows.get("/etc/x/ifcfg-é").stamp == (1, 4, 3, 4, 5)
    assert rows.get('/etc/x/ifcfg-b"q').stamp[1] == 1 and rows.get("/etc/x/ifcfg-c\\d").stamp[1] == 2
    assert rows.get("/etc/x/ifcfg-nope") is None
    assert sum(e is not None for e in rows._made) == 3, "only the rows asked for (escaped ones) were read"
    rows.put(entry("/etc/x/ifcfg-a", 99))
    rows.put(entry("/etc/x/ifcfg-m", 98))
    assert [e.path for e in rows] == sorted([*paths, "/etc/x/ifcfg-m"])
    assert rows.get("/etc/x/ifcfg-a").stamp[1] == 99 and rows.get("/etc/x/ifcfg-m").stamp[1] == 98
    assert rows.get("/etc/x/ifcfg-z").stamp[1] == 3
    assert sorted(rows.put_since) == ["/etc/x/ifcfg-a", "/etc/x/ifcfg-m"]
