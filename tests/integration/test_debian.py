"""The Debian backend through the API, on real libaugeas and temporary roots.

Transform cases (netcf's ``debian/schema`` list): define ``interface/X.xml`` on
an empty Debian root (``etc/network/interfaces`` an empty file), then
  (a) Debian's own ``ifquery`` accepts the file, lists exactly the ``auto``
      interfaces we meant and prints the options we meant (with ifupdown's
      own defaults, which :data:`IFQUERY` spells out);
  (b) ``xml_desc`` gives back ``interface/X.xml`` under netcf's equality, and
      that XML is valid for libvirt's schema and for ours;
  (c) ``undefine`` leaves the file as it was before the define.
Then netcf's list / lookup / define-undefine expectations on its Debian
fsroot; files pulled in with ``source`` and ``source-directory``; files that
lead outside the root; and the basics of lossless editing.

Every read uses a fresh :class:`Config`, as a separate command would.
Without ``ifquery`` the tests that need it fail: they would judge nothing.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import textwrap
from pathlib import Path

import judges
import pytest
from conftest import LIBVIRT_RNG, NETCF, netcf_cases, snapshot_tree
from lxml import etree
from netcf_equal import parse_xml, xml_diff

import augnetcf
from augnetcf import resources
from augnetcf.errors import FileError, NotFound

CASES = netcf_cases("debian")
IFACES = "etc/network/interfaces"
FSROOT_TOP_LEVEL = {"br0", "bond0", "lo", "eth3", "eth4"}

#: What ``ifquery`` says after defining each case on an empty root: the interfaces
#: ``--list --allow=auto`` names, and ``ifquery NAME`` for every stanza's NAME.
#: Besides what augnetcf wrote, ifupdown adds its method's defaults: ``broadcast``
#: (and ``netmask`` when none is given) for inet static; ``autoconf: 0``,
#: ``preferred-lifetime``, ``dad-*`` (and ``accept_ra: 0`` with a gateway) for
#: inet6 static; ``accept_ra``, ``request_prefix``, ``ll-*`` for inet6 dhcp. It
#: prints ``hwaddress`` without its ``ether`` class, and nothing for an
#: ``inet6 manual`` stanza without options.
IFQUERY: dict[str, tuple[list[str], dict[str, dict[str, list[str]]]]] = {
    "bond": ([], {"bond0": {
        "address": ["192.168.50.7"], "netmask": ["255.255.255.0"], "gateway": ["192.168.50.1"],
        "bond_slaves": ["eth1 eth0"], "bond_primary": ["eth1"], "bond_mode": ["active-backup"],
        "bond_miimon": ["100"], "bond_updelay": ["10"], "bond_use_carrier": ["0"],
        "broadcast": ["192.168.50.255"]}}),
    "bond-arp": ([], {"bond0": {
        "address": ["192.168.50.7"], "netmask": ["255.255.255.0"], "gateway": ["192.168.50.1"],
        "bond_slaves": ["eth1 eth0"], "bond_primary": ["eth1"], "bond_mode": ["active-backup"],
        "bond_arp_interval": ["100"], "bond_arp_ip_target": ["192.168.50.1"],
        "bond_arp_validate": ["active"], "broadcast": ["192.168.50.255"]}}),
    "bond-defaults": ([], {"bond0": {
        "address": ["192.168.50.7"], "netmask": ["255.255.255.0"], "gateway": ["192.168.50.1"],
        "bond_slaves": ["eth1 eth0"], "bond_primary": ["eth1"], "broadcast": ["192.168.50.255"]}}),
    "bridge": (["br0"], {"br0": {
        "mtu": ["1500"], "bridge_ports": ["eth0 eth1"], "bridge_stp": ["off"], "bridge_fd": ["0.01"]}}),
    "bridge-bond": (["br0"], {
        "br0": {"mtu": ["1500"], "bridge_ports": ["eth2 bond0"], "bridge_stp": ["off"],
                "pre-up": ["ifup bond0"], "post-down": ["ifdown bond0"]},
        "bond0": {"bond_slaves": ["eth1 eth0"], "bond_primary": ["eth1"], "bond_mode": ["active-backup"],
                  "bond_miimon": ["100"], "bond_updelay": ["10"], "bond_use_carrier": ["0"]}}),
    "bridge-empty": (["br0"], {"br0": {"mtu": ["1500"], "bridge_ports": ["none"], "bridge_stp": ["off"]}}),
    "bridge-no-address": (["br0"], {"br0": {
        "mtu": ["1500"], "bridge_ports": ["eth0 eth1"], "bridge_stp": ["off"]}}),
    "bridge-vlan": (["br0"], {
        "br0": {"bridge_ports": ["eth0.42"], "bridge_stp": ["off"],
                "pre-up": ["ifup eth0.42"], "post-down": ["ifdown eth0.42"]},
        "eth0.42": {"vlan-raw-device": ["eth0"]}}),
    "ethernet-dhcp": ([], {"eth0": {"hwaddress": ["aa:bb:cc:dd:ee:ff"], "mtu": ["1492"]}}),
    "ethernet-static": (["eth1"], {"eth1": {
        "address": ["192.168.0.5"], "netmask": ["255.255.255.0"], "gateway": ["192.168.0.1"],
        "broadcast": ["192.168.0.255"]}}),
    "ethernet-static-no-prefix": (["eth1"], {"eth1": {
        "address": ["192.168.0.5"], "gateway": ["192.168.0.1"], "broadcast": ["192.168.0.255"],
        "netmask": ["255.255.255.0"]}}),
    "ipv6-autoconf": (["eth0"], {"eth0": {}}),
    "ipv6-autoconf-dhcp": (["eth0"], {"eth0": {
        "accept_ra": ["1"], "request_prefix": ["0"], "ll-attempts": ["60"], "ll-interval": ["0.1"]}}),
    "ipv6-dhcp": (["eth0"], {"eth0": {
        "pre-up": ["echo 0 > /proc/sys/net/ipv6/conf/eth0/autoconf"],
        "post-down": ["echo 1 > /proc/sys/net/ipv6/conf/eth0/autoconf"],
        "accept_ra": ["1"], "request_prefix": ["0"], "ll-attempts": ["60"], "ll-interval": ["0.1"]}}),
    "ipv6-local": (["eth0"], {"eth0": {
        "pre-up": ["echo 0 > /proc/sys/net/ipv6/conf/eth0/autoconf"],
        "post-down": ["echo 1 > /proc/sys/net/ipv6/conf/eth0/autoconf"]}}),
    "ipv6-static": (["eth0"], {"eth0": {
        "address": ["3ffe:ffff:0:5::1"], "netmask": ["128"], "gateway": ["3ffe:ffff:1234:5678::1"],
        "pre-up": ["echo 0 > /proc/sys/net/ipv6/conf/eth0/autoconf"],
        "post-down": ["echo 1 > /proc/sys/net/ipv6/conf/eth0/autoconf"],
        "autoconf": ["0"], "preferred-lifetime": [""], "dad-attempts": ["60"], "dad-interval": ["0.1"],
        "accept_ra": ["0"]}}),
    "ipv6-static-multi": (["eth0"], {"eth0": {
        "address": ["3ffe:ffff:0:5::1"], "netmask": ["128"],
        "pre-up": ["echo 0 > /proc/sys/net/ipv6/conf/eth0/autoconf"],
        "post-down": ["echo 1 > /proc/sys/net/ipv6/conf/eth0/autoconf"],
        "up": ["ip -6 addr add 3ffe:ffff:0:5::3/128 dev eth0",
               "ip -6 addr add 3ffe:ffff:0:5::5/128 dev eth0"],
        "down": ["ip -6 addr del 3ffe:ffff:0:5::3/128 dev eth0",
                 "ip -6 addr del 3ffe:ffff:0:5::5/128 dev eth0"],
        "autoconf": ["0"], "preferred-lifetime": [""], "dad-attempts": ["60"], "dad-interval": ["0.1"]}}),
    "vlan": (["eth0.42"], {"eth0.42": {"vlan-raw-device": ["eth0"]}}),
}


# -- helpers -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ifquery() -> str:
    path = judges.ifquery()
    if path is None:
        pytest.fail(f"Debian's ifquery is needed to judge interfaces files: {judges.ifquery_problem()}",
                    pytrace=False)
    return path


@pytest.fixture
def empty_debian_root(tmp_path: Path) -> Path:
    """A Debian root whose etc/network/interfaces is an empty file."""
    root = tmp_path / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / IFACES).write_bytes(b"")
    return root


@pytest.fixture
def debian_fsroot(tmp_path: Path) -> Path:
    """A copy of netcf's Debian test root."""
    root = tmp_path / "root"
    shutil.copytree(NETCF / "debian" / "fsroot", root)
    return root


