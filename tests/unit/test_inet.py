"""augnetcf.inet answers exactly as netaddr does with ``INET_PTON`` (it stands
in for netaddr on every dumpxml and define, whose import costs more than the
command's work)."""

from __future__ import annotations

import netaddr
import pytest
from hypothesis import given
from hypothesis import strategies as st

from augnetcf import inet

octet = st.one_of(st.integers(0, 255).map(str), st.integers(0, 999).map(str),
                  st.integers(0, 255).map(lambda i: f"0{i}"), st.text("0123456789x ", max_size=4))
quads = st.lists(octet, min_size=1, max_size=5).map(".".join)
masks = st.integers(0, 32).map(lambda p: inet.netmask(p))
v6 = st.one_of(st.ip_addresses(v=6).map(str), st.text("0123456789abcdef:.%", max_size=24))
anything = st.text(max_size=16).filter(lambda s: "\x00" not in s)


def outcome(fn, *args):
    try:
        return fn(*args)
    except (netaddr.AddrFormatError, ValueError):
        return "refused"


@given(st.one_of(quads, masks, anything, st.ip_addresses(v=4).map(str)))
def test_ipv4_as_netaddr(addr):
    # netaddr before 1.0 (Debian 12's 0.8) raises on "" where 1.x answers False
    assert inet.valid_ipv4(addr) == (bool(addr) and netaddr.valid_ipv4(addr, netaddr.INET_PTON))

    def theirs(a: str) -> netaddr.IPAddress:
        return netaddr.IPAddress(a, version=4, flags=netaddr.INET_PTON)

    assert outcome(inet.is_netmask, addr) == outcome(lambda a: theirs(a).is_netmask(), addr)
    assert outcome(inet.netmask_bits, addr) == outcome(lambda a: theirs(a).netmask_bits(), addr)


@given(st.one_of(v6, anything))
def test_ipv6_as_netaddr(addr):
    assert inet.valid_ipv6(addr) == (bool(addr) and netaddr.valid_ipv6(addr, netaddr.INET_PTON))


@pytest.mark.parametrize("prefix", range(33))
def test_netmask_as_netaddr(prefix):
    assert inet.netmask(prefix) == str(netaddr.IPNetwork(f"0.0.0.0/{prefix}").netmask)
    assert inet.netmask_bits(inet.netmask(prefix)) == prefix


@given(st.one_of(st.integers(-2, 40).map(str), st.text("0123456789 -+x", max_size=4)))
def test_netmask_for_as_netaddr(prefix):
    def theirs(p: str) -> str:
        return str(netaddr.IPNetwork(f"0.0.0.0/{p}").netmask)

    assert outcome(inet.netmask_for, prefix) == outcome(theirs, prefix)
