"""`curriclint annotate` on the command line: the bundled examples give four copies that
carry every finding `check` reports, each at its place; files without findings get none;
unsupported, corrupt and protected files are one line each and exit 2."""
from __future__ import annotations

import shutil
from pathlib import Path

from annotate_helpers import (
    active, curriclint_notes, curriclint_word_comments, pdf_notes, sha256, slide_comments,
    workbook_sheets,
)
from click.testing import CliRunner
from conftest import EXAMPLES
from pptx import Presentation

from curriclint.cli import main

EXAMPLE_NAMES = ["case-vignettes.docx", "pulmonary-function.pdf", "question-bank.gift",
                 "renal-physiology.pptx"]
COPIES = {"case-vignettes.docx": "case-vignettes.curriclint.docx",
          "pulmonary-function.pdf": "pulmonary-function.curriclint.pdf",
          "question-bank.gift": "question-bank.curriclint-review.xlsx",
          "renal-physiology.pptx": "renal-physiology.curriclint.pptx"}


def annotate(*args: str):
    return CliRunner().invoke(main, ["annotate", *args], catch_exceptions=False)


def deck(path: Path, *slides: tuple[str, str | None]) -> Path:
    """A deck with one slide per (body text, speaker notes)."""
    prs = Presentation()
    for body, notes in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = "Case"
        slide.placeholders[1].text_frame.text = body
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    prs.save(path)
    return path


def test_examples_give_four_copies_with_every_finding_in_place(tmp_path, check):
    sources = [EXAMPLES / name for name in EXAMPLE_NAMES]
    before = {path.name: sha256(path) for path in sources}
    out = tmp_path / "annotated"
    done = annotate(*map(str, sources), "-o", str(out))
    assert done.exit_code == 0, done.output
    results = {path.name: check(path) for path in sources}
    expected = [f"wrote {out / COPIES[name]} ({len(active(results[name]))} findings)"
                for name in EXAMPLE_NAMES]
    assert done.output.splitlines() == expected
    assert sorted(p.name for p in out.iterdir()) == sorted(COPIES.values())
    assert {path.name: sha256(path) for path in sources} == before

    word = curriclint_word_comments(out / COPIES["case-vignettes.docx"])
    assert [c.anchored for c in word] == [f.text for f in active(results["case-vignettes.docx"])]

    notes = pdf_notes(out / COPIES["pulmonary-function.pdf"])
    for finding in active(results["pulmonary-function.pdf"]):
        assert any(n["text"].startswith(f"{finding.rule_id} ") and finding.text in n["text"]
                   for n in notes[finding.location["index"]])

    rows = {row["Question"]: row for row in workbook_sheets(out / COPIES["question-bank.gift"])["Questions"]}
    for finding in active(results["question-bank.gift"]):
        assert f"{finding.rule_id} [{finding.severity.value}] {finding.message}" in \
            rows[finding.location["index"]]["Findings"]

    deck_copy = out / COPIES["renal-physiology.pptx"]
    slide_notes, comments = curriclint_notes(deck_copy), slide_comments(deck_copy)
    for finding in active(results["renal-physiology.pptx"]):
        number = finding.location["index"]
        assert any(p.startswith(f"{finding.rule_id} ") and f"“{finding.text}”" in p
                   for p in slide_notes[number])
        assert any(c.text.startswith(f"{finding.rule_id} ") for c in comments[number])


def test_copies_go_next_to_the_input_and_clean_files_get_none(tmp_path):
    flagged = deck(tmp_path / "flagged.pptx", ("A 45-year-old man who is noncompliant with his "
                                               "insulin presents.", None))
    clean = deck(tmp_path / "clean.pptx", ("Stroke volume depends on preload.", None))
    done = annotate(str(flagged), str(clean))
    assert done.exit_code == 0
    assert done.output.splitlines() == [
        f"wrote {tmp_path / 'flagged.curriclint.pptx'} (1 finding)",
        f"{clean}: no findings; no copy written"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.pptx", "flagged.curriclint.pptx",
                                                         "flagged.pptx"]


def test_suppressed_findings_are_not_annotated(tmp_path):
    source = deck(tmp_path / "cases.pptx",
                  ("A 45-year-old man who is noncompliant with his insulin presents.",
                   "curriclint: ignore SV001 -- quoted from the referral letter"),
                  ("A 50-year-old woman who is noncompliant with her diet presents.", None))
    done = annotate(str(source), "-o", str(tmp_path / "out"))
    assert done.output.strip().endswith("(1 finding)")
    copy = tmp_path / "out" / "cases.curriclint.pptx"
    assert set(curriclint_notes(copy)) == set(slide_comments(copy)) == {2}


def test_unsupported_corrupt_and_protected_files_are_one_line_errors(tmp_path):
    import fpdf

    text = tmp_path / "notes.md"
    text.write_text("Remember: eGFR × 1.159 if African American.\n", encoding="utf-8")
    corrupt = tmp_path / "broken.pptx"
    corrupt.write_bytes((EXAMPLES / "renal-physiology.pptx").read_bytes()[:3000])
    locked = tmp_path / "locked.pdf"
    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="owner")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="For Black patients, multiply the predicted FVC by 0.88.")
    pdf.output(str(locked))
    good = shutil.copyfile(EXAMPLES / "case-vignettes.docx", tmp_path / "cases.docx")
    done = CliRunner().invoke(
        main, ["annotate", str(text), str(corrupt), str(locked), str(good), "-o", str(tmp_path / "out")])
    assert done.exit_code == 2
    errors = done.stderr.splitlines()
    assert len(errors) == 3 and not any("Traceback" in line for line in errors)
    assert errors[0].startswith(f"{text}: error: markdown files cannot be annotated")
    assert errors[1].startswith(f"{corrupt}: error: corrupt or truncated PowerPoint file")
    assert errors[2].startswith(f"{locked}: error: encrypted PDF: ")
    assert done.stdout.splitlines() == [f"wrote {tmp_path / 'out' / 'cases.curriclint.docx'} (2 findings)"]


def test_copies_beside_their_originals_are_passed_over_when_a_folder_is_walked(tmp_path):
    """Annotating in place and then checking the folder reports each finding once: the
    copies are skipped while walking (named on the command line, a copy is read)."""
    import json

    for name in EXAMPLE_NAMES:
        shutil.copy(EXAMPLES / name, tmp_path / name)
    assert annotate(*(str(tmp_path / n) for n in EXAMPLE_NAMES)).exit_code == 0
    assert all((tmp_path / copy).is_file() for copy in COPIES.values())
    walked = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(tmp_path)])
    report = json.loads(walked.output)
    assert {f["path"].rsplit("/", 1)[-1] for f in report["findings"]} == set(EXAMPLE_NAMES)
    assert report["summary"]["skipped"] == len(COPIES)
    named = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json",
                                      str(tmp_path / COPIES["renal-physiology.pptx"])])
    assert json.loads(named.output)["findings"], "a copy named on the command line is read"
