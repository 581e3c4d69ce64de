"""The few IPv4/IPv6 questions every dumpxml and define asks, without netaddr.

Importing netaddr costs a command about two thirds of what starting Python
with lxml does (its package imports the EUI/OUI machinery too), and the
schema check, the stylesheets' netmask/prefix functions and the Red Hat and
SUSE respelling only ask: is this an address, what is the mask of prefix N,
how many bits has this netmask. These functions answer exactly as netaddr
1.x does with its default flags (``inet_pton`` rules, no leading zeros), by
calling the same C function netaddr calls, on every netaddr version (before
1.0 netaddr read ``10.1`` as an address unless told ``INET_PTON``; these
never do); tests/unit/test_inet.py checks them against netaddr itself with
``INET_PTON``. Everything else still asks netaddr.
"""

from __future__ import annotations

from _socket import AF_INET, AF_INET6, inet_pton  # what netaddr's strategies call


def valid_ipv4(addr: str) -> bool:
    """``netaddr.valid_ipv4(addr)``: dotted quad, inet_pton's rules, no octet with a leading zero."""
    if not addr.isascii() or ":" in addr or any(len(p) > 1 and p.startswith("0") for p in addr.split(".")):
        return False
    try:
        inet_pton(AF_INET, addr)
    except OSError:
        return False
    return True


def valid_ipv6(addr: str) -> bool:
    """``netaddr.valid_ipv6(addr)``."""
    if not addr.isascii():
        return False
    try:
        inet_pton(AF_INET6, addr)
    except OSError:
        return False
    return True


def netmask(prefix: int) -> str:
    """``str(netaddr.IPNetwork(f"0.0.0.0/{prefix}").netmask)`` for 0 <= *prefix* <= 32."""
    if not 0 <= prefix <= 32:
        raise ValueError(f"not an IPv4 prefix length: {prefix}")
    value = (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
    return f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}"


def _v4(addr: str) -> int:
    if not valid_ipv4(addr):
        raise ValueError(f"not an IPv4 address: {addr!r}")
    return int.from_bytes(inet_pton(AF_INET, addr), "big")


def is_netmask(addr: str) -> bool:
    """``netaddr.IPAddress(addr, version=4).is_netmask()`` (ValueError when not an IPv4 address)."""
    inverted = (_v4(addr) ^ 0xFFFFFFFF) + 1
    return inverted & (inverted - 1) == 0


def netmask_bits(addr: str) -> int:
    """``netaddr.IPAddress(addr, version=4).netmask_bits()``: the prefix length
    of a netmask, 32 for any other IPv4 address (ValueError when not one)."""
    value = _v4(addr)
    if not is_netmask(addr):
        return 32
    return 32 - ((value & -value).bit_length() - 1) if value else 0


def netmask_for(prefix: str) -> str:
    """``str(netaddr.IPNetwork(f"0.0.0.0/{prefix}").netmask)`` for a prefix
    written as text: a plain decimal 0 to 32 here, anything else by netaddr
    itself (which raises as it always did)."""
    if prefix.isascii() and prefix.isdigit() and str(int(prefix)) == prefix and int(prefix) <= 32:
        return netmask(int(prefix))
    import netaddr

    return str(netaddr.IPNetwork(f"0.0.0.0/{prefix}").netmask)
