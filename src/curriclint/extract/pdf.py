"""PDF: one segment per page, from PDFium's text layer (pypdfium2).

pypdfium2 is about 100x faster than pdfplumber here (~1,200 vs ~12 pages/s). There is no
pdfplumber fallback: on the real-world corpus PDFium opens every PDF pdfplumber opens (the
ones it refuses, password-encrypted and empty files, pdfplumber refuses too), and on
truncated copies of real files pdfplumber never read one that PDFium could not. PDFium's
text is also better on overprinted "fake bold" and vertical CJK; pdfminer is better only
on CJK fonts that lack a ToUnicode map (kampo, pr-136), which English rules do not need.

Each page becomes ``Segment(unit="page", index=<physical page number>, part="body")``;
page labels (roman numerals) are not used. Pages without text are left out and named in a
notice; a PDF with no text at all is an error (it needs OCR), unless it has nothing at all
on its pages (blank, or content that cannot be decoded), which OCR cannot help.
Documents with an empty user password open without one (PDFium tries it itself).
Annotations (comments, sticky notes, so also the notes ``curriclint annotate`` adds) are not
part of the text layer and are not read.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium

from curriclint.extract import ExtractError
from curriclint.model import Notice, Segment

# PDFium error codes (fpdfview.h, FPDF_GetLastError), named here so the module does not
# depend on where a pypdfium2 version exposes them.
_ERR_SUCCESS, _ERR_UNKNOWN, _ERR_FILE, _ERR_FORMAT = 0, 1, 2, 3
_ERR_PASSWORD, _ERR_SECURITY, _ERR_PAGE = 4, 5, 6

ENCRYPTED = "encrypted PDF (password required): remove the password and export it again"
NO_PAGES = "PDF has no pages: re-export it"
BLANK_PAGES = ("PDF has no pages with content (every page is blank, or its content is damaged): "
               "re-export it")
NO_TEXT = "no text layer (scanned or image-only PDF): run OCR first, then lint the OCR'd PDF"

_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}
_LIGATURE = re.compile("[\ufb00-\ufb06]")
# A hyphen that ends a line. PDFium reports a hyphen it recognises as a line-end
# hyphenation as U+FFFE (older builds: U+0002) and removes the line break after it;
# other producers leave "-" (or a soft hyphen U+00AD, or U+2010) before the newline.
# The pattern starts at the hyphen (fast to scan for); the letter before it is checked in
# _join_hyphenated, the letter after it by the lookahead.
_LINE_END_HYPHEN = re.compile(
    r"(?:[-\u00ad\u2010][ \t]*\n|[\ufffe\x02][ \t]*\n?)[ \t]*(?=([^\W\d_]))"
)
# Left-over PDFium hyphenation markers (not between two letters) are real hyphens.
_STRAY_MARKER = re.compile(r"[\ufffe\x02]")
# Control characters other than newline (tabs and form feeds become spaces first).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible format characters that split words: soft hyphen, zero-width space/joiners,
# word joiner, BOM.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Whitespace to rewrite: runs of two or more, or any single one that is not a plain space
# (tab, no-break space, ideographic space...); newlines are kept.
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S\n ]")
_LINE_EDGES = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(raw: str) -> str:
    """Normalise PDF text-layer output into text the rules can match.

    - line endings become ``\\n``;
    - words hyphenated across a line break are re-joined ("hyper-\\ntension" →
      "hypertension"); before a capital the hyphen is kept ("non-\\nBlack" → "non-Black");
    - ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ) become letters;
    - NUL and other control and zero-width characters are dropped;
    - runs of spaces (tabs, no-break spaces) collapse to one space, lines are trimmed,
      and more than one empty line in a row collapses to one.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _LIGATURE.sub(lambda m: _LIGATURES[m.group()], text)
    text = _LINE_END_HYPHEN.sub(_join_hyphenated, text)
    text = _STRAY_MARKER.sub("-", text)
    text = text.replace("\t", " ").replace("\x0b", " ").replace("\x0c", "\n")
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _join_hyphenated(match: re.Match) -> str:
    start = match.start()
    if start == 0 or not match.string[start - 1].isalpha():
        return match.group(0)  # "3.5-\\n2", "- \\n": not a hyphenated word
    # Lower case (or a caseless script) continues the word; a capital starts a compound's
    # second part ("non-Black", "anti-TNF"), so the hyphen stays.
    return "-" if match.group(1).isupper() else ""


