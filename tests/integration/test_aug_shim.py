"""augnetcf.aug's ctypes shim for the libaugeas calls older python-augeas
releases lack (Debian 12's 0.5.0 has no ns_*), against real libaugeas.

The shim runs with whichever binding is installed, so this checks it in the
venv (python-augeas 1.x, where the binding's own calls are the reference)
and on Debian's packages (0.5.0, where match/get/label are)."""

from __future__ import annotations

from pathlib import Path

import augeas
import pytest

from augnetcf import aug as augmod
from augnetcf.backends import get as backend

IFCFG = """DEVICE=eth0
# a comment
BOOTPROTO=none
IPADDR=192.0.2.10
PREFIX=24
"""


@pytest.fixture
def session(tmp_path: Path):
    d = tmp_path / "etc/sysconfig/network-scripts"
    d.mkdir(parents=True)
    (d / "ifcfg-eth0").write_text(IFCFG)
    (d / "ifcfg-eth 1").write_text("DEVICE='eth 1'\n")  # a name Augeas must escape in a path
    with augmod.AugeasSession(str(tmp_path), backend("redhat").transforms) as s:
        yield s


def test_ns_calls_agree_with_match_get_and_label(session) -> None:
    a = session.aug
    shim = augmod._LIBAUGEAS
    folder = "/files/etc/sysconfig/network-scripts"
    a.defvar("kids", f"{folder}/ifcfg-eth0/*")
    paths = a.match(f"{folder}/ifcfg-eth0/*")
    assert len(paths) == 5
    assert shim.ns_count(a, "kids") == a.ns_count("kids") == len(paths)
    for i, p in enumerate(paths):
        assert shim.ns_value(a, "kids", i) == a.ns_value("kids", i) == a.get(p)
        assert shim.ns_path(a, "kids", i) == a.ns_path("kids", i) == p
        assert shim.ns_node(a, "kids", i) == a.ns_node("kids", i) == (a.get(p), a.label(p))
    a.defvar("files", f"{folder}/*")
    escaped = [shim.ns_path(a, "files", i) for i in range(shim.ns_count(a, "files"))]
    assert escaped == a.match(f"{folder}/*") and any("\\ " in p for p in escaped)
    if hasattr(augeas.Augeas, "ns_attr"):  # python-augeas >= 1.1: the binding's own answer
        for i in range(len(paths)):
            value, label, _file = augeas.Augeas.ns_attr(a, "kids", i)
            assert shim.ns_node(a, "kids", i) == (value, label)


def test_ns_path_is_freed_not_leaked_or_double_freed(session) -> None:
    """aug_ns_path allocates; the shim frees each result once (a double free
    would abort the interpreter here)."""
    a = session.aug
    a.defvar("kids", "/files/etc/sysconfig/network-scripts/ifcfg-eth0/*")
    for _ in range(2000):
        assert augmod._LIBAUGEAS.ns_path(a, "kids", 4) == \
            "/files/etc/sysconfig/network-scripts/ifcfg-eth0/PREFIX"


def test_errors_carry_augeas_message(session) -> None:
    a = session.aug
    with pytest.raises(RuntimeError, match=r"Augeas\.ns_count\(\) failed"):
        augmod._LIBAUGEAS.ns_count(a, "never_defined")
    a.defvar("one", "/files/etc/sysconfig/network-scripts/ifcfg-eth0/DEVICE")
    with pytest.raises(RuntimeError, match=r"Augeas\.ns_value\(\) failed"):
        augmod._LIBAUGEAS.ns_value(a, "one", 7)


def test_a_closed_handle_is_refused(tmp_path: Path) -> None:
    s = augmod.AugeasSession(str(tmp_path), backend("redhat").transforms)
    a = s.aug
    s.close()
    with pytest.raises(RuntimeError, match="closed"):
        augmod._LIBAUGEAS.ns_count(a, "x")


def test_empty_values_stay_empty(tmp_path: Path) -> None:
    """python-augeas 0.5 reads ``ZONE=''`` as no value and writes "" as none;
    through augnetcf's session both stay an empty value, on either binding,
    which reads it as python-augeas 1.x does: ``b""``."""
    d = tmp_path / "etc/sysconfig/network-scripts"
    d.mkdir(parents=True)
    (d / "ifcfg-eth0").write_text("DEVICE=eth0\nZONE=''\n")
    with augmod.AugeasSession(str(tmp_path), backend("redhat").transforms) as s:
        a, f = s.aug, "/files/etc/sysconfig/network-scripts/ifcfg-eth0"
        assert a.get(f"{f}/ZONE") == augmod._LIBAUGEAS.get(a, f"{f}/ZONE") == b""
        assert a.get(f"{f}/DEVICE") == "eth0" and a.get(f"{f}/NOPE") is None
        a.set(f"{f}/NAME", "")
        a.set(f"{f}/NONE", None)  # python-augeas 1.x writes None as an empty value too
        assert a.get(f"{f}/NAME") == a.get(f"{f}/NONE") == b""
        with pytest.raises(ValueError):
            augmod._LIBAUGEAS.get(a, f"{f}/*")  # several nodes
        s.save()
    assert (d / "ifcfg-eth0").read_text() == "DEVICE=eth0\nZONE=''\nNAME=\nNONE=\n"