def interface_xml(case: str) -> Path:
    return NETCF / "interface" / f"{case}.xml"


def config(root: Path) -> augnetcf.Config:
    return augnetcf.Config(str(root), "debian")


def define(root: Path, xml: Path | str) -> str:
    """Define *xml* (a file, or a document) under *root* in a Config of its own; the name."""
    data = xml.read_bytes() if isinstance(xml, Path) else xml
    with config(root) as cfg:
        return cfg.define(data, str(xml) if isinstance(xml, Path) else "<string>").name


def xml_desc(root: Path, name: str) -> etree._Element:
    with config(root) as cfg:
        return parse_xml(cfg.xml_desc(name))


def undefine(root: Path, name: str) -> None:
    with config(root) as cfg:
        cfg.undefine(name)


def listed(root: Path) -> list[str]:
    with config(root) as cfg:
        return cfg.list_interfaces()


@functools.cache
def relaxng(path: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(path))


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


# -- transform cases on an empty root ----------------------------------------------------------

def test_every_debian_case_has_an_ifquery_expectation():
    assert set(IFQUERY) == set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_ifquery_reads_what_we_meant(empty_debian_root, ifquery, case):
    define(empty_debian_root, interface_xml(case))
    path = empty_debian_root / IFACES
    auto, options = IFQUERY[case]
    assert judges.ifquery_list(path) == auto
    assert judges.ifquery_list(path, "hotplug") == []
    stanzas = {line.split()[1] for line in path.read_text().splitlines() if line.startswith("iface ")}
    assert stanzas == set(options)
    for name, want in options.items():
        assert judges.ifquery_options(path, name) == want, name


