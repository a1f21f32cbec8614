"""PowerPoint (.pptx/.pptm/.potx/.ppsx): one segment per text-bearing element of each slide.

Slides are numbered as the user sees them (presentation order, hidden slides included,
offset by ``firstSlideNum``). Parts: ``title``, ``body`` (text frames, also inside nested
groups), ``table`` (one segment per cell, with row/col and headers as context), ``notes``,
``alt_text``, ``chart`` (chart and axis titles) and ``smartart`` (text of the diagram data
part, which is not in any slide shape). The file is read into memory; nothing is written.
What ``curriclint annotate`` adds to a copy (a section at the end of the speaker notes, slide
comments) is its findings, not content: the notes are read up to that section's heading, and
slide comments are not read at all.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from curriclint.extract import NOTES_HEADING, ExtractError
from curriclint.extract.safety import ZIP_MEMBER_ERRORS, check_zip
from curriclint.model import Notice, Segment

PRES_MAIN_CT = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_ACCEPTED_CT = {PRES_MAIN_CT, "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"}
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC_RELTYPES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
}
DIAGRAM_URI = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
_DIAGRAM_DATA_RELTYPE = "/diagramData"
_TITLE_TYPES = ("TITLE", "CENTER_TITLE", "VERTICAL_TITLE")
_X_DESCR = etree.XPath("./*[starts-with(local-name(), 'nv')]/p:cNvPr/@descr", namespaces=NS)
_X_URI = etree.XPath("./a:graphic/a:graphicData/@uri", namespaces=NS)
_X_DM = etree.XPath("./a:graphic/a:graphicData/dgm:relIds/@r:dm", namespaces=NS)
_X_PARAS = etree.XPath(".//a:p", namespaces=NS)
_X_TEXTS = etree.XPath(".//a:t/text()", namespaces=NS)
_X_CACHE = etree.XPath(".//c:strCache//c:v/text()", namespaces=NS)
_X_PT_PARAS = etree.XPath("./dgm:t/a:p", namespaces=NS)


def clean_text(text: str) -> str:
    """Soft line breaks become newlines; trailing whitespace and blank edges go."""
    text = text.replace("\x0b", "\n").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n").rstrip()


def _xml_parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _parse(blob: bytes):
    return etree.fromstring(blob, _xml_parser())


def load_package_bytes(path: Path, main_ct: str, accepted: set[str], kind: str) -> bytes:
    """Read an OOXML package into memory; if its main part has a content type the library
    refuses (template, show, macro-enabled), rewrite ``[Content_Types].xml`` in memory."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf, f"{kind} file")
            names = set(zf.namelist())
            if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
                raise ExtractError(f"corrupt {kind} file: the package has no content types or "
                                   "relationships; re-save it")
            ct_xml = zf.read("[Content_Types].xml")
            rels_xml = zf.read("_rels/.rels")
            main = _main_partname(rels_xml)
            new_ct = _rewrite_content_types(ct_xml, main, main_ct, accepted)
            if new_ct is None:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
                for info in zf.infolist():
                    blob = new_ct if info.filename == "[Content_Types].xml" else zf.read(info)
                    dst.writestr(info.filename, blob)
            return out.getvalue()
    except zipfile.BadZipFile:
        raise ExtractError(f"corrupt or truncated {kind} file: the zip package cannot be read; "
                           "re-save or re-export it") from None
    except (*ZIP_MEMBER_ERRORS, OSError) as exc:
        raise ExtractError(f"corrupt {kind} file ({type(exc).__name__}: {exc}); "
                           "re-save or re-export it") from None


def _main_partname(rels_xml: bytes) -> str | None:
    try:
        root = _parse(rels_xml)
    except Exception:  # noqa: BLE001 - a broken .rels is reported by the library later
        return None
    for rel in root:
        if rel.get("Type") in _OFFICE_DOC_RELTYPES:
            target = rel.get("Target", "")
            return "/" + target.lstrip("/")
    return None


