"""Every error path of the Config API, against real libaugeas on temporary roots.

Each case checks four things: the exception class (and the builtin it also
is), its ``.code``, that ``str(err)`` says what was wrong and where (the file,
and the line when it can be known), and that nothing under the root changed:
no file written, removed, re-moded or created, no directory created.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Callable

import pytest
from conftest import REDHAT_DIR, is_state, snapshot_tree

import augnetcf
from augnetcf import (
    AugnetcfError,
    Config,
    ErrorCode,
    FileError,
    InvalidOperation,
    NotFound,
    XMLInvalid,
    XMLParseError,
)
from augnetcf.schema import MAX_DOCUMENT_BYTES

SOURCE = "/srv/xml/iface.xml"

BUILTIN = {
    XMLParseError: ValueError,
    XMLInvalid: ValueError,
    NotFound: LookupError,
    FileError: OSError,
    InvalidOperation: RuntimeError,
}

CODE = {
    XMLParseError: ErrorCode.XML_PARSE,
    XMLInvalid: ErrorCode.XML_INVALID,
    NotFound: ErrorCode.NOT_FOUND,
    FileError: ErrorCode.FILE,
    InvalidOperation: ErrorCode.INVALID_OP,
}


# -- helpers ---------------------------------------------------------------------------------------------
def tree_state(root: Path) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """Files (mode, digest) and directories under *root*: conftest's snapshot plus directories."""
    dirs = sorted(str(Path(d).relative_to(root)) for d, _sub, _files in os.walk(root)
                  if not is_state(str(Path(d).relative_to(root))))
    return snapshot_tree(root), dirs


@contextmanager
def unchanged(root: Path) -> Iterator[None]:
    """Assert that the block leaves every file and directory under *root* as it was."""
    before = tree_state(root)
    yield
    assert tree_state(root) == before, "the root changed"


def check(err: AugnetcfError, cls: type, *fragments: str) -> str:
    """Common assertions on a caught error; returns its message."""
    assert type(err) is cls
    assert isinstance(err, AugnetcfError)
    assert isinstance(err, BUILTIN[cls])
    assert err.code == CODE[cls]
    text = str(err)
    assert text, "empty message"
    assert "\n" not in text, "message is not one line"
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in {text!r}"
    return text


def check_where(err: AugnetcfError, file: str, line: int | None) -> None:
    """*err* names *file* (and *line*) first, the way compilers do."""
    assert err.file == file
    assert err.line == line
    prefix = f"{file}:{line}: " if line else f"{file}: "
    assert str(err).startswith(prefix), f"{str(err)!r} does not start with {prefix!r}"


@pytest.fixture
def root(redhat_fsroot: Path) -> Path:
    return redhat_fsroot


@pytest.fixture
def cfg(root: Path) -> Iterator[Config]:
    with Config(str(root)) as c:
        yield c


# -- the hierarchy ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("cls", "builtin"), list(BUILTIN.items()), ids=[c.__name__ for c in BUILTIN])
def test_error_class_is_its_builtin(cls: type, builtin: type) -> None:
    assert issubclass(cls, builtin)
    assert issubclass(cls, AugnetcfError)
    err = cls("something is wrong", file="/x/y", line=7)
    assert isinstance(err, builtin)
    assert err.code == CODE[cls]
    assert str(err) == "/x/y:7: something is wrong"


def test_every_public_error_is_exported() -> None:
    for cls in BUILTIN:
        assert getattr(augnetcf, cls.__name__) is cls


# -- XML that is not well-formed, or dangerous --------------------------------------------------------------
ETH = '<interface type="ethernet" name="eth9">\n<start mode="onboot"/>\n</interface>\n'

