"""PDF copies: every finding becomes a sticky note (a text annotation) on its page, in the
margin beside the line where the flagged words start.

The words are found with PDFium, which the extractor reads pages with: a finding's span is
in the cleaned page text, so the raw character that starts it is the first whose cleaned
prefix reaches the span (cleaning never shortens a prefix, so a binary search finds it).

The notes are written by pypdf as an incremental update: the copy is the original's bytes
with the annotations appended, so nothing else in the file changes (a signature stays
valid). The copy is read back; where the original numbers its objects wrongly, so that an
appended note would resolve to another object, the PDF is rewritten whole instead.
"""
from __future__ import annotations

import io
import logging
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.constants import AnnotationFlag
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, FloatObject, NameObject

from curriclint.annotate import AnnotateError
from curriclint.annotate.describe import Note
from curriclint.extract import ANNOTATION_MARK
from curriclint.extract.pdf import clean_text
from curriclint.model import FileResult

ICON = 18          # points: the note icon's width and height
GAP = 2            # points between the icon and the text it marks
COLOUR = (1.0, 0.78, 0.2)


def write(source: Path, result: FileResult, notes: list[Note], target: Path) -> None:
    data = source.read_bytes()
    with _pypdf_quiet():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise AnnotateError("encrypted PDF: curriclint does not write into protected "
                                    "PDFs; remove the protection, then check and annotate it again")
            positions = _positions(source, notes)
            expected = _own_notes(reader) + Counter(page for page, _ in positions)
            appended = lambda: PdfWriter(io.BytesIO(data), incremental=True)  # noqa: E731
            rewritten = lambda: PdfWriter(clone_from=PdfReader(io.BytesIO(data)))  # noqa: E731
            for writer in (appended, rewritten):
                copy = _with_notes(writer(), notes, positions)
                if _own_notes(PdfReader(io.BytesIO(copy))) == expected:
                    target.write_bytes(copy)
                    return
        except PyPdfError as exc:
            raise AnnotateError(f"cannot add notes to this PDF ({type(exc).__name__}: "
                                f"{str(exc).splitlines()[0][:120] if str(exc) else 'no detail'}); "
                                "re-export it and try again") from None
    raise AnnotateError("the notes added to this PDF cannot be read back (its structure is "
                        "damaged); re-export it and try again")


def _with_notes(writer: PdfWriter, notes: list[Note], positions) -> bytes:
    for note, (page, rect) in zip(notes, positions):
        writer.add_annotation(page - 1, _sticky_note(note, rect))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _own_notes(reader: PdfReader) -> Counter:
    """How many notes by curriclint each page has."""
    return Counter(number for number, page in enumerate(reader.pages, start=1)
                   for ref in page.get("/Annots") or []
                   if ref.get_object().get("/T") == ANNOTATION_MARK)


@contextmanager
def _pypdf_quiet():
    """pypdf logs every repair it makes to a damaged file; the user needs none of them."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _sticky_note(note: Note, rect: tuple[float, float, float, float]) -> Text:
    annotation = Text(rect=rect, text="\n".join(note.lines()), title_bar=ANNOTATION_MARK,
                      flags=AnnotationFlag.NO_ZOOM | AnnotationFlag.NO_ROTATE)
    annotation[NameObject("/Name")] = NameObject("/Comment")
    annotation[NameObject("/C")] = ArrayObject(FloatObject(c) for c in COLOUR)
    return annotation


def _positions(source: Path, notes: list[Note]) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page number, icon rectangle) for each note: in the margin left of the line holding
    the flagged words' first character (further left for a second note on that line), or at
    the page's top left when the words cannot be found."""
    pdf = pdfium.PdfDocument(source)
    try:
        placed: list[tuple[int, tuple[float, float, float, float]]] = []
        for note in notes:
            number = note.finding.location["index"]
            if not 1 <= number <= len(pdf):
                raise AnnotateError(f"page {number} of the report is not in the PDF (changed "
                                    "since it was checked?); check and annotate it again")
            page = pdf[number - 1]
            try:
                rect = _icon_rect(page, note.finding.span[0])
                left = float(page.get_bbox()[0])
            finally:
                page.close()
            while rect[0] - ICON - GAP >= left and any(
                    p == number and _overlap(rect, r) for p, r in placed):
                rect = (rect[0] - ICON - GAP, rect[1], rect[2] - ICON - GAP, rect[3])
            placed.append((number, rect))
        return placed
    finally:
        pdf.close()


def _icon_rect(page, start: int) -> tuple[float, float, float, float]:
    left, bottom, _, top = (float(v) for v in page.get_bbox())
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()
        count = min(len(raw), textpage.count_chars())
        index = _raw_index(raw, start)
        while index < count and raw[index].isspace():
            index += 1
        if index >= count:
            return (left + GAP, top - ICON - GAP, left + GAP + ICON, top - GAP)
        char_top = textpage.get_charbox(index)[3]
        line_left = _line_left(textpage, raw, count, index)
    finally:
        textpage.close()
    x = max(left + GAP, line_left - GAP - ICON)
    y = min(top, max(bottom + ICON, char_top))
    return (x, y - ICON, x + ICON, y)


def _line_left(textpage, raw: str, count: int, index: int) -> float:
    """The left edge of the text line through character ``index``."""
    _, low, _, high = textpage.get_charbox(index)
    middle = (low + high) / 2
    lefts = [box[0] for i in range(count) if not raw[i].isspace()
             and (box := textpage.get_charbox(i))[1] <= middle <= box[3]]
    return min(lefts, default=textpage.get_charbox(index)[0])


def _raw_index(raw: str, start: int) -> int:
    """The index of the raw character that becomes character ``start`` of the cleaned text:
    the shortest prefix whose cleaned text is longer than ``start``, less one."""
    low, high = 0, len(raw)
    while low < high:
        middle = (low + high) // 2
        if len(clean_text(raw[:middle + 1])) > start:
            high = middle
        else:
            low = middle + 1
    return low


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
