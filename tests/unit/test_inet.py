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


def test_networkd_legacy_prefix_is_netaddrs_class_rule():
    """networkd's prefix for a bare Address= (its class, 0 for IPv6), now
    without netaddr's import, is what netaddr's parse gave on every sample."""
    from augnetcf.backends.networkd import _legacy_prefix

    def with_netaddr(address: str) -> str:
        try:
            ip = netaddr.IPAddress(address.strip(), flags=netaddr.INET_PTON)
        except (netaddr.AddrFormatError, ValueError):
            return ""
        if ip.version == 6:
            return "0"
        first = int(ip) >> 24
        return "8" if first < 128 else "16" if first < 192 else "24" if first < 224 else ""

    samples = ["10.0.0.1", " 10.0.0.1 ", "127.0.0.1", "128.0.0.1", "191.255.0.1", "192.168.1.1", "223.1.1.1",
               "224.0.0.1", "240.0.0.1", "255.255.255.255", "0.0.0.0", "010.0.0.1", "10.0.1", "10", "::1",
               "fe80::1", "2001:db8::1", "::ffff:10.0.0.1", "1.2.3.4.5", "", "x", "10.0.0.256", "१.२.३.४",
               "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "::", "0x10.0.0.1"]
    for a in samples:
        assert _legacy_prefix(a) == with_netaddr(a), a
