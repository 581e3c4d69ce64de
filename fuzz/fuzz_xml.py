"""Fuzz the pure core: bytes -> hardened parse -> RelaxNG -> to_forest -> from_forest.

Whatever the input, the only acceptable failures are augnetcf's own errors
(XMLParseError, XMLInvalid). Anything the schema accepts must survive the
round trip through the Red Hat stylesheets, and the result must validate again.

    python fuzz/fuzz_xml.py -max_total_time=60 fuzz/corpus/xml     # with atheris
    sh fuzz/run.sh 60                                             # same, every harness
"""

from __future__ import annotations

import sys

from lxml import etree

from augnetcf import backends, schema, xslt
from augnetcf.errors import XMLInvalid, XMLParseError

REDHAT = backends.get("redhat")


def one_input(data: bytes) -> None:
    try:
        doc = schema.load(data, "<fuzz>")
    except (XMLParseError, XMLInvalid):
        return
    name = doc.getroot().get("name")
    forest = xslt.to_forest(doc, REDHAT)
    back = xslt.from_forest(forest, REDHAT, name)
    # What we print must be something we would accept.
    schema.load(etree.tostring(back), "<fuzz round trip>")


def main() -> None:
    import atheris

    atheris.instrument_func(one_input)
    atheris.instrument_all()
    atheris.Setup(sys.argv, lambda data: one_input(data))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