def _billion_laughs() -> bytes:
    """The classic: nine levels of ten references each, 10**9 'lol's if expanded."""
    entities = [b' <!ENTITY lol "lol">']
    for i in range(1, 10):
        ref = b"&lol;" if i == 1 else b"&lol%d;" % (i - 1)
        entities.append(b' <!ENTITY lol%d "%s">' % (i, ref * 10))
    return (b'<?xml version="1.0"?>\n<!DOCTYPE interface [\n' + b"\n".join(entities) + b"\n]>\n"
            b'<interface type="ethernet" name="eth9">&lol9;</interface>\n')


LOL = _billion_laughs()

XXE_DOCS = {
    "entity-in-content": (
        b'<?xml version="1.0"?>\n<!DOCTYPE interface [\n'
        b'<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
        b'<interface type="ethernet" name="eth9"><start mode="onboot"/>&xxe;</interface>\n'
    ),
    "entity-in-attribute": (
        b'<?xml version="1.0"?>\n<!DOCTYPE interface [\n'
        b'<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
        b'<interface type="ethernet" name="&xxe;"/>\n'
    ),
    "parameter-entity": (
        b'<?xml version="1.0"?>\n<!DOCTYPE interface [\n'
        b'<!ENTITY % x SYSTEM "file:///etc/passwd">\n%x;\n]>\n'
        b'<interface type="ethernet" name="eth9"/>\n'
    ),
    "error-based-exfiltration": (
        b'<?xml version="1.0"?>\n<!DOCTYPE interface [\n'
        b'<!ENTITY % file SYSTEM "file:///etc/passwd">\n'
        b"<!ENTITY % eval \"<!ENTITY &#x25; err SYSTEM 'file:///nonexistent/%file;'>\">\n"
        b"%eval;\n%err;\n]>\n"
        b'<interface type="ethernet" name="eth9"/>\n'
    ),
    "external-dtd": (
        b'<?xml version="1.0"?>\n<!DOCTYPE interface SYSTEM "file:///etc/passwd">\n'
        b'<interface type="ethernet" name="eth9"/>\n'
    ),
}

# id -> (document, line of the problem or None, fragments the message must contain)
NOT_WELL_FORMED = {
    "bad-attribute-line-3": (
        b'<interface type="ethernet" name="eth9">\n<start mode="onboot"/>\n<mac address="x"/\n</interface>\n',
        3, ["malformed XML"]),
    "tag-mismatch-line-3": (
        b'<interface type="ethernet" name="eth9">\n<start mode="onboot"/>\n</mac>\n</interface>\n',
        3, ["malformed XML", "mismatch"]),
    "duplicate-attribute-line-3": (
        b'<interface type="ethernet" name="eth9">\n<start mode="onboot"/>\n'
        b'<mac address="52:54:00:00:00:01" address="52:54:00:00:00:02"/>\n</interface>\n',
        3, ["malformed XML", "address"]),
    "two-roots-line-4": (ETH.encode() + b'<interface type="ethernet" name="eth8"/>\n', 4, ["malformed XML"]),
    "undeclared-entity": (b'<interface type="ethernet" name="&xxe;"/>\n', 1, ["malformed XML", "xxe"]),
    "empty-bytes": (b"", None, ["empty"]),
    "empty-str": ("", None, ["empty"]),
    "whitespace-only": (b"  \n\t\n", None, ["empty"]),
    "latin-1-line-2": (
        b'<interface type="ethernet" name="eth9">\n<!-- caf\xe9 -->\n<start mode="onboot"/>\n</interface>\n',
        2, ["UTF-8", "0xe9"]),
    "latin-1-declared-line-3": (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<interface type="ethernet" name="eth9">\n'
        b"<!-- \xe9t\xe9 -->\n</interface>\n",
        3, ["UTF-8"]),
    "utf-16": (ETH.encode("utf-16"), 1, ["UTF-8"]),
    "too-large": (b"<interface>" + b" " * MAX_DOCUMENT_BYTES + b"</interface>", None,
                  [f"larger than {MAX_DOCUMENT_BYTES} bytes"]),
}


