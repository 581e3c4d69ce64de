"""The guide's XML examples (docs/guide/xml.md, where the README's XML format
moved) are descriptions augnetcf accepts (a guide whose examples fail would
teach the wrong format). tests/integration/test_readme_snippets.py runs the
README's own snippets."""

from __future__ import annotations

import re

import pytest
from conftest import TESTS

from augnetcf import schema

GUIDE = (TESTS.parent / "docs" / "guide" / "xml.md").read_text()
EXAMPLES = [doc for block in re.findall(r"```xml\n(.*?)```", GUIDE, re.S)
            for doc in re.findall(r"<interface type=.*?\n</interface>", block, re.S)]


def test_the_guide_has_an_example_of_every_type() -> None:
    types = {re.match(r'<interface type="(\w+)"', doc).group(1) for doc in EXAMPLES}
    assert types >= {"ethernet", "bridge", "bond"}
    assert any('type="vlan"' in doc for doc in EXAMPLES)


@pytest.mark.parametrize("doc", EXAMPLES, ids=[re.search(r'name="([^"]+)"', d).group(1) for d in EXAMPLES])
def test_readme_example_is_valid(doc: str) -> None:
    assert schema.load(doc.encode(), "xml.md").getroot().tag == "interface"
