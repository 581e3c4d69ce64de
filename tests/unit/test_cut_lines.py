"""augnetcf.aug._cut_lines: the text Augeas reprints a file against after
top-level nodes were removed (their lines cut out, nothing else)."""

from augnetcf.aug import _cut_lines

TEXT = (b"auto lo\niface lo inet loopback\n  iface br0 inet dhcp\n  bridge_ports eth0\n\n"
        b"iface eth9 inet dhcp\n")


def span(part: bytes) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def test_whole_lines_go_with_the_blanks_before_them() -> None:
    assert _cut_lines(TEXT, [span(b"iface br0 inet dhcp\n  bridge_ports eth0\n\n")]) == \
        b"auto lo\niface lo inet loopback\niface eth9 inet dhcp\n"


def test_several_and_overlapping_ranges() -> None:
    first, stanza = span(b"auto lo\n"), span(b"iface br0 inet dhcp\n  bridge_ports eth0\n")
    inner = span(b"bridge_ports eth0\n")  # a line inside the stanza, removed too
    assert _cut_lines(TEXT, [stanza, first, inner, first]) == \
        b"iface lo inet loopback\n\niface eth9 inet dhcp\n"


def test_a_range_that_is_not_whole_lines_gives_none() -> None:
    assert _cut_lines(TEXT, [span(b"iface lo")]) is None  # ends inside a line
    assert _cut_lines(TEXT, [span(b"lo inet loopback\n")]) is None  # starts inside one
    assert _cut_lines(TEXT, [(5, len(TEXT) + 3)]) is None  # past the end


def test_the_last_line_without_a_newline() -> None:
    text = b"route a\nroute b"
    assert _cut_lines(text, [(8, len(text))]) == b"route a\n"
