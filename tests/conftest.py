"""Shared fixtures. Real-world files are found through CURRICLINT_REALWORLD (set by
.ci/run); without it, tests that need them skip and say why."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REALWORLD_ENV = "CURRICLINT_REALWORLD"


@pytest.fixture(scope="session")
def realworld() -> Path:
    value = os.environ.get(REALWORLD_ENV)
    if not value:
        pytest.skip(f"{REALWORLD_ENV} is not set: real-world corpus tests need the shared "
                    "folder of real files (.ci/run sets it)")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"{REALWORLD_ENV}={value} is not a folder")
    return path


EGFR_RACE = "eGFR × 1.159 if African American"


def _long_deck(path: Path, with_race: bool = True) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    blank = prs.slide_layouts[6]
    for number in range(1, 61):
        slide = prs.slides.add_slide(blank)
        slide.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1)).text_frame.text = \
            f"Slide {number} content"
        if number == 14:
            table = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
            table.cell(0, 0).text, table.cell(0, 1).text = "Test", "Adjustment"
            table.cell(1, 0).text = "Serum marker"
            table.cell(1, 1).text = EGFR_RACE if with_race else "None"
        if number == 20:
            slide.notes_slide.notes_text_frame.text = (
                f"Remember: {EGFR_RACE}." if with_race else "Remember to check the units.")
    prs.save(path)
    return path


@pytest.fixture(scope="session")
def long_deck():
    """Build a 60-slide deck: slide 14 has a table whose r2c2 cell holds the eGFR race
    coefficient, slide 20 has it in the speaker notes (plain text instead with
    ``with_race=False``). Call it with a path."""
    return _long_deck


LOCAL_PACK = """\
pack: local-terms
version: 1.0.0
description: A site's own rule
rules:
  - id: LOC001
    name: outdated-term
    category: local_language
    severity: error
    message: "Outdated term ({match})"
    rationale: The curriculum committee retired this term.
    suggestion: Say what you mean instead.
    match:
      - phrases: [mongoloid idiocy]
    examples:
      flag: ["The old name was mongoloid idiocy."]
      pass: ["Trisomy 21 (Down syndrome)."]
"""


@pytest.fixture(scope="session")
def local_pack_text() -> str:
    """A site's own one-rule pack (LOC001, category local_language), as YAML text."""
    return LOCAL_PACK


@pytest.fixture(scope="session")
def manifest_fails(realworld):
    """Files of one folder that MANIFEST.md lists under "Files that fail to open"."""
    import re

    section = (realworld / "MANIFEST.md").read_text(encoding="utf-8").split("## Files that fail to open", 1)[1]
    return lambda folder: set(re.findall(rf"^\| `({folder}/[^`]+)`", section, re.MULTILINE))


@pytest.fixture(scope="session")
def read_realworld(realworld):
    """Read every file with one of these extensions under a real-world folder, as
    {relative path: (FileResult, segments)}."""
    from curriclint.config import Config
    from curriclint.discover import Target
    from curriclint.runner import read_target

    def read(folder: str, extensions) -> dict:
        return {path.relative_to(realworld).as_posix(): read_target(Target(path, str(path), True), Config())
                for path in sorted((realworld / folder).rglob("*")) if path.suffix.lower() in extensions}
    return read
