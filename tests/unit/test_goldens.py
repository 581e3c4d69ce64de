"""The pure layer against netcf's golden files, without libaugeas.

* interface XML -> forest equals netcf's ``redhat/schema/X.xml`` exactly
  (tree paths, labels and values, in order);
* that forest -> interface XML equals ``interface/X.xml`` under netcf's equality;
* the XPath extension functions the stylesheets call;
* ``schema.check_name``, the kernel's (and the shell's) rules for names;
* the transforms never need the ``augeas`` module.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import NETCF, netcf_cases
from lxml import etree
from netcf_equal import forest_trees, parse_xml, xml_diff

from augnetcf import backends, schema, xslt
from augnetcf.errors import XMLInvalid

REDHAT = backends.get("redhat")
CASES = netcf_cases("redhat")

#: The redhat transform cases netcf's own tests ran (tests/data/netcf/README.md).
NETCF_REDHAT_CASES = {
    "bond", "bond-arp", "bond-defaults", "bridge", "bridge-no-address", "bridge-vlan", "bridge-empty",
    "bridge-bond", "bridge-multi", "bridge-multi-all", "ethernet-static", "ethernet-static-no-prefix",
    "ethernet-dhcp", "vlan", "ipv6-local", "ipv6-static", "ipv6-dhcp", "ipv6-autoconf",
    "ipv6-autoconf-dhcp", "ipv6-static-multi",
}


def interface_doc(case: str) -> etree._ElementTree:
    path = NETCF / "interface" / f"{case}.xml"
    return schema.load(path.read_bytes(), str(path))


def golden_forest(case: str) -> etree._Element:
    return parse_xml(NETCF / "redhat" / "schema" / f"{case}.xml")


def test_every_case_netcf_tested_is_present():
    assert set(CASES) == NETCF_REDHAT_CASES


# -- (a) interface XML -> forest ---------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_to_forest_equals_netcf_trees(case):
    got = xslt.to_forest(interface_doc(case), REDHAT)
    assert got.tag == "forest"
    assert forest_trees(got) == forest_trees(golden_forest(case))


@pytest.mark.parametrize("case", CASES)
def test_to_forest_puts_the_interface_itself_first(case):
    name = interface_doc(case).getroot().get("name")
    first = xslt.to_forest(interface_doc(case), REDHAT).find("tree")
    assert first.get("path") == f"/files/etc/sysconfig/network-scripts/ifcfg-{name}"


# -- (b) forest -> interface XML ---------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_from_forest_equals_netcf_interface(case):
    want = parse_xml(NETCF / "interface" / f"{case}.xml")
    got = xslt.from_forest(golden_forest(case), REDHAT, want.get("name"))
    assert xml_diff(want, got) is None, etree.tostring(got, pretty_print=True).decode()


@pytest.mark.parametrize("case", CASES)
def test_from_forest_output_is_valid_for_our_grammar(case):
    name = interface_doc(case).getroot().get("name")
    got = xslt.from_forest(golden_forest(case), REDHAT, name)
    schema.validate(etree.ElementTree(got), f"from_forest({case})")


# -- the oracle itself: netcf's equality, with ports and slaves as sets -------------------------

def _eq(a: str, b: str) -> bool:
    return xml_diff(parse_xml(a), parse_xml(b)) is None


@pytest.mark.parametrize(("a", "b", "equal"), [
    pytest.param('<interface name="a"><start mode="onboot"/></interface>',
                 '<interface name="a">\n  <!-- c --><start mode="onboot">text</start>\n</interface>',
                 True, id="text-comments-whitespace-ignored"),
    pytest.param('<interface name="a"/>', '<interface name="b"/>', False, id="attribute-value"),
    pytest.param('<interface name="a"/>', '<interface name="a" type="x"/>', False, id="attribute-set"),
    pytest.param('<i><protocol family="ipv4"/><protocol family="ipv6"/></i>',
                 '<i><protocol family="ipv6"/><protocol family="ipv4"/></i>', False, id="element-order"),
    pytest.param('<i><bridge><interface name="p1"/><interface name="p2"/></bridge></i>',
                 '<i><bridge><interface name="p2"/><interface name="p1"/></bridge></i>',
                 True, id="bridge-ports-are-a-set"),
    pytest.param('<i><bond mode="balance-rr"><interface name="s1"/><interface name="s2"/></bond></i>',
                 '<i><bond mode="balance-rr"><interface name="s2"/><interface name="s1"/></bond></i>',
                 True, id="bond-slaves-are-a-set"),
    pytest.param('<i><bond mode="active-backup"><interface name="s1"/><interface name="s2"/></bond></i>',
                 '<i><bond mode="active-backup"><interface name="s2"/><interface name="s1"/></bond></i>',
                 False, id="active-backup-primary-stays-first"),
    pytest.param('<i><bond mode="active-backup"><miimon freq="1"/>'
                 '<interface name="s1"/><interface name="s2"/></bond></i>',
                 '<i><bond mode="active-backup"><miimon freq="1"/>'
                 '<interface name="s2"/><interface name="s1"/></bond></i>',
                 False, id="active-backup-primary-stays-first-after-miimon"),
    pytest.param('<i><bond mode="active-backup"><miimon freq="1"/><interface name="s1"/>'
                 '<interface name="s2"/><interface name="s3"/></bond></i>',
                 '<i><bond mode="active-backup"><miimon freq="1"/><interface name="s1"/>'
                 '<interface name="s3"/><interface name="s2"/></bond></i>',
                 True, id="active-backup-backups-are-a-set"),
    pytest.param('<i><bond mode="balance-rr"><miimon freq="1"/><interface name="s1"/></bond></i>',
                 '<i><bond mode="balance-rr"><miimon freq="2"/><interface name="s1"/></bond></i>',
                 False, id="bond-monitor-still-compared"),
    pytest.param('<i><bridge><interface name="p1"/></bridge></i>',
                 '<i><bridge><interface name="p1"/><interface name="p2"/></bridge></i>',
                 False, id="missing-port"),
])
def test_netcf_equality(a, b, equal):
    assert _eq(a, b) is equal
    assert _eq(b, a) is equal


# -- the extension functions -------------------------------------------------------------------

@pytest.mark.parametrize(("prefix", "netmask"), [
    ("0", "0.0.0.0"), ("1", "128.0.0.0"), ("8", "255.0.0.0"), ("12", "255.240.0.0"),
    ("24", "255.255.255.0"), ("31", "255.255.255.254"), ("32", "255.255.255.255"),
])
def test_netmask_and_prefix_are_inverse(prefix, netmask):
    assert xslt._netmask(None, prefix) == netmask
    assert xslt._prefix(None, netmask) == prefix


@pytest.mark.parametrize(("text", "want"), [
    pytest.param("24", "24", id="bare-prefix-passes-through"),
    pytest.param(" 255.255.0.0 ", "16", id="surrounding-space"),
    pytest.param("", "", id="empty"),
    pytest.param("not-a-mask", "", id="garbage"),
    pytest.param(["255.255.255.0"], "24", id="node-set"),
    pytest.param([], "", id="empty-node-set"),
])
def test_prefix(text, want):
    assert xslt._prefix(None, text) == want


@pytest.mark.parametrize("mask", ["255.0.255.0", "0.255.255.255", "255.255.255.253"])
def test_prefix_refuses_a_non_contiguous_netmask(mask):
    """Regression: netaddr's netmask_bits() answers 32 for any non-contiguous mask, so a bad
    NETMASK became a host address (initscripts' ipcalc refuses such a mask)."""
    assert xslt._prefix(None, mask) == ""


@pytest.mark.parametrize(("opts", "key", "want"), [
    pytest.param("mode=active-backup primary=eth1", "mode", "active-backup", id="mode-by-name"),
    pytest.param("mode=1 miimon=100", "mode", "active-backup", id="mode-1-is-active-backup"),
    pytest.param("mode=0", "mode", "balance-rr", id="mode-0"),
    pytest.param("mode=4", "mode", "802.3ad", id="mode-4"),
    pytest.param("mode=6", "mode", "balance-alb", id="mode-6"),
    pytest.param("mode=7", "mode", "7", id="unknown-mode-number-passes-through"),
    pytest.param("arp_validate=0", "arp_validate", "none", id="arp-validate-0"),
    pytest.param("arp_validate=1", "arp_validate", "active", id="arp-validate-1"),
    pytest.param("arp_validate=2", "arp_validate", "backup", id="arp-validate-2"),
    pytest.param("arp_validate=3", "arp_validate", "all", id="arp-validate-3"),
    pytest.param("arp_validate=backup", "arp_validate", "backup", id="arp-validate-by-name"),
    pytest.param("arp_interval=1 arp_ip_target=10.0.0.1,10.0.0.2", "arp_ip_target", "10.0.0.1",
                 id="first-arp-target"),
    pytest.param("  mode=1\tmiimon=100  primary=eth1 ", "primary", "eth1", id="any-whitespace"),
    pytest.param("miimon=100 junk updelay=5", "updelay", "5", id="word-without-equals-ignored"),
    pytest.param("miimon=100", "mode", "", id="missing-key"),
    pytest.param("", "mode", "", id="empty-options"),
    pytest.param("miimon=1", "miimon=1", "", id="key-is-not-a-pattern"),
    pytest.param(["mode=2"], ["mode"], "balance-xor", id="node-sets"),
])
def test_bond_option(opts, key, want):
    assert xslt._bond_option(None, opts, key) == want


@pytest.mark.parametrize(("text", "want"), [
    pytest.param("aa:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:ff", id="canonical"),
    pytest.param("AA:bb:CC:dd:EE:ff", "aa:bb:cc:dd:ee:ff", id="mixed-case"),
    pytest.param("00-1C-C0-89-DD-01", "00:1c:c0:89:dd:01", id="dashes"),
    pytest.param("aabb.ccdd.eeff", "aa:bb:cc:dd:ee:ff", id="cisco-dots"),
    pytest.param("0:1:2:3:4:5", "00:01:02:03:04:05", id="unpadded"),
    pytest.param("", "", id="empty"),
    pytest.param("not a mac", "", id="garbage"),
    pytest.param("aa:bb:cc:dd:ee", "", id="five-octets"),
    pytest.param(["AA:BB:CC:DD:EE:FF"], "aa:bb:cc:dd:ee:ff", id="node-set"),
    pytest.param([], "", id="empty-node-set"),
])
def test_mac(text, want):
    assert xslt._mac(None, text) == want


def test_mac_of_an_eui64_address_is_empty():
    """Regression: netaddr raised IndexError formatting an 8-octet address as a MAC."""
    assert xslt._mac(None, "00:11:22:33:44:55:66:77") == ""


@pytest.mark.parametrize("text", ["1", "0", "281474976710655", "0x1"])
def test_mac_of_a_bare_number_is_empty(text):
    """Regression: netaddr.EUI takes integers, so HWADDR=1 was reported as 00:00:00:00:00:01."""
    assert xslt._mac(None, text) == ""


@pytest.mark.parametrize(("name", "device", "tag"), [
    pytest.param("eth0.42", "eth0", "42", id="device-dot-tag"),
    pytest.param("eth0.042", "eth0", "42", id="leading-zero-tag"),
    pytest.param("bond0.4094", "bond0", "4094", id="max-tag"),
    pytest.param("a.b.7", "a.b", "7", id="last-dot-splits"),
    pytest.param("eth0", "", "", id="no-dot"),
    pytest.param("eth0.x", "", "", id="tag-not-numeric"),
    pytest.param("eth0.", "", "", id="empty-tag"),
    pytest.param("eth0.-1", "", "", id="negative-tag"),
    pytest.param("", "", "", id="empty"),
    pytest.param(["eth1.5"], "eth1", "5", id="node-set"),
])
def test_vlan_device_and_tag(name, device, tag):
    assert xslt._vlan_device(None, name) == device
    assert xslt._vlan_tag(None, name) == tag


@pytest.mark.parametrize("tag", ["\u00b2", "\u0664\u0662"], ids=["superscript-two", "arabic-indic-42"])
def test_vlan_tag_with_a_unicode_digit_is_empty(tag):
    """Regression: str.isdigit() is true for these, and int() refused '\u00b2' with a ValueError."""
    assert xslt._vlan_tag(None, f"eth0.{tag}") == ""
    assert xslt._vlan_device(None, f"eth0.{tag}") == ""


@pytest.mark.parametrize("key", ["mode", "arp_validate"])
@pytest.mark.parametrize("value", ["\u00b2", "\u0661"], ids=["superscript-two", "arabic-indic-one"])
def test_bond_option_with_a_unicode_digit_passes_through(key, value):
    """Regression: '\u00b2' made int() raise ValueError; '\u0661' was read as mode 1."""
    assert xslt._bond_option(None, f"{key}={value}", key) == value


@pytest.mark.parametrize(("expr", "want"), [
    ("ancf:netmask(@p)", "255.255.255.0"),
    ("ancf:prefix(@m)", "16"),
    ("ancf:bond-option(@o, 'mode')", "active-backup"),
    ("ancf:mac(@h)", "aa:bb:cc:dd:ee:ff"),
    ("ancf:vlan-device(@n)", "eth0"),
    ("ancf:vlan-tag(@n)", "42"),
])
def test_functions_are_registered_for_xpath(expr, want):
    el = etree.XML('<x p="24" m="255.255.0.0" o="mode=1" h="AA:BB:CC:DD:EE:FF" n="eth0.42"/>')
    assert el.xpath(expr, namespaces={"ancf": xslt.NS}) == want


# -- interface names ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "eth0", "a", "a" * 15, "br-0", "bond_0", "eth0.42", "eth0:1", "Wlan0", "0",
])
def test_check_name_accepts(name):
    assert schema.check_name(name) is None