def _rewrite_content_types(ct_xml: bytes, main: str | None, main_ct: str,
                           accepted: set[str]) -> bytes | None:
    """New [Content_Types].xml bytes, or None when no change is needed."""
    if main is None:
        return None
    try:
        root = _parse(ct_xml)
    except etree.XMLSyntaxError:
        return None
    changed = False
    found = False
    for override in root.iter(f"{{{_CT_NS}}}Override"):
        if override.get("PartName", "").lower() == main.lower():
            found = True
            if override.get("ContentType") not in accepted:
                override.set("ContentType", main_ct)
                changed = True
    if not found:
        override = etree.SubElement(root, f"{{{_CT_NS}}}Override")
        override.set("PartName", main)
        override.set("ContentType", main_ct)
        changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
        if changed else None


def _open(path: Path):
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    data = load_package_bytes(path, PRES_MAIN_CT, _ACCEPTED_CT, "PowerPoint")
    try:
        return Presentation(io.BytesIO(data))
    except PackageNotFoundError:
        raise ExtractError("not a PowerPoint file: the package cannot be opened; re-save it "
                           "as .pptx") from None
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile, AttributeError,
            TypeError) as exc:
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise ExtractError(f"corrupt PowerPoint file ({type(exc).__name__}: {reason}); "
                           "open it in PowerPoint and save it again as .pptx") from None


def extract(path: Path, shown: str) -> Iterator[Segment | Notice]:
    prs = _open(path)
    try:
        first = int(prs.part._element.get("firstSlideNum", "1"))
    except (ValueError, TypeError):
        first = 1
    try:
        slides = list(prs.slides)
    except (KeyError, ValueError) as exc:
        raise ExtractError(f"corrupt PowerPoint file: its slide list cannot be read ({exc}); "
                           "re-save it") from None
    if not slides:
        yield Notice("presentation has no slides")
        return
    for position, slide in enumerate(slides):
        yield from _slide_segments(slide, shown, first + position)


def _slide_segments(slide, shown: str, number: int) -> Iterator[Segment]:
    hidden = True if slide._element.get("show") in ("0", "false") else None
    title = _slide_title(slide)
    title_context = f"Slide title: {title.replace(chr(10), ' ')}" if title else None

    def seg(part: str, text: str, **extra) -> Segment:
        context = extra.pop("context", title_context if part != "title" else None)
        return Segment(path=shown, unit="slide", index=number, part=part, text=text,
                       hidden=hidden, context=context, **extra)

    done_diagrams: set[str] = set()
    for shape in _iter_shapes(slide.shapes):
        yield from _shape_segments(shape, slide, seg, title, done_diagrams)
    # SmartArt fallback: diagram data parts the slide refers to but no frame reached.
    for rel in _safe_rels(slide.part):
        if rel.reltype.endswith(_DIAGRAM_DATA_RELTYPE) and not rel.is_external:
            try:
                part = rel.target_part
            except (KeyError, ValueError):
                continue
            if str(part.partname) in done_diagrams:
                continue
            done_diagrams.add(str(part.partname))
            for text in _diagram_texts(part):
                yield seg("smartart", text)
    notes = _notes_text(slide)
    if notes:
        yield seg("notes", notes)


def _safe_rels(part):
    try:
        return list(part.rels.values())
    except (KeyError, ValueError, AttributeError):
        return []


def _slide_title(slide) -> str:
    try:
        shape = slide.shapes.title
    except (KeyError, ValueError, AttributeError):
        return ""
    if shape is None or not getattr(shape, "has_text_frame", False):
        return ""
    return _frame_text(shape.text_frame)


def _iter_shapes(shapes) -> Iterator:
    """Every shape, descending into group shapes at any depth (groups themselves too, for
    their alt text)."""
    for shape in shapes:
        yield shape
        if _is_group(shape):
            yield from _iter_shapes(shape.shapes)


