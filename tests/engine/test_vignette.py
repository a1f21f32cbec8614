"""Recognising the patient a vignette introduces, in prose and in case-note shorthand."""
from __future__ import annotations

import pytest

from curriclint.engine.vignette import age_pattern, introduces_patient
from curriclint.rules.loader import load_rules

AGES = age_pattern(load_rules().terms["terms.age_shorthand"])


@pytest.mark.parametrize("text, introduces", [
    ("A 24-year-old man presents with chest pain.", True),
    ("62 y/o AA F w/ HTN presents w/ headache.", True),
    ("19 yo AA M, sickler, presents to the ED.", True),
    ("A 3-month-old is brought in.", False),  # an age alone, no patient noun or shorthand
    ("The 2019 yo-yo craze.", False),
])
def test_a_patient_is_introduced_by_an_age_and_a_noun_or_by_case_note_shorthand(text, introduces):
    nouns = frozenset({"man", "woman", "patient"})
    assert introduces_patient(text, nouns, AGES) is introduces
