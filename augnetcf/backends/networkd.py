"""systemd-networkd: ``etc/systemd/network/*.network``, ``*.netdev`` and their drop-ins.

Read by Augeas' stock Systemd lens, which nests ``Key=`` nodes in their
``[Section]`` and each blank-separated word of a value in a ``value`` child.

An interface may have two units, told apart by ``unit_key``: a ``.netdev``
that creates a virtual device (``[NetDev] Name=``, ``Kind=bridge/bond/vlan``)
and a ``.network`` that configures it (``[Match] Name=`` one literal name;
a ``.network`` matching a pattern or several names describes no single
interface and is left alone). Several files naming one interface: the
first in lexical order wins, as in networkd.

A VLAN is created by its parent's ``.network`` (``[Network] VLAN=``): that
line is a *mark* of the VLAN. A new one goes into the parent's file; if the
parent has none, into ``50-augnetcf-PARENT.network``, which holds just a
``[Match]`` and the VLAN lines (not an interface description), and is
deleted when its last VLAN goes.

Drop-ins (``NAME.network.d/*.conf``) are read after their file, in lexical
order; a define leaves them alone and refuses when one sets a key augnetcf
writes. New files are ``50-augnetcf-NAME.network`` / ``.netdev``; a define
refuses when an earlier ``.network`` also matches the name (networkd would
never read the new file).
"""

from __future__ import annotations

import re
from decimal import Decimal, DecimalException
from typing import Any

from lxml import etree

from .. import xslt
from . import Backend, Transform

DIR = "/etc/systemd/network"

_NETWORK = "substring(@path, string-length(@path) - 7) = '.network'"
_NETDEV = "substring(@path, string-length(@path) - 6) = '.netdev'"
_MATCH_NAME = "node[@label='Match']/node[@label='Name']/node[@label='value']"
#: A .network that names exactly one interface, literally.
_ONE_NAME = (f"count({_MATCH_NAME}) = 1 and translate({_MATCH_NAME}/@value, '*?[!', '') = "
             f"{_MATCH_NAME}/@value")


def _seconds(text: str) -> Decimal | None:
    """A systemd time span ("1.5", "100ms", "2s 500ms", "1min") in seconds."""
    units = {"": 1, "s": 1, "sec": 1, "second": 1, "seconds": 1, "ms": Decimal("0.001"),
             "msec": Decimal("0.001"), "us": Decimal("0.000001"), "usec": Decimal("0.000001"),
             "m": 60, "min": 60, "minute": 60, "minutes": 60, "h": 3600, "hr": 3600, "hour": 3600,
             "hours": 3600}
    parts = re.findall(r"([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)", text.strip())
    if not parts or re.sub(r"[0-9.\sa-z]", "", text.strip()):
        return None
    total = Decimal(0)
    try:
        for number, unit in parts:
            if unit not in units:
                return None
            total += Decimal(number) * units[unit]
    except DecimalException:
        return None
    return total


def _span(_ctx: Any, text: Any, unit: Any) -> str:
    """A systemd time span in *unit* ("s" or "ms"), without trailing zeros; "" if not one."""
    seconds = _seconds(xslt._s(text))
    if seconds is None:
        return ""
    value = seconds * (1000 if xslt._s(unit) == "ms" else 1)
    return format(value.normalize(), "f")


def _register() -> None:
    etree.FunctionNamespace(xslt.NS)["span"] = _span


_register()


BACKEND = Backend(
    name="networkd",
    transforms=(Transform(lens="Systemd.lns", incl=(
        f"{DIR}/*.network", f"{DIR}/*.netdev", f"{DIR}/*.network.d/*.conf", f"{DIR}/*.netdev.d/*.conf")),),
    unit=f"tree[{_NETWORK}][{_ONE_NAME}][node[@label != 'Match']/node[@label != 'VLAN']]"
         f" | tree[{_NETDEV}][node[@label='NetDev']/node[@label='Name']/node[@label='value']]"
         "[node[@label='NetDev']/node[@label='Kind']/node[@label='value']"
         "[@value='bridge' or @value='bond' or @value='vlan']]",
    unit_name="string((node[@label='Match'] | node[@label='NetDev'])/node[@label='Name']"
              "/node[@label='value']/@value)",
    unit_key=f"concat(substring('netdev', 1, 6 * ({_NETDEV})), substring('network', 1, 7 * ({_NETWORK})))",
    unit_mac="''",
    unit_master="string((node[@label='Network']/node[@label='Bridge' or @label='Bond'])[last()]"
                "/node[@label='value']/@value)",
    unit_ports="''",
    mark=f"tree[{_NETWORK}]/node[@label='Network']/node[@label='VLAN']",
    mark_name="string(node[@label='value']/@value)",
    mark_key=f"string(../../{_MATCH_NAME}/@value)",
    mark_home=f"string(../../{_MATCH_NAME}/@value)",
    mark_homes=f"tree[{_NETWORK}][{_ONE_NAME}]",
    mark_context="../../node[@label='Match']",
    dropin="tree[contains(@path, '.network.d/') or contains(@path, '.netdev.d/')]",
    dropin_of="substring-before(@path, '.d/')",
    disposable=re.compile(r"/50-augnetcf-[^/]*\.network$"),
    residue=re.compile(r"^Match$"),
    # networkd applies the first .network in lexical order that takes a name
    matches=f"self::tree[{_NETWORK}]/{_MATCH_NAME}/@value",
    # the LABEL's words joined by blanks (see forest.write_node)
    defaults={"ActivationPolicy": "up"},
    limits=(
        ("/interface/start[@mode='hotplug']",
         "networkd configures a link whenever it appears; it has no separate hotplug mode"),
        ("//miimon[@carrier]", "networkd has no setting for how a bond reads carrier (use_carrier)"),
        ("//vlan[@tag='4095']", "networkd takes VLAN ids from 0 to 4094"),
        ("//ip[not(@prefix)]", "networkd warns that it will change how it reads an address without a "
                               "prefix length; give the prefix"),
    ),
    owned=re.compile(
        r"^(?:(?:Name|Kind|MACAddress|MTUBytes|ActivationPolicy|DHCP|Address|Gateway|IPv6AcceptRA"
        r"|Bridge|Bond|PrimarySlave|UseDNS|WithoutRA|STP|ForwardDelaySec|Mode|MIIMonitorSec"
        r"|UpDelaySec|DownDelaySec|ARPIntervalSec|ARPIPTargets|ARPValidate|Id|value)=.*)$",
        re.DOTALL,
    ),
    # Through the index: each file's facts are kept per file (its units and
    # VLAN= marks, the unit a drop-in amends, the name it holds marks for, its
    # [Match] Name= patterns); the engine decides across files (which file
    # wins, which drop-ins are whose, where a new VLAN= goes, what a new file
    # would be hidden by) from those facts, by the rules of the full load.
    index=True,
)
