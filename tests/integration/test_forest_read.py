"""forest.read walks Augeas trees a level at a time, through variables and
slices of big files (a path lookup per node is quadratic in the siblings:
1.8 s for a 1,000-stanza Debian file). Here it must give exactly what one
lookup per node gives, on generated host roots with tricky files and on
netcf's roots, with slices of 3 so there are many.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, NETCF
from lxml import etree

from augnetcf import backends, forest
from augnetcf.aug import AugeasSession

EXAMPLES = DATA.parent.parent / "examples"


def host(root: Path, backend: str, tenants: int = 6) -> Path:
    """A small host: two NICs in a bond, per tenant a VLAN on it under a bridge,
    plus files that must be skipped and files written in unusual ways."""
    for nic, mac in (("eth0", "52:54:00:00:00:01"), ("eth1", "52:54:00:00:00:02")):
        (root / "sys/class/net" / nic).mkdir(parents=True)
        (root / "sys/class/net" / nic / "address").write_text(mac + "\n")
    if backend == "debian":
        d = root / "etc/network"
        (d / "interfaces.d").mkdir(parents=True)
        main = ["auto lo", "iface lo inet loopback", "source interfaces.d/*", "source /etc/network/more",
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
    else:
        for nic in ("eth0", "eth1"):
            (d / f"ifcfg-{nic}").write_text("STARTMODE=hotplug\nBOOTPROTO=none\n")
        (d / "ifcfg-bond0").write_text("BONDING_MASTER=yes\nBONDING_SLAVE_0=eth0\nBONDING_SLAVE_1=eth1\n")
        for t in range(1, tenants + 1):
            (d / f"ifcfg-bond0.{t}").write_text(f"ETHERDEVICE=bond0\nVLAN_ID={t}\n")
            (d / f"ifcfg-br{t}").write_text(f"# tenant {t}\nBOOTPROTO=static\nIPADDR=10.0.{t}.1/24\n"
                                            f'BRIDGE=yes\nBRIDGE_PORTS="bond0.{t}"\n')
        (d / "routes").write_text("default 10.0.1.254 - br1\n")
        (d / "ifsysctl-br2").write_text("net.ipv6.conf.br2.autoconf = 0\n")
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


ROOTS = {
    "redhat-host": ("redhat", lambda p: host(p, "redhat")),
    "debian-host": ("debian", lambda p: host(p, "debian")),
    "suse-host": ("suse", lambda p: host(p, "suse")),
    "redhat-netcf": ("redhat", lambda p: shutil.copytree(NETCF / "redhat/fsroot", p)),
    "debian-netcf": ("debian", lambda p: shutil.copytree(NETCF / "debian/fsroot", p)),
    "suse-fsroot": ("suse", lambda p: shutil.copytree(DATA / "suse-fsroot", p)),
    # a keyfile named with spaces: Augeas escapes them in the paths it prints
    "nm-keyfile-fedora": ("nm-keyfile", lambda p: shutil.copytree(EXAMPLES / "fedora-root", p)),
    "networkd-example": ("networkd", lambda p: shutil.copytree(EXAMPLES / "networkd-root", p)),
}


@pytest.fixture(params=sorted(ROOTS))
def made(request, tmp_path: Path) -> tuple[Path, str]:
    backend, make = ROOTS[request.param]
    root = tmp_path / "root"
    make(root)
    return root, backend


def naive_read(aug, paths):
    """forest.read as it was: a path lookup per node (quadratic, but plainly right)."""
    def children(path, parent):
        for p in aug.match(f"{path}/*"):
            label = aug.label(p)
            if label.startswith("#"):
                continue
            el = etree.SubElement(parent, "node", label=label)
            value = aug.get(p)
            if value is not None:
                el.set("value", value)
            el.set("path", p)
            children(p, el)

    out = etree.Element("forest")
    for path in paths:
        children(path, etree.SubElement(out, "tree", path=path))
    return etree.tostring(out, encoding="unicode")


@pytest.mark.parametrize("dumped", [0, 10**6], ids=["walked", "dumped"])
@pytest.mark.parametrize("spans", [False, True], ids=["plain", "spans"])
def test_forest_read_walks_trees_as_path_lookups_do(made, monkeypatch, spans, dumped):
    """With spans on (the Debian backend keeps them), Augeas names a node's
    file by its path on disk rather than under /files: both must read alike.
    Every file read node by node through variables, and every file read
    from Augeas' XML dump (forest._dumped), give what path lookups give."""
    root, backend = made
    monkeypatch.setattr(forest, "_CHUNK", 3)
    monkeypatch.setattr(forest, "_DUMPED", dumped)
    with AugeasSession(str(root), backends.get(backend).transforms, spans=spans) as s:
        if backend == "debian":
            s.include([f"/etc/network/{p}" for p in ("interfaces.d/*", "more", "deeper/*")])
        paths = sorted(s.files())
        assert paths
        # a path may be spelled escaped (Wired\ connection) or not: both name the same node
        assert unescaped(etree.tostring(forest.read(s.aug, paths), encoding="unicode")) == \
            unescaped(naive_read(s.aug, paths))


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_a_dump_that_is_not_xml_text_is_read_node_by_node(tmp_path, monkeypatch):
    """Bytes that are not UTF-8, and characters XML cannot hold, make the
    dump fail to parse: the file is then read node by node, which leaves it
    out as unreadable, exactly as before; tabs, carriage returns and DEL
    are text, and read the same both ways."""
    d = tmp_path / "root/etc/sysconfig/network-scripts"
    d.mkdir(parents=True)
    bodies = {"eth0": b'NAME="caf\xe9"', "eth1": b'NAME="a\x01b"', "eth2": b'NAME="a\xef\xbf\xbeb"',
              "eth3": b'NAME="a\rb\tc\x7f"', "eth4": b"NAME=plain"}
    for name, body in bodies.items():
        (d / f"ifcfg-{name}").write_bytes(b"DEVICE=%s\n%s\n" % (name.encode(), body))
    got = {}
    for dumped in (0, 10**6):
        monkeypatch.setattr(forest, "_DUMPED", dumped)
        with AugeasSession(str(tmp_path / "root"), backends.get("redhat").transforms) as s:
            paths = sorted(s.files())
            bad: list[str] = []
            got[dumped] = (etree.tostring(forest.read(s.aug, paths, bad)), bad)
    assert got[0] == got[10**6]
    assert sorted(p.rpartition("-")[2] for p in got[0][1]) == ["eth0", "eth1", "eth2"]
    assert b'value="a&#13;b&#9;c\x7f"' in got[0][0]


def test_the_dump_reads_every_corpus_file_as_the_walk_does(monkeypatch, tmp_path):
    """On every file of the real-files corpus, through each backend's own
    lenses: the dump and the walk give the same forest, and the same files
    unreadable."""
    import corpus

    for n, case in enumerate(corpus.cases()):
        root = corpus.make_root(case, tmp_path / str(n))
        b = backends.get(case.backend)
        read = {}
        for dumped in (0, 10**6):
            monkeypatch.setattr(forest, "_DUMPED", dumped)
            with AugeasSession(str(root), b.transforms) as s:
                paths = sorted(s.files())
                bad: list[str] = []
                read[dumped] = (etree.tostring(forest.read(s.aug, paths, bad)), bad)
        assert read[0] == read[10**6], case.id
