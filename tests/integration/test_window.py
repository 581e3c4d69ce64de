"""A change to a big shared file through a window (augnetcf/window.py) writes
exactly the bytes the same change writes with the whole file loaded.

Every case runs twice on copies of one Debian root: once with every file
windowed (``window.MIN_BYTES = 0``), once with windows off, and the files
must come out byte for byte the same, dry-run diffs included. The window
must really have been used, and a file changed behind the index's back, or
a file whose items the scanner cannot tell, is loaded whole.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import snapshot_tree
from hypothesis import given, settings
from hypothesis import strategies as st

import augnetcf
from augnetcf import index, window

ETH = "etc/network/interfaces"


def big_root(root: Path, tenants: int = 40) -> Path:
    """A host whose ``interfaces`` holds a stanza per tenant in the layouts
    admins write: auto lines grouped at the top and beside their stanzas,
    comments above, inside and after stanzas, blank lines or none, tabs,
    a continued line, an ``allow-hotplug``, a ``source`` of another file,
    an option whose value is not ASCII."""
    (root / "sys/class/net/eth0").mkdir(parents=True)
    (root / "sys/class/net/eth0/address").write_text("52:54:00:00:00:01\n")
    grouped = " ".join(f"br{t}" for t in range(1, tenants + 1, 3))
    top = ["# interfaces(5) file", "", f"auto lo bond0 {grouped}",
           "iface lo inet loopback", "", "source /etc/network/more", "",
           "iface bond0 inet manual", "\tbond_slaves eth0 eth1", "\tbond_mode active-backup", ""]
    out = top
    for t in range(1, tenants + 1):
        out += [f"# tenant {t}"] if t % 2 else []
        out += [f"auto br{t}"] if t % 3 != 1 else []
        out += [f"iface br{t} inet static", f"    address 10.0.{t}.1", "    netmask 255.255.255.0",
                f"    bridge_ports bond0.{t}" + (" \\" if t % 7 == 0 else ""),
                *(["        bond0.999"] if t % 7 == 0 else []),
                "    bridge_stp off", *(["    # a note inside"] if t % 5 == 0 else []),
                *(["    post-up echo \"café ☕\""] if t % 9 == 0 else []),
                *([f"# after br{t}"] if t % 4 == 0 else [])]
        out += [f"iface bond0.{t} inet manual", "    vlan-raw-device bond0"]
        out += [""] if t % 6 else []
    out += ["allow-hotplug eth5", "iface eth5 inet dhcp", "# the end"]
    (root / ETH).parent.mkdir(parents=True, exist_ok=True)
    (root / ETH).write_text("\n".join(out) + "\n")
    (root / "etc/network/more").write_text("auto eth7\niface eth7 inet dhcp\n")
    (root / "var/cache/augnetcf").mkdir(parents=True)
    return root


def files(root: Path) -> dict:
    """Every file under *root* but the index's cache (its tokens and stamps differ by copy)."""
    return {k: v for k, v in snapshot_tree(root).items() if not k.startswith("var/cache/")}


def bridge(tag: int, address: str = "") -> str:
    ip = f'<protocol family="ipv4"><ip address="{address or f"10.9.{tag % 250}.1"}" prefix="24"/></protocol>'
    return (f'<interface type="bridge" name="br{tag}"><start mode="onboot"/>{ip}'
            f'<bridge stp="off" delay="0"><interface type="vlan" name="bond0.{tag}">'
            f'<vlan tag="{tag}"><interface name="bond0"/></vlan></interface></bridge></interface>')


