"""Bonds and VLANs, where the kernel has them.

This machine's kernel has neither bonding nor 8021q: these tests skip and say
so. Where ``ip link add ... type bond`` (or ``type vlan``) works, they run.
"""

from __future__ import annotations

import pytest

from .conftest import KERNEL, Lan, kernel_has, validate_both

pytestmark = KERNEL

BOND = """<interface type="bond" name="bond0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
  </protocol>
  <bond mode="active-backup">
    <miimon freq="100" updelay="0" downdelay="0"/>
    <interface type="ethernet" name="nic1"/>
    <interface type="ethernet" name="nic0"/>
  </bond>
</interface>
"""

VLAN = """<interface type="vlan" name="nic0.42">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <ip address="198.51.100.10" prefix="24"/>
  </protocol>
  <vlan tag="42">
    <interface name="nic0"/>
  </vlan>
</interface>
"""


@pytest.fixture
def bond(lan: Lan, make_netns) -> Lan:
    why = kernel_has("bond", make_netns)
    if why:
        pytest.skip(why)
    lan.nic("nic0", "p0")
    lan.nic("nic1", "p1")
    lan.define(BOND)
    return lan


@pytest.fixture
def vlan(lan: Lan, make_netns) -> Lan:
    why = kernel_has("vlan", make_netns)
    if why:
        pytest.skip(why)
    lan.nic("nic0", "p0")  # down: ifup brings a vlan's device up
    lan.peer.ip("link", "add", "link", "p0", "name", "p0.42", "type", "vlan", "id", "42")
    lan.peer.ip("link", "set", "p0.42", "up")
    lan.peer.ip("addr", "add", "198.51.100.1/24", "dev", "p0.42")
    lan.define(VLAN)
    return lan


def test_bond_up_live_diff_down(bond: Lan) -> None:
    bond.ok("ifup", "bond0")
    ns = bond.ns
    link = ns.link("bond0")
    assert link["linkinfo"]["info_kind"] == "bond" and "UP" in link["flags"]
    data = link["linkinfo"]["info_data"]
    assert data["mode"] == "active-backup" and data["miimon"] == 100
    assert data["primary"] == "nic1"
    assert ns.link("nic0")["master"] == "bond0" and ns.link("nic1")["master"] == "bond0"
    assert ns.addresses("bond0") == {"192.0.2.10/24"}
    assert bond.augnetcf("diff", "bond0").returncode == 0
    doc = validate_both(bond.ok("dumpxml", "--live", "bond0"))
    assert doc.find("bond").get("mode") == "active-backup"
    assert doc.find("bond/miimon").get("freq") == "100"
    assert [s.get("name") for s in doc.findall("bond/interface")] == ["nic1", "nic0"]  # primary first
    bond.ok("ifup", "bond0")  # again: unchanged options are not sent to a bond that is up
    bond.ok("ifdown", "bond0")
    assert ns.link("bond0") is None
    assert all("master" not in ns.link(n) and "UP" not in ns.link(n)["flags"] for n in ("nic0", "nic1"))


def test_bond_in_a_bridge(bond: Lan) -> None:
    bond.define("""<interface type="bridge" name="br0">
  <protocol family="ipv4"><ip address="192.0.2.10" prefix="24"/></protocol>
  <bridge stp="off" delay="0">
    <interface type="bond" name="bond0">
      <bond mode="balance-rr">
        <interface type="ethernet" name="nic0"/>
        <interface type="ethernet" name="nic1"/>
      </bond>
    </interface>
  </bridge>
</interface>""")
    bond.ok("ifup", "br0")
    assert bond.ns.link("bond0")["master"] == "br0"
    doc = validate_both(bond.ok("dumpxml", "--live", "br0"))
    assert doc.find("bridge/interface").get("type") == "bond"
    assert bond.augnetcf("diff", "br0").returncode == 0
    bond.ok("ifdown", "br0")
    assert bond.ns.link("br0") is None and bond.ns.link("bond0") is None


def test_vlan_up_live_diff_down(vlan: Lan) -> None:
    vlan.ok("ifup", "nic0.42")
    ns = vlan.ns
    link = ns.link("nic0.42")
    assert link["linkinfo"]["info_kind"] == "vlan" and link["linkinfo"]["info_data"]["id"] == 42
    assert ns.addresses("nic0.42") == {"198.51.100.10/24"}
    assert "UP" in ns.link("nic0")["flags"] and ns.addresses("nic0") == set()
    vlan.peer.run("ping", "-c1", "-W5", "198.51.100.10", check=True)  # tagged frames across the veth
    assert vlan.augnetcf("diff", "nic0.42").returncode == 0
    doc = validate_both(vlan.ok("dumpxml", "--live", "nic0.42"))
    assert doc.find("vlan").get("tag") == "42" and doc.find("vlan/interface").get("name") == "nic0"
    vlan.ok("ifdown", "nic0.42")
    assert ns.link("nic0.42") is None and ns.link("nic0") is not None


def test_vlan_without_its_device(lan: Lan) -> None:
    # refused before the kernel is asked to create anything: runs without 8021q too
    lan.define(VLAN)
    proc = lan.augnetcf("ifup", "nic0.42")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "augnetcf: nic0.42: its vlan device nic0 is not in the kernel"