@pytest.mark.parametrize(("data", "line", "fragments"), list(NOT_WELL_FORMED.values()),
                         ids=list(NOT_WELL_FORMED))
def test_define_not_well_formed(root: Path, cfg: Config, data: bytes | str, line: int | None,
                                fragments: list[str]) -> None:
    with unchanged(root), pytest.raises(XMLParseError) as ei:
        cfg.define(data, SOURCE)
    check(ei.value, XMLParseError, *fragments)
    check_where(ei.value, SOURCE, line)


BILLION_LAUGHS = {
    "referenced-in-content": LOL,
    "referenced-in-attribute": LOL.replace(b'name="eth9">&lol9;', b'name="&lol9;">'),
    "declared-only": LOL.replace(b">&lol9;</interface>", b"/>"),
}


@pytest.mark.parametrize("data", list(BILLION_LAUGHS.values()), ids=list(BILLION_LAUGHS))
def test_billion_laughs_is_refused(root: Path, cfg: Config, data: bytes) -> None:
    """Refused without expansion: the message is short and holds no run of 'lol'.

    Which guard fires depends on where the entity is used: a document that only declares the
    entities is refused by augnetcf's DTD check, one that references them by libxml2's
    amplification limit while parsing (so no line or wording is asserted beyond the file).
    """
    with unchanged(root), pytest.raises(XMLParseError) as ei:
        cfg.define(data, SOURCE)
    text = check(ei.value, XMLParseError)
    assert ei.value.file == SOURCE
    assert text.startswith(f"{SOURCE}:")
    assert "dtd" in text.lower() or "entity" in text.lower()
    assert "lollol" not in text
    assert len(text) < 300


def test_declared_only_dtd_is_refused_by_augnetcf(cfg: Config) -> None:
    with pytest.raises(XMLParseError) as ei:
        cfg.define(BILLION_LAUGHS["declared-only"], SOURCE)
    assert ei.value.message == "DTDs and entity declarations are not allowed"


def _passwd_lines() -> list[str]:
    try:
        text = Path("/etc/passwd").read_text(errors="replace")
    except OSError:  # pragma: no cover - every Linux test box has one
        return []
    return [ln for ln in text.splitlines() if len(ln) > 4]


@pytest.mark.parametrize("data", list(XXE_DOCS.values()), ids=list(XXE_DOCS))
def test_external_entity_refused_and_not_leaked(root: Path, cfg: Config, data: bytes) -> None:
    with unchanged(root), pytest.raises(XMLParseError) as ei:
        cfg.define(data, SOURCE)
    text = check(ei.value, XMLParseError)
    assert ei.value.file == SOURCE
    assert text.startswith(f"{SOURCE}:")
    leaked = [ln for ln in _passwd_lines() if ln in text]
    assert not leaked, f"/etc/passwd content in the message: {leaked}"
    assert "root:x:" not in text and "/bin/" not in text
    # Nothing chained either: a traceback would print it.
    assert ei.value.__cause__ is None


# -- well-formed but not an interface description ----------------------------------------------------------
WRONG_ROOT = {
    "network-line-2": (b'<?xml version="1.0"?>\n<network>\n</network>\n', 2,
                       ["<network>", "expected <interface>"]),
    "namespaced-interface": (b'<interface xmlns="urn:x" type="ethernet" name="eth9"/>\n', 1,
                             ["{urn:x}interface", "expected <interface>"]),
}


@pytest.mark.parametrize(("data", "line", "fragments"), list(WRONG_ROOT.values()), ids=list(WRONG_ROOT))
def test_define_wrong_root(root: Path, cfg: Config, data: bytes, line: int, fragments: list[str]) -> None:
    with unchanged(root), pytest.raises(XMLInvalid) as ei:
        cfg.define(data, SOURCE)
    check(ei.value, XMLInvalid, *fragments)
    check_where(ei.value, SOURCE, line)