CASES = {
    "define-new": lambda c: c.define(bridge(77)),
    "redefine-middle": lambda c: c.define(bridge(20, "10.8.8.1")),
    "redefine-first": lambda c: c.define(bridge(1, "10.8.8.2")),
    "redefine-continued": lambda c: c.define(bridge(14, "10.8.8.3")),
    "undefine-first": lambda c: c.undefine("br1"),
    "undefine-middle": lambda c: c.undefine("br21"),
    "undefine-commented": lambda c: c.undefine("br12"),
    "undefine-last": lambda c: c.undefine("br40"),
    "undefine-hotplug": lambda c: c.undefine("eth5"),
    "undefine-in-source": lambda c: c.undefine("eth7"),
    "define-dhcp": lambda c: c.define('<interface type="ethernet" name="eth9"><start mode="onboot"/>'
                                      '<protocol family="ipv4"><dhcp/></protocol></interface>'),
    "dry-run": lambda c: c.plan_define(bridge(22, "10.8.8.4")),
}


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch):
    """The files were written a moment ago; on a host they are old (see test_index.py)."""
    monkeypatch.setattr(index, "RACY_SECONDS", 0.0)


def run(root: Path, case: str, windows: bool, monkeypatch) -> tuple[object, list]:
    monkeypatch.setattr(window, "MIN_BYTES", 0 if windows else 1 << 60)
    used = []
    plan = window.plan

    def counting(*args, **kwargs):
        w = plan(*args, **kwargs)
        used.append(w)
        return w

    monkeypatch.setattr(window, "plan", counting)
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.list_interfaces()  # the index, recorded
        got = CASES[case](cfg)
    return got, [w for w in used if w is not None]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_window_writes_what_the_whole_file_writes(tmp_path, case, monkeypatch):
    base = big_root(tmp_path / "base")
    whole, part = tmp_path / "whole", tmp_path / "part"
    shutil.copytree(base, whole)
    shutil.copytree(base, part)
    want, _ = run(whole, case, False, monkeypatch)
    got, used = run(part, case, True, monkeypatch)
    if case != "undefine-in-source":
        assert used, "the change went through a window"
    if case == "dry-run":
        assert [(c.path, c.before, c.after) for c in got] == [(c.path, c.before, c.after) for c in want]
        assert files(part) == files(base)
    assert (part / ETH).read_bytes() == (whole / ETH).read_bytes()
    assert files(part) == files(whole)


@pytest.mark.parametrize("case", ["define-new", "redefine-middle", "redefine-first", "redefine-continued",
                                  "undefine-first", "undefine-middle", "undefine-commented", "undefine-last",
                                  "undefine-hotplug", "define-dhcp"])
def test_the_index_learns_what_a_window_wrote(tmp_path, case, monkeypatch):
    """After a change through a window the index holds, for the big file,
    what a fresh parse of the new file gives (tree and facts), and the next
    command uses it without parsing the file: only while the file holds the
    bytes written (a later edit is parsed again)."""
    root = big_root(tmp_path / "root")
    _got, used = run(root, case, True, monkeypatch)
    assert used
    with augnetcf.Config(str(root), "debian") as cfg:
        parsed = []
        real = cfg.index._parse
        monkeypatch.setattr(cfg.index, "_parse", lambda paths, *a: parsed.extend(paths) or real(paths, *a))
        cfg.index.refresh()
        learned = {e.path: e for e in cfg.index.entries}[f"/{ETH}"]
        assert parsed == []  # the file was not parsed again
        cfg.index.tree_of(learned)
        cfg.index.items_of(learned)
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh)
    shutil.rmtree(fresh / "var/cache/augnetcf")
    (fresh / "var/cache/augnetcf").mkdir()
    with augnetcf.Config(str(fresh), "debian") as cfg:
        cfg.index.refresh()
        want = {e.path: e for e in cfg.index.entries}[f"/{ETH}"]
        cfg.index.tree_of(want)
    assert learned.tree == want.tree
    assert learned.facts() == want.facts()
    assert learned.items == want.items == items_of_tree(want.element())
    (root / ETH).write_text((root / ETH).read_text().replace("iface br2 inet static", "iface br2 inet dhcp"))
    with augnetcf.Config(str(root), "debian") as cfg:
        assert "method=\"dhcp\"" in cfg.xml_desc("br2") or "<dhcp" in cfg.xml_desc("br2")


