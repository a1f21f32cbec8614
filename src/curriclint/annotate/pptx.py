"""PowerPoint copies: every finding becomes a comment on its slide, placed at the flagged
shape, and the slide's speaker notes end with a section listing its findings.

python-pptx has no comments API, so the comments are PowerPoint's (legacy) comment parts:
``ppt/commentAuthors.xml``, related from the presentation, and one
``ppt/comments/commentN.xml`` per slide, related from the slide. The notes section starts
with ``NOTES_HEADING``; the extractor reads notes up to it, so checking the copy finds what
the original notes say and nothing curriclint added.
"""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI

from curriclint.annotate import AnnotateError
from curriclint.annotate.describe import Note
from curriclint.annotate.package import check_reopens, restore_main_content_type
from curriclint.extract import ANNOTATION_MARK, NOTES_HEADING
from curriclint.extract.pptx import (
    DIAGRAM_URI, _X_DESCR, _X_URI, _chart_texts, _frame_text, _is_title, _iter_shapes, _open,
)
from curriclint.model import FileResult

INITIALS = "CL"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
# Legacy comment positions are in PowerPoint's master units, 576 to the inch.
EMU_PER_MASTER_UNIT = 914400 / 576
# A second comment at the same spot is moved right by this much, so both markers show.
STACK_STEP = 144


def _p(name: str) -> str:
    return f"{{{P_NS}}}{name}"


@dataclass(frozen=True)
class _Place:
    where: str  # 'shape “Title 1”', 'table cell r3c3 of “Table 3”', 'the speaker notes'
    x: int      # EMU from the slide's top left
    y: int


def write(source: Path, result: FileResult, notes: list[Note], target: Path) -> None:
    prs = _open(source)
    try:
        first = int(prs.part._element.get("firstSlideNum", "1"))
    except (TypeError, ValueError):
        first = 1
    slides = list(prs.slides)
    by_slide: dict[int, list[Note]] = {}
    for note in notes:
        by_slide.setdefault(note.finding.location["index"], []).append(note)
    if by_slide:
        authors = _Authors(prs)
        for number, slide_notes in by_slide.items():
            if not 0 <= number - first < len(slides):
                raise AnnotateError(f"slide {number} of the report is not in the deck (changed "
                                    "since it was checked?); check and annotate it again")
            slide = slides[number - first]
            places = [_place(slide, note.finding) for note in slide_notes]
            _append_notes(slide, slide_notes, places)
            _add_comments(slide, slide_notes, places, authors)
        authors.save()
    buffer = io.BytesIO()
    prs.save(buffer)
    target.write_bytes(buffer.getvalue())
    restore_main_content_type(target, source)
    check_reopens(target, _open)


# ---------------------------------------------------------------- where on the slide

def _place(slide, finding) -> _Place:
    """The shape a finding is in (found as the extractor reads it) and its position."""
    loc = finding.location
    part = loc["part"]
    start, end = finding.span
    for shape in _iter_shapes(slide.shapes):
        if part in ("title", "body") and getattr(shape, "has_text_frame", False) \
                and _is_title(shape) == (part == "title") \
                and _frame_text(shape.text_frame)[start:end] == finding.text:
            return _Place(f"shape “{shape.name}”", *_corner(shape))
        if part == "table" and getattr(shape, "has_table", False):
            place = _cell_place(shape, loc.get("row"), loc.get("col"), finding)
            if place is not None:
                return place
        if part == "alt_text" and _X_DESCR(shape._element) \
                and finding.text in _X_DESCR(shape._element)[0]:
            return _Place(f"the alt text of “{shape.name}”", *_corner(shape))
        if part == "chart" and getattr(shape, "has_chart", False) \
                and any(finding.text in text for text in _chart_texts(shape)):
            return _Place(f"chart “{shape.name}”", *_corner(shape))
        if part == "smartart" and _X_URI(shape._element) == [DIAGRAM_URI]:
            return _Place(f"SmartArt “{shape.name}”", *_corner(shape))
    return _Place("the speaker notes" if part == "notes" else f"the slide's {part.replace('_', ' ')}",
                  0, 0)


