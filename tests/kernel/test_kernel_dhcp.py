"""DHCP through a real client (dhclient) against dnsmasq serving in the peer namespace."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import KERNEL, Lan, validate_both

NO_DHCP = not (shutil.which("dnsmasq") and shutil.which("dhclient"))
pytestmark = [*KERNEL, pytest.mark.skipif(NO_DHCP, reason="needs dnsmasq and dhclient (scripts/setup.sh)")]

DHCP = """<interface type="ethernet" name="nic0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <dhcp/>
  </protocol>
</interface>
"""
MAC = "52:54:00:aa:00:05"


@contextlib.contextmanager
def dnsmasq(lan: Lan, tmp_path: Path, *options: str) -> Iterator[Path]:
    """dnsmasq serving DHCP (no DNS) on p0 in the peer namespace; yields its lease file."""
    leases = tmp_path / "dnsmasq.leases"
    leases.touch()
    pid = tmp_path / "dnsmasq.pid"
    server = subprocess.Popen(
        ["ip", "netns", "exec", lan.peer.name, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
         "--port=0", "--user=root", "--group=root", "--interface=p0", "--bind-interfaces", "--no-ping",
         f"--dhcp-leasefile={leases}", f"--pid-file={pid}", *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not pid.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        yield leases
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def served(lan: Lan, tmp_path: Path) -> Iterator[tuple[Lan, Path]]:
    """nic0 in the namespace under test; dnsmasq serves 192.0.2.100-150 on its peer."""
    lan.nic("nic0", "p0")
    lan.ns.ip("link", "set", "nic0", "address", MAC)
    lan.peer.ip("addr", "add", "192.0.2.1/24", "dev", "p0")
    with dnsmasq(lan, tmp_path, "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,1h",
                 "--dhcp-option=option:router,192.0.2.1") as leases:
        lan.define(DHCP)
        yield lan, leases


def test_ifup_gets_a_lease_and_ifdown_releases_it(served: tuple[Lan, Path]) -> None:
    lan, leases = served
    lan.ok("ifup", "nic0")
    [addr] = lan.ns.addresses("nic0")
    ip, prefix = addr.split("/")
    assert prefix == "24" and 100 <= int(ip.split(".")[-1]) <= 150
    assert [(r["gateway"], r["dev"]) for r in lan.ns.default_routes()] == [("192.0.2.1", "nic0")]
    assert f"{MAC} {ip}" in leases.read_text()  # the server handed it out
    assert len(lan.ns.pids()) == 1, "dhclient stays to renew the lease"
    lan.peer.run("ping", "-c1", "-W5", ip, check=True)
    assert lan.augnetcf("diff", "nic0").returncode == 0
    doc = validate_both(lan.ok("dumpxml", "--live", "nic0"))
    assert [i.get("address") for i in doc.iterfind("protocol[@family='ipv4']/ip")] == [ip]

    lan.ok("ifdown", "nic0")
    assert MAC not in leases.read_text(), "the lease was released"
    assert lan.ns.pids() == [], "dhclient is gone"
    assert lan.ns.addresses("nic0") == set()
    assert "UP" not in lan.ns.link("nic0")["flags"]
    assert list(lan.ns.run_dir.glob("*")) == [], "nothing left in the run directory"


def test_diff_notices_a_lost_lease(served: tuple[Lan, Path]) -> None:
    lan, _leases = served
    lan.ok("ifup", "nic0")
    lan.ns.ip("-4", "addr", "flush", "dev", "nic0")
    proc = lan.augnetcf("diff", "nic0")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == ["nic0: has no address from DHCP"]
    lan.ok("ifdown", "nic0")


def test_no_server_is_a_clear_error(lan: Lan) -> None:
    lan.nic("nic0", "p0")
    lan.define(DHCP)
    proc = lan.augnetcf("ifup", "--timeout", "2", "nic0")
    assert proc.returncode == 1
    assert proc.stderr.startswith("augnetcf: nic0: no DHCPv4 lease within 2 s")
    assert proc.stderr.count("\n") == 1
    assert lan.ns.pids() == [], "no dhclient left running"


def test_dhcpv6(lan: Lan, tmp_path: Path) -> None:
    lan.nic("nic0", "p0")
    lan.peer.ip("-6", "addr", "add", "2001:db8::1/64", "dev", "p0", "nodad")
    lan.define(DHCP.replace('"ipv4"', '"ipv6"'))
    with dnsmasq(lan, tmp_path, "--dhcp-range=2001:db8::100,2001:db8::1ff,64,1h") as leases:
        lan.ok("ifup", "nic0")
        [addr] = lan.ns.addresses("nic0")
        ip, prefix = addr.split("/")
        assert prefix == "128" and ip.startswith("2001:db8::1")
        assert ip in leases.read_text()
        assert lan.ns.run("sysctl", "-n", "net.ipv6.conf.nic0.autoconf", check=True).stdout.strip() == "0"
        assert lan.augnetcf("diff", "nic0").returncode == 0
        lan.ok("ifdown", "nic0")
        assert ip not in leases.read_text(), "the lease was released"
        assert lan.ns.pids() == []


def test_ipv6_autoconf_from_router_advertisements(lan: Lan, tmp_path: Path) -> None:
    lan.nic("nic0", "p0")
    lan.peer.ip("-6", "addr", "add", "2001:db8::1/64", "dev", "p0", "nodad")
    lan.define("""<interface type="ethernet" name="nic0">
  <protocol family="ipv6"><autoconf/></protocol>
</interface>""")
    with dnsmasq(lan, tmp_path, "--enable-ra", "--dhcp-range=2001:db8::,ra-only,64"):
        lan.ok("ifup", "nic0")
        assert lan.ns.run("sysctl", "-n", "net.ipv6.conf.nic0.autoconf", check=True).stdout.strip() == "1"
        deadline = time.monotonic() + 30
        while not lan.ns.addresses("nic0") and time.monotonic() < deadline:
            time.sleep(0.1)
        [addr] = lan.ns.addresses("nic0")
        assert addr.startswith("2001:db8::") and addr.endswith("/64")  # SLAAC, from the advertised prefix
        assert lan.augnetcf("diff", "nic0").returncode == 0
        lan.ok("ifdown", "nic0")
        assert lan.ns.addresses("nic0") == set()


def test_a_failed_ifup_leaves_no_dhcp_client(served: tuple[Lan, Path]) -> None:
    lan, leases = served
    # DHCP works, but the static IPv6 address is a duplicate: verification fails after the lease
    lan.peer.ip("-6", "addr", "add", "2001:db8::10/64", "dev", "p0", "nodad")
    lan.define(DHCP.replace("</interface>", """  <protocol family="ipv6">
    <ip address="2001:db8::10" prefix="64"/>
  </protocol>
</interface>"""))
    proc = lan.augnetcf("ifup", "nic0")
    assert proc.returncode == 1
    assert "nic0: address 2001:db8::10 failed duplicate address detection" in proc.stderr
    assert lan.ns.pids() == [], "dhclient was stopped"
    assert MAC not in leases.read_text(), "and its lease released"
