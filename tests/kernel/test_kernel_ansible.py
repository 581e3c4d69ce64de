"""augnetcf.net.interface with ``up``: ansible-playbook runs inside a network
namespace (``ip netns exec``), so the module's kernel is the namespace's and the
files are a temporary root. Bringing a bridge up, idempotence, a failing ifup
rolled back through the transaction, and down; augnetcf.net.share likewise."""

from __future__ import annotations

from pathlib import Path

import pytest
from ansible_run import play
from conftest import REDHAT_DIR, snapshot_tree

from .conftest import KERNEL

pytestmark = KERNEL


def bridge(name: str, port: str, address: str, up: bool | None = True) -> dict:
    args = {"name": name, "root": "{{ root }}", "backend": "redhat",
            "config": {"type": "bridge", "start": "onboot", "stp": False, "delay": 0,
                       "ipv4": {"addresses": [address]}, "ports": [port]}}
    if up is not None:
        args["up"] = up
    return {"augnetcf.net.interface": args}


def run_in(lan, tmp_path: Path, task: dict, *args: str):
    return play(tmp_path, [task], {"localhost": {"root": str(lan.root)}}, *args,
                prefix=["ip", "netns", "exec", lan.ns.name], env={"AUGNETCF_RUN_DIR": str(lan.ns.run_dir)})


def test_up_down_and_idempotence(lan, tmp_path: Path):
    lan.nic("eth0", "peth0")
    check = run_in(lan, tmp_path, bridge("br0", "eth0", "192.0.2.10/24"), "--check")
    assert check.result("localhost")["kernel"] == ["up"]
    assert lan.ns.link("br0") is None  # check mode made nothing

    out = run_in(lan, tmp_path, bridge("br0", "eth0", "192.0.2.10/24"))
    res = out.result("localhost")
    assert out.rc == 0, res
    assert res["changed"] is True and res["kernel"] == ["up"]
    assert lan.ns.link("br0")["linkinfo"]["info_kind"] == "bridge"
    assert lan.ns.link("eth0")["master"] == "br0"
    assert lan.ns.addresses("br0") == {"192.0.2.10/24"}

    again = run_in(lan, tmp_path, bridge("br0", "eth0", "192.0.2.10/24"))
    assert again.result("localhost")["changed"] is False
    assert again.result("localhost")["kernel"] == []

    # a new address: the files change and the bridge is brought up again to match
    moved = run_in(lan, tmp_path, bridge("br0", "eth0", "192.0.2.20/24"))
    assert moved.result("localhost")["kernel"] == ["restart"]
    assert lan.ns.addresses("br0") == {"192.0.2.20/24"}

    down = run_in(lan, tmp_path, bridge("br0", "eth0", "192.0.2.20/24", up=False))
    assert down.result("localhost")["changed"] is True
    assert down.result("localhost")["kernel"] == ["down"]
    assert lan.ns.link("br0") is None


def test_failed_ifup_rolls_the_files_back(lan, tmp_path: Path):
    lan.nic("eth0", "peth0")
    (lan.root / REDHAT_DIR / "ifcfg-eth0").write_text("DEVICE=eth0\nBOOTPROTO=none\nONBOOT=yes\n")
    files = snapshot_tree(lan.root)
    out = run_in(lan, tmp_path, bridge("br1", "eth9", "192.0.2.30/24"))  # no eth9 in this kernel
    res = out.result("localhost")
    assert out.rc == 2 and res["failed"] is True
    assert "eth9" in res["msg"] and res["code"] == "kernel", res["msg"]  # from ifup, after define
    assert snapshot_tree(lan.root) == files  # ifcfg-br1 and ifcfg-eth9 are gone again
    assert not (lan.root / REDHAT_DIR / "ifcfg-br1").exists()


# -- augnetcf.net.share: a thin wrapper of augnetcf.share's share/unshare ---------------------------------

STATIC = """<interface type="ethernet" name="eth0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
    <route gateway="192.0.2.1"/>
  </protocol>
</interface>
"""


@pytest.fixture
def uplink(lan):
    """eth0 in the namespace, 192.0.2.10/24 via 192.0.2.1, which the peer holds."""
    lan.nic("eth0", "p0")
    lan.peer.ip("addr", "add", "192.0.2.1/24", "dev", "p0")
    lan.define(STATIC)
    lan.ok("ifup", "eth0")
    return lan


def share_task(**args: object) -> dict:
    return {"augnetcf.net.share": {"root": "{{ root }}", "backend": "redhat", **args}}


def test_share_check_share_again_unshare(uplink, tmp_path: Path):
    files = snapshot_tree(uplink.root)
    check = run_in(uplink, tmp_path, share_task(nic="eth0", bridge="br0"), "--check", "--diff")
    res = check.result("localhost")
    assert check.rc == 0, res
    assert res["changed"] is True
    assert "+++ etc/sysconfig/network-scripts/ifcfg-br0" in res["diff"]["prepared"]
    assert snapshot_tree(uplink.root) == files and uplink.ns.link("br0") is None

    out = run_in(uplink, tmp_path, share_task(nic="eth0", bridge="br0"))
    res = out.result("localhost")
    assert out.rc == 0, res
    assert res["changed"] is True and res["bridge"] == "br0" and res["verify"] == "192.0.2.1"
    assert uplink.ns.link("eth0")["master"] == "br0"
    assert uplink.ns.addresses("br0") == {"192.0.2.10/24"}

    again = run_in(uplink, tmp_path, share_task(nic="eth0"))
    assert again.result("localhost")["changed"] is False
    assert again.result("localhost")["bridge"] == "br0"

    back = run_in(uplink, tmp_path, share_task(bridge="br0", state="absent"))
    assert back.result("localhost")["changed"] is True, back.result("localhost")
    assert snapshot_tree(uplink.root) == files
    assert uplink.ns.link("br0") is None
    assert uplink.ns.addresses("eth0") == {"192.0.2.10/24"}
    assert run_in(uplink, tmp_path, share_task(bridge="br0", state="absent")).result("localhost")[
        "changed"] is False


def test_share_failed_verification_rolls_back(uplink, tmp_path: Path):
    files = snapshot_tree(uplink.root)
    out = run_in(uplink, tmp_path, share_task(nic="eth0", bridge="br0", verify="192.0.2.99", timeout=2))
    res = out.result("localhost")
    assert out.rc == 2 and res["failed"] is True
    assert "192.0.2.99" in res["msg"]
    assert snapshot_tree(uplink.root) == files
    assert uplink.ns.link("br0") is None
    assert uplink.ns.addresses("eth0") == {"192.0.2.10/24"}
