"""Concurrent writers and readers, each a separate process, on every backend.

Writers are serialised by the lock under ``<root>/var/lib/augnetcf``: eight
processes that define and redefine interfaces at once (into the one Debian
``interfaces`` file, or into separate ifcfg files) lose no update and never
interleave their files. Readers see the configuration either before or after
each write: while eight writers each turn ``ethN`` into the port of a new
bridge ``brN`` (two files on every backend), readers must see exactly one
of ``ethN`` and ``brN`` as a top-level interface, never both or neither.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TESTS
from txn_roots import BACKENDS, ethernet, make_root

import augnetcf

WRITERS = 8
ROUNDS = 3
READERS = 2
NUMBERS = range(1, WRITERS + 1)

WRITER = """
import sys, json, time
sys.path[:0] = [{tests!r}]
import augnetcf, augnetcf.txn
root, backend, job, delay = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4])
cfg = augnetcf.Config(root, backend)
# widen the window between the renames of one save, where a reader that
# does not wait for the writer would see half of it
augnetcf.txn.fault_hook = lambda step: time.sleep(0.05) if step.startswith("rename") else None
print("ready", flush=True)
sys.stdin.readline()
time.sleep(delay)
for xml in job:
    cfg.define(xml)
print("done", flush=True)
"""

READER = """
import sys, os, json
sys.path[:0] = [{tests!r}]
import augnetcf
root, backend, stop = sys.argv[1], sys.argv[2], sys.argv[3]
cfg = augnetcf.Config(root, backend)
print("ready", flush=True)
sys.stdin.readline()
seen, reads = set(), 0
while True:
    last = os.path.exists(stop)
    seen.add(tuple(cfg.list_interfaces()))
    reads += 1
    if last:
        break
print(json.dumps({{"reads": reads, "seen": sorted(seen)}}), flush=True)
"""


def spawn(code: str, *args: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", code.format(tests=str(TESTS)), *args], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == "ready\n", proc.stderr.read()
    return proc


def go(procs: list[subprocess.Popen]) -> None:
    for proc in procs:  # as close together as the pipes allow
        proc.stdin.write("go\n")
        proc.stdin.flush()


def finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_eight_writers_lose_no_update_and_never_interleave(tmp_path: Path, backend: str) -> None:
    root = make_root(tmp_path / "root", backend)
    # writer N defines ethN, then redefines it twice; the last address must win
    jobs = {n: [ethernet(f"eth{n}", f"198.51.{r}.{n}").decode() for r in range(1, ROUNDS + 1)]
            for n in NUMBERS}
    writers = [spawn(WRITER, str(root), backend, json.dumps(jobs[n]), "0") for n in NUMBERS]
    go(writers)
    for proc in writers:
        assert finish(proc) == "done\n"
    with augnetcf.Config(str(root), backend) as cfg:
        assert not cfg.broken_files
        for n in NUMBERS:
            assert f'<ip address="198.51.{ROUNDS}.{n}" prefix="24"/>' in cfg.xml_desc(f"eth{n}")
        assert set(cfg.list_interfaces()) >= {f"eth{n}" for n in NUMBERS}
    if backend == "debian":  # all in one file: one stanza each, whole
        text = (root / "etc/network/interfaces").read_text()
        for n in NUMBERS:
            assert text.count(f"iface eth{n} inet static\n") == 1
            assert re.search(rf"iface eth{n} inet static\n\s+address 198\.51\.{ROUNDS}\.{n}\n"
                             r"\s+netmask 255\.255\.255\.0\n", text), text


def bridge(n: int) -> bytes:
    return (f'<interface type="bridge" name="br{n}"><start mode="onboot"/>'
            f'<protocol family="ipv4"><ip address="203.0.113.{n}" prefix="24"/></protocol>'
            f'<bridge stp="off"><interface type="ethernet" name="eth{n}"/></bridge></interface>').encode()


@pytest.mark.parametrize("backend", BACKENDS)
def test_readers_see_every_write_whole_or_not_at_all(tmp_path: Path, backend: str) -> None:
    root = make_root(tmp_path / "root", backend)
    with augnetcf.Config(str(root), backend) as cfg:
        for n in NUMBERS:
            cfg.define(ethernet(f"eth{n}"))
    if backend == "debian":  # each ethN in its own included file: a bridge then spans two files
        main = root / "etc/network/interfaces"
        text = main.read_text()
        for n in NUMBERS:
            stanza = f"auto eth{n}\niface eth{n} inet dhcp\n"
            assert stanza in text
            text = text.replace(stanza, "")
            (root / f"etc/network/interfaces.d/eth{n}").write_text(stanza)
        main.write_text(text)
    stop = tmp_path / "stop"
    readers = [spawn(READER, str(root), backend, str(stop)) for _ in range(READERS)]
    # staggered, so that the readers get in between the writes
    writers = [spawn(WRITER, str(root), backend, json.dumps([bridge(n).decode()]), str(n * 0.3))
               for n in NUMBERS]
    go(readers)
    go(writers)
    for proc in writers:
        assert finish(proc) == "done\n"
    stop.touch()
    reads, states = 0, set()
    for proc in readers:
        result = json.loads(finish(proc))
        reads += result["reads"]
        states |= {tuple(s) for s in result["seen"]}
    print(f"\n{backend}: {READERS} readers, {reads} reads, {len(states)} distinct states, all whole")
    for state in states:
        for n in NUMBERS:
            assert (f"eth{n}" in state) != (f"br{n}" in state), f"a half-written bridge br{n}: {state}"
    final = {f"br{n}" for n in NUMBERS}
    assert any(final <= set(s) for s in states)
    with augnetcf.Config(str(root), backend) as cfg:
        assert final <= set(cfg.list_interfaces())
