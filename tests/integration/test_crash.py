"""The crash harness: a save, an undefine and a rollback stopped at every
step, and SIGKILLed at random instants, on every backend. After each trial a
new :class:`augnetcf.Config` opens the root (which finishes or undoes the
interrupted journal) and the configuration files must be entirely the old
ones or entirely the new ones, byte for byte and mode for mode, with no
staged or temporary file left over.

Three kinds of trial:
  * in process: :data:`augnetcf.txn.fault_hook` raises at step K, for every K
    (every write, fsync, link, rename and unlink the operation makes);
  * in a child process: ``AUGNETCF_FAULT_AT=K`` SIGKILLs it at step K, for every K;
  * in a child process: SIGKILL after a random delay within the time the
    operation takes, which also lands inside libaugeas' own writes.
The first kind runs at every step of every operation on every backend. The
knobs for the slower kinds: ``AUGNETCF_CRASH_STRIDE`` (default 10: SIGKILL at
every 10th step; 1 for every step) and ``AUGNETCF_CRASH_TRIALS`` (default 1
random instant per backend and operation). ``-s`` prints the numbers.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TESTS, snapshot_tree
from txn_roots import BACKENDS, BRIDGE, make_root

import augnetcf
from augnetcf import txn

RANDOM_TRIALS = int(os.environ.get("AUGNETCF_CRASH_TRIALS", "1"))
STRIDE = int(os.environ.get("AUGNETCF_CRASH_STRIDE", "10"))
OPS = ("define", "undefine", "rollback")


class Crash(BaseException):
    """A simulated crash: nothing in augnetcf catches a BaseException."""


def act(cfg: augnetcf.Config, op: str) -> None:
    if op == "define":
        cfg.define(BRIDGE)
    elif op == "undefine":
        cfg.undefine("br0")
    else:
        cfg.change_rollback()


def base_root(where: Path, backend: str, op: str) -> Path:
    """The root before *op*: the small root; with br0 defined for undefine;
    with a transaction open and br0 defined since for rollback."""
    root = make_root(where, backend)
    with augnetcf.Config(str(root), backend) as cfg:
        if op == "rollback":
            cfg.change_begin()
        if op in ("undefine", "rollback"):
            cfg.define(BRIDGE)
    return root


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, dict, dict, int]]:
    """(backend, op) -> (a root before op, the tree before, the tree after, its number of steps)."""
    out = {}
    for backend in BACKENDS:
        for op in OPS:
            base = base_root(tmp_path_factory.mktemp(f"{backend}-{op}") / "root", backend, op)
            after = copy(base, tmp_path_factory.mktemp("after"))
            steps: list[str] = []
            txn.fault_hook = steps.append
            try:
                with augnetcf.Config(str(after), backend) as cfg:
                    act(cfg, op)
            finally:
                txn.fault_hook = None
            out[backend, op] = (base, tree(base), tree(after), len(steps))
            assert tree(base) != tree(after)
    return out


def copy(base: Path, where: Path) -> Path:
    root = where / "root"
    shutil.copytree(base, root, symlinks=True)
    return root


_UUID = re.compile(rb"^uuid=[0-9a-f-]{36}$", re.MULTILINE)


def tree(root: Path) -> dict:
    """snapshot_tree, except that a new keyfile's UUID (fresh and random in
    every define: a rolled-forward define and the reference run each drew
    their own) reads as one placeholder."""
    out = snapshot_tree(root)
    for rel in [r for r in out if r.endswith(".nmconnection")]:
        data = _UUID.sub(b"uuid=<fresh>", (root / rel).read_bytes())
        out[rel] = (out[rel][0], hashlib.sha256(data).hexdigest())
    return out


def judge(root: Path, backend: str, before: dict, after: dict) -> str:
    """Open the root as the next command would, and say which state it is in."""
    with augnetcf.Config(str(root), backend) as cfg:
        cfg.list_interfaces()
    assert not txn.journal_pending(str(root)), "the journal is still there"
    now = tree(root)
    if now == before:
        return "old"
    if now == after:
        return "new"
    changed = sorted(k for k in set(now) | set(before) | set(after) if now.get(k) not in (before.get(k),
                                                                                         after.get(k)))
    return f"MIXED {changed}"


def report(what: str, outcomes: list[str]) -> None:
    bad = [f"trial {i + 1}: {o}" for i, o in enumerate(outcomes) if o not in ("old", "new")]
    print(f"\ncrash harness {what}: {len(outcomes)} trials, {outcomes.count('old')} old, "
          f"{outcomes.count('new')} new, {len(bad)} failures")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_crash_at_every_step_leaves_all_old_or_all_new(bases, tmp_path: Path, backend: str,
                                                         op: str, monkeypatch) -> None:
    # What a crashed process leaves does not depend on fsync (the page cache
    # survives it), so these trials skip the syscall; each fsync is still a
    # step where the crash is injected. The SIGKILL trials below keep it.
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    base, before, after, n = bases[backend, op]
    outcomes = []
    for k in range(1, n + 1):
        root = copy(base, tmp_path / f"k{k}")
        seen = 0

        def hook(what: str, k: int = k) -> None:
            nonlocal seen
            seen += 1
            if seen == k:
                raise Crash(what)

        cfg = augnetcf.Config(str(root), backend)
        txn.fault_hook = hook
        try:
            with pytest.raises(Crash):
                act(cfg, op)
        finally:
            txn.fault_hook = None
            cfg.close()
        outcomes.append(judge(root, backend, before, after))
        shutil.rmtree(root.parent)
    report(f"{backend} {op}, raise at each of {n} steps", outcomes)
    # all old up to the commit point, all new after it
    assert outcomes == sorted(outcomes, key=("old", "new").index)
    assert "old" in outcomes and "new" in outcomes


CHILD = """
import sys, time
sys.path[:0] = [{tests!r}, {tests!r} + "/integration"]
import augnetcf
from test_crash import act
root, backend, op = sys.argv[1:4]
cfg = augnetcf.Config(root, backend)
sys.stdout.write("ready\\n"); sys.stdout.flush()
sys.stdin.readline()
start = time.monotonic()
act(cfg, op)
sys.stdout.write(f"{{time.monotonic() - start}}\\n"); sys.stdout.flush()
"""


def child(root: Path, backend: str, op: str, env: dict | None = None) -> subprocess.Popen:
    code = CHILD.format(tests=str(TESTS))
    proc = subprocess.Popen([sys.executable, "-c", code, str(root), backend, op], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env={**os.environ, **(env or {})}, text=True)
    assert proc.stdout.readline() == "ready\n"
    return proc


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_sigkill_at_steps_leaves_all_old_or_all_new(bases, tmp_path: Path, backend: str, op: str) -> None:
    base, before, after, n = bases[backend, op]
    outcomes = []
    for k in range(1 + sum(map(ord, backend + op)) % STRIDE, n + 1, STRIDE):  # offsets vary
        root = copy(base, tmp_path / f"k{k}")
        proc = child(root, backend, op, {txn.FAULT_ENV: str(k)})
        proc.communicate("go\n", timeout=120)
        assert proc.returncode == -signal.SIGKILL
        outcomes.append(judge(root, backend, before, after))
        shutil.rmtree(root.parent)
    report(f"{backend} {op}, SIGKILL at every {STRIDE} of {n} steps", outcomes)
    assert outcomes == sorted(outcomes, key=("old", "new").index)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_sigkill_at_random_instants_leaves_all_old_or_all_new(bases, tmp_path: Path, backend: str,
                                                               op: str) -> None:
    base, before, after, _n = bases[backend, op]
    rng = random.Random(f"{backend}-{op}")
    # how long the operation takes when nothing stops it, in this child
    root = copy(base, tmp_path / "calibrate")
    proc = child(root, backend, op)
    out, _ = proc.communicate("go\n", timeout=120)
    span = float(out)
    assert judge(root, backend, before, after) == "new"
    outcomes = []
    for i in range(RANDOM_TRIALS):
        root = copy(base, tmp_path / f"t{i}")
        proc = child(root, backend, op)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        time.sleep(rng.uniform(0, span * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=120)
        outcomes.append(judge(root, backend, before, after))
        shutil.rmtree(root.parent)
    report(f"{backend} {op}, SIGKILL at random within {span * 1000:.0f} ms", outcomes)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_committed_journal_whose_staged_file_is_damaged_is_rolled_back(bases, tmp_path: Path,
                                                                        backend: str) -> None:
    """Past the commit point the journal is finished, unless a staged file is
    not what it recorded (a disk that lost it): then every original comes back
    from the journal's backups, and the files are all old again."""
    base, before, after, _n = bases[backend, "define"]
    for damage in (False, True):
        root = copy(base, tmp_path / f"damage-{damage}")

        def hook(step: str) -> None:
            if step.startswith("rename ") and ".augnew" in step:
                raise Crash(step)

        cfg = augnetcf.Config(str(root), backend)
        txn.fault_hook = hook
        try:
            with pytest.raises(Crash):
                cfg.define(BRIDGE)
        finally:
            txn.fault_hook = None
            cfg.close()
        staged = sorted(root.rglob("*.augnew"))
        assert len(staged) >= 2  # committed, nothing renamed yet
        if damage:
            with open(staged[-1], "ab") as f:
                f.write(b"# torn\n")
        assert judge(root, backend, before, after) == ("old" if damage else "new")
