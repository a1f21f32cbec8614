"""Bank statistics against the hand count committed before the counting code
(corpora/medqa-test-race-count.json): within 10% or 2, whichever is larger."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from curriclint.config import Config
from curriclint.discover import Target
from curriclint.engine.banks import bank_statistics
from curriclint.engine.linter import Linter
from curriclint.extract import extract_path
from curriclint.rules.loader import load_rules
from curriclint.runner import process_target

HAND_COUNT = Path(__file__).resolve().parents[2] / "corpora" / "medqa-test-race-count.json"


def close_enough(measured: int, expected: int) -> bool:
    return abs(measured - expected) <= max(2, round(0.10 * expected))


@pytest.fixture(scope="module")
def medqa(realworld):
    path = realworld / "questions" / "medqa_usmle_test_5options.jsonl"
    linter = Linter(load_rules())
    result = process_target(Target(path, "medqa.jsonl", True), Config(), linter)
    assert result.status == "ok"
    return result.bank


def test_medqa_counts_match_the_hand_count(medqa):
    hand = json.loads(HAND_COUNT.read_text(encoding="utf-8"))
    assert medqa["questions"] == hand["questions"] == 1273
    assert close_enough(medqa["stating_race"], len(hand["stating_race"]))
    for group, questions in hand["by_group"].items():
        assert close_enough(medqa["by_group"][group], len(questions)), group
    assert close_enough(medqa["national_origin_or_immigration"], len(hand["national_origin_or_immigration"]))
    assert medqa["mention_location"]["stem"] == medqa["stating_race"]


def test_shares_follow_their_definitions(medqa):
    assert 0 < medqa["unmarked_share"] < 1
    assert medqa["nonwhite_share_of_marked"] == pytest.approx(
        1 - medqa["by_group"]["white"] / medqa["stating_race"], abs=0.05)


def test_counting_rules_on_a_generated_bank(tmp_path):
    lines = [
        {"question": "A 24-year-old African American man has bone pain. Diagnosis?",
         "options": {"A": "Gout", "B": "Sickle cell disease"}, "answer_idx": "B"},
        {"question": "A 30-year-old woman of Korean descent has dyspepsia. Next step?",
         "options": {"A": "Endoscopy", "B": "PPI"}, "answer_idx": "A"},
        {"question": "A 40-year-old Nigerian man has fever. Next step?",
         "options": {"A": "Smear", "B": "CT"}, "answer_idx": "A"},
        {"question": "A 50-year-old man has a white blood cell count of 14,000/mm3 and black stools.",
         "options": {"A": "EGD", "B": "CT"}, "answer_idx": "A"},
        {"question": "In a study, participants did not differ by race. What bias is least likely?",
         "options": {"A": "Confounding", "B": "Recall"}, "answer_idx": "A"},
        {"question": "A 62-year-old White woman has hip pain. Next step?",
         "options": {"A": "X-ray", "B": "MRI"}, "answer_idx": "A"},
    ]
    path = tmp_path / "bank.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    linter = Linter(load_rules())
    segments = extract_path(path, "bank.jsonl", "jsonl").segments
    stats = bank_statistics("bank.jsonl", segments, linter.engine())
    assert stats["questions"] == 6
    assert stats["stating_race"] == 3                       # not the study, not the colours
    assert {g: n for g, n in stats["by_group"].items() if n} == {"black": 1, "asian": 1, "white": 1}
    assert stats["national_origin_or_immigration"] == 1     # the Nigerian man
    assert stats["conditions_by_group"]["black"] == {"Sickle cell disease": 1}
    assert stats["vignettes"] == 5
    assert stats["unmarked_share"] == pytest.approx(2 / 5, abs=1e-4)  # the Nigerian man, the stools
    assert stats["nonwhite_share_of_marked"] == pytest.approx(2 / 3, abs=1e-4)  # rounded to 4 places
