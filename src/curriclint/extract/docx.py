"""Word (.docx/.docm/.dotx): body paragraphs, tables, text boxes, headers/footers,
footnotes/endnotes and comments.

python-docx opens the package (from memory; templates and macro-enabled documents get their
main content type rewritten in memory first); the text itself is read from the XML, so
tracked insertions count, deletions do not, and text boxes, content controls and fields
are not lost. Paragraphs are numbered as a reader counts body paragraphs (empty ones
included); tables, text boxes and comments take the number of their paragraph. Comments
written by ``curriclint annotate`` are its findings, not content, and are not read.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from curriclint.extract import ANNOTATION_MARK, ExtractError, wordbank
from curriclint.extract.pptx import clean_text, load_package_bytes
from curriclint.model import Segment

DOC_MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ACCEPTED_CT = {DOC_MAIN_CT}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_STRICT_MARK = b"http://purl.oclc.org/ooxml/"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


W_P, W_TBL, W_TR, W_TC, W_T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("t")
W_SDT, W_SDTCONTENT, W_CUSTOMXML = _w("sdt"), _w("sdtContent"), _w("customXml")
W_TXBX = _w("txbxContent")
W_VAL = _w("val")
W_ID = _w("id")
W_TYPE = _w("type")
MC_ALT, MC_CHOICE, MC_FALLBACK = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback"
R_ID = f"{{{_R}}}id"
# Subtrees whose text a reader does not see in the paragraph itself.
_SKIP = frozenset({
    _w("del"), _w("moveFrom"), _w("delText"), _w("instrText"), _w("delInstrText"),
    _w("pPr"), _w("rPr"), _w("sectPr"), W_TXBX, MC_FALLBACK, _w("fldData"),
})
_CHARS = {_w("tab"): "\t", _w("ptab"): "\t", _w("br"): "\n", _w("cr"): "\n",
          _w("noBreakHyphen"): "-"}
_NOTE_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True)


# ---------------------------------------------------------------- opening the package

def _open(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    data = load_package_bytes(path, DOC_MAIN_CT, _ACCEPTED_CT, "Word")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            rels = zf.read("_rels/.rels")
        except KeyError:
            rels = b""
    if _STRICT_MARK in rels:
        raise ExtractError("Strict Open XML document: open it in Word and save as a standard "
                           ".docx (Word Document)")
    try:
        return docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise ExtractError("not a Word file: the package cannot be opened; re-save it as .docx") \
            from None
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile, AttributeError,
            TypeError) as exc:
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise ExtractError(f"corrupt Word file ({type(exc).__name__}: {reason}); open it in Word "
                           "and save it again as .docx") from None


# ---------------------------------------------------------------- text of the XML

def paragraph_text(p) -> str:
    """A paragraph's visible text: runs joined, insertions kept, deletions, field codes and
    text boxes (read separately) left out."""
    out: list[str] = []
    _collect(p, out)
    return clean_text("".join(out))


def _collect(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W_T:
            # An unresolved entity reference stays a child node: keep the text around it,
            # never the entity.
            out.append(child.text or "")
            out.extend(sub.tail or "" for sub in child)
        elif tag in _CHARS:
            out.append(_CHARS[tag])
        else:
            _collect(child, out)


def _blocks(container) -> Iterator[tuple[str, object]]:
    """('p', element) and ('tbl', element) at block level, in document order, looking through
    content controls, custom XML and alternate content."""
    for child in container:
        tag = child.tag
        if tag == W_P:
            yield "p", child
        elif tag == W_TBL:
            yield "tbl", child
        elif tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _blocks(content)
        elif tag == W_CUSTOMXML:
            yield from _blocks(child)
        elif tag == MC_ALT:
            choice = child.find(MC_CHOICE)
            if choice is not None:
                yield from _blocks(choice)


def _ancestor(el, tag):
    """The nearest enclosing element with this tag, or None."""
    parent = el.getparent()
    while parent is not None:
        if parent.tag == tag:
            return parent
        parent = parent.getparent()
    return None


def _part_paragraph_texts(root) -> list[str]:
    """Every visible paragraph of a part (header, note, comment, text box), in order."""
    return [paragraph_text(p) for p in root.iter(W_P) if _ancestor(p, MC_FALLBACK) is None]


def _joined(texts: list[str]) -> str:
    return clean_text("\n".join(t for t in texts if t))


def _textboxes(block) -> Iterator[str]:
    for box in block.iter(W_TXBX):
        if _ancestor(box, MC_FALLBACK) is not None:
            continue
        texts = [paragraph_text(p) for p in box.iter(W_P) if _ancestor(p, W_TXBX) is box]
        text = _joined(texts)
        if text:
            yield text


def body_paragraph_texts(document) -> list[str]:
    """The text of every body paragraph, in order, empty ones included (so position + 1 is
    the paragraph number used as ``index``)."""
    return [paragraph_text(el) for kind, el in _blocks(document.element.body) if kind == "p"]


# ---------------------------------------------------------------- extraction

def extract(path: Path, shown: str) -> Iterator[Segment]:
    document = _open(path)
    texts = body_paragraph_texts(document)
    bank = wordbank.bank_segments(texts, shown)
    if bank is not None:
        yield from bank
        return
    yield from _body_segments(document, shown, texts)


def _body_segments(document, shown: str, texts: list[str]) -> Iterator[Segment]:
    def seg(part: str, index: int, text: str, **extra) -> Segment:
        return Segment(path=shown, unit="paragraph", index=index, part=part, text=text, **extra)

    anchors: dict[str, int] = {}
    number = 0
    for kind, el in _blocks(document.element.body):
        if kind == "p":
            number += 1
            text = texts[number - 1] if number <= len(texts) else paragraph_text(el)
            if text:
                yield seg("body", number, text)
        else:
            yield from _table_segments(el, max(number, 1), seg)
        here = max(number, 1)
        for mark in el.iter(_w("commentRangeStart"), _w("commentReference")):
            anchors.setdefault(mark.get(W_ID, ""), here)
        for text in _textboxes(el):
            yield seg("textbox", here, text)
    yield from _header_footer_segments(document, seg)
    yield from _note_segments(document, seg)
    yield from _comment_segments(document, seg, anchors)


def _table_segments(tbl, index: int, seg) -> Iterator[Segment]:
    rows: list[list[tuple[int, str, bool, object]]] = []
    for tr in tbl.iter(W_TR):
        if _owner_table(tr) is not tbl:
            continue
        grid = 0
        before = tr.find(f"{_w('trPr')}/{_w('gridBefore')}")
        if before is not None:
            grid = _int(before.get(W_VAL), 0)
        cells = []
        for tc in tr.iter(W_TC):
            if _owner_row(tc) is not tr:
                continue
            span = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
            vmerge = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
            continued = vmerge is not None and vmerge.get(W_VAL) != "restart"
            cell_texts = [paragraph_text(el) for kind, el in _blocks(tc) if kind == "p"]
            cells.append((grid + 1, _joined(cell_texts), continued, tc))
            grid += max(_int(span.get(W_VAL) if span is not None else None, 1), 1)
        rows.append(cells)
    header = {col: text for col, text, continued, _ in rows[0] if not continued} if rows else {}
    for r, cells in enumerate(rows, start=1):
        row_text = " | ".join(t.replace("\n", " ") for _, t, continued, _ in cells
                              if t and not continued)
        for col, text, continued, tc in cells:
            if text and not continued:
                parts = []
                head = header.get(col) if r > 1 else None
                if head:
                    parts.append(f"Column: {head.replace(chr(10), ' ')}")
                parts.append(f"Row: {row_text}")
                yield seg("table", index, text, row=r, col=col, context=" | ".join(parts))
            for kind, nested in _blocks(tc):
                if kind == "tbl":
                    yield from _table_segments(nested, index, seg)


def _owner_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != W_TBL:
        parent = parent.getparent()
    return parent


def _owner_row(el):
    parent = el.getparent()
    while parent is not None and parent.tag != W_TR:
        parent = parent.getparent()
    return parent


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _part_root(part):
    element = getattr(part, "element", None)
    if element is not None and hasattr(element, "iter"):
        return element
    try:
        return etree.fromstring(part.blob, _parser())
    except (etree.XMLSyntaxError, ValueError, TypeError):
        return None


def _related(part, suffix: str) -> Iterator:
    try:
        rels = list(part.rels.values())
    except (KeyError, ValueError, AttributeError):
        return
    for rel in rels:
        if rel.is_external or not rel.reltype.endswith(suffix):
            continue
        try:
            yield rel.target_part
        except (KeyError, ValueError):
            continue


def _header_footer_segments(document, seg) -> Iterator[Segment]:
    seen_parts: set[str] = set()
    seen_texts: set[tuple[str, str]] = set()
    try:
        sections = list(document.sections)
    except (KeyError, ValueError, AttributeError):
        return
    for number, section in enumerate(sections, start=1):
        for ref in section._sectPr.iter(_w("headerReference"), _w("footerReference")):
            kind = "header" if ref.tag == _w("headerReference") else "footer"
            try:
                part = document.part.rels[ref.get(R_ID)].target_part
            except (KeyError, ValueError, AttributeError):
                continue
            name = str(part.partname)
            if name in seen_parts:
                continue
            seen_parts.add(name)
            root = _part_root(part)
            if root is None:
                continue
            text = _joined(_part_paragraph_texts(root))
            if text and (kind, text) not in seen_texts:
                seen_texts.add((kind, text))
                yield seg(kind, number, text)


def _note_segments(document, seg) -> Iterator[Segment]:
    for kind in ("footnote", "endnote"):
        for part in _related(document.part, f"/{kind}s"):
            root = _part_root(part)
            if root is None:
                continue
            order = 0
            for note in root.iter(_w(kind)):
                if note.get(W_TYPE) in _NOTE_SEPARATORS or _int(note.get(W_ID), 0) <= 0:
                    continue
                order += 1
                text = _joined(_part_paragraph_texts(note))
                if text:
                    yield seg(kind, order, text)


def _comment_segments(document, seg, anchors: dict[str, int]) -> Iterator[Segment]:
    for part in _related(document.part, "/comments"):
        root = _part_root(part)
        if root is None:
            continue
        for order, comment in enumerate(root.iter(_w("comment")), start=1):
            if comment.get(_w("author")) == ANNOTATION_MARK:
                continue
            text = _joined(_part_paragraph_texts(comment))
            if text:
                yield seg("comment", anchors.get(comment.get(W_ID, ""), order), text)
