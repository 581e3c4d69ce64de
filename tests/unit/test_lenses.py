"""The lenses we ship pass their augparse tests, and are the ones augnetcf loads."""

import shutil
import subprocess
from pathlib import Path

import pytest

from augnetcf import resources

#: the checkout's lenses, and the installed ones that augnetcf loads and augparse tests
LENSES = Path(__file__).resolve().parents[2] / "lenses"
INSTALLED = resources.lenses_dir()
TESTS = sorted((INSTALLED / "tests").glob("test_*.aug"))


def test_every_shipped_lens_has_an_augparse_test():
    lenses = {p.stem for p in INSTALLED.glob("*.aug")}
    tested = {p.stem.removeprefix("test_") for p in TESTS}
    assert lenses and lenses <= tested


@pytest.mark.parametrize("test", TESTS, ids=[p.stem for p in TESTS])
def test_augparse(test):
    augparse = shutil.which("augparse")
    assert augparse, "augparse is missing: install augeas-tools (Debian) or augeas (Fedora)"
    # --notypecheck: the lens typecheck costs a minute of CPU (Shellvars' regexes);
    # lenses/README.md says how to run it, and it passed when the lens last changed.
    r = subprocess.run([augparse, "--notypecheck", "-I", str(INSTALLED), str(test)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_installed_lenses_match_the_checkout():
    """The lens directory augnetcf puts on Augeas' load path holds these files."""
    for lens in LENSES.glob("*.aug"):
        assert (INSTALLED / lens.name).read_bytes() == lens.read_bytes()
