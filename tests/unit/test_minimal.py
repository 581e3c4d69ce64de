"""The smallest edit (augnetcf.minimal) on forests alone: real stylesheets, no Augeas.

Each case is a unit as the files hold it (the *old* forest) and the forest
the to-forest stylesheet writes for an edited description (the *new* one).
:func:`minimal.conserve` must move the new forest towards the old one
exactly as far as the from-forest stylesheet reads both the same.
"""

from __future__ import annotations

import copy

from lxml import etree

from augnetcf import backends, index, minimal, schema, xslt

REDHAT = backends.get("redhat")
DEBIAN = backends.get("debian")


def forest(*trees: tuple[str, list[tuple[str, str]]]) -> etree._Element:
    out = etree.Element("forest")
    for path, nodes in trees:
        tree = etree.SubElement(out, "tree", path=path)
        for label, value in nodes:
            etree.SubElement(tree, "node", label=label, value=value)
    return out


def pairs(tree: etree._Element) -> list[tuple[str, str]]:
    return [(n.get("label"), n.get("value")) for n in tree.iterchildren("node")]


def meaning_of(backend: backends.Backend, name: str, *others: str) -> minimal.Meaning:
    """What the engine compares: *name*'s XML and each of *others*' own (bare ports here)."""
    def facts(el: etree._Element) -> tuple[str, str, list[str]]:
        return (index.xpath(el, backend.unit_name) or el.get("path").rpartition("ifcfg-")[2],
                index.xpath(el, backend.unit_master), str(index.xpath(el, backend.unit_ports)).split())

    def alone(f: etree._Element, n: str) -> etree._Element | None:
        """A forest of copies of *n*'s units, each in a copy of its file's tree."""
        own = [el for el in f.xpath(backend.unit) if facts(el)[0] == n]
        if not own:
            return None
        out = etree.Element("forest")
        for el in own:
            home = out if el.tag == "tree" else etree.SubElement(out, "tree", path=el.getparent().get("path"))
            home.append(copy.deepcopy(el))
        return out

    return minimal.reading(backend, name, {n: set() for n in others}, facts, alone)


IFCFG = "/files/etc/sysconfig/network-scripts/ifcfg-eth0"
ETH0_STATIC = """<interface type="ethernet" name="eth0"><start mode="onboot"/>
  <protocol family="ipv4">
    <ip address="192.168.122.21" prefix="24"/><route gateway="192.168.122.1"/>
  </protocol>
</interface>"""


def test_an_explicit_default_stays_and_the_files_spelling_is_taken():
    old = forest((IFCFG, [("DEVICE", "eth0"), ("ONBOOT", "yes"), ("BOOTPROTO", "none"), ("IPV6INIT", "no"),
                          ("IPADDR", "192.168.122.20"), ("PREFIX", "24"), ("GATEWAY", "192.168.122.1")]))
    new = xslt.to_forest(schema.load(ETH0_STATIC), REDHAT)
    target = meaning_of(REDHAT, "eth0")(new)
    kept = minimal.conserve(new, [(new[0], old[0])], [], meaning_of(REDHAT, "eth0"), REDHAT)
    got = dict(pairs(new[0]))
    assert got["IPV6INIT"] == "no"  # stated in the file, means what the XML means: kept
    assert got["PREFIX"] == "24" and "NETMASK" not in got  # the file's spelling of the prefix
    assert got["IPADDR"] == "192.168.122.21"  # the edit itself
    assert kept >= 2
    assert meaning_of(REDHAT, "eth0")(new) == target


def test_a_default_the_file_does_not_state_is_not_added():
    old = forest((IFCFG, [("DEVICE", "eth0"), ("ONBOOT", "yes"),
                          ("IPADDR", "192.168.122.20"), ("PREFIX", "24")]))
    new = xslt.to_forest(schema.load(ETH0_STATIC.replace('<route gateway="192.168.122.1"/>', "")), REDHAT)
    assert ("BOOTPROTO", "none") in pairs(new[0])  # the stylesheet states it
    minimal.conserve(new, [(new[0], old[0])], [], meaning_of(REDHAT, "eth0"), REDHAT)
    # absent, BOOTPROTO means none to initscripts and to augnetcf's reader: not written out
    assert "BOOTPROTO" not in [label for label, _v in pairs(new[0])]


