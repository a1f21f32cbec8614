"""Question-bank extractors on the shared real-world corpus (CURRICLINT_REALWORLD)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from curriclint.config import Config
from curriclint.discover import Target
from curriclint.runner import read_target

BANK_FOLDERS = ("qti", "moodle", "gift", "csv", "xlsx", "questions")
MALFORMED = {
    "qti/instructure-qti/items_1.2/fib.xml",
    "qti/instructure-qti/items_1.2/fib_str.xml",
    "qti/instructure-qti/items_1.2/item_no_title.xml",
    "qti/instructure-qti/items_1.2/choice_vary_points_by_answer.xml",
    "qti/instructure-qti/items_1.2/choice_vary_points_by_answer_zero_points.xml",
    "qti/instructure-qti/items_2.2/audio-video.xml",
}


def read(path: Path):
    return read_target(Target(path, str(path), explicit=False), Config())


def questions(segments) -> dict[int, list]:
    found: dict[int, list] = {}
    for seg in segments:
        if seg.unit == "question":
            found.setdefault(seg.index, []).append(seg)
    return found


def test_every_bank_file_is_read_skipped_or_refused_in_one_line(realworld):
    seen = 0
    for folder in BANK_FOLDERS:
        for path in sorted((realworld / folder).rglob("*")):
            if not path.is_file():
                continue
            seen += 1
            rel = path.relative_to(realworld).as_posix()
            result, segments = read(path)
            assert result.status in ("ok", "skipped", "error"), rel
            if result.status == "error":
                assert result.error and "\n" not in result.error, rel
                assert "could not read this" not in result.error, f"{rel}: {result.error}"
            if rel in MALFORMED:
                assert result.status == "error" and re.search(r"\bline \d+", result.error), \
                    f"{rel}: {result.error}"
            elif result.format in ("qti", "qti-package", "moodle", "gift", "jsonl", "csv"):
                assert result.status == "ok", f"{rel}: {result.error}"
    assert seen > 400


def test_canvas_qti12_export(realworld):
    path = (realworld / "qti/instructure-qti/canvas_cartridge/non_cc_assessments/"
            "i2ae4df242d342169dae37f9f08dfc5a6.xml.qti")
    result, segments = read(path)
    assert result.status == "ok" and result.format == "qti"
    found = questions(segments)
    assert len(found) == 12  # 12 <item> elements, one per Canvas question type
    first = found[1]
    assert [s.part for s in first][:1] == ["stem"]
    assert [s.option for s in first if s.part == "option"] == ["A", "B", "C", "D"]
    assert [(s.option, s.text) for s in first if s.part == "answer"] == [("A", "C")]
    assert "Answer feedback for C, correct" in [s.text for s in first if s.part == "feedback"]
    assert all(s.question_id for s in segments)
    multiple = next(q for q in found.values() if "Multiple Answers" in q[0].text)
    assert [s.option for s in multiple if s.part == "answer"] == ["A,B,C"]


def test_canvas_qti12_quiz_folder(realworld):
    path = (realworld / "qti/instructure-qti/test_qti_1.2_canvas/i00f37ac2af026e5a607e4a5d9a70b1d5/"
            "i00f37ac2af026e5a607e4a5d9a70b1d5.xml")
    found = questions(read(path)[1])
    assert len(found) == 4
    assert [s.option for s in found[3] if s.part == "answer"] == ["A,B"]  # <not> excluded
    meta = path.with_name("assessment_meta.xml")  # Canvas quiz settings, not a Moodle bank
    assert read(meta)[0].status == "skipped"


def test_qti21_package(realworld):
    result, segments = read(realworld / "qti/instructure-qti/test_qti_2.1.zip")
    assert result.status == "ok" and result.format == "qti-package"
    found = questions(segments)
    assert len(found) == 5  # Items/Item_VE_IP_01…05; __MACOSX and the test file skipped
    assert all(s.member and s.member.startswith("Items/") for s in segments)
    first = found[1]
    assert [(s.option, s.text) for s in first if s.part == "option"] == [("A", "True"), ("B", "False")]
    assert [(s.option, s.text) for s in first if s.part == "answer"] == [("A", "True")]


def test_qti22_feedback_items(realworld):
    result, segments = read(realworld / "qti/instructure-qti/items_2.2/Example01-modalFeedback.xml")
    found = questions(segments)
    assert len(found) == 1
    assert [s.text for s in found[1] if s.part == "feedback"] == ["correct", "incorrect"]
    assert [s.option for s in found[1] if s.part == "option"] == ["A", "B"]


def test_moodle_xml(realworld):
    result, segments = read(realworld / "moodle/moodle-core/nested_categories_with_questions.xml")
    found = questions(segments)
    assert len(found) == 5  # 9 <question> elements, 4 of them categories
    assert [(s.option, s.text) for s in found[1] if s.part in ("option", "answer")] == [
        ("A", "true"), ("B", "false"), ("A", "true")]
    result, segments = read(realworld / "moodle/gapfill/gapfill_examples_en.xml")
    found = questions(segments)
    assert len(found) == 24  # 25 <question> elements, 1 category
    assert any(s.part == "feedback" for s in segments)
    result, segments = read(realworld / "moodle/stack/10_integration_with_feedback.xml")
    feedback = [s.text for s in segments if s.part == "feedback"]
    assert "Correct answer, well done." in feedback


def test_gift(realworld):
    result, segments = read(realworld / "gift/gift-grammar-pegjs/giftFormatPhpExamples.gift")
    assert result.status == "ok" and result.format == "gift"
    found = questions(segments)
    assert len(found) == 10
    assert [(s.option, s.text) for s in found[1] if s.part in ("option", "answer")] == [
        ("A", "Grant"), ("B", "Jefferson"), ("C", "no one"), ("C", "no one")]
    assert [s.text for s in found[7] if s.part == "feedback"] == [
        "No one is buried there.", "Right answer!", "We hope not!"]
    assert [s.text for s in found[10] if s.part == "comment"] == [
        "this comment will be ignored by the filter"]


def test_medqa_jsonl(realworld):
    result, segments = read(realworld / "questions/medqa_usmle_test_5options.jsonl")
    assert result.status == "ok" and result.format == "jsonl"
    found = questions(segments)
    assert len(found) == 1273
    for segs in found.values():
        assert [s.option for s in segs if s.part == "option"] == ["A", "B", "C", "D", "E"]
        answers = [s for s in segs if s.part == "answer"]
        assert len(answers) == 1 and answers[0].option in "ABCDE"


def test_csv_banks(realworld):
    result, segments = read(realworld / "csv/qformat_csv__sample.csv")
    found = questions(segments)
    assert len(found) == 10
    assert [s.option for s in found[2] if s.part == "answer"] == ["A,B"]
    assert found[1][0].question_title == "Question1"
    result, segments = read(realworld / "csv/qformat_mcqcsv__demo.csv")
    assert len(questions(segments)) == 5


def test_word_bank_in_gift_syntax(realworld):
    docx = pytest.importorskip("docx")
    from curriclint.extract.wordbank import bank_segments

    path = realworld / "docx/question-banks/qformat_mcqcsv__demo.docx"
    texts = [p.text for p in docx.Document(path).paragraphs]
    found = questions(bank_segments(texts, str(path)))
    assert len(found) == 4
    assert [(s.option, s.text) for s in found[2] if s.part == "answer"] == [("A", "yello")]
    result, segments = read(path)  # through docx.py
    assert result.status == "ok" and len(questions(segments)) == 4
