"""Word copies: a comment per finding, anchored on exactly the flagged words (read back from
the comment range in the copy's XML), in body paragraphs, table cells and text boxes, and
near the words where Word allows no comment; the original untouched; checking the copy
reports its content's findings and none of the comments."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from annotate_helpers import (
    active, annotated, curriclint_word_comments, rewrite, same_findings, sha256, word_comments,
)
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from curriclint.annotate import AnnotateError, annotate_file
from curriclint.annotate.docx import _raw
from curriclint.extract import ANNOTATION_MARK, extract_path

EGFR = "eGFR × 1.159 if African American"
MC = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')
FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:footnotes {nsdecls("w")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote>'
    f'<w:footnote w:id="1"><w:p><w:r><w:t>Source: {EGFR}.</w:t></w:r></w:p></w:footnote>'
    '</w:footnotes>')
TEMPLATE_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def textbox_run(text: str) -> str:
    return (f'<w:r {nsdecls("w")} {MC}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f'<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></w:drawing>'
            '</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
            f'<w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>'
            '</mc:Fallback></mc:AlternateContent></w:r>')


def build_doc(path: Path) -> Path:
    """Findings in a header (1), a paragraph whose flagged words span a bold and a plain
    run (2), a two-paragraph table cell (r2c2 after paragraph 2), a text box (3), a
    footnote and a body paragraph with its reference mark (4)."""
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = f"Handout: {EGFR}"
    doc.add_paragraph("Renal week, session 2")
    split = doc.add_paragraph()
    split.add_run("Remember: ")
    split.add_run("eGFR × 1.").bold = True
    split.add_run("159 if African American\tpatients, always.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Equation", "Adjustment"
    table.cell(1, 0).text = "CKD-EPI 2009"
    table.cell(1, 1).text = "Old practice:"
    table.cell(1, 1).add_paragraph(EGFR)
    host = doc.add_paragraph("See the box.")
    host._p.append(parse_xml(textbox_run(f"Box: {EGFR}")))
    noted = doc.add_paragraph("A 45-year-old man who is noncompliant with his insulin presents "
                              "with foot pain.")
    noted._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
    doc.save(path)

    def add_footnotes(name, data):
        if name is None:
            return {"word/footnotes.xml": FOOTNOTES}
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", (
                b'<Relationship Id="rId900" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                b"</Relationships>"))
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", (
                b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'))
        return data
    rewrite(path, add_footnotes)
    return path


@pytest.fixture
def built(tmp_path, check, ruleset):
    return annotated(build_doc(tmp_path / "handout.docx"), check, ruleset, tmp_path / "out")


def by_place(result, comments):
    """Pair each finding with its comment (comments are added in report order)."""
    findings = active(result)
    assert len(comments) == len(findings)
    return list(zip(findings, comments))


def test_comments_cover_exactly_the_flagged_words(built):
    _, _, result, copy = built
    assert copy.name == "handout.curriclint.docx"
    pairs = by_place(result, curriclint_word_comments(copy))
    exact = [(f, c) for f, c in pairs if f.location["part"] in ("body", "table", "textbox")]
    assert {f.location["part"] for f, _ in exact} == {"body", "table", "textbox"}
    for finding, comment in exact:
        assert comment.anchored == finding.text
        assert finding.rule_id in comment.text and finding.suggestion in comment.text
        assert "could not mark" not in comment.text


def test_comment_holds_rule_message_suggestion_and_reference_link(built, ruleset):
    _, _, result, copy = built
    finding, comment = by_place(result, curriclint_word_comments(copy))[0]
    lines = comment.text.splitlines()
    assert lines[0] == f"{finding.rule_id} [{finding.severity.value}] {finding.message}"
    assert f"Instead: {finding.suggestion}" in lines
    rule = ruleset.rule(finding.rule_id)
    dois = [f"https://doi.org/{r['doi']}" for r in rule.references if r.get("doi")]
    assert dois and set(dois) <= set(comment.links)


def test_split_runs_keep_their_formatting(built):
    _, _, _, copy = built
    runs = docx.Document(str(copy)).paragraphs[1].runs
    assert "".join(r.text for r in runs) == "Remember: eGFR × 1.159 if African American\tpatients, always."
    bold = "".join(r.text for r in runs if r.bold)
    assert bold == "eGFR × 1."


def test_header_and_footnote_findings_are_anchored_nearby_and_say_where(built):
    _, _, result, copy = built
    pairs = dict((f.location["part"], c) for f, c in by_place(result, curriclint_word_comments(copy)))
    assert "page header of section 1" in pairs["header"].text
    assert pairs["header"].anchored == "Renal week, session 2"
    assert "footnote 1, marked here" in pairs["footnote"].text
    # the comment range holds the footnote's reference mark, in the paragraph that cites it
    document = docx.Document(str(copy))
    start = document.element.body.xpath("//w:commentRangeStart")
    noted = [p for p in document.paragraphs if p.text.startswith("A 45-year-old")][0]
    assert any(s.getparent() is noted._p and s.getnext().xpath("./w:footnoteReference") for s in start)


def test_original_unchanged_and_copy_reports_the_same_findings(built, check):
    source, before, result, copy = built
    assert sha256(source) == before
    again = check(copy)
    assert same_findings(result, again)
    segments = extract_path(copy, copy.name, "docx").segments
    assert not any(ANNOTATION_MARK in s.text or "Instead:" in s.text for s in segments)


def test_example_comments_and_reviewer_comments_still_read(tmp_path, example, check, ruleset):
    source = example("case-vignettes.docx")
    result = check(source)
    copy = annotate_file(source, result, tmp_path / "out", ruleset=ruleset)
    comments = word_comments(copy)
    mine = [c for c in comments.values() if c.author == ANNOTATION_MARK]
    assert [c.anchored for c in mine] == [f.text for f in active(result)]
    reviewers = [c for c in comments.values() if c.author == "Curriculum reviewer"]
    assert len(reviewers) == 2
    read = [s for s in extract_path(copy, copy.name, "docx").segments if s.part == "comment"]
    assert [s.text for s in read] == [c.text for c in reviewers]
    assert same_findings(result, check(copy))


def test_second_finding_in_the_same_run_after_the_first_split(tmp_path, check, ruleset):
    source = tmp_path / "two.docx"
    doc = docx.Document()
    doc.add_paragraph("A 45-year-old man who is noncompliant with insulin is seen. A 50-year-old "
                      "woman who is noncompliant with her diet is seen too.")
    doc.save(source)
    result = check(source)
    assert [f.text for f in active(result)] == ["noncompliant", "noncompliant"]
    copy = annotate_file(source, result, tmp_path / "out", ruleset=ruleset)
    assert [c.anchored for c in curriclint_word_comments(copy)] == ["noncompliant", "noncompliant"]
    paragraph = docx.Document(str(copy)).paragraphs[0]
    assert paragraph.text == doc.paragraphs[0].text


def test_template_stays_a_template(tmp_path, check, ruleset):
    source = tmp_path / "cases.dotx"
    doc = docx.Document()
    doc.add_paragraph("A 45-year-old man who is noncompliant with his insulin presents.")
    doc.save(source)
    rewrite(source, lambda name, data: None if name is None else
            data.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"))
    result = check(source)
    copy = annotate_file(source, result, tmp_path / "out", ruleset=ruleset)
    assert copy.name == "cases.curriclint.dotx"
    with zipfile.ZipFile(copy) as zf:
        assert TEMPLATE_CT.encode() in zf.read("[Content_Types].xml")
    assert same_findings(result, check(copy))


def test_raw_text_sources_point_at_the_runs():
    p = parse_xml(f'<w:p {nsdecls("w")}><w:r><w:t>ab</w:t><w:tab/><w:t>c</w:t></w:r>'
                  '<w:del w:id="1" w:author="A"><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>')
    raw, sources = _raw(p)
    assert raw == "ab\tc"
    assert [(el.tag.rsplit("}", 1)[1], at) for el, at in sources] == [
        ("t", 0), ("t", 1), ("tab", None), ("t", 0)]


def test_copy_that_would_not_open_is_refused(tmp_path, check, ruleset):
    """python-docx reads a document declaring its own XML entity but writes it back without
    the declaration: such a copy is refused, not handed over."""
    source = tmp_path / "entity.docx"
    doc = docx.Document()
    doc.add_paragraph("A 45-year-old man who is noncompliant with his insulin presents.")
    doc.add_paragraph("Placeholder")
    doc.save(source)

    def declare_entity(name, data):
        if name != "word/document.xml":
            return data
        head, body = data.split(b"?>", 1)
        return (head + b'?><!DOCTYPE w:document [<!ENTITY clinic "Clinic A">]>'
                + body.replace(b"Placeholder", b"Seen at &clinic;"))
    rewrite(source, declare_entity)
    result = check(source)
    assert active(result)
    with pytest.raises(AnnotateError, match="^the annotated copy would not open: corrupt Word file"):
        annotate_file(source, result, tmp_path / "out", ruleset=ruleset)
    assert list((tmp_path / "out").iterdir()) == []