def test_a_value_that_means_something_else_is_not_given_back():
    old = forest((IFCFG, [("DEVICE", "eth0"), ("ONBOOT", "yes"), ("IPV6INIT", "yes"),
                          ("IPV6_AUTOCONF", "yes"), ("IPADDR", "192.168.122.20"), ("PREFIX", "24")]))
    new = xslt.to_forest(schema.load(ETH0_STATIC), REDHAT)
    target = meaning_of(REDHAT, "eth0")(new)
    minimal.conserve(new, [(new[0], old[0])], [], meaning_of(REDHAT, "eth0"), REDHAT)
    assert dict(pairs(new[0])).get("IPV6INIT") != "yes"  # the XML has no IPv6: autoconf must go
    assert meaning_of(REDHAT, "eth0")(new) == target


def test_a_ports_bare_stanza_is_kept_when_it_changes_nothing():
    path = "/files/etc/network/interfaces"
    files = etree.fromstring(f"""<forest><tree path="{path}">
      <node label="iface" value="eno1">
        <node label="family" value="inet"/><node label="method" value="manual"/></node>
      <node label="iface" value="vmbr0">
        <node label="family" value="inet"/><node label="method" value="static"/>
        <node label="address" value="192.168.1.10/24"/><node label="gateway" value="192.168.1.1"/>
        <node label="bridge-ports" value="eno1"/><node label="bridge-stp" value="off"/>
        <node label="bridge-fd" value="0"/></node></tree></forest>""")
    xml = """<interface type="bridge" name="vmbr0"><mtu size="9000"/>
      <protocol family="ipv4">
        <ip address="192.168.1.10" prefix="24"/><route gateway="192.168.1.1"/>
      </protocol>
      <bridge stp="off" delay="0"><interface type="ethernet" name="eno1"/></bridge></interface>"""
    new = xslt.to_forest(schema.load(xml), DEBIAN)
    stanza = new.find("tree/node[@value='vmbr0']")
    port = files.find("tree/node[@value='eno1']")
    meaning = meaning_of(DEBIAN, "vmbr0", "eno1")
    target = meaning(new)
    minimal.conserve(new, [(stanza, files.find("tree/node[@value='vmbr0']"))], [port], meaning, DEBIAN)
    assert new.find("tree/node[@value='eno1']") is not None  # grafted: it stays in the file
    got = [label for label, _v in pairs(stanza)]
    assert "bridge-ports" in got and "bridge_ports" not in got  # the file's spelling of the option
    assert "mtu" in got
    assert meaning(new) == target


def test_a_former_ports_stanza_that_says_more_is_not_grafted():
    path = "/files/etc/network/interfaces"
    files = etree.fromstring(f"""<forest><tree path="{path}">
      <node label="iface" value="eno1">
        <node label="family" value="inet"/><node label="method" value="static"/>
        <node label="address" value="10.0.0.2/24"/></node></tree></forest>""")
    xml = """<interface type="bridge" name="vmbr0">
      <bridge stp="off" delay="0"><interface type="ethernet" name="eno1"/></bridge></interface>"""
    new = xslt.to_forest(schema.load(xml), DEBIAN)
    minimal.conserve(new, [], [files.find("tree/node")], meaning_of(DEBIAN, "vmbr0", "eno1"), DEBIAN)
    assert new.find("tree/node[@value='eno1']") is None  # a port with an address means something else


def test_nothing_to_compare_changes_nothing():
    new = xslt.to_forest(schema.load(ETH0_STATIC), REDHAT)
    before = etree.tostring(new)
    assert minimal.conserve(new, [], [], meaning_of(REDHAT, "eth0"), REDHAT) == 0
    assert etree.tostring(new) == before


