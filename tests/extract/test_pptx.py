"""PowerPoint extractor: decks built with python-pptx for exact behaviour, the real-world
corpus for robustness. Real-world tests skip unless CURRICLINT_REALWORLD is set."""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from curriclint.extract import ExtractError, extract_path
from curriclint.extract.pptx import extract
from curriclint.extract.sniff import sniff
from curriclint.model import Notice, Segment

EGFR = "eGFR × 1.159 if African American"


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def segments(path: Path, shown: str = "deck.pptx") -> list[Segment]:
    return [item for item in extract(path, shown) if isinstance(item, Segment)]


def build_deck(path: Path) -> Path:
    prs = Presentation()
    # slide 1: title, body, nested groups, table, notes, picture with alt text, chart
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Renal function"
    body = slide.placeholders[1].text_frame
    body.text = "Kidney basics  "
    body.add_paragraph().text = "Second line"
    outer = slide.shapes.add_group_shape()
    outer.shapes.add_textbox(Inches(0), Inches(0), Inches(1), Inches(1)).text_frame.text = \
        "Outer group text"
    inner = outer.shapes.add_group_shape()
    inner.shapes.add_textbox(Inches(1), Inches(1), Inches(1), Inches(1)).text_frame.text = \
        "Deeply grouped text"
    table = slide.shapes.add_table(3, 2, Inches(1), Inches(4), Inches(6), Inches(2)).table
    for r, row in enumerate([("Name", "Equation"), ("CKD-EPI 2009", "eGFR × 1.159 if Black"),
                             ("CKD-EPI 2021", "")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    slide.notes_slide.notes_text_frame.text = "Say this\x0bout loud"
    pic = slide.shapes.add_picture(io.BytesIO(tiny_png()), Inches(7), Inches(1))
    pic._element.nvPicPr.cNvPr.set("descr", "Photo of a kidney")
    data = CategoryChartData()
    data.categories = ["2009", "2021"]
    data.add_series("eGFR", (1.0, 2.0))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(5), Inches(1),
                                   Inches(3), Inches(2), data).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = "eGFR by equation"
    chart.value_axis.has_title = True
    chart.value_axis.axis_title.text_frame.text = "mL/min/1.73 m²"
    # slide 2: hidden
    hidden = prs.slides.add_slide(prs.slide_layouts[1])
    hidden.shapes.title.text = "Backup slide"
    hidden.placeholders[1].text_frame.text = "Hidden body"
    hidden._element.set("show", "0")
    # slide 3: merged table cells, no title
    third = prs.slides.add_slide(prs.slide_layouts[6])
    merged = third.shapes.add_table(2, 2, Inches(1), Inches(1), Inches(4), Inches(1)).table
    merged.cell(0, 0).merge(merged.cell(0, 1))
    merged.cell(0, 0).text = "Spanning header"
    merged.cell(1, 0).text = "a"
    merged.cell(1, 1).text = "b"
    prs.save(path)
    return path


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    return build_deck(tmp_path_factory.mktemp("deck") / "deck.pptx")


def by_part(segs: list[Segment], part: str, index: int | None = None) -> list[Segment]:
    return [s for s in segs if s.part == part and (index is None or s.index == index)]


def test_title_body_and_slide_context(deck):
    segs = segments(deck)
    title = by_part(segs, "title", 1)
    assert [s.text for s in title] == ["Renal function"]
    assert title[0].context is None and title[0].unit == "slide" and title[0].path == "deck.pptx"
    body = by_part(segs, "body", 1)
    assert body[0].text == "Kidney basics\nSecond line"  # paragraphs joined, trailing space gone
    assert all(s.context == "Slide title: Renal function" for s in body)


def test_nested_group_text(deck):
    texts = [s.text for s in by_part(segments(deck), "body", 1)]
    assert "Outer group text" in texts and "Deeply grouped text" in texts


def test_table_cells_with_row_col_and_header_context(deck):
    cells = by_part(segments(deck), "table", 1)
    cell = next(s for s in cells if "1.159" in s.text)
    assert (cell.row, cell.col) == (2, 2)
    assert cell.context == ("Slide title: Renal function | Column: Equation | "
                            "Row: CKD-EPI 2009 | eGFR × 1.159 if Black")
    assert not any(s.text == "" for s in cells)  # the empty cell is skipped
    assert {(s.row, s.col) for s in cells} == {(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)}


def test_merged_cells_emitted_once(deck):
    cells = by_part(segments(deck), "table", 3)
    assert [(s.row, s.col, s.text) for s in cells] == [
        (1, 1, "Spanning header"), (2, 1, "a"), (2, 2, "b")]
    assert cells[1].context == "Column: Spanning header | Row: a | b"  # no title on slide 3


def test_notes_alt_text_chart(deck):
    segs = segments(deck)
    notes = by_part(segs, "notes", 1)
    assert [s.text for s in notes] == ["Say this\nout loud"]
    assert notes[0].context == "Slide title: Renal function"
    assert [s.text for s in by_part(segs, "alt_text", 1)] == ["Photo of a kidney"]
    charts = [s.text for s in by_part(segs, "chart", 1)]
    assert "eGFR by equation" in charts and "mL/min/1.73 m²" in charts


def test_hidden_slide_and_numbers(deck):
    segs = segments(deck)
    assert {s.index for s in segs} == {1, 2, 3}
    assert all(s.hidden is True for s in segs if s.index == 2)
    assert all(s.hidden is None for s in segs if s.index != 2)
    assert [s.text for s in by_part(segs, "title", 2)] == ["Backup slide"]
    assert by_part(segs, "body", 2)[0].to_dict()["hidden"] is True


def test_first_slide_number_offset(tmp_path):
    path = build_deck(tmp_path / "offset.pptx")
    prs = Presentation(path)
    prs.part._element.set("firstSlideNum", "0")
    prs.save(path)
    assert {s.index for s in segments(path)} == {0, 1, 2}


def test_renamed_bin_sniffed_and_extracted(deck, tmp_path):
    renamed = tmp_path / "upload.bin"
    renamed.write_bytes(deck.read_bytes())
    sniffed = sniff(renamed)
    assert sniffed.format == "pptx" and sniffed.error is None
    result = extract_path(renamed, "upload.bin", sniffed.format)
    assert any(s.part == "table" and "1.159" in s.text for s in result.segments)


def rewrite_main_content_type(src: Path, dst: Path, content_type: str) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = re.sub(rb"application/vnd\.openxmlformats-officedocument\.presentationml"
                              rb"\.presentation\.main\+xml", content_type.encode(), data)
                assert content_type.encode() in data
            zout.writestr(info, data)
    return dst


@pytest.mark.parametrize("suffix, content_type", [
    (".potx", "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"),
    (".ppsx", "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml"),
    (".pptm", "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"),
])
def test_template_and_show_content_types(deck, tmp_path, suffix, content_type):
    path = rewrite_main_content_type(deck, tmp_path / f"deck{suffix}", content_type)
    before = sorted(p.name for p in tmp_path.iterdir())
    segs = segments(path)
    assert by_part(segs, "title", 1)[0].text == "Renal function"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written beside it
    assert sniff(path).format == "pptx"


def test_sixty_slide_deck_locations(tmp_path, long_deck):
    path = long_deck(tmp_path / "long.pptx")
    hits = [s for s in segments(path) if "1.159" in s.text]
    assert [(s.index, s.part) for s in hits] == [(14, "table"), (20, "notes")]
    assert (hits[0].row, hits[0].col, hits[0].text) == (2, 2, EGFR)
    assert "Column: Adjustment" in hits[0].context


def test_no_slides_notice(tmp_path):
    path = tmp_path / "empty.pptx"
    Presentation().save(path)
    assert list(extract(path, "empty.pptx")) == [Notice("presentation has no slides")]


def test_missing_part_still_extracts(deck, tmp_path):
    broken = tmp_path / "broken.pptx"
    with zipfile.ZipFile(deck) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            if info.filename.startswith(("ppt/media/", "ppt/charts/", "ppt/notesSlides/")):
                continue
            zout.writestr(info, zin.read(info))
    segs = segments(broken)
    assert by_part(segs, "title", 1)[0].text == "Renal function"
    assert by_part(segs, "alt_text", 1)[0].text == "Photo of a kidney"
    assert not by_part(segs, "chart") and not by_part(segs, "notes")


def test_corrupt_package_is_extract_error(deck, tmp_path):
    truncated = tmp_path / "truncated.pptx"
    truncated.write_bytes(deck.read_bytes()[:2000])
    with pytest.raises(ExtractError, match="corrupt"):
        list(extract(truncated, "truncated.pptx"))


def test_smartart_from_diagram_data(tmp_path):
    """A SmartArt frame: text comes from the diagram data part the frame's r:dm points to."""
    path = build_deck(tmp_path / "smart.pptx")
    data_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst>'
        '<dgm:pt modelId="1" type="doc"><dgm:t><a:p/></dgm:t></dgm:pt>'
        '<dgm:pt modelId="2"><dgm:t><a:bodyPr/><a:p><a:r><a:t>Race is a </a:t></a:r>'
        '<a:r><a:t>social construct</a:t></a:r></a:p></dgm:t></dgm:pt>'
        '<dgm:pt modelId="3" type="sibTrans"><dgm:t><a:p><a:r><a:t>x</a:t></a:r></a:p></dgm:t>'
        '</dgm:pt></dgm:ptLst></dgm:dataModel>')
    frame = (
        '<p:graphicFrame xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<p:nvGraphicFramePr><p:cNvPr id="99" name="Diagram"/><p:cNvGraphicFramePr/><p:nvPr/>'
        '</p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="10" cy="10"/></p:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram">'
        '<dgm:relIds xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'r:dm="rId90" r:lo="rId91" r:qs="rId92" r:cs="rId93"/></a:graphicData></a:graphic>'
        '</p:graphicFrame>')
    rel = ('<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/'
           '2006/relationships/diagramData" Target="../diagrams/data1.xml"/>')
    out = tmp_path / "smart2.pptx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "ppt/slides/slide3.xml":
                data = data.replace(b"</p:spTree>", frame.encode() + b"</p:spTree>")
            elif info.filename == "ppt/slides/_rels/slide3.xml.rels":
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/ppt/diagrams/data1.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                                    b'drawingml.diagramData+xml"/></Types>')
            zout.writestr(info, data)
        zout.writestr("ppt/diagrams/data1.xml", data_xml)
    smart = by_part(segments(out), "smartart")
    assert [(s.index, s.text) for s in smart] == [(3, "Race is a social construct")]


