"""Limits applied before an archive or XML file is read, so hostile input cannot exhaust
memory or reach outside the package (zip bombs, `../` members, entity expansion)."""
from __future__ import annotations

import zipfile

from curriclint.extract import ExtractError

# What reading a damaged zip member can raise besides BadZipFile: a missing member
# (KeyError), an encrypted member or an unsupported compression method (RuntimeError and
# its subclasses), a truncated stream (EOFError), a bad header (ValueError).
ZIP_MEMBER_ERRORS = (KeyError, RuntimeError, EOFError, ValueError)

MAX_ZIP_MEMBERS = 20_000
MAX_ZIP_UNCOMPRESSED = 1024 * 1024 * 1024  # 1 GiB
MAX_COMPRESSION_RATIO = 200


def check_zip(zf: zipfile.ZipFile, what: str = "zip package") -> None:
    """Refuse archives whose directory alone shows they are unsafe to open."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ExtractError(f"{what} has {len(infos):,} members (limit {MAX_ZIP_MEMBERS:,}): refused")
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or (len(name) > 1 and name[1] == ":"):
            raise ExtractError(f"{what} has a member outside the package ('{info.filename}'): refused")
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO \
                and info.file_size > 10 * 1024 * 1024:
            raise ExtractError(
                f"{what} member '{info.filename}' expands {info.file_size // info.compress_size}x "
                "(a zip bomb?): refused")
    if total > MAX_ZIP_UNCOMPRESSED:
        raise ExtractError(f"{what} expands to {total / 2**20:,.0f} MiB (limit 1,024 MiB): refused")


def parse_xml(data: bytes):
    """Parse untrusted XML with entity declarations and external references refused.

    Returns an ElementTree element; malformed XML raises ExtractError naming the line.
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import ElementTree as SafeElementTree
    from defusedxml.common import DefusedXmlException

    try:
        return SafeElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True,
                                          forbid_external=True)
    except DefusedXmlException as exc:
        raise ExtractError(f"XML declares entities or external references ({type(exc).__name__}): "
                           "refused; remove the DOCTYPE and re-export") from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise ExtractError(f"malformed XML at line {line}, column {column}: {reason}") from None
