"""Acceptance tests of ``curriclint check`` and ``extract`` through the command line: the
report shapes, the exit-code table, options, config discovery and folder walking, as
ARCHITECTURE.md promises them to users and scripts."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from curriclint.cli import main

EGFR = "eGFR × 1.159 if African American"
WARNING_ONLY = "A 45-year-old man who is noncompliant with his insulin presents with foot pain.\n"
REPO = Path(__file__).resolve().parents[2]


def subprocess_env() -> dict[str, str]:
    """The current environment, with this checkout's sources importable even without an
    installed package."""
    env = dict(os.environ)
    src = str(REPO / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_module(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "curriclint", *args], capture_output=True,
                          text=True, cwd=cwd, env=subprocess_env(), timeout=300)


def cli(*args: str, cwd: Path | None = None):
    """Run the CLI in-process; ``cwd`` changes the working folder for the call only."""
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args), catch_exceptions=False)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def clean_deck(path: Path, slides: int = 3) -> Path:
    prs = Presentation()
    for number in range(1, slides + 1):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = f"The cardiac cycle, part {number}"
        slide.placeholders[1].text_frame.text = "Stroke volume depends on preload and afterload."
    prs.save(path)
    return path


@pytest.fixture(scope="module")
def decks(tmp_path_factory, long_deck) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("decks")
    return {"dirty": long_deck(folder / "long.pptx"),
            "clean": long_deck(folder / "long-clean.pptx", with_race=False)}


def rba001(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["rule_id"] == "RBA001"]


# ------------------------------------------------------------------ report shapes

def test_sixty_slide_deck_json(decks):
    result = cli("check", "--format", "json", str(decks["dirty"]))
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["version"] == "1"
    assert report["files"] == [{"path": str(decks["dirty"]), "format": "pptx",
                                "segments": report["files"][0]["segments"],
                                "status": "ok", "error": None}]
    found = rba001(report)
    assert [(f["location"]["index"], f["location"]["part"]) for f in found] == \
        [(14, "table"), (20, "notes")]
    table, notes = found
    assert table["location"]["unit"] == "slide"
    assert (table["location"]["row"], table["location"]["col"]) == (2, 2)
    assert "1.159" in table["text"] and table["severity"] == "error"
    assert table["category"] == "race_based_algorithm" and table["pack"] == "race-based-algorithms"
    assert "1.159" in notes["text"]
    assert notes["location"].get("row") is None
    for finding in found:
        start, end = finding["context_span"]["start"], finding["context_span"]["end"]
        assert finding["context"][start:end] == finding["text"]
        assert finding["fingerprint"]
    assert report["summary"]["files"] == 1 and report["summary"]["findings"] >= 2


def test_same_deck_without_the_lines_exits_0(decks):
    result = cli("check", "--format", "json", str(decks["clean"]))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["files"][0]["status"] == "ok"


def test_text_format_lines_and_summary(decks):
    result = cli("check", str(decks["dirty"]))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    path = re.escape(str(decks["dirty"]))
    assert any(re.fullmatch(rf"{path}:slide 14 \(table r2c2\): RBA001 \[error\] .+", line)
               for line in lines), result.stdout
    assert any(re.fullmatch(rf"{path}:slide 20 \(notes\): RBA001 \[error\] .+", line)
               for line in lines), result.stdout
    assert re.fullmatch(r"Found \d+ findings? \(\d+ error, \d+ warning, \d+ info\) in 1 file; "
                        r"0 unreadable, 0 skipped\.", lines[-1]), lines[-1]


def test_relative_path_reported_as_given(decks):
    result = cli("check", "--format", "json", decks["dirty"].name, cwd=decks["dirty"].parent)
    report = json.loads(result.stdout)
    assert {f["path"] for f in report["findings"]} == {"long.pptx"}


# ------------------------------------------------------------------ exit codes and options

def test_text_file_named_pptx_is_error_exit_2(tmp_path):
    fake = tmp_path / "lecture.pptx"
    fake.write_text("This is not a slide deck.\n", encoding="utf-8")
    result = cli("check", "--format", "json", str(fake))
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    [entry] = report["files"]
    assert entry["status"] == "error" and entry["error"].startswith("not a PowerPoint file")
    assert report["summary"]["unreadable"] == 1
    text = cli("check", str(fake))
    assert text.exit_code == 2 and f"{fake}: error: not a PowerPoint file" in text.stdout


def test_unreadable_file_beats_fail_on_never(tmp_path):
    fake = tmp_path / "lecture.pptx"
    fake.write_text("plain text\n", encoding="utf-8")
    assert cli("check", "--fail-on", "never", str(fake)).exit_code == 2


def test_fail_on_never(decks):
    result = cli("check", "--fail-on", "never", str(decks["dirty"]))
    assert result.exit_code == 0 and "RBA001" in result.stdout


@pytest.fixture()
def warning_only(tmp_path) -> Path:
    path = tmp_path / "case.txt"
    path.write_text(WARNING_ONLY, encoding="utf-8")
    return path


def test_fail_on_error_vs_warning(warning_only, decks):
    default = cli("check", "--format", "json", str(warning_only))
    report = json.loads(default.stdout)
    assert {f["severity"] for f in report["findings"]} == {"warning"}, report["findings"]
    assert default.exit_code == 1  # default --fail-on warning
    assert cli("check", "--fail-on", "warning", str(warning_only)).exit_code == 1
    assert cli("check", "--fail-on", "error", str(warning_only)).exit_code == 0
    assert cli("check", "--fail-on", "info", str(warning_only)).exit_code == 1
    assert cli("check", "--fail-on", "error", str(decks["dirty"])).exit_code == 1


def test_output_file(decks, tmp_path):
    out = tmp_path / "report.json"
    result = cli("check", "--format", "json", "--output", str(out), str(decks["dirty"]))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(rba001(json.loads(out.read_text(encoding="utf-8")))) == 2



MIXED = ("eGFR: multiply by 1.159 if the patient is African American.\n\n"
         "Historic texts called trisomy 21 mongoloid idiocy, and some still do.\n\n"
         + WARNING_ONLY)


@pytest.fixture()
def mixed(tmp_path, local_pack_text) -> tuple[Path, Path]:
    text = tmp_path / "notes.txt"
    text.write_text(MIXED, encoding="utf-8")
    pack = tmp_path / "local.yaml"
    pack.write_text(local_pack_text, encoding="utf-8")
    return text, pack


def rule_ids(result) -> set[str]:
    return {f["rule_id"] for f in json.loads(result.stdout)["findings"]}


def test_rules_builtin_name(mixed):
    text, _ = mixed
    everything = rule_ids(cli("check", "--format", "json", str(text)))
    assert {"RBA001", "SV001"} <= everything and "LOC001" not in everything
    only = rule_ids(cli("check", "--format", "json", "--rules", "race-based-algorithms", str(text)))
    assert "RBA001" in only and all(r.startswith("RBA") for r in only)


def test_rules_custom_pack_path(mixed):
    text, pack = mixed
    result = cli("check", "--format", "json", "--rules", str(pack), str(text))
    assert result.exit_code == 1
    assert rule_ids(result) == {"LOC001"}
    assert json.loads(result.stdout)["packs"] == [{"name": "local-terms", "version": "1.0.0"}]


def test_extend_rules(mixed):
    text, pack = mixed
    ids = rule_ids(cli("check", "--format", "json", "--extend-rules", str(pack), str(text)))
    assert {"RBA001", "SV001", "LOC001"} <= ids


def test_bad_pack_is_exit_2(mixed, tmp_path):
    text, _ = mixed
    broken = tmp_path / "broken.yaml"
    broken.write_text("pack: broken\nversion: 1.0.0\nrules:\n  - id: nope\n", encoding="utf-8")
    result = cli("check", "--rules", str(broken), str(text))
    assert result.exit_code == 2
    assert str(broken) in result.stderr
    assert cli("check", "--rules", "no-such-pack", str(text)).exit_code == 2


def test_config_option(decks, tmp_path):
    config = tmp_path / ".curriclint.yaml"
    config.write_text("fail-on: never\n", encoding="utf-8")
    result = cli("check", "--config", str(config), str(decks["dirty"]))
    assert result.exit_code == 0 and "RBA001" in result.stdout
    missing = cli("check", "--config", str(tmp_path / "nope.yaml"), str(decks["dirty"]))
    assert missing.exit_code == 2 and "config file not found" in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("fail_on: never\n", encoding="utf-8")
    typo = cli("check", "--config", str(bad), str(decks["dirty"]))
    assert typo.exit_code == 2 and "fail-on" in typo.stderr


def test_config_discovered_from_pyproject_in_parent(decks, tmp_path):
    project = tmp_path / "course"
    lectures = project / "block2" / "renal"
    lectures.mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "course"\n\n[tool.curriclint]\nfail-on = "never"\n', encoding="utf-8")
    deck = lectures / "long.pptx"
    deck.write_bytes(decks["dirty"].read_bytes())
    result = cli("check", str(deck))
    assert result.exit_code == 0 and "RBA001" in result.stdout
    # the same deck outside the project uses the default (fail on warning)
    assert cli("check", str(decks["dirty"])).exit_code == 1
    # and from inside the project with a relative path
    assert cli("check", "block2", cwd=project).exit_code == 0


def test_folder_walk_skips_unsupported_and_honours_gitignore(decks, tmp_path):
    folder = tmp_path / "course"
    (folder / "drafts").mkdir(parents=True)
    (folder / "lecture.pptx").write_bytes(decks["dirty"].read_bytes())
    (folder / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    (folder / "drafts" / "old.txt").write_text(MIXED, encoding="utf-8")
    (folder / "private.txt").write_text(MIXED, encoding="utf-8")
    (folder / ".gitignore").write_text("private.txt\ndrafts/\n", encoding="utf-8")
    result = cli("check", "--format", "json", str(folder))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == [f"{folder}/lecture.pptx"]
    assert report["summary"]["skipped"] == 1
    assert report["summary"]["files"] == 1 and report["summary"]["unreadable"] == 0
    assert {f["path"] for f in report["findings"]} == {f"{folder}/lecture.pptx"}
    # a file named explicitly is always read, even if ignored
    explicit = cli("check", "--format", "json", str(folder / "private.txt"))
    assert "RBA001" in rule_ids(explicit)


def test_unsupported_file_named_explicitly_is_error(tmp_path):
    image = tmp_path / "diagram.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    result = cli("check", str(image))
    assert result.exit_code == 2 and "unsupported file type" in result.stdout


def test_usage_error_exit_2(tmp_path):
    assert cli("check").exit_code == 2
    assert cli("check", "--fail-on", "sometimes", str(tmp_path)).exit_code == 2


# ------------------------------------------------------------------ python -m, spaCy, temp files

def test_python_m_curriclint(decks):
    version = run_module("--version")
    assert version.returncode == 0 and re.search(r"curriclint, version \d+\.\d+", version.stdout)
    result = run_module("check", str(decks["dirty"]))
    assert result.returncode == 1 and "RBA001" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_whole_report_is_written_before_the_process_ends_at_once(decks, tmp_path):
    """The console script ends the process without tearing the interpreter down: what
    it wrote to a pipe and to --output must all be there, with the right exit code."""
    piped = run_module("check", "--format", "json", str(decks["dirty"]))
    assert piped.returncode == 1, piped.stderr
    assert len(rba001(json.loads(piped.stdout))) == 2
    written = run_module("check", "--format", "sarif", "--output", str(tmp_path / "out.sarif"),
                         str(decks["dirty"]))
    assert written.returncode == 1 and written.stdout == ""
    assert json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))["runs"]
    clean = run_module("extract", str(decks["clean"]))
    assert clean.returncode == 0 and len(clean.stdout.splitlines()) > 60


SNIPPET = """\
import sys
from curriclint.cli import main
try:
    main(sys.argv[1:], prog_name="curriclint", standalone_mode=False)
