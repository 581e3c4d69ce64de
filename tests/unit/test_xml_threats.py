"""Hostile XML is refused by the parser, before any file or the network is touched.

Each case must be refused with XMLParseError (or XMLInvalid for a document
that is well-formed but not ours), and nothing it references may be read:
the XXE cases point at a file whose content must never show up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from augnetcf import schema
from augnetcf.errors import XMLInvalid, XMLParseError

SECRET = "/etc/hostname"

CASES = {
    "billion-laughs": b'<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "lol">'
                      + b"".join(b'<!ENTITY a%d "%s">' % (i, b"&a;" * 10 if i == 0 else
                                                          b"&a%d;" % (i - 1) * 10) for i in range(9))
                      + b']>\n<interface type="ethernet" name="&a8;"/>',
    "quadratic-blowup": b'<!DOCTYPE x [<!ENTITY a "' + b"x" * 100_000 + b'">]>\n<interface name="'
                        + b"&a;" * 1000 + b'" type="ethernet"/>',
    "xxe-file": b'<!DOCTYPE x [<!ENTITY e SYSTEM "file://' + SECRET.encode() + b'">]>'
                b'<interface type="ethernet" name="&e;"/>',
    "xxe-http": b'<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>'
                b'<interface type="ethernet" name="&e;"/>',
    "parameter-entity": b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file://' + SECRET.encode() + b'"> %p;]>'
                        b'<interface type="ethernet" name="eth0"/>',
    "external-dtd": b'<!DOCTYPE interface SYSTEM "http://127.0.0.1:9/x.dtd">'
                    b'<interface type="ethernet" name="e"/>',
    "doctype-after-comment": b'<?xml version="1.0"?>\n<!-- hi -->\n<!DOCTYPE x []>\n<interface/>',
    "deep-nesting": b"<interface>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</interface>",
    "huge": b'<interface type="ethernet" name="e">' + b"<!-- -->" * 200_000 + b"</interface>",
    "empty": b"",
    "blank": b"  \n\t ",
    "latin-1": '<?xml version="1.0" encoding="ISO-8859-1"?>\n<interface name="é"/>'.encode("latin-1"),
    "utf-16": '<interface type="ethernet" name="e"/>'.encode("utf-16"),
    "truncated": b'<interface type="ethernet" name="e">',
}


@pytest.mark.parametrize("data", list(CASES.values()), ids=list(CASES))
def test_hostile_xml_is_refused(data: bytes) -> None:
    with pytest.raises(XMLParseError) as ei:
        schema.load(data, "evil.xml")
    text = str(ei.value)
    assert text.startswith("evil.xml")
    assert "\n" not in text
    try:
        secret = Path(SECRET).read_text().strip()
    except OSError:
        secret = ""
    assert not secret or secret not in text
    assert "lollol" not in text


@pytest.mark.parametrize("data", [b"<network/>", b'<interface xmlns="urn:x" type="ethernet" name="e"/>'],
                         ids=["wrong-root", "namespaced-root"])
def test_wrong_root_is_invalid(data: bytes) -> None:
    with pytest.raises(XMLInvalid, match="expected <interface>"):
        schema.load(data, "other.xml")
