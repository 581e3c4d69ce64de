"""augnetcf.macs reads every MAC spelling exactly as netaddr does (it stands
in for netaddr so that ``list`` need not import it)."""

from __future__ import annotations

import netaddr
from hypothesis import given
from hypothesis import strategies as st

from augnetcf import xslt
from augnetcf.macs import MAC48, normalize_mac

HEX = "0123456789abcdefABCDEF"
octet = st.text(HEX, min_size=1, max_size=2)


def netaddrs(mac: str) -> str | None:
    """What normalize_mac said when it called netaddr for every spelling."""
    text = mac.strip()
    if not MAC48.fullmatch(text):
        return None
    try:
        return str(netaddr.EUI(text, version=48, dialect=netaddr.mac_unix_expanded))
    except netaddr.AddrFormatError:
        return "refused"


def ours(mac: str) -> str | None:
    try:
        return normalize_mac(mac)
    except netaddr.AddrFormatError:
        return "refused"


separated = st.builds(lambda os_, seps: "".join(o + s for o, s in zip(os_, [*seps, ""])),
                      st.lists(octet, min_size=6, max_size=6),
                      st.one_of(st.sampled_from(":-").map(lambda s: [s] * 5),
                                st.lists(st.sampled_from(":-"), min_size=5, max_size=5)))
dotted = st.lists(st.text(HEX, min_size=4, max_size=4), min_size=3, max_size=3).map(".".join)
bare = st.text(HEX, min_size=12, max_size=12)
anything = st.text(HEX + ":-. \n\t", max_size=20)


@given(st.one_of(separated, dotted, bare, anything), st.sampled_from(["", " ", "\n"]))
def test_same_as_netaddr(mac, pad):
    assert ours(pad + mac + pad) == netaddrs(pad + mac + pad)


def test_examples():
    assert normalize_mac("52:54:00:12:34:56") == "52:54:00:12:34:56"
    assert normalize_mac("5254.0012.3456") == "52:54:00:12:34:56"
    assert normalize_mac("AB-CD-EF-1-2-3") == "ab:cd:ef:01:02:03"
    assert normalize_mac("1") is None
    assert xslt.normalize_mac is normalize_mac
