"""Annotated copies: the findings of a file placed in a copy of it, where its reader meets
them. A Word file gets comments on the flagged words, a deck slide comments and a section in
the speaker notes, a PDF sticky notes at the flagged text, and a question bank (of any
format) a review workbook. One module per format writes the copy; the input is only read.

Everything written carries ``curriclint.extract.ANNOTATION_MARK``, so checking a copy
reports its content's findings and none of curriclint's own annotations.
"""
from __future__ import annotations

import functools
import importlib
import os
from pathlib import Path

from curriclint.annotate.describe import notes_for
from curriclint.extract import COPY_TAG, REVIEW_TAG, ExtractError
from curriclint.model import FileResult

# sniffed format -> module of this package that writes its copy
_DOCUMENTS = {"pptx": "pptx", "docx": "docx", "pdf": "pdf"}
# Question banks of every kind get a review workbook; "wordbank" is a Word file read as one.
BANK_FORMATS = frozenset({"gift", "qti", "qti-package", "moodle", "csv", "xlsx", "jsonl",
                          "wordbank"})


class AnnotateError(Exception):
    """A file that cannot be annotated; the message is one line saying why and what to do
    (callers put the file's name before it)."""


def copy_name(source: Path, fmt: str) -> str:
    """The file name of the annotated copy: 'renal.curriclint.pptx' for a document (same
    extension as the input), 'bank.curriclint-review.xlsx' for a question bank."""
    if fmt in BANK_FORMATS:
        return f"{source.stem}{REVIEW_TAG}.xlsx"
    if fmt in _DOCUMENTS:
        return f"{source.stem}{COPY_TAG}{source.suffix or '.' + fmt}"
    raise AnnotateError(
        f"{fmt or 'these'} files cannot be annotated: curriclint annotates "
        "PowerPoint, Word and PDF files and question banks; use `curriclint check` for the rest")


def copy_format(result: FileResult) -> str:
    """The format ``copy_name`` takes for a checked file: a Word file read as a question
    bank is a 'wordbank'."""
    if result.format == "docx" and result.bank is not None:
        return "wordbank"
    return result.format or ""


def annotate_file(source: Path, result: FileResult, out_dir: Path, *, ruleset=None) -> Path:
    """Write the annotated copy of one checked file into ``out_dir`` and return its path.

    ``result`` is that file's FileResult from ``check_paths``; suppressed findings are left
    out (a file with no other findings gets a copy without annotations; the command line
    writes none). ``ruleset`` (the run's packs) supplies each rule's references; without it
    the built-in packs do. The copy is written under a temporary name and renamed when
    complete, so a failure never leaves half a file."""
    source, out_dir = Path(source), Path(out_dir)
    if result.status != "ok":
        raise AnnotateError(result.error or "the file could not be read, so it has no findings to place")
    fmt = copy_format(result)
    name = copy_name(source, fmt)
    target = out_dir / name
    notes = notes_for(result.findings, ruleset if ruleset is not None else _builtin_rules())
    writer = importlib.import_module(
        f"curriclint.annotate.{'bank' if fmt in BANK_FORMATS else _DOCUMENTS[fmt]}")
    partial = out_dir / f".{name}.partial"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        writer.write(source, result, notes, partial)
        os.replace(partial, target)
    except AnnotateError:
        raise
    except ExtractError as exc:
        raise AnnotateError(str(exc)) from None
    except OSError as exc:
        raise AnnotateError(f"cannot write {target}: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - a library failure on an odd file is one line too
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise AnnotateError(f"could not write the annotated copy ({type(exc).__name__}: "
                            f"{reason}); report the file if it opens normally") from None
    finally:
        partial.unlink(missing_ok=True)
    return target


@functools.cache
def _builtin_rules():
    from curriclint.cache import default_cache_dir
    from curriclint.rules.loader import load_rules

    return load_rules(None, None, default_cache_dir() / "packs")
