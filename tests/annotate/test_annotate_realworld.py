"""Annotating the real-world corpus: a finding placed on one word of every segment (up to 40
a file) of each readable deck, Word file and PDF. Every copy opens, reads as the same text,
and carries each finding (a Word comment on exactly that word); a file that cannot be
annotated says why in one line. Skips unless CURRICLINT_REALWORLD is set."""
from __future__ import annotations

import random
import re

import pytest
from annotate_helpers import curriclint_notes, curriclint_word_comments, pdf_notes, slide_comments

from curriclint.annotate import AnnotateError, annotate_file
from curriclint.extract import ANNOTATION_MARK, ExtractError, extract_path
from curriclint.model import Finding, FileResult, Severity

PER_FILE = 40
WORD = re.compile(r"\S+")

pytestmark = pytest.mark.realworld


def one_word_findings(segments, seed: str) -> list[Finding]:
    pick = random.Random(seed)
    findings = []
    for segment in segments:
        words = list(WORD.finditer(segment.text))
        if not words:
            continue
        word = pick.choice(words)
        findings.append(Finding(
            "SV001", "stigmatizing-descriptor", "stereotyped-vignettes", "stereotyped_vignette",
            Severity.WARNING, "Placed for the test", "Say it another way", segment.path,
            segment.location(), (word.start(), word.end()), word.group(), segment.text,
            (word.start(), word.end())))
        if len(findings) == PER_FILE:
            break
    return findings


def annotations(copy, fmt: str) -> int:
    if fmt == "docx":
        return len(curriclint_word_comments(copy))
    if fmt == "pptx":
        notes = sum(len(v) for v in curriclint_notes(copy).values())
        comments = sum(c.author == ANNOTATION_MARK for v in slide_comments(copy).values() for c in v)
        assert notes == comments
        return notes
    return sum(n["author"] == ANNOTATION_MARK for v in pdf_notes(copy).values() for n in v)


@pytest.mark.parametrize("fmt", ["docx", "pptx", "pdf"])
def test_every_readable_file_is_annotated_or_refused_in_one_line(realworld, tmp_path, ruleset, fmt):
    annotated, refused, wrong = 0, [], []
    for path in sorted(realworld.rglob(f"*.{fmt}")):
        try:
            segments = extract_path(path, path.name, fmt).segments
        except ExtractError:
            continue
        findings = [f for f in one_word_findings(segments, path.name)
                    if f.location["unit"] != "question"]
        if not findings:
            continue
        try:
            copy = annotate_file(path, FileResult(path.name, fmt, findings=findings),
                                 tmp_path / path.parent.name, ruleset=ruleset)
        except AnnotateError as exc:
            assert "\n" not in str(exc)
            refused.append(path.name)
            continue
        annotated += 1
        if [s.text for s in extract_path(copy, path.name, fmt).segments] != [s.text for s in segments]:
            wrong.append(f"{path.name}: text changed")
        if annotations(copy, fmt) != len(findings):
            wrong.append(f"{path.name}: {annotations(copy, fmt)} annotations for {len(findings)}")
        if fmt == "docx":
            wrong += [f"{path.name}: {f.location} {f.text!r} anchored as {c.anchored!r}"
                      for f, c in zip(findings, curriclint_word_comments(copy))
                      if f.location["part"] in ("body", "table", "textbox") and c.anchored != f.text]
    assert not wrong, wrong
    assert annotated > 10 * len(refused), refused