# id -> (document, line of the offending element, a word the message should contain)
SCHEMA_INVALID = {
    "bad-mac-line-3": (
        '<interface type="ethernet" name="eth9">\n<start mode="onboot"/>\n<mac address="zz:zz"/>\n'
        "</interface>\n",
        3, "mac"),
    "prefix-33-line-4": (
        '<interface type="ethernet" name="eth9">\n<start mode="onboot"/>\n<protocol family="ipv4">\n'
        '<ip address="10.0.0.1" prefix="33"/>\n</protocol>\n</interface>\n',
        4, "ip"),
    "unknown-type-line-2": (
        '<?xml version="1.0"?>\n<interface type="tunnel" name="eth9">\n<start mode="onboot"/>\n'
        "</interface>\n",
        2, "interface"),
}

@pytest.mark.parametrize(("data", "line", "word"), list(SCHEMA_INVALID.values()), ids=list(SCHEMA_INVALID))
def test_define_schema_invalid(root: Path, cfg: Config, data: str, line: int, word: str) -> None:
    with unchanged(root), pytest.raises(XMLInvalid) as ei:
        cfg.define(data, SOURCE)
    check(ei.value, XMLInvalid, word)
    assert ei.value.file == SOURCE
    assert ei.value.line is not None
    assert str(ei.value).startswith(f"{SOURCE}:{ei.value.line}: ")


@pytest.mark.parametrize(
    ("data", "line", "word"),
    [
        pytest.param(*SCHEMA_INVALID["bad-mac-line-3"], id="bad-mac-line-3"),
        pytest.param(*SCHEMA_INVALID["prefix-33-line-4"], id="prefix-33-line-4"),
        pytest.param(*SCHEMA_INVALID["unknown-type-line-2"], id="unknown-type-line-2"),
    ],
)
def test_define_schema_invalid_names_the_right_line(cfg: Config, data: str, line: int, word: str) -> None:
    with pytest.raises(XMLInvalid) as ei:
        cfg.define(data, SOURCE)
    check_where(ei.value, SOURCE, line)
    assert word in ei.value.message


# -- interface names ---------------------------------------------------------------------------------------
def _top(name: str) -> str:
    return f'<interface type="ethernet" name="{name}">\n<start mode="onboot"/>\n</interface>\n'


def _bridge_port(name: str) -> str:
    return (f'<interface type="bridge" name="br9">\n<start mode="onboot"/>\n<bridge>\n'
            f'<interface type="ethernet" name="{name}"/>\n</bridge>\n</interface>\n')


def _bond_slave(name: str) -> str:
    return (f'<interface type="bond" name="bond9">\n<start mode="onboot"/>\n<bond mode="active-backup">\n'
            f'<interface type="ethernet" name="{name}"/>\n</bond>\n</interface>\n')


def _vlan_device(name: str) -> str:
    return (f'<interface type="vlan" name="vlan9">\n<start mode="onboot"/>\n<vlan tag="9">\n'
            f'<interface name="{name}"/>\n</vlan>\n</interface>\n')


# template -> line of the named element
PLACES: dict[str, tuple[Callable[[str], str], int]] = {
    "top-level": (_top, 1),
    "bridge-port": (_bridge_port, 4),
    "bond-slave": (_bond_slave, 4),
    "vlan-device": (_vlan_device, 4),
}

# id -> (attribute text, name as Python sees it, reason fragment)
BAD_NAMES = {
    "too-long": ("a" * 16, "a" * 16, "longer than 15 bytes"),
    "too-long-utf8": ("é" * 8, "é" * 8, "longer than 15 bytes"),
    "slash": ("eth/0", "eth/0", "'/'"),
    "dollar": ("eth$0", "eth$0", "shell metacharacters"),
    "backtick": ("eth`id`", "eth`id`", "shell metacharacters"),
    "space": ("eth 0", "eth 0", "whitespace"),
    "newline": ("eth&#10;0", "eth\n0", "whitespace"),
    "dotdot": ("..", "..", "'..'"),
    "dot": (".", ".", "'.'"),
    "empty": ("", "", "empty"),
    "non-ascii": ("ethé", "ethé", "ASCII"),
}


