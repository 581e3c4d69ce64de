"""netcf's own expectations, through the API on real libaugeas and temporary roots.

Transform cases: define ``interface/X.xml`` on an empty root, then
  (a) the files, read the way initscripts reads them (sourced by bash), say
      what netcf's ``redhat/schema/X.xml`` says;
  (b) ``xml_desc`` gives back ``interface/X.xml`` under netcf's equality;
  (c) that XML is valid for libvirt's schema and for ours.
Every read uses a fresh :class:`Config`, as a separate ``augnetcf`` command
would (defining and reading in one Config is covered in test_redefine.py).

Then netcf's list / lookup / define-undefine tests on its Red Hat fsroot, and
the file-selection rules they imply.
"""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
from pathlib import Path

import pytest
from conftest import LIBVIRT_RNG, NETCF, REDHAT_DIR, netcf_cases, snapshot_tree
from lxml import etree
from netcf_equal import parse_xml, xml_diff

import augnetcf
from augnetcf import resources, schema
from augnetcf.errors import AugnetcfError, ErrorCode, FileError, NotFound

CASES = netcf_cases("redhat")
FSROOT_TOP_LEVEL = {"br0", "br1", "br2", "bond0", "lo", "eth3", "eth4"}


# -- helpers -----------------------------------------------------------------------------------

def _bash_env(script: str, *args: str) -> dict[str, str]:
    r = subprocess.run(["env", "-i", "bash", "-c", script, "bash", *args],
                       capture_output=True, check=True, timeout=30)
    out = r.stdout.decode("utf-8", "surrogateescape")
    return dict(item.split("=", 1) for item in out.split("\0") if "=" in item)


@functools.cache
def _baseline() -> frozenset[str]:
    return frozenset(_bash_env("set -a; env -0")) | {"_", "SHLVL", "PWD"}


def sourced(path: Path) -> dict[str, str]:
    """The variables an ifcfg file sets when bash sources it, as initscripts does."""
    got = _bash_env('set -a; . "$1"; env -0', str(path))
    return {k: v for k, v in got.items() if k not in _baseline()}


def golden_files(case: str) -> dict[str, dict[str, str]]:
    """File name -> {label: value} of netcf's redhat/schema/X.xml."""
    forest = parse_xml(NETCF / "redhat" / "schema" / f"{case}.xml")
    return {tree.get("path").rsplit("/", 1)[1]: {n.get("label"): n.get("value") for n in tree.iter("node")}
            for tree in forest.iter("tree")}


def interface_xml(case: str) -> Path:
    return NETCF / "interface" / f"{case}.xml"


def define(root: Path, xml_path: Path) -> str:
    """Define *xml_path* under *root* in a Config of its own; the interface's name."""
    with augnetcf.Config(str(root)) as cfg:
        return cfg.define(xml_path.read_bytes(), str(xml_path)).name


def xml_desc(root: Path, name: str) -> etree._Element:
    with augnetcf.Config(str(root)) as cfg:
        return parse_xml(cfg.xml_desc(name))


@functools.cache
def relaxng(path: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(path))


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


# -- transform cases on an empty root ----------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_define_writes_netcf_files(empty_redhat_root, case):
    define(empty_redhat_root, interface_xml(case))
    want = golden_files(case)
    assert set(snapshot_tree(empty_redhat_root)) == {f"{REDHAT_DIR}/{n}" for n in want}
    confdir = empty_redhat_root / REDHAT_DIR
    got = {n: sourced(confdir / n) for n in want}
    assert got == want


@pytest.mark.parametrize("case", CASES)
def test_xml_desc_gives_back_netcf_interface(empty_redhat_root, case):
    name = define(empty_redhat_root, interface_xml(case))
    want = parse_xml(interface_xml(case))
    got = xml_desc(empty_redhat_root, name)
    assert xml_diff(want, got) is None, etree.tostring(got, pretty_print=True).decode()


@pytest.mark.parametrize("grammar", [
    pytest.param(str(LIBVIRT_RNG), id="libvirt"),
    pytest.param(str(resources.xslt_path("interface.rng")), id="augnetcf"),
])
@pytest.mark.parametrize("case", CASES)
def test_xml_desc_is_valid(empty_redhat_root, case, grammar):
    name = define(empty_redhat_root, interface_xml(case))
    got = xml_desc(empty_redhat_root, name)
    rng = relaxng(grammar)
    assert rng.validate(got.getroottree()), rng.error_log.last_error


# -- netcf's fsroot: list and lookup -----------------------------------------------------------