def test_a_key_that_relates_the_interface_elsewhere_is_not_given_back():
    old = forest(("/files/etc/sysconfig/network-scripts/ifcfg-eth1",
                  [("DEVICE", "eth1"), ("ONBOOT", "yes"), ("MASTER", "bond0"), ("SLAVE", "yes")]))
    xml = """<interface type="bridge" name="br0"><start mode="onboot"/>
      <bridge stp="off"><interface type="ethernet" name="eth1"/></bridge></interface>"""
    new = xslt.to_forest(schema.load(xml), REDHAT)
    port = new.xpath("tree[node[@value='eth1']]")[0]
    minimal.conserve(new, [(port, old[0])], [], meaning_of(REDHAT, "br0", "eth1"), REDHAT)
    got = dict(pairs(port))
    assert "MASTER" not in got and got["BRIDGE"] == "br0"  # eth1 leaves bond0 for br0


ETH0_DHCP_V6 = """<interface type="ethernet" name="eth0"><start mode="onboot"/>
  <mtu size="1400"/>
  <protocol family="ipv4"><dhcp peerdns="no"/></protocol>
  <protocol family="ipv6"><dhcp/></protocol>
</interface>"""


def test_a_key_the_file_sets_twice_keeps_both_lines_in_the_files_order():
    # A shell reads the last IPV6INIT: "no" then "yes" means yes, as the new XML does.
    old = forest((IFCFG, [("DEVICE", "eth0"), ("BOOTPROTO", "dhcp"), ("ONBOOT", "yes"),
                          ("IPV6INIT", "no"), ("PEERDNS", "no"), ("IPV6_AUTOCONF", "no"),
                          ("IPV6INIT", "yes"), ("DHCPV6C", "yes")]))
    new = xslt.to_forest(schema.load(ETH0_DHCP_V6), REDHAT)
    meaning = meaning_of(REDHAT, "eth0")
    target = meaning(new)
    minimal.conserve(new, [(new[0], old[0])], [], meaning, REDHAT)
    assert [v for label, v in pairs(new[0]) if label == "IPV6INIT"] == ["no", "yes"]
    assert meaning(new) == target


def test_a_repeated_key_that_would_change_the_meaning_is_dropped():
    # "yes" then "no" means no; the new XML has DHCPv6, so only its own line stays.
    old = forest((IFCFG, [("DEVICE", "eth0"), ("BOOTPROTO", "dhcp"), ("IPV6INIT", "yes"),
                          ("IPV6INIT", "no")]))
    new = xslt.to_forest(schema.load(ETH0_DHCP_V6), REDHAT)
    meaning = meaning_of(REDHAT, "eth0")
    minimal.conserve(new, [(new[0], old[0])], [], meaning, REDHAT)
    assert [v for label, v in pairs(new[0]) if label == "IPV6INIT"] == ["yes"]


def test_a_key_set_once_is_still_never_doubled():
    old = forest((IFCFG, [("DEVICE", "eth0"), ("BOOTPROTO", "dhcp"), ("IPV6INIT", "no")]))
    new = xslt.to_forest(schema.load(ETH0_DHCP_V6), REDHAT)
    minimal.conserve(new, [(new[0], old[0])], [], meaning_of(REDHAT, "eth0"), REDHAT)
    assert [v for label, v in pairs(new[0]) if label == "IPV6INIT"] == ["yes"]


NETWORKD = backends.get("networkd")
DUMMY = "/files/etc/systemd/network/25-dummy98.network"


def networkd_forest(network: list[str]) -> etree._Element:
    """A .network for dummy98 whose [Network] section says *network* (``Key=value`` lines)."""
    out = etree.Element("forest")
    tree = etree.SubElement(out, "tree", path=DUMMY)
    match = etree.SubElement(etree.SubElement(tree, "node", label="Match"), "node", label="Name")
    etree.SubElement(match, "node", label="value", value="dummy98")
    section = etree.SubElement(tree, "node", label="Network")
    for line in network:
        key, _eq, value = line.partition("=")
        etree.SubElement(etree.SubElement(section, "node", label=key), "node", label="value", value=value)
    return out


