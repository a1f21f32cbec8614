"""Every slide deck, PDF and Word file of the real-world corpus through extraction: each one
ends as segments or as a one-line diagnostic that says what is wrong, never a crash. Skips
unless CURRICLINT_REALWORLD is set."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from curriclint.config import Config
from curriclint.discover import Target
from curriclint.runner import read_target

pytestmark = pytest.mark.realworld

EXTS = {".pptx", ".pptm", ".potx", ".ppsx", ".pdf", ".docx", ".docm", ".dotx", ".ppt", ".doc"}
FOLDERS = ("pptx", "pdf", "docx")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def results(realworld):
    """rel path -> (FileResult, segments) for every document file of the corpus."""
    out = {}
    for folder in FOLDERS:
        for path in sorted((realworld / folder).rglob("*")):
            if path.is_file() and path.suffix.lower() in EXTS:
                rel = path.relative_to(realworld).as_posix()
                out[rel] = read_target(Target(path, rel, explicit=True), Config())
    assert len(out) >= 290, f"only {len(out)} files: is {realworld} the full corpus?"
    return out


def find(results, name: str) -> str:
    matches = [rel for rel in results if rel.rsplit("/", 1)[-1] == name]
    assert len(matches) == 1, f"{name}: {matches}"
    return matches[0]


def error_of(results, name: str) -> str:
    result, segments = results[find(results, name)]
    assert result.status == "error", f"{name}: status {result.status}, expected error"
    assert not segments
    return result.error


def test_every_file_ends_in_segments_or_one_clear_line(results):
    problems = []
    for rel, (result, segments) in results.items():
        if result.status == "ok":
            continue
        if result.status != "error" or not result.error:
            problems.append(f"{rel}: status {result.status!r}, error {result.error!r}")
        elif "\n" in result.error or "could not read this" in result.error:
            problems.append(f"{rel}: unclassified or multi-line error: {result.error!r}")
    assert not problems, "\n".join(problems)
    ok = sum(r.status == "ok" for r, _ in results.values())
    assert ok >= 0.8 * len(results)


@pytest.mark.parametrize("name, expected", [
    ("encryption__aes-128.pdf", "encrypted"),
    ("password-example.pdf", "encrypted"),
    ("issue-203-decimalize.pdf", "no text layer"),
    ("contrib__pdf-with-jbig2.pdf", "no text layer"),
    ("empty.pdf", "empty"),
    ("truncated62886.docx", "corrupt or truncated"),
    ("41071.ppt", "legacy"),
    ("PasswordProtected.doc", "legacy"),
    ("HIV_Class_Presentation.pptx", "not a PowerPoint file"),
    ("bug53475-password-is-pass.docx", "encrypted"),
])
def test_diagnostics(results, name, expected):
    assert expected in error_of(results, name)


def test_text_boxes_groups_and_smartart_found(results):
    _, segments = results["docx/mammoth/text-box.docx"]
    assert [s for s in segments if s.part == "textbox" and s.text.strip()]

    result, segments = results["pptx/medical-lectures/hbc__drawings.pptx"]
    assert result.status == "ok"
    assert len([s for s in segments if s.part == "body" and s.text.strip()]) > 50

    _, segments = results["pptx/poi/smartart-simple.pptx"]
    assert {s.text for s in segments if s.part == "smartart"} >= {"abc", "def", "ghi"}


def test_cli_extract_over_the_whole_folders(realworld, tmp_path):
    """The real command over the three folders at once: no traceback, JSON lines on stdout,
    one 'path: error: …' line on stderr per unreadable file, exit 2 (some files are)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + (os.pathsep + env["PYTHONPATH"]
                                             if env.get("PYTHONPATH") else "")
    folders = [str(realworld / folder) for folder in FOLDERS]
    before = {p: sorted(map(str, Path(p).rglob("*"))) for p in folders}
    proc = subprocess.run([sys.executable, "-m", "curriclint", "extract", *folders],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=tmp_path, timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 2, proc.stderr[-3000:]
    segments = [json.loads(line) for line in proc.stdout.splitlines()]
    paths = {s["path"] for s in segments}
    assert len(paths) >= 200
    assert any(p.endswith("hbc__drawings.pptx") for p in paths)
    errors = [line for line in proc.stderr.splitlines() if ": error: " in line]
    assert any("HIV_Class_Presentation.pptx: error: not a PowerPoint file" in e for e in errors)
    assert any("41071.ppt: error: legacy" in e for e in errors)
    stray = [line for line in proc.stderr.splitlines()
             if line.strip() and ": error: " not in line and ": notice: " not in line]
    assert not stray, "\n".join(stray[:20])
    assert {p: sorted(map(str, Path(p).rglob("*"))) for p in folders} == before  # nothing written there
