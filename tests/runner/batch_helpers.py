"""Real input files for the batch tests, built in tmp_path with python-pptx / python-docx or
as plain text, plus small helpers to run the command line and read its JSON report."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import docx
from pptx import Presentation

REPO = Path(__file__).resolve().parents[2]
FLAGGED = "eGFR: multiply by 1.159 if the patient is African American."
# Same rule, a different sentence (so a different fingerprint).
FLAGGED_2 = "MDRD: eGFR = 175 × SCr^-1.154 × age^-0.203 × 1.212 [if Black]"
FLAGGED_3 = "Remember to apply the race coefficient when you calculate eGFR for Black patients."
CLEAN = "The kidney filters blood through the glomerulus."


def subprocess_env(cwd: Path | None = None) -> dict[str, str]:
    """The current environment with this checkout's sources importable and, when ``cwd`` is
    given, the user cache folder redirected inside it (XDG_CACHE_HOME=cwd/xdg)."""
    env = dict(os.environ)
    src = str(REPO / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if cwd is not None:
        env["XDG_CACHE_HOME"] = str(cwd / "xdg")
    return env


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict:
        return json.loads(self.stdout)


def run_cli(cwd: Path, *args: str) -> Outcome:
    """``python -m curriclint ARGS`` in ``cwd``, with pipes (so stderr is not a terminal)."""
    done = subprocess.run([sys.executable, "-m", "curriclint", *args], capture_output=True,
                          text=True, cwd=cwd, env=subprocess_env(cwd), timeout=120)
    return Outcome(done.returncode, done.stdout, done.stderr)


def cli(cwd: Path, *args: str) -> Outcome:
    """The same command line run in this process (spaCy stays loaded between calls, which
    keeps the many small runs of this suite fast). The caller has chdir'ed to ``cwd`` and
    pointed XDG_CACHE_HOME inside it (the ``project`` fixture does both)."""
    from click.testing import CliRunner

    from curriclint.cli import main

    assert Path.cwd() == cwd.resolve()
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return Outcome(result.exit_code, result.stdout, result.stderr)


def active(report: dict, rule_id: str | None = None) -> list[dict]:
    """Findings not suppressed (optionally of one rule)."""
    return [f for f in report["findings"] if "suppressed" not in f
            and (rule_id is None or f["rule_id"] == rule_id)]


def of_rule(report: dict, rule_id: str) -> list[dict]:
    return [f for f in report["findings"] if f["rule_id"] == rule_id]


# pptx ---------------------------------------------------------------------------------------
def make_deck(path: Path, slides: list[dict]) -> Path:
    """One slide per dict: ``title``, ``body`` (text of the body placeholder), ``notes``."""
    prs = Presentation()
    for spec in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = spec.get("title", "Renal physiology")
        slide.placeholders[1].text_frame.text = spec.get("body", CLEAN)
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = spec["notes"]
    prs.save(str(path))
    return path


def set_slide_body(path: Path, number: int, text: str) -> None:
    """Change the body text frame of slide ``number`` (1-based) of a saved deck."""
    prs = Presentation(str(path))
    slide = prs.slides[number - 1]
    slide.placeholders[1].text_frame.text = text
    prs.save(str(path))


# docx ---------------------------------------------------------------------------------------
def make_docx(path: Path, paragraphs: list[str], comments: dict[int, str] | None = None) -> Path:
    """A Word document; ``comments`` maps a paragraph number (1-based) to a Word comment
    anchored to that paragraph's runs."""
    document = docx.Document()
    for number, text in enumerate(paragraphs, start=1):
        paragraph = document.add_paragraph(text)
        if comments and number in comments:
            document.add_comment(paragraph.runs, text=comments[number], author="Reviewer",
                                 initials="RV")
    document.save(str(path))
    return path


# question banks -----------------------------------------------------------------------------
def moodle_xml(questions: list[dict]) -> str:
    """Moodle XML with multichoice questions: ``name``, ``stem``, ``feedback`` (general).

    The keyed answer is deliberately not a race-free replacement: a question keyed to one
    (CKD-EPI 2021) is exempt from the algorithm rules as a whole."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for q in questions:
        parts.append(f"""  <question type="multichoice">
    <name><text>{q['name']}</text></name>
    <questiontext format="html"><text><![CDATA[<p>{q['stem']}</p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>{q.get('feedback', '')}</p>]]></text></generalfeedback>
    <answer fraction="100" format="html"><text>MDRD</text></answer>
    <answer fraction="0" format="html"><text>Cockcroft-Gault</text></answer>
  </question>""")
    parts.append("</quiz>")
    return "\n".join(parts) + "\n"
