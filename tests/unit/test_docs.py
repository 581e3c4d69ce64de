"""The documentation site builds, offline and without a single warning.

``sphinx-build -W`` turns every warning into an error: a docstring autodoc
cannot read, a link to a page that moved, a toctree that misses a page. The
build runs with the venv's python from outside the checkout, so autodoc
documents the installed package (what users get), and with no network: the
configuration fetches nothing (no intersphinx).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import TESTS

DOCS = TESTS.parent / "docs"


def test_the_site_builds_without_warnings(tmp_path: Path) -> None:
    # no skip when they are missing: the test extra installs both, and a
    # skipped build would let a broken site through unnoticed
    import myst_parser  # noqa: F401
    import sphinx  # noqa: F401

    # PYTHONPATH may be how the installed augnetcf is found (pybuild's build directory)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") or k == "PYTHONPATH"}
    env["no_proxy"] = env["NO_PROXY"] = "*"
    env["http_proxy"] = env["https_proxy"] = "http://127.0.0.1:9"  # anything fetched fails loudly
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = tmp_path / "html"
    # the generated parts are there: the API from the docstrings, the command from its parser
    api = (html / "reference" / "api.html").read_text()
    assert 'id="augnetcf.Config.define"' in api and 'id="augnetcf.errors.NotFound"' in api
    cli = (html / "reference" / "cli.html").read_text()
    from augnetcf.cli import build_parser, verbs

    for verb in verbs(build_parser()):
        assert f'id="verb-{verb}"' in cli, verb
