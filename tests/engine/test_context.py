"""The same phrase is a finding when asserted and is not (or is only info) when negated,
historical, quoted for critique or criticised."""
from pathlib import Path

import pytest
import yaml

from curriclint.engine.linter import Linter
from curriclint.engine.samples import segments_for_text
from curriclint.rules.loader import load_rules

PAIRS = yaml.safe_load((Path(__file__).parent / "context_pairs.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def linter():
    return Linter(load_rules())


def _findings(linter, category, text):
    segments = segments_for_text(text, "paragraph")
    return [f for f in linter.lint(segments) if f.category == category]


def test_there_are_at_least_thirty_pairs():
    assert len(PAIRS) >= 30
    assert {p["context"] for p in PAIRS} >= {"negated", "historical", "quoted", "criticised"}


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p['category']}-{p['context']}-{i}" for i, p in enumerate(PAIRS)])
def test_asserted_flags_framed_does_not(linter, pair):
    asserted = _findings(linter, pair["category"], pair["asserted"])
    assert any(f.severity.is_flag and f.context_kind == "asserted" for f in asserted), pair["asserted"]
    framed = _findings(linter, pair["category"], pair["framed"])
    assert not any(f.severity.is_flag for f in framed), (pair["framed"], [(f.text, f.context_kind) for f in framed])
