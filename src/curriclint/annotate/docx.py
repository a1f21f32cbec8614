"""Word copies: every finding becomes a Word comment anchored on the flagged words.

Paragraphs, table cells and text boxes are found the way the Word extractor numbers them,
and runs are split so that the comment covers exactly the flagged characters. Word keeps
comments in the document body only, so a finding in a header, footer, footnote or reviewer
comment is anchored nearby (the section's first paragraph, the note's reference mark, the
commented paragraph), and so is one whose words cannot be matched to the runs; its comment
says where the words are.
"""
from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.run import Run

from curriclint.annotate.describe import Note
from curriclint.annotate.package import check_reopens, restore_main_content_type
from curriclint.extract import ANNOTATION_MARK
from curriclint.extract.docx import (
    _CHARS, _NOTE_SEPARATORS, _SKIP, MC_FALLBACK, W_P, W_T, W_TC, W_TR, W_TXBX, W_VAL,
    _ancestor, _blocks, _int, _joined, _open, _owner_row, _owner_table, _related, _part_root,
    paragraph_text,
)
from curriclint.model import FileResult

INITIALS = "CL"
W_R, W_RPR = qn("w:r"), qn("w:rPr")
_PART_NAMES = {"header": "page header", "footer": "page footer", "footnote": "footnote",
               "endnote": "endnote", "comment": "a reviewer's comment"}


@dataclass
class _Text:
    """A stretch of document text as the extractor sees it, with where each raw character
    lives: a ``w:t`` and the offset in it, a tab or break element (offset None), or
    nothing (the line break the extractor puts between paragraphs)."""

    raw: str
    sources: list[tuple[object, int | None] | None]
    clean: str


@dataclass
class _Anchor:
    first: object  # w:r
    last: object   # w:r
    exact: bool
    where: str | None = None  # for an inexact anchor: where the flagged words really are


def write(source: Path, result: FileResult, notes: list[Note], target: Path) -> None:
    document = _open(source)
    places = _Places(document)
    for note in notes:
        anchor = places.anchor(note.finding)
        comment = document.add_comment([Run(anchor.first, document), Run(anchor.last, document)],
                                       text="\n".join(_comment_lines(note, anchor)),
                                       author=ANNOTATION_MARK, initials=INITIALS)
        for reference in note.references:
            _add_reference(comment, reference)
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(buffer.getvalue())
    restore_main_content_type(target, source)
    check_reopens(target, _open)


def _comment_lines(note: Note, anchor: _Anchor) -> list[str]:
    lines = [note.headline, note.flagged, note.instead]
    if not anchor.exact:
        lines.append(f"(curriclint could not mark these words themselves: {anchor.where}.)")
    return lines


