"""The fuzz harnesses run cleanly over their seed corpora (replay, no atheris needed)."""

import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
sys.path.insert(0, str(FUZZ))

import fuzz_xml  # noqa: E402

SEEDS = sorted((FUZZ / "corpus" / "xml").iterdir())


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_replays(seed):
    fuzz_xml.one_input(seed.read_bytes())


GARBAGE = [b"", b"<", b"\xff\xfe", b"<interface/>", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_is_refused_cleanly(data):
    fuzz_xml.one_input(data)