@pytest.mark.parametrize(("name", "why"), [
    pytest.param("", "is empty", id="empty"),
    pytest.param("a" * 16, "longer than 15 bytes", id="16-bytes"),
    pytest.param("a" * 14 + "\u00e9", "longer than 15 bytes", id="15-chars-16-bytes-utf8"),
    pytest.param("\u00e9" * 8, "longer than 15 bytes", id="8-chars-16-bytes-utf8"),
    pytest.param("\u00e9th0", "only ASCII", id="short-non-ascii"),
    pytest.param(".", "'.' or '..'", id="dot"),
    pytest.param("..", "'.' or '..'", id="dotdot"),
    pytest.param("a/b", "'/'", id="slash"),
    pytest.param("/", "'/'", id="only-slash"),
    pytest.param("a b", "whitespace", id="space"),
    pytest.param("a\tb", "whitespace", id="tab"),
    pytest.param("a\nb", "whitespace", id="newline"),
    pytest.param("eth0\n", "whitespace", id="trailing-newline"),
    pytest.param("a$b", "shell metacharacters", id="dollar"),
    pytest.param("a`b", "shell metacharacters", id="backquote"),
    pytest.param("a'b", "shell metacharacters", id="single-quote"),
    pytest.param('a"b', "shell metacharacters", id="double-quote"),
    pytest.param("a;b", "shell metacharacters", id="semicolon"),
    pytest.param("a\\b", "shell metacharacters", id="backslash"),
    pytest.param("$(id)", "shell metacharacters", id="command-substitution"),
])
def test_check_name_refuses(name, why):
    reason = schema.check_name(name)
    assert reason is not None and why in reason