@pytest.mark.parametrize("case", CASES)
def test_define_writes_only_the_interfaces_file(empty_debian_root, case):
    define(empty_debian_root, interface_xml(case))
    assert set(snapshot_tree(empty_debian_root)) == {IFACES}


@pytest.mark.parametrize("case", CASES)
def test_xml_desc_gives_back_netcf_interface(empty_debian_root, case):
    name = define(empty_debian_root, interface_xml(case))
    want = parse_xml(interface_xml(case))
    got = xml_desc(empty_debian_root, name)
    assert xml_diff(want, got) is None, etree.tostring(got, pretty_print=True).decode()


@pytest.mark.parametrize("grammar", [
    pytest.param(str(LIBVIRT_RNG), id="libvirt"),
    pytest.param(str(resources.xslt_path("interface.rng")), id="augnetcf"),
])
@pytest.mark.parametrize("case", CASES)
def test_xml_desc_is_valid(empty_debian_root, case, grammar):
    name = define(empty_debian_root, interface_xml(case))
    got = xml_desc(empty_debian_root, name)
    rng = relaxng(grammar)
    assert rng.validate(got.getroottree()), rng.error_log.last_error


#: Cases whose undefine removes more than one stanza (a bridge and its bond or vlan port).
TWO_STANZAS = {"bridge-bond", "bridge-vlan"}


@pytest.mark.parametrize("case", CASES)
def test_undefine_leaves_an_empty_file_empty(empty_debian_root, case):
    name = define(empty_debian_root, interface_xml(case))
    undefine(empty_debian_root, name)
    assert (empty_debian_root / IFACES).read_bytes() == b""


@pytest.mark.parametrize("case", CASES)
def test_undefine_leaves_the_file_as_it_was(empty_debian_root, case):
    """The same on a file that has a stanza already: byte for byte, and nothing listed."""
    path = write(empty_debian_root / IFACES, """\
        # The loopback network interface
        auto lo
        iface lo inet loopback
    """)
    before = path.read_bytes()
    name = define(empty_debian_root, interface_xml(case))
    assert path.read_bytes() != before
    undefine(empty_debian_root, name)
    assert path.read_bytes() == before
    assert listed(empty_debian_root) == ["lo"]


