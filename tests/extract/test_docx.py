"""Word extractor: documents built with python-docx (plus injected XML for what it cannot
write) for exact behaviour, the real-world corpus for robustness. Real-world tests skip
unless CURRICLINT_REALWORLD is set."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from curriclint.extract import ExtractError, extract_path
from curriclint.extract.docx import body_paragraph_texts, extract
from curriclint.extract.sniff import sniff
from curriclint.model import Segment

MC = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')
TEXTBOX_RUN = (
    f'<w:r {nsdecls("w")} {MC}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    '<w:txbxContent><w:p><w:r><w:t>Box: race is </w:t></w:r><w:r><w:t>not biology</w:t></w:r>'
    '</w:p><w:p><w:r><w:t>Second box line</w:t></w:r></w:p></w:txbxContent></w:drawing>'
    '</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
    '<w:t>Box: race is not biology</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>'
    '</w:pict></mc:Fallback></mc:AlternateContent></w:r>')
TRACKED = (
    f'<w:p {nsdecls("w")}><w:r><w:t xml:space="preserve">Kept </w:t></w:r>'
    '<w:ins w:id="91" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r>'
    '<w:t xml:space="preserve">inserted </w:t></w:r></w:ins>'
    '<w:del w:id="92" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r>'
    '<w:delText xml:space="preserve">deleted </w:delText></w:r></w:del>'
    '<w:r><w:t>end</w:t></w:r></w:p>')
FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:footnotes {nsdecls("w")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>First note.</w:t></w:r></w:p></w:footnote>'
    '<w:footnote w:id="2"><w:p><w:r><w:t>Second note.</w:t></w:r></w:p></w:footnote>'
    '</w:footnotes>')


def segments(path: Path, shown: str = "doc.docx") -> list[Segment]:
    return [item for item in extract(path, shown) if isinstance(item, Segment)]


def parts(segs, part):
    return [s for s in segs if s.part == part]


def add_footnotes(path: Path) -> None:
    """Give a saved document a footnotes part (python-docx cannot write one)."""
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rId900" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>"))
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'))
            zout.writestr(info, data)
        zout.writestr("word/footnotes.xml", FOOTNOTES)


def build_doc(path: Path) -> Path:
    doc = docx.Document()
    doc.add_paragraph("Intro  ")                       # 1
    doc.add_paragraph("")                              # 2 (empty, still counted)
    host = doc.add_paragraph("Host paragraph")         # 3, holds a text box
    host._p.append(parse_xml(TEXTBOX_RUN))
    commented = doc.add_paragraph("Commented claim")   # 4
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate([("Test", "Equation", "Note"),
                             ("CKD-EPI 2009", "eGFR × 1.159 if Black", ""),
                             ("Merged", "", "x")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 0).merge(table.cell(2, 1))
    table.cell(0, 2).merge(table.cell(1, 2))           # vertical merge
    nested = table.cell(1, 0).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "Nested cell"
    body = doc.element.body
    body.insert(body.index(table._tbl) + 1, parse_xml(TRACKED))  # 5
    doc.add_paragraph("Line one\nline two")            # 6
    doc.add_comment(commented.runs, text="Reviewer: cite a source", author="R", initials="R")
    section = doc.sections[0]
    section.header.paragraphs[0].text = "Course header"
    section.footer.paragraphs[0].text = "Page footer"
    second = doc.add_section()                         # 7: the paragraph ending section 1
    second.header.is_linked_to_previous = True         # linked: not repeated
    doc.add_paragraph("Section two text")             # 8
    doc.save(path)
    add_footnotes(path)
    return path


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> Path:
    return build_doc(tmp_path_factory.mktemp("doc") / "doc.docx")


def test_body_paragraphs_numbered_as_a_reader_counts(document):
    body = parts(segments(document), "body")
    assert [(s.index, s.text) for s in body] == [
        (1, "Intro"), (3, "Host paragraph"), (4, "Commented claim"),
        (5, "Kept inserted end"), (6, "Line one\nline two"), (8, "Section two text")]
    assert all(s.unit == "paragraph" and s.path == "doc.docx" for s in body)


def test_body_paragraph_texts_helper(document):
    texts = body_paragraph_texts(docx.Document(document))
    assert texts[:4] == ["Intro", "", "Host paragraph", "Commented claim"]
    assert len(texts) == 8 and texts[6] == ""


def test_table_cells(document):
    cells = parts(segments(document), "table")
    egfr = next(s for s in cells if "1.159" in s.text)
    assert (egfr.index, egfr.row, egfr.col) == (4, 2, 2)
    assert egfr.context == "Column: Equation | Row: CKD-EPI 2009 | eGFR × 1.159 if Black"
    merged = [s for s in cells if s.text.startswith("Merged")]
    assert [(s.row, s.col) for s in merged] == [(3, 1)]          # horizontal merge once
    assert merged[0].context == "Column: Test | Row: Merged | x"
    x = next(s for s in cells if s.text == "x")
    assert x.col == 3                                           # grid column after the span
    assert len([s for s in cells if s.text == "Note"]) == 1      # vertical merge once
    assert any(s.text == "Nested cell" and s.index == 4 for s in cells)


def test_textbox(document):
    boxes = parts(segments(document), "textbox")
    assert [(s.index, s.text) for s in boxes] == [
        (3, "Box: race is not biology\nSecond box line")]       # fallback copy not repeated


def test_tracked_changes(document):
    text = "\n".join(s.text for s in segments(document))
    assert "inserted" in text and "deleted" not in text


def test_headers_footers_comments_footnotes(document):
    segs = segments(document)
    assert [(s.index, s.text) for s in parts(segs, "header")] == [(1, "Course header")]
    assert [(s.index, s.text) for s in parts(segs, "footer")] == [(1, "Page footer")]
    assert [(s.index, s.text) for s in parts(segs, "comment")] == [(4, "Reviewer: cite a source")]
    assert [(s.index, s.text) for s in parts(segs, "footnote")] == [
        (1, "First note."), (2, "Second note.")]


def rewrite(src: Path, dst: Path, member: str, old: bytes, new: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == member:
                assert old in data
                data = data.replace(old, new)
            zout.writestr(info, data)
    return dst


DOC_CT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.mark.parametrize("suffix, content_type", [
    (".docm", b"application/vnd.ms-word.document.macroEnabled.main+xml"),
    (".dotx", b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
])
def test_macro_and_template_content_types(document, tmp_path, suffix, content_type):
    path = rewrite(document, tmp_path / f"doc{suffix}", "[Content_Types].xml", DOC_CT, content_type)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert parts(segments(path), "body")[0].text == "Intro"
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert sniff(path).format == "docx"


def test_strict_ooxml_diagnostic(document, tmp_path):
    path = rewrite(document, tmp_path / "strict.docx", "_rels/.rels",
                   b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                   b"officeDocument",
                   b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
    with pytest.raises(ExtractError, match="^Strict Open XML document: open it in Word and save"):
        list(extract(path, "strict.docx"))


def test_corrupt_and_renamed(document, tmp_path):
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(document.read_bytes()[:3000])
    with pytest.raises(ExtractError, match="corrupt"):
        list(extract(truncated, "truncated.docx"))
    renamed = tmp_path / "upload.bin"
    renamed.write_bytes(document.read_bytes())
    assert sniff(renamed).format == "docx"
    result = extract_path(renamed, "upload.bin", "docx")
    assert any("1.159" in s.text for s in result.segments)


def test_external_entity_not_resolved(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("placeholder")
    path = tmp_path / "xxe.docx"
    doc.save(path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    with zipfile.ZipFile(path) as zin:
        xml = zin.read("word/document.xml")
    xml = xml.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY ent SYSTEM "' + secret.as_uri().encode()
                      + b'">]>', 1).replace(b">placeholder<", b">before &ent; after<")
    rewrite(path, tmp_path / "xxe2.docx", "word/document.xml",
            zipfile.ZipFile(path).read("word/document.xml"), xml)
    texts = [s.text for s in segments(tmp_path / "xxe2.docx")]
    assert texts == ["before  after"]


# ---------------------------------------------------------------- real-world corpus

EXTS = {".docx", ".docm", ".dotx"}


@pytest.fixture(scope="module")
def rw_results(read_realworld):
    results = read_realworld("docx", EXTS)
    assert len(results) >= 90
    return results


def test_realworld_status_as_manifest_says(manifest_fails, rw_results):
    still_failing = manifest_fails("docx") - {"docx/poi/45690.docm", "docx/poi/test.dotx"}
    wrong = []
    for rel, (result, _) in rw_results.items():
        expected = "error" if rel in still_failing else "ok"
        if result.status != expected:
            wrong.append(f"{rel}: {result.status} {result.error}")
        if result.status == "error":
            assert result.error and "\n" not in result.error
            assert "could not read this" not in result.error, rel
    assert not wrong, "\n".join(wrong)


def test_realworld_specific_results(rw_results):
    def segs(name):
        return rw_results[name][1]

    assert any(s.part == "textbox" and s.text for s in segs("docx/mammoth/text-box.docx"))
    comments = parts(segs("docx/mammoth/comments.docx"), "comment")
    assert comments and comments[0].index == 1
    assert parts(segs("docx/mammoth/footnotes.docx"), "footnote")
    assert parts(segs("docx/mammoth/endnotes.docx"), "endnote")

    result, _ = rw_results["docx/mammoth/strict-format.docx"]
    assert result.status == "error" and result.error.startswith("Strict Open XML document")
    result, _ = rw_results["docx/poi/truncated62886.docx"]
    assert result.status == "error" and "corrupt or truncated" in result.error

    result, found = rw_results["docx/poi/ExternalEntityInText.docx"]
    assert result.status == "ok"
    text = " ".join(s.text for s in found)
    assert "Here should not be the POI web site" in text and "poi.apache.org" not in text
    assert "Apache" not in text.split("web site", 1)[1]

    for name in ("docx/poi/45690.docm", "docx/poi/test.dotx"):
        assert rw_results[name][0].status == "ok" and segs(name), name

    delins = " ".join(s.text for s in segs("docx/poi/delins.docx"))
    assert "Maang Tika" not in delins                       # deleted text left out

    bank = segs("docx/question-banks/qformat_mcqcsv__demo.docx")   # a Word question bank
    assert len({s.index for s in bank if s.unit == "question"}) == 4
