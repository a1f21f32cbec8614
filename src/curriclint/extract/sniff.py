"""Decide what a file is from its bytes, so a deck renamed .bin still works and a text
file named .pptx gets a clear message instead of a stack trace.

Detection rules (also in the README):
- ``%PDF`` in the first KiB: PDF.
- A zip package: ``ppt/`` parts → PowerPoint, ``word/`` → Word, ``xl/`` → Excel,
  an ``imsmanifest.xml`` or QTI XML members → QTI package, an OpenDocument ``mimetype``
  → a diagnostic. A zip that cannot be opened → "corrupt or truncated".
- An OLE compound file: encrypted OOXML, or legacy .ppt/.doc/.xls → a diagnostic.
- Text: XML by its root element, comments skipped (``quiz`` without a namespace → Moodle
  XML; Canvas's namespaced ``quiz`` settings file is not a bank; ``questestinterop`` →
  QTI 1.2, ``assessmentItem``/``assessmentTest``/``assessmentSection`` → QTI 2.x, other
  ``assessment…`` roots such as results are not banks; ``html`` → HTML); JSON Lines whose
  first object has a ``question`` key; ``.csv``; GIFT by its syntax (``::title::`` or
  answer blocks ``{=… ~…}``), even in a ``.txt`` file; Markdown; plain text.
"""
from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from curriclint.extract import MAX_FILE_BYTES, ExtractError
from curriclint.extract.safety import ZIP_MEMBER_ERRORS, check_zip

_KIND_BY_EXT = {
    ".pptx": "PowerPoint", ".pptm": "PowerPoint", ".potx": "PowerPoint", ".ppsx": "PowerPoint",
    ".ppt": "PowerPoint", ".pps": "PowerPoint", ".pot": "PowerPoint",
    ".docx": "Word", ".docm": "Word", ".dotx": "Word", ".doc": "Word", ".dot": "Word",
    ".xlsx": "Excel", ".xlsm": "Excel", ".xls": "Excel", ".pdf": "PDF",
}
_SAVE_AS = {"PowerPoint": ".pptx", "Word": ".docx", "Excel": ".xlsx"}
_ODF = {
    "application/vnd.oasis.opendocument.presentation": ("OpenDocument presentation", ".pptx"),
    "application/vnd.oasis.opendocument.text": ("OpenDocument text", ".docx"),
    "application/vnd.oasis.opendocument.spreadsheet": ("OpenDocument spreadsheet", ".xlsx"),
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Extensions considered when walking a folder; anything else is skipped unread.
WALK_EXTENSIONS = frozenset({
    ".pptx", ".pptm", ".potx", ".ppsx", ".ppt", ".pps", ".pot",
    ".docx", ".docm", ".dotx", ".doc", ".dot", ".odp", ".odt", ".ods",
    ".pdf", ".txt", ".md", ".markdown", ".html", ".htm",
    ".xml", ".qti", ".zip", ".imscc", ".gift", ".csv", ".xlsx", ".xls", ".jsonl",
})
# Formats that, met while walking, are curriculum content even when unreadable.
_TEXT_EXTENSIONS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                    ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class Sniffed:
    """The format to read a file with, or the reason it cannot be read.

    ``format`` None and ``error`` None means "not a type curriclint reads".
    """

    format: str | None
    error: str | None = None


def sniff(path: Path) -> Sniffed:
    try:
        return _sniff(path)
    except ExtractError as exc:
        return Sniffed(None, str(exc))
    except OSError as exc:
        return Sniffed(None, f"cannot read file: {exc.strerror or exc}")


def _sniff(path: Path) -> Sniffed:
    ext = path.suffix.lower()
    kind = _KIND_BY_EXT.get(ext)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return Sniffed(None, f"file is {size / 2**20:,.0f} MiB, over the "
                             f"{MAX_FILE_BYTES // 2**20} MiB limit: split it or lint its text")
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        if kind:
            return Sniffed(None, f"empty file (0 bytes): not a {kind} file; re-export it")
        return Sniffed(_TEXT_EXTENSIONS.get(ext))
    if b"%PDF-" in head[:1024]:
        return Sniffed("pdf")
    if head[:2] == b"PK":
        return _sniff_zip(path, ext, kind)
    if head[:8] == _OLE_MAGIC:
        return _sniff_ole(path, kind)
    if head.startswith(b"{\\rtf"):
        return Sniffed(None, "Rich Text Format file: save it as .docx")
    text = _decode_head(head)
    if text is None:
        if kind:
            return Sniffed(None, f"not a {kind} file: unrecognised binary content "
                                 "(corrupt, or a different format renamed)")
        return Sniffed(None)
    if kind:
        if kind == "PDF":
            return Sniffed(None, "not a PDF file: it holds plain text (renamed?)")
        return Sniffed(None, f"not a {kind} file: it holds plain text, not a {ext} package "
                             f"(renamed, or saved by another program?)")
    return Sniffed(_text_format(text, ext))


def _decode_head(head: bytes) -> str | None:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="ignore")
    if b"\x00" in head:
        return None
    text = head.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return text if bad <= max(2, len(text) // 100) else None


def _sniff_zip(path: Path, ext: str, kind: str | None) -> Sniffed:
    what = f"{kind} file" if kind else "zip archive"
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, what)
            names = zf.namelist()
            mimetype = zf.read("mimetype")[:80].decode("ascii", "ignore") if "mimetype" in names else ""
    except zipfile.BadZipFile:
        return Sniffed(None, f"corrupt or truncated {what}: the zip package cannot be read; "
                             "re-save or re-export it")
    except ZIP_MEMBER_ERRORS as exc:
        return Sniffed(None, f"corrupt {what}: {exc}; re-save or re-export it")
    for odf_type, (label, target) in _ODF.items():
        if mimetype.startswith(odf_type):
            return Sniffed(None, f"{label} file: save it as {target}")
    if "[Content_Types].xml" in names or any(n.startswith(("ppt/", "word/", "xl/")) for n in names):
        if any(n.startswith("ppt/") for n in names):
            return Sniffed("pptx")
        if any(n.startswith("word/") for n in names):
            return Sniffed("docx")
        if any(n.startswith("xl/") for n in names):
            return Sniffed("xlsx")
        if kind:
            return Sniffed(None, f"not a {kind} file: an Office package of another kind")
    lowered = [n.lower() for n in names]
    if any(n.endswith("imsmanifest.xml") for n in lowered) or any(
            n.endswith((".xml", ".qti")) and not n.startswith("__macosx/") for n in lowered):
        if not kind:
            return Sniffed("qti-package")
    if kind:
        return Sniffed(None, f"not a {kind} file: a zip archive without {kind} parts")
    return Sniffed(None)


