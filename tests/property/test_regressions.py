"""Examples hypothesis found, kept as explicit tests (see test_roundtrip.py).

Each is either defined and read back unchanged, or refused as Unsupported by
the backends that cannot express it, with nothing written.
"""

import shutil

import pytest
from lxml import etree
from test_roundtrip import empty_root, files, normal

import augnetcf

FOUND = {
    # ifupdown reads 'none' in bond_slaves / bridge_ports as "no interfaces"
    "slave-named-none": ('<interface type="bond" name="0"><bond>'
                         '<interface type="ethernet" name="none"/></bond></interface>', {"debian"}),
    # PEERDNS is an IPv4 DHCP setting in initscripts
    "ipv6-dhcp-peerdns": ('<interface type="ethernet" name="0"><start mode="none"/>'
                          '<protocol family="ipv6"><dhcp peerdns="yes"/></protocol></interface>',
                          {"redhat", "debian", "suse"}),
    # a gateway and nothing else: SUSE keeps it in routes, ifupdown needs an address for it
    "gateway-only": ('<interface type="bond" name="0"><start mode="none"/><protocol family="ipv4">'
                     '<route gateway="0.0.0.0"/></protocol><bond><interface type="ethernet" name="00"/>'
                     '<interface type="ethernet" name="1"/></bond></interface>', {"debian", "nm-keyfile"}),
    # slaves of a bond inside a bridge: equal sets, whatever order each level lists them in
    "nested-port-order": ('<interface type="bridge" name="1"><bridge><interface type="bond" name="2"><bond>'
                          '<interface type="ethernet" name="3"/></bond></interface>'
                          '<interface type="ethernet" name="4"/><interface type="bond" name="0000"><bond>'
                          '<interface type="ethernet" name="0"/><interface type="ethernet" name="000"/>'
                          '<interface type="ethernet" name="00"/></bond></interface></bridge></interface>',
                          set()),
    # ARP monitoring every 0 ms is still ARP monitoring as written (nm-keyfile and networkd read it as none)
    "arpmon-interval-zero": ('<interface type="bond" name="0"><start mode="none"/><bond>'
                             '<arpmon interval="0" target="0.0.0.0"/><interface type="ethernet" name="00"/>'
                             '</bond></interface>', set()),
    # 'none' is a keyword in ifupdown's bridge_ports only: elsewhere a port so named keeps its MAC
    "port-named-none-with-a-mac": ('<interface type="bridge" name="0"><bridge><interface type="ethernet" '
                                   'name="none"><mac address="00:00:00:00:00:00"/></interface></bridge>'
                                   '</interface>', {"debian"}),
}


@pytest.mark.parametrize("backend", ["redhat", "debian", "suse", "nm-keyfile", "networkd"])
@pytest.mark.parametrize(("xml", "refused_by"), list(FOUND.values()), ids=list(FOUND))
def test_found_example(backend: str, xml: str, refused_by: set[str]) -> None:
    root = empty_root(backend)
    try:
        with augnetcf.Config(str(root), backend) as cfg:
            if backend in refused_by:
                before = files(root)
                with pytest.raises(augnetcf.Unsupported):
                    cfg.define(xml, "<found>")
                assert files(root) == before
            else:
                cfg.define(xml, "<found>")
                name = etree.fromstring(xml).get("name")
                assert normal(cfg.xml_desc(name)) == normal(xml.encode())
    finally:
        shutil.rmtree(root)
