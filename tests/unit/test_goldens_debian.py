"""The Debian stylesheets against netcf's golden files, without libaugeas.

netcf's ``debian/schema/X.xml`` trees are written in its own dialect:
``<array label="auto"><element><node value="X"/></element></array>`` for the
``auto`` lines and ``<array label="iface"><element key="X">options</element></array>``
for the stanzas. :func:`netcf_forest` turns them into our forest, in the shape
the Ifupdown lens gives, as the stock Interfaces lens did
(``<node label="auto"><node label="1" value="X"/></node>``,
``<node label="iface" value="X">options</node>``). Then:

* (a) ``to_forest(interface/X.xml)`` says what netcf's trees say: the same
  ``auto`` set and the same stanzas (name, options in order), except for the
  two departures the README documents, applied to netcf's trees first
  (:func:`our_spelling`): ``vlan-raw-device`` for ``vlan_raw_device``, and
  ``ip -6 addr add|del A/P dev DEV`` for ``/sbin/ifconfig DEV inet6 add|del A/P``;
* (b) ``from_forest`` of netcf's trees, as netcf spelled them, gives back
  ``interface/X.xml`` under netcf's equality (and so does our own spelling);
* ``from_forest`` reads what people write by hand: ``address A/P``, dashed
  option names, ``allow-hotplug``, ``inet6 auto``, ``up ip addr add`` lines,
  and the array shape the stock lens gives ``bridge-ports`` and ``bond-slaves``.
"""

from __future__ import annotations

import copy
import re

import pytest
from conftest import NETCF, netcf_cases
from lxml import etree
from netcf_equal import parse_xml, xml_diff

from augnetcf import backends, schema, xslt

DEBIAN = backends.get("debian")
CASES = netcf_cases("debian")
INTERFACES = "/files/etc/network/interfaces"

#: The debian transform cases netcf's own tests ran (tests/data/netcf/README.md):
#: the redhat list without bridge-multi and bridge-multi-all.
NETCF_DEBIAN_CASES = {
    "bond", "bond-arp", "bond-defaults", "bridge", "bridge-no-address", "bridge-vlan", "bridge-empty",
    "bridge-bond", "ethernet-static", "ethernet-static-no-prefix", "ethernet-dhcp", "vlan", "ipv6-local",
    "ipv6-static", "ipv6-dhcp", "ipv6-autoconf", "ipv6-autoconf-dhcp", "ipv6-static-multi",
}

#: The cases whose netcf trees the two documented substitutions change.
SPELLING_CASES = {"vlan", "bridge-vlan", "ipv6-static-multi"}

#: (label of an entry line, interface) and (stanza name, [(label, value), ...]).
Mark = tuple[str, str]
Stanza = tuple[str, list[tuple[str, "str | None"]]]


# -- netcf's dialect -> our forest --------------------------------------------------------------

def netcf_forest(case: str) -> etree._Element:
    """netcf's ``debian/schema/X.xml`` as our forest, spelled exactly as netcf spelled it."""
    src = parse_xml(NETCF / "debian" / "schema" / f"{case}.xml")
    forest = etree.Element("forest")
    for src_tree in src.iterchildren("tree"):
        tree = etree.SubElement(forest, "tree", path=src_tree.get("path"))
        for array in src_tree.iterchildren("array"):
            label = array.get("label")
            for element in array.iterchildren("element"):
                if label == "iface":
                    stanza = etree.SubElement(tree, "node", label="iface", value=element.get("key"))
                    for opt in element.iterchildren("node"):
                        etree.SubElement(stanza, "node", label=opt.get("label"), value=opt.get("value"))
                else:  # auto: one line per element, its names numbered as the lens numbers them
                    line = etree.SubElement(tree, "node", label=label)
                    for i, name in enumerate(element.iterchildren("node"), 1):
                        etree.SubElement(line, "node", label=str(i), value=name.get("value"))
    return forest


_IFCONFIG = re.compile(r"^/sbin/ifconfig (?P<dev>\S+) inet6 (?P<op>add|del) (?P<cidr>\S+)$")


def our_spelling(forest: etree._Element) -> etree._Element:
    """A copy of *forest* with the README's two documented departures from netcf applied."""
    out = copy.deepcopy(forest)
    for node in out.iter("node"):
        if node.get("label") == "vlan_raw_device":
            node.set("label", "vlan-raw-device")
        m = _IFCONFIG.match(node.get("value") or "")
        if node.get("label") in ("up", "down") and m:
            node.set("value", f"ip -6 addr {m['op']} {m['cidr']} dev {m['dev']}")
    return out