@pytest.mark.parametrize("place", list(PLACES))
def test_name_templates_are_valid_with_a_good_name(cfg: Config, place: str) -> None:
    """Control: each template is valid, so the bad-name tests fail only for the name."""
    template, _line = PLACES[place]
    augnetcf.schema.load(template("eth5"), SOURCE)


@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize(("text", "name", "reason"), list(BAD_NAMES.values()), ids=list(BAD_NAMES))
def test_define_invalid_name(root: Path, cfg: Config, place: str, text: str, name: str, reason: str) -> None:
    template, line = PLACES[place]
    with unchanged(root), pytest.raises(XMLInvalid) as ei:
        cfg.define(template(text), SOURCE)
    check(ei.value, XMLInvalid, f"interface name {name!r}", reason)
    check_where(ei.value, SOURCE, line)


DUPLICATES = {
    "bridge-port-is-the-bridge": (_bridge_port("br9"), 4, "'br9'", "first on line 1"),
    "bond-slave-is-the-bond": (_bond_slave("bond9"), 4, "'bond9'", "first on line 1"),
    "two-ports-same-name": (
        '<interface type="bridge" name="br9">\n<start mode="onboot"/>\n<bridge>\n'
        '<interface type="ethernet" name="eth5"/>\n<interface type="ethernet" name="eth5"/>\n'
        "</bridge>\n</interface>\n",
        5, "'eth5'", "first on line 4"),
}


@pytest.mark.parametrize(("data", "line", "name", "first"), list(DUPLICATES.values()), ids=list(DUPLICATES))
def test_define_same_name_twice(root: Path, cfg: Config, data: str, line: int, name: str, first: str) -> None:
    with unchanged(root), pytest.raises(XMLInvalid) as ei:
        cfg.define(data, SOURCE)
    check(ei.value, XMLInvalid, name, "described twice", first)
    check_where(ei.value, SOURCE, line)


def test_vlan_device_may_repeat_a_port_name(cfg: Config) -> None:
    """Control for the duplicate check: a vlan's <interface> refers to its device, it is no definition."""
    augnetcf.schema.load(_vlan_device("eth5"), SOURCE)


# -- not found -----------------------------------------------------------------------------------------
NOT_FOUND_OPS: dict[str, Callable[[Config, str], object]] = {
    "lookup_by_name": lambda c, n: c.lookup_by_name(n),
    "xml_desc": lambda c, n: c.xml_desc(n),
    "undefine": lambda c, n: c.undefine(n),
}


@pytest.mark.parametrize("op", list(NOT_FOUND_OPS))
@pytest.mark.parametrize("name", ["eth99", "ifcfg-eth0", "ETH0", ""],
                         ids=["unknown", "file-name", "case", "empty"])
def test_unknown_name_is_not_found(root: Path, cfg: Config, op: str, name: str) -> None:
    with unchanged(root), pytest.raises(NotFound) as ei:
        NOT_FOUND_OPS[op](cfg, name)
    check(ei.value, NotFound, repr(name), "no interface named")
    check_where(ei.value, str(root), None)
    with pytest.raises(LookupError):  # what a caller without augnetcf imports would write
        NOT_FOUND_OPS[op](cfg, name)


@pytest.mark.parametrize(
    "mac",
    [
        pytest.param("not-a-mac", id="word"),
        pytest.param("", id="empty"),
        pytest.param("00:11:22:33:44", id="five-octets"),
        pytest.param("zz:zz:zz:zz:zz:zz", id="not-hex"),
        pytest.param("00:11:22:33:44:55:66", id="seven-octets"),
        pytest.param("eth0", id="a-name"),
        pytest.param("1", id="decimal-integer"),
        pytest.param("00:11:22:33:44:55:66:77", id="eui-64"),
        pytest.param("281474976710656", id="integer-2**48"),
    ],
)
def test_lookup_by_mac_with_a_non_mac(root: Path, cfg: Config, mac: str) -> None:
    with unchanged(root), pytest.raises(NotFound) as ei:
        cfg.lookup_by_mac(mac)
    check(ei.value, NotFound, repr(mac), "not a MAC address")


