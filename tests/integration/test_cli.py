"""The ``augnetcf`` command, run as a user runs it: a separate process, real files, real libaugeas.

Every run goes through ``python -m augnetcf`` (the interpreter running the tests), except
the console-script tests, which use the ``augnetcf`` entry point installed next to it.

For every error the command must print exactly one line on stderr, starting
with ``augnetcf:``, never a traceback, and must leave the root as it was.

"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import NETCF, REDHAT_DIR, augnetcf_command, is_state, snapshot_tree
from lxml import etree

import augnetcf
import augnetcf.schema

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NOT_FOUND = 0, 1, 2, 3

#: What ``list`` shows for netcf's Red Hat root: top-level interfaces only
#: (eth0 is a port of br0, eth1 and eth2 slaves of bond0; eth3 comes from ifcfg-by-device,
#: eth4 from ifcfg-by-hwaddr, whose HWADDR matches sys/class/net/eth4).
TOP_LEVEL = ["bond0", "br0", "br1", "br2", "eth3", "eth4", "lo"]
MACS = {"br0": "aa:bb:cc:dd:ee:ff", "eth4": "00:00:00:00:00:01"}


# -- running the command ---------------------------------------------------------------------------------
def console_script() -> str | None:
    """The installed ``augnetcf`` command (see conftest.augnetcf_command), None if there is none."""
    cmd = augnetcf_command()
    return cmd[0] if len(cmd) == 1 else None


def run(*args: str, stdin: bytes | None = None, script: bool = False,
        cwd: Path | None = None) -> subprocess.CompletedProcess:
    if script:
        exe = console_script()
        assert exe, "the augnetcf console script is not installed"
        cmd = [exe, *args]
    else:
        cmd = [sys.executable, "-m", "augnetcf", *args]
    # no PYTHONWARNINGS and the like in the output; PYTHONPATH may be how augnetcf is found (pybuild)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") or k == "PYTHONPATH"}
    proc = subprocess.run(cmd, input=stdin if stdin is not None else b"", capture_output=True,
                          timeout=120, env=env, cwd=cwd)
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


def tree_state(root: Path) -> tuple[dict[str, tuple[int, str]], list[str]]:
    dirs = sorted(str(Path(d).relative_to(root)) for d, _sub, _files in os.walk(root)
                  if not is_state(str(Path(d).relative_to(root))))
    return snapshot_tree(root), dirs


@contextmanager
def unchanged(*roots: Path) -> Iterator[None]:
    before = [tree_state(r) for r in roots]
    yield
    assert [tree_state(r) for r in roots] == before, "the root changed"


def assert_ok(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "Traceback" not in proc.stderr


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int, *fragments: str) -> str:
    """The error contract: exit *code*, one ``augnetcf: ...`` line on stderr, no traceback."""
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr, "stderr is empty"
    assert proc.stderr.endswith("\n")
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, f"stderr is not one line: {proc.stderr!r}"
    line = lines[0]
    assert line.startswith("augnetcf: "), line
    assert len(line) > len("augnetcf: "), line
    for fragment in fragments:
        assert fragment in line, f"{fragment!r} not in {line!r}"
    return line


def canonical(xml: str | bytes) -> bytes:
    """XML without comments and formatting whitespace, in C14N, for comparing documents."""
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    data = xml.encode() if isinstance(xml, str) else xml
    return etree.tostring(etree.fromstring(data, parser), method="c14n")


def parse_xml(text: str) -> etree._Element:
    return etree.fromstring(text.encode())


@pytest.fixture
def root(redhat_fsroot: Path) -> Path:
    return redhat_fsroot


def R(root: Path) -> list[str]:  # noqa: N802 - reads like the option it builds
    return ["--root", str(root)]


# -- documents -------------------------------------------------------------------------------------------
ETH7 = """<interface type="ethernet" name="eth7">
  <start mode="onboot"/>
  <mac address="52:54:00:ab:cd:ef"/>
  <protocol family="ipv4">
    <ip address="192.168.7.7" prefix="24"/>
    <route gateway="192.168.7.1"/>
  </protocol>
