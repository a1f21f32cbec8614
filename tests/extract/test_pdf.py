"""PDF extractor: generated PDFs (fpdf2) for exact behaviour, the real-world corpus for
robustness. Real-world tests skip unless CURRICLINT_REALWORLD is set."""
from __future__ import annotations

from pathlib import Path

import pytest

from curriclint.config import Config
from curriclint.discover import Target
from curriclint.extract import ExtractError, extract_path
from curriclint.extract.pdf import (
    BLANK_PAGES, ENCRYPTED, NO_PAGES, NO_TEXT, clean_text, extract, page_ranges,
)
from curriclint.model import Notice, Segment
from curriclint.runner import read_target

fpdf = pytest.importorskip("fpdf")

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _new_pdf(unicode: bool = False):
    pdf = fpdf.FPDF()
    pdf.set_auto_page_break(False)
    if unicode and DEJAVU.exists():
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        pdf.set_font("DejaVu", size=12)
    else:
        pdf.set_font("helvetica", size=12)
    return pdf


def _lines(pdf, *lines: str) -> None:
    pdf.add_page()
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")


def _write(pdf, path: Path) -> Path:
    pdf.output(str(path))
    return path


def _items(path: Path) -> tuple[list[Segment], list[str]]:
    items = list(extract(path, path.name))
    return ([i for i in items if isinstance(i, Segment)],
            [i.text for i in items if isinstance(i, Notice)])


def _error(path: Path) -> str:
    with pytest.raises(ExtractError) as info:
        list(extract(path, path.name))
    return str(info.value)


# --- generated PDFs -----------------------------------------------------------------------

TIMES = "\u00d7" if DEJAVU.exists() else "x"


def test_three_pages_text_and_numbers(tmp_path):
    pdf = _new_pdf(unicode=True)
    _lines(pdf, "Renal physiology", "Patients with hyper-", "tension and non-", "Black patients.")
    _lines(pdf, f"eGFR {TIMES} 1.159 if African American")
    _lines(pdf, "Sickle cell disease occurs in many ancestries.")
    path = _write(pdf, tmp_path / "lecture.pdf")

    segments, notices = _items(path)

    assert [(s.unit, s.index, s.part) for s in segments] == [
        ("page", 1, "body"), ("page", 2, "body"), ("page", 3, "body")]
    assert all(s.path == "lecture.pdf" for s in segments)
    first = segments[0].text
    assert "hypertension" in first and "hyper-" not in first
    assert "non-Black patients" in first
    assert first.startswith("Renal physiology\n")
    assert segments[1].text == f"eGFR {TIMES} 1.159 if African American"
    assert segments[2].text == "Sickle cell disease occurs in many ancestries."
    assert notices == []


def test_through_extract_path_and_runner(tmp_path):
    pdf = _new_pdf()
    _lines(pdf, "eGFR x 1.159 if African American")
    path = _write(pdf, tmp_path / "renamed.bin")  # sniffed by content, not by name

    result, segments = read_target(Target(path, "renamed.bin", True), Config())

    assert result.status == "ok" and result.format == "pdf"
    assert [s.text for s in segments] == ["eGFR x 1.159 if African American"]
    assert extract_path(path, "x.pdf", "pdf").segments[0].index == 1


def test_empty_page_in_between_is_named(tmp_path):
    pdf = _new_pdf()
    _lines(pdf, "Page one text.")
    pdf.add_page()  # nothing on it
    _lines(pdf, "Page three text.")
    path = _write(pdf, tmp_path / "gap.pdf")

    segments, notices = _items(path)

    assert [s.index for s in segments] == [1, 3]
    assert notices == ["page 2 has no text layer (images only?): run OCR to lint it"]


def test_image_only_pages_listed_compactly(tmp_path):
    pdf = _new_pdf()
    _lines(pdf, "Text.")
    for _ in range(4):  # pages 2-5: drawings only
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    _lines(pdf, "More text.")
    pdf.add_page()
    pdf.circle(x=50, y=50, radius=20, style="D")  # page 7
    path = _write(pdf, tmp_path / "figures.pdf")

    segments, notices = _items(path)

    assert [s.index for s in segments] == [1, 6]
    assert notices == ["pages 2-5, 7 have no text layer (images only?): run OCR to lint them"]


