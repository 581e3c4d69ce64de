"""augnetcf.yamltree, the netplan backend's lens: YAML to a tree and back, no Augeas.

A tree edit must come back as a text that parses to exactly that tree, with
every line the edit did not touch kept byte for byte: comments, quoting,
flow or block lists, indentation (two or four spaces, dashes under their key
or indented), spellings of booleans.
"""

from __future__ import annotations

import difflib
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augnetcf import yamltree
from augnetcf.yamltree import YamlError

FILE = textwrap.dedent("""\
    # written by hand
    network:
        version: 2
        ethernets:
            enp1s0:   # the LAN
                dhcp4: yes
                addresses: [10.0.0.5/24, "10.0.0.6/24"]
                routes:
                - to: default
                  via: 10.0.0.1
                nameservers:
                    search: []
            # the spare NIC, kept down
            enp2s0: {}
    """)


def edit(tree, path, change):
    """*tree* with the node at *path* (labels) replaced by change(node); None removes it."""
    out = []
    for node in tree:
        if node[0] != path[0]:
            out.append(node)
        elif len(path) == 1:
            new = change(node)
            if new is not None:
                out.append(new)
        else:
            out.append((node[0], node[1], edit(node[2], path[1:], change)))
    return tuple(out)


def changed(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]


LAN = ("network", "ethernets", "enp1s0")
ADDRS = (("-", "10.0.0.5/24", ()), ("-", "10.0.0.7/24", ()))
ROUTE = (("-", None, (("to", "default", ()), ("via", "10.0.0.2", ()))),)
ETH0 = (("dhcp4", "true", ()), ("mtu", "9000", ()), ("addresses", None, (("-", "10.0.0.5/24", ()),)),
        ("nameservers", None, (("search", yamltree.EMPTY_SEQ, ()),)))


def append(node, *kids):
    return (node[0], node[1], node[2] + kids)


def test_the_tree_holds_keys_items_and_scalars_as_written():
    tree = yamltree.parse(FILE).tree
    lan = dict((n[0], n) for n in tree[0][2][1][2][0][2])
    assert lan["dhcp4"] == ("dhcp4", "yes", ())
    assert lan["addresses"][2] == (("-", "10.0.0.5/24", ()), ("-", "10.0.0.6/24", ()))
    assert lan["nameservers"][2] == (("search", yamltree.EMPTY_SEQ, ()),)
    assert tree[0][2][1][2][1] == ("enp2s0", None, ())


def test_an_unchanged_tree_is_the_same_text():
    parsed = yamltree.parse(FILE)
    assert yamltree.render(parsed, parsed.tree) == FILE


@pytest.mark.parametrize(("path", "change", "want"), [
    (LAN + ("dhcp4",), lambda n: ("dhcp4", "no", ()), ["-            dhcp4: yes", "+            dhcp4: no"]),
    (LAN + ("addresses",), lambda n: ("addresses", None, ADDRS),
     ['-            addresses: [10.0.0.5/24, "10.0.0.6/24"]',
      '+            addresses: [10.0.0.5/24, "10.0.0.7/24"]']),
    (LAN + ("routes",), lambda n: ("routes", None, ROUTE),
     ["-              via: 10.0.0.1", "+              via: 10.0.0.2"]),
    (LAN + ("dhcp4",), lambda n: None, ["-            dhcp4: yes"]),
    (LAN, lambda n: (n[0], n[1], n[2] + (("mtu", "9000", ()),)), ["+            mtu: 9000"]),
])
def test_a_one_value_edit_is_a_one_line_diff(path, change, want):
    parsed = yamltree.parse(FILE)
    tree = edit(parsed.tree, path, change)
    text = yamltree.render(parsed, tree)
    assert changed(FILE, text) == want
    assert yamltree.parse(text).tree == tree


def test_a_removed_block_leaves_the_comment_that_leads_into_the_next():
    parsed = yamltree.parse(FILE)
    text = yamltree.render(parsed, edit(parsed.tree, LAN, lambda n: None))
    assert "# the spare NIC, kept down" in text and "enp1s0" not in text
    assert text.startswith("# written by hand\n")


