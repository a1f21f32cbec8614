"""A RunResult built by hand from model objects, covering every location shape a reporter
must handle: a table cell, a question option, a plain-text line, a suppressed finding, an
unreadable file, notices and bank statistics."""
from __future__ import annotations

import pytest

from curriclint.model import FileResult, Finding, Severity
from curriclint.runner import RunResult

HOSTILE = "<script>window.__pwned = 1</script> Black patients feel less pain"


def _finding(**kw) -> Finding:
    base = dict(
        rule_id="RBA001", rule="egfr-race-coefficient", pack="race-based-algorithms",
        category="race_based_algorithm", severity=Severity.ERROR,
        message="eGFR taught with a race coefficient (× 1.159)",
        suggestion="Teach the race-free CKD-EPI 2021 creatinine equation.",
        path="renal/week 1/ckd.pptx",
        location={"unit": "slide", "index": 14, "part": "table", "question_id": None, "row": 2, "col": 2},
        span=(0, 7), text="× 1.159",
        context="eGFR = 175 × SCr^-1.154 × 1.159 if African American", context_span=(24, 31),
        fingerprint="a" * 32,
    )
    base.update(kw)
    return Finding(**base)


@pytest.fixture
def run() -> RunResult:
    table = _finding()
    suppressed = _finding(
        location={"unit": "slide", "index": 20, "part": "body", "question_id": None},
        context="Historical: MDRD multiplied by 1.212 if Black", context_span=(29, 34), text="1.212",
        message="eGFR taught with a race coefficient (1.212)", fingerprint="b" * 32,
        suppressed={"by": "inline", "reason": "history slide, criticised in the lecture"},
    )
    baseline = _finding(
        location={"unit": "slide", "index": 21, "part": "notes", "question_id": None},
        fingerprint="e" * 32, suppressed={"by": "baseline", "reason": "accepted 2024-05"},
    )
    question = _finding(
        rule_id="SV002", rule="race-cue-diagnosis", pack="stereotyped-vignettes",
        category="stereotyped_vignette", severity=Severity.WARNING,
        message="Race given as the cue to a racialized diagnosis (African American)",
        suggestion="Give the clinical findings that point to the diagnosis.",
        path="heme/bank.xml",
        location={"unit": "question", "index": 7, "part": "option", "question_id": "Q-7",
                  "option": "B", "question_title": "Anaemia, \"case\" 7"},
        span=(0, 16), text="African American",
        context="A 24-year-old African American man with pain crisis", context_span=(14, 30),
        fingerprint="c" * 32,
    )
    line = _finding(
        rule_id="BR004", rule="hoffman-false-beliefs", pack="biologized-race",
        category="biologized_race", severity=Severity.ERROR,
        message="False belief about biological difference between races (Black patients feel less pain)",
        suggestion="Remove the claim; pain must be assessed individually.",
        path="notes, 2024:draft.txt",
        location={"unit": "line", "index": 3, "part": "body", "question_id": None},
        span=(36, 65), text="Black patients feel less pain", context=HOSTILE, context_span=(36, 65),
        fingerprint="d" * 32,
    )
    info = _finding(
        rule_id="BR001", rule="race-as-risk-factor", pack="biologized-race",
        category="biologized_race", severity=Severity.INFO,
        message="Race presented as a risk factor in itself (race)", path="heme/bank.xml",
        location={"unit": "question", "index": 9, "part": "feedback", "question_id": "Q-9"},
        context="Risk factors: age, race", context_span=(19, 23), text="race", span=(19, 23),
        context_kind="criticised", fingerprint="f" * 32,
    )
    files = [
        FileResult("renal/week 1/ckd.pptx", "pptx", segments=40, findings=[table, suppressed, baseline],
                   notices=["slides 3, 4 are image-only"]),
        FileResult("heme/bank.xml", "moodle", segments=30, findings=[question, info]),
        FileResult("notes, 2024:draft.txt", "text", segments=3, findings=[line]),
        FileResult("old/lecture.ppt", "ppt", status="error",
                   error="legacy binary PowerPoint (.ppt): save it as .pptx and check again"),
    ]
    bank = {
        "path": "heme/bank.xml", "questions": 30, "stating_race": 4,
        "by_group": {"black": 3, "white": 1, "asian": 0, "hispanic_latino": 0, "indigenous": 0,
                     "pacific_islander": 0, "jewish": 0, "middle_eastern": 0, "multiracial": 0,
                     "other": 0},
        "national_origin_or_immigration": 2,
        "mention_location": {"stem": 4, "option": 1, "feedback": 0},
        "conditions_by_group": {"black": {"Sickle cell disease": 2, "<b>Sarcoidosis</b>": 1}},
        "unmarked_share": 0.9, "nonwhite_share_of_marked": 0.75,
    }
    return RunResult(files=files, skipped=2, notices=["no trained pipeline installed: reduced mode"],
                     banks=[bank])


@pytest.fixture(scope="session")
def ruleset():
    from curriclint.rules.loader import load_rules

    return load_rules()
