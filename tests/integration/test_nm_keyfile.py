"""The nm-keyfile backend on real libaugeas and temporary roots, judged by NetworkManager.

* every netcf case is written exactly as its golden file says, and
  NetworkManager (``nmcli --offline``) accepts every file and reads it as we
  meant it;
* connections are found by ``interface-name``, whatever their file is called,
  and a port may name its master by UUID or connection id;
* a redefine keeps the UUID, the id, the file's mode, comments and keys
  augnetcf does not own; redefining what dumpxml printed changes no byte, and
  a one-attribute change touches only its line;
* new files are ``NAME.nmconnection`` with mode 0600;
* what keyfiles cannot say is refused with nothing written.
"""

from __future__ import annotations

import difflib
import stat
import textwrap
from pathlib import Path

import judges
import pytest
from conftest import DATA, NETCF, snapshot_tree
from ini_forest import UUID
from netcf_equal import parse_xml, xml_diff

import augnetcf

DIR = "etc/NetworkManager/system-connections"
CASES = sorted(p.stem for p in (DATA / "goldens" / "nm-keyfile").glob("*.txt"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / DIR).mkdir(parents=True)
    return tmp_path


@pytest.fixture(scope="module")
def nmcli() -> str:
    prog = judges.nmcli()
    assert prog, f"NetworkManager's nmcli is the judge of these tests: {judges.nmcli_problem()}"
    return prog


def cfg(root: Path) -> augnetcf.Config:
    return augnetcf.Config(str(root), "nm-keyfile")


def written(root: Path) -> str:
    """The files under the root as the golden files spell them (``== PATH``, uuid=UUID)."""
    out = []
    for path in sorted((root / DIR).iterdir()):
        out.append(f"== /{path.relative_to(root)}")
        for line in path.read_text().splitlines():
            key, _, value = line.partition("=")
            out.append("uuid=UUID" if key == "uuid" and UUID.match(value) else line)
    return "\n".join(out) + "\n"


def golden_files(case: str) -> str:
    text = (DATA / "goldens" / "nm-keyfile" / f"{case}.txt").read_text()
    blocks = text.split("== ")[1:]
    return "".join("== " + b for b in sorted(blocks))


@pytest.mark.parametrize("case", CASES)
def test_each_case_writes_its_golden_files_with_mode_0600(root, case):
    xml = (NETCF / "interface" / f"{case}.xml").read_bytes()
    with cfg(root) as c:
        name = c.define(xml, case).name
        got = c.xml_desc(name)
    assert written(root) == golden_files(case)
    assert xml_diff(parse_xml(xml), parse_xml(got)) is None, got
    for path in (root / DIR).iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.parametrize("case", CASES)
def test_networkmanager_accepts_each_file_as_we_mean_it(root, case, nmcli):
    with cfg(root) as c:
        c.define((NETCF / "interface" / f"{case}.xml").read_bytes(), case)
    for path in sorted((root / DIR).iterdir()):
        settings = judges.nmcli_check(path)
        section = None
        for line in path.read_text().splitlines():
            if line.startswith("["):
                section = line[1:-1]
                continue
            key, _, value = line.partition("=")
            got = settings.get(section, {}).get(key)
            if key == "mac-address":
                got, value = (got or "").lower(), value.lower()
            if key.startswith("address") and "/" not in value:  # NetworkManager's default prefix
                addr, sep, gw = value.partition(",")
                value = f"{addr}/{64 if ':' in addr else 24}{sep}{gw}"
            assert got == value, f"{path.name}: [{section}] {key}={value}, NetworkManager reads {got!r}"


HAND_WRITTEN = """\
# Written by hand, after nmcli.
[connection]
id=Wired connection 1
uuid=7a1c3ad3-5f34-4c36-9a8c-0b0f6f8c1e01
type=ethernet
autoconnect-priority=-999
interface-name=eth0
timestamp=1700000000

[ethernet]
mac-address=52:54:00:12:34:56
mtu=1500

[ipv4]
# static, see ticket 42
address1=192.168.1.10/24,192.168.1.1
dns=192.168.1.1;
method=manual

[ipv6]
addr-gen-mode=stable-privacy
method=auto

[proxy]
"""


@pytest.fixture
def hand(root: Path) -> Path:
    path = root / DIR / "Wired connection 1.nmconnection"
    path.write_text(HAND_WRITTEN)
    path.chmod(0o600)
    return path


def test_a_connection_is_found_by_interface_name_not_file_name(root, hand):
    with cfg(root) as c:
        assert c.list_interfaces() == ["eth0"]
        assert 'address="192.168.1.10"' in c.xml_desc("eth0")


def test_redefining_what_dumpxml_printed_changes_no_byte(root, hand):
    before = snapshot_tree(root)
    with cfg(root) as c:
        c.define(c.xml_desc("eth0"))
    assert snapshot_tree(root) == before


def test_a_changed_mtu_changes_only_the_mtu_line_and_keeps_uuid_id_and_mode(root, hand):
    with cfg(root) as c:
        xml = c.xml_desc("eth0").replace('<mtu size="1500"/>', '<mtu size="9000"/>')
        c.define(xml)
    diff = [d for d in difflib.unified_diff(HAND_WRITTEN.splitlines(), hand.read_text().splitlines(), n=0,
                                            lineterm="") if d[:1] in "+-" and d[:3] not in ("+++", "---")]
    assert diff == ["-mtu=1500", "+mtu=9000"]
    assert stat.S_IMODE(hand.stat().st_mode) == 0o600
    assert sorted(p.name for p in (root / DIR).iterdir()) == ["Wired connection 1.nmconnection"]


def test_a_new_description_edits_the_file_in_place(root, hand):
    with cfg(root) as c:
        c.define('<interface type="ethernet" name="eth0"><start mode="none"/>'
                 '<protocol family="ipv4"><dhcp peerdns="no"/></protocol></interface>')
    text = hand.read_text()
    for kept in ("# Written by hand", "id=Wired connection 1", "uuid=7a1c3ad3-5f34-4c36-9a8c-0b0f6f8c1e01",
                 "autoconnect-priority=-999", "timestamp=1700000000", "# static, see ticket 42",
                 "dns=192.168.1.1;", "addr-gen-mode=stable-privacy", "[proxy]"):
        assert kept in text
    for gone in ("mac-address", "mtu=", "address1"):
        assert gone not in text
    assert "autoconnect=false" in text and "method=auto" in text and "ignore-auto-dns=true" in text
    assert "method=ignore" in text  # no ipv6 protocol: NetworkManager leaves IPv6 alone


def test_a_port_naming_its_master_by_uuid_belongs_to_it(root):
    (root / DIR / "bridge.nmconnection").write_text(textwrap.dedent("""\
        [connection]
        id=bridge-br0
        uuid=0b2f4a32-39c4-4c2a-9f0e-6b3c2a1d0e11
        type=bridge
        interface-name=br0
        [ipv4]
        method=auto
        """))
    (root / DIR / "port.nmconnection").write_text(textwrap.dedent("""\
        [connection]
        id=bridge-slave-eth0
        uuid=4c6f2b10-8d1e-4b8f-a7a5-2f1d1b0c9a22
        type=ethernet
        interface-name=eth0
        master=0b2f4a32-39c4-4c2a-9f0e-6b3c2a1d0e11
        slave-type=bridge
        """))
    with cfg(root) as c:
        assert c.list_interfaces() == ["br0"]
        assert '<interface type="ethernet" name="eth0"/>' in c.xml_desc("br0")
        before = snapshot_tree(root)
        c.define(c.xml_desc("br0"))
        assert snapshot_tree(root) == before
        c.undefine("br0")
    assert list((root / DIR).iterdir()) == []


def test_a_port_naming_its_master_by_id_follows_a_renamed_id(root):
    """By connection id too; and an id changed on disk is seen by the next
    question on the same Config (the id -> tree map is per forest read)."""
    bridge = root / DIR / "bridge.nmconnection"
    bridge.write_text("[connection]\nid=uplink\ntype=bridge\ninterface-name=br0\n")
    (root / DIR / "port.nmconnection").write_text(
        "[connection]\nid=eth0\ntype=ethernet\ninterface-name=eth0\nmaster=uplink\nslave-type=bridge\n")
    with cfg(root) as c:
        assert c.list_interfaces() == ["br0"]
        assert '<interface type="ethernet" name="eth0"/>' in c.xml_desc("br0")
        bridge.write_text("[connection]\nid=renamed\ntype=bridge\ninterface-name=br0\n")
        assert '<interface type="ethernet" name="eth0"/>' not in c.xml_desc("br0")


def test_other_connection_types_are_left_alone(root):
    wifi = root / DIR / "home.nmconnection"
    wifi.write_text("[connection]\nid=home\ntype=wifi\ninterface-name=wlan0\n[wifi]\nssid=home\n")
    with cfg(root) as c:
        assert c.list_interfaces() == []
        c.define('<interface type="ethernet" name="eth0"><start mode="onboot"/></interface>')
        assert c.list_interfaces() == ["eth0"]
    assert wifi.read_text().startswith("[connection]\nid=home\n")


def test_dropped_ports_lose_their_files(root):
    with cfg(root) as c:
        c.define((NETCF / "interface" / "bridge-bond.xml").read_bytes())
        c.define('<interface type="bridge" name="br0"><start mode="onboot"/><bridge>'
                 '<interface type="ethernet" name="eth0"/></bridge></interface>')
        assert c.xml_desc("br0").count("<interface ") == 2
    assert sorted(p.name for p in (root / DIR).iterdir()) == ["br0.nmconnection", "eth0.nmconnection"]


@pytest.mark.parametrize(("xml", "element"), [
    ('<interface type="ethernet" name="eth0"><start mode="hotplug"/></interface>', "<start mode='hotplug'>"),
    ('<interface type="ethernet" name="eth0"><protocol family="ipv4"><route gateway="10.0.0.1"/></protocol>'
     '</interface>', "<protocol family='ipv4'>"),
    ('<interface type="bridge" name="br0"><bridge delay="2.5"/></interface>', "<bridge delay='2.5'>"),
    ('<interface type="ethernet" name="eth0"><protocol family="ipv6"><autoconf/><dhcp/></protocol>'
     '</interface>', "<protocol family='ipv6'>"),
])
def test_what_keyfiles_cannot_say_is_refused_with_nothing_written(root, hand, xml, element):
    before = snapshot_tree(root)
    with cfg(root) as c, pytest.raises(augnetcf.Unsupported) as exc:
        c.define(xml, "x.xml")
    assert exc.value.message.startswith(element) and "nm-keyfile" in exc.value.message
    assert exc.value.file == "x.xml" and exc.value.line == 1
    assert snapshot_tree(root) == before


def test_the_command_works_the_same(root, hand, capsys):
    from augnetcf import cli

    assert cli.main(["--root", str(root), "--backend", "nm-keyfile", "list"]) == 0
    assert capsys.readouterr().out == "eth0\n"
    assert cli.main(["--root", str(root), "--backend", "nm-keyfile", "undefine", "eth0"]) == 0
    assert not hand.exists()


def test_uuid_of_a_new_file_is_fresh_and_survives_redefines(root):
    with cfg(root) as c:
        c.define('<interface type="ethernet" name="eth0"><start mode="onboot"/></interface>')
        first = (root / DIR / "eth0.nmconnection").read_text()
        c.define('<interface type="ethernet" name="eth0"><start mode="none"/></interface>')
    second = (root / DIR / "eth0.nmconnection").read_text()
    uuid = [line for line in first.splitlines() if line.startswith("uuid=")]
    assert len(uuid) == 1 and UUID.match(uuid[0][5:]) and uuid[0] in second.splitlines()


def test_blanks_around_the_equals_sign_are_read_as_networkmanager_reads_them(root, nmcli):
    path = root / DIR / "spaced.nmconnection"
    text = "[connection]\nid = spaced\ntype = ethernet\ninterface-name = eth0\nautoconnect = false\n"
    path.write_text(text)
    assert judges.nmcli_check(path)["connection"]["autoconnect"] == "false"
    with cfg(root) as c:
        assert '<start mode="none"/>' in c.xml_desc("eth0")
        c.define(c.xml_desc("eth0").replace('<start mode="none"/>', '<start mode="onboot"/>'))
    after = path.read_text()
    # autoconnect=true is NetworkManager's default: the line goes rather than change; the rest stays
    assert after.startswith("[connection]\nid = spaced\ntype = ethernet\ninterface-name = eth0\nuuid=")
    assert "autoconnect" not in after
    assert judges.nmcli_check(path)["connection"].get("autoconnect", "true") == "true"


# -- the file's own words, and what NetworkManager itself rejects ------------------------------------------
DISABLED = """\
[connection]
id=uplink
uuid=0b8b5f5e-6c8c-4b0a-9d8e-6e9c6d7a1b2c
type=ethernet
interface-name=eth0

[ipv4]
method=manual
address1=192.168.1.10/24,192.168.1.1

[ipv6]
method=disabled
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [d for d in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
            if d[:1] in "+-" and d[:3] not in ("+++", "---")]


def test_ipv6_method_disabled_survives_an_edit_that_does_not_mention_ipv6(root):
    path = root / DIR / "uplink.nmconnection"
    path.write_text(DISABLED)
    path.chmod(0o600)
    with cfg(root) as c:
        xml = c.xml_desc("eth0")
        assert "ipv6" not in xml
        c.define(xml.replace("192.168.1.10", "192.168.1.11"))
    assert changed_lines(DISABLED, path.read_text()) == [
        "-address1=192.168.1.10/24,192.168.1.1", "+address1=192.168.1.11/24,192.168.1.1"]


@pytest.mark.parametrize("family", ["ipv4", "ipv6"])
def test_a_gateway_without_an_address_is_refused_not_printed(root, family):
    """NetworkManager rejects such a connection; define refuses that XML, so
    dumpxml must not print it either."""
    path = root / DIR / "eth0.nmconnection"
    gateway = "fe80::1" if family == "ipv6" else "192.168.1.1"
    path.write_text(f"[connection]\nid=eth0\ntype=ethernet\ninterface-name=eth0\n\n"
                    f"[{family}]\nmethod=auto\ngateway={gateway}\n")
    with cfg(root) as c, pytest.raises(augnetcf.Unsupported) as exc:
        c.xml_desc("eth0")
    assert exc.value.file.endswith("/eth0.nmconnection")
    assert f"[{family}] gateway={gateway}" in exc.value.message