def test_drawings_only_is_no_text_layer_error(tmp_path):
    pdf = _new_pdf()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
        pdf.line(10, 10, 150, 200)
    path = _write(pdf, tmp_path / "scan.pdf")

    assert _error(path) == NO_TEXT


def test_only_blank_pages(tmp_path):
    pdf = _new_pdf()
    pdf.add_page()
    pdf.add_page()
    path = _write(pdf, tmp_path / "blank.pdf")

    assert _error(path) == BLANK_PAGES
    assert BLANK_PAGES.startswith("PDF has no pages")


def test_zero_pages(tmp_path):
    body = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Count 0 /Kids [] >>\nendobj\n")
    xref = len(body)
    body += (b"xref\n0 3\n0000000000 65535 f \n%010d 00000 n \n%010d 00000 n \n"
             b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
             % (body.index(b"1 0 obj"), body.index(b"2 0 obj"), xref))
    path = tmp_path / "zero.pdf"
    path.write_bytes(body)

    assert _error(path) == NO_PAGES


def test_user_password_is_encrypted_error(tmp_path):
    pdf = _new_pdf()
    _lines(pdf, "Secret lecture.")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    path = _write(pdf, tmp_path / "locked.pdf")

    assert _error(path) == ENCRYPTED
    result, _ = read_target(Target(path, "locked.pdf", True), Config())
    assert (result.status, result.error) == ("error", ENCRYPTED)


def test_empty_user_password_opens(tmp_path):
    pdf = _new_pdf()
    _lines(pdf, "Owner-only protection.")
    pdf.set_encryption(owner_password="owner")
    path = _write(pdf, tmp_path / "owner-only.pdf")

    segments, notices = _items(path)

    assert [s.text for s in segments] == ["Owner-only protection."]
    assert notices == []


def test_corrupt_and_truncated(tmp_path):
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4\n" + b"\x00not a pdf" * 200)
    assert _error(garbage).startswith("corrupt PDF: ")
    assert _error(garbage).endswith("; re-export it")

    pdf = _new_pdf()
    for n in range(3):
        _lines(pdf, f"Page {n} " + "text " * 200)
    data = _write(pdf, tmp_path / "full.pdf").read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 3])
    result, _ = read_target(Target(truncated, "truncated.pdf", True), Config())
    assert result.status == "error"
    assert result.error == ("corrupt PDF: not a valid PDF structure (damaged or truncated); "
                            "re-export it")


