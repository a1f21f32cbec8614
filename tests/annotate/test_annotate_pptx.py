"""PowerPoint copies: each flagged slide gets a legacy comment per finding at the flagged
shape (parts, relationships and content types read back through python-pptx) and its
speaker notes end with the curriclint section; checking the copy reports the content's
findings and none of curriclint's notes."""
from __future__ import annotations

from pathlib import Path

import pytest
from annotate_helpers import (
    P, active, annotated, curriclint_notes, rewrite, same_findings, sha256, slide_comments,
)
from pptx import Presentation
from pptx.util import Inches

from curriclint.annotate import annotate_file
from curriclint.annotate.pptx import EMU_PER_MASTER_UNIT
from curriclint.extract import ANNOTATION_MARK, NOTES_HEADING, extract_path

EGFR = "eGFR × 1.159 if African American"
REVIEWER_AUTHORS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:cmAuthorLst '
                    f'xmlns:p="{P}"><p:cmAuthor id="0" name="Dr Reviewer" initials="DR" '
                    'lastIdx="1" clrIdx="0"/></p:cmAuthorLst>')
REVIEWER_COMMENT = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:cmLst '
                    f'xmlns:p="{P}"><p:cm authorId="0" dt="2024-01-15T09:00:00.000" idx="1">'
                    '<p:pos x="10" y="10"/><p:text>Check this slide.</p:text></p:cm></p:cmLst>')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PML = "application/vnd.openxmlformats-officedocument.presentationml"


