"""Every snippet of the README runs as written (a README whose examples fail
teaches the wrong thing, and it is the first page a newcomer reads).

- Each ```console block is one shell session: its ``$`` lines run in order in
  one bash, in a copy of ``examples/``, with the venv's ``bin`` first on PATH.
  Each command's output (stdout then stderr's lines, as a terminal shows a
  warning before the answer) must be exactly the lines under it.
- Each ```pycon block runs through doctest in the same kind of directory.
- The ```sh blocks are the quick start (its scripts install system packages
  and run this very suite, so they are checked to exist, not run) and the
  pip commands (their extras must be ones pyproject.toml defines).
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import TESTS, augnetcf_command

REPO = TESTS.parent
README = (REPO / "README.md").read_text()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.S)
CONSOLE = [body for lang, body in BLOCKS if lang == "console"]
PYCON = [body for lang, body in BLOCKS if lang == "pycon"]
SH = [body for lang, body in BLOCKS if lang == "sh"]
#: What each command's output is followed by, so one bash run can be split per command.
MARK = "@@readme-command-done@@"


def test_the_readme_has_what_the_issue_asks_for() -> None:
    """The quick start first, then one example each of define, share and the API."""
    headings = re.findall(r"^## (.+)$", README, re.M)
    assert headings[0] == "Quick start"
    assert any("define" in b for b in CONSOLE) and any(" share " in b for b in CONSOLE)
    assert PYCON
    assert {lang for lang, _ in BLOCKS} <= {"console", "pycon", "sh"}, "a snippet no test runs"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "examples", tmp_path / "examples", symlinks=True)
    return tmp_path


def _env() -> dict[str, str]:
    """The environment of the snippets: the augnetcf command under test first on
    PATH, and PYTHONPATH kept, which may be how it finds its package (pybuild)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") or k == "PYTHONPATH"}
    env["PATH"] = f"{Path(augnetcf_command()[0]).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _session(block: str) -> list[tuple[str, str]]:
    """(command, expected output) for each ``$`` line of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"output before any command: {line!r}"
            steps[-1][1].append(line)
    return [(cmd, "".join(out + "\n" for out in lines)) for cmd, lines in steps]


@pytest.mark.parametrize("block", CONSOLE, ids=[f"console{i}" for i in range(len(CONSOLE))])
def test_console_block_runs_as_written(block: str, workdir: Path) -> None:
    steps = _session(block)
    script = ["set -u"]
    for i, (cmd, _) in enumerate(steps):
        # stderr goes to a file and is shown first: the order a terminal shows a
        # warning written before the answer, whatever the pipes' buffering does
        script += [f"{{ {cmd}\n}} 2>err{i} >out{i}; echo \"rc=$?\" >>out{i}"]
        script += [f"cat err{i} out{i}; echo {MARK}"]
    # share's default bridge name avoids the kernel's names: a namespace of its
    # own has none, so the output does not depend on the host's devices
    isolate = ["unshare", "--net"] if os.geteuid() == 0 and shutil.which("unshare") else []
    proc = subprocess.run([*isolate, "bash", "-c", "\n".join(script)], cwd=workdir, env=_env(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    outputs = proc.stdout.split(MARK + "\n")
    assert len(outputs) == len(steps) + 1, proc.stdout
    for (cmd, want), got in zip(steps, outputs):
        got, rc = got.rsplit("rc=", 1)
        assert rc.strip() == "0", f"$ {cmd}\nexit {rc.strip()}\n{got}"
        assert got == want, f"$ {cmd}"


@pytest.mark.parametrize("block", PYCON, ids=[f"pycon{i}" for i in range(len(PYCON))])
def test_python_block_runs_as_written(block: str, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    test = doctest.DocTestParser().get_doctest(block, {}, "README.md", str(REPO / "README.md"), 0)
    runner = doctest.DocTestRunner(verbose=False)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)


def test_sh_blocks_name_what_exists() -> None:
    quick = [b for b in SH if "scripts/quickstart.sh" in b]
    assert quick == [SH[0]], "the quick start is the first sh block"
    for script in re.findall(r"^sh (\S+)", quick[0], re.M):
        assert (REPO / script).is_file(), script
    extras = set(re.findall(r"^(\w+) = \[", (REPO / "pyproject.toml").read_text().split(
        "[project.optional-dependencies]")[1].split("\n[")[0], re.M))
    for block in SH[1:]:
        for line in block.splitlines():
            assert line.startswith("pip install "), line
            for extra in re.findall(r"\.\[([\w,]+)\]", line):
                assert set(extra.split(",")) <= extras, line