def marks(forest: etree._Element) -> list[Mark]:
    """Sorted (label, name) of every ``auto``/``allow-*`` entry."""
    return sorted((line.get("label"), name.get("value"))
                  for tree in forest.iterchildren("tree")
                  for line in tree.iterchildren("node") if line.get("label") != "iface"
                  for name in line.iterchildren("node"))


def stanzas(forest: etree._Element) -> list[Stanza]:
    """Every ``iface`` stanza in document order, with its options (flat: neither side nests)."""
    out = []
    for stanza in forest.iterfind("tree/node[@label='iface']"):
        opts = []
        for opt in stanza.iterchildren("node"):
            assert len(opt) == 0, f"nested option {opt.get('label')} in {stanza.get('value')}"
            opts.append((opt.get("label"), opt.get("value")))
        out.append((stanza.get("value"), opts))
    return out


def interface_doc(case: str) -> etree._ElementTree:
    path = NETCF / "interface" / f"{case}.xml"
    return schema.load(path.read_bytes(), str(path))


def test_every_case_netcf_tested_is_present():
    assert set(CASES) == NETCF_DEBIAN_CASES


@pytest.mark.parametrize("case", CASES)
def test_conversion_keeps_every_netcf_node(case):
    """The dialect conversion itself: every option, name and stanza of netcf's trees, nothing more."""
    src = parse_xml(NETCF / "debian" / "schema" / f"{case}.xml")
    got = netcf_forest(case)
    leaves = [n for n in got.iter("node") if n.getparent().tag != "tree"]
    assert [(n.get("value")) for n in leaves] == [n.get("value") for n in src.iter("node")]
    assert [n.get("value") for n in got.iterfind("tree/node[@label='iface']")] == \
        [e.get("key") for e in src.iterfind("tree/array[@label='iface']/element")]


@pytest.mark.parametrize("case", CASES)
def test_netcf_trees_only_name_our_file(case):
    assert [t.get("path") for t in netcf_forest(case).iter("tree")] == [INTERFACES]
    assert {n.get("label") for n in netcf_forest(case).find("tree")} <= {"auto", "iface"}


def test_substitutions_change_exactly_the_documented_cases():
    changed = {c for c in CASES
               if etree.tostring(our_spelling(netcf_forest(c))) != etree.tostring(netcf_forest(c))}
    assert changed == SPELLING_CASES


# -- (a) interface XML -> forest ---------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_to_forest_equals_netcf_trees(case):
    got = xslt.to_forest(interface_doc(case), DEBIAN)
    want = our_spelling(netcf_forest(case))
    assert got.tag == "forest"
    assert [t.get("path") for t in got.iter("tree")] == [INTERFACES]
    assert marks(got) == marks(want)
    assert stanzas(got) == stanzas(want)


@pytest.mark.parametrize("case", sorted(SPELLING_CASES))
def test_to_forest_departs_from_netcf_only_in_spelling(case):
    """Without the substitutions the stanzas differ, and only in the documented lines."""
    got = stanzas(xslt.to_forest(interface_doc(case), DEBIAN))
    netcf = stanzas(netcf_forest(case))
    assert got != netcf
    assert [n for n, _ in got] == [n for n, _ in netcf]
    for (_, ours), (_, theirs) in zip(got, netcf):
        differ = [(a, b) for a, b in zip(ours, theirs) if a != b]
        assert len(ours) == len(theirs)
        for (label, value), (nlabel, nvalue) in differ:
            assert (label, nlabel) in (("vlan-raw-device", "vlan_raw_device"), ("up", "up"), ("down", "down"))
            assert value.startswith("ip -6 addr ") if label in ("up", "down") else value == nvalue
            assert nvalue.startswith("/sbin/ifconfig ") if label in ("up", "down") else True


@pytest.mark.parametrize("case", CASES)
def test_to_forest_puts_the_start_mode_before_the_stanzas(case):
    tree = xslt.to_forest(interface_doc(case), DEBIAN).find("tree")
    labels = [n.get("label") for n in tree]
    assert labels == sorted(labels, key=lambda lbl: lbl == "iface")


# -- (b) forest -> interface XML ---------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_from_forest_equals_netcf_interface(case):
    """netcf's own spelling (vlan_raw_device, /sbin/ifconfig) is read."""
    want = parse_xml(NETCF / "interface" / f"{case}.xml")
    got = xslt.from_forest(netcf_forest(case), DEBIAN, want.get("name"))
    assert xml_diff(want, got) is None, etree.tostring(got, pretty_print=True).decode()