def test_lookup_by_unknown_mac_is_an_empty_list(root: Path, cfg: Config) -> None:
    """Not an error: the API returns every match, and there are none."""
    with unchanged(root):
        assert cfg.lookup_by_mac("52:54:00:12:34:56") == []


def test_eui64_sysfs_address_does_not_break_list(root: Path) -> None:
    d = root / "sys/class/net/firewire0"
    d.mkdir(parents=True)
    (d / "address").write_text("00:11:22:33:44:55:66:77\n")
    with unchanged(root), Config(str(root)) as c:
        assert "br0" in c.list_interfaces()


def test_eui64_hwaddr_does_not_crash(root: Path) -> None:
    (root / REDHAT_DIR / "ifcfg-eth8").write_text("DEVICE=eth8\nHWADDR=00:11:22:33:44:55:66:77\n")
    with unchanged(root), Config(str(root)) as c, suppress(AugnetcfError):
        c.list_interfaces()


# -- files Augeas cannot parse ---------------------------------------------------------------------------
# id -> (content, line Augeas reports)
UNPARSEABLE = {
    "not-shell": ("this is not shell\n", 1),
    "unterminated-quote": ('DEVICE="eth0\n', 1),
    "bad-third-line": ("DEVICE=eth8\nONBOOT=yes\nfoo bar baz\n", 3),
}

UNPARSEABLE_OPS: dict[str, Callable[[Config], object]] = {
    "list_interfaces": lambda c: c.list_interfaces(),
    "interfaces": lambda c: c.interfaces(),
    "lookup_by_name": lambda c: c.lookup_by_name("br0"),
    "lookup_by_mac": lambda c: c.lookup_by_mac("aa:bb:cc:dd:ee:ff"),
    "xml_desc": lambda c: c.xml_desc("br0"),
    "define": lambda c: c.define(ETH, SOURCE),
    "undefine": lambda c: c.undefine("br0"),
}


def _check_unparseable(err: FileError, path: Path, line: int) -> None:
    check(err, FileError, "cannot be parsed", "sysconfig")
    check_where(err, str(path), line)


#: What goes on and what refuses while one file cannot be parsed (README: "A file that cannot be parsed").
READS_GO_ON = {"list_interfaces", "interfaces", "lookup_by_name", "lookup_by_mac", "xml_desc"}


@pytest.mark.parametrize(("content", "line"), list(UNPARSEABLE.values()), ids=list(UNPARSEABLE))
def test_unparseable_file_on_open_is_left_out(root: Path, content: str, line: int) -> None:
    path = root / REDHAT_DIR / "ifcfg-broken"
    path.write_text(content)
    with unchanged(root), Config(str(root)) as cfg:
        [err] = cfg.broken_files
        _check_unparseable(err, path, line)
        assert "br0" in cfg.list_interfaces()


@pytest.mark.parametrize("op", list(UNPARSEABLE_OPS))
@pytest.mark.parametrize(("content", "line"), list(UNPARSEABLE.values()), ids=list(UNPARSEABLE))
def test_unparseable_file_after_open(root: Path, cfg: Config, op: str, content: str, line: int) -> None:
    """A file that breaks after the Config was opened: reads of the other interfaces go
    on; define and undefine refuse, naming the broken file, and change nothing."""
    path = root / REDHAT_DIR / "ifcfg-broken"
    path.write_text(content)
    with unchanged(root):
        if op in READS_GO_ON:
            UNPARSEABLE_OPS[op](cfg)
            _check_unparseable(cfg.broken_files[0], path, line)
        else:
            with pytest.raises(FileError) as ei:
                UNPARSEABLE_OPS[op](cfg)
            _check_unparseable(ei.value, path, line)
            assert "fix it before changing the configuration" in str(ei.value)


