"""share and unshare without the kernel: refusals, dry runs, the bridge's description.

Nothing here reaches the kernel: every share is a --dry-run or is refused
before it acts (the namespace tests in tests/kernel/test_share.py do the rest).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import snapshot_tree
from lxml import etree
from txn_roots import BACKENDS, make_root

import augnetcf
import augnetcf.config
import augnetcf.kernel
from augnetcf import share
from augnetcf.errors import InvalidOperation, NotFound
from augnetcf.share import bridge_xml, nic_xml_from_bridge

STATIC = """<interface type="ethernet" name="eth1">
  <start mode="onboot"/>
  <mac address="52:54:00:aa:00:01"/>
  <mtu size="1400"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
    <route gateway="192.0.2.1"/>
  </protocol>
</interface>
"""
PLAIN = STATIC.replace('  <mac address="52:54:00:aa:00:01"/>\n', "")
BOND = """<interface type="bond" name="bond0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <dhcp/>
  </protocol>
  <bond mode="active-backup">
    <miimon freq="100"/>
    <interface type="ethernet" name="eth2"/>
    <interface type="ethernet" name="eth3"/>
  </bond>
</interface>
"""
VLAN = """<interface type="vlan" name="eth1.42">
  <start mode="onboot"/>
  <vlan tag="42">
    <interface name="eth1"/>
  </vlan>
</interface>
"""


@pytest.fixture(params=BACKENDS)
def cfg(request, tmp_path: Path):
    root = make_root(tmp_path / "root", request.param)
    with augnetcf.Config(str(root), request.param) as c:
        c.define(STATIC)
        yield c


def cli(cfg, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "augnetcf", "--root", cfg.root, "--backend",
                           cfg.backend.name, *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_bridge_takes_all_addressing() -> None:
    br = etree.fromstring(bridge_xml(STATIC, "br0", stp=True, delay=2.5).encode())
    assert br.get("type") == "bridge" and br.get("name") == "br0"
    assert br.find("start").get("mode") == "onboot" and br.find("mtu").get("size") == "1400"
    assert br.xpath("string(protocol/ip/@address)") == "192.0.2.10"
    assert br.xpath("string(protocol/route/@gateway)") == "192.0.2.1"
    assert br.find("bridge").attrib == {"stp": "on", "delay": "2.5"}
    [port] = br.findall("bridge/interface")
    assert [c.tag for c in port] == ["mac"] and port.get("name") == "eth1"  # a bare port, mac kept
    augnetcf.schema.load(etree.tostring(br), "bridge")
    back = etree.fromstring(nic_xml_from_bridge(etree.tostring(br).decode()).encode())
    assert augnetcf.config.canonical(back) == augnetcf.config.canonical(etree.fromstring(STATIC.encode()))


def test_bond_keeps_its_slaves_under_the_bridge() -> None:
    br = etree.fromstring(bridge_xml(BOND, "br0").encode())
    [port] = br.findall("bridge/interface")
    assert port.get("type") == "bond" and port.find("start") is None and port.find("protocol") is None
    assert [s.get("name") for s in port.findall("bond/interface")] == ["eth2", "eth3"]
    assert br.find("protocol/dhcp") is not None
    augnetcf.schema.load(etree.tostring(br), "bridge")


def test_dry_run_changes_nothing(cfg) -> None:
    before = snapshot_tree(Path(cfg.root))
    plan = share.share(cfg, "eth1", "br0", dry_run=True)
    default = first_free(cfg, set())
    assert plan.bridge == "br0" and plan.verify == "192.0.2.1"
    assert "link drops briefly" in plan.warning
    # the shortest forward delay the backend can write (NetworkManager's is 2 s)
    assert etree.fromstring(plan.xml.encode()).find("bridge").get("delay") == \
        str(cfg.backend.min_forward_delay) == {"nm-keyfile": "2"}.get(cfg.backend.name, "0")
    assert plan.changes and any(ch.after and b"br0" in ch.after for ch in plan.changes)
    proc = cli(cfg, "share", "eth1", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert f'<interface type="bridge" name="{default}">' in proc.stdout and "+++ " in proc.stdout
    assert "link drops briefly" in proc.stderr
    assert snapshot_tree(Path(cfg.root)) == before


def test_dry_run_of_a_bond(cfg) -> None:
    cfg.define(BOND)
    plan = share.share(cfg, "bond0", dry_run=True)
    assert plan.bridge == first_free(cfg, set()) and plan.verify is None
    assert "default gateway" in plan.warning  # DHCP: the gateway it gives is pinged


def first_free(cfg, taken: set[str]) -> str:
    """The default bridge name: br0, br1... neither defined nor in this kernel (read-only)."""
    kernel = set(augnetcf.kernel.snapshot().links)
    return next(f"br{i}" for i in range(100) if f"br{i}" not in taken | kernel)


def test_default_name_skips_defined_ones(cfg) -> None:
    cfg.define(bridge_xml(PLAIN.replace("eth1", "eth5"), "br0", delay=cfg.backend.min_forward_delay))
    assert share.share(cfg, "eth1", dry_run=True).bridge == first_free(cfg, {"br0"}) != "br0"


def test_refusals(cfg) -> None:
    with pytest.raises(NotFound, match="eth9"):
        share.share(cfg, "eth9", dry_run=True)
    cfg.define(bridge_xml(PLAIN.replace("eth1", "eth5"), "br5", delay=cfg.backend.min_forward_delay))
    with pytest.raises(InvalidOperation, match="already a port or slave of br5"):
        share.share(cfg, "eth5", dry_run=True)
    with pytest.raises(InvalidOperation, match="only an ethernet NIC or a bond"):
        share.share(cfg, "br5", dry_run=True)
    with pytest.raises(InvalidOperation, match="br5 is taken"):
        share.share(cfg, "eth1", "br5", dry_run=True)
    with pytest.raises(InvalidOperation, match="not a usable interface name"):
        share.share(cfg, "eth1", "a-name-much-too-long", dry_run=True)
    cfg.define(BOND)
    with pytest.raises(InvalidOperation, match="already a port or slave of bond0"):
        share.share(cfg, "eth2", dry_run=True)
    cfg.define(VLAN)
    with pytest.raises(InvalidOperation, match="base of vlan eth1.42"):
        share.share(cfg, "eth1", dry_run=True)


def test_cli_refuses_without_a_terminal(cfg) -> None:
    before = snapshot_tree(Path(cfg.root))
    proc = cli(cfg, "share", "eth1")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "link drops briefly" in proc.stderr and "pass --yes" in proc.stderr
    proc = cli(cfg, "share", "eth9", "--yes")
    assert proc.returncode == 3 and "eth9" in proc.stderr
    assert snapshot_tree(Path(cfg.root)) == before


def test_unshare_refusals(cfg) -> None:
    with pytest.raises(NotFound):
        share.unshare(cfg, "br7", dry_run=True)
    with pytest.raises(InvalidOperation, match="not a bridge"):
        share.unshare(cfg, "eth1", dry_run=True)


def test_unshare_dry_run_without_a_record(cfg) -> None:
    """A bridge share did not make (no record): unshare plans a redefinition."""
    cfg.define(bridge_xml(PLAIN.replace("eth1", "eth5"), "br5", delay=cfg.backend.min_forward_delay))
    before = snapshot_tree(Path(cfg.root))
    plan = share.unshare(cfg, "br5", dry_run=True)
    assert plan.nic == "eth5" and any("saved description" in n for n in plan.notes)
    assert plan.changes
    assert snapshot_tree(Path(cfg.root)) == before