def test_define_into_an_empty_file_writes_only_the_stanzas(empty_debian_root):
    define(empty_debian_root, interface_xml("ethernet-static"))
    text = (empty_debian_root / IFACES).read_text()
    assert text.strip("\n").splitlines() == [
        "auto eth1", "iface eth1 inet static", "   address 192.168.0.5", "   netmask 255.255.255.0",
        "   gateway 192.168.0.1"]


# -- netcf's fsroot ----------------------------------------------------------------------------

def test_fsroot_is_detected_as_debian(debian_fsroot):
    with augnetcf.Config(str(debian_fsroot)) as cfg:
        assert cfg.backend.name == "debian"


def test_list_is_netcf_top_level_set(debian_fsroot):
    with config(debian_fsroot) as cfg:
        names = cfg.list_interfaces()
        assert set(names) == FSROOT_TOP_LEVEL
        assert len(names) == len(FSROOT_TOP_LEVEL)
        assert [i.name for i in cfg.interfaces()] == names


@pytest.mark.parametrize("name", ["eth0", "eth1", "eth2"])
def test_ports_and_slaves_are_not_listed(debian_fsroot, name):
    assert name not in listed(debian_fsroot)


def test_lookup_br0(debian_fsroot):
    with config(debian_fsroot) as cfg:
        doc = parse_xml(cfg.lookup_by_name("br0").xml_desc())
    assert (doc.get("type"), doc.get("name")) == ("bridge", "br0")
    assert [p.get("name") for p in doc.findall("bridge/interface")] == ["eth0"]
    assert doc.find("protocol[@family='ipv4']/dhcp") is not None


def test_bond0_reads_its_stanza(debian_fsroot):
    doc = xml_desc(debian_fsroot, "bond0")
    assert doc.find("protocol[@family='ipv4']/ip").attrib == {"address": "10.0.1.27", "prefix": "24"}
    assert doc.find("bond").get("mode") == "active-backup"
    assert [s.get("name") for s in doc.findall("bond/interface")] == ["eth2", "eth1"]  # primary first


@pytest.mark.parametrize(("mac", "names"), [
    pytest.param("00:00:00:00:00:00", [], id="unknown"),
    pytest.param("aa:bb:cc:dd:ee:ff", ["br0"], id="lower-case"),
    pytest.param("AA:bb:cc:DD:Ee:ff", ["br0"], id="mixed-case"),
])
def test_lookup_by_mac(debian_fsroot, mac, names):
    with config(debian_fsroot) as cfg:
        found = cfg.lookup_by_mac(mac)
    assert [i.name for i in found] == names
    assert all(i.mac == mac.lower() for i in found)


def test_define_then_undefine_bridge42_leaves_the_root_as_it_was(debian_fsroot):
    before = snapshot_tree(debian_fsroot)
    with config(debian_fsroot) as cfg:
        assert cfg.define(interface_xml("bridge42").read_bytes()).name == "br42"
    with config(debian_fsroot) as cfg:
        assert set(cfg.list_interfaces()) == FSROOT_TOP_LEVEL | {"br42"}
        cfg.undefine("br42")
    with config(debian_fsroot) as cfg:
        with pytest.raises(NotFound):
            cfg.lookup_by_name("br42")
        assert set(cfg.list_interfaces()) == FSROOT_TOP_LEVEL
    assert snapshot_tree(debian_fsroot) == before


def test_bridge42_on_fsroot_is_accepted_by_ifquery(debian_fsroot, ifquery):
    define(debian_fsroot, interface_xml("bridge42"))
    path = debian_fsroot / IFACES
    assert "br42" in judges.ifquery_list(path)
    assert judges.ifquery_options(path, "br42") == {
        "mtu": ["1500"], "bridge_ports": ["eth42"], "bridge_stp": ["off"]}


# -- files pulled in with source / source-directory --------------------------------------------