def test_list_is_netcf_top_level_set(redhat_fsroot):
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        names = cfg.list_interfaces()
        assert set(names) == FSROOT_TOP_LEVEL
        assert len(names) == len(FSROOT_TOP_LEVEL)
        assert [i.name for i in cfg.interfaces()] == names


def test_lookup_br0(redhat_fsroot):
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        iface = cfg.lookup_by_name("br0")
        assert iface.name == "br0"
        doc = parse_xml(iface.xml_desc())
    assert (doc.tag, doc.get("type"), doc.get("name")) == ("interface", "bridge", "br0")
    assert [p.get("name") for p in doc.findall("bridge/interface")] == ["eth0"]


@pytest.mark.parametrize("name", ["eth0", "eth1", "eth2"])
def test_ports_and_slaves_are_found_by_name_but_not_listed(redhat_fsroot, name):
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        assert cfg.lookup_by_name(name).name == name
        assert name not in cfg.list_interfaces()


def test_unknown_name_is_not_found(redhat_fsroot):
    with augnetcf.Config(str(redhat_fsroot)) as cfg, pytest.raises(NotFound) as exc:
        cfg.lookup_by_name("eth9")
    assert exc.value.code is ErrorCode.NOT_FOUND


def test_eth4_is_found_through_hwaddr_not_the_decoy(redhat_fsroot):
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        iface = cfg.lookup_by_name("eth4")
        assert iface.mac == "00:00:00:00:00:01"
        doc = parse_xml(iface.xml_desc())
    assert [m.attrib for m in doc.findall("mac")] == [{"address": "00:00:00:00:00:01"}]
    assert doc.find("start").get("mode") == "onboot"  # the decoy says ONBOOT=no


def test_eth3_is_found_by_device_in_a_file_named_otherwise(redhat_fsroot):
    assert not (redhat_fsroot / REDHAT_DIR / "ifcfg-eth3").exists()
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        doc = parse_xml(cfg.lookup_by_name("eth3").xml_desc())
    assert (doc.get("type"), doc.get("name")) == ("ethernet", "eth3")
    assert doc.find("protocol[@family='ipv4']/dhcp") is not None


@pytest.mark.parametrize(("mac", "names"), [
    pytest.param("00:00:00:00:00:00", [], id="unknown"),
    pytest.param("aa:bb:cc:dd:ee:ff", ["br0"], id="lower-case"),
    pytest.param("AA:bb:cc:DD:Ee:ff", ["br0"], id="mixed-case"),
    pytest.param("00:00:00:00:00:01", ["eth4"], id="hwaddr-matched-against-sysfs"),
])
def test_lookup_by_mac(redhat_fsroot, mac, names):
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        found = cfg.lookup_by_mac(mac)
    assert [i.name for i in found] == names
    assert all(i.mac == mac.lower() for i in found)


def test_lookup_by_mac_refuses_what_is_not_a_mac(redhat_fsroot):
    with augnetcf.Config(str(redhat_fsroot)) as cfg, pytest.raises(NotFound, match="not a MAC"):
        cfg.lookup_by_mac("not-a-mac")


def test_lookup_by_mac_refuses_a_bare_number(redhat_fsroot):
    """Regression: normalize_mac() took '1' for 00:00:00:00:00:01 and found eth4."""
    with augnetcf.Config(str(redhat_fsroot)) as cfg, pytest.raises(NotFound, match="not a MAC"):
        cfg.lookup_by_mac("1")


# -- netcf's fsroot: changes -------------------------------------------------------------------

def test_define_then_undefine_bridge42_leaves_the_root_as_it_was(redhat_fsroot):
    before = snapshot_tree(redhat_fsroot)
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        iface = cfg.define(interface_xml("bridge42").read_bytes())
        assert iface.name == "br42"
        cfg.undefine("br42")
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        with pytest.raises(NotFound):
            cfg.lookup_by_name("br42")
        with pytest.raises(NotFound):
            cfg.xml_desc("br42")
        assert set(cfg.list_interfaces()) == FSROOT_TOP_LEVEL
    assert snapshot_tree(redhat_fsroot) == before


def test_bridge42_is_listed_between_define_and_undefine(redhat_fsroot):
    define(redhat_fsroot, interface_xml("bridge42"))
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        assert set(cfg.list_interfaces()) == FSROOT_TOP_LEVEL | {"br42"}
        cfg.lookup_by_name("br42").undefine()
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        assert set(cfg.list_interfaces()) == FSROOT_TOP_LEVEL


