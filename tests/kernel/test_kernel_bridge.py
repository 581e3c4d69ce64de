"""A bridge over two veth NICs: created by ifup, verified, described live, removed by ifdown."""

from __future__ import annotations

import json

import pytest

from .conftest import KERNEL, Lan, validate_both

pytestmark = KERNEL

BRIDGE = """<interface type="bridge" name="br0">
  <start mode="onboot"/>
  <mtu size="1400"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
    <route gateway="192.0.2.1"/>
  </protocol>
  <bridge stp="off" delay="0">
    <interface type="ethernet" name="nic0"/>
    <interface type="ethernet" name="nic1">
      <mac address="52:54:00:aa:00:02"/>
    </interface>
  </bridge>
</interface>
"""


@pytest.fixture
def br(lan: Lan) -> Lan:
    lan.nic("nic0", "p0")
    lan.nic("nic1", "p1")
    lan.peer.ip("addr", "add", "192.0.2.1/24", "dev", "p0")
    lan.define(BRIDGE)
    return lan


def test_ifup_creates_the_bridge(br: Lan) -> None:
    br.ok("ifup", "br0")
    ns = br.ns
    bridge = ns.link("br0")
    assert bridge["linkinfo"]["info_kind"] == "bridge"
    assert bridge["linkinfo"]["info_data"]["stp_state"] == 0
    assert bridge["linkinfo"]["info_data"]["forward_delay"] == 0
    assert "UP" in bridge["flags"] and bridge["mtu"] == 1400
    for nic in ("nic0", "nic1"):
        port = ns.link(nic)
        assert port["master"] == "br0" and "UP" in port["flags"] and port["mtu"] == 1400
        assert ns.addresses(nic) == set()
    assert ns.link("nic1")["address"] == "52:54:00:aa:00:02"
    assert ns.addresses("br0") == {"192.0.2.10/24"}
    assert [(r["gateway"], r["dev"]) for r in ns.default_routes()] == [("192.0.2.1", "br0")]
    br.peer.run("ping", "-c1", "-W5", "192.0.2.10", check=True)  # through nic0, across the bridge
    assert br.augnetcf("diff", "br0").returncode == 0
    assert br.ok("list").split() == ["br0"]


def test_live_state_of_the_bridge(br: Lan) -> None:
    br.ok("ifup", "br0")
    doc = validate_both(br.ok("dumpxml", "--live", "br0"))
    assert doc.get("type") == "bridge"
    assert doc.find("mtu").get("size") == "1400"
    assert doc.find("bridge").attrib == {"stp": "off", "delay": "0"}
    ports = doc.findall("bridge/interface")
    assert [(p.get("type"), p.get("name")) for p in ports] == [("ethernet", "nic0"), ("ethernet", "nic1")]
    assert ports[1].find("mac").get("address") == "52:54:00:aa:00:02"
    assert all(p.find("link").get("state") == "up" for p in ports)
    assert [i.get("address") for i in doc.iterfind("protocol[@family='ipv4']/ip")] == ["192.0.2.10"]


def test_stp_and_forward_delay(br: Lan) -> None:
    br.define(BRIDGE.replace('stp="off" delay="0"', 'stp="on" delay="4.5"'))
    proc = br.augnetcf("ifup", "--timeout", "1", "br0")
    assert proc.returncode == 0, proc.stderr
    data = br.ns.link("br0")["linkinfo"]["info_data"]
    assert data["stp_state"] == 1 and data["forward_delay"] == 450
    doc = validate_both(br.ok("dumpxml", "--live", "br0"))
    assert doc.find("bridge").attrib == {"stp": "on", "delay": "4.5"}
    assert br.augnetcf("diff", "br0").returncode == 0


def test_diff_sees_a_port_leave_and_a_stranger_join(br: Lan) -> None:
    br.ok("ifup", "br0")
    br.nic("nic2", "p2")
    br.ns.ip("link", "set", "nic2", "master", "br0")
    br.ns.ip("link", "set", "nic1", "nomaster")
    proc = br.augnetcf("diff", "br0")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == ["nic1: is not a port of br0", "br0: has port nic2, not configured"]
    proc = br.augnetcf("diff", "--json", "br0")
    assert proc.returncode == 1
    assert json.loads(proc.stdout) == {"name": "br0", "status": "active", "differences": [
        "nic1: is not a port of br0", "br0: has port nic2, not configured"]}


def test_ifdown_removes_the_bridge_it_created(br: Lan) -> None:
    br.ok("ifup", "br0")
    br.ok("ifdown", "br0")
    ns = br.ns
    assert ns.link("br0") is None
    for nic in ("nic0", "nic1"):
        port = ns.link(nic)
        assert port is not None and "master" not in port and "UP" not in port["flags"]
        assert ns.addresses(nic) == set()
    assert br.ok("list") == ""
    assert br.ok("list", "--inactive").split() == ["br0"]


def test_ifdown_keeps_a_bridge_it_did_not_create(br: Lan) -> None:
    br.ns.ip("link", "add", "br0", "type", "bridge")
    br.ok("ifup", "br0")
    br.ok("ifdown", "br0")
    bridge = br.ns.link("br0")
    assert bridge is not None and "UP" not in bridge["flags"]
    assert br.ns.addresses("br0") == set()
    assert all("master" not in br.ns.link(n) for n in ("nic0", "nic1"))


def test_a_failed_ifup_leaves_no_bridge_behind(lan: Lan) -> None:
    lan.nic("nic0", "p0")  # nic1 is missing
    lan.define(BRIDGE)
    proc = lan.augnetcf("ifup", "br0")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "augnetcf: nic1: no such network device in the kernel"
    assert lan.ns.link("br0") is None


def test_a_device_of_another_type_is_refused(lan: Lan) -> None:
    lan.nic("nic0", "p0")
    lan.nic("nic1", "p1")
    lan.nic("br0", "pb")  # a veth where the bridge should be
    lan.define(BRIDGE)
    proc = lan.augnetcf("ifup", "br0")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "augnetcf: br0: exists as a veth device, configured as a bridge"
    assert lan.ns.link("br0")["linkinfo"]["info_kind"] == "veth"


@pytest.mark.parametrize("verb", ["ifup", "ifdown", "diff"])
def test_a_port_is_not_brought_up_on_its_own(br: Lan, verb: str) -> None:
    proc = br.augnetcf(verb, "nic0")
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("augnetcf: nic0 is configured as a port or slave of br0: "
                                   "bring br0 up or down instead")
    assert br.ns.link("br0") is None