</interface>
"""

BR7 = """<interface type="bridge" name="br7">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <dhcp/>
  </protocol>
  <bridge stp="on" delay="0">
    <interface type="ethernet" name="eth8">
      <mac address="52:54:00:00:00:08"/>
    </interface>
    <interface type="ethernet" name="eth9"/>
  </bridge>
</interface>
"""


# -- --version and --help ----------------------------------------------------------------------------------
@pytest.mark.parametrize("script", [False, True], ids=["python-m", "console-script"])
def test_version(script: bool) -> None:
    proc = run("--version", script=script)
    assert_ok(proc)
    assert proc.stdout.strip() == f"augnetcf {augnetcf.__version__}"


def test_help_lists_the_verbs_and_exit_codes() -> None:
    proc = run("--help")
    assert_ok(proc)
    text = " ".join(proc.stdout.split())
    for verb in ("list", "dumpxml", "define", "undefine", "validate"):
        assert verb in text
    assert "0 success, 1 error, 2 usage error, 3 interface not found" in text


def test_list_help_says_plain_list_shows_active_ones() -> None:
    proc = run("list", "--help")
    assert_ok(proc)
    text = " ".join(proc.stdout.split())  # argparse wraps lines where it likes
    assert "Plain 'list' shows the active ones" in text
    assert "--inactive" in text and "--all" in text


# -- list ------------------------------------------------------------------------------------------------
# Plain ``list`` and ``--inactive`` depend on the kernel (tests/kernel checks them in
# network namespaces); here only what holds whatever the host's kernel has.
def test_list_all(root: Path) -> None:
    with unchanged(root):
        proc = run(*R(root), "list", "--all")
    assert_ok(proc)
    assert proc.stderr == ""
    assert proc.stdout.splitlines() == TOP_LEVEL


def test_active_and_inactive_make_all(root: Path) -> None:
    active, inactive = run(*R(root), "list"), run(*R(root), "list", "--inactive")
    assert active.returncode == inactive.returncode == EXIT_OK
    assert sorted(active.stdout.split() + inactive.stdout.split()) == TOP_LEVEL
    assert not set(active.stdout.split()) & set(inactive.stdout.split())


def test_list_macs(root: Path) -> None:
    with unchanged(root):
        proc = run(*R(root), "list", "--all", "--macs")
    assert_ok(proc)
    rows = [line.split() for line in proc.stdout.splitlines()]
    assert all(len(r) == 2 for r in rows), proc.stdout
    assert [r[0] for r in rows] == TOP_LEVEL
    assert {name: mac for name, mac in rows} == {n: MACS.get(n, "-") for n in TOP_LEVEL}


def test_list_json(root: Path) -> None:
    with unchanged(root):
        proc = run(*R(root), "list", "--all", "--json")
    assert_ok(proc)
    data = json.loads(proc.stdout)
    assert [{k: row[k] for k in ("name", "mac")} for row in data] == \
        [{"name": n, "mac": MACS.get(n)} for n in TOP_LEVEL]
    types = {"bond0": "bond", "br0": "bridge", "br1": "bridge", "br2": "bridge"}
    assert {row["name"]: row["type"] for row in data} == {n: types.get(n, "ethernet") for n in TOP_LEVEL}
    active = run(*R(root), "list").stdout.split()
    assert {d["name"]: d["status"] for d in data} == {n: "active" if n in active else "inactive"
                                                      for n in TOP_LEVEL}


def test_list_empty_root(empty_redhat_root: Path) -> None:
    proc = run(*R(empty_redhat_root), "list", "--json")
    assert_ok(proc)
    assert json.loads(proc.stdout) == []


def test_list_through_the_console_script(root: Path) -> None:
    with unchanged(root):
        proc = run(*R(root), "list", "--all", script=True)
    assert_ok(proc)
    assert proc.stdout.splitlines() == TOP_LEVEL


# -- dumpxml ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [*TOP_LEVEL, "eth0", "eth1"])
def test_dumpxml(root: Path, name: str) -> None:
    with unchanged(root):
        proc = run(*R(root), "dumpxml", name)
    assert_ok(proc)
    doc = parse_xml(proc.stdout)
    assert doc.tag == "interface"
    assert doc.get("name") == name
    augnetcf.schema.validate(etree.ElementTree(doc))


def test_dumpxml_bridge_includes_its_port(root: Path) -> None:
    doc = parse_xml(run(*R(root), "dumpxml", "br0").stdout)
    assert doc.get("type") == "bridge"
    assert [p.get("name") for p in doc.findall("bridge/interface")] == ["eth0"]


@pytest.mark.parametrize(
    "mac",
    ["aa:bb:cc:dd:ee:ff", "AA:BB:CC:DD:EE:FF", "Aa:bB:cC:Dd:eE:fF", "aa-bb-cc-dd-ee-ff"],
    ids=["lower", "upper", "mixed", "dashes"],
)
def test_dumpxml_by_mac(root: Path, mac: str) -> None:
    with unchanged(root):
        proc = run(*R(root), "dumpxml", "--mac", mac)
    assert_ok(proc)
    assert parse_xml(proc.stdout).get("name") == "br0"
    assert proc.stdout == run(*R(root), "dumpxml", "br0").stdout


def test_dumpxml_by_mac_through_the_console_script(root: Path) -> None:
    proc = run(*R(root), "dumpxml", "--mac", "00:00:00:00:00:01", script=True)
    assert_ok(proc)
    assert parse_xml(proc.stdout).get("name") == "eth4"


# -- define / undefine -------------------------------------------------------------------------------------
@pytest.mark.parametrize("doc", [ETH7, BR7], ids=["ethernet", "bridge"])
@pytest.mark.parametrize("how", ["file", "stdin"])
def test_define_then_dumpxml_round_trip(root: Path, tmp_path: Path, doc: str, how: str) -> None:
    name = parse_xml(doc).get("name")
    if how == "file":
        path = tmp_path / "in.xml"
        path.write_text(doc)
        proc = run(*R(root), "define", str(path))
    else:
        proc = run(*R(root), "define", "-", stdin=doc.encode())
    assert_ok(proc)
    assert proc.stdout.strip() == f"Defined interface {name}"
    assert (root / REDHAT_DIR / f"ifcfg-{name}").is_file()
    assert name in run(*R(root), "list", "--all").stdout.split()
    out = run(*R(root), "dumpxml", name)
    assert_ok(out)
    assert canonical(out.stdout) == canonical(doc)


def test_define_netcf_bridge_from_stdin(root: Path) -> None:
    data = (NETCF / "interface" / "bridge.xml").read_bytes()
    assert_ok(run(*R(root), "define", "-", stdin=data))
    doc = parse_xml(run(*R(root), "dumpxml", "br0").stdout)
    assert [p.get("name") for p in doc.findall("bridge/interface")] == ["eth0", "eth1"]


def test_define_twice_is_idempotent(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.xml"
    path.write_text(ETH7)
    assert_ok(run(*R(root), "define", str(path)))
    with unchanged(root):
        assert_ok(run(*R(root), "define", str(path)))


def test_define_by_console_script(root: Path) -> None:
    proc = run(*R(root), "define", "-", stdin=ETH7.encode(), script=True)
    assert_ok(proc)
    assert canonical(run(*R(root), "dumpxml", "eth7").stdout) == canonical(ETH7)


@pytest.mark.parametrize(("name", "gone"), [
    ("bond0", ["ifcfg-bond0", "ifcfg-eth1", "ifcfg-eth2"]),
    ("br0", ["ifcfg-br0", "ifcfg-eth0"]),
    ("lo", ["ifcfg-lo"]),
    ("eth3", ["ifcfg-by-device"]),
])
def test_undefine(root: Path, name: str, gone: list[str]) -> None:
    scripts = root / REDHAT_DIR
    before = set(os.listdir(scripts))
    proc = run(*R(root), "undefine", name)
    assert_ok(proc)
    assert proc.stdout.strip() == f"{name} undefined"
    assert set(os.listdir(scripts)) == before - set(gone)
    assert name not in run(*R(root), "list", "--all").stdout.split()
    assert_one_line_error(run(*R(root), "dumpxml", name), EXIT_NOT_FOUND, repr(name))


def test_define_then_undefine_restores_the_root(root: Path) -> None:
    with unchanged(root):
        assert_ok(run(*R(root), "define", "-", stdin=BR7.encode()))
        assert_ok(run(*R(root), "undefine", "br7"))


# -- validate --------------------------------------------------------------------------------------------
def test_validate_valid_file(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "ok.xml"
    path.write_text(ETH7)
    with unchanged(root, tmp_path):
        proc = run(*R(root), "validate", str(path))
    assert_ok(proc)
    assert proc.stdout.strip() == f"{path}: valid ethernet interface eth7"
    assert proc.stderr == ""


def test_validate_valid_stdin_needs_no_root() -> None:
    proc = run("--root", "/nonexistent-root", "validate", "-", stdin=BR7.encode())
    assert_ok(proc)
    assert proc.stdout.strip() == "<stdin>: valid bridge interface br7"


def doc(*lines: str) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape")


BRIDGE_HEAD = ('<interface type="bridge" name="br7">', '<start mode="onboot"/>', "<bridge>")
BRIDGE_TAIL = ("</bridge>", "</interface>")

# id -> (document, line of the problem)
INVALID_DOCS = {
    "malformed-line-3": (doc('<interface type="ethernet" name="eth7">', '<start mode="onboot"/>',
                             '<mac address="x"/', "</interface>"), 3),
    "not-utf8-line-2": (doc('<interface type="ethernet" name="eth7">', "<!-- caf\udce9 -->",
                            "</interface>"), 2),
    "bad-port-name-line-4": (doc(*BRIDGE_HEAD, '<interface type="ethernet" name="eth$(reboot)"/>',
                                 *BRIDGE_TAIL), 4),
    "port-named-like-bridge-line-4": (doc(*BRIDGE_HEAD, '<interface type="ethernet" name="br7"/>',
                                          *BRIDGE_TAIL), 4),
    "wrong-root-line-2": (doc('<?xml version="1.0"?>', '<network name="default"/>'), 2),
    "unknown-type-line-1": (doc('<interface type="tunnel" name="tun0">', '<start mode="onboot"/>',
                                "</interface>"), 1),
    "dtd-line-1": (doc('<!DOCTYPE interface [<!ENTITY x "y">]>', '<interface type="ethernet" name="eth7"/>'),
                   1),
}


@pytest.mark.parametrize(("data", "line"), list(INVALID_DOCS.values()), ids=list(INVALID_DOCS))
@pytest.mark.parametrize("how", ["file", "stdin"])
def test_validate_invalid(root: Path, tmp_path: Path, data: bytes, line: int, how: str) -> None:
    if how == "file":
        path = tmp_path / "bad.xml"
        path.write_bytes(data)
        source, args, stdin = str(path), ["validate", str(path)], None
    else:
        source, args, stdin = "<stdin>", ["validate", "-"], data
    with unchanged(root, tmp_path):
        proc = run(*R(root), *args, stdin=stdin)
    msg = assert_one_line_error(proc, EXIT_ERROR)
    assert re.fullmatch(rf"augnetcf: {re.escape(source)}:{line}: \S.*", msg), msg
    assert proc.stdout == ""


# -- errors ----------------------------------------------------------------------------------------------
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE interface [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
       b'<interface type="ethernet" name="eth7"><start mode="onboot"/>&xxe;</interface>\n')


UNTERMINATED = 'DEVICE=eth0\nONBOOT="yes\n'


def _write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "input.xml"
    path.write_bytes(data)
    return str(path)


def _break_ifcfg(root: Path, content: str) -> str:
    path = root / REDHAT_DIR / "ifcfg-broken"
    path.write_text(content)
    return str(path)


def _scripts_is_a_file(root: Path) -> str:
    shutil.rmtree(root / REDHAT_DIR)
    (root / REDHAT_DIR).write_text("# not a directory\n")
    return str(root / REDHAT_DIR / "ifcfg-eth7")


# id -> (exit code, a function (root, tmp_path) -> (argv, stdin, fragments))
ERRORS = {
    "dumpxml-unknown-name": (EXIT_NOT_FOUND, lambda r, t: (
        [*R(r), "dumpxml", "eth99"], None, ["'eth99'", str(r)])),
    "dumpxml-unknown-mac": (EXIT_NOT_FOUND, lambda r, t: (
        [*R(r), "dumpxml", "--mac", "52:54:00:00:00:99"], None, ["52:54:00:00:00:99"])),
    "dumpxml-mac-of-a-port": (EXIT_NOT_FOUND, lambda r, t: (
        [*R(r), "dumpxml", "--mac", "00:1c:c0:89:dd:01"], None, ["00:1c:c0:89:dd:01"])),
    "dumpxml-not-a-mac": (EXIT_NOT_FOUND, lambda r, t: (
        [*R(r), "dumpxml", "--mac", "zz:zz"], None, ["'zz:zz'", "not a MAC address"])),
    "undefine-unknown-name": (EXIT_NOT_FOUND, lambda r, t: (
        [*R(r), "undefine", "eth99"], None, ["'eth99'"])),
    "root-dev-null": (EXIT_ERROR, lambda r, t: (
        ["--root", "/dev/null", "list"], None, ["/dev/null", "not a directory"])),
    "root-missing": (EXIT_ERROR, lambda r, t: (
        ["--root", str(t / "missing"), "list"], None, [str(t / "missing"), "does not exist"])),
    "root-is-a-file": (EXIT_ERROR, lambda r, t: (
        ["--root", str(r / REDHAT_DIR / "ifcfg-eth0"), "dumpxml", "eth0"], None, ["not a directory"])),
    "define-missing-file": (EXIT_ERROR, lambda r, t: (
        [*R(r), "define", str(t / "missing.xml")], None, [str(t / "missing.xml"), "cannot read"])),
    "define-directory": (EXIT_ERROR, lambda r, t: (
        [*R(r), "define", str(t)], None, [str(t), "cannot read"])),
    "validate-missing-file": (EXIT_ERROR, lambda r, t: (
        [*R(r), "validate", str(t / "missing.xml")], None, [str(t / "missing.xml"), "cannot read"])),
    "define-malformed-file": (EXIT_ERROR, lambda r, t: (
        [*R(r), "define", _write(t, INVALID_DOCS["malformed-line-3"][0])], None,
        [f"{t / 'input.xml'}:3:", "malformed XML"])),
    "define-malformed-stdin": (EXIT_ERROR, lambda r, t: (
        [*R(r), "define", "-"], b"<interface", ["<stdin>:", "malformed XML"])),
    "define-empty-stdin": (EXIT_ERROR, lambda r, t: (
        [*R(r), "define", "-"], b"", ["<stdin>:", "empty"])),
    "define-bad-name-stdin": (EXIT_ERROR, lambda r, t: (
        [*R(r), "define", "-"], INVALID_DOCS["bad-port-name-line-4"][0],
        ["<stdin>:4:", "shell metacharacters"])),
    "define-xxe": (EXIT_ERROR, lambda r, t: (
        [*R(r), "define", "-"], XXE, ["<stdin>:"])),
    "define-too-large": (EXIT_ERROR, lambda r, t: (
        [*R(r), "define", _write(t, b"<interface>" + b" " * (1 << 20) + b"</interface>")], None,
        ["larger than"])),
    "define-while-a-file-is-unparseable": (EXIT_ERROR, lambda r, t: (
        [*R(r), "define", "-"], ETH7.encode(),
        [f"{_break_ifcfg(r, 'this is not shell')}:1:", "cannot be parsed", "fix it before"])),
    "undefine-while-a-file-is-unparseable": (EXIT_ERROR, lambda r, t: (
        [*R(r), "undefine", "br0"], None, [f"{_break_ifcfg(r, UNTERMINATED)}:2:", "cannot be parsed"])),
    "define-save-fails": (EXIT_ERROR, lambda r, t: (
        [*R(r), "--backend", "redhat", "define", "-"], ETH7.encode(),
        [f"{_scripts_is_a_file(r)}:", "Not a directory"])),
}


@pytest.mark.parametrize(("code", "make"), list(ERRORS.values()), ids=list(ERRORS))
def test_error(root: Path, tmp_path: Path, code: int, make) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    args, stdin, fragments = make(root, inputs)  # may break the root: snapshot after
    with unchanged(root, inputs):
        proc = run(*args, stdin=stdin)
    assert_one_line_error(proc, code, *fragments)
    assert proc.stdout == ""


def test_define_xxe_does_not_leak_passwd(root: Path) -> None:
    proc = run(*R(root), "define", "-", stdin=XXE)
    assert_one_line_error(proc, EXIT_ERROR)
    passwd = [ln for ln in Path("/etc/passwd").read_text(errors="replace").splitlines() if len(ln) > 4]
    assert not [ln for ln in passwd if ln in proc.stderr or ln in proc.stdout]
    assert "root:x:" not in proc.stderr


@pytest.mark.parametrize("script", [False, True], ids=["python-m", "console-script"])
def test_error_exit_codes_through_both_entry_points(root: Path, script: bool) -> None:
    with unchanged(root):
        assert_one_line_error(run(*R(root), "dumpxml", "eth99", script=script), EXIT_NOT_FOUND)
        assert_one_line_error(run("--root", "/dev/null", "list", script=script), EXIT_ERROR)


@pytest.mark.parametrize(
    ("code", "args"),
    [
        pytest.param(EXIT_NOT_FOUND, ["dumpxml", "--mac", "52:54:00:00:00:99\n"],
                     id="mac-with-newline"),
        pytest.param(EXIT_ERROR, ["validate", "/nonexistent\nfile.xml"],
                     id="file-with-newline"),
        pytest.param(EXIT_ERROR, ["--root", "/nonexistent\nroot", "list"],
                     id="root-with-newline", ),
        pytest.param(EXIT_NOT_FOUND, ["dumpxml", "eth\n99"], id="name-with-newline"),
        pytest.param(EXIT_NOT_FOUND, ["dumpxml", "--mac", "1"], id="mac-decimal-integer"),
        pytest.param(EXIT_NOT_FOUND, ["dumpxml", "--mac", "00:11:22:33:44:55:66:77"],
                     id="mac-eui-64"),
    ],
)
def test_error_odd_arguments(root: Path, code: int, args: list[str]) -> None:
    rargs = args if args[0] == "--root" else [*R(root), *args]
    with unchanged(root):
        proc = run(*rargs)
    assert_one_line_error(proc, code)


# -- usage errors ----------------------------------------------------------------------------------------
USAGE = {
    "unknown-verb": ["frobnicate"],
    "dumpxml-missing-name": ["dumpxml"],
    "define-missing-file": ["define"],
    "undefine-missing-name": ["undefine"],
    "validate-missing-file": ["validate"],
    "unknown-option": ["list", "--bogus"],
    "extra-argument": ["dumpxml", "br0", "eth0"],
    "root-missing-value": ["--root"],
    "unknown-backend": ["--backend", "wicked", "list"],
}


@pytest.mark.parametrize("args", list(USAGE.values()), ids=list(USAGE))
def test_usage_error(root: Path, args: Sequence[str]) -> None:
    """argparse's convention: the synopsis, then ONE ``augnetcf[ VERB]: error: ...`` line.

    This is the one deliberate exception to the single-line rule: the lines before the error are
    the usage synopsis (``usage: ...`` and its indented continuation), never a traceback.
    """
    rargs = [*R(root), *args] if args[:1] != ["--root"] else list(args)
    with unchanged(root):
        proc = run(*rargs)
    assert proc.returncode == EXIT_USAGE, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines, "stderr is empty"
    errors = [ln for ln in lines if re.match(r"augnetcf( \w+)?: error: \S", ln)]
    assert errors == [lines[-1]], proc.stderr
    synopsis = lines[:-1]
    assert synopsis and synopsis[0].startswith("usage: augnetcf"), proc.stderr
    assert all(ln.startswith(" ") for ln in synopsis[1:]), proc.stderr


@pytest.mark.parametrize("verb", [["list", "--all"], ["dumpxml", "br0"]], ids=["list", "dumpxml"])
def test_reads_go_on_past_an_unparseable_file_with_a_warning(root: Path, verb: list[str]) -> None:
    broken = _break_ifcfg(root, UNTERMINATED)
    with unchanged(root):
        proc = run(*R(root), *verb)
    assert proc.returncode == EXIT_OK, proc.stderr
    assert proc.stderr == f"augnetcf: warning: {broken}:2: cannot be parsed: " + \
        proc.stderr.split("cannot be parsed: ", 1)[1]
    assert proc.stderr.count("\n") == 1 and "(left out)" in proc.stderr
    assert "br0" in proc.stdout