except SystemExit:
    pass
print()
print(" ".join(sorted(sys.modules)))
"""


def imported_modules(*args: str) -> tuple[int, set[str]]:
    """Run the CLI in a fresh interpreter: its exit code and every module it imported."""
    result = subprocess.run([sys.executable, "-c", SNIPPET, *args], capture_output=True,
                            text=True, env=subprocess_env(), timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, set(result.stdout.strip().splitlines()[-1].split())


def spacy_loaded(*args: str) -> bool:
    return "spacy" in imported_modules(*args)[1]


def test_version_help_and_extract_never_import_spacy(decks):
    assert not spacy_loaded("--version")
    assert not spacy_loaded("--help")
    assert not spacy_loaded("check", "--help")
    assert not spacy_loaded("extract", str(decks["dirty"]))


def test_check_without_trigger_never_imports_spacy(tmp_path, long_deck):
    deck = clean_deck(tmp_path / "clean.pptx")
    assert not spacy_loaded("check", str(deck))
    # and the snippet does see spaCy when a deck does need it
    assert spacy_loaded("check", str(long_deck(tmp_path / "dirty.pptx")))


def test_trigger_free_cold_check_imports_only_what_it_needs(tmp_path):
    """The pre-commit path: with the compiled packs cached, a cold check of a trigger-free
    deck imports the deck's reader and the text reporter, and nothing else heavy: not spaCy
    or the classifier, not YAML or JSON Schema (the packs come from the cache), not the
    other formats' readers or the other reporters."""
    deck = clean_deck(tmp_path / "clean.pptx")
    args = ["check", "--no-cache", "--cache-dir", str(tmp_path / "cache"), str(deck)]
    runs = [imported_modules(*args) for _ in range(2)]
    assert [code for code, _ in runs] == [0, 0]
    first, second = (modules for _, modules in runs)
    assert "jsonschema" in first and "yaml" in first, "the first run loads and validates the packs"
    assert "curriclint.extract.pptx" in second and "curriclint.report.text_report" in second
    heavy = {"spacy", "thinc", "jsonschema", "yaml", "docx", "pypdfium2", "openpyxl", "jinja2",
             "curriclint.extract.docx", "curriclint.extract.pdf", "curriclint.report.html_report",
             "curriclint.report.json_report", "curriclint.report.sarif_report", "curriclint.engine.runtime"}
    assert not heavy & second, sorted(heavy & second)


