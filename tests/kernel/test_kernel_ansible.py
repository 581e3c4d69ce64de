"""augnetcf.net.interface with ``up``: ansible-playbook runs inside a network
namespace (``ip netns exec``), so the module's kernel is the namespace's and the
files are a temporary root. Bringing a bridge up, idempotence, a failing ifup
rolled back through the transaction, and down."""

from __future__ import annotations

from pathlib import Path

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