def build_deck(path: Path) -> Path:
    """Slide 1: a flagged body and clean notes; slide 2: a table with a flagged cell r2c2;
    slide 3: flagged body text in a text box, no notes page; slide 4: flagged notes."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Kidney function"
    slide.placeholders[1].text_frame.text = f"Remember: {EGFR}."
    slide.notes_slide.notes_text_frame.text = "Pause for questions."
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Equations"
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(8), Inches(2)).table
    table.cell(0, 0).text, table.cell(0, 1).text = "Equation", "Adjustment"
    table.cell(1, 0).text, table.cell(1, 1).text = "CKD-EPI 2009", EGFR
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(2), Inches(3), Inches(5), Inches(1))
    box.name = "Case box"
    box.text_frame.text = "A 45-year-old man who is noncompliant with his insulin presents."
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "MDRD"
    slide.placeholders[1].text_frame.text = "Derived from patients with CKD."
    slide.notes_slide.notes_text_frame.text = f"Say: {EGFR}.\nThen move on."
    prs.save(path)
    return path


@pytest.fixture
def built(tmp_path, check, ruleset):
    return annotated(build_deck(tmp_path / "renal.pptx"), check, ruleset, tmp_path / "out")


def test_notes_list_every_finding_of_the_slide(built):
    _, _, result, copy = built
    assert copy.name == "renal.curriclint.pptx"
    notes = curriclint_notes(copy)
    by_slide: dict[int, list] = {}
    for finding in active(result):
        by_slide.setdefault(finding.location["index"], []).append(finding)
    assert set(notes) == set(by_slide) == {1, 2, 3, 4}
    for number, findings in by_slide.items():
        assert len(notes[number]) == len(findings)
        for paragraph, finding in zip(notes[number], findings):
            lines = paragraph.split("\v")
            assert lines[0].startswith(f"{finding.rule_id} [{finding.severity.value}] {finding.message}")
            assert f"Flagged: “{finding.text}”" in lines
            assert f"Instead: {finding.suggestion}" in lines
    assert notes[2][0].split("\v")[0].endswith(" — in table cell r2c2 of “Table 2”")
    assert notes[3][0].split("\v")[0].endswith(" — in shape “Case box”")
    assert notes[4][0].split("\v")[0].endswith(" — in the speaker notes")


def test_notes_page_created_and_original_notes_kept(built):
    source, _, _, copy = built
    assert not Presentation(str(source)).slides[2].has_notes_slide
    slides = Presentation(str(copy)).slides
    assert slides[2].has_notes_slide
    paragraphs = [p.text for p in slides[3].notes_slide.notes_text_frame.paragraphs]
    assert paragraphs[:3] == [f"Say: {EGFR}.", "Then move on.", ""]
    assert paragraphs[3] == NOTES_HEADING


def test_a_comment_per_finding_on_the_flagged_slide_at_the_shape(built):
    _, _, result, copy = built
    comments = slide_comments(copy)
    findings = active(result)
    assert sum(len(c) for c in comments.values()) == len(findings)
    for finding in findings:
        texts = [c.text for c in comments[finding.location["index"]]]
        assert any(t.startswith(f"{finding.rule_id} [{finding.severity.value}] {finding.message}")
                   and finding.suggestion in t for t in texts)
    assert {c.author for cs in comments.values() for c in cs} == {ANNOTATION_MARK}
    cell = comments[2][0]
    assert (cell.x, cell.y) == (round(Inches(1 + 4) / EMU_PER_MASTER_UNIT),
                                round((Inches(2) + Inches(1)) / EMU_PER_MASTER_UNIT))
    box = comments[3][0]
    assert (box.x, box.y) == (round(Inches(2) / EMU_PER_MASTER_UNIT),
                              round(Inches(3) / EMU_PER_MASTER_UNIT))


def test_comment_parts_are_related_and_typed(built):
    _, _, _, copy = built
    prs = Presentation(str(copy))
    authors = prs.part.part_related_by(f"{REL}/commentAuthors")
    assert authors.content_type == f"{PML}.commentAuthors+xml"
    assert str(authors.partname) == "/ppt/commentAuthors.xml"
    for slide in prs.slides:
        assert str(slide.part.part_related_by(f"{REL}/comments").partname).startswith("/ppt/comments/comment")


def test_original_unchanged_and_copy_reports_the_same_findings(built, check):
    source, before, result, copy = built
    assert sha256(source) == before
    assert same_findings(result, check(copy))
    notes = [s for s in extract_path(copy, copy.name, "pptx").segments if s.part == "notes"]
    assert [(s.index, s.text) for s in notes] == [(1, "Pause for questions."),
                                                   (4, f"Say: {EGFR}.\nThen move on.")]


def test_example_deck(tmp_path, example, check, ruleset):
    source = example("renal-physiology.pptx")
    result = check(source)
    copy = annotate_file(source, result, tmp_path / "out", ruleset=ruleset)
    flagged = {f.location["index"] for f in active(result)}
    assert set(curriclint_notes(copy)) == set(slide_comments(copy)) == flagged == {4, 5, 6}
    assert same_findings(result, check(copy))


def test_existing_comments_and_authors_are_kept(tmp_path, check, ruleset):
    source = build_deck(tmp_path / "reviewed.pptx")

    def add_reviewer(name, data):
        if name is None:
            return {"ppt/commentAuthors.xml": REVIEWER_AUTHORS,
                    "ppt/comments/comment1.xml": REVIEWER_COMMENT}
        if name == "ppt/_rels/presentation.xml.rels":
            return data.replace(b"</Relationships>", (
                f'<Relationship Id="rId900" Type="{REL}/commentAuthors" '
                'Target="commentAuthors.xml"/></Relationships>').encode())
        if name == "ppt/slides/_rels/slide1.xml.rels":
            return data.replace(b"</Relationships>", (
                f'<Relationship Id="rId900" Type="{REL}/comments" '
                'Target="../comments/comment1.xml"/></Relationships>').encode())
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", (
                f'<Override PartName="/ppt/commentAuthors.xml" ContentType="{PML}.commentAuthors+xml"/>'
                f'<Override PartName="/ppt/comments/comment1.xml" ContentType="{PML}.comments+xml"/>'
                "</Types>").encode())
        return data
    rewrite(source, add_reviewer)
    result = check(source)
    copy = annotate_file(source, result, tmp_path / "out", ruleset=ruleset)
    first = slide_comments(copy)[1]
    assert [(c.author, c.text) for c in first][0] == ("Dr Reviewer", "Check this slide.")
    assert {c.author for c in first[1:]} == {ANNOTATION_MARK} and len(first) > 1
    assert same_findings(result, check(copy))
