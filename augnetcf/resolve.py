"""Rules that decide across files, on what each file says.

The engine reads files two ways: all at once into one forest (a backend
without the index), or one at a time into the index, whose facts it joins at
snapshot time (:meth:`augnetcf.config.Config._resolve_facts`). A rule that
needs several files must give the same answer both ways, so it lives here,
as a function of plain facts that both ways (and the stylesheets, through an
extension function) can hand it.
"""

from __future__ import annotations

from collections.abc import Iterable

import netaddr


def address_owner(address: str, nets: Iterable[tuple[str, Iterable[str]]]) -> str:
    """The interface a mark without a name belongs to, by *address* (SUSE's
    ``default GW - -`` route: YaST leaves the interface out, wicked puts the
    route on the interface whose subnet holds the gateway).

    *nets* gives, per interface name, its addresses as ``A/P`` strings (an
    interface may appear more than once). The answer is the single name one
    of whose nets contains *address*; ``""`` when none does, when several
    do (guessing would move a gateway between interfaces on the next
    define), or when *address* is not an address. Nets that do not parse are
    skipped, as wicked skips them.
    """
    try:
        ip = netaddr.IPAddress(address, flags=netaddr.INET_PTON)  # "10.1" is no address on any netaddr
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return ""
    owners: set[str] = set()
    for name, values in nets:
        if not name or name in owners:
            continue
        for value in values:
            try:
                if ip in netaddr.IPNetwork(value):
                    owners.add(name)
                    break
            except (netaddr.AddrFormatError, ValueError, TypeError):
                continue
    return owners.pop() if len(owners) == 1 else ""
