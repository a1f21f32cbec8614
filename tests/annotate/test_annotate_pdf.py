"""PDF copies: a sticky note per finding on the flagged page, in the margin beside the line
of the flagged words (their position read back with PDFium), written as an incremental
update so the original's bytes open the copy; checking the copy reports the same findings."""
from __future__ import annotations

from pathlib import Path

import pytest
from annotate_helpers import active, annotated, pdf_notes, same_findings, sha256, text_boxes

from curriclint.annotate import AnnotateError, annotate_file
from curriclint.annotate.pdf import _raw_index
from curriclint.extract import ANNOTATION_MARK
from curriclint.extract.pdf import clean_text

fpdf = pytest.importorskip("fpdf")

LINES = {
    1: ["Spirometry measures how much air a patient can exhale.",
        "Repeat until two FVC values agree within 150 mL."],
    2: ["Compare each value with the predicted value.",
        "For Black patients, multiply the predicted FVC by 0.88 before you compare.",
        "Report the percentage of predicted."],
    3: ["Case: a 45-year-old man who is noncompliant with his inhaler presents with wheeze.",
        "Discuss the differential."],
}


def build_pdf(path: Path, encrypt: bool = False) -> Path:
    pdf = fpdf.FPDF()
    pdf.set_font("helvetica", size=12)
    if encrypt:
        pdf.set_encryption(owner_password="owner")
    for number in sorted(LINES):
        pdf.add_page()
        pdf.set_y(40 + 30 * number)
        for line in LINES[number]:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def assert_beside(copy: Path, finding, note: dict) -> None:
    """The note's icon is level with the flagged words and to their left."""
    words = " ".join(finding.text.split()[:2])
    boxes = text_boxes(copy, finding.location["index"], words)
    assert boxes, words
    left, bottom, right, top = note["rect"]
    assert any(bottom < box[3] and box[1] < top and right <= box[0] for box in boxes)


@pytest.fixture
def built(tmp_path, check, ruleset):
    return annotated(build_pdf(tmp_path / "spirometry.pdf"), check, ruleset, tmp_path / "out")


def test_a_note_per_finding_on_its_page_beside_the_words(built):
    _, _, result, copy = built
    assert copy.name == "spirometry.curriclint.pdf"
    notes = pdf_notes(copy)
    findings = active(result)
    assert {f.location["index"] for f in findings} == set(notes) == {2, 3}
    for page, on_page in notes.items():
        mine = [f for f in findings if f.location["index"] == page]
        assert len(on_page) == len(mine)
        for finding, note in zip(mine, on_page):
            assert note["author"] == ANNOTATION_MARK
            lines = note["text"].splitlines()
            assert lines[0] == f"{finding.rule_id} [{finding.severity.value}] {finding.message}"
            assert f"Instead: {finding.suggestion}" in lines
            assert any(line.startswith("Reference: ") and "https://" in line for line in lines)
            assert_beside(copy, finding, note)


def test_copy_is_the_original_plus_an_update(built, check):
    source, before, result, copy = built
    assert sha256(source) == before
    assert copy.read_bytes().startswith(source.read_bytes())
    assert same_findings(result, check(copy))


def test_example_handout(tmp_path, example, check, ruleset):
    source = example("pulmonary-function.pdf")
    result = check(source)
    copy = annotate_file(source, result, tmp_path / "out", ruleset=ruleset)
    notes = pdf_notes(copy)
    assert list(notes) == [2] and len(notes[2]) == len(active(result)) == 2
    for finding, note in zip(active(result), notes[2]):
        assert_beside(copy, finding, note)
    rects = [n["rect"] for n in notes[2]]
    assert rects[0] != rects[1]
    assert same_findings(result, check(copy))


def test_protected_pdf_is_refused_in_one_line(tmp_path, check, ruleset):
    source = build_pdf(tmp_path / "locked.pdf", encrypt=True)
    result = check(source)
    assert active(result)
    with pytest.raises(AnnotateError, match="^encrypted PDF: .*remove the protection") as caught:
        annotate_file(source, result, tmp_path / "out", ruleset=ruleset)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("raw, word", [
    ("Intro\r\nthe hyper-\r\ntension of  Black patients", "Black"),
    ("the ﬁrst ﬂag:\tBlack", "Black"),
    ("\r\n\r\n  leading\r\n\r\n\r\n\r\nBlack", "Black"),
])
def test_raw_index_finds_the_character_the_span_starts_at(raw, word):
    start = clean_text(raw).index(word)
    assert raw[_raw_index(raw, start):].startswith(word)