# ---------------------------------------------------------------- real-world corpus

EXTS = {".pptx", ".pptm", ".potx", ".ppsx"}


@pytest.fixture(scope="module")
def rw_results(read_realworld):
    results = read_realworld("pptx", EXTS)
    assert len(results) >= 90
    return results


def test_realworld_status_as_manifest_says(manifest_fails, rw_results):
    fails = manifest_fails("pptx")
    still_failing = fails - {"pptx/poi/bug59273.potx", "pptx/poi/testPPT.ppsx"}
    wrong = []
    for rel, (result, segs) in rw_results.items():
        expected = "error" if rel in still_failing else "ok"
        if result.status != expected:
            wrong.append(f"{rel}: {result.status} {result.error}")
        if result.status == "error":
            assert result.error and "\n" not in result.error
            assert "could not read this" not in result.error, rel  # no unclassified crash
    assert not wrong, "\n".join(wrong)


def test_realworld_specific_results(rw_results):
    _, segs = rw_results["pptx/poi/smartart-simple.pptx"]
    assert {s.text for s in segs if s.part == "smartart"} >= {"abc", "def", "ghi"}

    _, segs = rw_results["pptx/medical-lectures/hbc__drawings.pptx"]
    assert len([s for s in segs if s.part == "body"]) > 50  # text from nested groups

    result, _ = rw_results["pptx/medical-lectures/HIV_Class_Presentation.pptx"]
    assert result.status == "error" and result.error.startswith("not a PowerPoint file")

    result, segs = rw_results["pptx/python-pptx/no-slides.pptx"]
    assert result.status == "ok" and not segs
    assert "presentation has no slides" in result.notices

    for name in ("pptx/poi/bug59273.potx", "pptx/poi/testPPT.ppsx", "pptx/poi/SimpleMacro.pptm"):
        assert rw_results[name][0].status == "ok", name
    _, segs = rw_results["pptx/poi/testPPT.ppsx"]
    assert segs

    _, segs = rw_results["pptx/poi/aascu.org_hbcu_leadershipsummit_cooper_.pptx"]
    assert any(s.part == "table" and s.row and s.col for s in segs)
