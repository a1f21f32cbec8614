"""Question banks: a review workbook with a row per question (clean ones too) and a sheet of
the bank's statistics, for GIFT, CSV and Word banks alike; checking the workbook passes it
over with a notice instead of reading it as a bank."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from annotate_helpers import active, sha256, workbook_sheets

from curriclint.annotate import annotate_file, copy_format
from curriclint.extract import ANNOTATION_MARK
from curriclint.extract.tabular import REVIEW_WORKBOOK_NOTICE

CSV_BANK = (
    "id,question,A,B,C,answer,explanation\n"
    "Q1,A 19-year-old African American man presents with severe bone pain in his back. "
    "What is the most likely diagnosis?,Sickle cell crisis,Osteomyelitis,Myeloma,A,Correct.\n"
    "Q2,Which segment reabsorbs most filtered sodium?,Proximal tubule,Loop of Henle,"
    "Collecting duct,A,About two thirds.\n"
    "Q3,A 30-year-old woman presents with dysuria and frequency. What is the most likely "
    "diagnosis?,Cystitis,Pyelonephritis,Urethritis,A,Correct.\n"
)
WORD_BANK = [
    "Reminder for item writers: eGFR × 1.159 if African American.",
    "1. A 45-year-old man who is noncompliant with his insulin presents with polyuria. "
    "What is the next step?", "A. Check glucose", "B. Order a chest film", "Answer: A",
    "2. Which nephron segment reabsorbs most filtered sodium?", "A. Proximal tubule",
    "B. Collecting duct", "Answer: A",
]


def review(tmp_path, check, ruleset, source: Path):
    result = check(source)
    return result, annotate_file(source, result, tmp_path / "out", ruleset=ruleset)


def test_gift_example_rows_and_statistics(tmp_path, example, check, ruleset):
    source = example("question-bank.gift")
    before = sha256(source)
    result, workbook = review(tmp_path, check, ruleset, source)
    assert workbook.name == "question-bank.curriclint-review.xlsx"
    assert sha256(source) == before
    sheets = workbook_sheets(workbook)
    rows = sheets["Questions"]
    assert [row["Question"] for row in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0]["Title"] == "Q1 Nephron physiology"
    assert rows[1]["Stem (excerpt)"].startswith("A 19-year-old African American man")
    flagged = {f.location["index"]: f for f in active(result)}
    assert set(flagged) == {2, 3, 6}
    for row in rows:
        finding = flagged.get(row["Question"])
        if finding is None:
            assert row["Findings"] is None and row["Instead"] is None
            continue
        assert row["Findings"].startswith(f"{finding.rule_id} [{finding.severity.value}] {finding.message}")
        assert f"in the {finding.location['part']}" in row["Findings"]
        assert row["Instead"] == finding.suggestion
        assert "https://" in row["References"]
    stats = {row["Statistic"]: row["Value"] for row in sheets["Bank statistics"]}
    bank = result.bank
    assert stats["Questions"] == bank["questions"] == 6
    assert stats["Questions stating race or ethnicity"] == bank["stating_race"]
    assert stats["Questions stating race, by group: black"] == bank["by_group"]["black"]
    assert stats["Unmarked share (vignettes stating no race)"] == pytest.approx(bank["unmarked_share"])
    assert stats["Correct answer, black: Sickle cell crisis"] == 1


def test_workbook_is_marked_and_passed_over_by_check(tmp_path, example, check, ruleset):
    from openpyxl import load_workbook

    _, workbook = review(tmp_path, check, ruleset, example("question-bank.gift"))
    assert load_workbook(workbook).properties.keywords == ANNOTATION_MARK
    again = check(workbook)
    assert (again.status, again.findings, again.bank, again.segments) == ("ok", [], None, 0)
    assert again.notices == [REVIEW_WORKBOOK_NOTICE]


def test_csv_bank(tmp_path, check, ruleset):
    source = tmp_path / "haem.csv"
    source.write_text(CSV_BANK, encoding="utf-8")
    result, workbook = review(tmp_path, check, ruleset, source)
    assert workbook.name == "haem.curriclint-review.xlsx"
    rows = workbook_sheets(workbook)["Questions"]
    assert [(row["Question"], row["Id"]) for row in rows] == [(1, "Q1"), (2, "Q2"), (3, "Q3")]
    assert rows[0]["Findings"].startswith("SV002") and rows[1]["Findings"] is None


def test_word_bank_gets_a_workbook_not_comments(tmp_path, check, ruleset):
    source = tmp_path / "quiz.docx"
    doc = docx.Document()
    for line in WORD_BANK:
        doc.add_paragraph(line)
    doc.save(source)
    result, workbook = review(tmp_path, check, ruleset, source)
    assert copy_format(result) == "wordbank"
    assert workbook.name == "quiz.curriclint-review.xlsx"
    rows = workbook_sheets(workbook)["Questions"]
    assert [row["Question"] for row in rows] == [1, 2, "paragraph 1"]
    assert rows[0]["Findings"].startswith("SV001") and rows[1]["Findings"] is None
    assert rows[2]["Findings"].startswith("RBA001")
    assert rows[2]["Stem (excerpt)"] == "Reminder for item writers: eGFR × 1.159 if African American."