def _cell_place(shape, row: int | None, col: int | None, finding) -> _Place | None:
    table = shape.table
    if row is None or col is None or row > len(table.rows) or col > len(table.columns):
        return None
    cell = table.cell(row - 1, col - 1)
    if _frame_text(cell.text_frame)[finding.span[0]:finding.span[1]] != finding.text:
        return None
    x, y = _corner(shape)
    x += sum(column.width for column in list(table.columns)[:col - 1])
    y += sum(r.height for r in list(table.rows)[:row - 1])
    return _Place(f"table cell r{row}c{col} of “{shape.name}”", x, y)


def _corner(shape) -> tuple[int, int]:
    return int(shape.left or 0), int(shape.top or 0)


# ---------------------------------------------------------------- speaker notes

def _append_notes(slide, notes: list[Note], places: list[_Place]) -> None:
    """Add the heading and one paragraph per finding (lines broken inside it) at the end of
    the speaker notes, creating the notes page if the slide has none."""
    frame = slide.notes_slide.notes_text_frame
    if frame is None:
        return
    frame.add_paragraph()
    frame.add_paragraph().text = NOTES_HEADING
    for note, place in zip(notes, places):
        lines = [f"{note.headline} — in {place.where}", note.flagged, note.instead]
        lines += [reference.line for reference in note.references]
        frame.add_paragraph().text = "\v".join(lines)


# ---------------------------------------------------------------- slide comments

class _Authors:
    """The deck's comment-author list, with curriclint in it."""

    def __init__(self, prs):
        try:
            self.part = prs.part.part_related_by(RT.COMMENT_AUTHORS)
            self.root = etree.fromstring(self.part.blob, _parser())
        except KeyError:
            self.root = etree.Element(_p("cmAuthorLst"), nsmap={"p": P_NS})
            self.part = Part(PackURI("/ppt/commentAuthors.xml"), CT.PML_COMMENT_AUTHORS,
                             prs.part.package, b"")
            prs.part.relate_to(self.part, RT.COMMENT_AUTHORS)
        authors = list(self.root.iter(_p("cmAuthor")))
        mine = [a for a in authors if a.get("name") == ANNOTATION_MARK]
        if mine:
            self.author = mine[0]
        else:
            number = str(max((int(a.get("id", "0")) for a in authors), default=-1) + 1)
            self.author = etree.SubElement(self.root, _p("cmAuthor"), id=number,
                                           name=ANNOTATION_MARK, initials=INITIALS,
                                           lastIdx="0", clrIdx=number)

    @property
    def id(self) -> str:
        return self.author.get("id")

    def next_index(self) -> str:
        index = str(int(self.author.get("lastIdx", "0")) + 1)
        self.author.set("lastIdx", index)
        return index

    def save(self) -> None:
        self.part.blob = _serialize(self.root)


def _add_comments(slide, notes: list[Note], places: list[_Place], authors: _Authors) -> None:
    try:
        part = slide.part.part_related_by(RT.COMMENTS)
        root = etree.fromstring(part.blob, _parser())
    except KeyError:
        package = slide.part.package
        part = Part(package.next_partname("/ppt/comments/comment%d.xml"), CT.PML_COMMENTS,
                    package, b"")
        slide.part.relate_to(part, RT.COMMENTS)
        root = etree.Element(_p("cmLst"), nsmap={"p": P_NS})
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000")
    taken: Counter = Counter()
    for note, place in zip(notes, places):
        x, y = round(place.x / EMU_PER_MASTER_UNIT), round(place.y / EMU_PER_MASTER_UNIT)
        shift = taken[(x, y)] * STACK_STEP
        taken[(x, y)] += 1
        comment = etree.SubElement(root, _p("cm"), authorId=authors.id, dt=stamp,
                                   idx=authors.next_index())
        etree.SubElement(comment, _p("pos"), x=str(x + shift), y=str(y))
        etree.SubElement(comment, _p("text")).text = "\n".join(
            [note.headline, note.flagged, note.instead,
             f"Where: {place.where}. References: in the speaker notes."])
    part.blob = _serialize(root)


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True)


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
