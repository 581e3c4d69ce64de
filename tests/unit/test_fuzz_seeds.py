"""The fuzz harnesses run cleanly over their seed corpora and over every crasher
kept in fuzz/regressions/ (replay through each harness' one_input; no atheris
needed). fuzz_files and fuzz_roundtrip need libaugeas."""

import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
sys.path.insert(0, str(FUZZ))

import fuzz_files  # noqa: E402
import fuzz_roundtrip  # noqa: E402
import fuzz_xml  # noqa: E402
import fuzzlib  # noqa: E402

#: harness -> its module and its seed corpora (as fuzz/run.sh runs it)
HARNESSES = {
    "fuzz_xml": (fuzz_xml, ["xml"]),
    "fuzz_files": (fuzz_files, ["files-redhat", "files-debian", "files-suse", "files-nm-keyfile",
                                "files-networkd"]),
    "fuzz_roundtrip": (fuzz_roundtrip, ["xml"]),
}


def inputs(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


SEEDS = [(h, p) for h, (_module, corpora) in HARNESSES.items()
         for c in corpora for p in inputs(FUZZ / "corpus" / c)]
REGRESSIONS = [(h, p) for h in HARNESSES for p in inputs(FUZZ / "regressions" / h)]


def test_every_corpus_has_seeds_for_every_backend():
    for corpus in ("xml", *(f"files-{b}" for b in fuzzlib.BACKENDS)):
        backends = {fuzzlib.split(p.read_bytes())[0] for p in inputs(FUZZ / "corpus" / corpus)}
        want = set(fuzzlib.BACKENDS) if corpus == "xml" else {corpus[len("files-"):]}
        assert backends == want, corpus


@pytest.mark.parametrize(("harness", "seed"), SEEDS, ids=[f"{h}/{p.parent.name}/{p.name}" for h, p in SEEDS])
def test_seed_replays(harness, seed):
    HARNESSES[harness][0].one_input(seed.read_bytes())


@pytest.mark.parametrize(("harness", "crasher"), REGRESSIONS, ids=[f"{h}/{p.name}" for h, p in REGRESSIONS])
def test_regression_replays(harness, crasher):
    HARNESSES[harness][0].one_input(crasher.read_bytes())


GARBAGE = [b"", b"<", b"\xff\xfe", b"<interface/>", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"]


@pytest.mark.parametrize("harness", list(HARNESSES))
@pytest.mark.parametrize("backend", fuzzlib.BACKENDS)
@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_is_refused_cleanly(harness, backend, data):
    HARNESSES[harness][0].one_input(fuzzlib.SELECTOR[backend] + data)


def test_empty_input_is_nothing():
    for module, _corpora in HARNESSES.values():
        module.one_input(b"")


def test_scratch_root_is_gone_after_each_input():
    fuzz_roundtrip.one_input(next(p for h, p in SEEDS if h == "fuzz_roundtrip").read_bytes())
    fuzz_files.one_input(next(p for h, p in SEEDS if h == "fuzz_files").read_bytes())
    assert not Path(fuzzlib._SCRATCH).exists()
