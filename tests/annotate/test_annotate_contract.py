"""What other callers (the command line, the local web page) rely on: copy names, one-line
errors, and references from the built-in packs when no rule set is given."""
from __future__ import annotations

from pathlib import Path

import pytest
from annotate_helpers import curriclint_word_comments

from curriclint.annotate import AnnotateError, annotate_file, copy_name
from curriclint.model import FileResult


def test_copy_names():
    assert copy_name(Path("decks/renal.pptx"), "pptx") == "renal.curriclint.pptx"
    assert copy_name(Path("a/handout.PDF"), "pdf") == "handout.curriclint.PDF"
    assert copy_name(Path("show.ppsx"), "pptx") == "show.curriclint.ppsx"
    assert copy_name(Path("renal.curriclint.pptx"), "pptx") == "renal.curriclint.curriclint.pptx"
    for fmt in ("gift", "qti", "qti-package", "moodle", "csv", "xlsx", "jsonl", "wordbank"):
        assert copy_name(Path("bank.xml"), fmt) == "bank.curriclint-review.xlsx"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_prose_formats_are_refused_in_one_line(fmt):
    with pytest.raises(AnnotateError, match=f"^{fmt} files cannot be annotated: .*curriclint check"):
        copy_name(Path("notes.txt"), fmt)


def test_unreadable_file_is_refused_with_its_error(tmp_path):
    result = FileResult("broken.pptx", "pptx", "error", "corrupt PowerPoint file; re-save it")
    with pytest.raises(AnnotateError, match="^corrupt PowerPoint file; re-save it$"):
        annotate_file(tmp_path / "broken.pptx", result, tmp_path)


def test_references_come_from_the_builtin_packs_without_a_rule_set(tmp_path, example, check):
    source = example("case-vignettes.docx")
    copy = annotate_file(source, check(source), tmp_path / "out")
    assert all(any(link.startswith("https://") for link in c.links)
               for c in curriclint_word_comments(copy))
