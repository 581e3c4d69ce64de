"""Fuzz the pure core: bytes -> hardened parse -> RelaxNG -> to_forest -> from_forest.

Input: one selector byte, then interface XML. The first byte picks the
backend (see fuzzlib.py): seeds start with ASCII ``0`` (redhat), ``1``
(debian) or ``2`` (suse), followed by the XML as a user would write it.

Whatever the input, the only acceptable failures are augnetcf's own errors
(XMLParseError, XMLInvalid). A description the backend refuses to define
(``Backend.limits``, the Unsupported errors of define) is skipped. Anything
else the schema accepts must go through the backend's stylesheets: the forest
must satisfy the forest contract (``xslt/forest.rng``), and the interface XML
read back from it must validate again. No libaugeas is needed.

    python fuzz/fuzz_xml.py -max_total_time=60 fuzz/corpus/xml     # with atheris
    sh fuzz/run.sh 60                                             # same, every harness
"""

from __future__ import annotations

import functools
import sys

import fuzzlib
from lxml import etree

from augnetcf import backends, resources, schema, xslt
from augnetcf.errors import XMLInvalid, XMLParseError

XPATH_NS = {"ancf": xslt.NS}


@functools.cache
def forest_rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(resources.xslt_path("forest.rng"))))


def refused(doc: etree._ElementTree, backend: backends.Backend) -> bool:
    """Whether define would refuse *doc* as Unsupported on *backend*."""
    return any(doc.xpath(expr, namespaces=XPATH_NS) for expr, _why in backend.limits)


def check(xml: bytes, backend_name: str) -> None:
    """The pure round trip of *xml* through one backend's stylesheets."""
    backend = backends.get(backend_name)
    try:
        doc = schema.load(xml, "<fuzz>")
    except (XMLParseError, XMLInvalid):
        return
    if refused(doc, backend):
        return
    name = doc.getroot().get("name")
    forest = xslt.to_forest(doc, backend)
    rng = forest_rng()
    if not rng.validate(forest):
        raise AssertionError(f"{backend_name}-to-forest.xsl broke the forest contract: {rng.error_log}")
    back = xslt.from_forest(forest, backend, name)
    # What we print must be something we would accept.
    schema.load(etree.tostring(back), "<fuzz round trip>")


def one_input(data: bytes) -> None:
    picked = fuzzlib.split(data)
    if picked is not None:
        check(picked[1], picked[0])


def main() -> None:
    import atheris

    fuzzlib.quiet()
    atheris.instrument_func(one_input)
    fuzzlib.import_engine()  # before instrument_all: augnetcf imports its modules on first use
    atheris.instrument_all()
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