MAIN = """\
    # The loopback network interface
    auto lo
    iface lo inet loopback

    {include}
"""

INCLUDED = """\
    # eth5: plugged in now and then
    allow-hotplug eth5
    iface eth5 inet dhcp
        mtu 1400
    auto eth6
    iface eth6 inet manual
"""

#: id -> (the line in the main file, whether ifquery may read it: an absolute path would
#: make it read the host's /etc/network/interfaces.d instead of the root's).
INCLUDE_STYLES = {
    "source-absolute-glob": ("source /etc/network/interfaces.d/*", False),
    "source-relative-glob": ("source interfaces.d/*", True),
    "source-directory": ("source-directory interfaces.d", True),
    "source-directory-absolute": ("source-directory /etc/network/interfaces.d", False),
}


@pytest.fixture(params=list(INCLUDE_STYLES), ids=list(INCLUDE_STYLES))
def include_style(request) -> str:
    return request.param


@pytest.fixture
def include_root(include_style, empty_debian_root) -> Path:
    write(empty_debian_root / IFACES, MAIN.format(include=INCLUDE_STYLES[include_style][0]))
    write(empty_debian_root / "etc/network/interfaces.d/eth5", INCLUDED)
    return empty_debian_root


#: The styles ifquery can judge: relative includes, which it resolves beside the file.
RELATIVE_STYLES = [k for k, (_, relative) in INCLUDE_STYLES.items() if relative]


def _eth5(mode: str = "hotplug", mtu: str = "1400") -> str:
    return (f'<interface type="ethernet" name="eth5"><start mode="{mode}"/><mtu size="{mtu}"/>'
            '<protocol family="ipv4"><dhcp/></protocol></interface>')


def test_included_interface_is_listed_and_dumped(include_root):
    assert listed(include_root) == ["eth5", "eth6", "lo"]
    assert xml_diff(parse_xml(_eth5()), xml_desc(include_root, "eth5")) is None


@pytest.mark.parametrize("include_style", RELATIVE_STYLES)
def test_ifquery_reads_the_included_file_as_we_do(include_root, ifquery):
    path = include_root / IFACES
    assert judges.ifquery_list(path, "hotplug") == ["eth5"]
    assert judges.ifquery_list(path) == ["lo", "eth6"]
    assert judges.ifquery_options(path, "eth5") == {"mtu": ["1400"]}


def test_redefine_edits_the_included_file(include_root):
    before = snapshot_tree(include_root)
    define(include_root, _eth5(mtu="1300"))
    assert changed(before, snapshot_tree(include_root)) == {"etc/network/interfaces.d/eth5"}
    assert (include_root / "etc/network/interfaces.d/eth5").read_text() == \
        textwrap.dedent(INCLUDED).replace("mtu 1400", "mtu 1300")
    assert xml_diff(parse_xml(_eth5(mtu="1300")), xml_desc(include_root, "eth5")) is None


def test_start_mode_change_replaces_allow_hotplug_by_auto_in_place(include_root):
    before = snapshot_tree(include_root)
    define(include_root, _eth5(mode="onboot"))
    assert changed(before, snapshot_tree(include_root)) == {"etc/network/interfaces.d/eth5"}
    assert (include_root / "etc/network/interfaces.d/eth5").read_text() == \
        textwrap.dedent(INCLUDED).replace("allow-hotplug eth5", "auto eth5")
    assert xml_desc(include_root, "eth5").find("start").get("mode") == "onboot"


def test_a_new_interface_goes_into_the_main_file(include_root):
    main = include_root / IFACES
    before, main_before = snapshot_tree(include_root), main.read_text()
    define(include_root, interface_xml("bond"))
    assert changed(before, snapshot_tree(include_root)) == {IFACES}
    assert main.read_text().startswith(main_before)
    assert "iface bond0 inet static" in main.read_text()[len(main_before):]
    assert listed(include_root) == ["bond0", "eth5", "eth6", "lo"]


