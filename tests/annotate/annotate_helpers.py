"""Reading an annotated copy back with the libraries a reader's software would use, and
comparing what `check` reports on a copy with what it reports on the original."""
from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from curriclint.extract import ANNOTATION_MARK, NOTES_HEADING

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
R_AUTHORS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/commentAuthors"


def rewrite(path: Path, change) -> None:
    """Rewrite a saved package member by member: change(name, data) -> new data; then
    change(None, None) may return {name: data} of members to add."""
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            zout.writestr(info, change(info.filename, data))
        for name, data in (change(None, None) or {}).items():
            zout.writestr(name, data)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def annotated(source: Path, check, ruleset, out: Path):
    """Check a built file and annotate it: (source, its sha256 before, result, copy)."""
    from curriclint.annotate import annotate_file

    before = sha256(source)
    result = check(source)
    return source, before, result, annotate_file(source, result, out, ruleset=ruleset)


def active(result) -> list:
    return [f for f in result.findings if f.suppressed is None]


def same_findings(original, copy) -> bool:
    """The copy reports exactly the original's findings (rule, place, span, words)."""
    def key(result):
        return sorted((f.rule_id, tuple(sorted(f.location.items())), f.span, f.text)
                      for f in active(result))
    return key(original) == key(copy)


# ---------------------------------------------------------------- Word

@dataclass
class WordComment:
    author: str
    text: str
    anchored: str      # the document text between the comment's range marks
    links: list[str]   # hyperlink targets inside the comment


def word_comments(path: Path) -> dict[int, WordComment]:
    """Every comment of a .docx by id, with the text its range covers."""
    import docx

    document = docx.Document(str(path))
    anchored = _ranges(document.element.body)
    out = {}
    for comment in document.comments:
        links = [comment.part.rels[link.get(f"{{{R}}}id")].target_ref
                 for link in comment._comment_elm.iter(f"{{{W}}}hyperlink")]
        out[comment.comment_id] = WordComment(comment.author, comment.text,
                                              anchored.get(comment.comment_id, ""), links)
    return out


def _ranges(body) -> dict[int, str]:
    open_ids: list[int] = []
    texts: dict[int, list[str]] = {}
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if event == "start" and tag == f"{{{W}}}commentRangeStart":
            cid = int(el.get(f"{{{W}}}id"))
            open_ids.append(cid)
            texts[cid] = []
        elif event == "start" and tag == f"{{{W}}}commentRangeEnd":
            cid = int(el.get(f"{{{W}}}id"))
            if cid in open_ids:
                open_ids.remove(cid)
        elif event == "start" and tag == f"{{{W}}}t":
            for cid in open_ids:
                texts[cid].append(el.text or "")
        elif event == "end" and tag == f"{{{W}}}p":
            for cid in open_ids:
                texts[cid].append("\n")
    return {cid: "".join(parts).strip("\n") for cid, parts in texts.items()}


def curriclint_word_comments(path: Path) -> list[WordComment]:
    return [c for c in word_comments(path).values() if c.author == ANNOTATION_MARK]


# ---------------------------------------------------------------- PowerPoint

@dataclass
class SlideComment:
    author: str
    text: str
    x: int
    y: int


def slide_comments(path: Path) -> dict[int, list[SlideComment]]:
    """Legacy comments by slide number (1-based position), read through python-pptx's
    package: the comments part related from each slide, authors from the presentation."""
    from pptx import Presentation

    prs = Presentation(str(path))
    try:
        authors_root = etree.fromstring(prs.part.part_related_by(R_AUTHORS).blob)
    except KeyError:
        return {}
    names = {a.get("id"): a.get("name") for a in authors_root.iter(f"{{{P}}}cmAuthor")}
    out: dict[int, list[SlideComment]] = {}
    for number, slide in enumerate(prs.slides, start=1):
        try:
            part = slide.part.part_related_by(R_COMMENTS)
        except KeyError:
            continue
        assert part.content_type == "application/vnd.openxmlformats-officedocument.presentationml.comments+xml"
        for cm in etree.fromstring(part.blob).iter(f"{{{P}}}cm"):
            pos = cm.find(f"{{{P}}}pos")
            out.setdefault(number, []).append(SlideComment(
                names.get(cm.get("authorId")), cm.findtext(f"{{{P}}}text"),
                int(pos.get("x")), int(pos.get("y"))))
    return out


def curriclint_notes(path: Path) -> dict[int, list[str]]:
    """The paragraphs after the curriclint heading in each slide's speaker notes."""
    from pptx import Presentation

    out = {}
    for number, slide in enumerate(Presentation(str(path)).slides, start=1):
        if not slide.has_notes_slide:
            continue
        paragraphs = [p.text for p in slide.notes_slide.notes_text_frame.paragraphs]
        if NOTES_HEADING in paragraphs:
            out[number] = paragraphs[paragraphs.index(NOTES_HEADING) + 1:]
    return out


# ---------------------------------------------------------------- PDF

def pdf_notes(path: Path) -> dict[int, list[dict]]:
    """Text annotations by page number: author, contents and rectangle."""
    from pypdf import PdfReader

    out: dict[int, list[dict]] = {}
    for number, page in enumerate(PdfReader(str(path)).pages, start=1):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Text":
                out.setdefault(number, []).append({
                    "author": annot.get("/T"), "text": annot.get("/Contents"),
                    "rect": [float(v) for v in annot["/Rect"]]})
    return out


def text_boxes(path: Path, page: int, words: str) -> list[tuple[float, float, float, float]]:
    """Boxes (left, bottom, right, top) of each occurrence of ``words`` on a page, as PDFium
    finds them."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        textpage = pdf[page - 1].get_textpage()
        searcher = textpage.search(words)
        boxes = []
        while (hit := searcher.get_next()) is not None:
            index, _count = hit
            boxes.append(textpage.get_charbox(index))
        return boxes
    finally:
        pdf.close()


# ---------------------------------------------------------------- review workbook

def workbook_sheets(path: Path) -> dict[str, list[dict]]:
    """Each sheet's rows as dictionaries keyed by the header row."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheets = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        sheets[sheet.title] = [dict(zip(rows[0], row)) for row in rows[1:]]
    return sheets
