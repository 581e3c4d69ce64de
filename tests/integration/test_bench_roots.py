"""The benchmark's synthetic hosts (bench/roots.py) are what they claim:
every backend reads the same interfaces from them, and they already hold what
augnetcf would write (redefining what dumpxml prints changes no byte), so the
benchmark times real work on well-formed files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import TESTS, snapshot_tree
from lxml import etree

import augnetcf
from augnetcf.minimal import canonical

sys.path.insert(0, str(TESTS.parent / "bench"))
from roots import BACKENDS, bridge_xml, make_root  # noqa: E402


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_bench_root_is_a_consistent_host(tmp_path: Path, backend: str) -> None:
    root = tmp_path / "root"
    tenants = make_root(root, backend, 10, cache=False)
    assert tenants == 3
    want = ["bond0", *sorted(f"br{t}" for t in range(1, tenants + 1))]
    before = snapshot_tree(root)
    with augnetcf.Config(str(root), backend) as cfg:
        assert sorted(n for n in cfg.list_interfaces() if n != "lo") == want
        bond = etree.fromstring(cfg.xml_desc("bond0").encode())
        assert bond.get("type") == "bond" and bond.find("bond").get("mode") == "active-backup"
        assert [s.get("name") for s in bond.findall("bond/interface")] == ["eth0", "eth1"]
        br = etree.fromstring(cfg.xml_desc("br2").encode())
        assert br.xpath("string(protocol/ip/@address)") == "10.0.2.1"
        assert br.xpath("string(bridge/interface/@name)") == "bond0.2"
        assert br.xpath("string(bridge/interface/vlan/@tag)") == "2"
        for name in want:
            cfg.define(cfg.xml_desc(name))
    assert snapshot_tree(root) == before  # the files already say it as augnetcf would

    with augnetcf.Config(str(root), backend) as cfg:  # the benchmark's define and undefine
        cfg.define(bridge_xml(9))
        got = etree.fromstring(cfg.xml_desc("br9").encode())
        assert canonical(got) == canonical(etree.fromstring(bridge_xml(9).encode()))
        cfg.undefine("br9")
    assert snapshot_tree(root) == before