def test_unknown_name_while_a_file_is_broken_says_where_it_might_be(root: Path, cfg: Config) -> None:
    path = root / REDHAT_DIR / "ifcfg-broken"
    path.write_text('DEVICE="eth8\n')
    with pytest.raises(NotFound) as ei:
        cfg.xml_desc("eth8")
    assert f"unless it is in {path}:1, which cannot be parsed" in str(ei.value)


def test_unparseable_file_fixed_after_error(root: Path, cfg: Config) -> None:
    """The Config stays usable: once the file is repaired, the next call succeeds."""
    path = root / REDHAT_DIR / "ifcfg-broken"
    path.write_text('DEVICE="eth8\n')
    with pytest.raises(FileError):
        cfg.define(ETH, SOURCE)
    path.write_text('DEVICE="eth8"\n')
    assert "eth8" in cfg.list_interfaces()
    assert cfg.broken_files == []


# -- roots and backends ------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["wicked", "", "REDHAT", "../redhat"])
def test_unknown_backend(root: Path, backend: str) -> None:
    with unchanged(root), pytest.raises(InvalidOperation) as ei:
        Config(str(root), backend)
    check(ei.value, InvalidOperation, "unknown backend", repr(backend), "redhat")


@pytest.mark.parametrize("kind", ["regular-file", "missing", "missing-parent", "dev-null"])
def test_bad_root(tmp_path: Path, kind: str) -> None:
    if kind == "regular-file":
        bad = tmp_path / "root"
        bad.write_text("not a directory\n")
        why = "root is not a directory"
    elif kind == "missing":
        bad = tmp_path / "nonexistent"
        why = "root directory does not exist"
    elif kind == "missing-parent":
        (tmp_path / "file").write_text("x\n")
        bad = tmp_path / "file" / "root"
        why = "root directory does not exist"
    else:
        bad = Path("/dev/null")
        why = "root is not a directory"
    with unchanged(tmp_path), pytest.raises(FileError) as ei:
        Config(str(bad))
    check(ei.value, FileError, why)
    check_where(ei.value, str(bad), None)


# -- a closed Config -------------------------------------------------------------------------------------
CLOSED_OPS: dict[str, Callable[[Config, augnetcf.Interface], object]] = {
    "list_interfaces": lambda c, i: c.list_interfaces(),
    "interfaces": lambda c, i: c.interfaces(),
    "lookup_by_name": lambda c, i: c.lookup_by_name("br0"),
    "lookup_by_mac": lambda c, i: c.lookup_by_mac("aa:bb:cc:dd:ee:ff"),
    "xml_desc": lambda c, i: c.xml_desc("br0"),
    "define": lambda c, i: c.define(ETH, SOURCE),
    "undefine": lambda c, i: c.undefine("br0"),
    "session": lambda c, i: c.session,
    "Interface.xml_desc": lambda c, i: i.xml_desc(),
    "Interface.undefine": lambda c, i: i.undefine(),
}


@pytest.mark.parametrize("how", ["close", "with"])
@pytest.mark.parametrize("op", list(CLOSED_OPS))
def test_closed_config(root: Path, op: str, how: str) -> None:
    if how == "close":
        cfg = Config(str(root))
        iface = cfg.lookup_by_name("br0")
        cfg.close()
        cfg.close()  # closing twice is allowed
    else:
        with Config(str(root)) as cfg:
            iface = cfg.lookup_by_name("br0")
    with unchanged(root), pytest.raises(InvalidOperation) as ei:
        CLOSED_OPS[op](cfg, iface)
    check(ei.value, InvalidOperation, "closed")


