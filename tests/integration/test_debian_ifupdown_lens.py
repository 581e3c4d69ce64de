"""The Debian backend on our Ifupdown lens: what ifupdown2 and ifupdown-ng
files say reads right, edits keep the file's spelling, and what interface XML
cannot say is refused rather than read as something simpler.

Real libaugeas on temporary roots; every read uses a fresh Config.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import judges
import pytest
from lxml import etree

import augnetcf
from augnetcf.backends.debian import reindent
from augnetcf.errors import FileError, Unsupported

IFACES = "etc/network/interfaces"

PROXMOX = (b"auto lo\niface lo inet loopback\n\n"
           b"auto vmbr0\niface vmbr0 inet static\n"
           b"\taddress 192.168.1.10/24\n\tgateway 192.168.1.1\n\tbridge-ports eno1\n"
           b"\tbridge-stp off\n\tbridge-fd 0\n\tbridge-vlan-aware yes\n\tbridge-vids 2-4094\n")


def make_root(tmp_path: Path, text: bytes) -> Path:
    root = tmp_path / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / "etc/os-release").write_text("ID=debian\n")
    (root / IFACES).write_bytes(text)
    return root


def dump(root: Path, name: str) -> str:
    with augnetcf.Config(str(root), "debian") as cfg:
        return cfg.xml_desc(name)


def plan(root: Path, xml: str) -> bytes:
    """What a define of *xml* would make of the interfaces file, with the
    re-indentation the engine applies after Augeas prints (see reindent)."""
    with augnetcf.Config(str(root), "debian") as cfg:
        changes = cfg.plan_define(xml)
    (change,) = [c for c in changes if c.path == IFACES]
    assert change.before is not None and change.after is not None
    return reindent(change.before, change.after)


def added_and_removed(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [ln for ln in diff if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def with_mtu(xml: str, size: int) -> str:
    doc = etree.fromstring(xml.encode())
    mtu = etree.Element("mtu", size=str(size))
    doc.find("start").addnext(mtu)
    return etree.tostring(doc, encoding="unicode")


def test_proxmox_mtu_edit_adds_one_tab_indented_line(tmp_path):
    """bridge-ports stays spelled and placed as it was; mtu comes with a tab."""
    root = make_root(tmp_path, PROXMOX)
    after = plan(root, with_mtu(dump(root, "vmbr0"), 9000))
    assert added_and_removed(PROXMOX, after) == ["+\tmtu 9000"]
    assert after.endswith(b"\tbridge-vids 2-4094\n\tmtu 9000\n")


def test_new_bridge_option_follows_the_stanzas_dashes(tmp_path):
    root = make_root(tmp_path, PROXMOX.replace(b"\tbridge-stp off\n\tbridge-fd 0\n", b""))
    xml = dump(root, "vmbr0").replace("<bridge>", '<bridge stp="on" delay="2">')
    after = plan(root, xml)
    assert added_and_removed(root.joinpath(IFACES).read_bytes(), after) == [
        "+\tbridge-stp on", "+\tbridge-fd 2"]


def test_new_option_follows_underscores_and_four_spaces(tmp_path):
    text = b"iface br0 inet dhcp\n    bridge_ports eth0\n"
    root = make_root(tmp_path, text)
    xml = dump(root, "br0").replace("<bridge>", '<bridge stp="off">')
    assert added_and_removed(text, plan(root, xml)) == ["+    bridge_stp off"]


def test_netmask_stanza_keeps_netmask_spelling(tmp_path):
    text = b"iface eth1 inet static\n\taddress 10.0.0.5\n\tnetmask 255.255.255.0\n"
    root = make_root(tmp_path, text)
    xml = dump(root, "eth1").replace('address="10.0.0.5"', 'address="10.0.0.6"')
    assert added_and_removed(text, plan(root, xml)) == ["-\taddress 10.0.0.5", "+\taddress 10.0.0.6"]


@pytest.mark.parametrize("header", [b"iface swp1", b"interface swp1"])
def test_stanza_without_family_reads_as_ifupdown2_does(tmp_path, header):
    """No method: manual, and static when it has an address (ifupdown2, ifupdown-ng)."""
    root = make_root(tmp_path, b"auto swp1\n" + header + b"\n    address 10.1.1.1/24\n    mtu 9000\n"
                     if header.startswith(b"iface") else b"iface swp1\n    mtu 9000\n")
    doc = etree.fromstring(dump(root, "swp1").encode())
    assert doc.find("mtu").get("size") == "9000"
    if header.startswith(b"iface"):
        ip = doc.find("protocol[@family='ipv4']/ip")
        assert (ip.get("address"), ip.get("prefix")) == ("10.1.1.1", "24")
    else:
        assert doc.find("protocol") is None


def test_stanza_without_family_keeps_its_header_on_redefine(tmp_path):
    text = b"auto swp1\niface swp1\n    address 10.1.1.1/24\n    mtu 9000\n"
    root = make_root(tmp_path, text)
    after = plan(root, dump(root, "swp1").replace('size="9000"', 'size="1500"'))
    assert added_and_removed(text, after) == ["-    mtu 9000", "+    mtu 1500"]


#: Stanzas the XML cannot describe, and what the refusal says.
REFUSED = [
    ("iface tun0 inet6 v4tunnel\n  endpoint 192.0.2.1\n", "method inet6 v4tunnel"),
    ("iface ppp0 inet ppp\n  provider dsl\n", "method inet ppp"),
    ("iface eth0 inet bootp\n", "method inet bootp"),
    ("iface can0 can static\n  bitrate 125000\n", "address family 'can'"),
    ("iface eth0 inet static inherits base\n  address 10.0.0.1/24\n", "'inherits'"),
    ("iface eth0\n  use dhcp\n", "'use'"),
    ("iface swp1\n  address 10.0.0.1/24\n  address 2001:db8::1/64\n", "several"),
    ("iface swp1 dhcp\n", "method 'dhcp' without an address family"),
    ("iface br0.5 inet manual\n  bridge_ports eth0\n", "named like a VLAN"),
    ("iface br0 inet manual\n  bridge-ports eth0\n  bridge-ports eth1\n", "bridge_ports on several lines"),
    ("iface eth0 inet static\n  address 10.0.0.1/14\n  netmask 255.255.255.0\n", "netmask 255.255.255.0"),
]


@pytest.mark.parametrize(("stanza", "why"), REFUSED)
def test_what_the_xml_cannot_say_is_refused_by_dumpxml(tmp_path, stanza, why):
    root = make_root(tmp_path, b"auto lo\niface lo inet loopback\n\n" + stanza.encode())
    name = stanza.split()[1]
    with pytest.raises(FileError, match=why) as e:
        dump(root, name)
    assert e.value.file == "/etc/network/interfaces"
    assert e.value.line == 4, "the line its stanza starts on"
    assert str(e.value).startswith("/etc/network/interfaces:4: ")


#: A define of an ethernet of that name: every refused stanza but those whose name
#: itself (a VLAN-like name) or header (a method without a family) the description replaces.
@pytest.mark.parametrize(("stanza", "why"), [
    case for case in REFUSED
    if case[1] not in ("method 'dhcp' without an address family", "named like a VLAN")
])
def test_what_the_xml_cannot_say_is_refused_by_define(tmp_path, stanza, why):
    root = make_root(tmp_path, b"auto lo\niface lo inet loopback\n\n" + stanza.encode())
    name = stanza.split()[1]
    xml = f'<interface type="ethernet" name="{name}"><start mode="none"/></interface>'
    before = (root / IFACES).read_bytes()
    with augnetcf.Config(str(root), "debian") as cfg, pytest.raises(Unsupported, match=why) as e:
        cfg.define(xml)
    assert (e.value.file, e.value.line) == ("/etc/network/interfaces", 4)
    assert (root / IFACES).read_bytes() == before


def test_define_refuses_a_port_stanza_it_would_remove(tmp_path):
    """A bridge's port with an inet6 v4tunnel stanza beside its inet one:
    dumpxml of the bridge refuses it (its port's stanza has no description),
    and so does a define that makes the NIC a port, which would remove it."""
    text = (b"auto br0\niface br0 inet dhcp\n  bridge_ports eth0\n\n"
            b"iface eth0 inet manual\n\niface eth0 inet6 v4tunnel\n  endpoint 192.0.2.1\n")
    root = make_root(tmp_path, text)
    with pytest.raises(FileError, match="v4tunnel") as e:
        dump(root, "br0")
    assert e.value.line == 7
    xml = ('<interface type="bridge" name="br0"><start mode="onboot"/>'
           '<protocol family="ipv4"><dhcp/></protocol>'
           '<bridge><interface type="ethernet" name="eth0"/></bridge></interface>')
    with augnetcf.Config(str(root), "debian") as cfg, pytest.raises(Unsupported, match="v4tunnel") as e:
        cfg.define(xml)
    assert e.value.line == 7
    assert (root / IFACES).read_bytes() == text


def test_stanza_without_family_made_dhcp_gets_both_words_on_its_line(tmp_path):
    """Family and method go right after the name, where the lens prints
    them, not after the options (ifupdown2's ``iface swp1`` made DHCP)."""
    text = b"auto swp1\niface swp1\n    # uplink\n    mtu 9000\n"
    root = make_root(tmp_path, text)
    xml = dump(root, "swp1").replace("</interface>", '<protocol family="ipv4"><dhcp/></protocol></interface>')
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.define(xml)
    after = (root / IFACES).read_bytes()
    assert added_and_removed(text, after) == ["-iface swp1", "+iface swp1 inet dhcp"]
    read = judges.ifparse(root / IFACES)["swp1"]
    assert "use dhcp" in read and "mtu 9000" in read


def test_address_with_prefix_and_agreeing_netmask_keeps_both(tmp_path):
    text = b"iface eth0 inet static\n  address 10.0.0.1/24\n  netmask 255.255.255.0\n"
    root = make_root(tmp_path, text)
    after = plan(root, dump(root, "eth0").replace("10.0.0.1", "10.0.0.2"))
    assert added_and_removed(text, after) == ["-  address 10.0.0.1/24", "+  address 10.0.0.2/24"]


def test_port_stanza_static_without_address_stays_static(tmp_path):
    """ifupdown2's examples give a bridge's ports ``inet static`` without an
    address; a port's description has no addressing, so an edit of the
    bridge leaves those lines alone rather than write ``inet manual``."""
    text = (b"auto bond3.2000\niface bond3.2000 inet static\n\n"
            b"auto br2000\niface br2000 inet static\n    address 10.0.0.1/24\n    bridge-ports bond3.2000\n")
    root = make_root(tmp_path, text)
    after = plan(root, with_mtu(dump(root, "br2000"), 9000))
    assert added_and_removed(text, after) == ["+    mtu 9000"]


def test_alias_of_a_vlan_is_not_taken_for_a_vlan(tmp_path):
    text = b"auto eth2.2:3\niface eth2.2:3 inet static\n  address 3.4.5.6/23\n"
    root = make_root(tmp_path, text)
    xml = dump(root, "eth2.2:3")
    assert 'type="ethernet"' in xml
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.define(xml)
    assert (root / IFACES).read_bytes() == text


def test_static_stanza_without_address_stays_static(tmp_path):
    text = b"iface bnep0 inet static\n"
    root = make_root(tmp_path, text)
    xml = dump(root, "bnep0")
    assert '<protocol family="ipv4"/>' in xml
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.define(xml)
    assert (root / IFACES).read_bytes() == text


def test_vlan_with_zero_padded_tag_round_trips(tmp_path):
    text = b"auto eth0.0201\niface eth0.0201 inet manual\n"
    root = make_root(tmp_path, text)
    xml = dump(root, "eth0.0201")
    doc = etree.fromstring(xml.encode())
    assert doc.get("name") == "eth0.0201" and doc.find("vlan").get("tag") == "201"
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.define(xml)
    assert dump(root, "eth0.0201") == xml


def test_continued_bridge_ports_are_ports(tmp_path):
    root = make_root(tmp_path, b"auto br0\niface br0 inet manual\n\tbridge-ports eth0 \\\n\t\teth1\n")
    doc = etree.fromstring(dump(root, "br0").encode())
    assert [p.get("name") for p in doc.findall("bridge/interface")] == ["eth0", "eth1"]
    with augnetcf.Config(str(root), "debian") as cfg:
        assert cfg.list_interfaces() == ["br0"]


def test_file_without_final_newline_reads_and_keeps_its_end(tmp_path):
    text = b"auto eth0\niface eth0 inet dhcp\n\tmtu 1400"
    root = make_root(tmp_path, text)
    xml = dump(root, "eth0")
    assert 'size="1400"' in xml
    after = plan(root, xml.replace("<start mode=\"onboot\"/>", "<start mode=\"hotplug\"/>"))
    assert after == b"allow-hotplug eth0\niface eth0 inet dhcp\n\tmtu 1400"


# -- ifupdown-ng judges what we read and what we write ----------------------------

NG_FILES = {
    "proxmox": PROXMOX,
    "cumulus": b"auto swp1\niface swp1\n    mtu 9000\n    bridge-access 10\n\n"
               b"auto br0\niface br0\n    bridge-ports swp1 \\\n        swp2\n    address 10.1.1.1/24\n",
    "alpine": b"auto lo\niface lo\n\tuse loopback\n\ntemplate uplink\n\tmtu 1500\n\n"
              b"auto eth0\niface eth0 inet dhcp\n\t# from the template\n",
}


@pytest.fixture(scope="module")
def ifparse_ok() -> None:
    if judges.ifparse_problem():
        pytest.fail(f"ifupdown-ng's ifparse cannot run: {judges.ifparse_problem()}")


@pytest.mark.parametrize("case", sorted(NG_FILES))
def test_ifupdown_ng_and_augnetcf_read_the_same_file(tmp_path, ifparse_ok, case):
    root = make_root(tmp_path, NG_FILES[case])
    stanzas = judges.ifparse(root / IFACES)
    with augnetcf.Config(str(root), "debian") as cfg:
        listed = set(cfg.list_interfaces())
        for name in listed:
            assert name in stanzas
            try:
                cfg.xml_desc(name)
            except FileError as e:  # ifupdown-ng's `use loopback`: refused, not read as manual
                assert "cannot describe" in e.message


def test_ifupdown_ng_reads_what_augnetcf_writes(tmp_path, ifparse_ok):
    root = make_root(tmp_path, PROXMOX)
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.define(with_mtu(dump(root, "vmbr0"), 9000))
        cfg.define('<interface type="bridge" name="br1"><start mode="onboot"/>'
                   '<protocol family="ipv4"><dhcp/></protocol>'
                   '<bridge stp="off" delay="0"><interface type="ethernet" name="eth7"/></bridge>'
                   '</interface>')
    stanzas = judges.ifparse(root / IFACES)
    assert {"mtu 9000", "bridge-ports eno1", "address 192.168.1.10/24"} <= set(stanzas["vmbr0"])
    # a new stanza is spelled as netcf did (bridge_ports), which ifupdown-ng
    # reads as a plain option: it does not make br1 a bridge there
    assert {"auto", "use dhcp", "bridge_ports eth7"} <= set(stanzas["br1"])


def test_ifparse_refuses_what_ifupdown_ng_cannot_parse(tmp_path, ifparse_ok):
    """The judge is not blind: a stanza without a name is a refusal."""
    bad = tmp_path / "interfaces"
    bad.write_text("iface\n")
    with pytest.raises(judges.JudgeError, match="iface without any other tokens"):
        judges.ifparse(bad)


# -- reindent alone -------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "want"), [
    pytest.param(b"iface a inet manual\n\tmtu 1\n", b"iface a inet manual\n\tmtu 1\n   up x\n",
                 b"iface a inet manual\n\tmtu 1\n\tup x\n", id="tab"),
    pytest.param(b"iface a inet manual\n  mtu 1\n", b"iface a inet manual\n  mtu 1\n   up x\n",
                 b"iface a inet manual\n  mtu 1\n  up x\n", id="two-spaces"),
    pytest.param(b"iface a inet manual\n\tmtu 1\n",
                 b"iface a inet manual\n\tmtu 1\niface b inet dhcp\n   mtu 2\n",
                 b"iface a inet manual\n\tmtu 1\niface b inet dhcp\n\tmtu 2\n",
                 id="new-stanza-takes-the-files"),
    pytest.param(b"iface a inet manual\n", b"iface a inet manual\n   mtu 2\n",
                 b"iface a inet manual\n   mtu 2\n", id="nothing-to-follow"),
    pytest.param(b"iface a inet manual\n\tmtu 1\n", b"iface a inet manual\n\tmtu 2\n",
                 b"iface a inet manual\n\tmtu 2\n", id="changed-line-untouched"),
    pytest.param(b"iface a inet manual\n\tmtu 1\n\n# x\n", b"iface a inet manual\n\tmtu 1\n\n# x\n   up y\n",
                 b"iface a inet manual\n\tmtu 1\n\n# x\n\tup y\n", id="after-comment"),
    pytest.param(b"iface a inet manual\n\tmtu 1", b"iface a inet manual\n\tmtu 1\n",
                 b"iface a inet manual\n\tmtu 1", id="no-final-newline"),
])
def test_reindent(old, new, want):
    assert reindent(old, new) == want