def test_undefine_bond0_removes_exactly_its_files(redhat_fsroot):
    before = snapshot_tree(redhat_fsroot)
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        cfg.undefine("bond0")
    after = snapshot_tree(redhat_fsroot)
    removed = {f"{REDHAT_DIR}/ifcfg-{n}" for n in ("bond0", "eth1", "eth2")}
    assert set(before) - set(after) == removed
    assert changed(before, after) == removed
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        assert set(cfg.list_interfaces()) == FSROOT_TOP_LEVEL - {"bond0"}
        for name in ("bond0", "eth1", "eth2"):
            with pytest.raises(NotFound):
                cfg.lookup_by_name(name)


@pytest.mark.parametrize(("name", "file"), [
    pytest.param("eth3", "ifcfg-by-device", id="eth3-by-device"),
    pytest.param("eth4", "ifcfg-by-hwaddr", id="eth4-by-hwaddr"),
])
def test_redefine_edits_the_file_that_describes_the_interface(redhat_fsroot, name, file):
    before = snapshot_tree(redhat_fsroot)
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        xml = cfg.xml_desc(name)
    doc = parse_xml(xml)
    assert doc.find("mtu") is None
    (doc.find("mac") if doc.find("mac") is not None else doc.find("start")).addnext(
        etree.Element("mtu", size="1400"))
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        cfg.define(etree.tostring(doc, encoding="unicode"))
    after = snapshot_tree(redhat_fsroot)
    assert changed(before, after) == {f"{REDHAT_DIR}/{file}"}
    assert sourced(redhat_fsroot / REDHAT_DIR / file)["MTU"] == "1400"
    assert not (redhat_fsroot / REDHAT_DIR / f"ifcfg-{name}").exists()


# -- roots that are not roots ------------------------------------------------------------------

@pytest.mark.parametrize("root", [
    pytest.param("/dev/null", id="dev-null"),
    pytest.param("missing", id="missing-dir"),
    pytest.param("a-file", id="regular-file"),
])
def test_a_bad_root_is_a_file_error(tmp_path, root):
    if root == "a-file":
        (tmp_path / root).write_text("DEVICE=eth0\n")
    path = root if root.startswith("/") else str(tmp_path / root)
    with pytest.raises(FileError) as exc:
        augnetcf.Config(path)
    assert exc.value.code is ErrorCode.FILE
    assert exc.value.file == path


# -- odd but possible files --------------------------------------------------------------------

def _add_ifcfg(root: Path, name: str, text: str) -> None:
    (root / REDHAT_DIR / f"ifcfg-{name}").write_text(text, encoding="utf-8")


def test_an_eui64_hwaddr_does_not_break_listing(redhat_fsroot):
    """Regression: an 8-octet HWADDR made netaddr raise IndexError in every query of the root."""
    _add_ifcfg(redhat_fsroot, "ib0", "DEVICE=ib0\nHWADDR=00:11:22:33:44:55:66:77\nONBOOT=yes\n")
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        assert set(cfg.list_interfaces()) == FSROOT_TOP_LEVEL | {"ib0"}
        assert cfg.lookup_by_name("ib0").mac is None
        assert parse_xml(cfg.xml_desc("ib0")).find("mac") is None


def test_a_strange_bond_mode_is_not_a_crash(redhat_fsroot):
    """Regression: 'mode=\u00b2' raised a bare ValueError out of the stylesheet."""
    _add_ifcfg(redhat_fsroot, "bond7", 'DEVICE=bond7\nBONDING_OPTS="mode=\u00b2"\n')
    # a clean, reported error is acceptable; a bare ValueError is not
    with augnetcf.Config(str(redhat_fsroot)) as cfg, contextlib.suppress(AugnetcfError):
        cfg.xml_desc("bond7")


def test_stale_backup_files_are_ignored(redhat_fsroot):
    for suffix in (".bak", ".rpmsave", "~", ".augnew"):
        _add_ifcfg(redhat_fsroot, f"br9{suffix}", "DEVICE=br9\nTYPE=Bridge\nONBOOT=yes\n")
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        assert set(cfg.list_interfaces()) == FSROOT_TOP_LEVEL
    assert os.path.exists(redhat_fsroot / REDHAT_DIR / "ifcfg-br9.bak")


SLAVE = "DEVICE=eth8\nMASTER=bond7\nSLAVE=yes\n"

