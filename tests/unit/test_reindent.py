"""Debian's ``reindent`` works on the changed region of a text only; it must
give exactly the bytes its rule gives applied to the whole texts.

``whole_reindent`` below is that rule as it was written before the region
was cut (a line-by-line pass over both whole texts); every case compares
the two, on texts with tabs, mixed indentation, comments, continued lines,
``\\r`` and ``\\r\\n`` line ends, blank lines and no final newline, edited the
ways Augeas' prints differ from what a file held (lines added with the
lens' indentation, lines removed, lines changed, stanzas added).
"""

from __future__ import annotations

import difflib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from augnetcf.backends import debian
from augnetcf.backends.debian import reindent

_TOP = re.compile(rb"^[ \t]*(?:iface|interface|template|defaults|vlan|mapping|auto|allow-[a-z-]+"
                  rb"|no-auto-down|no-scripts|rename|source|source-directory)(?:[ \t]|$)")
_LENS_INDENT = b"   "


def _indent(line: bytes) -> bytes:
    return line[: len(line) - len(line.lstrip(b" \t"))]


def whole_reindent(old: bytes, new: bytes) -> bytes:
    """The rule on whole texts (augnetcf 0.2.0's reindent, kept as the oracle)."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < min(len(old_lines), len(new_lines)) - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    kept = [True] * head + [False] * (len(new_lines) - head - tail) + [True] * tail
    matcher = difflib.SequenceMatcher(None, old_lines[head:len(old_lines) - tail],
                                      new_lines[head:len(new_lines) - tail], autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            kept[head + block.b + k] = True
    default = next((_indent(ln) for ln in old_lines if _indent(ln) and ln.strip()
                    and not ln.lstrip().startswith(b"#") and not _TOP.match(ln)), None)
    out = list(zip(new_lines, kept))
    result = []
    i = 0
    while i < len(out):
        j = i + 1
        while j < len(out) and not _TOP.match(out[j][0]):
            j += 1
        block = out[i:j]
        own = next((_indent(ln) for ln, was in block[1:] if was and ln.strip() and _indent(ln)
                    and not ln.lstrip().startswith(b"#")), None)
        want = own if own is not None else default
        for n, (line, was) in enumerate(block):
            if not was and n > 0 and want is not None and _indent(line) == _LENS_INDENT and line.strip():
                line = want + line[len(_LENS_INDENT):]
            result.append(line)
        i = j
    text = b"".join(result)
    if old_lines and not old.endswith(b"\n") and text.endswith(b"\n" + old_lines[-1] + b"\n"):
        text = text[:-1]
    return text


#: Lines as admins and Augeas write them.
LINES = [b"auto lo", b"iface lo inet loopback", b"iface br0 inet static", b"\taddress 10.0.0.1",
         b"    netmask 255.255.255.0", b"   bridge_ports eth0", b"  \tmtu 9000", b"\tup echo \\",
         b"        more", b"# a comment", b"\t# indented comment", b"", b"   ", b"allow-hotplug eth1",
         b"iface eth1 inet dhcp", b"source /etc/x", b"   up ip link set dev x up", b"mapping eth2",
         b"auto", b"\tauto", b"iface bond0.7 inet manual", b"   vlan-raw-device bond0"]
ENDS = [b"\n", b"\n", b"\n", b"\n", b"\r\n", b"\r"]


@st.composite
def texts(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.tuples(st.sampled_from(LINES), st.sampled_from(ENDS)), max_size=40))
    text = b"".join(a + b for a, b in lines)
    if text and draw(st.booleans()):
        text = text.rstrip(b"\r\n")  # no final newline
    return text


@st.composite
def edits(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """(old, new): a text and what Augeas might print for it after a change."""
    old = draw(texts())
    lines = old.splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(lines)))
        kind = draw(st.sampled_from(["add", "add", "remove", "change", "stanza"]))
        if kind == "add":
            lines.insert(at, _LENS_INDENT + draw(st.sampled_from([b"mtu 1500", b"up x", b"address 1.2.3.4"]))
                         + b"\n")
        elif kind == "remove" and at < len(lines):
            del lines[at]
        elif kind == "change" and at < len(lines):
            lines[at] = draw(st.sampled_from(LINES)) + b"\n"
        elif kind == "stanza":
            lines[at:at] = [b"iface new inet static\n", b"   address 10.9.9.1\n", b"   netmask 255.0.0.0\n"]
    return old, b"".join(lines)


@settings(max_examples=400)
@given(edits())
def test_the_region_gives_what_the_whole_text_gives(pair):
    old, new = pair
    assert reindent(old, new) == whole_reindent(old, new)


@settings(max_examples=100)
@given(texts(), texts(), texts())
def test_unrelated_texts_too(a, b, c):
    """Texts that share a head and a tail around anything at all."""
    assert reindent(a + b + c, a + c) == whole_reindent(a + b + c, a + c)
    assert reindent(a + c, a + b + c) == whole_reindent(a + c, a + b + c)
    assert reindent(b, c) == whole_reindent(b, c)


@given(texts())
def test_lines_are_cut_as_splitlines_cuts_them(text):
    assert [m.group() for m in debian._LINE.finditer(text)] == text.splitlines(keepends=True)


def test_a_big_file_changed_in_one_stanza():
    """A file of 2,000 stanzas in mixed layouts, an option added to one in
    the middle, one stanza removed and one added at the end."""
    stanzas = []
    for t in range(2000):
        ind = [b"\t", b"    ", b"  ", b"   "][t % 4]
        stanzas.append(b"".join([b"# tenant %d\n" % t if t % 3 == 0 else b"", b"auto br%d\n" % t,
                                 b"iface br%d inet static\n" % t, ind + b"address 10.0.%d.1\n" % (t % 250),
                                 ind + b"# note\n" if t % 5 == 0 else b"", ind + b"bridge_ports eth0\n",
                                 b"\n" if t % 2 else b""]))
    old = b"".join(stanzas)
    new_stanzas = list(stanzas)
    new_stanzas[1001] = new_stanzas[1001].replace(b"bridge_ports eth0\n", b"bridge_ports eth0\n   mtu 9000\n")
    del new_stanzas[1500]
    new_stanzas.append(b"auto br9\niface br9 inet static\n   address 10.9.9.1\n")
    new = b"".join(new_stanzas)
    got = reindent(old, new)
    assert got == whole_reindent(old, new)
    assert b"bridge_ports eth0\n    mtu 9000\n" in got  # stanza 1001 indents with four spaces
    assert got.endswith(b"iface br9 inet static\n\taddress 10.9.9.1\n")  # the file's first option's tab
