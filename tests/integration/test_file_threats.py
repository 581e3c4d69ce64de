"""Hostile or broken file systems: a clear error, and every file as it was.

A full disk and a read-only configuration are real tmpfs mounts made for the
test (tests run as root) under pytest's tmp_path, and unmounted after it.
Mode, owner and symlinks inside the root survive edits. Every backend, on the
small roots of txn_roots (the symlink inside the root: Red Hat's example).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REDHAT_DIR, snapshot_tree
from txn_roots import BACKENDS, BRIDGE, make_root

import augnetcf

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "redhat-root"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest.fixture
def tmpfs(tmp_path: Path):
    """Mount a tmpfs at a directory; unmounted whatever the test does."""
    mounted: list[Path] = []

    def mount(where: Path, options: str) -> Path:
        where.mkdir(parents=True, exist_ok=True)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                           capture_output=True, text=True)
        assert r.returncode == 0, f"these tests need root and mount(8): {r.stderr}"
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(path: Path) -> None:
    """Use up every byte of the file system holding *path*."""
    try:
        with open(path / ".filler", "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError:
        pass


#: Where each backend keeps its files, in the small roots of txn_roots.
CONFDIR = {"redhat": "etc/sysconfig/network-scripts", "debian": "etc/network",
           "suse": "etc/sysconfig/network", "nm-keyfile": "etc/NetworkManager/system-connections",
           "networkd": "etc/systemd/network", "netplan": "etc/netplan"}
#: The file describing eth0, which BRIDGE edits (eth0 becomes the port).
ETH0 = {"redhat": "ifcfg-eth0", "debian": "interfaces.d/eth0", "suse": "ifcfg-eth0",
        "nm-keyfile": "Wired connection 1.nmconnection", "networkd": "10-eth0.network",
        "netplan": "00-installer-config.yaml"}
#: A file of eth5 each backend would read.
ETH5 = {"redhat": ("ifcfg-eth5", "DEVICE=eth5\n"), "debian": ("interfaces.d/eth5", "iface eth5 inet dhcp\n"),
        "suse": ("ifcfg-eth5", "BOOTPROTO=dhcp\n"),
        "nm-keyfile": ("eth5.nmconnection", "[connection]\ntype=ethernet\ninterface-name=eth5\n"),
        "networkd": ("60-eth5.network", "[Match]\nName=eth5\n"),
        "netplan": ("60-eth5.yaml", "network:\n  ethernets:\n    eth5: {dhcp4: true}\n")}


@pytest.fixture(params=BACKENDS)
def small(request, tmp_path: Path) -> tuple[Path, str]:
    """(root, backend): a small root of each backend (txn_roots)."""
    return make_root(tmp_path / "root", request.param), request.param


def on_tmpfs(root: Path, backend: str, tmpfs, options: str) -> Path:
    """Move the backend's configuration folder onto a tmpfs mounted with *options*."""
    confdir = root / CONFDIR[backend]
    keep = root.parent / "keep"
    shutil.copytree(confdir, keep, symlinks=True)
    shutil.rmtree(confdir)
    tmpfs(confdir, options)
    shutil.copytree(keep, confdir, symlinks=True, dirs_exist_ok=True)
    return confdir


def test_full_disk_is_a_clear_error_and_changes_nothing(small: tuple[Path, str], tmpfs) -> None:
    root, backend = small
    confdir = on_tmpfs(root, backend, tmpfs, "size=64k")
    fill(confdir)
    before = snapshot_tree(root)
    with augnetcf.Config(str(root), backend) as cfg, pytest.raises(augnetcf.FileError) as ei:
        cfg.define(BRIDGE, "br0.xml")
    assert "No space left on device" in str(ei.value) or "cannot be written" in str(ei.value)
    assert str(confdir) in str(ei.value)
    assert snapshot_tree(root) == before
    assert not list(confdir.rglob("*.augnew"))