def test_no_temporary_files_beside_input(tmp_path, long_deck):
    from docx import Document
    from fpdf import FPDF

    long_deck(tmp_path / "deck.pptx")
    doc = Document()
    doc.add_paragraph(f"Use {EGFR}.")
    doc.save(tmp_path / "notes.docx")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "eGFR x 1.159 if African American")
    pdf.output(str(tmp_path / "handout.pdf"))
    (tmp_path / "case.txt").write_text(MIXED, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for name in ("deck.pptx", "notes.docx", "handout.pdf", "case.txt"):
        assert cli("check", str(tmp_path / name)).exit_code == 1, name
        assert cli("extract", str(tmp_path / name)).exit_code == 0, name
    assert cli("check", "--format", "json", str(tmp_path)).exit_code == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_extract_json_lines(decks):
    result = cli("extract", str(decks["dirty"]))
    assert result.exit_code == 0
    segments = [json.loads(line) for line in result.stdout.splitlines()]
    hits = [s for s in segments if "1.159" in s["text"]]
    assert [(s["unit"], s["index"], s["part"]) for s in hits] == [("slide", 14, "table"),
                                                                  ("slide", 20, "notes")]
    assert (hits[0]["row"], hits[0]["col"]) == (2, 2)
    assert {"path", "unit", "index", "part", "question_id", "text"} <= set(segments[0])


def test_extract_unreadable_is_exit_2(tmp_path):
    fake = tmp_path / "lecture.pptx"
    fake.write_text("plain text\n", encoding="utf-8")
    result = cli("extract", str(fake))
    assert result.exit_code == 2 and "not a PowerPoint file" in result.stderr
