"""Fixtures shared by every test layer.

Roots are always copies under pytest's tmp_path: no test touches the host's
/etc or the checked-in data.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

TESTS = Path(__file__).resolve().parent
#: The source tree these tests come from. Its ``augnetcf/`` is never what they
#: test: they test the augnetcf that is installed (a venv's wheel, the Debian
#: package, pybuild's build directory) and the ``augnetcf`` command beside it.
CHECKOUT = TESTS.parent
DATA = TESTS / "data"
NETCF = DATA / "netcf"
LIBVIRT_RNG = DATA / "libvirt" / "interface.rng"
REDHAT_DIR = "etc/sysconfig/network-scripts"

# hypothesis strategies live beside the property tests; other layers reuse them.
sys.path.insert(0, str(TESTS / "property"))

# Hypothesis profiles. ``ci`` (the default, what the README's test command runs):
# bounded and deterministic. ``thorough``: 10,000 examples per property, for
# benchmark and fuzz runs: AUGNETCF_HYPOTHESIS_PROFILE=thorough pytest tests/property
_QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=25, derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=_QUIET)
# The thorough run may be split into N shards of 10,000/N examples, each run with
# its own --hypothesis-seed (bench/thorough.sh): the same total, resumable.
settings.register_profile("thorough", deadline=None, print_blob=True, suppress_health_check=_QUIET,
                          max_examples=10_000 // int(os.environ.get("AUGNETCF_HYPOTHESIS_SHARDS", "1")))
# A sample of the thorough run, e.g. to time it: AUGNETCF_HYPOTHESIS_EXAMPLES=300
settings.register_profile("sample", max_examples=int(os.environ.get("AUGNETCF_HYPOTHESIS_EXAMPLES", "300")),
                          deadline=None, print_blob=True, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("AUGNETCF_HYPOTHESIS_PROFILE", "ci"))


#: augnetcf's own state under a root (lock, journal, snapshots): not configuration.
#: A writer creates the lock file there even when it then fails and changes nothing.
STATE_DIR = "var/lib/augnetcf"


def is_state(rel: str) -> bool:
    """Whether *rel* (relative to a root) is augnetcf's state directory or a folder above it."""
    return rel == STATE_DIR or rel.startswith(STATE_DIR + "/") or STATE_DIR.startswith(rel + "/")


def snapshot_tree(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under *root* but augnetcf's state: relative path -> (mode, sha256).
    For 'changed nothing' checks."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            if is_state(str(p.relative_to(root))):
                continue
            st = p.lstat()
            digest = hashlib.sha256(p.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else "-"
            out[str(p.relative_to(root))] = (stat.S_IMODE(st.st_mode), digest)
    return out


@pytest.fixture
def redhat_fsroot(tmp_path: Path) -> Path:
    """A copy of netcf's Red Hat test root."""
    root = tmp_path / "root"
    shutil.copytree(NETCF / "redhat" / "fsroot", root)
    return root


@pytest.fixture
def empty_redhat_root(tmp_path: Path) -> Path:
    """A root with an empty network-scripts directory."""
    root = tmp_path / "root"
    (root / REDHAT_DIR).mkdir(parents=True)
    return root


def netcf_cases(backend: str) -> list[str]:
    """netcf's transform cases for *backend* (names of BACKEND/schema/X.xml)."""
    return sorted(p.stem for p in (NETCF / backend / "schema").glob("*.xml") if p.stem != "schemas")


# -- what is under test: the installed augnetcf, never the checkout --------------------------------------
def augnetcf_command() -> list[str]:
    """The ``augnetcf`` command installed with the augnetcf these tests import.

    In a venv that is the console script beside the interpreter; for a system
    interpreter it is the one on ``PATH`` (``/usr/bin/augnetcf`` from the Debian
    package, pybuild's build scripts during ``dh_auto_test``), because
    ``/usr/bin`` may hold another installation's. Without either,
    ``python -m augnetcf`` with this interpreter (run it from :data:`RUN_CWD`).
    """
    if sys.prefix != sys.base_prefix:
        beside = Path(sys.executable).parent / "augnetcf"
        if beside.is_file() and os.access(beside, os.X_OK):
            return [str(beside)]
    found = shutil.which("augnetcf")
    return [found] if found else [sys.executable, "-m", "augnetcf"]


#: The working directory of the whole session and of every command it starts:
#: an empty one. ``python -m augnetcf`` and ``python -c`` put their working
#: directory first on sys.path, so run from the checkout they would import its
#: ``augnetcf/`` instead of the installed package (as ``python -m pytest``
#: there does; the session check below refuses that).
#: Named per process and made only when the session starts: a helper process
#: that imports a test module (and so this file), such as test_crash's children
#: that are killed mid-write, must leave nothing behind in /tmp.
RUN_CWD = Path(tempfile.gettempdir()) / f"augnetcf-tests-cwd-{os.getpid()}"


def _imported_from_checkout() -> str | None:
    """Why the augnetcf this interpreter imports is the checkout's, or None."""
    import augnetcf

    where = Path(augnetcf.__file__).resolve().parent
    if where == CHECKOUT / "augnetcf":
        return (f"the tests imported augnetcf from the checkout ({where}), not an installed copy: "
                "install it (scripts/setup.sh, or the Debian package) and run pytest itself, "
                "not 'python -m pytest' from the repository root")
    return None


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to test the checkout by accident, and move to :data:`RUN_CWD`."""
    why = _imported_from_checkout()
    if why:
        raise pytest.UsageError(why)
    RUN_CWD.mkdir(mode=0o700)  # fails, rather than use it, if something is already there
    os.chdir(RUN_CWD)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(RUN_CWD, ignore_errors=True)


#: ``ip netns exec NS augnetcf ifup`` keeps what it created under this, per
#: namespace (``netns-INODE``), unless AUGNETCF_RUN_DIR says otherwise.
HOST_RUN_DIR = Path("/run/augnetcf")
#: The ``netns-*`` directories under HOST_RUN_DIR that namespaces of this
#: session left (the kernel fixtures and the example script's test add them).
RUN_STATE_LEFT: list[str] = []


def run_state(ino: int) -> int | None:
    """The mtime of namespace *ino*'s directory under HOST_RUN_DIR, None if there is none.

    While a namespace exists no other has its inode, so a directory that
    appears or changes between its creation and its deletion is its own; after
    that the kernel may give the number to another namespace (another test
    run's, on a shared machine), so later changes say nothing about this one.
    """
    try:
        return (HOST_RUN_DIR / f"netns-{ino}").stat().st_mtime_ns
    except OSError:
        return None


@pytest.fixture(scope="session", autouse=True)
def no_run_state_left_behind() -> Iterator[None]:
    """The suite leaves no ``/run/augnetcf/netns-*`` directory of its namespaces."""
    yield
    assert not RUN_STATE_LEFT, f"augnetcf state left behind by this session's namespaces: {RUN_STATE_LEFT}"
