"""Transactions on the NetworkManager keyfile and systemd-networkd backends:
change-begin snapshots their files (derived from the backends' transforms,
drop-in folders included), change-rollback restores them byte for byte with
their modes and removes the files created since."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import TESTS

import augnetcf

EXAMPLES = TESTS.parent / "examples"
BRIDGE = (EXAMPLES / "br0.xml").read_text().replace('delay="0"', 'delay="2"')


def state(root: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(root)): (stat.S_IMODE(p.stat().st_mode), p.read_bytes())
            for p in sorted((root / "etc").rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("example", "backend"), [("fedora-root", "nm-keyfile"),
                                                  ("networkd-root", "networkd")])
def test_rollback_restores_every_file_and_removes_new_ones(tmp_path: Path, example: str,
                                                           backend: str) -> None:
    root = tmp_path / "root"
    shutil.copytree(EXAMPLES / example, root, symlinks=True)
    if backend == "networkd":  # a drop-in is part of what a transaction keeps
        network = sorted(root.glob("etc/systemd/network/*.network"))[0]
        dropin = network.with_name(network.name + ".d")
        dropin.mkdir()
        (dropin / "llmnr.conf").write_text("[Network]\nLLMNR=no\n")
    before = state(root)
    with augnetcf.Config(str(root), backend) as cfg:
        cfg.change_begin()
        cfg.define(BRIDGE)
        assert state(root) != before
        if backend == "networkd":
            os.unlink(dropin / "llmnr.conf")  # a drop-in changed by hand inside the transaction
        cfg.change_rollback()
    assert state(root) == before
