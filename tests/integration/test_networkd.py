"""The networkd backend on real libaugeas and temporary roots, judged by systemd-networkd.

* every netcf case is written exactly as its golden file says; systemd-networkd
  (run in namespaces of its own) reads every file without a complaint and
  creates the bridges it describes with the STP and forward delay we wrote;
* the first file in lexical order wins, drop-ins apply after their file, a
  ``.network`` matching a pattern is no interface of its own;
* a VLAN's ``VLAN=`` line goes into its parent's file, or into a file of its
  own that goes when its last VLAN goes;
* a redefine keeps comments and keys augnetcf does not own; redefining what
  dumpxml printed changes no byte, a one-attribute change touches only its
  line; a drop-in that would override a define, or an earlier file that
  would hide a new one, makes define refuse with nothing written.
"""

from __future__ import annotations

import difflib
import shutil
import textwrap
from pathlib import Path

import judges
import pytest
from conftest import DATA, NETCF, snapshot_tree
from netcf_equal import parse_xml, xml_diff

import augnetcf

DIR = "etc/systemd/network"
CASES = sorted(p.stem for p in (DATA / "goldens" / "networkd").glob("*.txt"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / DIR).mkdir(parents=True)
    return tmp_path


def cfg(root: Path) -> augnetcf.Config:
    return augnetcf.Config(str(root), "networkd")


def written(root: Path) -> str:
    out = []
    for path in sorted((root / DIR).iterdir()):
        out.append(f"== /{path.relative_to(root)}")
        out.extend(path.read_text().splitlines())
    return "\n".join(out) + "\n"


def golden_files(case: str) -> str:
    blocks = (DATA / "goldens" / "networkd" / f"{case}.txt").read_text().split("== ")[1:]
    return "".join("== " + b for b in sorted(blocks))


def write(root: Path, name: str, text: str) -> Path:
    path = root / DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


@pytest.mark.parametrize("case", CASES)
def test_each_case_writes_its_golden_files(root, case):
    xml = (NETCF / "interface" / f"{case}.xml").read_bytes()
    with cfg(root) as c:
        name = c.define(xml, case).name
        got = c.xml_desc(name)
    assert written(root) == golden_files(case)
    assert xml_diff(parse_xml(xml), parse_xml(got)) is None, got


def test_systemd_networkd_reads_every_case_without_a_complaint(tmp_path):
    """One networkd run over every case at once (each case in its own
    directory would take a run, and a few seconds, each)."""
    problem = judges.networkd_problem()
    assert not problem, f"systemd-networkd is the judge of this test: {problem}"
    for case in CASES:
        root = tmp_path / case
        (root / DIR).mkdir(parents=True)
        with cfg(root) as c:
            c.define((NETCF / "interface" / f"{case}.xml").read_bytes(), case)
        complaints, _links = judges.networkd_check(root / DIR, seconds=1)
        assert complaints == [], (case, complaints)


def test_systemd_networkd_creates_the_bridge_as_described(root):
    problem = judges.networkd_problem()
    assert not problem, f"systemd-networkd is the judge of this test: {problem}"
    with cfg(root) as c:
        c.define('<interface type="bridge" name="br7"><start mode="onboot"/><mtu size="1400"/>'
                 '<bridge stp="on" delay="4.5"/></interface>')
    complaints, links = judges.networkd_check(root / DIR)
    assert complaints == []
    [br7] = [link for link in links if link["ifname"] == "br7"]
    info = br7["linkinfo"]
    assert info["info_kind"] == "bridge"
    assert info["info_data"]["stp_state"] == 1
    assert info["info_data"]["forward_delay"] == 450  # centiseconds


HAND = """\
# eth0, by hand
[Match]
Name=eth0

[Link]
MTUBytes=1500
RequiredForOnline=no

[Network]
# static for now
Address=192.168.1.10/24
Gateway=192.168.1.1
DNS=192.168.1.1 9.9.9.9
IPv6AcceptRA=no
"""


@pytest.fixture
def hand(root: Path) -> Path:
    return write(root, "10-eth0.network", HAND)


def test_redefining_what_dumpxml_printed_changes_no_byte(root, hand):
    before = snapshot_tree(root)
    with cfg(root) as c:
        assert c.list_interfaces() == ["eth0"]
        c.define(c.xml_desc("eth0"))
    assert snapshot_tree(root) == before


def test_a_changed_mtu_changes_only_the_mtu_line(root, hand):
    with cfg(root) as c:
        c.define(c.xml_desc("eth0").replace('<mtu size="1500"/>', '<mtu size="9000"/>'))
    diff = [d for d in difflib.unified_diff(HAND.splitlines(), hand.read_text().splitlines(), n=0,
                                            lineterm="") if d[:1] in "+-" and d[:3] not in ("+++", "---")]
    assert diff == ["-MTUBytes=1500", "+MTUBytes=9000"]
    assert sorted(p.name for p in (root / DIR).iterdir()) == ["10-eth0.network"]


def test_a_new_description_edits_the_file_in_place(root, hand):
    with cfg(root) as c:
        c.define('<interface type="ethernet" name="eth0"><start mode="none"/>'
                 '<protocol family="ipv4"><dhcp peerdns="no"/></protocol></interface>')
    text = hand.read_text()
    for kept in ("# eth0, by hand", "RequiredForOnline=no", "# static for now", "DNS=192.168.1.1 9.9.9.9"):
        assert kept in text
    for gone in ("MTUBytes", "Address=", "Gateway=", "IPv6AcceptRA"):
        assert gone not in text
    assert "DHCP=ipv4" in text and "ActivationPolicy=manual" in text and "[DHCPv4]\nUseDNS=no" in text


def test_the_first_file_in_lexical_order_wins(root, hand):
    later = write(root, "20-eth0.network", "[Match]\nName=eth0\n[Network]\nDHCP=yes\n")
    with cfg(root) as c:
        assert "192.168.1.10" in c.xml_desc("eth0")
        c.define(c.xml_desc("eth0").replace('<mtu size="1500"/>', '<mtu size="9000"/>'))
    assert "MTUBytes=9000" in hand.read_text()
    assert later.read_text() == "[Match]\nName=eth0\n[Network]\nDHCP=yes\n"


def test_a_network_file_for_a_pattern_is_no_interface(root):
    write(root, "99-dhcp.network", "[Match]\nName=en*\n[Network]\nDHCP=yes\n")
    write(root, "98-two.network", "[Match]\nName=eth1 eth2\n[Network]\nDHCP=yes\n")
    with cfg(root) as c:
        assert c.list_interfaces() == []


def test_drop_ins_are_read_and_left_alone(root, hand):
    dropin = write(root, "10-eth0.network.d/dns.conf", "[Network]\nDNS=1.1.1.1\n")
    mtu = write(root, "10-eth0.network.d/mtu.conf", "[Link]\nMTUBytes=9000\n")
    with cfg(root) as c:
        assert '<mtu size="9000"/>' in c.xml_desc("eth0")
        before = snapshot_tree(root)
        with pytest.raises(augnetcf.InvalidOperation) as exc:
            c.define(c.xml_desc("eth0").replace('<mtu size="9000"/>', '<mtu size="1400"/>'))
        assert exc.value.file == str(mtu) and "Link/MTUBytes" in exc.value.message
        assert snapshot_tree(root) == before
        mtu.unlink()
        c.define(c.xml_desc("eth0").replace('<mtu size="1500"/>', '<mtu size="1400"/>'))
        assert dropin.read_text() == "[Network]\nDNS=1.1.1.1\n"
        c.undefine("eth0")
    assert sorted(str(p.relative_to(root / DIR)) for p in (root / DIR).rglob("*") if p.is_file()) == []


def test_a_vlan_line_goes_into_its_parents_file(root, hand):
    with cfg(root) as c:
        c.define('<interface type="vlan" name="eth0.42"><start mode="onboot"/>'
                 '<vlan tag="42"><interface name="eth0"/></vlan></interface>')
        assert c.list_interfaces() == ["eth0", "eth0.42"]
        assert '<interface name="eth0"/>' in c.xml_desc("eth0.42")
        assert hand.read_text() == HAND + "VLAN=eth0.42\n"
        before = snapshot_tree(root)
        c.define(c.xml_desc("eth0.42"))
        c.define(c.xml_desc("eth0"))
        assert snapshot_tree(root) == before
        c.undefine("eth0.42")
    assert hand.read_text() == HAND
    assert sorted(p.name for p in (root / DIR).iterdir()) == ["10-eth0.network"]


def test_a_vlan_on_an_unconfigured_parent_gets_a_file_that_goes_with_it(root):
    with cfg(root) as c:
        c.define('<interface type="vlan" name="vlan42"><start mode="onboot"/>'
                 '<vlan tag="42"><interface name="eth1"/></vlan></interface>')
        c.define('<interface type="vlan" name="vlan43"><start mode="onboot"/>'
                 '<vlan tag="43"><interface name="eth1"/></vlan></interface>')
        carrier = root / DIR / "50-augnetcf-eth1.network"
        assert carrier.read_text() == "[Match]\nName=eth1\n[Network]\nVLAN=vlan42\nVLAN=vlan43\n"
        assert c.list_interfaces() == ["vlan42", "vlan43"]  # the parent's file describes no interface
        c.undefine("vlan42")
        assert carrier.read_text() == "[Match]\nName=eth1\n[Network]\nVLAN=vlan43\n"
        c.undefine("vlan43")
    assert list((root / DIR).iterdir()) == []


def test_an_earlier_file_that_would_hide_a_new_one_is_named(root):
    first = write(root, "10-all.network", "[Match]\nName=eth*\n[Network]\nDHCP=yes\n")
    before = snapshot_tree(root)
    with cfg(root) as c:
        with pytest.raises(augnetcf.InvalidOperation) as exc:
            c.define('<interface type="ethernet" name="eth0"><start mode="onboot"/></interface>')
        assert exc.value.file == str(first) and "eth0" in exc.value.message
        assert snapshot_tree(root) == before
        # a name the pattern does not take is fine, in the same session
        c.define('<interface type="ethernet" name="ens3"><start mode="onboot"/></interface>')
        assert c.list_interfaces() == ["ens3"]
    assert sorted(p.name for p in (root / DIR).iterdir()) == ["10-all.network", "50-augnetcf-ens3.network"]


@pytest.mark.parametrize(("xml", "element"), [
    ('<interface type="ethernet" name="eth0"><start mode="hotplug"/></interface>', "<start mode='hotplug'>"),
    ('<interface type="bond" name="bond0"><bond><miimon freq="100" carrier="ioctl"/>'
     '<interface type="ethernet" name="eth1"/></bond></interface>', "<miimon freq='100' carrier='ioctl'>"),
    ('<interface type="vlan" name="eth0.4095"><vlan tag="4095"><interface name="eth0"/></vlan></interface>',
     "<vlan tag='4095'>"),
])
def test_what_networkd_cannot_say_is_refused_with_nothing_written(root, hand, xml, element):
    before = snapshot_tree(root)
    with cfg(root) as c, pytest.raises(augnetcf.Unsupported) as exc:
        c.define(xml, "x.xml")
    assert exc.value.message.startswith(element) and "networkd" in exc.value.message
    assert snapshot_tree(root) == before


def test_undefine_removes_the_netdev_the_network_and_the_ports(root):
    with cfg(root) as c:
        c.define((NETCF / "interface" / "bridge-vlan.xml").read_bytes())
        c.undefine("br0")
    assert list((root / DIR).iterdir()) == []


def test_a_copy_of_the_example_root_keeps_working(root, hand, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    with cfg(copy) as c:
        assert c.list_interfaces() == ["eth0"]


# -- [Address] sections, bare addresses, boolean spellings ---------------------------------------------------
SECTIONS = """\
[Match]
Name=eth0

[Network]
DHCP=no
IPv6AcceptRA=false

[Address]
Address=10.0.0.5/24
Label=eth0:office

[Address]
Address=10.0.1.5
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [d for d in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
            if d[:1] in "+-" and d[:3] not in ("+++", "---")]


@pytest.fixture
def sections(root: Path) -> Path:
    return write(root, "10-eth0.network", SECTIONS)


def test_address_sections_are_addresses_and_a_bare_one_has_networkds_prefix(root, sections):
    with cfg(root) as c:
        xml = c.xml_desc("eth0")
    # systemd reads a bare IPv4 address with its class's prefix (10/8: class A)
    assert '<ip address="10.0.0.5" prefix="24"/>' in xml and '<ip address="10.0.1.5" prefix="8"/>' in xml
    assert "<autoconf/>" not in xml  # IPv6AcceptRA=false


def test_an_mtu_edit_keeps_address_sections_and_the_files_spellings(root, sections):
    with cfg(root) as c:
        xml = c.xml_desc("eth0")
        c.define(xml.replace('<start mode="onboot"/>', '<start mode="onboot"/><mtu size="9000"/>'))
    # the new section is set apart by a blank line, as the file's sections are
    assert changed_lines(SECTIONS, sections.read_text()) == ["+", "+[Link]", "+MTUBytes=9000"]


def test_redefining_what_dumpxml_printed_keeps_address_sections_byte_for_byte(root, sections):
    before = snapshot_tree(root)
    with cfg(root) as c:
        c.define(c.xml_desc("eth0"))
    assert snapshot_tree(root) == before


@pytest.mark.parametrize(("old", "new", "diff"), [
    ('"10.0.1.5" prefix="8"', '"10.0.1.6" prefix="8"', ["-Address=10.0.1.5", "+Address=10.0.1.6/8"]),
    ('"10.0.0.5" prefix="24"', '"10.0.0.7" prefix="24"', ["-Address=10.0.0.5/24", "+Address=10.0.0.7/24"]),
    ('<ip address="10.0.1.5" prefix="8"/>', "", ["-[Address]", "-Address=10.0.1.5"]),
    ('<ip address="10.0.1.5" prefix="8"/>',
     '<ip address="10.0.1.5" prefix="8"/><ip address="10.9.9.9" prefix="16"/>',
     ["+", "+[Address]", "+Address=10.9.9.9/16"]),  # a new section set apart, as the others are
])
def test_an_address_edit_changes_only_its_line(root, sections, old, new, diff):
    with cfg(root) as c:
        xml = c.xml_desc("eth0")
        assert old in xml
        c.define(xml.replace(old, new))
        assert xml_diff(parse_xml(xml.replace(old, new)), parse_xml(c.xml_desc("eth0"))) is None
    assert changed_lines(SECTIONS, sections.read_text()) == diff


def test_removing_a_section_that_would_shift_others_settings_is_refused(root, sections):
    before = snapshot_tree(root)
    with cfg(root) as c, pytest.raises(augnetcf.Unsupported) as exc:
        c.define(c.xml_desc("eth0").replace('<ip address="10.0.0.5" prefix="24"/>', ""))
    assert exc.value.file.endswith("10-eth0.network") and "[Address]" in exc.value.message
    assert snapshot_tree(root) == before


@pytest.mark.parametrize(("address", "prefix"), [
    ("172.16.0.5", "16"), ("192.168.7.5", "24"), ("10.1.2.3", "8"), ("2001:db8::5", "0"),
])
def test_what_dumpxml_prints_for_a_bare_address_define_accepts_unchanged(root, address, prefix):
    text = f"[Match]\nName=eth0\n\n[Network]\nAddress={address}\n"
    path = write(root, "10-eth0.network", text)
    with cfg(root) as c:
        xml = c.xml_desc("eth0")
        assert f'<ip address="{address}" prefix="{prefix}"/>' in xml
        c.define(xml)
        c.define(xml.replace('<start mode="onboot"/>', '<start mode="onboot"/><mtu size="1400"/>'))
    assert changed_lines(text, path.read_text()) == ["+", "+[Link]", "+MTUBytes=1400"]


@pytest.mark.parametrize("spelling", ["false", "off", "0", "No", "FALSE"])
def test_a_boolean_keeps_the_files_spelling(root, spelling):
    text = f"[Match]\nName=eth0\n\n[Network]\nAddress=10.0.0.5/24\nIPv6AcceptRA={spelling}\n"
    path = write(root, "10-eth0.network", text)
    with cfg(root) as c:
        xml = c.xml_desc("eth0")
        assert '<protocol family="ipv6"/>' in xml
        c.define(xml.replace("10.0.0.5", "10.0.0.6"))
    assert changed_lines(text, path.read_text()) == ["-Address=10.0.0.5/24", "+Address=10.0.0.6/24"]


# -- a default route in a [Route] section --------------------------------------------------------------------
ROUTES = """\
[Match]
Name=eth0

[Network]
Address=10.0.0.2/24

[Route]
Destination=192.168.5.0/24
Gateway=10.0.0.5

[Route]
Gateway=10.0.0.1
Metric=5
"""


@pytest.fixture
def routes(root: Path) -> Path:
    return write(root, "10-eth0.network", ROUTES)


def test_a_route_section_to_anywhere_is_the_gateway_and_another_route_is_not(root, routes):
    with cfg(root) as c:
        protocol = parse_xml(c.xml_desc("eth0")).find("protocol")
    assert [r.get("gateway") for r in protocol.findall("route")] == ["10.0.0.1"]


@pytest.mark.parametrize(("old", "new", "diff"), [
    (None, None, []),
    ('<start mode="onboot"/>', '<start mode="onboot"/><mtu size="1400"/>',
     ["+", "+[Link]", "+MTUBytes=1400"]),
    ('<route gateway="10.0.0.1"/>', '<route gateway="10.0.0.9"/>',
     ["-Gateway=10.0.0.1", "+Gateway=10.0.0.9"]),
])
def test_an_edit_keeps_the_route_sections_and_changes_a_gateway_where_it_is(root, routes, old, new, diff):
    with cfg(root) as c:
        xml = c.xml_desc("eth0")
        want = xml.replace(old, new) if old else xml
        c.define(want)
        assert xml_diff(parse_xml(want), parse_xml(c.xml_desc("eth0"))) is None
    assert changed_lines(ROUTES, routes.read_text()) == diff


def test_removing_a_gateway_its_route_section_holds_is_refused_with_nothing_written(root, routes):
    before = snapshot_tree(root)
    with cfg(root) as c, pytest.raises(augnetcf.Unsupported) as exc:
        c.define(c.xml_desc("eth0").replace('<route gateway="10.0.0.1"/>', ""))
    assert exc.value.file.endswith("10-eth0.network") and "[Route]" in exc.value.message
    assert snapshot_tree(root) == before


def test_systemd_networkd_reads_a_changed_route_section_without_a_complaint(root, routes):
    problem = judges.networkd_problem()
    assert not problem, f"systemd-networkd is the judge of this test: {problem}"
    with cfg(root) as c:
        c.define(c.xml_desc("eth0").replace("10.0.0.1", "10.0.0.9"))
    assert judges.networkd_check(root / DIR, seconds=1)[0] == []
