"""Transactions (netcf's change-begin / change-commit / change-rollback) on
every backend, through the API and the command, on temporary roots.

A rollback must put back every file the backend owns byte for byte, with its
mode and owner, and remove the files created since; a commit keeps the
changes; misuse is an InvalidOperation. ``change-begin --timeout`` rolls back
by itself through a detached watcher; ``change-recover`` (what the systemd
unit runs at boot) rolls back an open transaction and archives what it drops.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import TESTS, augnetcf_command, snapshot_tree
from test_cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, assert_ok, run
from txn_roots import BACKENDS, BRIDGE, FILES, OWNED, ethernet, make_root

import augnetcf
from augnetcf import InvalidOperation, txn

UNIT = TESTS.parent / "systemd" / "augnetcf-recover.service"


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def root(tmp_path: Path, backend: str) -> Path:
    return make_root(tmp_path / "root", backend)


def config(root: Path, backend: str) -> augnetcf.Config:
    return augnetcf.Config(str(root), backend)


def owners(root: Path) -> dict[str, tuple[int, int]]:
    return {rel: (st.st_uid, st.st_gid) for rel in snapshot_tree(root)
            for st in [os.stat(root / rel)]}


def by_hand(backend: str) -> str:
    """A file the backend would own, written by hand after change-begin."""
    return {"redhat": "etc/sysconfig/network-scripts/ifcfg-eth9",
            "debian": "etc/network/interfaces.d/eth9",
            "suse": "etc/sysconfig/network/ifcfg-eth9",
            "nm-keyfile": "etc/NetworkManager/system-connections/eth9.nmconnection",
            "networkd": "etc/systemd/network/eth9.network",
            "netplan": "etc/netplan/eth9.yaml"}[backend]


def wait_gone(pid: int) -> None:
    """Wait (a minute at most) for process *pid*, not our child, to end."""
    for _ in range(600):
        if not os.path.exists(f"/proc/{pid}") or " Z " in Path(f"/proc/{pid}/stat").read_text():
            return
        time.sleep(0.1)
    raise AssertionError(f"process {pid} is still running")


# -- the API ---------------------------------------------------------------------------------------------
def test_rollback_restores_every_file_byte_for_byte_with_mode_and_owner(root: Path, backend: str) -> None:
    first, second = OWNED[backend][:2]
    os.chmod(root / first, 0o600)
    os.chown(root / first, 4321, 4322)
    os.chmod(root / second, 0o640)
    before, before_owners = snapshot_tree(root), owners(root)
    with config(root, backend) as cfg:
        listed = cfg.list_interfaces()
        cfg.change_begin()
        cfg.define(BRIDGE)
        cfg.define(ethernet("eth7", "198.51.100.7"))
        os.chmod(root / second, 0o644)  # a mode changed by hand counts too
        if backend == "networkd":
            os.unlink(root / second)  # so does a drop-in deleted by hand
        assert snapshot_tree(root) != before
        changed = cfg.change_rollback()
        assert changed
        assert snapshot_tree(root) == before
        assert owners(root) == before_owners
        assert cfg.list_interfaces() == listed
    assert txn.current(str(root)) is None


def test_rollback_removes_files_created_since_and_leaves_other_files(root: Path, backend: str) -> None:
    before = snapshot_tree(root)
    with config(root, backend) as cfg:
        cfg.change_begin()
        (root / by_hand(backend)).write_text("# by hand\n")
        (root / "etc/motd").write_text("not network configuration\n")
        cfg.define(ethernet("eth7"))
        cfg.change_rollback()
    after = snapshot_tree(root)
    assert after.pop("etc/motd")
    assert after == before


def test_commit_keeps_the_changes_and_drops_the_snapshot(root: Path, backend: str) -> None:
    with config(root, backend) as cfg:
        cfg.change_begin()
        assert (root / txn.STATE_DIR / "snapshot").is_dir()
        cfg.define(BRIDGE)
        changed = snapshot_tree(root)
        cfg.change_commit()
        assert snapshot_tree(root) == changed
        assert "br0" in cfg.list_interfaces()
        assert not (root / txn.STATE_DIR / "snapshot").exists()
        with pytest.raises(InvalidOperation, match="no transaction is open to roll back"):
            cfg.change_rollback()


def test_the_snapshot_holds_exactly_the_files_the_backend_owns(root: Path, backend: str) -> None:
    with config(root, backend) as cfg:
        t = cfg.change_begin()
        assert sorted(f["path"] for f in t.files) == OWNED[backend]
        for rel in OWNED[backend]:
            saved = root / txn.STATE_DIR / "snapshot" / "files" / rel
            assert saved.read_bytes() == (root / rel).read_bytes()
        cfg.change_commit()
    # not README, not a .bak: they are in FILES but not owned
    assert set(FILES[backend]) - set(OWNED[backend]) == {
        "redhat": {"etc/sysconfig/network-scripts/README"}, "debian": set(),
        "suse": {"etc/sysconfig/network/ifcfg-eth0.bak"},
        "nm-keyfile": {"etc/NetworkManager/NetworkManager.conf"},
        "networkd": {"etc/systemd/network/README"}, "netplan": {"etc/netplan/README"}}[backend]


def test_misuse_is_an_invalid_operation_with_a_clear_message(root: Path, backend: str) -> None:
    with config(root, backend) as cfg:
        for call, verb in ((cfg.change_commit, "commit"), (cfg.change_rollback, "roll back")):
            with pytest.raises(InvalidOperation, match=f"no transaction is open to {verb}") as ei:
                call()
            assert ei.value.code == augnetcf.ErrorCode.INVALID_OP and isinstance(ei.value, RuntimeError)
        cfg.change_begin()
        with pytest.raises(InvalidOperation, match="a transaction is already open"):
            cfg.change_begin()
        other = next(b for b in BACKENDS if b != backend)
        with augnetcf.Config(str(root), other) as wrong, \
                pytest.raises(InvalidOperation, match=f"begun with the {backend} backend"):
            wrong.change_rollback()
        cfg.change_commit()
        with pytest.raises(InvalidOperation, match="positive"):
            cfg.change_begin(timeout=0)


def test_the_context_manager_commits_or_rolls_back(root: Path, backend: str) -> None:
    before = snapshot_tree(root)
    with config(root, backend) as cfg:
        with pytest.raises(LookupError, match="changed my mind"), cfg.transaction():
            cfg.define(BRIDGE)
            raise LookupError("changed my mind")
        assert snapshot_tree(root) == before
        with cfg.transaction():
            cfg.define(BRIDGE)
        assert "br0" in cfg.list_interfaces()
        assert txn.current(str(root)) is None


def test_a_writer_never_undoes_another_writers_change(root: Path, backend: str) -> None:
    """Augeas skips re-reading a file whose mtime (in seconds) is unchanged:
    a Config opened before another wrote the same file must still see it."""
    with config(root, backend) as a, config(root, backend) as b:
        a.list_interfaces()
        b.define(ethernet("eth7"))
        a.define(ethernet("eth8"))
    with config(root, backend) as cfg:
        assert {"eth7", "eth8"} <= set(cfg.list_interfaces())


# -- the command -----------------------------------------------------------------------------------------
def test_the_command_begins_rolls_back_and_commits(root: Path, backend: str, tmp_path: Path) -> None:
    xml = tmp_path / "br0.xml"
    xml.write_bytes(BRIDGE)
    before = snapshot_tree(root)
    common = ("--root", str(root), "--backend", backend)
    proc = run(*common, "change-begin")
    assert_ok(proc)
    assert f"{len(OWNED[backend])} file(s) saved" in proc.stdout
    assert_ok(run(*common, "define", str(xml)))
    proc = run(*common, "change-rollback")
    assert_ok(proc)
    assert "rolled back" in proc.stdout
    assert snapshot_tree(root) == before
    assert_ok(run(*common, "change-begin"))
    assert_ok(run(*common, "define", str(xml)))
    assert_ok(run(*common, "change-commit"))
    assert snapshot_tree(root) != before


@pytest.mark.parametrize("verb", ["change-commit", "change-rollback"])
def test_the_command_refuses_misuse_in_one_line(root: Path, backend: str, verb: str) -> None:
    proc = run("--root", str(root), "--backend", backend, verb)
    assert proc.returncode == EXIT_ERROR
    assert proc.stderr.count("\n") == 1 and "no transaction is open" in proc.stderr
    assert_ok(run("--root", str(root), "--backend", backend, "change-begin"))
    proc = run("--root", str(root), "--backend", backend, "change-begin")
    assert proc.returncode == EXIT_ERROR and "already open" in proc.stderr


@pytest.mark.parametrize("timeout", ["0", "-1", "soon", "inf", "nan"])
def test_a_timeout_must_be_a_positive_number(root: Path, backend: str, timeout: str) -> None:
    proc = run("--root", str(root), "--backend", backend, "change-begin", "--timeout", timeout)
    assert proc.returncode == EXIT_USAGE and "positive number of seconds" in proc.stderr
    assert txn.current(str(root)) is None


# -- timed rollback ---------------------------------------------------------------------------------------
def test_an_uncommitted_timed_change_rolls_back_by_itself(root: Path, backend: str) -> None:
    before = snapshot_tree(root)
    common = ("--root", str(root), "--backend", backend)
    # long enough for the define to land before the deadline, even on a busy machine
    assert_ok(run(*common, "change-begin", "--timeout", "5"))
    watcher = txn.current(str(root)).watcher
    assert os.getsid(watcher) != os.getsid(0)  # detached: a session of its own, no terminal
    with config(root, backend) as cfg:
        cfg.define(BRIDGE)
    assert txn.current(str(root)) is not None and snapshot_tree(root) != before
    wait_gone(watcher)
    assert txn.current(str(root)) is None
    assert snapshot_tree(root) == before


def test_a_timed_change_committed_in_time_stays(root: Path, backend: str) -> None:
    with config(root, backend) as cfg:
        t = cfg.change_begin(timeout=3)
        cfg.define(BRIDGE)
        cfg.change_commit()
        changed = snapshot_tree(root)
        # a later transaction is not the watcher's business either
        cfg.change_begin()
        cfg.define(ethernet("eth7"))
        wait_gone(t.watcher)
        assert txn.current(str(root)) is not None
        cfg.change_rollback()
    assert snapshot_tree(root) == changed


# -- boot-time recovery ------------------------------------------------------------------------------------
def test_recover_rolls_back_an_open_transaction_and_archives_what_it_drops(root: Path, backend: str,
                                                                            tmp_path: Path) -> None:
    before = snapshot_tree(root)
    with config(root, backend) as cfg:
        cfg.change_begin()
        cfg.define(BRIDGE)
    dropped = {rel: (root / rel).read_bytes() for rel in snapshot_tree(root)
               if snapshot_tree(root)[rel] != before.get(rel)}
    proc = run("--root", str(root), "--backend", backend, "change-recover")
    assert_ok(proc)
    assert "rolled back" in proc.stdout
    assert snapshot_tree(root) == before
    [archive] = (root / txn.STATE_DIR / "archive").iterdir()
    assert str(archive) in proc.stdout
    for rel, data in dropped.items():
        assert (archive / rel).read_bytes() == data
    proc = run("--root", str(root), "--backend", backend, "change-recover")
    assert_ok(proc)
    assert proc.stdout == "Nothing to recover\n"


def test_the_systemd_unit_runs_recovery_before_the_network(tmp_path: Path) -> None:
    unit = configparser.ConfigParser(strict=False)
    unit.optionxform = str
    unit.read(UNIT)
    assert "network-pre.target" in unit["Unit"]["Before"].split()
    assert unit["Unit"]["DefaultDependencies"] == "no"
    assert unit["Service"]["Type"] == "oneshot"
    exec_start = unit["Service"]["ExecStart"].split()
    assert exec_start[1:] == ["change-recover"]
    assert run(exec_start[1], "--help").returncode == EXIT_OK
    if shutil.which("systemd-analyze"):  # its own checker, with the command it would run here
        copy = tmp_path / UNIT.name
        cmd = augnetcf_command()  # the one installed with what we test
        assert len(cmd) == 1, "the augnetcf console script is not installed"
        script = cmd[0]
        copy.write_text(UNIT.read_text().replace(exec_start[0], script))
        # --man=no: the unit names its manual page, which only a package installs
        proc = subprocess.run(["systemd-analyze", "verify", "--man=no", str(copy)], capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stderr


def test_a_rollback_names_the_interfaces_it_changed_for_the_kernel_layer(root: Path, backend: str,
                                                                         monkeypatch) -> None:
    """The hook where restarting interfaces plugs in gets exactly the
    interfaces whose description the rollback changed (none at boot)."""
    calls: list[list[str]] = []
    monkeypatch.setattr(txn, "restart_changed_interfaces", lambda _root, _backend, names: calls.append(names))
    with config(root, backend) as cfg:
        cfg.change_begin()
        cfg.define(BRIDGE)
        cfg.define(ethernet("eth7"))
        cfg.change_rollback()
        assert calls == [["br0", "eth0", "eth7"]]
        cfg.change_begin()
        cfg.define(ethernet("eth7"))
        cfg.change_recover()
        assert len(calls) == 1
