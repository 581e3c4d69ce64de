"""The nm-keyfile and networkd stylesheets against golden files, without libaugeas.

For every case in netcf's test data (``tests/data/netcf/interface/X.xml``):

* the description is either refused by exactly the backend limits listed in
  :data:`REFUSED`, or ``to_forest`` gives the files in
  ``tests/data/goldens/BACKEND/X.txt`` (text as the lens writes a new file;
  ``uuid=UUID`` stands for a fresh random UUID);
* ``from_forest`` of those files gives back ``interface/X.xml`` under
  netcf's equality.

Then ``from_forest`` on files as people and other tools write them:
NetworkManager's defaults for missing keys, masters named by UUID, the old
``802-3-ethernet`` names, the older ``gateway=`` key; networkd's drop-ins, time
spans, booleans, defaults.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import DATA, NETCF
from ini_forest import UUID, parse, render
from lxml import etree
from netcf_equal import parse_xml, xml_diff

from augnetcf import backends, schema, xslt
from augnetcf.config import XPATH_NS

NM = backends.get("nm-keyfile")
NETWORKD = backends.get("networkd")
BACKENDS = {"nm-keyfile": NM, "networkd": NETWORKD}
GOLDENS = DATA / "goldens"
CASES = sorted(p.stem for p in (NETCF / "interface").glob("*.xml") if p.stem != "schemas")

#: Which netcf cases each backend refuses, and the limit that says why.
REFUSED = {
    ("nm-keyfile", "bridge"): "forward-delay is whole seconds",
    ("nm-keyfile", "bridge-multi"): "forward-delay is whole seconds",
    ("nm-keyfile", "bridge-multi-all"): "not both",
    ("nm-keyfile", "ipv6-autoconf-dhcp"): "not both",
    ("networkd", "bond"): "use_carrier",
    ("networkd", "bridge-bond"): "use_carrier",
    ("networkd", "bridge-multi"): "without a prefix",
    ("networkd", "bridge-multi-all"): "without a prefix",
    ("networkd", "ethernet-static-no-prefix"): "without a prefix",
}


def interface_doc(case: str) -> etree._ElementTree:
    path = NETCF / "interface" / f"{case}.xml"
    return schema.load(path.read_bytes(), str(path))


def refusals(doc: etree._ElementTree, backend: backends.Backend) -> list[str]:
    return [why for expr, why in backend.limits if doc.xpath(expr, namespaces=XPATH_NS)]


def golden(backend: str, case: str) -> Path:
    return GOLDENS / backend / f"{case}.txt"


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("backend", list(BACKENDS))
def test_to_forest_gives_the_golden_files(backend, case):
    doc = interface_doc(case)
    why = refusals(doc, BACKENDS[backend])
    if (backend, case) in REFUSED:
        assert any(REFUSED[backend, case] in w for w in why), why
        assert not golden(backend, case).exists()
        return
    assert why == []
    forest = xslt.to_forest(doc, BACKENDS[backend])
    assert render(forest) == golden(backend, case).read_text()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("backend", list(BACKENDS))
def test_from_forest_of_the_golden_files_gives_the_interface(backend, case):
    if (backend, case) in REFUSED:
        return
    want = parse_xml(NETCF / "interface" / f"{case}.xml")
    forest = parse(golden(backend, case).read_text(), nested=backend == "networkd")
    got = xslt.from_forest(forest, BACKENDS[backend], want.get("name"))
    assert xml_diff(want, got) is None, etree.tostring(got, pretty_print=True).decode()
    schema.validate(etree.ElementTree(got), f"from_forest({case})")


def test_every_golden_file_belongs_to_a_case():
    for backend in BACKENDS:
        for path in (GOLDENS / backend).glob("*.txt"):
            assert path.stem in CASES and (backend, path.stem) not in REFUSED, path


def test_a_new_connection_gets_a_fresh_uuid_each_time():
    doc = interface_doc("ethernet-dhcp")
    uuids = {xslt.to_forest(doc, NM).xpath("string(//node[@label='uuid']/@value)") for _ in range(3)}
    assert len(uuids) == 3 and all(UUID.match(u) for u in uuids)


def test_ports_name_their_master_and_carry_no_ip_settings():
    """Empty [ipv4]/[ipv6]: not written into a new file, emptied of our keys in an old one."""
    forest = xslt.to_forest(interface_doc("bridge-bond"), NM)
    for tree in forest.findall("tree")[1:]:
        assert [len(tree.find(f"node[@label='{s}']")) for s in ("ipv4", "ipv6")] == [0, 0]
        master = tree.xpath("string(node[@label='connection']/node[@label='master']/@value)")
        assert master in ("br0", "bond0")


# -- reading what people and other tools write ---------------------------------------------------

def nm_read(text: str, name: str) -> str:
    forest = parse(textwrap.dedent(text), nested=False)
    return etree.tostring(xslt.from_forest(forest, NM, name)).decode()


def networkd_read(text: str, name: str) -> str:
    forest = parse(textwrap.dedent(text), nested=True)
    return etree.tostring(xslt.from_forest(forest, NETWORKD, name)).decode()


def compact(xml: str) -> str:
    return re.sub(r">\s+<", "><", textwrap.dedent(xml).strip())


def test_nm_missing_keys_mean_what_networkmanager_assumes():
    got = nm_read("""\
        == /etc/NetworkManager/system-connections/Wired connection 1.nmconnection
        [connection]
        id=Wired connection 1
        uuid=7a1c3ad3-5f34-4c36-9a8c-0b0f6f8c1e01
        type=802-3-ethernet
        interface-name=eth0
        [802-3-ethernet]
        mac-address=52:54:00:AB:CD:EF
        """, "eth0")
    assert got == compact("""
        <interface type="ethernet" name="eth0"><start mode="onboot"/>
        <mac address="52:54:00:ab:cd:ef"/><protocol family="ipv4"><dhcp/></protocol>
        <protocol family="ipv6"><autoconf/></protocol></interface>""")


def test_nm_ports_may_name_their_master_by_uuid_or_id_and_the_gateway_key():
    got = nm_read("""\
        == /etc/NetworkManager/system-connections/bond.nmconnection
        [connection]
        id=my bond
        uuid=11111111-2222-4333-8444-555555555555
        type=bond
        interface-name=bond0
        autoconnect=FALSE
        [bond]
        mode=active-backup
        miimon=100
        primary=eth2
        [ipv4]
        method=manual
        address2=10.0.0.9/24
        address1=10.0.0.8/24
        gateway=10.0.0.1
        ignore-auto-dns=true
        [ipv6]
        method=disabled
        == /etc/NetworkManager/system-connections/a.nmconnection
        [connection]
        id=a
        type=ethernet
        interface-name=eth1
        master=11111111-2222-4333-8444-555555555555
        slave-type=bond
        == /etc/NetworkManager/system-connections/b.nmconnection
        [connection]
        id=b
        type=ethernet
        interface-name=eth2
        master=my bond
        slave-type=bond
        """, "bond0")
    assert got == compact("""
        <interface type="bond" name="bond0"><start mode="none"/>
        <protocol family="ipv4"><ip address="10.0.0.8" prefix="24"/><ip address="10.0.0.9" prefix="24"/>
        <route gateway="10.0.0.1"/></protocol>
        <bond mode="active-backup"><miimon freq="100"/><interface type="ethernet" name="eth2"/>
        <interface type="ethernet" name="eth1"/></bond></interface>""")


@pytest.mark.parametrize(("method", "want"), [
    ("auto", "<autoconf/>"), ("dhcp", "<dhcp/>"), ("manual", ""), ("link-local", ""),
])
def test_nm_ipv6_methods(method, want):
    got = nm_read(f"""\
        == /etc/NetworkManager/system-connections/x.nmconnection
        [connection]
        type=ethernet
        interface-name=eth0
        [ipv4]
        method=disabled
        [ipv6]
        method={method}
        """, "eth0")
    assert f'<protocol family="ipv6">{want}</protocol>' in got or \
        (want == "" and '<protocol family="ipv6"/>' in got)


@pytest.mark.parametrize("method", ["ignore", "disabled"])
def test_nm_ipv6_off(method):
    got = nm_read(f"""\
        == /etc/NetworkManager/system-connections/x.nmconnection
        [connection]
        type=ethernet
        interface-name=eth0
        [ipv4]
        method=link-local
        [ipv6]
        method={method}
        """, "eth0")
    assert "protocol" not in got


def test_networkd_drop_ins_apply_after_their_file_in_order():
    got = networkd_read("""\
        == /etc/systemd/network/10-eth0.network
        [Match]
        Name=eth0
        [Network]
        DHCP=yes
        Address=10.0.0.5/24
        == /etc/systemd/network/10-eth0.network.d/10-static.conf
        [Network]
        DHCP=no
        Address=10.0.0.6/24
        == /etc/systemd/network/10-eth0.network.d/20-mtu.conf
        [Link]
        MTUBytes=9000
        ActivationPolicy=manual
        """, "eth0")
    assert got == compact("""
        <interface type="ethernet" name="eth0"><start mode="none"/><mtu size="9000"/>
        <protocol family="ipv4"><ip address="10.0.0.5" prefix="24"/><ip address="10.0.0.6" prefix="24"/>
        </protocol></interface>""")


def test_networkd_time_spans_booleans_and_defaults():
    got = networkd_read("""\
        == /etc/systemd/network/br.netdev
        [NetDev]
        Name=br0
        Kind=bridge
        [Bridge]
        STP=on
        ForwardDelaySec=1500ms
        == /etc/systemd/network/bond.netdev
        [NetDev]
        Name=bond0
        Kind=bond
        [Bond]
        Mode=balance-rr
        MIIMonitorSec=1s
        UpDelaySec=0.2
        == /etc/systemd/network/br.network
        [Match]
        Name=br0
        [Network]
        DHCP=true
        == /etc/systemd/network/bond.network
        [Match]
        Name=bond0
        [Network]
        Bridge=br0
        == /etc/systemd/network/eth.network
        [Match]
        Name=eth0
        [Network]
        Bond=bond0
        """, "br0")
    assert got == compact("""
        <interface type="bridge" name="br0"><start mode="onboot"/>
        <protocol family="ipv4"><dhcp/></protocol><protocol family="ipv6"><autoconf/><dhcp/></protocol>
        <bridge stp="on" delay="1.5"><interface type="bond" name="bond0"><bond mode="balance-rr">
        <miimon freq="1000" updelay="200"/><interface type="ethernet" name="eth0"/></bond></interface>
        </bridge></interface>""")


@pytest.mark.parametrize(("span", "unit", "want"), [
    ("100ms", "ms", "100"), ("1s", "ms", "1000"), ("2s 500ms", "ms", "2500"), ("1min", "s", "60"),
    ("0.01", "s", "0.01"), ("15", "s", "15"), ("1.5s", "ms", "1500"), ("soon", "s", ""), ("", "s", ""),
])
def test_span(span, unit, want):
    assert etree.XPath("ancf:span($s, $u)", namespaces=XPATH_NS)(etree.Element("x"), s=span, u=unit) == want