def test_a_refused_name_is_an_invalid_document_naming_its_line():
    doc = '<interface type="ethernet" name="eth0">\n  <start mode="none"/>\n</interface>'
    schema.load(doc)
    bad = doc.replace('name="eth0"', 'name="' + "a" * 16 + '"')
    with pytest.raises(XMLInvalid, match="longer than 15 bytes") as exc:
        schema.load(bad, "bad.xml")
    assert exc.value.file == "bad.xml"
    assert exc.value.line == 1


# -- the pure layer does not need libaugeas ----------------------------------------------------

def test_transforms_do_not_import_augeas():
    """Regression: augnetcf/__init__.py imported .config (-> .aug -> augeas) eagerly."""
    script = textwrap.dedent(f"""
        import sys, augnetcf.xslt, augnetcf.schema, augnetcf.backends
        b = augnetcf.backends.get("redhat")
        data = open({str(NETCF / "interface" / "bridge.xml")!r}, "rb").read()
        forest = augnetcf.xslt.to_forest(augnetcf.schema.load(data), b)
        doc = augnetcf.xslt.from_forest(forest, b, "br0")
        assert doc.get("name") == "br0", doc
        loaded = sorted(m for m in sys.modules if m == "augeas" or m.startswith("augeas."))
        assert not loaded, loaded
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
