"""Extractors: one module per input format, each a pure function from a path to segments.

A format module exposes ``extract(path, shown) -> Iterator[Segment | Notice]`` and raises
``ExtractError`` with a one-line message for a file it cannot read. Modules are imported
lazily, so a run pays only for the libraries its files need. Which module reads a file is
decided by ``sniff`` from the file's content, not only its name.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from curriclint.model import Notice, Segment

# format name -> module under curriclint.extract
FORMATS: dict[str, str] = {
    "pptx": "pptx",
    "pdf": "pdf",
    "docx": "docx",
    "text": "text",
    "markdown": "text",
    "html": "html",
    "qti": "qti",
    "qti-package": "qti",
    "moodle": "moodle",
    "gift": "gift",
    "csv": "tabular",
    "xlsx": "tabular",
    "jsonl": "jsonl",
    "wordbank": "docx",
}

# Everything `curriclint annotate` writes into a copy carries this mark (the author of Word
# and PowerPoint comments and PDF notes, the speaker-notes heading, the review workbook's
# keywords), so that checking the copy reads its content and not the annotations.
ANNOTATION_MARK = "curriclint annotate"
NOTES_HEADING = f"curriclint findings (added by {ANNOTATION_MARK})"
# How an annotated copy's name ends before its extension: "renal.curriclint.pptx",
# "bank.curriclint-review.xlsx". Walking a folder passes over such copies.
COPY_TAG = ".curriclint"
REVIEW_TAG = ".curriclint-review"

# Inputs larger than this are refused: curriculum files are far smaller, and a huge file
# is more likely a mistake (a video in the slides folder) than something to lint.
MAX_FILE_BYTES = 200 * 1024 * 1024


class ExtractError(Exception):
    """A file that cannot be read; the message is one line telling the user what to do."""


@dataclass
class Extraction:
    format: str
    segments: list[Segment] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def extract_path(path: Path, shown: str, fmt: str) -> Extraction:
    """Run the extractor for ``fmt`` over one file, separating segments from notices."""
    if fmt not in FORMATS:
        raise ExtractError(f"unknown format '{fmt}' (known: {', '.join(sorted(FORMATS))})")
    module = importlib.import_module(f"curriclint.extract.{FORMATS[fmt]}")
    result = Extraction(format=fmt)
    reader = getattr(module, "extract_as", None)
    items = reader(path, shown, fmt) if reader else module.extract(path, shown)
    for item in items:
        if isinstance(item, Notice):
            result.notices.append(item.text)
        else:
            result.segments.append(item)
    from curriclint.extract.language import english_notice

    notice = english_notice(seg.text for seg in result.segments)
    if notice:
        result.notices.append(notice)
    return result