@pytest.mark.parametrize("case", CASES)
def test_from_forest_reads_our_spelling(case):
    want = parse_xml(NETCF / "interface" / f"{case}.xml")
    got = xslt.from_forest(our_spelling(netcf_forest(case)), DEBIAN, want.get("name"))
    assert xml_diff(want, got) is None, etree.tostring(got, pretty_print=True).decode()


@pytest.mark.parametrize("case", CASES)
def test_from_forest_output_is_valid_for_our_grammar(case):
    name = interface_doc(case).getroot().get("name")
    got = xslt.from_forest(netcf_forest(case), DEBIAN, name)
    schema.validate(etree.ElementTree(got), f"from_forest({case})")


# -- hand-written spellings --------------------------------------------------------------------

def _forest(*entries: etree._Element) -> etree._Element:
    forest = etree.Element("forest")
    tree = etree.SubElement(forest, "tree", path=INTERFACES)
    tree.extend(entries)
    return forest


def line(label: str, *names: str) -> etree._Element:
    """An ``auto``/``allow-*`` line as the stock lens stores it."""
    el = etree.Element("node", label=label)
    for i, name in enumerate(names, 1):
        etree.SubElement(el, "node", label=str(i), value=name)
    return el


def iface(name: str, family: str, method: str, *opts: tuple[str, str | list[str]]) -> etree._Element:
    """A stanza; an option whose value is a list is stored as the lens stores ``bridge-ports`` and
    ``bond-slaves``: a valueless node whose children ``1``, ``2``, ... hold the words."""
    el = etree.Element("node", label="iface", value=name)
    etree.SubElement(el, "node", label="family", value=family)
    etree.SubElement(el, "node", label="method", value=method)
    for label, value in opts:
        if isinstance(value, list):
            arr = etree.SubElement(el, "node", label=label)
            for i, word in enumerate(value, 1):
                etree.SubElement(arr, "node", label=str(i), value=word)
        else:
            etree.SubElement(el, "node", label=label, value=value)
    return el


def read(forest: etree._Element, name: str) -> etree._Element:
    got = xslt.from_forest(forest, DEBIAN, name)
    schema.validate(etree.ElementTree(got), f"from_forest({name})")
    return got


def assert_reads_as(forest: etree._Element, name: str, want: str) -> None:
    got = read(forest, name)
    assert xml_diff(parse_xml(want), got) is None, etree.tostring(got, pretty_print=True).decode()


