"""MAC addresses in one spelling, without netaddr.

Every command compares MACs (a unit's, the kernel's in ``sys/class/net``),
``list`` included, which otherwise needs nothing of netaddr: importing it
costs more than the rest of a warm ``list``. The spellings here are the
ones :data:`MAC48` accepts, read exactly as netaddr's ``EUI(version=48)``
reads them; whatever is left (octets with mixed separators) goes to netaddr
itself, so the answer is netaddr's in every case.
"""

from __future__ import annotations

import os
import re

#: The spellings of a 48-bit MAC we accept: colon or dash separated octets,
#: Cisco's dotted triplets, or twelve bare hex digits. netaddr alone would
#: also take integers ("1") and EUI-64 addresses, which are not MACs.
MAC48 = re.compile(
    r"[0-9A-Fa-f]{1,2}([:-][0-9A-Fa-f]{1,2}){5}|[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4}){2}|[0-9A-Fa-f]{12}"
)


def normalize_mac(mac: str) -> str | None:
    """*mac* in lower-case colon form (``52:54:00:12:34:56``), or ``None``."""
    text = mac.strip()
    if not MAC48.fullmatch(text):
        return None
    if "." in text:
        digits = text.replace(".", "")
    elif ":" not in text and "-" not in text:
        digits = text
    else:
        octets = text.split(":") if ":" in text else text.split("-")
        if len(octets) != 6:  # mixed separators: netaddr decides (it refuses them)
            import netaddr

            return str(netaddr.EUI(text, version=48, dialect=netaddr.mac_unix_expanded))
        digits = "".join(o.rjust(2, "0") for o in octets)
    digits = digits.lower()
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def sysfs_macs(root: str) -> dict[str, str]:
    """Interface name -> MAC from ``<root>/sys/class/net/*/address``."""
    base = os.path.join(root, "sys/class/net")
    macs: dict[str, str] = {}
    try:
        entries = sorted(os.listdir(base))
    except OSError:
        return macs
    for name in entries:
        try:
            with open(os.path.join(base, name, "address"), encoding="ascii", errors="replace") as f:
                mac = normalize_mac(f.read(64))
        except OSError:
            continue
        if mac:
            macs[name] = mac
    return macs