def test_read_only_configuration_is_a_clear_error_and_changes_nothing(small: tuple[Path, str], tmpfs) -> None:
    root, backend = small
    confdir = on_tmpfs(root, backend, tmpfs, "size=1m")
    subprocess.run(["mount", "-o", "remount,ro", str(confdir)], check=True)
    before = snapshot_tree(root)
    with augnetcf.Config(str(root), backend) as cfg:
        assert "eth0" in cfg.list_interfaces()  # reading still works
        with pytest.raises(augnetcf.FileError) as ei:
            cfg.define(BRIDGE, "br0.xml")
        assert "Read-only file system" in str(ei.value)
        with pytest.raises(augnetcf.FileError):
            cfg.undefine("eth0")
    assert snapshot_tree(root) == before


def test_mode_and_owner_survive_an_edit(small: tuple[Path, str]) -> None:
    root, backend = small
    eth0 = root / CONFDIR[backend] / ETH0[backend]
    os.chown(eth0, 1234, 5678)
    eth0.chmod(0o600)
    text = eth0.read_text()
    with augnetcf.Config(str(root), backend) as cfg:
        cfg.define(BRIDGE, "br0.xml")  # eth0 becomes a port: its file is edited
    st = eth0.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (1234, 5678, 0o600)
    assert eth0.read_text() != text  # edited (how depends on the backend), in place


def test_an_edit_goes_through_a_symlink_inside_the_root(root: Path) -> None:
    confdir = root / REDHAT_DIR
    (confdir / "ifcfg-eth1").rename(confdir / "real-eth1")
    (confdir / "ifcfg-eth1").symlink_to("real-eth1")
    with augnetcf.Config(str(root), "redhat") as cfg:
        xml = cfg.xml_desc("eth1").replace('mode="none"', 'mode="onboot"')
        cfg.define(xml, "eth1.xml")
    assert (confdir / "ifcfg-eth1").is_symlink()
    assert "ONBOOT='yes'" in (confdir / "real-eth1").read_text()


@pytest.mark.parametrize("kind", ["file", "directory"])
def test_a_symlink_leading_outside_is_never_written(small: tuple[Path, str], tmp_path: Path,
                                                    kind: str) -> None:
    root, backend = small
    outside = tmp_path / "outside"
    outside.mkdir()
    confdir = root / CONFDIR[backend]
    if kind == "file":
        name, text = ETH5[backend]
        (outside / "x").write_text(text)
        (confdir / name).symlink_to(outside / "x")
    else:
        shutil.copytree(confdir, outside, dirs_exist_ok=True)
        shutil.rmtree(confdir)
        confdir.symlink_to(outside)
    before = snapshot_tree(outside)
    with pytest.raises(augnetcf.FileError) as ei, augnetcf.Config(str(root), backend) as cfg:
        cfg.define(BRIDGE, "br0.xml")
    assert "leads outside the root" in str(ei.value)
    assert snapshot_tree(outside) == before


@pytest.mark.parametrize("backend", [b for b in BACKENDS if b != "debian"])  # debian's define adds to a file
def test_a_new_file_whose_name_leads_outside_is_never_written(backend: str, tmp_path: Path) -> None:
    """A file the define would create, already there as a dangling symlink
    out of the root: Augeas stages beside the link, the check refuses it, and
    nothing appears outside or stays behind inside."""
    root = tmp_path / "root"
    make_root(root, backend)
    with augnetcf.Config(str(root), backend) as cfg:
        new = [c.path for c in cfg.plan_define(BRIDGE, "br0.xml") if c.before is None]
    assert new, "the define creates a file"
    outside = tmp_path / "outside"
    outside.mkdir()
    for rel in new:
        (root / rel).symlink_to(outside / os.path.basename(rel))
    before = snapshot_tree(root)
    with pytest.raises(augnetcf.FileError) as ei, augnetcf.Config(str(root), backend) as cfg:
        cfg.define(BRIDGE, "br0.xml")
    assert "leads outside the root" in str(ei.value)
    assert list(outside.iterdir()) == []
    assert snapshot_tree(root) == before
