"""Status and the list filters, and the library API, run inside a namespace."""

from __future__ import annotations

import json
import textwrap

from .conftest import KERNEL, Lan, validate_both

pytestmark = KERNEL


def eth(name: str, address: str) -> str:
    return f"""<interface type="ethernet" name="{name}">
  <protocol family="ipv4"><ip address="{address}" prefix="24"/></protocol>
</interface>"""


def test_list_filters_by_status(lan: Lan) -> None:
    for i, name in enumerate(("nic0", "nic1", "nic2")):
        lan.nic(name, f"p{i}")
        lan.define(eth(name, f"192.0.2.{10 + i}"))
    lan.define(eth("ghost0", "192.0.2.20"))  # defined, not in the kernel: inactive
    lan.ok("ifup", "nic0")
    lan.ns.ip("link", "set", "nic2", "up")  # up by other hands: active all the same
    assert lan.ok("list").split() == ["nic0", "nic2"]
    assert lan.ok("list", "--inactive").split() == ["ghost0", "nic1"]
    assert lan.ok("list", "--all").split() == ["ghost0", "nic0", "nic1", "nic2"]
    rows = json.loads(lan.ok("list", "--all", "--json"))
    assert [(r["name"], r["status"]) for r in rows] == [
        ("ghost0", "inactive"), ("nic0", "active"), ("nic1", "inactive"), ("nic2", "active")]
    assert [r["name"] for r in json.loads(lan.ok("list", "--inactive", "--json"))] == ["ghost0", "nic1"]
    macs = dict(line.split() for line in lan.ok("list", "--macs").splitlines())
    assert set(macs) == {"nic0", "nic2"}
    usage = lan.augnetcf("list", "--all", "--inactive")
    assert usage.returncode == 2 and "not allowed with argument" in usage.stderr


def test_the_api_in_a_namespace(lan: Lan) -> None:
    lan.nic("nic0", "p0")
    lan.define(eth("nic0", "192.0.2.10"))
    code = textwrap.dedent(f"""
        import json, augnetcf
        out = {{}}
        with augnetcf.Config({str(lan.root)!r}, "redhat") as cfg:
            iface = cfg.lookup_by_name("nic0")
            out["before"] = iface.status()
            out["warnings"] = iface.ifup(timeout=5)
            out["after"] = cfg.status("nic0")
            out["statuses"] = cfg.statuses()
            out["diff"] = iface.diff()
            out["live"] = iface.xml_state()
            cfg.ifdown("nic0")
            out["down"] = cfg.status("nic0")
            out["diff_down"] = cfg.diff("nic0")
            try:
                cfg.xml_state("nic9")
            except augnetcf.NotFound as e:
                out["missing"] = str(e)
            try:
                cfg.define('<interface type="ethernet" name="nic8"/>')
                cfg.ifup("nic8")
            except augnetcf.KernelError as e:
                out["error"] = [str(e), isinstance(e, OSError), e.code.value]
        print(json.dumps(out))
    """)
    proc = lan.ns.python(code)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["before"] == "inactive" and out["after"] == "active" and out["down"] == "inactive"
    assert out["warnings"] == []
    assert out["statuses"] == {"nic0": "active"}
    assert out["diff"] == []
    doc = validate_both(out["live"])
    assert doc.find("protocol/ip").get("address") == "192.0.2.10"
    assert out["diff_down"] == ["nic0: is down", "nic0: lacks address 192.0.2.10/24"]
    assert out["missing"] == "no network device named 'nic9' in the kernel"
    assert out["error"] == ["nic8: no such network device in the kernel", True, "kernel"]


def test_commands_that_need_no_kernel_do_not_load_pyroute2(lan: Lan) -> None:
    lan.define(eth("nic0", "192.0.2.10"))
    code = textwrap.dedent(f"""
        import sys, augnetcf
        with augnetcf.Config({str(lan.root)!r}, "redhat") as cfg:
            cfg.xml_desc("nic0"); cfg.list_interfaces()
        assert "pyroute2" not in sys.modules, "imported"
        with augnetcf.Config({str(lan.root)!r}, "redhat") as cfg:
            cfg.status("nic0")
        assert "pyroute2" in sys.modules
    """)
    proc = lan.ns.python(code)
    assert proc.returncode == 0, proc.stderr