def items_of_tree(tree) -> index.Items:
    """What the index's items of *tree* must be, read off the whole parsed tree."""
    from lxml import etree

    tops = list(tree)
    top_of = {}
    for i, el in enumerate(tops):
        for node in el.iter():
            top_of[node] = i
    b = augnetcf.backends.get("debian")
    return index.Items([el.get("label") for el in tops], [el.get("value") is not None for el in tops],
                       [len(etree.tostring(el, encoding="unicode").encode()) for el in tops],
                       [top_of[u] for u in tree.getparent().xpath(b.unit)],
                       [top_of[m] for m in tree.getparent().xpath(b.mark)])


def fresh_entry(root: Path, tmp: Path) -> index.Entry:
    """The index entry of the big file of a copy of *root* parsed afresh, tree and items loaded."""
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(root, tmp)
    shutil.rmtree(tmp / "var/cache/augnetcf")
    (tmp / "var/cache/augnetcf").mkdir()
    with augnetcf.Config(str(tmp), "debian") as cfg:
        cfg.index.refresh()
    with augnetcf.Config(str(tmp), "debian") as cfg:  # read back from the cache's files
        cfg.index.refresh()
        entry = {e.path: e for e in cfg.index.entries}[f"/{ETH}"]
        cfg.index.tree_of(entry)
        cfg.index.items_of(entry)
        return entry


def test_the_index_keeps_each_items_place_in_the_tree(tmp_path):
    """The items the index keeps for a big file (read back from its cache)
    are the top-level nodes of the file's whole tree, and their XML is the
    tree's text piece by piece."""
    root = big_root(tmp_path / "root")
    entry = fresh_entry(root, tmp_path / "fresh")
    assert entry.items == items_of_tree(entry.element())
    text = entry.tree.encode()
    head = len(text) - sum(entry.items.sizes) - len(b"</tree>")
    from lxml import etree

    at = head
    for el, size in zip(entry.element(), entry.items.sizes):
        assert text[at:at + size] == etree.tostring(el, encoding="unicode").encode()
        at += size


def test_changes_one_after_another_learn_from_what_was_learned(tmp_path, monkeypatch):
    """A change through a window cut from what the index learned of the
    last one (the file is still in the racy window: its bytes tell), again
    and again: after each, the index holds what a fresh parse gives, and
    the file is what whole-file changes make of it."""
    root = big_root(tmp_path / "root")
    whole = tmp_path / "whole"
    shutil.copytree(root, whole)
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.list_interfaces()  # the index, recorded
    monkeypatch.setattr(index, "RACY_SECONDS", 3600.0)  # every write from now on stays in the racy window
    steps = [lambda c: c.define(bridge(77)), lambda c: c.undefine("br5"), lambda c: c.define(bridge(78)),
             lambda c: c.undefine("br77"), lambda c: c.define(bridge(30, "10.8.8.9")),
             lambda c: c.undefine("br1")]
    used: list = []
    plan = window.plan
    monkeypatch.setattr(window, "plan", lambda *a, **k: used.append(plan(*a, **k)) or used[-1])
    # the items outside the runs copied in stretches, or renumbered one by one
    stretches: list = []
    unmoved = window.Window._unmoved
    monkeypatch.setattr(window.Window, "_unmoved",
                        lambda self, *a: stretches.append(unmoved(self, *a)) or stretches[-1])
    for n, step in enumerate(steps):
        monkeypatch.setattr(window, "MIN_BYTES", 1 << 60)
        with augnetcf.Config(str(whole), "debian") as cfg:
            step(cfg)
        monkeypatch.setattr(window, "MIN_BYTES", 0)
        used.clear()
        with augnetcf.Config(str(root), "debian") as cfg:
            step(cfg)
            learned = {e.path: e for e in cfg.index.entries}[f"/{ETH}"]
        assert [w for w in used if w is not None], f"step {n} went through a window"
        assert learned.digest, f"step {n}: the index learned the file"
        assert (root / ETH).read_bytes() == (whole / ETH).read_bytes()
        want = fresh_entry(root, tmp_path / "fresh")
        assert learned.tree == want.tree
        assert learned.facts() == want.facts()
        assert learned.items == want.items
    assert None in stretches and any(s is not None for s in stretches), "both ways were taken"