def test_undefine_removes_the_stanza_and_its_line_from_the_included_file(include_root):
    before = snapshot_tree(include_root)
    undefine(include_root, "eth5")
    assert changed(before, snapshot_tree(include_root)) == {"etc/network/interfaces.d/eth5"}
    # the comment directly above eth5's allow-hotplug line was about eth5: it goes too
    assert (include_root / "etc/network/interfaces.d/eth5").read_text() == textwrap.dedent("""\
        auto eth6
        iface eth6 inet manual
    """)
    assert listed(include_root) == ["eth6", "lo"]


@pytest.mark.parametrize("include_style", RELATIVE_STYLES)
def test_undefine_of_an_included_interface_is_accepted_by_ifquery(include_root, ifquery):
    undefine(include_root, "eth5")
    path = include_root / IFACES
    assert judges.ifquery_list(path, "hotplug") == []
    with pytest.raises(judges.JudgeError):
        judges.ifquery_options(path, "eth5")


# -- files that lead outside the root ----------------------------------------------------------

OUTSIDE = "iface eth9 inet dhcp\n"


@pytest.mark.parametrize("how", ["symlinked-file", "symlinked-directory"])
def test_an_included_file_outside_the_root_is_refused(empty_debian_root, tmp_path, how):
    outside = tmp_path / "outside"
    write(outside / "eth9", OUTSIDE)
    write(empty_debian_root / IFACES, MAIN.format(include="source interfaces.d/*"))
    if how == "symlinked-file":
        (empty_debian_root / "etc/network/interfaces.d").mkdir()
        os.symlink(outside / "eth9", empty_debian_root / "etc/network/interfaces.d/eth9")
    else:
        os.symlink(outside, empty_debian_root / "etc/network/interfaces.d")
    before, outside_before = snapshot_tree(empty_debian_root), snapshot_tree(outside)
    with pytest.raises(FileError, match="outside the root"):
        listed(empty_debian_root)
    with pytest.raises(FileError, match="outside the root"):
        define(empty_debian_root, interface_xml("bond"))
    assert snapshot_tree(empty_debian_root) == before
    assert snapshot_tree(outside) == outside_before


def test_a_source_line_climbing_out_of_the_root_stays_inside_it(empty_debian_root, tmp_path):
    """``..`` cannot climb above the root, as in a chroot: ``/etc/network/../../../x`` is the
    root's ``/x``, never the host's file beside the root; nothing outside is read or written."""
    outside = write(tmp_path / "x", OUTSIDE)  # where ../../../x leads on the host
    write(empty_debian_root / IFACES, MAIN.format(include="source ../../../x"))
    assert listed(empty_debian_root) == ["lo"]
    define(empty_debian_root, interface_xml("bond"))
    assert outside.read_text() == OUTSIDE
    assert "bond0" in (empty_debian_root / IFACES).read_text()
    write(empty_debian_root / "x", "iface eth8 inet dhcp\n")  # the root's own /x is read
    assert listed(empty_debian_root) == ["bond0", "eth8", "lo"]


# -- lossless edits ----------------------------------------------------------------------------

ADMIN = """\
    # /etc/network/interfaces -- written by hand
    # The loopback network interface
    auto lo eth0
    iface lo inet loopback
        # lo needs nothing else

    # The primary network interface
    iface eth0 inet static
        # office LAN
        address 192.168.1.10
        netmask 255.255.255.0
        up echo hi
        gateway 192.168.1.1
"""


@pytest.fixture
def admin_root(empty_debian_root) -> Path:
    write(empty_debian_root / IFACES, ADMIN)
    return empty_debian_root


def test_comments_survive_defining_another_interface(admin_root):
    path = admin_root / IFACES
    define(admin_root, interface_xml("bridge42"))  # names none of the file's interfaces
    text = path.read_text()
    assert text.startswith(textwrap.dedent(ADMIN))
    assert text[len(textwrap.dedent(ADMIN)):].startswith("auto br42\n")


def test_redefine_changes_one_line_and_keeps_the_admins_up_line(admin_root):
    path = admin_root / IFACES
    xml = etree.tostring(xml_desc(admin_root, "eth0"), encoding="unicode")
    define(admin_root, xml.replace("192.168.1.10", "192.168.1.11"))
    assert path.read_text() == textwrap.dedent(ADMIN).replace("192.168.1.10", "192.168.1.11")
    assert "    up echo hi\n" in path.read_text()