# -- saves that fail ---------------------------------------------------------------------------------------
ETH9 = ('<interface type="ethernet" name="eth9">\n<start mode="onboot"/>\n'
        '<protocol family="ipv4">\n<dhcp/>\n</protocol>\n</interface>\n')


def _scripts_is_a_file(root: Path) -> None:
    shutil.rmtree(root / REDHAT_DIR)
    (root / REDHAT_DIR).write_text("# not a directory\n")


def _target_is_a_directory(root: Path) -> None:
    (root / REDHAT_DIR / "ifcfg-eth9").mkdir()
    (root / REDHAT_DIR / "ifcfg-eth9" / "keep").write_text("x\n")


def _no_etc(root: Path) -> None:
    shutil.rmtree(root / "etc")


# id -> (how to break the root, what Augeas says)
SAVE_FAILURES = {
    "network-scripts-is-a-file": (_scripts_is_a_file, "Not a directory"),
    "ifcfg-is-a-directory": (_target_is_a_directory, "Is a directory"),
    "no-etc-directory": (_no_etc, "No such file or directory"),
}


@pytest.mark.parametrize(("breaker", "reason"), list(SAVE_FAILURES.values()), ids=list(SAVE_FAILURES))
def test_define_save_fails(empty_redhat_root: Path, breaker: Callable[[Path], None], reason: str) -> None:
    """Tests run as root, so chmod cannot stop a write; a non-directory where a directory must be
    (or a directory where the file must be) makes Augeas' save fail reliably."""
    root = empty_redhat_root
    breaker(root)
    with Config(str(root), "redhat") as cfg:
        names = cfg.list_interfaces()
        with unchanged(root), pytest.raises(FileError) as ei:
            cfg.define(ETH9, SOURCE)
        check(ei.value, FileError, "ifcfg-eth9", reason)
        check_where(ei.value, str(root / REDHAT_DIR / "ifcfg-eth9"), None)
        # The session was reloaded from disk: the failed define left nothing behind.
        assert cfg.list_interfaces() == names
        with pytest.raises(NotFound):
            cfg.lookup_by_name("eth9")


def test_define_after_failed_save_does_not_resurrect_it(empty_redhat_root: Path) -> None:
    root = empty_redhat_root
    _target_is_a_directory(root)
    with Config(str(root)) as cfg:
        with pytest.raises(FileError):
            cfg.define(ETH9, SOURCE)
        shutil.rmtree(root / REDHAT_DIR / "ifcfg-eth9")
        cfg.define(ETH9.replace("eth9", "eth7"), SOURCE)
        assert sorted(os.listdir(root / REDHAT_DIR)) == ["ifcfg-eth7"]
        assert cfg.list_interfaces() == ["eth7"]


BRIDGE_TWO_PORTS = ('<interface type="bridge" name="br5">\n<start mode="onboot"/>\n<bridge>\n'
                    '<interface type="ethernet" name="eth5"/>\n<interface type="ethernet" name="eth6"/>\n'
                    "</bridge>\n</interface>\n")


def test_define_multi_file_save_fails_names_the_file(empty_redhat_root: Path) -> None:
    root = empty_redhat_root
    (root / REDHAT_DIR / "ifcfg-eth6").mkdir()
    with Config(str(root)) as cfg, pytest.raises(FileError) as ei:
        cfg.define(BRIDGE_TWO_PORTS, SOURCE)
    check(ei.value, FileError, "Is a directory")
    check_where(ei.value, str(root / REDHAT_DIR / "ifcfg-eth6"), None)


def test_define_multi_file_save_fails_leaves_root_unchanged(empty_redhat_root: Path) -> None:
    root = empty_redhat_root
    (root / REDHAT_DIR / "ifcfg-eth6").mkdir()
    with unchanged(root), Config(str(root)) as cfg, pytest.raises(FileError):
        cfg.define(BRIDGE_TWO_PORTS, SOURCE)