def test_an_edit_since_the_index_recorded_the_file_is_kept(tmp_path, monkeypatch):
    """A window is cut only from the bytes the index recorded (same stamp),
    so an edit made since is read again first, and kept by the change."""
    root = big_root(tmp_path / "root")
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.list_interfaces()
    text = (root / ETH).read_text()
    (root / ETH).write_text(text.replace("iface br3 inet static", "iface br3 inet dhcp"))
    _got, used = run(root, "undefine-middle", True, monkeypatch)
    assert "iface br3 inet dhcp" in (root / ETH).read_text()
    assert "iface br21 " not in (root / ETH).read_text()
    assert used, "the window was cut from the bytes read again"


def test_a_keyword_on_a_continued_line_is_no_item(tmp_path, monkeypatch):
    """A keyword on a continued line is part of a value, for the window's
    scanner as for the lens (had they disagreed, no window would be used)."""
    root = big_root(tmp_path / "root")
    text = (root / ETH).read_text().replace("    bridge_stp off\n", "    up echo \\\nauto br99\n", 1)
    (root / ETH).write_text(text)
    whole = tmp_path / "whole"
    shutil.copytree(root, whole)
    run(whole, "undefine-last", False, monkeypatch)
    _got, _used = run(root, "undefine-last", True, monkeypatch)
    assert (root / ETH).read_bytes() == (whole / ETH).read_bytes()


def test_window_items_follow_the_lens():
    text = (b"# head\n\nauto lo\niface lo inet loopback\n  auto\n  up a \\\nauto x\n"
            b"#auto y \\\nsource /x\niface e inet dhcp\n  up b \\\\\nallow-hotplug e\n")
    assert [k for _p, k in window.items(text)] == ["auto", "iface", "source", "iface", "allow-hotplug"]


_LINE_START = re.compile(rb"[ \t]*(iface|interface|template|defaults|vlan|mapping|auto|allow-[a-z-]+"
                         rb"|no-auto-down|no-scripts|rename|source|source-directory)(?=[ \t\\]|$)")


def line_by_line_items(text: bytes) -> list[tuple[int, str]]:
    """The scanner's rule line by line (as it was written before it ran one
    regular expression over the whole text): the oracle for window.items."""
    out: list[tuple[int, str]] = []
    pos = 0
    continued = False
    for line in text.split(b"\n"):
        if not continued:
            m = _LINE_START.match(line)
            if m and not (m.group(1) == b"auto" and not line[m.end():].strip(b" \t")):
                out.append((pos, m.group(1).decode()))
        stripped = line.lstrip(b" \t")
        continued = (line.endswith(b"\\") and not stripped.startswith(b"#")
                     and not window.continued_escape(line))
        pos += len(line) + 1
    return out


_SCAN_LINES = [b"auto lo", b"auto", b"  auto", b"auto \t", b"iface x inet dhcp", b"  iface y inet manual",
               b"\tup a \\", b"\tup b \\\\", b"\tup c \\\\\\", b"# c \\", b"  #c\\", b"source /x",
               b"sourcex y",
               b"allow-hotplug e", b"allow-", b"mapping m", b"\tsource-directory /d", b"", b"\\", b"auto\\",
               b"iface\r", b"vlan v", b"no-scripts a", b"rename a=b", b"defaults", b"template t"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_SCAN_LINES), max_size=30), st.booleans())
def test_window_items_as_line_by_line(lines, final_newline):
    text = b"\n".join(lines) + (b"\n" if final_newline else b"")
    assert window.items(text) == line_by_line_items(text)