def test_redefining_what_xml_desc_printed_changes_nothing(admin_root):
    before = snapshot_tree(admin_root)
    define(admin_root, etree.tostring(xml_desc(admin_root, "eth0"), encoding="unicode"))
    assert snapshot_tree(admin_root) == before


def test_undefine_keeps_the_other_name_of_an_auto_line(admin_root):
    undefine(admin_root, "eth0")
    lines = (admin_root / IFACES).read_text().splitlines()
    assert "auto lo" in lines
    assert not any("eth0" in line and not line.lstrip().startswith("#") for line in lines)
    assert listed(admin_root) == ["lo"]


COMMENTED = """\
    # top of the file

    auto lo
    iface lo inet loopback

    # eth5 is the uplink
    # (two lines about it)
    auto eth5
    iface eth5 inet dhcp
        # the switch port is 12
        mtu 1500
        # no jumbo frames yet

    # eth6: the backup link, ask Alice before changing it
    auto eth6
    iface eth6 inet dhcp

    # a closing note for the whole file
"""


def comments(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.lstrip().startswith("#")]


@pytest.mark.parametrize(("name", "gone"), [
    ("eth5", ["# eth5 is the uplink", "# (two lines about it)", "# the switch port is 12",
              "# no jumbo frames yet"]),
    ("eth6", ["# eth6: the backup link, ask Alice before changing it"]),
    ("lo", []),
])
def test_undefine_takes_the_comments_of_its_stanza_and_only_those(empty_debian_root, name, gone):
    """Comments belong to what they touch: the block directly above a stanza
    (or its auto line) and the lines inside it or right after its last line go
    with it; a block set apart by a blank line, or directly above the next
    stanza, stays."""
    path = write(empty_debian_root / IFACES, COMMENTED)
    before = comments(path)
    undefine(empty_debian_root, name)
    assert comments(path) == [c for c in before if c not in gone]
    assert listed(empty_debian_root) == sorted({"lo", "eth5", "eth6"} - {name})


def test_undefine_keeps_the_comment_that_introduces_the_next_stanza(empty_debian_root):
    path = write(empty_debian_root / IFACES, """\
        auto eth5
        iface eth5 inet dhcp

        # eth6: the backup link, ask Alice before changing it
        auto eth6
        iface eth6 inet dhcp
    """)
    undefine(empty_debian_root, "eth5")
    assert path.read_text() == ("# eth6: the backup link, ask Alice before changing it\n"
                                "auto eth6\niface eth6 inet dhcp\n")


@pytest.mark.parametrize("text", ["auto lo\niface lo inet loopback\n", "auto lo\niface lo inet loopback\n\n",
                                  "auto lo\niface lo inet loopback\n   \n\n", ""])
def test_define_then_undefine_of_a_new_last_stanza_gives_the_file_back(empty_debian_root, text):
    """A new stanza goes after the file's own trailing blank lines, so these
    must stay when it goes. (The same text arises when an admin set a last
    stanza apart with a blank line: undefining that stanza leaves the blank
    line at the end of the file, as the README says.)"""
    path = empty_debian_root / IFACES
    path.write_text(text)
    define(empty_debian_root, '<interface type="ethernet" name="eth9"><start mode="onboot"/>'
                              '<protocol family="ipv4"><dhcp/></protocol></interface>')
    assert path.read_text().startswith(text) and "iface eth9 inet dhcp" in path.read_text()
    undefine(empty_debian_root, "eth9")
    assert path.read_text() == text


def test_undefine_of_a_middle_stanza_keeps_the_blank_lines_around_it(empty_debian_root):
    path = write(empty_debian_root / IFACES, "auto eth5\niface eth5 inet dhcp\n\nauto eth6\n"
                                              "iface eth6 inet dhcp\n\nauto eth7\niface eth7 inet dhcp\n")
    undefine(empty_debian_root, "eth6")
    assert path.read_text() == "auto eth5\niface eth5 inet dhcp\n\nauto eth7\niface eth7 inet dhcp\n"


