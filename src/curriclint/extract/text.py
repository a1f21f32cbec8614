"""Plain text and Markdown: one segment per paragraph (a block of lines between blank
lines), located by the line it starts on. Findings report the line of the match itself."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from curriclint.model import Segment


def read_text(path: Path) -> str:
    """Decode a text file, tolerating a BOM, UTF-16 and legacy single-byte encodings."""
    data = path.read_bytes()
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").lstrip("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Yield (first line number, paragraph text) for each block of non-blank lines."""
    start, block = 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line.rstrip())
        elif block:
            yield start, "\n".join(block)
            block = []
    if block:
        yield start, "\n".join(block)


def extract(path: Path, shown: str) -> Iterator[Segment]:
    for line, para in paragraphs(read_text(path)):
        yield Segment(path=shown, unit="line", index=line, part="body", text=para)
