"""Fuzz the engine end to end: define -> files -> dumpxml -> define again.

Input: one selector byte, then interface XML, the same format as fuzz_xml's
(and the same corpus, fuzz/corpus/xml). The first byte picks the backend
(see fuzzlib.py; seeds start with ASCII ``0`` redhat, ``1`` debian, ``2`` suse).

On an empty root of that backend (one scratch directory per process, emptied
after every input), as separate commands would:

1. ``define`` the XML. Refusing it is fine, with XMLParseError, XMLInvalid
   or Unsupported, and only with those.
2. With a fresh Config: ``xml_desc`` of the interface defined. It must succeed,
   and what it prints must validate (``augnetcf.schema.load``).
3. ``define`` what was printed. It must succeed and change no byte of any file.

Any other exception, or a broken promise (AssertionError), is a finding.

    python fuzz/fuzz_roundtrip.py -max_total_time=60 fuzz/corpus/xml
"""

from __future__ import annotations

import difflib
import sys

import fuzzlib

import augnetcf
from augnetcf import schema

#: What the first define may refuse an input with.
REFUSALS = (augnetcf.XMLParseError, augnetcf.XMLInvalid, augnetcf.Unsupported)


def _diff(before: dict[str, bytes], after: dict[str, bytes]) -> str:
    out = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        out.extend(difflib.unified_diff(
            (old or b"").decode("utf-8", "replace").splitlines(),
            (new or b"").decode("utf-8", "replace").splitlines(),
            f"{path} (after the first define)" if old is not None else "/dev/null",
            f"{path} (after defining the dumpxml)" if new is not None else "/dev/null",
            lineterm=""))
    return "\n".join(out)


def check(xml: bytes, backend: str) -> None:
    root = fuzzlib.empty_root(backend)
    try:
        with augnetcf.Config(str(root), backend) as cfg:
            try:
                name = cfg.define(xml, "<fuzz>").name
            except REFUSALS:
                return
        once = fuzzlib.files(root)
        with augnetcf.Config(str(root), backend) as cfg:
            printed = cfg.xml_desc(name)
            schema.load(printed, f"<dumpxml {name}>")
            cfg.define(printed, f"<dumpxml {name}>")
        twice = fuzzlib.files(root)
        if twice != once:
            raise AssertionError(f"{backend}: defining what dumpxml printed changed files:\n"
                                 f"{printed}\n{_diff(once, twice)}")
    finally:
        fuzzlib.release(root)


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