def test_a_comment_between_two_removed_stanzas_goes(empty_debian_root):
    """A bridge and its port stanza: the comment above the port is the port's, and goes with it."""
    path = write(empty_debian_root / IFACES, """\
        auto lo
        iface lo inet loopback
        # the bridge for the guests
        auto br0
        iface br0 inet dhcp
            bridge_ports eth0
        # its port
        iface eth0 inet manual
        # right after the port's stanza: the port's

        # kept: set apart by a blank line
    """)
    undefine(empty_debian_root, "br0")
    assert comments(path) == ["# kept: set apart by a blank line"]
    assert listed(empty_debian_root) == ["lo"]


def test_redefine_that_drops_a_port_takes_the_ports_comment_along(empty_debian_root):
    path = write(empty_debian_root / IFACES, """\
        # the bridge
        auto br0
        iface br0 inet dhcp
            bridge_ports eth0 eth1

        # eth1: the old port
        iface eth1 inet manual

        # eth9: not a port
        iface eth9 inet dhcp
    """)
    xml = etree.tostring(xml_desc(empty_debian_root, "br0"), encoding="unicode")
    define(empty_debian_root, re.sub(r'<interface type="ethernet" name="eth1"\s*/>', "", xml))
    assert comments(path) == ["# the bridge", "# eth9: not a port"]
    assert "iface eth1" not in path.read_text()


@pytest.mark.parametrize("case", ["bridge-bond", "bridge-vlan"])
def test_undefine_of_a_bridge_removes_its_port_stanza_and_nothing_else(empty_debian_root, case):
    """A stanza after a removed one keeps its own indentation (Augeas alone
    would print it with the removed stanza's: augnetcf.aug cuts removed lines first)."""
    path = write(empty_debian_root / IFACES, "auto lo\niface lo inet loopback\n")
    name = define(empty_debian_root, interface_xml(case))
    with path.open("a") as f:
        f.write("iface eth9 inet dhcp\n    mtu 9000\n")
    undefine(empty_debian_root, name)
    assert path.read_text() == "auto lo\niface lo inet loopback\niface eth9 inet dhcp\n    mtu 9000\n"


def test_every_other_stanza_keeps_its_own_layout_when_one_goes(empty_debian_root):
    """Stanzas with their own indentation (a tab, two spaces, eight): removing
    the first and editing the last in one define leaves the middle byte for
    byte and the last's untouched lines as they were."""
    text = ("auto br0\niface br0 inet dhcp\n\tbridge_ports eth0 eth1\n\n"
            "iface eth1 inet manual\n\tmtu 1400\n\n"
            "iface eth7 inet dhcp\n  hwaddress ether 52:54:00:00:00:07\n  mtu 9000\n\n"
            "iface eth8 inet dhcp\n        mtu 9000\n        # by hand\n")
    path = empty_debian_root / IFACES
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    xml = etree.tostring(xml_desc(empty_debian_root, "br0"), encoding="unicode")
    define(empty_debian_root, re.sub(r'<interface type="ethernet" name="eth1">.*?</interface>|'
                                     r'<interface type="ethernet" name="eth1"\s*/>', "", xml, flags=re.S))
    assert path.read_text() == text.replace("iface eth1 inet manual\n\tmtu 1400\n\n", "").replace(
        "eth0 eth1", "eth0")
    undefine(empty_debian_root, "br0")
    assert path.read_text() == text[text.index("iface eth7"):]


def test_a_port_named_in_dashed_bridge_ports_is_not_listed(empty_debian_root):
    write(empty_debian_root / IFACES, """\
        auto br0
        iface br0 inet dhcp
            bridge-ports bond0
        iface bond0 inet manual
            bond-slaves eth0 eth1
            bond-mode active-backup
    """)
    assert listed(empty_debian_root) == ["br0"]


def test_ipv6_static_with_autoconf_keeps_autoconf_on_for_ifupdown(empty_debian_root, ifquery):
    define(empty_debian_root, '<interface type="ethernet" name="eth0"><start mode="onboot"/>'
                              '<protocol family="ipv6"><autoconf/><ip address="2001:db8::5" prefix="64"/>'
                              '</protocol></interface>')
    assert judges.ifquery_options(empty_debian_root / IFACES, "eth0").get("autoconf") == ["1"]