def page_ranges(pages: list[int]) -> str:
    """Compress sorted page numbers: [3, 4, 5, 9, 12] → "3-5, 9, 12"."""
    parts: list[str] = []
    start = prev = None
    for page in pages:
        if prev is not None and page == prev + 1:
            prev = page
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = page
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(parts)


def _loads_without_pages(path: Path) -> bool:
    """PDFium opened the document but found no pages. (pypdfium2 reports this case with
    PDFium's last error code, which may be left over from an earlier file.)"""
    raw = pdfium.raw
    handle = raw.FPDF_LoadDocument((str(path) + "\x00").encode("utf-8", "surrogateescape"), None)
    if not handle:
        return False
    try:
        return raw.FPDF_GetPageCount(handle) < 1
    finally:
        raw.FPDF_CloseDocument(handle)


def _open_error(exc: Exception) -> ExtractError:
    code = getattr(exc, "err_code", None)
    message = str(exc)
    lowered = message.lower()
    if code == _ERR_PASSWORD or "password" in lowered:
        return ExtractError(ENCRYPTED)
    if code == _ERR_SECURITY or "security" in lowered:
        return ExtractError("encrypted PDF (unsupported security handler): remove the "
                            "protection and export it again")
    if code == _ERR_SUCCESS or "(pdfium: success)" in lowered:
        # pypdfium2 refuses documents whose page count is below 1 with "Success".
        return ExtractError(NO_PAGES)
    if code == _ERR_FILE:
        return ExtractError("cannot open the PDF file (not found or not readable): "
                            "check its permissions")
    detail = {_ERR_FORMAT: "not a valid PDF structure (damaged or truncated)",
              _ERR_PAGE: "page tree is damaged",
              _ERR_UNKNOWN: "unknown PDFium error"}.get(code, message.splitlines()[0][:120])
    return ExtractError(f"corrupt PDF: {detail}; re-export it")


def _page_text(pdf: pdfium.PdfDocument, number: int) -> tuple[str, bool]:
    """(cleaned text, page has any content objects) of 1-based page ``number``."""
    page = pdf[number - 1]
    try:
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
        finally:
            textpage.close()
        text = clean_text(raw)
        has_objects = bool(text) or _count_objects(page) > 0
    finally:
        page.close()
    return text, has_objects


def _count_objects(page) -> int:
    try:
        return int(pdfium.raw.FPDFPage_CountObjects(page))
    except Exception:  # noqa: BLE001 - only used to word a message; assume content
        return 1


def extract(path: Path, shown: str) -> Iterator[Segment | Notice]:
    try:
        pdf = pdfium.PdfDocument(Path(path))
    except pdfium.PdfiumError as exc:
        raise (ExtractError(NO_PAGES) if _loads_without_pages(Path(path)) else _open_error(exc)) from None
    try:
        count = len(pdf)
        if count < 1:
            raise ExtractError(NO_PAGES)
        no_text: list[int] = []
        unreadable: list[int] = []
        with_content = 0
        found_text = False
        for number in range(1, count + 1):
            try:
                text, has_objects = _page_text(pdf, number)
            except pdfium.PdfiumError:
                unreadable.append(number)
                continue
            with_content += has_objects
            if text:
                found_text = True
                yield Segment(path=shown, unit="page", index=number, part="body", text=text)
            else:
                no_text.append(number)
    finally:
        pdf.close()
    if not found_text:
        if len(unreadable) == count:
            raise ExtractError("corrupt PDF: no page could be read; re-export it")
        if not with_content and not unreadable:
            raise ExtractError(BLANK_PAGES)
        raise ExtractError(NO_TEXT)
    if no_text:
        yield Notice(f"{_pages(no_text)} no text layer (images only?): run OCR to lint "
                     f"{'it' if len(no_text) == 1 else 'them'}")
    if unreadable:
        yield Notice(f"{_pages(unreadable)} could not be read (damaged?): re-export the PDF "
                     f"to lint {'it' if len(unreadable) == 1 else 'them'}")


def _pages(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]} has"
    return f"pages {page_ranges(numbers)} have"

