"""ifup, dumpxml --live, diff and ifdown of a plain NIC (a veth end) with static addresses.

Each test runs ``augnetcf`` inside its own network namespace; ip(8) and ping
judge the result, independently of pyroute2.
"""

from __future__ import annotations

import pytest

from .conftest import KERNEL, Lan, validate_both

pytestmark = KERNEL

STATIC = """<interface type="ethernet" name="nic0">
  <start mode="onboot"/>
  <mac address="52:54:00:aa:00:01"/>
  <mtu size="1400"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
    <ip address="198.51.100.10" prefix="25"/>
    <route gateway="192.0.2.1"/>
  </protocol>
  <protocol family="ipv6">
    <ip address="2001:db8::10" prefix="64"/>
    <route gateway="2001:db8::1"/>
  </protocol>
</interface>
"""


@pytest.fixture
def nic0(lan: Lan) -> Lan:
    lan.nic("nic0", "p0")
    lan.peer.ip("addr", "add", "192.0.2.1/24", "dev", "p0")
    lan.peer.ip("-6", "addr", "add", "2001:db8::1/64", "dev", "p0", "nodad")
    lan.define(STATIC)
    return lan


def test_ifup_applies_the_configuration(nic0: Lan) -> None:
    out = nic0.ok("ifup", "nic0")
    assert out.strip() == "Interface nic0 successfully brought up"
    ns = nic0.ns
    link = ns.link("nic0")
    assert "UP" in link["flags"] and link["mtu"] == 1400 and link["address"] == "52:54:00:aa:00:01"
    assert ns.addresses("nic0") == {"192.0.2.10/24", "198.51.100.10/25", "2001:db8::10/64"}
    assert [(r["gateway"], r["dev"]) for r in ns.default_routes("-4")] == [("192.0.2.1", "nic0")]
    assert [(r["gateway"], r["dev"]) for r in ns.default_routes("-6")] == [("2001:db8::1", "nic0")]
    # the kernel really uses it: the peer reaches both families
    nic0.peer.run("ping", "-c1", "-W5", "192.0.2.10", check=True)
    nic0.peer.run("ping", "-6", "-c1", "-W5", "2001:db8::10", check=True)
    assert nic0.augnetcf("diff", "nic0").returncode == 0


def test_ifup_twice_is_harmless(nic0: Lan) -> None:
    nic0.ok("ifup", "nic0")
    nic0.ok("ifup", "nic0")
    assert nic0.ns.addresses("nic0") == {"192.0.2.10/24", "198.51.100.10/25", "2001:db8::10/64"}


def test_ifup_removes_addresses_the_configuration_does_not_have(nic0: Lan) -> None:
    nic0.ns.ip("addr", "add", "203.0.113.7/24", "dev", "nic0")
    nic0.ok("ifup", "nic0")
    assert "203.0.113.7/24" not in nic0.ns.addresses("nic0")


def test_live_state_describes_the_kernel(nic0: Lan) -> None:
    nic0.ok("ifup", "nic0")
    doc = validate_both(nic0.ok("dumpxml", "--live", "nic0"))
    assert doc.get("type") == "ethernet" and doc.get("name") == "nic0"
    assert doc.find("mac").get("address") == "52:54:00:aa:00:01"
    assert doc.find("mtu").get("size") == "1400"
    assert doc.find("link").get("state") == "up"
    assert doc.find("link").get("speed") == "10000"  # what veth reports
    v4 = doc.find("protocol[@family='ipv4']")
    assert {(i.get("address"), i.get("prefix")) for i in v4.iter("ip")} == {("192.0.2.10", "24"),
                                                                           ("198.51.100.10", "25")}
    assert v4.find("route").get("gateway") == "192.0.2.1"
    v6 = doc.find("protocol[@family='ipv6']")
    ips = {(i.get("address"), i.get("prefix")) for i in v6.iter("ip")}
    assert ("2001:db8::10", "64") in ips
    # link-local shown as netcf did: an ordinary <ip>
    [ll] = [a for a, _p in ips if a.startswith("fe80:")]
    assert ll in {a.split("/")[0] for a in nic0.ns.addresses("nic0", scope="link")}
    assert v6.find("route").get("gateway") == "2001:db8::1"


def test_live_state_of_a_down_nic(nic0: Lan) -> None:
    doc = validate_both(nic0.ok("dumpxml", "--live", "nic0"))
    assert doc.find("protocol") is None
    assert doc.find("link").get("state") == "down"


def test_live_state_of_a_missing_device_is_not_found(lan: Lan) -> None:
    proc = lan.augnetcf("dumpxml", "--live", "nic9")
    assert proc.returncode == 3
    assert proc.stderr.strip() == "augnetcf: no network device named 'nic9' in the kernel"


def test_diff_names_each_drift(nic0: Lan) -> None:
    nic0.ok("ifup", "nic0")
    nic0.ns.ip("link", "set", "nic0", "mtu", "1300")
    nic0.ns.ip("addr", "add", "203.0.113.7/24", "dev", "nic0")
    nic0.ns.ip("addr", "del", "198.51.100.10/25", "dev", "nic0")
    nic0.ns.ip("route", "del", "default")
    proc = nic0.augnetcf("diff", "nic0")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "nic0: mtu is 1300, configured 1400",
        "nic0: lacks address 198.51.100.10/25",
        "nic0: has address 203.0.113.7/24, not configured",
        "nic0: lacks default route via 192.0.2.1",
    ]
    nic0.ok("ifup", "nic0")  # ifup puts it right
    assert nic0.augnetcf("diff", "nic0").returncode == 0


def test_ifdown_leaves_the_nic_down_without_addresses(nic0: Lan) -> None:
    nic0.ok("ifup", "nic0")
    assert nic0.ok("ifdown", "nic0").strip() == "Interface nic0 successfully brought down"
    link = nic0.ns.link("nic0")
    assert link is not None, "a physical NIC is never deleted"
    assert "UP" not in link["flags"]
    assert nic0.ns.addresses("nic0") == set()
    assert nic0.ns.default_routes("-4") == [] and nic0.ns.default_routes("-6") == []
    proc = nic0.augnetcf("diff", "nic0")
    assert proc.returncode == 1 and "nic0: is down" in proc.stdout.splitlines()
    nic0.ok("ifdown", "nic0")  # twice is harmless


def test_ifup_of_a_nic_the_kernel_lacks(lan: Lan) -> None:
    lan.define(STATIC)
    proc = lan.augnetcf("ifup", "nic0")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "augnetcf: nic0: no such network device in the kernel"


def test_ifup_reports_a_duplicate_address(nic0: Lan) -> None:
    # the peer already holds 2001:db8::10: duplicate address detection fails, and ifup says so
    nic0.peer.ip("-6", "addr", "add", "2001:db8::10/64", "dev", "p0", "nodad")
    proc = nic0.augnetcf("ifup", "nic0")
    assert proc.returncode == 1, proc.stdout
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "nic0 is up but differs from its configuration" in proc.stderr
    assert "nic0: address 2001:db8::10 failed duplicate address detection" in proc.stderr


def test_ifup_of_an_undefined_interface(lan: Lan) -> None:
    proc = lan.augnetcf("ifup", "nic0")
    assert proc.returncode == 3 and "'nic0'" in proc.stderr


def test_live_state_the_schema_cannot_hold_is_a_clear_error(lan: Lan) -> None:
    lan.nic("nic+0", "p0")  # the kernel allows '+', interface XML (ours) does not
    proc = lan.augnetcf("dumpxml", "--live", "nic+0")
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("augnetcf: nic+0: the kernel's state cannot be described as interface XML")
