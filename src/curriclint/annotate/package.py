"""Office copies stay the kind of file their input was, and open.

The extractors hand python-docx and python-pptx a main content type those libraries accept:
a template, a slide show or a macro-enabled Word file is read as a plain document. Saved as
it was read, the copy would be a plain document with a template's or show's extension (or a
.docm whose macros Word refuses), so the input's main content type is put back. And a copy
is opened again before it is handed over: a library can read a file it cannot write back
(an XML entity whose declaration it drops), and such a copy must not reach a reader.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from curriclint.annotate import AnnotateError
from curriclint.extract import ExtractError
from curriclint.extract.pptx import _main_partname

_CONTENT_TYPES = "[Content_Types].xml"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def restore_main_content_type(copy: Path, source: Path) -> None:
    """Give ``copy`` the main content type ``source`` has, if saving changed it."""
    with zipfile.ZipFile(source) as zf:
        main = _main_partname(zf.read("_rels/.rels"))
        original = _override(_parse(zf.read(_CONTENT_TYPES)), main)
    if original is None:
        return
    with zipfile.ZipFile(copy) as zf:
        types = _parse(zf.read(_CONTENT_TYPES))
        override = _override(types, main)
        if override is None or override.get("ContentType") == original.get("ContentType"):
            return
        members = [(info, zf.read(info)) for info in zf.infolist()]
    override.set("ContentType", original.get("ContentType"))
    fixed = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            dst.writestr(info, fixed if info.filename == _CONTENT_TYPES else data)
    copy.write_bytes(out.getvalue())


def check_reopens(copy: Path, open_package) -> None:
    """Open the written copy with the extractor's ``open_package``; refuse it if it fails
    (the extractor's message says what to do with the input)."""
    try:
        open_package(copy)
    except ExtractError as exc:
        raise AnnotateError(f"the annotated copy would not open: {exc}") from None


def _parse(xml: bytes):
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def _override(types, partname: str | None):
    """The ``Override`` element for a part, or None."""
    if partname is None:
        return None
    for override in types.iter(f"{{{_CT_NS}}}Override"):
        if override.get("PartName", "").lower() == partname.lower():
            return override
    return None
