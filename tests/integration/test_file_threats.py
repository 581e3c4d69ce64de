"""Hostile or broken file systems: a clear error, and every file as it was.

A full disk and a read-only configuration are real tmpfs mounts made for the
test (tests run as root) under pytest's tmp_path, and unmounted after it.
Mode, owner and symlinks inside the root survive edits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REDHAT_DIR, snapshot_tree

import augnetcf

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "redhat-root"
BRIDGE = (Path(__file__).resolve().parents[2] / "examples" / "br0.xml").read_bytes()


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


def test_full_disk_is_a_clear_error_and_changes_nothing(root: Path, tmpfs) -> None:
    confdir = root / REDHAT_DIR
    saved = {p.name: p.read_bytes() for p in confdir.iterdir()}
    shutil.rmtree(confdir)
    tmpfs(confdir, "size=64k")
    for name, data in saved.items():
        (confdir / name).write_bytes(data)
    fill(confdir)
    before = snapshot_tree(root)
    with augnetcf.Config(str(root), "redhat") as cfg, pytest.raises(augnetcf.FileError) as ei:
        cfg.define(BRIDGE, "br0.xml")
    assert "No space left on device" in str(ei.value) or "cannot be written" in str(ei.value)
    assert str(confdir) in str(ei.value)
    assert snapshot_tree(root) == before
    assert not list(confdir.glob("*.augnew"))


def test_read_only_configuration_is_a_clear_error_and_changes_nothing(root: Path, tmpfs) -> None:
    confdir = root / REDHAT_DIR
    saved = {p.name: p.read_bytes() for p in confdir.iterdir()}
    shutil.rmtree(confdir)
    tmpfs(confdir, "size=1m")
    for name, data in saved.items():
        (confdir / name).write_bytes(data)
    subprocess.run(["mount", "-o", "remount,ro", str(confdir)], check=True)
    before = snapshot_tree(root)
    with augnetcf.Config(str(root), "redhat") as cfg:
        assert cfg.list_interfaces() == ["eth0", "eth1", "lo"]  # reading still works
        with pytest.raises(augnetcf.FileError) as ei:
            cfg.define(BRIDGE, "br0.xml")
        assert "Read-only file system" in str(ei.value)
        with pytest.raises(augnetcf.FileError):
            cfg.undefine("eth1")
    assert snapshot_tree(root) == before


def test_mode_and_owner_survive_an_edit(root: Path) -> None:
    eth0 = root / REDHAT_DIR / "ifcfg-eth0"
    os.chown(eth0, 1234, 5678)
    eth0.chmod(0o600)
    with augnetcf.Config(str(root), "redhat") as cfg:
        cfg.define(BRIDGE, "br0.xml")  # eth0 becomes a port: its file is edited
    st = eth0.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (1234, 5678, 0o600)
    assert "BRIDGE=br0\n" in eth0.read_text()


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
def test_a_symlink_leading_outside_is_never_written(root: Path, tmp_path: Path, kind: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    confdir = root / REDHAT_DIR
    if kind == "file":
        (outside / "x").write_text("DEVICE=eth5\n")
        (confdir / "ifcfg-eth5").symlink_to(outside / "x")
    else:
        shutil.rmtree(confdir)
        confdir.symlink_to(outside)
    before = snapshot_tree(outside)
    with pytest.raises(augnetcf.FileError) as ei, augnetcf.Config(str(root), "redhat") as cfg:
        cfg.define(BRIDGE, "br0.xml")
    assert "leads outside the root" in str(ei.value)
    assert snapshot_tree(outside) == before