def test_items_that_do_not_fit_together_mean_no_window(tmp_path, monkeypatch):
    """Items read back from the cache whose units are out of order (which a
    window's bookkeeping relies on) are not used: the change loads the
    whole file, and writes what it always writes."""
    import json

    base = big_root(tmp_path / "base")
    whole, part = tmp_path / "whole", tmp_path / "part"
    shutil.copytree(base, whole)
    shutil.copytree(base, part)
    run(whole, "undefine-middle", False, monkeypatch)
    with augnetcf.Config(str(part), "debian") as cfg:
        cfg.list_interfaces()
    cache = part / "var/cache/augnetcf"
    entry = json.loads((cache / "index-debian.json").read_text())["files"][f"/{ETH}"]
    offset, length = entry[14]
    trees = bytearray((cache / "index-debian.trees").read_bytes())
    items = json.loads(trees[offset:offset + length])
    items[3].reverse()  # the same characters, out of order
    trees[offset:offset + length] = json.dumps(items, separators=(",", ":")).encode()
    (cache / "index-debian.trees").write_bytes(bytes(trees))
    _got, used = run(part, "undefine-middle", True, monkeypatch)
    assert not used
    assert (part / ETH).read_bytes() == (whole / ETH).read_bytes()


# -- reading a stanza of a big file: a partial tree (Index.partial_tree) ---------------------------------
def every_description(root: Path) -> dict[str, str]:
    """dumpxml of every interface, each from a Config of its own (as each
    command is), errors as their text."""
    with augnetcf.Config(str(root), "debian") as cfg:
        names = sorted(cfg._snapshot().units)
    out = {}
    for name in names:
        with augnetcf.Config(str(root), "debian") as cfg:
            try:
                out[name] = cfg.xml_desc(name)
            except augnetcf.AugnetcfError as e:
                out[name] = f"error: {e}"
    return out


def test_a_stanza_of_a_big_file_is_read_from_its_items_alone(tmp_path, monkeypatch):
    """dumpxml in a big file parses only the items of the interface and its
    relatives, cut from the index's tree text by their sizes; every answer
    (refusals with their line included) is the one the whole tree gives,
    and a tree whose items do not add up is parsed whole."""
    root = big_root(tmp_path / "root")
    text = (root / ETH).read_text()  # a stanza interface XML cannot describe: refused, with its line
    tunnel = "iface eth5 inet6 v4tunnel\n    endpoint 1.2.3.4"
    (root / ETH).write_text(text.replace("iface eth5 inet dhcp", tunnel))
    monkeypatch.setattr(index, "_PARTIAL_MIN", 1 << 60)
    whole = every_description(root)
    assert "eth5" in whole and whole["eth5"].startswith("error:") and ":" in whole["eth5"]
    monkeypatch.setattr(index, "_PARTIAL_MIN", 0)
    cut = []
    real = index.Index.partial_tree

    def counting(self, entry, units, marks):
        got = real(self, entry, units, marks)
        if got is not None:
            cut.append((entry.path, len(got[0])))
        return got

    monkeypatch.setattr(index.Index, "partial_tree", counting)
    assert every_description(root) == whole
    assert cut, "the big file was read in part"
    with augnetcf.Config(str(root), "debian") as cfg:
        cfg.index.refresh()
        items = cfg.index.items_of({e.path: e for e in cfg.index.entries}[f"/{ETH}"])
    assert all(f"/{ETH}" != path or n < len(items.labels) // 4 for path, n in cut)
    # the trees file's items say sizes that do not add up: the whole tree is parsed
    facts = root / "var/cache/augnetcf/index-debian.json"
    data = facts.read_text()
    assert '"/etc/network/interfaces":' in data
    trees = root / "var/cache/augnetcf/index-debian.trees"
    raw = trees.read_bytes()
    start = raw.index(b"[[", raw.index(b"</tree>"))  # the items' JSON follows the tree
    sizes = re.compile(rb"\],\[((?:\d+,)*\d+)\],\[").search(raw, start)
    assert sizes is not None
    bumped = raw[:sizes.start(1)] + re.sub(rb"\d+", lambda m: str(int(m.group()) + 1).encode(),
                                           sizes.group(1), count=1) + raw[sizes.end(1):]
    trees.write_bytes(bumped)
    cut.clear()
    assert every_description(root) == whole
    assert not [c for c in cut if c[0] == f"/{ETH}"]