def network_keys(forest: etree._Element) -> list[str]:
    return [f"{k.get('label')}={k.find('node').get('value')}"
            for k in forest.xpath("tree/node[@label='Network']/node")]


def test_a_line_networkd_ignores_stays_beside_the_address_it_repeats():
    # networkd ignores Address=hogehoge (no address); the file's lines stay, in their order
    old = networkd_forest(["Address=hogehoge", "Address=10.0.0.1/24", "IPv6AcceptRA=no"])
    xml = """<interface type="ethernet" name="dummy98"><start mode="onboot"/><mtu size="1400"/>
      <protocol family="ipv4"><ip address="10.0.0.1" prefix="24"/></protocol></interface>"""
    new = xslt.to_forest(schema.load(xml), NETWORKD)
    meaning = meaning_of(NETWORKD, "dummy98")
    target = meaning(new)
    minimal.conserve(new, [(new[0], old[0])], [], meaning, NETWORKD)
    assert network_keys(new)[:2] == ["Address=hogehoge", "Address=10.0.0.1/24"]
    assert meaning(new) == target



SUSE = backends.get("suse")
SUSE_DIR = "/files/etc/sysconfig/network"


def test_a_ports_new_file_holds_only_what_it_must_say():
    # br0's MTU must reach its port, which has no file yet: the new file says
    # the MTU, not a start mode or a boot protocol the port's reading does not count
    old = forest((f"{SUSE_DIR}/ifcfg-br0", [("STARTMODE", "auto"), ("BOOTPROTO", "dhcp"), ("BRIDGE", "yes"),
                                             ("BRIDGE_PORTS", "eth0"), ("BRIDGE_STP", "on")]))
    xml = """<interface type="bridge" name="br0"><start mode="onboot"/><mtu size="1400"/>
      <protocol family="ipv4"><dhcp/></protocol>
      <bridge stp="on"><interface type="ethernet" name="eth0"/></bridge></interface>"""
    new = xslt.to_forest(schema.load(xml), SUSE)
    bridge = new.find(f"tree[@path='{SUSE_DIR}/ifcfg-br0']")
    port = new.find(f"tree[@path='{SUSE_DIR}/ifcfg-eth0']")
    assert ("MTU", "1400") in pairs(port) and len(pairs(port)) > 1
    meaning = meaning_of(SUSE, "br0", "eth0")
    target = meaning(new)
    minimal.conserve(new, [(bridge, old[0])], [], meaning, SUSE, [port])
    assert pairs(port) == [("MTU", "1400")]
    assert meaning(new) == target


# -- a new section takes the file's blank-line style (backends.section_spacing) ------------------

def test_a_new_section_is_set_apart_where_the_files_sections_are():
    old = b"[Match]\nName=eth0\n\n[Network]\nDHCP=yes\n"
    new = b"[Match]\nName=eth0\n\n[Network]\nDHCP=yes\n[Link]\nMTUBytes=1400\n"
    assert backends.section_spacing(old, new) == new.replace(b"\n[Link]", b"\n\n[Link]")


def test_a_file_whose_sections_touch_keeps_them_touching():
    old = b"[Match]\nName=eth0\n[Network]\nDHCP=yes\n"
    new = old + b"[Link]\nMTUBytes=1400\n"
    assert backends.section_spacing(old, new) == new


def test_an_existing_section_is_not_moved_apart():
    old = b"[Match]\nName=eth0\n\n[Network]\nDHCP=yes\n[Network]\nAddress=10.0.0.2/24\n"
    new = old.replace(b"DHCP=yes", b"DHCP=no")
    assert backends.section_spacing(old, new) == new
