"""The netplan backend on real files and temporary roots, judged by netplan itself.

* every netcf case is written as its golden file says, reads back as the
  interface XML it came from, and passes ``netplan generate`` (Debian's
  netplan.io, unpacked) with no warning; systemd-networkd reads the units
  netplan renders from it without a complaint, and ``netplan get`` reads
  back every value augnetcf wrote; a case netplan cannot say is refused
  naming its element, with nothing written;
* hand-written files keep their layout: comments, flow or block lists,
  quoting, indentation and boolean spellings survive every edit; a
  one-value change is a one-line diff; routes and keys the XML does not
  model stay;
* netplan's rules: ``run/netplan`` hides ``etc/netplan``, which hides
  ``lib/netplan``; a definition spread over several files is refused;
  augnetcf writes only under ``etc/netplan``, new definitions into
  ``60-augnetcf.yaml`` with mode 0600, which goes with its last definition;
* a file cloud-init generates is not written until cloud-init is told to
  leave the network alone; a file that is not YAML is named with its line.
"""

from __future__ import annotations

import difflib
import stat
import textwrap
from pathlib import Path

import judges
import pytest
from conftest import DATA, NETCF, snapshot_tree
from netcf_equal import parse_xml, xml_diff
from ruamel.yaml import YAML

import augnetcf
from augnetcf.errors import FileError, Unsupported

DIR = "etc/netplan"
NEW = "etc/netplan/60-augnetcf.yaml"
CASES = sorted(p.stem for p in (DATA / "goldens" / "netplan").glob("*.yaml"))
REFUSED = {  # netcf case -> the element the refusal names
    "bond": "<miimon", "bridge-bond": "<miimon", "bridge-multi": "<ip address='192.168.125.6'>",
    "bridge-multi-all": "<ip address='192.168.125.6'>",
    "ethernet-static-no-prefix": "<ip address='192.168.0.5'>",
    "vlan": "<interface name='eth0'>", "bridge-vlan": "<interface name='eth0'>",
}
NEEDS_ETH0 = ("vlan", "bridge-vlan")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / DIR).mkdir(parents=True)
    (tmp_path / "etc/os-release").write_text("ID=ubuntu\nID_LIKE=debian\n")
    return tmp_path


def cfg(root: Path) -> augnetcf.Config:
    return augnetcf.Config(str(root), "netplan")


def write(root: Path, name: str, text: str, where: str = DIR) -> Path:
    path = root / where / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    path.chmod(0o600)
    return path


def define(root: Path, xml: str | bytes, source: str = "<test>") -> str:
    with cfg(root) as c:
        return c.define(xml, source).name


def dumpxml(root: Path, name: str) -> str:
    with cfg(root) as c:
        return c.xml_desc(name)


def diff(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]


