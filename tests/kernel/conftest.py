"""Fixtures for the kernel layer: network namespaces with veth pairs as NICs.

tests/kernel is a package, so this conftest is ``kernel.conftest`` and does not
shadow ``tests/conftest.py``. Test modules set ``pytestmark = KERNEL``.

Every namespace a test uses is created here with a unique name and deleted
afterwards, whatever happens, after killing the processes left in it (a DHCP
client, dnsmasq). The commands under test run inside the namespace
(``ip netns exec NS augnetcf --root TMPROOT ...``): configuration files live in
a temporary root, the kernel is the namespace's. The host's own interfaces are
never touched, and no packet leaves the namespaces.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import HOST_RUN_DIR, LIBVIRT_RNG, REDHAT_DIR, RUN_STATE_LEFT, augnetcf_command, run_state
from lxml import etree

import augnetcf.schema

#: Every namespace these tests create starts with this (and the pid of the test run).
PREFIX = f"ancf{os.getpid()}-"
_COUNT = itertools.count()


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check, timeout=60)


def _netns_ok() -> str | None:
    """Why namespaces cannot be used here, or None."""
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    if shutil.which("ip") is None:
        return "needs ip(8) from iproute2"
    name = f"{PREFIX}probe"
    if _ip("netns", "add", name, check=False).returncode != 0:
        return "cannot create network namespaces here"
    _ip("netns", "del", name, check=False)
    return None


_WHY_NOT = _netns_ok()


#: Every test module here: marked, and skipped with the reason when namespaces are impossible.
KERNEL = [pytest.mark.kernel, pytest.mark.skipif(_WHY_NOT is not None, reason=_WHY_NOT or "")]


class Netns:
    """One network namespace: run commands in it, read its state with ip(8)."""

    def __init__(self, name: str, run_dir: Path):
        self.name = name
        self.run_dir = run_dir
        #: the namespace's inode, and the mtime of HOST_RUN_DIR/netns-INODE when it was made
        self.inode = 0
        self.host_state: int | None = None
        self.env = {**os.environ, "AUGNETCF_RUN_DIR": str(run_dir)}

    def run(self, *cmd: str, stdin: str | None = None, check: bool = False) -> subprocess.CompletedProcess:
        proc = subprocess.run(["ip", "netns", "exec", self.name, *cmd], input=stdin or "",
                              capture_output=True, text=True, timeout=120, env=self.env, cwd="/")
        if check:
            assert proc.returncode == 0, f"{cmd}: {proc.stderr}"
        return proc

    def ip(self, *args: str) -> str:
        return self.run("ip", *args, check=True).stdout

    def ipj(self, *args: str) -> list[dict]:
        """ip(8)'s own JSON view: the judge, independent of pyroute2."""
        return json.loads(self.ip("-j", *args) or "[]")

    def link(self, name: str) -> dict | None:
        found = [lk for lk in self.ipj("-d", "link", "show") if lk["ifname"] == name]
        return found[0] if found else None

    def addresses(self, name: str, scope: str = "global") -> set[str]:
        [info] = self.ipj("addr", "show", "dev", name)
        return {f"{a['local']}/{a['prefixlen']}" for a in info.get("addr_info", []) if a["scope"] == scope}

    def default_routes(self, family: str = "-4") -> list[dict]:
        return [r for r in self.ipj(family, "route", "show", "default")]

    def python(self, code: str) -> subprocess.CompletedProcess:
        return self.run(sys.executable, "-c", code)

    def pids(self) -> list[int]:
        out = _ip("netns", "pids", self.name, check=False).stdout
        return [int(p) for p in out.split()]

    def delete(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = self.pids()
            for pid in pids:  # only processes inside the namespace this fixture made
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + 3
            while self.pids() and time.monotonic() < deadline:
                time.sleep(0.05)
        _ip("netns", "del", self.name, check=False)


class Lan:
    """The namespace under test (``ns``) and a peer namespace (``peer``)
    holding the other end of each NIC, up, so that links get carrier."""

    def __init__(self, ns: Netns, peer: Netns, root: Path):
        self.ns, self.peer, self.root = ns, peer, root

    def nic(self, name: str, peer_name: str) -> None:
        self.ns.ip("link", "add", name, "type", "veth", "peer", "name", peer_name, "netns", self.peer.name)
        self.peer.ip("link", "set", peer_name, "up")

    def augnetcf(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return self.ns.run(*augnetcf_command(), "--root", str(self.root), "--backend", "redhat", *args,
                           stdin=stdin)

    def ok(self, *args: str, stdin: str | None = None) -> str:
        proc = self.augnetcf(*args, stdin=stdin)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        return proc.stdout

    def define(self, xml: str) -> None:
        assert self.ok("define", "-", stdin=xml).startswith("Defined interface")


@pytest.fixture
def make_netns(tmp_path: Path) -> Iterator:
    made: list[Netns] = []

    def make() -> Netns:
        ns = Netns(f"{PREFIX}{next(_COUNT)}", tmp_path / "run")
        _ip("netns", "add", ns.name)
        made.append(ns)
        ns.inode = os.stat(f"/run/netns/{ns.name}").st_ino
        ns.host_state = run_state(ns.inode)  # a leftover of a namespace that had the number before
        ns.ip("link", "set", "lo", "up")
        return ns

    try:
        yield make
    finally:
        left = [str(HOST_RUN_DIR / f"netns-{ns.inode}") for ns in made
                if run_state(ns.inode) != ns.host_state]
        RUN_STATE_LEFT.extend(left)
        for ns in reversed(made):
            ns.delete()
        assert not left, f"augnetcf state left in /run by this test's namespaces: {left}"
        left = set(_ip("netns", "list").stdout.split()) & {ns.name for ns in made}
        assert not left, f"network namespaces left behind: {sorted(left)}"


@pytest.fixture
def lan(make_netns, tmp_path: Path) -> Lan:
    root = tmp_path / "root"
    (root / REDHAT_DIR).mkdir(parents=True)
    return Lan(make_netns(), make_netns(), root)


@pytest.fixture(scope="session", autouse=True)
def no_namespace_left_behind() -> Iterator[None]:
    yield
    if _WHY_NOT:
        return
    left = [n for n in _ip("netns", "list").stdout.split() if n.startswith(PREFIX)]
    assert not left, f"network namespaces left behind: {left}"


def validate_both(xml: str) -> etree._Element:
    """*xml* must be valid interface XML for augnetcf's schema and libvirt's."""
    doc = augnetcf.schema.load(xml, "live")
    libvirt = etree.RelaxNG(etree.parse(str(LIBVIRT_RNG)))
    assert libvirt.validate(doc), libvirt.error_log
    return doc.getroot()


def kernel_has(kind: str, make_netns) -> str | None:
    """Why this kernel cannot create a *kind* device (after modprobe), or None."""
    if shutil.which("modprobe"):
        subprocess.run(["modprobe", {"vlan": "8021q", "bond": "bonding"}[kind]], capture_output=True,
                       check=False)
    ns = make_netns()
    ns.ip("link", "add", "probe0", "type", "veth", "peer", "name", "probe1")
    if kind == "bond":
        proc = ns.run("ip", "link", "add", "probe2", "type", "bond")
    else:
        proc = ns.run("ip", "link", "add", "link", "probe0", "name", "probe0.7", "type", "vlan", "id", "7")
    if proc.returncode != 0:
        return f"this kernel has no {kind} support ({proc.stderr.strip()})"
    return None
