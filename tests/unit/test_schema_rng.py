"""Tests for augnetcf's own RelaxNG grammar, ``xslt/interface.rng``.

Three promises are checked:

* it accepts the netcf corpus and everything ``interface_docs()`` draws;
* it is a subset of libvirt's ``interface.rng`` (whatever we accept, libvirt
  accepts), shown on generated documents, on every value our patterns can
  produce, on random junk values, and on a table of odd documents;
* it rejects a table of documents that are wrong or unsafe to convert.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from strategies import interface_docs

from augnetcf import resources

HERE = Path(__file__).resolve()
DATA = HERE.parents[1] / "data"
SCHEMA = resources.xslt_path("interface.rng")  # the installed schema, which augnetcf validates with
LIBVIRT_SCHEMA = DATA / "libvirt" / "interface.rng"
CORPUS = sorted(p for p in (DATA / "netcf" / "interface").glob("*.xml") if p.name != "schemas.xml")

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_DATATYPES = "http://www.w3.org/2001/XMLSchema-datatypes"

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def ours() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


@functools.cache
def libvirt() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(LIBVIRT_SCHEMA)))


def doc(text: str) -> etree._Element:
    """Parse a test document; it must be well-formed, so that a rejection
    below is the grammar's doing and not the parser's."""
    return etree.fromstring(text.encode("utf-8"))


def ours_ok(el: etree._Element) -> bool:
    return ours().validate(el)


def libvirt_ok(el: etree._Element) -> bool:
    return libvirt().validate(el)


# --------------------------------------------------------------------------
# The grammar file itself
# --------------------------------------------------------------------------

def test_grammar_compiles_without_messages():
    schema = ours()
    assert len(schema.error_log) == 0, list(schema.error_log)


def test_grammar_is_self_contained_and_namespace_less():
    grammar = etree.parse(str(SCHEMA)).getroot()
    assert grammar.tag == f"{{{RNG_NS}}}grammar"
    assert grammar.get("datatypeLibrary") == XSD_DATATYPES
    for tag in ("include", "externalRef"):
        assert grammar.find(f".//{{{RNG_NS}}}{tag}") is None, tag
    for el in grammar.iter(f"{{{RNG_NS}}}element", f"{{{RNG_NS}}}attribute"):
        assert el.get("ns") in (None, ""), el.get("name")
    assert grammar.get("ns") in (None, "")
    # Every element pattern names its element plainly (no name classes).
    assert all(el.get("name") for el in grammar.iter(f"{{{RNG_NS}}}element"))


# --------------------------------------------------------------------------
# Corpus and generated documents
# --------------------------------------------------------------------------

@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_is_valid(path: Path):
    tree = etree.parse(str(path))
    assert ours().validate(tree), ours().error_log
    assert libvirt().validate(tree), libvirt().error_log


def test_corpus_is_not_empty():
    assert len(CORPUS) >= 20


@PROPERTY
@given(interface_docs())
def test_generated_docs_valid_for_both_grammars(el: etree._Element):
    assert ours_ok(el), (etree.tostring(el), ours().error_log)
    assert libvirt_ok(el), (etree.tostring(el), libvirt().error_log)


@PROPERTY
@given(el=interface_docs(), data=st.data())
def test_any_child_order_keeps_the_subset(el: etree._Element, data: st.DataObject):
    """Permute the children of every element at random, valid or not.

    libxml2 matches <interleave> with its own, incomplete algorithm (it
    refuses some orders that RelaxNG allows), so our grammar must keep
    libvirt's structure closely enough to be refused wherever libvirt is.
    """
    for node in list(el.iter(etree.Element)):
        children = list(node)
        if len(children) > 1:
            order = data.draw(st.permutations(children))
            for child in children:
                node.remove(child)
            node.extend(order)
    if ours_ok(el):
        assert libvirt_ok(el), etree.tostring(el)


@settings(max_examples=100, deadline=None)
@given(interface_docs(shuffle=False))
def test_generated_docs_in_canonical_order_are_valid(el: etree._Element):
    assert ours_ok(el), (etree.tostring(el), ours().error_log)
    assert libvirt_ok(el), (etree.tostring(el), libvirt().error_log)


# --------------------------------------------------------------------------
# Value types: our patterns against libvirt's, one type at a time
# --------------------------------------------------------------------------

# For each value type (a <define> in our grammar holding a pattern), a
# document with one attribute of that type, marked "@@".
TYPE_SLOTS: dict[str, list[str]] = {
    "t.ifname": [
        '<interface type="ethernet" name="@@"/>',
        '<interface type="vlan"><vlan tag="1"><interface name="@@"/></vlan></interface>',
        '<interface type="bridge" name="br0"><bridge>'
        '<interface type="bond" name="@@"><bond><interface type="ethernet" name="e"/></bond></interface>'
        '</bridge></interface>',
    ],
    "t.mac": ['<interface type="ethernet" name="e"><mac address="@@"/></interface>'],
    "t.ipv4": [
        '<interface type="ethernet" name="e"><protocol family="ipv4"><ip address="@@"/></protocol>'
        '</interface>',
        '<interface type="ethernet" name="e"><protocol family="ipv4"><route gateway="@@"/></protocol>'
        '</interface>',
        '<interface type="bond" name="b"><bond><arpmon interval="1" target="@@"/>'
        '<interface type="ethernet" name="e"/></bond></interface>',
    ],
    "t.ipv6": [
        '<interface type="ethernet" name="e"><protocol family="ipv6"><ip address="@@"/></protocol>'
        '</interface>',
        '<interface type="ethernet" name="e"><protocol family="ipv6"><route gateway="@@"/></protocol>'
        '</interface>',
    ],
    "t.prefix4": ['<interface type="ethernet" name="e"><protocol family="ipv4">'
                  '<ip address="10.0.0.1" prefix="@@"/></protocol></interface>'],
    "t.prefix6": ['<interface type="ethernet" name="e"><protocol family="ipv6">'
                  '<ip address="::1" prefix="@@"/></protocol></interface>'],
    "t.vlantag": ['<interface type="vlan" name="v"><vlan tag="@@"><interface name="e"/></vlan></interface>'],
    "t.mtu": ['<interface type="ethernet" name="e"><mtu size="@@"/></interface>'],
    "t.uint": [
        '<interface type="bond" name="b"><bond><miimon freq="@@" downdelay="@@" updelay="@@"/>'
        '<interface type="ethernet" name="e"/></bond></interface>',
        '<interface type="bond" name="b"><bond><arpmon interval="@@" target="10.0.0.1"/>'
        '<interface type="ethernet" name="e"/></bond></interface>',
        '<interface type="ethernet" name="e"><link speed="@@"/></interface>',
    ],
    "t.delay": ['<interface type="bridge" name="br0"><bridge delay="@@"/></interface>'],
}


def _patterns() -> dict[str, tuple[str, frozenset[str]]]:
    """Each pattern-restricted type in our grammar, as (Python regex, excluded
    values). A type may be a <choice> of several <data> patterns."""
    grammar = etree.parse(str(SCHEMA)).getroot()
    ns = {"r": RNG_NS}
    found = {}
    for define in grammar.iterfind("r:define", ns):
        params = define.findall("r:data/r:param[@name='pattern']", ns)
        params += define.findall("r:choice/r:data/r:param[@name='pattern']", ns)
        if params:
            excluded = frozenset(v.text for v in define.iterfind(".//r:except//r:value", ns))
            found[define.get("name")] = ("|".join(f"(?:{p.text})" for p in params), excluded)
    return found


PATTERNS = _patterns()


def _fill(template: str, value: str) -> etree._Element:
    el = doc(template)
    for node in el.iter():
        for key, val in node.attrib.items():
            if val == "@@":
                node.set(key, value)
    return el


def test_every_value_type_has_a_slot():
    assert set(PATTERNS) == set(TYPE_SLOTS)


def _check_value(type_name: str, value: str, must_accept: bool) -> None:
    pattern, excluded = PATTERNS[type_name]
    expected = re.fullmatch(pattern, value) is not None and value not in excluded
    if must_accept:
        assert expected, value
    for template in TYPE_SLOTS[type_name]:
        el = _fill(template, value)
        accepted = ours_ok(el)
        # libxml2 reads the XSD pattern the way Python's re reads it.
        assert accepted == expected, (type_name, value, template)
        # The subset promise, value by value.
        if accepted:
            assert libvirt_ok(el), (type_name, value, template, libvirt().error_log)


@pytest.mark.parametrize("type_name", sorted(TYPE_SLOTS))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_pattern_values_are_valid_for_both_grammars(type_name: str, data: st.DataObject):
    pattern, excluded = PATTERNS[type_name]
    value = data.draw(st.from_regex(pattern, fullmatch=True).filter(lambda v: v not in excluded))
    _check_value(type_name, value, must_accept=True)


# Characters that matter for one type or another, and a few that must never
# get through; XML-legal only (lxml refuses control characters).
JUNK_ALPHABET = "0123456789abcdefABCDEFxyz.:-_/\\ \t$`'\";&|<>()+eE%*!~#=é\u00a0"
JUNK = st.text(alphabet=JUNK_ALPHABET, max_size=42)
# Near misses, shaped like the real thing.
HEX_GROUPS = st.sampled_from(["", "", "0", "a", "1F", "1f2", "1234", "ABCD", "12345", "fffff", "g", "1.2"])
DIGITS = st.text(alphabet="0123456789", max_size=11)
JUNK_BY_TYPE = {
    "t.ipv6": JUNK | st.lists(HEX_GROUPS, min_size=1, max_size=11).map(":".join),
    "t.ipv4": JUNK | st.lists(st.sampled_from(["", "0", "00", "01", "9", "99", "100", "199", "249", "255",
                                               "256", "300", "1000"]), min_size=1, max_size=6).map(".".join),
    "t.mac": JUNK | st.lists(st.text(alphabet="0aFg", max_size=3), min_size=1, max_size=8).map(":".join),
    "t.delay": JUNK | st.builds("{}.{}".format, DIGITS, DIGITS) | DIGITS,
    **{t: JUNK | DIGITS for t in ("t.mtu", "t.vlantag", "t.prefix4", "t.prefix6", "t.uint")},
}


@pytest.mark.parametrize("type_name", sorted(TYPE_SLOTS))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_junk_values_follow_the_pattern(type_name: str, data: st.DataObject):
    """libxml2 must read each pattern as Python's re does; in particular
    nothing outside the pattern may slip through (see the note on t.ipv6
    in the grammar: libxml2 mis-reads some alternations)."""
    value = data.draw(JUNK_BY_TYPE.get(type_name, JUNK))
    _check_value(type_name, value, must_accept=False)


# --------------------------------------------------------------------------
# Documents our grammar must reject
# --------------------------------------------------------------------------

ETH = ('<interface type="ethernet" name="eth0"><start mode="onboot"/>{inner}'
       '<protocol family="ipv4"><dhcp/></protocol></interface>')
V4 = '<interface type="ethernet" name="eth0"><protocol family="ipv4">{inner}</protocol></interface>'
V6 = '<interface type="ethernet" name="eth0"><protocol family="ipv6">{inner}</protocol></interface>'
SLAVES = '<interface type="ethernet" name="eth0"/><interface type="ethernet" name="eth1"/>'
BOND = '<interface type="bond" name="bond0"><bond {attrs}>{inner}</bond></interface>'
BRIDGE = '<interface type="bridge" name="br0"><bridge {attrs}>{inner}</bridge></interface>'
VLAN = '<interface type="vlan" name="eth0.42">{inner}</interface>'

# A name in every position the grammar has one.
NAME_SLOTS = {
    "top": '<interface type="ethernet" name="{n}"/>',
    "bridge": '<interface type="bridge" name="{n}"><bridge/></interface>',
    "bond": BOND.format(attrs="", inner='<interface type="ethernet" name="eth0"/>').replace("bond0", "{n}"),
    "vlan": '<interface type="vlan" name="{n}"><vlan tag="1"><interface name="eth0"/></vlan></interface>',
    "vlan-device": '<interface type="vlan"><vlan tag="1"><interface name="{n}"/></vlan></interface>',
    "bridge-port": BRIDGE.format(attrs="", inner='<interface type="ethernet" name="{n}"/>'),
    "bridge-vlan": BRIDGE.format(attrs="", inner='<interface type="vlan" name="{n}"><vlan tag="1">'
                                 '<interface name="eth0"/></vlan></interface>'),
    "bridge-bond": BRIDGE.format(attrs="", inner='<interface type="bond" name="{n}"><bond>'
                                 '<interface type="ethernet" name="eth0"/></bond></interface>'),
    "bond-slave": BOND.format(attrs="", inner='<interface type="ethernet" name="{n}"/>'),
}

# Written as XML attribute text (escaped where XML needs it).
BAD_NAMES = {
    "16-chars": "a" * 16,
    "empty": "",
    "dot": ".",
    "dotdot": "..",
    "slash": "eth/0",
    "backslash": "eth\\0",
    "dollar": "eth$0",
    "subst": "$(reboot)",
    "space": "eth 0",
    "leading-space": " eth0",
    "trailing-space": "eth0 ",
    "tab": "eth&#9;0",
    "newline": "eth&#10;0",
    "semicolon": "eth0;reboot",
    "backquote": "eth`0`",
    "double-quote": "eth&quot;0",
    "single-quote": "eth'0",
    "ampersand": "eth&amp;0",
    "pipe": "eth|0",
    "less-than": "eth&lt;0",
    "star": "eth*",
    "hash": "eth#0",
    "equals": "a=b",
    "non-ascii": "ethé",
    "nbsp": "eth\u00a00",
}

INVALID: dict[str, str] = {
    # Root and type
    "wrong-root": '<iface type="ethernet" name="eth0"/>',
    "namespaced-root": '<interface xmlns="urn:x" type="ethernet" name="eth0"/>',
    "no-type": '<interface name="eth0"/>',
    "unknown-type": '<interface type="wifi" name="wlan0"/>',
    "type-capitalised": '<interface type="Ethernet" name="eth0"/>',
    "type-with-space": '<interface type="ethernet " name="eth0"/>',
    "ethernet-no-name": '<interface type="ethernet"/>',
    "bridge-no-name": '<interface type="bridge"><bridge/></interface>',
    "bond-no-name": BOND.format(attrs="", inner=SLAVES).replace(' name="bond0"', ""),
    "unknown-attribute": '<interface type="ethernet" name="eth0" foo="bar"/>',
    "unknown-element": ETH.format(inner="<foo/>"),
    "text-content": ETH.format(inner="hello"),
    "namespaced-child": ETH.format(inner='<x:mtu xmlns:x="urn:x" size="1500"/>'),
    # start / mtu / mac / link
    "start-manual": ETH.format(inner='<start mode="manual"/>').replace('<start mode="onboot"/>', ""),
    "two-starts": ETH.format(inner='<start mode="none"/>'),
    "start-no-mode": '<interface type="ethernet" name="eth0"><start/></interface>',
    "mtu-67": ETH.format(inner='<mtu size="67"/>'),
    "mtu-0": ETH.format(inner='<mtu size="0"/>'),
    "mtu-65536": ETH.format(inner='<mtu size="65536"/>'),
    "mtu-leading-zero": ETH.format(inner='<mtu size="01500"/>'),
    "mtu-trailing-space": ETH.format(inner='<mtu size="1500 "/>'),
    "mtu-empty": ETH.format(inner='<mtu size=""/>'),
    "two-mtus": ETH.format(inner='<mtu size="1500"/><mtu size="1400"/>'),
    "mac-short": ETH.format(inner='<mac address="aa:bb:cc:dd:ee"/>'),
    "mac-long": ETH.format(inner='<mac address="aa:bb:cc:dd:ee:ff:00"/>'),
    "mac-dashes": ETH.format(inner='<mac address="aa-bb-cc-dd-ee-ff"/>'),
    "mac-not-hex": ETH.format(inner='<mac address="gg:bb:cc:dd:ee:ff"/>'),
    "mac-single-digits": ETH.format(inner='<mac address="a:b:c:d:e:f"/>'),
    "mac-cisco": ETH.format(inner='<mac address="aabb.ccdd.eeff"/>'),
    "mac-space": ETH.format(inner='<mac address=" aa:bb:cc:dd:ee:ff"/>'),
    "mac-on-bridge": '<interface type="bridge" name="br0"><mac address="aa:bb:cc:dd:ee:ff"/>'
                     "<bridge/></interface>",
    "two-macs": ETH.format(inner='<mac address="aa:bb:cc:dd:ee:ff"/><mac address="aa:bb:cc:dd:ee:fe"/>'),
    "link-speed-negative": ETH.format(inner='<link speed="-1"/>'),
    "link-speed-10-digits": ETH.format(inner='<link speed="1000000000"/>'),
    "link-state-upper": ETH.format(inner='<link state="UP"/>'),
    # Protocols
    "two-ipv4-protocols": V4.format(inner="<dhcp/>").replace(
        "</interface>", '<protocol family="ipv4"><dhcp/></protocol></interface>'),
    "two-ipv6-protocols": V6.format(inner="<dhcp/>").replace(
        "</interface>", '<protocol family="ipv6"><autoconf/></protocol></interface>'),
    "three-protocols": V4.format(inner="").replace(
        "</interface>", '<protocol family="ipv6"/><protocol family="ipv4"/></interface>'),
    "family-ipv5": '<interface type="ethernet" name="eth0"><protocol family="ipv5"/></interface>',
    "no-family": '<interface type="ethernet" name="eth0"><protocol/></interface>',
    "autoconf-in-ipv4": V4.format(inner="<autoconf/>"),
    "autoconf-with-content": V6.format(inner="<autoconf>yes</autoconf>"),
    "two-dhcps": V4.format(inner="<dhcp/><dhcp/>"),
    "peerdns-maybe": V4.format(inner='<dhcp peerdns="maybe"/>'),
    "peerdns-true": V4.format(inner='<dhcp peerdns="true"/>'),
    "two-routes": V4.format(inner='<route gateway="10.0.0.1"/><route gateway="10.0.0.2"/>'),
    "route-no-gateway": V4.format(inner="<route/>"),
    "ip-no-address": V4.format(inner='<ip prefix="24"/>'),
    "ipv4-prefix-33": V4.format(inner='<ip address="10.0.0.1" prefix="33"/>'),
    "ipv4-prefix-negative": V4.format(inner='<ip address="10.0.0.1" prefix="-1"/>'),
    "ipv4-prefix-plus": V4.format(inner='<ip address="10.0.0.1" prefix="+24"/>'),
    "ipv4-prefix-leading-zero": V4.format(inner='<ip address="10.0.0.1" prefix="024"/>'),
    "ipv4-prefix-space": V4.format(inner='<ip address="10.0.0.1" prefix=" 24"/>'),
    "ipv4-prefix-netmask": V4.format(inner='<ip address="10.0.0.1" prefix="255.255.255.0"/>'),
    "ipv4-octet-256": V4.format(inner='<ip address="256.1.1.1"/>'),
    "ipv4-three-octets": V4.format(inner='<ip address="10.0.1"/>'),
    "ipv4-five-octets": V4.format(inner='<ip address="10.0.0.1.5"/>'),
    "ipv4-leading-zero": V4.format(inner='<ip address="010.0.0.1"/>'),
    "ipv4-cidr": V4.format(inner='<ip address="10.0.0.1/24"/>'),
    "ipv4-hostname": V4.format(inner='<ip address="localhost"/>'),
    "ipv6-in-ipv4": V4.format(inner='<ip address="::1"/>'),
    "ipv4-gateway-bad": V4.format(inner='<route gateway="10.0.0.256"/>'),
    "ipv6-prefix-129": V6.format(inner='<ip address="::1" prefix="129"/>'),
    "ipv6-prefix-leading-zero": V6.format(inner='<ip address="::1" prefix="064"/>'),
    "ipv6-nine-groups": V6.format(inner='<ip address="1:2:3:4:5:6:7:8:9"/>'),
    "ipv6-seven-groups": V6.format(inner='<ip address="1:2:3:4:5:6:7"/>'),
    "ipv6-eight-groups-and-gap": V6.format(inner='<ip address="1:2:3:4:5:6:7::8"/>'),
    "ipv6-two-gaps": V6.format(inner='<ip address="1::2::3"/>'),
    # Each of these slips through libxml2 if the IPv6 alternatives are one pattern.
    "ipv6-five-digit-group": V6.format(inner='<ip address="12345::"/>'),
    "ipv6-five-digit-group-2": V6.format(inner='<ip address="12345:1::"/>'),
    "ipv6-five-digit-group-3": V6.format(inner='<ip address="abcde::1"/>'),
    "ipv6-five-digit-group-4": V6.format(inner='<ip address="fffff::ABCD"/>'),
    "ipv6-five-digit-group-5": V6.format(inner='<ip address="12345:1:2:3:4:5:6:7"/>'),
    "ipv6-five-digit-group-6": V6.format(inner='<ip address="12345:1f2:a::0:1"/>'),
    "ipv6-not-hex": V6.format(inner='<ip address="g::1"/>'),
    "ipv6-single-colon-start": V6.format(inner='<ip address=":1:2:3:4:5:6:7"/>'),
    "ipv6-single-colon-end": V6.format(inner='<ip address="1:2:3:4:5:6:7:"/>'),
    "ipv6-triple-colon": V6.format(inner='<ip address=":::"/>'),
    "ipv6-zone": V6.format(inner='<ip address="fe80::1%eth0"/>'),
    "ipv6-dotted-tail": V6.format(inner='<ip address="::ffff:10.0.0.1"/>'),
    "ipv6-brackets": V6.format(inner='<ip address="[::1]"/>'),
    "ipv4-in-ipv6": V6.format(inner='<ip address="10.0.0.1"/>'),
    "ipv6-gateway-bad": V6.format(inner='<route gateway="fe80::g"/>'),
    # Bridge
    "stp-maybe": BRIDGE.format(attrs='stp="maybe"', inner=""),
    "stp-upper": BRIDGE.format(attrs='stp="ON"', inner=""),
    "stp-yes": BRIDGE.format(attrs='stp="yes"', inner=""),
    "delay-negative": BRIDGE.format(attrs='delay="-1"', inner=""),
    "delay-negative-zero": BRIDGE.format(attrs='delay="-0"', inner=""),
    "delay-exponent": BRIDGE.format(attrs='delay="1e3"', inner=""),
    "delay-nan": BRIDGE.format(attrs='delay="NaN"', inner=""),
    "delay-inf": BRIDGE.format(attrs='delay="INF"', inner=""),
    "delay-no-int-part": BRIDGE.format(attrs='delay=".5"', inner=""),
    "delay-no-fraction": BRIDGE.format(attrs='delay="1."', inner=""),
    "delay-7-digits": BRIDGE.format(attrs='delay="1234567"', inner=""),
    "delay-7-decimals": BRIDGE.format(attrs='delay="0.1234567"', inner=""),
    "delay-space": BRIDGE.format(attrs='delay=" 1"', inner=""),
    "delay-comma": BRIDGE.format(attrs='delay="0,5"', inner=""),
    "bridge-without-bridge-element": '<interface type="bridge" name="br0"/>',
    "two-bridge-elements": '<interface type="bridge" name="br0"><bridge/><bridge/></interface>',
    "bridge-in-bridge": BRIDGE.format(attrs="", inner='<interface type="bridge" name="br1"><bridge/>'
                                      "</interface>"),
    "bridge-port-with-start": BRIDGE.format(attrs="", inner='<interface type="ethernet" name="eth0">'
                                            '<start mode="onboot"/></interface>'),
    "bridge-port-with-mtu": BRIDGE.format(attrs="", inner='<interface type="ethernet" name="eth0">'
                                          '<mtu size="1500"/></interface>'),
    "bridge-port-with-protocol": BRIDGE.format(attrs="", inner='<interface type="ethernet" name="eth0">'
                                               '<protocol family="ipv4"><dhcp/></protocol></interface>'),
    "bridge-port-unknown-type": BRIDGE.format(attrs="", inner='<interface type="wifi" name="w0"/>'),
    "bridge-text-port": BRIDGE.format(attrs="", inner="eth0"),
    "ethernet-with-bridge-element": '<interface type="ethernet" name="eth0"><bridge/></interface>',
    # Bond
    "bond-without-slaves": BOND.format(attrs='mode="active-backup"', inner=""),
    "bond-only-miimon": BOND.format(attrs="", inner='<miimon freq="100"/>'),
    "bond-without-bond-element": '<interface type="bond" name="bond0"/>',
    "bond-mode-foo": BOND.format(attrs='mode="foo"', inner=SLAVES),
    "bond-mode-number": BOND.format(attrs='mode="1"', inner=SLAVES),
    "bond-mode-empty": BOND.format(attrs='mode=""', inner=SLAVES),
    "miimon-and-arpmon": BOND.format(attrs="", inner='<miimon freq="100"/>'
                                     '<arpmon interval="100" target="10.0.0.1"/>' + SLAVES),
    "two-miimons": BOND.format(attrs="", inner='<miimon freq="100"/><miimon freq="200"/>' + SLAVES),
    "miimon-no-freq": BOND.format(attrs="", inner='<miimon updelay="10"/>' + SLAVES),
    "miimon-freq-negative": BOND.format(attrs="", inner='<miimon freq="-1"/>' + SLAVES),
    "miimon-freq-exponent": BOND.format(attrs="", inner='<miimon freq="1e3"/>' + SLAVES),
    "miimon-freq-10-digits": BOND.format(attrs="", inner='<miimon freq="4294967295"/>' + SLAVES),
    "miimon-freq-plus": BOND.format(attrs="", inner='<miimon freq="+100"/>' + SLAVES),
    "miimon-carrier-mii": BOND.format(attrs="", inner='<miimon freq="100" carrier="mii"/>' + SLAVES),
    "miimon-downdelay-text": BOND.format(attrs="", inner='<miimon freq="100" downdelay="soon"/>' + SLAVES),
    "arpmon-no-target": BOND.format(attrs="", inner='<arpmon interval="100"/>' + SLAVES),
    "arpmon-no-interval": BOND.format(attrs="", inner='<arpmon target="10.0.0.1"/>' + SLAVES),
    "arpmon-ipv6-target": BOND.format(attrs="", inner='<arpmon interval="100" target="::1"/>' + SLAVES),
    "arpmon-validate-sometimes": BOND.format(
        attrs="", inner='<arpmon interval="100" target="10.0.0.1" validate="sometimes"/>' + SLAVES),
    "bond-slave-is-bond": BOND.format(attrs="", inner='<interface type="bond" name="bond1"><bond>'
                                      '<interface type="ethernet" name="eth0"/></bond></interface>'),
    "bond-slave-is-vlan": BOND.format(attrs="", inner='<interface type="vlan" name="eth0.42">'
                                      '<vlan tag="42"><interface name="eth0"/></vlan></interface>'),
    "bond-slave-with-start": BOND.format(attrs="", inner='<interface type="ethernet" name="eth0">'
                                         '<start mode="onboot"/></interface>'),
    "bond-slave-no-name": BOND.format(attrs="", inner='<interface type="ethernet"/>'),
    # VLAN
    "vlan-tag-4096": VLAN.format(inner='<vlan tag="4096"><interface name="eth0"/></vlan>'),
    "vlan-tag-negative": VLAN.format(inner='<vlan tag="-1"><interface name="eth0"/></vlan>'),
    "vlan-tag-leading-zero": VLAN.format(inner='<vlan tag="042"><interface name="eth0"/></vlan>'),
    "vlan-tag-plus": VLAN.format(inner='<vlan tag="+42"><interface name="eth0"/></vlan>'),
    "vlan-tag-empty": VLAN.format(inner='<vlan tag=""><interface name="eth0"/></vlan>'),
    "vlan-tag-hex": VLAN.format(inner='<vlan tag="0x2a"><interface name="eth0"/></vlan>'),
    "vlan-no-tag": VLAN.format(inner='<vlan><interface name="eth0"/></vlan>'),
    "vlan-no-device": VLAN.format(inner='<vlan tag="42"/>'),
    "vlan-device-no-name": VLAN.format(inner='<vlan tag="42"><interface/></vlan>'),
    "vlan-two-devices": VLAN.format(inner='<vlan tag="42"><interface name="eth0"/><interface name="eth1"/>'
                                    "</vlan>"),
    "vlan-device-with-type": VLAN.format(inner='<vlan tag="42"><interface type="ethernet" name="eth0"/>'
                                         "</vlan>"),
    "vlan-without-vlan-element": VLAN.format(inner=""),
    "vlan-with-mac": VLAN.format(inner='<mac address="aa:bb:cc:dd:ee:ff"/><vlan tag="42">'
                                 '<interface name="eth0"/></vlan>'),
}
for _slot, _template in NAME_SLOTS.items():
    for _label, _name in BAD_NAMES.items():
        INVALID[f"name-{_label}-in-{_slot}"] = _template.replace("{n}", _name)


@pytest.mark.parametrize("text", list(INVALID.values()), ids=list(INVALID))
def test_invalid_documents_are_rejected(text: str):
    el = doc(text)
    assert not ours_ok(el), text


def test_name_slots_accept_a_good_name():
    """The name tables above are only meaningful if the slots are otherwise valid."""
    for slot, template in NAME_SLOTS.items():
        el = doc(template.replace("{n}", "a-Z_0.9:x123456"))
        assert ours_ok(el), (slot, ours().error_log)
        assert libvirt_ok(el), (slot, libvirt().error_log)


# --------------------------------------------------------------------------
# Odd documents: ours(doc) implies libvirt(doc)
# --------------------------------------------------------------------------

def _eth(inner: str = "", name: str = "eth0") -> str:
    return f'<interface type="ethernet" name="{name}">{inner}</interface>'


def _ip(family: str, address: str, prefix: str = "") -> str:
    pre = f' prefix="{prefix}"' if prefix else ""
    return _eth(f'<protocol family="{family}"><ip address="{address}"{pre}/></protocol>')


# (document, accepted by ours, accepted by libvirt); None: libvirt's answer
# depends on a libxml2 regex bug, so it is not pinned down.
TRICKY: dict[str, tuple[str, bool, bool | None]] = {
    # Names
    "name-15-chars": (_eth(name="abcdefghijklmno"), True, True),
    "name-16-chars": (_eth(name="abcdefghijklmnop"), False, True),
    "name-slash": (_eth(name="eth/0"), False, True),
    "name-backslash": (_eth(name="eth\\0"), False, True),
    "name-dot": (_eth(name="."), False, True),
    "name-dotdot": (_eth(name=".."), False, True),
    "name-three-dots": (_eth(name="..."), True, True),
    "name-alias": (_eth(name="eth0:1"), True, True),
    "name-dash-only": (_eth(name="-"), True, True),
    "name-leading-dash": (_eth(name="-eth0"), True, True),
    "name-underscore": (_eth(name="_"), True, True),
    "name-dollar": (_eth(name="eth$0"), False, False),
    "name-space": (_eth(name="eth 0"), False, False),
    "name-empty": (_eth(name=""), False, False),
    "vlan-device-slash": ('<interface type="vlan"><vlan tag="1"><interface name="a/b"/></vlan></interface>',
                          False, True),
    "vlan-without-name": ('<interface type="vlan"><vlan tag="1"><interface name="eth0"/></vlan></interface>',
                          True, True),
    "vlan-odd-name": ('<interface type="vlan" name="foo"><vlan tag="1"><interface name="eth0"/></vlan>'
                      "</interface>", True, True),
    # Addresses
    "mac-upper": (_eth('<mac address="AA:BB:CC:DD:EE:FF"/>'), True, True),
    "mac-mixed": (_eth('<mac address="aA:bB:cC:dD:eE:fF"/>'), True, True),
    "mac-multicast": (_eth('<mac address="01:00:5e:00:00:01"/>'), True, True),
    "ipv4-zeros": (_ip("ipv4", "0.0.0.0", "0"), True, True),
    "ipv4-broadcast": (_ip("ipv4", "255.255.255.255", "32"), True, True),
    "ipv4-leading-zero": (_ip("ipv4", "10.01.0.1"), False, False),
    "ipv4-prefix-leading-zero": (_ip("ipv4", "10.0.0.1", "024"), False, True),
    # XSD's unsignedInt allows a leading "+": libxml2 2.14 accepts it in
    # libvirt's schema, Debian 12's 2.9.14 does not. Ours refuses it either way.
    "ipv4-prefix-plus": (_ip("ipv4", "10.0.0.1", "+24"), False, None),
    "ipv4-prefix-spaces": (_ip("ipv4", "10.0.0.1", " 24 "), False, True),
    "ipv6-unspecified": (_ip("ipv6", "::"), True, True),
    "ipv6-loopback": (_ip("ipv6", "::1", "128"), True, True),
    "ipv6-trailing-gap": (_ip("ipv6", "fe80::"), True, True),
    "ipv6-gap-after-7": (_ip("ipv6", "1:2:3:4:5:6:7::"), True, True),
    "ipv6-gap-before-7": (_ip("ipv6", "::2:3:4:5:6:7:8"), True, True),
    "ipv6-gap-middle-1": (_ip("ipv6", "1:2:3::5:6:7:8"), True, True),
    "ipv6-gap-after-1": (_ip("ipv6", "1::3:4:5:6:7:8"), True, True),
    "ipv6-gap-after-6": (_ip("ipv6", "1:2:3:4:5:6::8"), True, True),
    "ipv6-exploded": (_ip("ipv6", "0000:0000:0000:0000:0000:0000:0000:0001"), True, True),
    "ipv6-upper": (_ip("ipv6", "FE80::ABCD:EF01"), True, True),
    "ipv6-padded-compressed": (_ip("ipv6", "2001:0db8::0001"), True, True),
    "ipv6-prefix-0": (_ip("ipv6", "::", "0"), True, True),
    "ipv6-dotted-tail": (_ip("ipv6", "::ffff:10.0.0.1"), False, True),
    "ipv6-dotted-tail-full": (_ip("ipv6", "0:0:0:0:0:ffff:10.0.0.1"), False, True),
    "ipv6-prefix-leading-zero": (_ip("ipv6", "::1", "064"), False, True),
    "ipv6-eight-groups-and-gap": (_ip("ipv6", "1:2:3:4:5:6:7::8"), False, False),
    "ipv6-five-digit-group": (_ip("ipv6", "12345::"), False, None),
    "ipv6-five-digit-group-2": (_ip("ipv6", "12345:1:2:3:4:5:6:7"), False, None),
    "ipv6-five-digit-last-group": (_ip("ipv6", "1::12345"), False, None),
    # Numbers
    "mtu-68": (_eth('<mtu size="68"/>'), True, True),
    "mtu-65535": (_eth('<mtu size="65535"/>'), True, True),
    "mtu-67": (_eth('<mtu size="67"/>'), False, True),
    "mtu-0": (_eth('<mtu size="0"/>'), False, True),
    "mtu-huge": (_eth('<mtu size="4294967295"/>'), False, True),
    "vlan-tag-0": (VLAN.format(inner='<vlan tag="0"><interface name="eth0"/></vlan>'), True, True),
    "vlan-tag-4095": (VLAN.format(inner='<vlan tag="4095"><interface name="eth0"/></vlan>'), True, True),
    "vlan-tag-leading-zero": (VLAN.format(inner='<vlan tag="042"><interface name="eth0"/></vlan>'),
                              False, True),
    "vlan-tag-plus": (VLAN.format(inner='<vlan tag="+42"><interface name="eth0"/></vlan>'), False,
                      None),  # as ipv4-prefix-plus: libvirt's answer depends on libxml2's version
    "vlan-tag-4096": (VLAN.format(inner='<vlan tag="4096"><interface name="eth0"/></vlan>'), False, False),
    "freq-0": (BOND.format(attrs="", inner='<miimon freq="0"/>' + SLAVES), True, True),
    "freq-9-digits": (BOND.format(attrs="", inner='<miimon freq="999999999"/>' + SLAVES), True, True),
    "freq-leading-zeros": (BOND.format(attrs="", inner='<miimon freq="0100"/>' + SLAVES), True, True),
    "freq-uint-max": (BOND.format(attrs="", inner='<miimon freq="4294967295"/>' + SLAVES), False, True),
    "freq-uint-overflow": (BOND.format(attrs="", inner='<miimon freq="4294967296"/>' + SLAVES),
                           False, False),
    "delay-0": (BRIDGE.format(attrs='delay="0"', inner=""), True, True),
    "delay-fraction": (BRIDGE.format(attrs='delay="0.01"', inner=""), True, True),
    "delay-max": (BRIDGE.format(attrs='delay="999999.999999"', inner=""), True, True),
    "delay-leading-zeros": (BRIDGE.format(attrs='delay="000.500"', inner=""), True, True),
    "delay-negative": (BRIDGE.format(attrs='delay="-1"', inner=""), False, False),
    "delay-negative-zero": (BRIDGE.format(attrs='delay="-0"', inner=""), False, True),
    "delay-exponent": (BRIDGE.format(attrs='delay="1e3"', inner=""), False, True),
    "delay-nan": (BRIDGE.format(attrs='delay="NaN"', inner=""), False, True),
    "delay-inf": (BRIDGE.format(attrs='delay="INF"', inner=""), False, True),
    "delay-leading-dot": (BRIDGE.format(attrs='delay=".5"', inner=""), False, True),
    "delay-space": (BRIDGE.format(attrs='delay=" 1"', inner=""), False, True),
    "link-speed-huge": (_eth('<link speed="4294967295"/>'), False, True),
    # Structure
    "minimal-ethernet": (_eth(), True, True),
    "minimal-bridge": ('<interface type="bridge" name="br0"><bridge/></interface>', True, True),
    "ipv6-before-ipv4": (_eth('<protocol family="ipv6"/><protocol family="ipv4"/>'), True, True),
    "protocols-split-by-mtu": (_eth('<protocol family="ipv4"/><mtu size="1500"/><protocol family="ipv6"/>'),
                               True, True),
    "everything-reversed": (_eth('<protocol family="ipv4"><route gateway="10.0.0.1"/>'
                                 '<ip address="10.0.0.2" prefix="8"/><dhcp peerdns="no"/></protocol>'
                                 '<link state="up" speed="1000"/><mtu size="9000"/>'
                                 '<mac address="aa:bb:cc:dd:ee:ff"/><start mode="hotplug"/>'), True, True),
    "ipv6-dhcp-peerdns": (_eth('<protocol family="ipv6"><dhcp peerdns="yes"/><autoconf/></protocol>'),
                          True, True),
    "miimon-after-slaves": (BOND.format(attrs="", inner=SLAVES + '<miimon freq="1"/>'), True, True),
    "miimon-between-slaves": (BOND.format(attrs="", inner='<interface type="ethernet" name="eth0"/>'
                                          '<miimon freq="1"/><interface type="ethernet" name="eth1"/>'),
                              True, True),
    "bond-link-first": ('<interface type="bond" name="b"><link state="down"/><bond>'
                        '<interface type="ethernet" name="e"/></bond><start mode="none"/></interface>',
                        True, True),
    "bridge-all-port-kinds": (BRIDGE.format(
        attrs='stp="on" delay="2"',
        inner='<interface type="vlan"><link/><vlan tag="7"><interface name="eth9"/></vlan></interface>'
              '<interface type="ethernet" name="eth0"><link speed="10"/><mac address="aa:bb:cc:dd:ee:ff"/>'
              '</interface><interface type="bond" name="bond0"><bond mode="802.3ad">'
              '<interface type="ethernet" name="eth1"/></bond><link state="dormant"/></interface>'),
        True, True),
    "bridge-port-with-mac-and-link": (BRIDGE.format(attrs="", inner='<interface type="ethernet" name="e0">'
                                                    '<link/><mac address="aa:bb:cc:dd:ee:ff"/></interface>'),
                                      True, True),
    "whitespace-and-comments": ('<interface type="ethernet" name="eth0">\n  <!-- hi -->\n  <?pi x?>\n'
                                '  <start mode="onboot"/>\n</interface>', True, True),
    "bare-vlan-with-mtu": (BRIDGE.format(attrs="", inner='<interface type="vlan"><mtu size="1500"/>'
                                         '<vlan tag="1"><interface name="e"/></vlan></interface>'),
                           False, False),
    "bond-no-slaves": (BOND.format(attrs="", inner=""), False, False),
    "bridge-in-bridge": (BRIDGE.format(attrs="", inner='<interface type="bridge" name="b1"><bridge/>'
                                       "</interface>"), False, False),
    "mac-on-vlan": (VLAN.format(inner='<mac address="aa:bb:cc:dd:ee:ff"/><vlan tag="1">'
                                '<interface name="e"/></vlan>'), False, False),
}


@pytest.mark.parametrize(("text", "ours_expected", "libvirt_expected"), list(TRICKY.values()),
                         ids=list(TRICKY))
def test_ours_is_a_subset_of_libvirt(text: str, ours_expected: bool, libvirt_expected: bool | None):
    el = doc(text)
    accepted, libvirt_accepted = ours_ok(el), libvirt_ok(el)
    if accepted:
        assert libvirt_accepted, (text, libvirt().error_log)
    assert accepted == ours_expected, (text, ours().error_log)
    if libvirt_expected is not None:
        assert libvirt_accepted == libvirt_expected, (text, libvirt().error_log)


def test_the_tricky_table_has_every_outcome():
    outcomes = {(o, lv) for _, o, lv in TRICKY.values() if lv is not None}
    assert outcomes == {(True, True), (False, True), (False, False)}


@settings(max_examples=300, deadline=None)
@given(path=st.sampled_from(CORPUS), data=st.data())
def test_mutated_corpus_keeps_the_subset(path: Path, data: st.DataObject):
    """Drop, duplicate or move one element of a corpus file: whatever our
    grammar still accepts, libvirt's must too."""
    root = etree.parse(str(path)).getroot()
    elements = list(root.iter(etree.Element))[1:]
    victim = data.draw(st.sampled_from(elements))
    action = data.draw(st.sampled_from(("drop", "duplicate", "move")))
    parent = victim.getparent()
    if action == "drop":
        parent.remove(victim)
    elif action == "duplicate":
        copy = etree.fromstring(etree.tostring(victim, with_tail=False))
        parent.insert(data.draw(st.integers(0, len(parent))), copy)
    else:
        parent.remove(victim)
        target = data.draw(st.sampled_from(list(root.iter(etree.Element))))
        target.insert(data.draw(st.integers(0, len(target))), victim)
    if ours_ok(root):
        assert libvirt_ok(root), etree.tostring(root)
