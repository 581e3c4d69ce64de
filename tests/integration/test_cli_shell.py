"""The command beyond single verbs: dry-run diffs, the shell (on a pipe and on
a terminal), help, generated documents, and the exit code for bugs.

Every test runs the real command in a separate process on a copy of a root.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NETCF, TESTS, snapshot_tree
from test_cli import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, assert_one_line_error, console_script, run

import augnetcf
from augnetcf import cli, clidoc

INTERFACES = NETCF / "interface"
CASES = ["bridge", "bond", "bridge-vlan", "ethernet-static", "ipv6-autoconf-dhcp"]
BACKEND_ROOTS = {
    "redhat": NETCF / "redhat" / "fsroot",
    "debian": NETCF / "debian" / "fsroot",
    "suse": TESTS / "data" / "suse-fsroot",
}


def copy_root(backend: str, dest: Path) -> Path:
    shutil.copytree(BACKEND_ROOTS[backend], dest, symlinks=True)
    return dest


def contents(root: Path) -> dict[str, bytes]:
    """The configuration files (not augnetcf's own lock and journal state in var/lib/augnetcf)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not str(p.relative_to(root)).startswith("var/lib/augnetcf/")}


def R(root: Path, backend: str | None = None) -> list[str]:
    return ["--root", str(root)] + (["--backend", backend] if backend else [])


# -- define/undefine --dry-run -----------------------------------------------------------------------------
@pytest.mark.parametrize("backend", sorted(BACKEND_ROOTS))
@pytest.mark.parametrize("case", CASES)
def test_define_dry_run_changes_nothing_and_its_diff_is_what_define_does(
        tmp_path: Path, backend: str, case: str) -> None:
    """The diff, applied with ``patch -p0`` at a copy of the root, gives exactly
    the files a real define writes; the root itself is left alone."""
    dry, patched, real = (copy_root(backend, tmp_path / n) for n in ("dry", "patched", "real"))
    xml = str(INTERFACES / f"{case}.xml")
    before = snapshot_tree(dry)
    proc = run(*R(dry, backend), "define", "--dry-run", xml)
    if proc.returncode != EXIT_OK:  # a description the backend cannot express
        assert_one_line_error(proc, 1, "cannot express")
        assert snapshot_tree(dry) == before
        return
    assert snapshot_tree(dry) == before, "--dry-run changed the root"
    assert proc.stdout, "a define into a root without the interface must change something"
    assert re.match(r"--- (/dev/null|etc/\S+)\n\+\+\+ etc/\S+\n@@ ", proc.stdout), proc.stdout[:200]
    subprocess.run(["patch", "-s", "-p0", "-E"], input=proc.stdout.encode(), cwd=patched, check=True)
    assert run(*R(real, backend), "define", xml).returncode == EXIT_OK
    assert contents(patched) == contents(real)


@pytest.mark.parametrize("backend", sorted(BACKEND_ROOTS))
def test_undefine_dry_run_changes_nothing_and_its_diff_is_what_undefine_does(
        tmp_path: Path, backend: str) -> None:
    dry, patched, real = (copy_root(backend, tmp_path / n) for n in ("dry", "patched", "real"))
    name = run(*R(dry, backend), "list", "--all").stdout.split()[0]
    before = snapshot_tree(dry)
    proc = run(*R(dry, backend), "undefine", "--dry-run", name)
    assert proc.returncode == EXIT_OK, proc.stderr
    assert snapshot_tree(dry) == before
    assert proc.stdout
    subprocess.run(["patch", "-s", "-p0", "-E"], input=proc.stdout.encode(), cwd=patched, check=True)
    assert run(*R(real, backend), "undefine", name).returncode == EXIT_OK
    assert contents(patched) == contents(real)


def test_dry_run_of_what_dumpxml_printed_prints_nothing(tmp_path: Path) -> None:
    root = copy_root("redhat", tmp_path / "root")
    xml = run(*R(root), "dumpxml", "br0").stdout
    proc = run(*R(root), "define", "--dry-run", "-", stdin=xml.encode())
    assert (proc.returncode, proc.stdout) == (EXIT_OK, "")


def test_dry_run_of_bad_input_is_the_same_error_as_define(tmp_path: Path) -> None:
    root = copy_root("redhat", tmp_path / "root")
    before = snapshot_tree(root)
    proc = run(*R(root), "define", "--dry-run", "-", stdin=b"<interface type='bridge'>\n<bridge>\n")
    assert_one_line_error(proc, 1, "<stdin>:")
    assert_one_line_error(run(*R(root), "undefine", "--dry-run", "nope"), EXIT_NOT_FOUND, "nope")
    assert snapshot_tree(root) == before


def test_api_plan_then_define_and_the_config_stays_usable(tmp_path: Path) -> None:
    """plan_define forgets its edits: the same Config then defines for real."""
    root = copy_root("debian", tmp_path / "root")
    xml = (INTERFACES / "bridge42.xml").read_bytes()
    with augnetcf.Config(str(root), "debian") as cfg:
        plan = cfg.plan_define(xml)
        assert [c.path for c in plan] == ["etc/network/interfaces"]
        assert "br42" not in cfg.list_interfaces()
        cfg.define(xml)
        assert (root / plan[0].path).read_bytes() == plan[0].after
        assert cfg.plan_define(xml) == []


# -- help ----------------------------------------------------------------------------------------------------
def test_help_verb() -> None:
    proc = run("help")
    assert proc.returncode == EXIT_OK
    for verb in cli.verbs(cli.build_parser()):
        assert verb in proc.stdout
    proc = run("help", "define")
    assert proc.returncode == EXIT_OK and "--dry-run" in proc.stdout
    proc = run("help", "frobnicate")
    assert proc.returncode == EXIT_USAGE and "frobnicate" in proc.stderr


# -- the shell on a pipe -------------------------------------------------------------------------------------
def test_shell_on_a_pipe_answers_each_line_and_reports_the_last_failure(tmp_path: Path) -> None:
    root = copy_root("redhat", tmp_path / "root")
    script = ("# a comment, then a blank line\n\nlist --all\ndumpxml eth3\ndumpxml nope\n"
              "undefine --dry-run br1\nlist --all --json\n")
    proc = run(*R(root), stdin=script.encode())
    assert proc.returncode == EXIT_NOT_FOUND, proc.stderr
    assert "Traceback" not in proc.stderr
    out = proc.stdout
    assert out.index("bond0\n") < out.index("<interface") < out.index("--- ") < out.index('"name"')
    assert "no interface named 'nope'" in proc.stderr


def test_shell_stops_at_quit_and_a_usage_error_does_not_end_it(tmp_path: Path) -> None:
    root = copy_root("redhat", tmp_path / "root")
    proc = run(*R(root), stdin=b"dumpxml\nfrobnicate\nlist 'unclosed\nlist --all\nquit\nundefine br0\n")
    assert proc.returncode == EXIT_USAGE
    assert "bond0" in proc.stdout
    assert (root / "etc/sysconfig/network-scripts/ifcfg-br0").exists(), "a line after quit ran"
    assert "unknown verb 'frobnicate'" in proc.stderr


def test_shell_all_good_is_exit_zero_and_defines_from_stdin_lines(tmp_path: Path) -> None:
    root = copy_root("redhat", tmp_path / "root")
    xml = INTERFACES / "bridge42.xml"
    proc = run(*R(root), stdin=f"define {xml}\nlist --all\nexit\n".encode())
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "br42" in proc.stdout.split()


# -- the shell on a terminal ---------------------------------------------------------------------------------
class Terminal:
    """The command on a pseudo-terminal, read with bounded waits."""

    def __init__(self, args: list[str], home: Path):
        exe = console_script()
        assert exe
        env = {**os.environ, "HOME": str(home), "TERM": "dumb", "INPUTRC": "/dev/null"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.execve(exe, [exe, *args], env)
        self.seen = b""

    def read_until(self, pattern: bytes, wait: float = 60.0) -> bytes:
        end = time.monotonic() + wait
        while pattern not in self.seen:
            left = end - time.monotonic()
            assert left > 0, f"never saw {pattern!r}; got {self.seen!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                assert chunk, f"the shell ended before {pattern!r}; got {self.seen!r}"
                self.seen += chunk
        return self.seen

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def test_shell_on_a_terminal_completes_verbs_and_names_and_keeps_history(tmp_path: Path) -> None:
    root = copy_root("redhat", tmp_path / "root")
    term = Terminal(R(root), tmp_path)
    term.read_until(b"augnetcf> ")
    term.send(b"dumpx\t")  # the verb completes ...
    term.read_until(b"dumpxml ")
    term.send(b"l\t")  # ... and so does an interface name (lo is the only one starting with l)
    term.read_until(b"lo ")
    term.send(b"\r")
    term.read_until(b'name="lo"')
    term.read_until(b"augnetcf> ")
    term.send(b"quit\r")
    assert term.wait() == EXIT_OK
    assert "dumpxml lo" in (tmp_path / ".augnetcf_history").read_text()


# -- generated documents -------------------------------------------------------------------------------------
def test_man_page_and_completion_in_docs_are_generated_from_the_parser() -> None:
    docs = TESTS.parent / "docs"
    parser = cli.build_parser()
    assert (docs / "augnetcf.1").read_text() == clidoc.man_page(parser), \
        "docs/augnetcf.1 is stale: augnetcf help --man > docs/augnetcf.1"
    assert (docs / "augnetcf.bash-completion").read_text() == clidoc.bash_completion(parser), \
        "stale: augnetcf completion bash > docs/augnetcf.bash-completion"


def test_man_page_renders_and_names_every_verb_and_option(tmp_path: Path) -> None:
    man = shutil.which("man")
    if man is None:
        pytest.skip("man is not installed")  # pragma: no cover
    page = tmp_path / "augnetcf.1"
    page.write_text(clidoc.man_page(cli.build_parser()))
    proc = subprocess.run([man, "-l", str(page)], capture_output=True, text=True,
                          env={**os.environ, "MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat"})
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr.lower(), proc.stderr
    for verb, sub in cli.verbs(cli.build_parser()).items():
        assert re.search(rf"^\s+{re.escape(verb)}$", proc.stdout, re.M), verb
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in proc.stdout, option


def complete(line: str, root: Path) -> list[str]:
    """What bash completion offers for the last word of *line*."""
    words = line.split(" ")
    script = clidoc.bash_completion(cli.build_parser())
    program = (f"{script}\nCOMP_WORDS=({' '.join(map(repr, words))}); COMP_CWORD={len(words) - 1}; "
               "_augnetcf; printf '%s\\n' \"${COMPREPLY[@]}\"")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    proc = subprocess.run(["bash", "-c", program], capture_output=True, text=True, env=env, check=True)
    return sorted(w for w in proc.stdout.splitlines() if w)


def test_bash_completion_offers_verbs_options_and_names(tmp_path: Path) -> None:
    root = copy_root("redhat", tmp_path / "root")
    assert "dumpxml" in complete("augnetcf du", root) and "define" not in complete("augnetcf du", root)
    assert complete("augnetcf define --d", root) == ["--dry-run"]
    assert complete(f"augnetcf --root {root} dumpxml b", root) == ["bond0", "br0", "br1", "br2"]
    assert complete("augnetcf --backend s", root) == ["suse"]
    assert complete("augnetcf help unde", root) == ["undefine"]


# -- bugs ----------------------------------------------------------------------------------------------------
def test_a_bug_is_exit_70_with_one_line_and_the_traceback_only_with_verbose(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """A stand-in for a bug in augnetcf itself (not a user mistake): the verb raises ZeroDivisionError."""
    root = copy_root("redhat", tmp_path / "root")

    def broken(_cfg: object, _args: object) -> int:
        return 1 // 0

    parser = cli.build_parser()
    for sub in cli.verbs(parser).values():
        sub.set_defaults(func=broken)
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    assert cli.main(R(root) + ["list"]) == cli.EXIT_BUG
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: ZeroDivisionError" in err and "Traceback" not in err
    assert cli.main(R(root) + ["-v", "list"]) == cli.EXIT_BUG
    assert "Traceback" in capsys.readouterr().err


def test_unknown_undefine_and_dry_runs_create_nothing_under_the_root(tmp_path: Path) -> None:
    """Not even augnetcf's lock: a refused or dry command leaves the root exactly as it was."""
    root = copy_root("redhat", tmp_path / "root")
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    assert run(*R(root), "undefine", "nope").returncode == EXIT_NOT_FOUND
    assert run(*R(root), "undefine", "--dry-run", "br0").returncode == EXIT_OK
    assert run(*R(root), "define", "--dry-run", str(INTERFACES / "bridge42.xml")).returncode == EXIT_OK
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before