def plain(data: object) -> object:
    """YAML data with every scalar as netplan reads it: a string (booleans as true/false)."""
    if isinstance(data, dict):
        return {str(k): plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if isinstance(data, bool):
        return "true" if data else "false"
    return None if data is None else str(data)


def judge(root: Path) -> None:
    """netplan generates units from *root* without a warning, and systemd-networkd takes them."""
    units, warnings = judges.netplan_generate(root)
    assert "WARNING" not in warnings, warnings
    assert units
    if not judges.networkd_problem():
        unit_dir = root.parent / f"{root.name}-units"
        unit_dir.mkdir()
        for name, text in units.items():
            (unit_dir / name).write_text(text)
        complaints, _links = judges.networkd_check(unit_dir)
        # netplan 0.106 renders UseMTU=true for every DHCP link; with an MTU
        # of its own networkd notes that it drops UseMTU=: netplan's choice, not a fault
        assert [c for c in complaints if "UseMTU= in [DHCP] section are set" not in c] == []


@pytest.fixture(scope="module", autouse=True)
def _netplan_judge() -> None:
    if judges.netplan_problem():
        pytest.fail(f"netplan's parser is the judge of these tests: {judges.netplan_problem()}")


# -- netcf's cases ------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_each_case_writes_its_golden_file(root, case):
    define(root, (NETCF / "interface" / f"{case}.xml").read_bytes())
    assert (root / NEW).read_text() == (DATA / "goldens" / "netplan" / f"{case}.yaml").read_text()
    assert stat.S_IMODE((root / NEW).stat().st_mode) == 0o600


@pytest.mark.parametrize("case", CASES)
def test_each_case_reads_back_as_its_xml(root, case):
    xml = NETCF / "interface" / f"{case}.xml"
    name = define(root, xml.read_bytes())
    assert xml_diff(parse_xml(xml), parse_xml(dumpxml(root, name).encode())) is None


@pytest.mark.parametrize("case", CASES)
def test_netplan_and_networkd_take_each_case_and_netplan_get_reads_it_back(root, case):
    define(root, (NETCF / "interface" / f"{case}.xml").read_bytes())
    judge(root)
    ours = plain(YAML(typ="safe").load((root / NEW).read_text()))["network"]
    theirs = plain(YAML(typ="safe").load(judges.netplan_get(root, "all")))["network"]
    for group in ("ethernets", "bonds", "vlans", "bridges"):
        for name, definition in ours.get(group, {}).items():
            for key, value in definition.items():
                got = theirs[group][name][key]
                if key == "interfaces":  # netplan keeps a bridge's ports in an order of its own
                    got, value = sorted(got), sorted(value)
                assert got == value, (group, name, key)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_netplan_cannot_say_is_refused_naming_the_element(root, case):
    before = snapshot_tree(root)
    xml = NETCF / "interface" / f"{case}.xml"
    with pytest.raises(Unsupported) as e:
        define(root, xml.read_bytes(), str(xml))
    assert REFUSED[case] in str(e.value)
    assert str(xml) in str(e.value)  # the file, and the line
    assert e.value.line is not None
    assert snapshot_tree(root) == before


@pytest.mark.parametrize("case", NEEDS_ETH0)
def test_a_vlan_goes_in_once_its_link_is_defined(root, case):
    write(root, "01-eth0.yaml", """\
        network:
          ethernets:
            eth0:
              dhcp4: true
        """)
    xml = NETCF / "interface" / f"{case}.xml"
    name = define(root, xml.read_bytes())
    assert xml_diff(parse_xml(xml), parse_xml(dumpxml(root, name).encode())) is None
    judge(root)
    assert (root / DIR / "01-eth0.yaml").read_text().endswith("dhcp4: true\n")  # eth0 left as it was


# -- real files -----------------------------------------------------------------------

#: As subiquity (Ubuntu's server installer) writes it: four spaces, a comment
#: header, a flow list, a quoted value, yes for true, and keys augnetcf does not own.
INSTALLER = """\
    # This is the network config written by 'subiquity'
    network:
        ethernets:
            enp1s0:
                addresses: [192.168.122.20/24, "192.168.122.21/24"]
                nameservers:
                    addresses: [192.168.122.1]
                    search: [example.com]
                routes:
                  - to: default
                    via: 192.168.122.1
                  - to: 10.8.0.0/16   # the VPN
                    via: 192.168.122.254
                    metric: 50
                dhcp6: no
            enp2s0:
                dhcp4: yes
                optional: true
        version: 2
    """


@pytest.fixture
def installer(root: Path) -> Path:
    write(root, "00-installer-config.yaml", INSTALLER)
    return root / DIR / "00-installer-config.yaml"


def test_installer_file_reads_as_netcf_xml(root, installer):
    xml = parse_xml(dumpxml(root, "enp1s0").encode())
    assert [(ip.get("address"), ip.get("prefix")) for ip in xml.iter("ip")] == [
        ("192.168.122.20", "24"), ("192.168.122.21", "24")]
    assert xml.find("protocol/route").get("gateway") == "192.168.122.1"
    assert parse_xml(dumpxml(root, "enp2s0").encode()).find("start").get("mode") == "hotplug"
    with cfg(root) as c:
        assert c.list_interfaces() == ["enp1s0", "enp2s0"]


@pytest.mark.parametrize("name", ["enp1s0", "enp2s0"])
def test_redefining_what_dumpxml_printed_changes_no_byte(root, installer, name):
    before = installer.read_text()
    define(root, dumpxml(root, name))
    assert installer.read_text() == before


@pytest.mark.parametrize(("old", "new", "want"), [
    ('address="192.168.122.21"', 'address="192.168.122.22"',
     ['-            addresses: [192.168.122.20/24, "192.168.122.21/24"]',
      '+            addresses: [192.168.122.20/24, "192.168.122.22/24"]']),
    ('<start mode="onboot"/>', '<start mode="none"/>', ["+            activation-mode: manual"]),
    ('<start mode="onboot"/>', '<start mode="onboot"/><mtu size="9000"/>', ["+            mtu: 9000"]),
    ('gateway="192.168.122.1"', 'gateway="192.168.122.2"',
     ["-                via: 192.168.122.1", "+                via: 192.168.122.2"]),
])
def test_a_one_value_change_is_a_one_line_diff(root, installer, old, new, want):
    before = installer.read_text()
    xml = dumpxml(root, "enp1s0")
    assert old in xml
    define(root, xml.replace(old, new, 1))
    assert diff(before, installer.read_text()) == want
    judge(root)


def test_a_change_in_a_four_space_file_gets_four_spaces(root, installer):
    xml = dumpxml(root, "enp2s0").replace("<dhcp/>", "<dhcp/></protocol><protocol family='ipv6'><autoconf/>")
    define(root, xml)
    assert diff(textwrap.dedent(INSTALLER), installer.read_text()) == ["+            accept-ra: true"]


def test_a_changed_boolean_keeps_the_files_spelling_where_it_stays(root, installer):
    define(root, dumpxml(root, "enp2s0").replace('<start mode="hotplug"/>', '<start mode="onboot"/>'))
    text = installer.read_text()
    assert "dhcp4: yes" in text and "optional" not in text
    assert "dhcp6: no" in text  # enp1s0's explicit default stays


def test_a_new_bridge_over_an_installer_nic(root, installer):
    """What share does: the NIC's addresses move to a new bridge in
    60-augnetcf.yaml, and with them what the XML does not model but belongs
    to them (the VPN route, the name servers); the NIC keeps its place."""
    xml = dumpxml(root, "enp1s0")
    ip = xml[xml.index("<protocol"):xml.rindex("</protocol>") + len("</protocol>")]
    define(root, f'<interface type="bridge" name="br0"><start mode="onboot"/>{ip}<bridge stp="off" '
                 'delay="0"><interface type="ethernet" name="enp1s0"/></bridge></interface>')
    text = installer.read_text()
    assert "192.168.122.20" not in text and "192.168.122.254" not in text
    assert "search: [example.com]" in text and "dhcp4: yes" in text
    br0 = YAML(typ="safe").load((root / NEW).read_text())["network"]["bridges"]["br0"]
    assert br0["addresses"] == ["192.168.122.20/24", "192.168.122.21/24"]
    assert br0["routes"] == [{"to": "default", "via": "192.168.122.1"},
                             {"to": "10.8.0.0/16", "via": "192.168.122.254", "metric": 50}]
    assert br0["nameservers"] == {"addresses": ["192.168.122.1"], "search": ["example.com"]}
    assert stat.S_IMODE((root / NEW).stat().st_mode) == 0o600
    judge(root)
    define(root, dumpxml(root, "br0"))  # and the result is a fixed point
    with cfg(root) as c:
        c.undefine("br0")
    assert not (root / NEW).exists()  # the file goes with its last definition


def test_gateway4_reads_as_the_default_route(root):
    write(root, "50-old.yaml", """\
        network:
          version: 2
          ethernets:
            eth0:
              addresses: [10.0.0.5/24]
              gateway4: 10.0.0.1
        """)
    assert parse_xml(dumpxml(root, "eth0").encode()).find("protocol/route").get("gateway") == "10.0.0.1"
    before = (root / DIR / "50-old.yaml").read_text()
    define(root, dumpxml(root, "eth0"))
    assert (root / DIR / "50-old.yaml").read_text() == before


def test_set_name_and_match_name_the_interface(root):
    write(root, "50-cloud.yaml", """\
        network:
          version: 2
          ethernets:
            lan:
              match:
                macaddress: "52:54:00:12:34:56"
              set-name: eth7
              dhcp4: true
            wan:
              match:
                name: enp9s0
              dhcp4: true
            any:
              match:
                name: en*
        """)
    with cfg(root) as c:
        assert sorted(c.list_interfaces()) == ["enp9s0", "eth7"]
    xml = parse_xml(dumpxml(root, "eth7").encode())
    assert xml.find("mac").get("address") == "52:54:00:12:34:56"


# -- netplan's rules ------------------------------------------------------------------

def test_run_hides_etc_which_hides_lib(root):
    for where, mtu in (("lib/netplan", 1400), (DIR, 1500), ("run/netplan", 9000)):
        write(root, "50-x.yaml", f"network:\n  ethernets:\n    eth0:\n      mtu: {mtu}\n", where)
    assert parse_xml(dumpxml(root, "eth0").encode()).find("mtu").get("size") == "9000"
    (root / "run/netplan/50-x.yaml").unlink()
    assert parse_xml(dumpxml(root, "eth0").encode()).find("mtu").get("size") == "1500"


def test_a_definition_in_run_is_not_written(root):
    write(root, "90-runtime.yaml", "network:\n  ethernets:\n    eth0:\n      dhcp4: true\n", "run/netplan")
    before = snapshot_tree(root)
    with pytest.raises(FileError, match="only reads it"):
        define(root, '<interface type="ethernet" name="eth0"><start mode="onboot"/></interface>')
    assert snapshot_tree(root) == before


def test_a_definition_spread_over_two_files_is_refused(root):
    write(root, "50-a.yaml", "network:\n  ethernets:\n    eth0:\n      dhcp4: true\n")
    write(root, "60-b.yaml", "network:\n  ethernets:\n    eth0:\n      mtu: 9000\n")
    with pytest.raises(FileError, match="several netplan files"):  # the files say what XML cannot
        dumpxml(root, "eth0")
    before = snapshot_tree(root)
    with pytest.raises(Unsupported, match="several netplan files"):
        define(root, '<interface type="ethernet" name="eth0"><start mode="onboot"/></interface>')
    assert snapshot_tree(root) == before


def test_undefine_removes_one_definition_and_keeps_the_rest(root, installer):
    with cfg(root) as c:
        c.undefine("enp2s0")
    text = installer.read_text()
    assert "enp2s0" not in text and "enp1s0" in text and text.startswith("# This is the network config")
    judge(root)


# -- files that are not augnetcf's -------------------------------------------------------

CLOUD_INIT = """\
    # This file is generated from information provided by the datasource.  Changes
    # to it will not persist across an instance reboot.  To disable cloud-init's
    # network configuration capabilities, write a file
    # /etc/cloud/cloud.cfg.d/99-disable-network-config.cfg with the following:
    # network: {config: disabled}
    network:
        ethernets:
            eth0:
                dhcp4: true
                match:
                    macaddress: 52:54:00:ab:cd:ef
                set-name: eth0
        version: 2
    """


def test_cloud_inits_file_is_not_written_until_cloud_init_lets_go(root):
    path = write(root, "50-cloud-init.yaml", CLOUD_INIT)
    xml = dumpxml(root, "eth0").replace('<start mode="onboot"/>', '<start mode="onboot"/><mtu size="9000"/>')
    before = snapshot_tree(root)
    with pytest.raises(FileError, match="generated by cloud-init") as e:
        define(root, xml)
    assert e.value.file == str(path)
    assert snapshot_tree(root) == before
    write(root, "99-disable-network-config.cfg", "network: {config: disabled}\n", "etc/cloud/cloud.cfg.d")
    define(root, xml)
    assert diff(textwrap.dedent(CLOUD_INIT), path.read_text()) == ["+            mtu: 9000"]


def test_a_file_that_is_not_yaml_is_named_with_its_line(root, installer):
    write(root, "70-broken.yaml", "network:\n  ethernets:\n    eth9: [unclosed\n")
    with cfg(root) as c:
        broken = c.broken_files
        assert [(e.file, e.line) for e in broken] == [(str(root / DIR / "70-broken.yaml"), 4)]
        assert c.list_interfaces() == ["enp1s0", "enp2s0"]  # the others are still read
    before = snapshot_tree(root)
    with pytest.raises(FileError, match="70-broken.yaml"):
        define(root, '<interface type="ethernet" name="eth5"><start mode="onboot"/></interface>')
    assert snapshot_tree(root) == before


def test_a_planned_define_leaves_nothing_behind_for_the_real_one(root):
    """plan_define (share's preview) then define in one Config: the preview's
    new file must not linger in the session and be written twice."""
    with cfg(root) as c:
        xml = '<interface type="bridge" name="br9"><start mode="onboot"/><bridge/></interface>'
        assert [ch.path for ch in c.plan_define(xml)] == [NEW]
        assert not (root / NEW).exists()
        c.define(xml)
    assert YAML(typ="safe").load((root / NEW).read_text())["network"]["bridges"] == {"br9": {}}


def test_a_kept_config_reads_a_file_it_left_out_again_only_as_it_is_now(root, installer):
    """A kept Config's session keeps the parse of a file a change left out
    (the YAML of a big installer file takes seconds); taken in again, it is
    used only while the file is as it was: an edit made meanwhile by someone
    else survives the next change, and an edit that was never saved is gone."""
    bridge = ('<interface type="bridge" name="br9"><start mode="onboot"/>'
              '<bridge><interface type="ethernet" name="eth9"/></bridge></interface>')
    with cfg(root) as c:
        c.define(c.xml_desc("enp1s0").replace('<start mode="onboot"/>',
                                              '<start mode="onboot"/><mtu size="1400"/>'))
        c.define(bridge)  # a change that leaves the installer file out
        installer.write_text(installer.read_text().replace("dhcp6: no", "dhcp6: false"))
        c.define(c.xml_desc("enp1s0").replace('<mtu size="1400"/>', '<mtu size="1500"/>'))
        text = installer.read_text()
        assert "dhcp6: false" in text and "mtu: 1500" in text
        # a description that is refused leaves no trace in the next change
        with pytest.raises(augnetcf.AugnetcfError):
            c.define(c.xml_desc("enp1s0").replace('<mtu size="1500"/>', '<mtu size="1500"/><bond/>'))
        c.undefine("br9")
        c.define(c.xml_desc("enp1s0").replace('<mtu size="1500"/>', '<mtu size="1600"/>'))
    assert diff(textwrap.dedent(INSTALLER), installer.read_text()) == [
        "-            dhcp6: no", "+            dhcp6: false", "+            mtu: 1600"]
    judge(root)