def test_new_keys_go_before_the_comment_of_what_follows():
    parsed = yamltree.parse(FILE)
    text = yamltree.render(parsed, edit(parsed.tree, LAN, lambda n: append(n, ("mtu", "1500", ()))))
    lines = text.splitlines()
    assert lines.index("            mtu: 1500") < lines.index("        # the spare NIC, kept down")


def test_a_new_section_takes_the_files_indentation():
    parsed = yamltree.parse(FILE)
    bridge = ("bridges", None, (("br0", None, (("interfaces", None, (("-", "enp2s0", ()),)),)),))
    text = yamltree.render(parsed, edit(parsed.tree, ("network",), lambda n: (n[0], n[1], n[2] + (bridge,))))
    assert changed(FILE, text) == ["+    bridges:", "+        br0:", "+            interfaces:",
                                   "+            - enp2s0"]  # dashes under their key, as routes:


def test_quotes_stay_on_a_changed_value():
    text = 'network:\n  ethernets:\n    eth0:\n      macaddress: "52:54:00:00:00:01"\n'
    parsed = yamltree.parse(text)
    tree = edit(parsed.tree, ("network", "ethernets", "eth0", "macaddress"),
                lambda n: ("macaddress", "52:54:00:00:00:02", ()))
    assert yamltree.render(parsed, tree) == text.replace("01", "02")


def test_a_new_file_is_two_spaces_with_typed_scalars():
    tree = (("network", None, (("version", "2", ()), ("ethernets", None, (
        ("eth0", None, ETH0),
        ("eth1", None, ()))))),)
    assert yamltree.render(None, tree) == textwrap.dedent("""\
        network:
          version: 2
          ethernets:
            eth0:
              dhcp4: true
              mtu: 9000
              addresses:
                - 10.0.0.5/24
              nameservers:
                search: []
            eth1: {}
        """)


@pytest.mark.parametrize(("text", "line"), [
    ("network:\n  ethernets:\n    eth0: [unclosed\n", 4),
    ("network:\n  ethernets:\n  eth0: {}\n   bad: indent\n", 4),
    ("network: {}\nnetwork: {}\n", 2),
])
def test_what_is_not_yaml_is_an_error_with_its_line(text, line):
    with pytest.raises(YamlError) as e:
        yamltree.parse(text)
    assert e.value.line == line


def test_a_top_that_is_not_a_mapping_is_refused():
    with pytest.raises(YamlError, match="not a YAML mapping"):
        yamltree.parse("- a\n- b\n")


def test_a_tree_no_yaml_can_say_is_refused():
    with pytest.raises(YamlError, match="eth0 appears twice"):
        yamltree.render(None, (("eth0", "1", ()), ("eth0", "2", ())))


_LINES = st.lists(st.sampled_from(["a:\n", "  b: 1\n", "  c: 2\n", "- x\n", "# note\n", "\n", "d: 3\n"])
                  | st.text(alphabet="efgh: \n", min_size=1, max_size=6), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_LINES, _LINES, st.integers(min_value=0, max_value=8))
def test_the_cheaper_diff_is_an_edit_script_from_one_text_to_the_other(a, b, small):
    """_opcodes (the common head and tail, then cuts at lines found once in
    each, then difflib) gives opcodes that cover both texts in order, whose
    "equal" blocks are equal and whose others turn *a* into *b*; with the
    stretch difflib takes whole made small, the anchors are used too."""
    old = yamltree._SMALL
    yamltree._SMALL = small
    try:
        ops = yamltree._opcodes(a, b)
    finally:
        yamltree._SMALL = old
    i = j = 0
    got: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j), "the opcodes follow each other"
        assert i1 < i2 or j1 < j2
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        else:
            assert tag in ("replace", "delete", "insert")
        got += b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b)) and got == b


def test_the_cheaper_diff_keeps_far_apart_edits_of_a_big_file_apart():
    """Two one-line edits 20,000 lines apart: every other line is matched
    as equal, as difflib over the whole would (which took 3 s)."""
    a = [f"    br{t}:\n      id: {t}\n" for t in range(10000)]
    a = [line for pair in a for line in pair.splitlines(keepends=True)]
    b = list(a)
    b[3] = "      id: 99999\n"
    del b[19990]
    ops = yamltree._opcodes(a, b)
    assert sum(i2 - i1 for tag, i1, i2, _j1, _j2 in ops if tag == "equal") == len(a) - 2