def _is_group(shape) -> bool:
    return shape._element.tag == f"{{{NS['p']}}}grpSp"


def _frame_text(frame) -> str:
    paragraphs = []
    for para in frame.paragraphs:
        paragraphs.append(para.text)
    return clean_text("\n".join(paragraphs))


def _is_title(shape) -> bool:
    if not shape.is_placeholder:
        return False
    try:
        return shape.placeholder_format.type is not None and \
            shape.placeholder_format.type.name in _TITLE_TYPES
    except (ValueError, KeyError, AttributeError):
        return False


def _shape_segments(shape, slide, seg, title: str, done_diagrams: set[str]) -> Iterator[Segment]:
    el = shape._element
    descr = _X_DESCR(el)
    if getattr(shape, "has_text_frame", False):
        text = _frame_text(shape.text_frame)
        if text:
            yield seg("title" if _is_title(shape) else "body", text)
    if getattr(shape, "has_table", False):
        yield from _table_segments(shape.table, seg, title)
    if getattr(shape, "has_chart", False):
        for text in _chart_texts(shape):
            yield seg("chart", text)
    uri = _X_URI(el)
    if uri and uri[0] == DIAGRAM_URI:
        rids = _X_DM(el)
        for rid in rids:
            try:
                part = slide.part.related_part(rid)
            except (KeyError, ValueError):
                continue
            done_diagrams.add(str(part.partname))
            for text in _diagram_texts(part):
                yield seg("smartart", text)
    if descr:
        text = clean_text(descr[0])
        if text:
            yield seg("alt_text", text)


def _table_segments(table, seg, title: str) -> Iterator[Segment]:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            spanned = cell.is_spanned
            cells.append((None if spanned else _frame_text(cell.text_frame), spanned))
        rows.append(cells)
    header = rows[0] if rows else []
    prefix = f"Slide title: {title.replace(chr(10), ' ')} | " if title else ""
    for r, cells in enumerate(rows, start=1):
        row_text = " | ".join(text.replace("\n", " ") for text, _ in cells if text)
        for c, (text, spanned) in enumerate(cells, start=1):
            if spanned or not text:
                continue
            parts = []
            head = header[c - 1][0] if r > 1 and c - 1 < len(header) else None
            if head:
                parts.append(f"Column: {head.replace(chr(10), ' ')}")
            parts.append(f"Row: {row_text}")
            yield seg("table", text, row=r, col=c, context=prefix + " | ".join(parts))


def _chart_texts(shape) -> Iterator[str]:
    try:
        space = shape.chart._chartSpace
    except (KeyError, ValueError, AttributeError):
        return
    for title in space.iter(f"{{{NS['c']}}}title"):
        paras = _X_PARAS(title)
        if paras:
            text = "\n".join("".join(_X_TEXTS(p)) for p in paras)
        else:
            text = " ".join(_X_CACHE(title))
        text = clean_text(text)
        if text:
            yield text


def _diagram_texts(part) -> Iterator[str]:
    """One text per SmartArt point (node) of a diagram data part."""
    try:
        element = getattr(part, "_element", None)
        root = element if element is not None else _parse(part.blob)
    except Exception:  # noqa: BLE001 - a broken diagram part loses only its own text
        return
    for pt in root.iter(f"{{{NS['dgm']}}}pt"):
        if pt.get("type") in ("parTrans", "sibTrans", "pres"):
            continue
        paras = _X_PT_PARAS(pt)
        text = clean_text("\n".join(
            "".join(_X_TEXTS(p)) for p in paras))
        if text:
            yield text


def _notes_text(slide) -> str:
    try:
        if not slide.has_notes_slide:
            return ""
        frame = slide.notes_slide.notes_text_frame
    except (KeyError, ValueError, AttributeError):
        return ""
    if frame is None:
        return ""
    texts = []
    for para in frame.paragraphs:
        if para.text.strip() == NOTES_HEADING:
            break
        texts.append(para.text)
    return clean_text("\n".join(texts))