HAND_WRITTEN = {
    "address-cidr": (
        _forest(line("auto", "eth0"), iface("eth0", "inet", "static", ("address", "10.0.0.5/24"),
                                            ("gateway", "10.0.0.1"))),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="onboot"/><protocol family="ipv4">'
        '<ip address="10.0.0.5" prefix="24"/><route gateway="10.0.0.1"/></protocol></interface>'),
    "address-cidr-inet6": (
        _forest(iface("eth0", "inet6", "static", ("address", "2001:db8::5/64"),
                      ("pre-up", "echo 0 > /proc/sys/net/ipv6/conf/eth0/autoconf"))),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="none"/><protocol family="ipv6">'
        '<ip address="2001:db8::5" prefix="64"/></protocol></interface>'),
    "inet6-netmask-as-prefix": (
        _forest(iface("eth0", "inet6", "static", ("address", "2001:db8::5"), ("netmask", "64"),
                      ("pre-up", "echo 0 > /proc/sys/net/ipv6/conf/eth0/autoconf"))),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="none"/><protocol family="ipv6">'
        '<ip address="2001:db8::5" prefix="64"/></protocol></interface>'),
    "inet-netmask-dotted": (
        _forest(iface("eth0", "inet", "static", ("address", "10.1.0.5"), ("netmask", "255.255.0.0"))),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="none"/><protocol family="ipv4">'
        '<ip address="10.1.0.5" prefix="16"/></protocol></interface>'),
    "allow-hotplug": (
        _forest(line("allow-hotplug", "eth0"), iface("eth0", "inet", "dhcp")),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="hotplug"/>'
        '<protocol family="ipv4"><dhcp/></protocol></interface>'),
    "allow-auto-is-auto": (
        _forest(line("auto", "eth0"), iface("eth0", "inet", "dhcp")),  # the lens labels allow-auto 'auto'
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="onboot"/>'
        '<protocol family="ipv4"><dhcp/></protocol></interface>'),
    "auto-line-with-two-names": (
        _forest(line("auto", "lo", "eth0"), iface("eth0", "inet", "dhcp")),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="onboot"/>'
        '<protocol family="ipv4"><dhcp/></protocol></interface>'),
    "inet6-auto": (
        _forest(line("auto", "eth0"), iface("eth0", "inet6", "auto")),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="onboot"/>'
        '<protocol family="ipv6"><autoconf/></protocol></interface>'),
    "up-ip-addr-add": (
        _forest(iface("eth0", "inet", "static", ("address", "10.0.0.5"), ("netmask", "255.255.255.0"),
                      ("up", "ip addr add 10.0.0.6/24 dev eth0"),
                      ("up", "/sbin/ip -4 address add 10.0.0.7 dev eth0"),
                      ("up", "echo not an address"),
                      ("down", "ip addr del 10.0.0.6/24 dev eth0"))),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="none"/><protocol family="ipv4">'
        '<ip address="10.0.0.5" prefix="24"/><ip address="10.0.0.6" prefix="24"/>'
        '<ip address="10.0.0.7"/></protocol></interface>'),
    "up-ip-6-addr-add": (
        _forest(iface("eth0", "inet6", "static", ("address", "2001:db8::5"), ("netmask", "64"),
                      ("pre-up", "echo 0 > /proc/sys/net/ipv6/conf/eth0/autoconf"),
                      ("up", "ip -6 addr add 2001:db8::6/64 dev eth0"),
                      ("up", "ip addr add 2001:db8::7/64 dev eth0"))),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="none"/><protocol family="ipv6">'
        '<ip address="2001:db8::5" prefix="64"/><ip address="2001:db8::6" prefix="64"/>'
        '<ip address="2001:db8::7" prefix="64"/></protocol></interface>'),
    "vlan_raw_device": (
        _forest(line("auto", "vlan42"), iface("vlan42", "inet", "manual", ("vlan_raw_device", "eth1"))),
        "vlan42",
        '<interface type="vlan" name="vlan42"><start mode="onboot"/>'
        '<vlan tag="42"><interface name="eth1"/></vlan></interface>'),
    "vlan-raw-device": (
        _forest(iface("eth1.7", "inet", "dhcp", ("vlan-raw-device", "eth1"))),
        "eth1.7",
        '<interface type="vlan" name="eth1.7"><start mode="none"/><protocol family="ipv4"><dhcp/></protocol>'
        '<vlan tag="7"><interface name="eth1"/></vlan></interface>'),
    "vlan-by-name-only": (
        _forest(iface("eth1.7", "inet", "manual")),
        "eth1.7",
        '<interface type="vlan" name="eth1.7"><start mode="none"/>'
        '<vlan tag="7"><interface name="eth1"/></vlan></interface>'),
    "bridge-options-dashed": (
        _forest(line("auto", "br0"), iface("br0", "inet", "dhcp", ("bridge_ports", "eth0 eth1"),
                                           ("bridge-stp", "on"), ("bridge-fd", "2"))),
        "br0",
        '<interface type="bridge" name="br0"><start mode="onboot"/><protocol family="ipv4"><dhcp/></protocol>'
        '<bridge stp="on" delay="2"><interface type="ethernet" name="eth0"/>'
        '<interface type="ethernet" name="eth1"/></bridge></interface>'),
    "bond-options-dashed": (
        _forest(iface("bond0", "inet", "manual", ("bond_slaves", "eth1 eth0"), ("bond-primary", "eth1"),
                      ("bond-mode", "active-backup"), ("bond-miimon", "100"), ("bond-updelay", "10"),
                      ("bond-use-carrier", "0"))),
        "bond0",
        '<interface type="bond" name="bond0"><start mode="none"/><bond mode="active-backup">'
        '<miimon freq="100" updelay="10" carrier="ioctl"/><interface type="ethernet" name="eth1"/>'
        '<interface type="ethernet" name="eth0"/></bond></interface>'),
    "bond-mode-as-number": (
        _forest(iface("bond0", "inet", "manual", ("bond_slaves", "eth1 eth0"), ("bond_mode", "1"),
                      ("bond_primary", "eth0"))),
        "bond0",
        '<interface type="bond" name="bond0"><start mode="none"/><bond mode="active-backup">'
        '<interface type="ethernet" name="eth0"/><interface type="ethernet" name="eth1"/>'
        '</bond></interface>'),
    "hwaddress": (
        _forest(iface("eth0", "inet", "dhcp", ("hwaddress", "ether AA:BB:CC:DD:EE:FF"))),
        "eth0",
        '<interface type="ethernet" name="eth0"><start mode="none"/><mac address="aa:bb:cc:dd:ee:ff"/>'
        '<protocol family="ipv4"><dhcp/></protocol></interface>'),
}