#: id -> (interface name, {ifcfg file suffix: content}, mark)
ODD_FILES = {
    "non-contiguous-netmask": ("eth7", {"eth7": "DEVICE=eth7\nIPADDR=10.1.2.3\nNETMASK=255.0.255.0\n"}, ()),
    "eui64-hwaddr": ("eth7", {"eth7": "DEVICE=eth7\nHWADDR=00:11:22:33:44:55:66:77\n"}, ()),
    "unknown-bond-option": ("bond7", {"bond7": "DEVICE=bond7\nBONDING_OPTS='mode=1 lacp_rate=fast'\n",
                                      "eth8": SLAVE}, ()),
    "bond-without-slaves": ("bond7", {"bond7": "DEVICE=bond7\nBONDING_OPTS='mode=1'\n"}, ()),
    "prefix-33": ("eth7", {"eth7": "DEVICE=eth7\nIPADDR=10.1.2.3\nPREFIX=33\n"}, ()),
    "ipv6-prefix-200": ("eth7", {"eth7": "DEVICE=eth7\nIPV6INIT=yes\nIPV6ADDR=fe80::1/200\n"}, ()),
    "ipaddr-not-an-address": ("eth7", {"eth7": "DEVICE=eth7\nIPADDR=not-an-ip\n"}, ()),
    "gateway-not-an-address": ("eth7", {"eth7": "DEVICE=eth7\nIPADDR=10.0.0.2\nGATEWAY=x\n"}, ()),
    "mtu-not-a-number": ("eth7", {"eth7": "DEVICE=eth7\nMTU=jumbo\n"}, ()),
    "mtu-below-68": ("eth7", {"eth7": "DEVICE=eth7\nMTU=10\n"}, ()),
    "bridge-delay-not-a-number": ("br7", {"br7": "DEVICE=br7\nTYPE=Bridge\nDELAY=soon\n"}, ()),
    "vlan-tag-5000": ("eth0.5000", {"eth0.5000": "DEVICE=eth0.5000\nVLAN=yes\n"}, ()),
    "vlan-without-device-or-tag": ("vl7", {"vl7": "DEVICE=vl7\nVLAN=yes\n"}, ()),
    "bond-mode-9": ("bond7", {"bond7": "DEVICE=bond7\nBONDING_OPTS='mode=9'\n", "eth8": SLAVE}, ()),
    "bond-miimon-not-a-number": ("bond7", {"bond7": "DEVICE=bond7\nBONDING_OPTS='miimon=often'\n",
                                           "eth8": SLAVE}, ()),
    "peerdns-true": ("eth7", {"eth7": "DEVICE=eth7\nBOOTPROTO=dhcp\nPEERDNS=true\n"}, ()),
}


@pytest.mark.parametrize(("name", "files"), [
    pytest.param(name, files, id=k, marks=mark) for k, (name, files, mark) in ODD_FILES.items()
])
def test_xml_desc_of_an_odd_file_is_valid_or_a_clean_error(redhat_fsroot, name, files):
    """What augnetcf prints, augnetcf accepts: xml_desc either refuses cleanly or prints a valid
    description. (PEERDNS=true is even a valid initscripts boolean that should become peerdns="yes".)"""
    for suffix, text in files.items():
        _add_ifcfg(redhat_fsroot, suffix, text)
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        try:
            xml = cfg.xml_desc(name)
        except AugnetcfError:
            return
    doc = schema.load(xml, f"xml_desc({name})")
    assert relaxng(str(LIBVIRT_RNG)).validate(doc), relaxng(str(LIBVIRT_RNG)).error_log.last_error


def test_an_inexpressible_file_is_a_file_error_naming_it(redhat_fsroot):
    _add_ifcfg(redhat_fsroot, "eth7", "DEVICE=eth7\nIPADDR=10.1.2.3\nPREFIX=33\n")
    with augnetcf.Config(str(redhat_fsroot)) as cfg, pytest.raises(augnetcf.FileError) as ei:
        cfg.xml_desc("eth7")
    assert str(ei.value).startswith(f"{redhat_fsroot / REDHAT_DIR / 'ifcfg-eth7'}: cannot be described")
    assert "prefix" in str(ei.value)


def test_peerdns_true_is_read_as_yes(redhat_fsroot):
    _add_ifcfg(redhat_fsroot, "eth7", "DEVICE=eth7\nBOOTPROTO=dhcp\nPEERDNS=true\n")
    with augnetcf.Config(str(redhat_fsroot)) as cfg:
        assert '<dhcp peerdns="yes"/>' in cfg.xml_desc("eth7")
