"""A redefine keeps the administrator's spelling where two spellings mean
the same (issue: lossless edits): a changed address or MTU changes only the
lines that carry it, on every backend, with real libaugeas on temporary roots.

The pairs: Red Hat ``PREFIXn`` for ``NETMASKn`` and ``BOOTPROTO=static`` for
``none``; Debian ``address A/P`` for ``address A`` plus ``netmask M``; SUSE
``IPADDR_x=A`` plus ``PREFIXLEN_x``/``NETMASK_x`` for ``IPADDR_x=A/P``.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

import augnetcf

FILES = {
    "redhat": "etc/sysconfig/network-scripts/ifcfg-eth0",
    "debian": "etc/network/interfaces",
    "suse": "etc/sysconfig/network/ifcfg-eth0",
}

WRITTEN = {
    "redhat-prefix": ("redhat", "# the uplink\nDEVICE=eth0\nONBOOT=yes\nBOOTPROTO=static\nIPADDR=10.0.0.5\n"
                                "PREFIX=24\nGATEWAY=10.0.0.1\nZONE=public\n"),
    "redhat-numbered": ("redhat", "DEVICE=eth0\nONBOOT=yes\nBOOTPROTO=none\nIPADDR0=10.0.0.5\nPREFIX0=24\n"
                                  "IPADDR1=10.0.1.5\nNETMASK1=255.255.255.0\n"),
    "debian-cidr": ("debian", "auto eth0\niface eth0 inet static\n    address 10.0.0.5/24\n"
                              "    gateway 10.0.0.1\n    dns-nameservers 10.0.0.53\n"),
    "suse-prefixlen": ("suse", "STARTMODE='auto'\nBOOTPROTO='static'\nIPADDR='10.0.0.5'\nPREFIXLEN='24'\n"
                               "NAME='uplink'\n"),
    "suse-netmask": ("suse", "STARTMODE='auto'\nBOOTPROTO='static'\nIPADDR='10.0.0.5'\n"
                             "NETMASK='255.255.255.0'\n"),
}


def make_root(tmp_path: Path, case: str) -> tuple[str, Path]:
    backend, text = WRITTEN[case]
    path = tmp_path / FILES[backend]
    path.parent.mkdir(parents=True)
    path.write_text(text)
    return backend, path


def redefine(root: Path, backend: str, edit) -> None:
    with augnetcf.Config(str(root), backend) as cfg:
        cfg.define(edit(cfg.xml_desc("eth0")))


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return ([line[2:] for line in diff if line.startswith("- ")],
            [line[2:] for line in diff if line.startswith("+ ")])


@pytest.mark.parametrize("case", sorted(WRITTEN))
def test_a_new_address_changes_only_the_address_line(tmp_path: Path, case: str) -> None:
    backend, path = make_root(tmp_path, case)
    before = path.read_text()
    redefine(tmp_path, backend, lambda xml: xml.replace('"10.0.0.5"', '"10.0.0.6"'))
    gone, added = changed_lines(before, path.read_text())
    assert len(gone) == len(added) == 1, (gone, added)
    assert gone[0].replace("10.0.0.5", "10.0.0.6") == added[0]


@pytest.mark.parametrize("case", sorted(WRITTEN))
def test_a_new_prefix_is_written_in_the_files_spelling(tmp_path: Path, case: str) -> None:
    backend, path = make_root(tmp_path, case)
    before = path.read_text()
    redefine(tmp_path, backend, lambda xml: re.sub(
        r'(address="10\.0\.0\.5" prefix=)"24"', r'\1"16"', xml))
    gone, added = changed_lines(before, path.read_text())
    assert len(gone) == len(added) == 1, (gone, added)
    spelled = {"24": "16", "255.255.255.0": "255.255.0.0"}
    assert re.sub(r"\b(24|255\.255\.255\.0)\b", lambda m: spelled[m.group(1)], gone[0]) == added[0]
    with augnetcf.Config(str(tmp_path), backend) as cfg:
        assert 'prefix="16"' in cfg.xml_desc("eth0")


@pytest.mark.parametrize("case", sorted(WRITTEN))
def test_a_new_mtu_adds_only_the_mtu_line(tmp_path: Path, case: str) -> None:
    backend, path = make_root(tmp_path, case)
    before = path.read_text()
    redefine(tmp_path, backend, lambda xml: xml.replace("<protocol", '<mtu size="1400"/>\n  <protocol', 1))
    gone, added = changed_lines(before, path.read_text())
    assert gone == [] and len(added) == 1 and "1400" in added[0], (gone, added)
