"""The augnetcf.net collection driven by a real ansible-playbook on localhost
(connection local), on temporary roots: check mode, idempotence, diffs, failures
that leave the files alone, several hosts at once, facts, ansible-doc and the
collection build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml
from ansible_run import COLLECTION, ansible_env, inventory, play, playbook, run, tool
from conftest import REDHAT_DIR, snapshot_tree
from txn_roots import make_root

import augnetcf
from augnetcf.config import unified_diff

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

BRIDGE = {
    "type": "bridge",
    "start": "onboot",
    "stp": False,
    "delay": 0,
    "ipv4": {"addresses": ["192.0.2.10/24"], "gateway": "192.0.2.1"},
    "ports": [{"name": "eth0", "mac": "52:54:00:12:34:56"}],
}
BRIDGE_XML = (EXAMPLES / "br0.xml").read_text()


def bridge_task(root: str = "{{ root }}", **extra: object) -> dict:
    return {"name": "bridge", "augnetcf.net.interface": {"name": "br0", "root": root, "config": BRIDGE,
                                                         **extra}}


@pytest.fixture
def redhat(tmp_path: Path) -> Path:
    root = tmp_path / "redhat-root"
    shutil.copytree(EXAMPLES / "redhat-root", root)
    return root


def local(root: Path) -> dict[str, dict[str, str]]:
    return {"localhost": {"root": str(root)}}


def test_define_then_second_run_unchanged(tmp_path: Path, redhat: Path):
    first = play(tmp_path, [bridge_task()], local(redhat))
    assert first.rc == 0, first.proc.stderr
    res = first.result("localhost")
    assert res["changed"] is True
    assert sorted(res["files"]) == [f"{REDHAT_DIR}/ifcfg-br0", f"{REDHAT_DIR}/ifcfg-eth0"]
    assert res["backend"] == "redhat" and res["kernel"] == []
    assert "BRIDGE=br0" in (redhat / REDHAT_DIR / "ifcfg-eth0").read_text()
    with augnetcf.Config(str(redhat), "redhat") as cfg:  # the library reads back what the task said
        assert cfg.xml_desc("br0") == res["xml"]
        assert cfg.plan_define(BRIDGE_XML) == []  # the dict and examples/br0.xml say the same

    files = snapshot_tree(redhat)
    second = play(tmp_path, [bridge_task()], local(redhat))
    assert second.rc == 0
    assert second.result("localhost")["changed"] is False
    assert second.result("localhost")["files"] == []
    assert second.stats("localhost")["changed"] == 0
    assert snapshot_tree(redhat) == files


def test_xml_option_is_idempotent_too(tmp_path: Path, redhat: Path):
    task = {"augnetcf.net.interface": {"name": "br0", "root": "{{ root }}", "xml": BRIDGE_XML}}
    assert play(tmp_path, [task], local(redhat)).result("localhost")["changed"] is True
    assert play(tmp_path, [task], local(redhat)).result("localhost")["changed"] is False


def test_check_mode_changes_no_file(tmp_path: Path, redhat: Path):
    files = snapshot_tree(redhat)
    out = play(tmp_path, [bridge_task()], local(redhat), "--check")
    assert out.rc == 0, out.proc.stderr
    res = out.result("localhost")
    assert res["changed"] is True  # it would change them
    assert sorted(res["files"]) == [f"{REDHAT_DIR}/ifcfg-br0", f"{REDHAT_DIR}/ifcfg-eth0"]
    assert snapshot_tree(redhat) == files
    with augnetcf.Config(str(redhat), "redhat") as cfg:
        assert "br0" not in cfg.list_interfaces()


def test_diff_is_the_dry_run_diff(tmp_path: Path, redhat: Path):
    with augnetcf.Config(str(redhat), "redhat") as cfg:
        expected = unified_diff(cfg.plan_define(BRIDGE_XML))
    assert "+++ etc/sysconfig/network-scripts/ifcfg-br0" in expected
    out = play(tmp_path, [bridge_task()], local(redhat), "--diff", "--check")
    assert out.result("localhost")["diff"] == {"prepared": expected}
    # ...and the same, as the default callback shows it to a person
    proc = run(tmp_path, playbook(tmp_path, [bridge_task()]), inventory(tmp_path, local(redhat)),
               "--diff", callback="ansible.builtin.default")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "+++ etc/sysconfig/network-scripts/ifcfg-br0" in proc.stdout
    assert "+BRIDGE=br0" in proc.stdout
    assert "changed: [localhost]" in proc.stdout
    # the CLI's dry run now has nothing left to say, nor does the module's diff
    cli = subprocess.run([sys.executable, "-m", "augnetcf", "--root", str(redhat), "define", "--dry-run",
                          str(EXAMPLES / "br0.xml")], capture_output=True, text=True)
    assert cli.returncode == 0 and cli.stdout == ""
    again = play(tmp_path, [bridge_task()], local(redhat), "--diff")
    assert again.result("localhost")["diff"] == {"prepared": ""}
    assert again.result("localhost")["changed"] is False


def test_undefine_absent_and_again(tmp_path: Path, redhat: Path):
    task = {"augnetcf.net.interface": {"name": "eth1", "root": "{{ root }}", "state": "absent"}}
    check = play(tmp_path, [task], local(redhat), "--check", "--diff")
    assert check.result("localhost")["changed"] is True
    assert "--- etc/sysconfig/network-scripts/ifcfg-eth1" in check.result("localhost")["diff"]["prepared"]
    assert (redhat / REDHAT_DIR / "ifcfg-eth1").exists()
    assert play(tmp_path, [task], local(redhat)).result("localhost")["changed"] is True
    assert not (redhat / REDHAT_DIR / "ifcfg-eth1").exists()
    assert play(tmp_path, [task], local(redhat)).result("localhost")["changed"] is False


@pytest.mark.parametrize("task, message", [
    ({"name": "br0", "xml": "<interface type='bridge' name='br0'><bridge>"}, "br0 (task)"),
    ({"name": "br0", "xml": "<interface type='token-ring' name='br0'/>"}, "br0 (task)"),
    ({"name": "eth1", "config": {"ipv4": {"dhcp": True, "peerdns": False}, "start": "onboot"}},
     "peerdns"),
    ({"name": "br9", "xml": BRIDGE_XML}, "the XML describes 'br0', not 'br9'"),
    ({"name": "br0", "config": {"type": "vlan"}}, "config: a vlan needs tag and device"),
])
def test_failing_task_leaves_files_as_before(tmp_path: Path, task: dict, message: str):
    root = make_root(tmp_path / "debian-root", "debian")
    files = snapshot_tree(root)
    out = play(tmp_path, [{"augnetcf.net.interface": {"root": "{{ root }}", **task}}], local(root))
    assert out.rc == 2
    res = out.result("localhost")
    assert res["failed"] is True
    assert message in res["msg"]
    assert "Traceback" not in res["msg"]
    assert snapshot_tree(root) == files


def test_failure_names_file_and_line(tmp_path: Path, redhat: Path):
    broken = redhat / REDHAT_DIR / "ifcfg-eth1"
    broken.write_text(broken.read_text() + "THIS IS NOT SHELL\n")
    files = snapshot_tree(redhat)
    out = play(tmp_path, [bridge_task()], local(redhat))
    res = out.result("localhost")
    assert res["failed"] is True
    assert f"{REDHAT_DIR}/ifcfg-eth1" in res["msg"]
    assert res["file"].endswith("ifcfg-eth1")
    assert snapshot_tree(redhat) == files


def test_up_refused_on_a_copy_of_a_system(tmp_path: Path, redhat: Path):
    files = snapshot_tree(redhat)
    out = play(tmp_path, [bridge_task(up=True)], local(redhat))
    res = out.result("localhost")
    assert res["failed"] is True
    assert "do not describe this kernel" in res["msg"]
    assert snapshot_tree(redhat) == files


def test_hosts_are_independent(tmp_path: Path, redhat: Path):
    """Five inventory hosts, each its own root: one changes, one is already so,
    two use other backends (networkd, and netplan on Ubuntu), one fails; each
    result is its own."""
    done = tmp_path / "done-root"
    shutil.copytree(EXAMPLES / "redhat-root", done)
    with augnetcf.Config(str(done), "redhat") as cfg:
        cfg.define(BRIDGE_XML)
    networkd = tmp_path / "networkd-root"
    shutil.copytree(EXAMPLES / "networkd-root", networkd)
    ubuntu = tmp_path / "ubuntu-root"
    shutil.copytree(EXAMPLES / "ubuntu-root", ubuntu)
    hosts = {"fresh": {"root": str(redhat)}, "done": {"root": str(done)},
             "networkd": {"root": str(networkd)}, "ubuntu": {"root": str(ubuntu)},
             "missing": {"root": str(tmp_path / "no-such-root")}}
    before = {h: snapshot_tree(Path(v["root"])) for h, v in hosts.items() if h != "missing"}
    out = play(tmp_path, [bridge_task(), {"augnetcf.net.facts": {"root": "{{ root }}"}}], hosts)
    assert out.rc == 2
    assert out.result("fresh")["changed"] is True
    assert out.result("done")["changed"] is False
    assert snapshot_tree(done) == before["done"]
    nd = out.result("networkd")
    assert nd["changed"] is True and nd["backend"] == "networkd"
    assert any(f.startswith("etc/systemd/network/") for f in nd["files"])
    ub = out.result("ubuntu")  # detected as netplan: never the dead /etc/network/interfaces
    assert ub["changed"] is True and ub["backend"] == "netplan"
    assert ub["files"] == ["etc/netplan/60-augnetcf.yaml"]
    dead = "etc/network/interfaces"
    assert (ubuntu / dead).read_bytes() == (EXAMPLES / "ubuntu-root" / dead).read_bytes()
    assert out.result("missing")["failed"] is True
    assert "no-such-root" in out.result("missing")["msg"]
    # the failed host stopped; the others went on to gather facts
    assert out.stats("missing")["failures"] == 1
    for host in ("fresh", "done", "networkd", "ubuntu"):
        facts = out.result(host, task=1)["ansible_facts"]["augnetcf"]
        assert "br0" in facts["names"]
        assert facts["live"] is False
    assert "missing" not in out.data["plays"][0]["tasks"][1]["hosts"]


def test_facts(tmp_path: Path, redhat: Path):
    out = play(tmp_path, [{"augnetcf.net.facts": {"root": "{{ root }}"}}], local(redhat))
    assert out.rc == 0, out.proc.stderr
    facts = out.result("localhost")["ansible_facts"]["augnetcf"]
    with augnetcf.Config(str(redhat), "redhat") as cfg:
        names = sorted(cfg.list_interfaces())
        assert facts["names"] == names
        for name in names:
            assert facts["interfaces"][name]["xml"] == cfg.xml_desc(name)
    eth0 = facts["interfaces"]["eth0"]["dict"]
    assert eth0["type"] == "ethernet" and eth0["name"] == "eth0"
    assert eth0["mac"] == [{"address": "52:54:00:12:34:56"}]
    [ipv4] = [p for p in eth0["protocol"] if p["family"] == "ipv4"]
    assert ipv4["ip"] == [{"address": "192.0.2.10", "prefix": "24"}]
    assert ipv4["route"] == [{"gateway": "192.0.2.1"}]
    assert facts["live"] is False and "status" not in facts["interfaces"]["eth0"]
    assert facts["backend"] == "redhat"


def test_facts_live_status_on_request(tmp_path: Path, redhat: Path):
    """``live: true`` adds each interface's kernel status (read only: a netlink dump)."""
    out = play(tmp_path, [{"augnetcf.net.facts": {"root": "{{ root }}", "live": True}}], local(redhat))
    assert out.rc == 0, out.proc.stderr
    facts = out.result("localhost")["ansible_facts"]["augnetcf"]
    assert facts["live"] is True
    with augnetcf.Config(str(redhat), "redhat") as cfg:
        assert {n: i["status"] for n, i in facts["interfaces"].items()} == cfg.statuses()