@pytest.mark.parametrize(("forest", "name", "want"),
                         [pytest.param(*v, id=k) for k, v in HAND_WRITTEN.items()])
def test_from_forest_reads_hand_written_spellings(forest, name, want):
    assert_reads_as(forest, name, want)


#: The stock Interfaces lens (augeas 1.14, lenses/dist/interfaces.aug: ``multi_option``), which the
#: backend used before lenses/ifupdown.aug (every option a value), stores
#: the dashed ``bridge-ports`` and ``bond-slaves`` -- the spellings ifupdown's own examples and
#: Debian's bridge-utils/ifenslave documentation use -- as arrays, not as values:
#:     bridge-ports eth0 eth1  ->  <node label="bridge-ports"><node label="1" value="eth0"/>...


def test_from_forest_reads_bridge_ports_as_the_lens_stores_them():
    forest = _forest(line("auto", "br0"),
                     iface("br0", "inet", "dhcp", ("bridge-ports", ["eth0", "eth1"]), ("bridge-stp", "off")))
    assert_reads_as(forest, "br0",
                    '<interface type="bridge" name="br0"><start mode="onboot"/>'
                    '<protocol family="ipv4"><dhcp/></protocol><bridge stp="off">'
                    '<interface type="ethernet" name="eth0"/><interface type="ethernet" name="eth1"/>'
                    '</bridge></interface>')


def test_from_forest_reads_bond_slaves_as_the_lens_stores_them():
    forest = _forest(iface("bond0", "inet", "manual", ("bond-slaves", ["eth1", "eth0"]),
                           ("bond-mode", "active-backup"), ("bond-primary", "eth1"), ("bond-miimon", "100")))
    assert_reads_as(forest, "bond0",
                    '<interface type="bond" name="bond0"><start mode="none"/><bond mode="active-backup">'
                    '<miimon freq="100"/><interface type="ethernet" name="eth1"/>'
                    '<interface type="ethernet" name="eth0"/></bond></interface>')


def test_from_forest_reads_bridge_ports_with_a_dash_when_stored_as_a_value():
    """The same spelling as a plain value (how other lens versions store it) is read."""
    forest = _forest(iface("br0", "inet", "manual", ("bridge-ports", "eth0 eth1")))
    got = read(forest, "br0")
    assert [p.get("name") for p in got.findall("bridge/interface")] == ["eth0", "eth1"]


@pytest.mark.parametrize(("method", "extra", "autoconf"), [
    pytest.param("auto", (), True, id="auto-is-autoconf"),
    pytest.param("dhcp", (), True, id="dhcp-keeps-kernel-autoconf"),
    pytest.param("manual", (), True, id="manual-keeps-kernel-autoconf"),
    pytest.param("manual", (("pre-up", "echo 0 > /proc/sys/net/ipv6/conf/eth0/autoconf"),), False,
                 id="netcf-echo-0-turns-it-off"),
    pytest.param("dhcp", (("autoconf", "0"),), False, id="autoconf-0-option"),
])
def test_from_forest_reads_ipv6_autoconf(method, extra, autoconf):
    got = read(_forest(iface("eth0", "inet6", method, *extra)), "eth0")
    assert (got.find("protocol[@family='ipv6']/autoconf") is not None) is autoconf


def test_from_forest_reads_inet6_static_without_autoconf_as_ifupdown_does():
    forest = _forest(iface("eth0", "inet6", "static", ("address", "2001:db8::5"), ("netmask", "64")))
    got = read(forest, "eth0")
    assert got.find("protocol[@family='ipv6']/autoconf") is None


def test_from_forest_reads_both_families_of_one_interface():
    forest = _forest(line("allow-hotplug", "eth0"),
                     iface("eth0", "inet", "static", ("address", "10.0.0.5/24"), ("mtu", "9000")),
                     iface("eth0", "inet6", "auto"))
    assert_reads_as(forest, "eth0",
                    '<interface type="ethernet" name="eth0"><start mode="hotplug"/><mtu size="9000"/>'
                    '<protocol family="ipv4"><ip address="10.0.0.5" prefix="24"/></protocol>'
                    '<protocol family="ipv6"><autoconf/></protocol></interface>')
