"""Each command imports only what it runs (issue 23, ``augnetcf/_lazy.py``).

Not a timing test (the bench measures speed): these check *what* a command
loads. ``--version`` needs argparse and nothing of the engine; ``list`` on a
warm index answers from the index's facts, so neither libaugeas, lxml, the
stylesheets nor netaddr may be loaded, on any backend. And what is loaded
late still works: a define's limits, dumpxml's stylesheets, the backends'
XPath functions registered before lxml was.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from roots import BACKENDS, bridge_xml, make_root  # noqa: E402

#: What no command needs unless asked: pathlib (netaddr's import takes it in), ctypes.util (which runs
#: ldconfig to find a library already loaded), and logging (no one can want
#: a debug record while it is not loaded; --verbose loads it).
LEAN = ("pathlib", "ctypes.util", "logging")


@functools.cache
def lean_of_libraries() -> frozenset[str]:
    """The modules of LEAN that lxml and the Augeas binding load themselves
    (python-augeas 0.5, Debian 12's, finds libaugeas with ctypes.util): not
    augnetcf's to leave out."""
    code = "import sys, lxml.etree, augeas; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return frozenset(set(out.split()) & set(LEAN))
HEAVY = ("lxml", "augeas", "netaddr", "augnetcf.xslt", "augnetcf.aug", "augnetcf.forest", "augnetcf.schema")


def loaded_after(*argv: str) -> tuple[int, list[str], str]:
    """(exit status, the modules of interest loaded, stdout) of the command in a fresh interpreter."""
    code = ("import sys, io, json\n"
            "from augnetcf.cli import main\n"
            "out = io.StringIO(); sys.stdout, real = out, sys.stdout\n"
            "try:\n    rc = main(sys.argv[1:])\nexcept SystemExit as e:\n    rc = e.code\n"
            "sys.stdout = real\n"
            "print(json.dumps([rc, sorted(sys.modules), out.getvalue()]))\n")
    proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    rc, modules, out = json.loads(proc.stdout.splitlines()[-1])
    return rc, [m for m in modules if m.split(".")[0] in ("lxml", "augeas", "netaddr", "typing")
                or m.startswith("augnetcf.") or m in LEAN], out


def test_version_loads_nothing_of_the_engine():
    rc, modules, _out = loaded_after("--version")
    assert rc == 0
    assert set(modules) <= {"augnetcf.cli", "augnetcf._lazy", "augnetcf.clidoc", "augnetcf.errors",
                            "augnetcf.version"}, modules


@pytest.fixture(scope="module")
def warm_roots(tmp_path_factory) -> dict[str, Path]:
    """A small host per backend with its index on disk, old enough to be recorded."""
    roots = {}
    for backend in BACKENDS:
        root = tmp_path_factory.mktemp(backend) / "root"
        make_root(root, backend, 10)
        roots[backend] = root
    time.sleep(2.2)  # past the index's racy window (index.RACY_SECONDS)
    for backend, root in roots.items():
        rc, _modules, _out = loaded_after("--root", str(root), "--backend", backend, "list", "--all")
        assert rc == 0
    return roots


@pytest.mark.parametrize("backend", BACKENDS)
def test_warm_list_needs_neither_augeas_lxml_nor_netaddr(warm_roots, backend):
    root = warm_roots[backend]
    rc, modules, out = loaded_after("--root", str(root), "--backend", backend, "list", "--all", "--macs")
    assert rc == 0
    assert "br1" in out.split()
    assert not [m for m in modules if m.startswith(HEAVY) or m == "typing"], modules


@pytest.mark.parametrize("backend", BACKENDS)
def test_what_loads_late_still_works(warm_roots, backend, tmp_path):
    """dumpxml, define (whose limits are backend XPaths) and undefine in fresh
    processes, each loading lxml and the stylesheets only when it needs them."""
    root = warm_roots[backend]
    rc, modules, out = loaded_after("--root", str(root), "--backend", backend, "dumpxml", "br1")
    assert rc == 0 and '<interface type="bridge" name="br1">' in out
    assert not (set(LEAN) - lean_of_libraries() | {"netaddr"}) & set(modules), modules
    # what only a change needs (windows only on Debian, which cuts them for changes), and
    # libaugeas: a warm index holds the trees dumpxml reads
    assert not {"augnetcf.window", "augnetcf.detect", "augnetcf.minimal", "augnetcf.aug", "augnetcf.forest",
                "augeas"} & set(modules), modules
    xml = tmp_path / "new.xml"
    xml.write_text(bridge_xml(77))
    for argv in (("define", "--dry-run", str(xml)), ("define", str(xml)), ("undefine", "br77")):
        rc, modules, out = loaded_after("--root", str(root), "--backend", backend, *argv)
        assert rc == 0, (argv, out)
        # nor netaddr: these hosts' addresses need no more than augnetcf.inet
        assert not (set(LEAN) - lean_of_libraries() | {"netaddr"}) & set(modules), (argv, modules)


def test_verbose_still_logs_what_is_saved(warm_roots, tmp_path):
    """The loggers skip debug records only while logging is not loaded;
    --verbose loads it first, so what is loaded and saved is still said."""
    root = warm_roots["redhat"]
    xml = tmp_path / "new.xml"
    xml.write_text(bridge_xml(78))
    proc = subprocess.run([sys.executable, "-m", "augnetcf.cli", "--root", str(root), "--backend", "redhat",
                           "-v", "define", str(xml)], capture_output=True, text=True, check=True)
    assert "augnetcf: saved " in proc.stderr and "ifcfg-br78" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "augnetcf.cli", "--root", str(root), "--backend", "redhat",
                           "undefine", "br78"], capture_output=True, text=True, check=True)
    assert proc.stderr == ""