@pytest.mark.parametrize("module", ["interface", "facts", "share"])
def test_ansible_doc_renders(tmp_path: Path, module: str):
    proc = subprocess.run([tool("ansible-doc"), f"augnetcf.net.{module}"], capture_output=True, text=True,
                          env=ansible_env(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"augnetcf.net.{module}" in proc.stdout
    assert "EXAMPLES" in proc.stdout and "RETURN VALUES" in proc.stdout
    assert "root" in proc.stdout
    assert "[WARNING]" not in proc.stderr


def test_collection_builds(tmp_path: Path):
    proc = subprocess.run([tool("ansible-galaxy"), "collection", "build", str(COLLECTION),
                           "--output-path", str(tmp_path / "dist")], capture_output=True, text=True,
                          env=ansible_env(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr
    [tarball] = (tmp_path / "dist").glob("augnetcf-net-*.tar.gz")
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
    assert {"MANIFEST.json", "FILES.json", "plugins/modules/interface.py", "plugins/modules/facts.py",
            "plugins/modules/share.py", "plugins/module_utils/kernelcheck.py",
            "plugins/module_utils/ifxml.py"} <= names


def test_share_check_mode_or_why_not(tmp_path: Path, redhat: Path):
    """Check mode of augnetcf.net.share on a copy of a system: the dry run asks
    no kernel and changes no file (through augnetcf.share, which takes the Config)."""
    files = snapshot_tree(redhat)
    out = play(tmp_path, [{"augnetcf.net.share": {"nic": "eth0", "bridge": "br0", "root": "{{ root }}"}}],
               local(redhat), "--check", "--diff")
    res = out.result("localhost")
    assert out.rc == 0, res
    assert res["changed"] is True and res["bridge"] == "br0"
    assert "+++ etc/sysconfig/network-scripts/ifcfg-br0" in res["diff"]["prepared"]
    assert snapshot_tree(redhat) == files


def test_readme_playbook_is_valid(tmp_path: Path):
    """The guide's fleet playbook (docs/guide/ansible.md) parses, and its task arguments pass the
    module's argument spec (ansible-playbook --syntax-check cannot check those:
    the config dict is run through the module in check mode on a copy)."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "guide" / "ansible.md").read_text()
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", guide, re.S) if "serial: 1" in b]
    book = tmp_path / "bridge.yml"
    book.write_text(block)
    inv = inventory(tmp_path, {"hv1": {}})
    proc = subprocess.run([tool("ansible-playbook"), "-i", str(inv), str(book), "--syntax-check"],
                          capture_output=True, text=True, env=ansible_env(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [play_] = yaml.safe_load(block)
    assert play_["serial"] == 1
    args = dict(play_["tasks"][0]["augnetcf.net.interface"])
    root = tmp_path / "hv1-root"
    shutil.copytree(EXAMPLES / "redhat-root", root)
    args.pop("up")  # the kernel is not this root's
    args["root"] = str(root)
    facts = {"ansible_default_ipv4": {"address": "192.0.2.10", "prefix": "24", "gateway": "192.0.2.1"}}
    out = play(tmp_path, [{"augnetcf.net.interface": args}], {"hv1": facts},
               "--check", "--diff")
    res = out.result("hv1")
    assert out.rc == 0, res
    assert "+BRIDGE=br0" in res["diff"]["prepared"]