def _add_reference(comment, reference) -> None:
    """A paragraph 'Reference: citation' with the link as a real hyperlink."""
    paragraph = comment.add_paragraph(f"Reference: {reference.citation}")
    if not reference.href:
        return
    paragraph.add_run(" ")
    r_id = comment.part.relate_to(reference.href, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink", attrs={qn("r:id"): r_id})
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    props.append(OxmlElement("w:color", attrs={qn("w:val"): "0563C1"}))
    props.append(OxmlElement("w:u", attrs={qn("w:val"): "single"}))
    run.append(props)
    text = OxmlElement("w:t")
    text.text = reference.label or reference.href
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


# ---------------------------------------------------------------- where the extractor's units are

class _Places:
    """The document's paragraphs, tables and text boxes under the numbers the extractor
    gives them, and the anchor for a finding."""

    def __init__(self, document):
        self.document = document
        self.paragraphs: dict[int, object] = {}
        self.tables: dict[int, list] = {}
        self.boxes: dict[int, list] = {}
        self.section_starts: dict[int, object] = {}
        number, section = 0, 1
        for kind, el in _blocks(document.element.body):
            if kind == "p":
                number += 1
                self.paragraphs[number] = el
                if section not in self.section_starts and paragraph_text(el):
                    self.section_starts[section] = el
                if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                    section += 1
            else:
                self.tables.setdefault(max(number, 1), []).append(el)
            for box in el.iter(W_TXBX):
                if _ancestor(box, MC_FALLBACK) is None:
                    self.boxes.setdefault(max(number, 1), []).append(box)

    def anchor(self, finding) -> _Anchor:
        loc = finding.location
        part, index = loc["part"], loc["index"]
        if part == "body" and index in self.paragraphs:
            texts = [_paragraph_text(self.paragraphs[index])]
        elif part == "table":
            texts = [_cell_text(tc) for tc in self._cells(index, loc.get("row"), loc.get("col"))]
        elif part == "textbox":
            texts = [_box_text(box) for box in self.boxes.get(index, [])]
        else:
            return self._nearby(finding)
        for text in texts:
            if text.clean[finding.span[0]:finding.span[1]] == finding.text:
                runs = _isolate(text, *finding.span)
                if runs is not None:
                    return _Anchor(*runs, exact=True)
        return self._nearby(finding)

    def _cells(self, index: int, row: int | None, col: int | None):
        for table in self.tables.get(index, []):
            yield from (tc for r, c, tc in _table_cells(table) if (r, c) == (row, col))

    def _nearby(self, finding) -> _Anchor:
        """An anchor for words Word cannot hold a comment on, or that were not matched."""
        loc = finding.location
        part, index = loc["part"], loc["index"]
        if part in ("footnote", "endnote"):
            mark = self._note_reference(part, index)
            if mark is not None:
                return _Anchor(mark, mark, exact=False,
                               where=f"they are in {part} {index}, marked here")
        if part in ("header", "footer"):
            paragraph = self.section_starts.get(index)
            where = f"they are in the {_PART_NAMES[part]} of section {index}"
        else:
            paragraph = self.paragraphs.get(index)
            where = (f"they are in {_PART_NAMES[part]} on this paragraph" if part == "comment"
                     else "this comment marks their whole paragraph")
        first, last = _whole(paragraph if paragraph is not None else self._first_paragraph())
        return _Anchor(first, last, exact=False, where=where)

    def _first_paragraph(self):
        """The first body paragraph with text, or any paragraph, or a new one."""
        with_text = [p for p in self.paragraphs.values() if paragraph_text(p)]
        if with_text:
            return with_text[0]
        if self.paragraphs:
            return self.paragraphs[min(self.paragraphs)]
        return self.document.add_paragraph()._p

    def _note_reference(self, kind: str, order: int):
        """The run holding the reference mark of the ``order``-th footnote or endnote."""
        for part in _related(self.document.part, f"/{kind}s"):
            root = _part_root(part)
            if root is None:
                continue
            notes = [n for n in root.iter(qn(f"w:{kind}"))
                     if n.get(qn("w:type")) not in _NOTE_SEPARATORS and _int(n.get(qn("w:id")), 0) > 0]
            if order > len(notes):
                return None
            note_id = notes[order - 1].get(qn("w:id"))
            for mark in self.document.element.body.iter(qn(f"w:{kind}Reference")):
                if mark.get(qn("w:id")) == note_id and mark.getparent().tag == W_R:
                    return mark.getparent()
        return None


def _table_cells(table):
    """(row, col, w:tc) of a table and the tables nested in it, numbered as the extractor
    numbers them: rows from 1, columns by grid position (gridBefore and gridSpan count)."""
    rows = [tr for tr in table.iter(W_TR) if _owner_table(tr) is table]
    for r, tr in enumerate(rows, start=1):
        before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        grid = _int(before.get(W_VAL), 0) if before is not None else 0
        for tc in (tc for tc in tr.iter(W_TC) if _owner_row(tc) is tr):
            yield r, grid + 1, tc
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            grid += max(_int(span.get(W_VAL) if span is not None else None, 1), 1)
            for kind, nested in _blocks(tc):
                if kind == "tbl":
                    yield from _table_cells(nested)


# ---------------------------------------------------------------- text with its sources

def _paragraph_text(p) -> _Text:
    raw, sources = _raw(p)
    return _Text(raw, sources, paragraph_text(p))


def _cell_text(tc) -> _Text:
    return _joined_text([el for kind, el in _blocks(tc) if kind == "p"])


def _box_text(box) -> _Text:
    return _joined_text([p for p in box.iter(W_P) if _ancestor(p, W_TXBX) is box])


def _joined_text(paragraphs) -> _Text:
    """Paragraphs read as one segment: the extractor joins them with line breaks."""
    raw, sources = "", []
    for p in paragraphs:
        text, where = _raw(p)
        if raw:
            raw, sources = raw + "\n", sources + [None]
        raw, sources = raw + text, sources + where
    return _Text(raw, sources, _joined([paragraph_text(p) for p in paragraphs]))


def _raw(el) -> tuple[str, list]:
    """The text the extractor collects from ``el`` before cleaning, and each character's
    source, walking the same elements (deletions, field codes and text boxes left out)."""
    chars: list[str] = []
    sources: list = []
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W_T:
            text = child.text or ""
            chars.append(text)
            sources.extend((child, i) for i in range(len(text)))
            for sub in child:  # an unresolved entity's tail: text, but no place to split
                chars.append(sub.tail or "")
                sources.extend([None] * len(sub.tail or ""))
        elif tag in _CHARS:
            chars.append(_CHARS[tag])
            sources.append((child, None))
        else:
            text, where = _raw(child)
            chars.append(text)
            sources.extend(where)
    return "".join(chars), sources


def _align(raw: str, clean: str) -> list[int] | None:
    """For each character of the cleaned text, its position in the raw text. Cleaning only
    drops characters (line-end spaces, blank edges) and turns soft breaks into newlines, so a
    greedy walk finds them; None if it does not."""
    positions: list[int] = []
    k = 0
    for ch in clean:
        while k < len(raw) and raw[k].replace("\x0b", "\n").replace("\r", "\n") != ch:
            k += 1
        if k == len(raw):
            return None
        positions.append(k)
        k += 1
    return positions


# ---------------------------------------------------------------- splitting runs

def _isolate(text: _Text, start: int, end: int) -> tuple[object, object] | None:
    """Split runs so that the characters ``start:end`` of the cleaned text are whole runs;
    return the first and last of them, or None when the characters have no runs to split."""
    positions = _align(text.raw, text.clean)
    if positions is None or not 0 <= start < end <= len(positions):
        return None
    first, last = positions[start], positions[end - 1]
    while first <= last and text.sources[first] is None:
        first += 1
    while last >= first and text.sources[last] is None:
        last -= 1
    if first > last:
        return None
    first_el, first_at = text.sources[first]
    last_el, last_at = text.sources[last]
    if first_el.getparent().tag != W_R or last_el.getparent().tag != W_R:
        return None
    _split_after(last_el, last_at)
    if first_at:  # inside a w:t: its text from here on moves to a new w:t
        moved = _split_text(first_el, first_at)
        if last_el is first_el:
            last_el = moved
        first_el = moved
    first_run = _split_before(first_el)
    return first_run, last_el.getparent()


def _split_text(t, at: int):
    """Cut a w:t at ``at``: it keeps the text before, a new w:t right after it the rest."""
    rest = copy.deepcopy(t)
    rest.text, t.text = t.text[at:], t.text[:at]
    for el in (t, rest):
        el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.addnext(rest)
    return rest


def _split_after(el, at: int | None) -> None:
    """End a run right after character ``at`` of ``el`` (or after the element itself)."""
    if at is not None and at < len(el.text or "") - 1:
        _split_text(el, at + 1)
    following = el.getnext()
    if following is not None:
        _split_before(following)


def _split_before(el):
    """Start a new run at ``el`` (a child of a run); return the run that begins with it."""
    run = el.getparent()
    content = [child for child in run if child.tag != W_RPR]
    if content and content[0] is el:
        return run
    new_run = copy.deepcopy(run)
    for child in list(new_run):
        if child.tag != W_RPR:
            new_run.remove(child)
    moving = content[content.index(el):]
    for child in moving:
        new_run.append(child)
    run.addnext(new_run)
    return new_run


def _whole(paragraph) -> tuple[object, object]:
    """The first and last run with text of a paragraph, or a new empty run to hold the
    comment when it has none."""
    runs = [r for r in paragraph.iter(W_R) if _raw(r)[0].strip()
            and _ancestor(r, W_TXBX) is None]
    if runs:
        return runs[0], runs[-1]
    run = OxmlElement("w:r")
    paragraph.append(run)
    return run, run
