"""Hostile values cannot inject a key or a command into a config file.

ifcfg files are sourced by a shell at boot, and an interfaces stanza's
``up``/``pre-up`` lines run commands. A generated description gets one of its
attribute values replaced by something hostile (command substitution, quotes,
newlines, ``;``). Either the define refuses it (and writes nothing), or the
files it writes, read by their real consumers, define only the variables we
mean and run nothing: a canary file that the payloads try to create must not
appear.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import judges
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from strategies import interface_docs, to_bytes
from test_roundtrip import CONFDIR, configurable, empty_root, files

import augnetcf

PAYLOADS = [
    "$(touch {canary})", "`touch {canary}`", "x;touch {canary}", "x' ; touch {canary} ; '",
    'x" ; touch {canary} ; "', "x\nEVIL=1", "x\n  up touch {canary}", "eth0\niface evil inet dhcp",
    "${{IFS}}", "a b", "a\\", "'", '"', "#", "x=y", "\t", "\r\ntouch {canary}",
]


@st.composite
def hostile_docs(draw: st.DrawFn, canary: str) -> etree._Element:
    doc = configurable(draw(interface_docs(shuffle=False)))
    slots = [(el, name) for el in doc.iter() for name in el.attrib]
    el, name = draw(st.sampled_from(slots))
    xml_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | \
        st.sampled_from("\t\n\r")
    # only the payloads are templates: a drawn text may hold a '{' of its own
    payload = draw(st.one_of(st.sampled_from(PAYLOADS).map(lambda p: p.format(canary=canary)),
                             st.text(xml_chars, min_size=1, max_size=12)))
    el.set(name, draw(st.sampled_from([payload, el.get(name) + payload])))
    return doc


#: What sourcing an ifcfg file written by each backend may define.
KEY = {"redhat": re.compile(r"[A-Z][A-Z0-9_]*"), "suse": re.compile(r"[A-Z][A-Z0-9_]*")}

#: The sections an INI-style file written by each backend may have.
SECTIONS = {
    "nm-keyfile": {"connection", "ethernet", "bridge", "bond", "vlan", "ipv4", "ipv6"},
    "networkd": {"Match", "Link", "Network", "DHCPv4", "DHCPv6", "NetDev", "Bridge", "Bond", "VLAN"},
}


def ini_lines_are_ours(backend: str, path: Path) -> None:
    """Every line of *path* is a section or a key the backend writes: nothing injected."""
    owned = augnetcf.backends.get(backend).owned
    for line in path.read_text().splitlines():
        if line.startswith("["):
            assert line[1:-1] in SECTIONS[backend] and line.endswith("]"), (path.name, line)
        else:
            key, sep, value = line.partition("=")
            assert sep and (owned.match(f"{key}={value}") or key in ("id", "uuid")), (path.name, line)


@pytest.mark.parametrize("backend", ["redhat", "suse", "debian", "nm-keyfile", "networkd"])
@given(data=st.data())
def test_hostile_value_injects_nothing(backend: str, data: st.DataObject, tmp_path_factory) -> None:
    canary = str(tmp_path_factory.mktemp("canary") / "PWNED")
    doc = data.draw(hostile_docs(canary))
    root = empty_root(backend)
    try:
        before = files(root)
        try:
            with augnetcf.Config(str(root), backend) as cfg:
                cfg.define(to_bytes(doc), "<hostile>")
        except (augnetcf.XMLParseError, augnetcf.XMLInvalid, augnetcf.Unsupported):
            assert files(root) == before
            return
        confdir = root / CONFDIR[backend]
        if backend == "debian":
            path = confdir / "interfaces"
            names = set(judges.ifquery_list(path, allow="auto")) | {doc.get("name")}
            for name in names:
                opts = judges.ifquery_options(path, name)
                for cmd in opts.get("up", []) + opts.get("pre-up", []) + opts.get("down", []):
                    assert "touch" not in cmd and canary not in cmd
        elif backend == "nm-keyfile":
            for path in sorted(confdir.iterdir()):
                ini_lines_are_ours(backend, path)
                kind = judges.nmcli_check(path)["connection"]["type"]
                assert kind in ("ethernet", "bridge", "bond", "vlan")
        elif backend == "networkd":
            for path in sorted(confdir.iterdir()):
                ini_lines_are_ours(backend, path)
            complaints, _links = judges.networkd_check(confdir, seconds=1)
            assert complaints == []
        else:
            for path in sorted(confdir.glob("ifcfg-*")):
                env = judges.source_ifcfg(path)
                assert all(KEY[backend].fullmatch(k) for k in env), env
                assert "EVIL" not in env
        assert not Path(canary).exists(), "a value ran a command"
    finally:
        shutil.rmtree(root)