def test_no_files_written_beside_input(tmp_path):
    pdf = _new_pdf()
    _lines(pdf, "Text.")
    path = _write(pdf, tmp_path / "one.pdf")
    before = sorted(tmp_path.iterdir())
    _items(path)
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize("raw, expected", [
    ("hyper-\ntension", "hypertension"),
    ("hyper-\r\ntension", "hypertension"),
    ("non-\nBlack", "non-Black"),
    ("hyper\ufffetension", "hypertension"),      # PDFium's line-end hyphen marker
    ("non\ufffeBlack", "non-Black"),
    ("hyper\u00ad\ntension", "hypertension"),     # soft hyphen
    ("1.159-\n2", "1.159-\n2"),                   # not letters: left alone
    ("well-\n\nknown", "well-\n\nknown"),         # a paragraph break is not hyphenation
    ("e\ufb03cient \ufb01rst \ufb02ow o\ufb00 ba\ufb04e", "efficient first flow off baffle"),
    ("a\x00b\x07c\x1bd", "abcd"),
    ("a  \t b\u00a0 c", "a b c"),
    ("line one  \r\n  line two\rline three", "line one\nline two\nline three"),
    ("a\n\n\n\nb", "a\n\nb"),
    ("zero\u200bwidth\ufeff", "zerowidth"),
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_page_ranges():
    assert page_ranges([3, 7]) == "3, 7"
    assert page_ranges([3, 4, 5, 6, 7, 8, 9, 12]) == "3-9, 12"
    assert page_ranges([1, 2, 4, 5]) == "1-2, 4-5"
    assert page_ranges([]) == ""


# --- real-world corpus ---------------------------------------------------------------------

EMPTY_FILE = "empty file (0 bytes): not a PDF file; re-export it"
# MANIFEST "NO-TEXT" / 0 chars. scancode__patchelf.pdf's only content stream does not
# decompress, so PDFium sees no objects at all and the page renders pure white: it gets the
# "no pages with content" error rather than the OCR one (OCR of a white page finds nothing).
NO_TEXT_FILES = {
    "contrib__issue-1057-tiff-predictor.pdf", "contrib__issue_1165_linewidth.pdf",
    "contrib__pdf-with-jbig2.pdf", "simple2.pdf", "test_pattern_colors.pdf",
    "issue-203-decimalize.pdf", "encryption__encrypted_doc_no_id.pdf",
}
BLANK_FILES = {
    "scancode__patchelf.pdf",
    # MANIFEST says zero pages (pdfminer cannot parse its xref); the page tree does hold
    # one page, with no /Contents, which PDFium reads: a PDF with only blank pages.
    "issue-297-example.pdf",
}
EMPTY_USER_PASSWORD = {
    "contrib__issue-00352-asw-oct96-p41.pdf", "contrib__issue-00352-hash-twos-complement.pdf",
    "contrib__issue-625-identity-cmap.pdf", "nonfree__kampo.pdf", "pr-138-example.pdf",
}
RECURSIVE_ANNOTS = {"federal-register-2020-17221.pdf", "contrib__pr-00530-ml-lines.pdf"}


def _manifest_pdfs(realworld: Path) -> dict[str, str]:
    """file name -> the MANIFEST's "opens with library" column, for every PDF row."""
    rows = {}
    for line in (realworld / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and cells[0].startswith("`pdf/"):
            rows.setdefault(Path(cells[0].strip("`")).name, cells[-1])
    return rows


def _expected_error(name: str, opens: str) -> str | None:
    if name in NO_TEXT_FILES:
        return NO_TEXT
    if name in BLANK_FILES:
        return BLANK_PAGES
    if name == "empty.pdf":
        return EMPTY_FILE
    if name.startswith(("encryption__aes-", "encryption__rc4-")) or name == "password-example.pdf":
        return ENCRYPTED
    assert opens.startswith("yes"), f"{name}: MANIFEST says {opens!r}; classify it here"
    return None


@pytest.fixture(scope="module")
def realworld_results(realworld):
    pdfs = sorted((realworld / "pdf").rglob("*.pdf"))
    assert len(pdfs) >= 100
    results = {}
    for path in pdfs:
        result, segments = read_target(Target(path, str(path), True), Config())
        results[path.name] = (result, segments)
    return results


@pytest.mark.realworld
def test_realworld_every_pdf_as_manifest_says(realworld, realworld_results):
    manifest = _manifest_pdfs(realworld)
    assert set(realworld_results) <= set(manifest)
    wrong = []
    for name, (result, segments) in realworld_results.items():
        expected = _expected_error(name, manifest[name])
        if expected is None:
            ok = (result.status == "ok" and result.format == "pdf" and segments
                  and all(s.text.strip() and s.unit == "page" and s.part == "body"
                          for s in segments))
        else:
            ok = result.status == "error" and result.error == expected and not segments
        if not ok:
            wrong.append(f"{name}: {result.status} {result.error!r} ({len(segments)} segments)")
    assert not wrong, "\n".join(wrong)


@pytest.mark.realworld
def test_realworld_special_cases(realworld_results):
    for name in EMPTY_USER_PASSWORD | RECURSIVE_ANNOTS:
        result, segments = realworld_results[name]
        assert result.status == "ok" and segments, name

    result, segments = realworld_results["chelsea_pdta.pdf"]
    assert result.status == "ok"
    assert "page 4 has no text layer (images only?): run OCR to lint it" in result.notices
    assert 4 not in {s.index for s in segments} and len(segments) == 64

    # physical page numbers, not labels (this file numbers its first pages i, ii, ...)
    _, segments = realworld_results["contrib__pagelabels.pdf"]
    assert [s.index for s in segments] == [1, 2, 3, 4, 5]

    # ligatures become letters
    _, segments = realworld_results["issue-598-example.pdf"]
    text = " ".join(s.text for s in segments)
    assert "\ufb01" not in text and "fi" in text

    _, segments = realworld_results["STD_HIV_Comprehensive_Educational_Content.pdf"]
    assert len(segments) == 299
    for _, segments in realworld_results.values():
        for seg in segments:
            assert "\r" not in seg.text and "\x00" not in seg.text and "  " not in seg.text