def _sniff_ole(path: Path, kind: str | None) -> Sniffed:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError) as exc:
        return Sniffed(None, f"corrupt Office 97-2003 compound file: {exc}")
    label = kind if kind and kind != "PDF" else "Office"
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return Sniffed(None, f"encrypted (password-protected) {label} file: remove the password "
                             f"and save it again{' as ' + _SAVE_AS[label] if label in _SAVE_AS else ''}")
    for stream, legacy in (("PowerPoint Document", "PowerPoint"), ("WordDocument", "Word"),
                           ("Workbook", "Excel"), ("Book", "Excel")):
        if stream in streams:
            return Sniffed(None, f"legacy {legacy} 97-2003 file: save it as {_SAVE_AS[legacy]}")
    return Sniffed(None, "unrecognised Office 97-2003 compound file: save it in a current format")


_XML_ROOT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_XML_COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)


def xml_root(text: str) -> tuple[str, str]:
    """The root element's local name (lower case) and its start tag, from the start of an
    XML document; comments, the XML declaration and the DOCTYPE are passed over."""
    text = _XML_COMMENT.sub("", text)
    match = _XML_ROOT.search(text)
    if not match:
        return "", ""
    end = text.find(">", match.start())
    return match.group(1).lower(), text[match.start():end + 1 if end >= 0 else None]


_GIFT_BLOCK = re.compile(r"\{\s*(?:[=~#]|T\s*\}|F\s*\}|TRUE\s*\}|FALSE\s*\})", re.IGNORECASE)
_GIFT_TITLE = re.compile(r"^\s*::[^:\n]+::", re.MULTILINE)


def _text_format(text: str, ext: str) -> str | None:
    stripped = text.lstrip("\ufeff \t\r\n")
    if ext in (".html", ".htm"):
        return "html"
    if stripped.startswith("<"):
        if re.match(r"<!doctype\s+html", stripped, re.IGNORECASE):
            return "html"
        name, start_tag = xml_root(stripped)
        if name == "quiz":
            # Canvas exports put quiz settings in a namespaced <quiz> (assessment_meta.xml):
            # not questions. Moodle XML has no namespace.
            return None if "xmlns" in start_tag else "moodle"
        if name in ("questestinterop", "assessmentitem", "assessmenttest", "assessmentsection"):
            return "qti"
        if name == "html":
            return "html"
        return _TEXT_EXTENSIONS.get(ext)
    if ext == ".jsonl" or stripped.startswith("{"):
        first = stripped.split("\n", 1)[0]
        try:
            record = json.loads(first)
        except ValueError:
            record = None
        if isinstance(record, dict) and "question" in record:
            return "jsonl"
        if ext == ".jsonl":
            return None
    if ext in (".csv", ".tsv"):
        return "csv"
    if ext == ".gift" or _looks_like_gift(text):
        return "gift"
    return _TEXT_EXTENSIONS.get(ext, "text" if ext not in (".xml", ".zip", ".qti") else None)


def _looks_like_gift(text: str) -> bool:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    blocks = len(_GIFT_BLOCK.findall(body))
    return blocks >= 2 or (blocks >= 1 and bool(_GIFT_TITLE.search(body))) or \
        body.lstrip().startswith("$CATEGORY:")
