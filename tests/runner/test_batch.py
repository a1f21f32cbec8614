"""Batch behaviour of ``curriclint check`` end to end, on real files built in tmp_path
(python-pptx, python-docx, plain text, GIFT, Moodle XML): the result cache, inline
suppressions, the baseline, project configuration, ``--jobs`` and progress output.

Most runs go through the command line in this process (``cli``), which keeps spaCy loaded
between the many small runs; what depends on a fresh interpreter (spaCy never imported,
worker processes, stderr not a terminal) runs ``python -m curriclint`` in a subprocess
(``run_cli``). Every run uses a cache folder inside tmp_path, and XDG_CACHE_HOME points inside
tmp_path too, so the user's cache is never touched.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from batch_helpers import (
    CLEAN, FLAGGED, FLAGGED_2, FLAGGED_3, active, cli, make_deck, make_docx, moodle_xml,
    of_rule, run_cli, set_slide_body, subprocess_env,
)

REASON = "shown for critique"
DIRECTIVE = f"curriclint: ignore RBA001 -- {REASON}"


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    """tmp_path as the current folder and project root (an empty .curriclint.yaml pins the
    root, so nothing above tmp_path is picked up), with the user cache redirected inside."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / ".curriclint.yaml").write_text("", encoding="utf-8")
    return tmp_path


def check(project: Path, *args: str):
    """``check --format json`` in this process, with the cache inside the project."""
    return cli(project, "check", "--format", "json", "--cache-dir", "cache", *args)


def corpus(folder: Path) -> dict[str, Path]:
    """Three decks and one text file; one deck has a flagged slide."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "renal": make_deck(folder / "renal.pptx", [{"title": "Renal", "body": CLEAN},
                                                   {"title": "eGFR", "body": FLAGGED}]),
        "cardio": make_deck(folder / "cardio.pptx", [{"title": "Cardio", "body": "Heart sounds."},
                                                     {"title": "ECG", "body": "Read the ECG."}]),
        "pulm": make_deck(folder / "pulm.pptx", [{"title": "Spirometry", "body": "FEV1 and FVC."},
                                                 {"title": "Gas exchange", "body": "Diffusion."}]),
        "notes": _write(folder / "notes.txt", f"Lecture notes.\n\n{FLAGGED_3}\n"),
    }


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# 1. cache ----------------------------------------------------------------------------------
class Runs:
    """check_paths with exactly the config, linter and cache the CLI builds for these options
    (cli._prepare is where the cache key is made, so the test uses it rather than a copy).
    One linter per option set (each linter loads spaCy once); a fresh Cache object per run,
    because RunResult.cache_hits is that object's hit count."""

    def __init__(self, paths: list[str], cache_dir: Path, extend: tuple = ()):
        from curriclint.cli import _prepare

        self.paths = paths
        self.config, self.settings, _, self.linter, cache = _prepare(
            tuple(paths), (), extend, (), (), None, False, str(cache_dir))
        self.folder, self.key = cache.folder.parent, cache.folder.name

    def run(self, cached: bool = True):
        from curriclint.cache import Cache
        from curriclint.runner import check_paths

        cache = Cache(self.folder, self.key) if cached else None
        return check_paths(list(self.paths), self.config, self.linter, self.settings, jobs=1,
                           cache=cache)


def _where(run) -> list[tuple[str, str, int]]:
    return [(f.path, f.rule_id, f.location["index"]) for f in run.findings if f.suppressed is None]


def test_cache_hits_edit_one_slide_no_cache_and_pack_change(project, local_pack_text):
    files = corpus(project / "course")
    everything = sorted(f"course/{p.name}" for p in files.values())
    cache_dir = project / "cache"
    default = Runs(["course"], cache_dir)

    first = default.run()
    assert sorted(first.processed) == everything and first.cache_hits == 0
    assert ("course/renal.pptx", "RBA001", 2) in _where(first)
    assert any(cache_dir.rglob("*.json")), "the first run fills the cache"

    second = default.run()
    assert second.cache_hits == 4 and second.processed == []
    assert _where(second) == _where(first)

    # Edit one text frame of one slide of one deck: only that deck is read again.
    set_slide_body(files["pulm"], 2, FLAGGED_2)
    third = default.run()
    assert third.processed == ["course/pulm.pptx"]
    assert third.cache_hits == 3
    assert ("course/pulm.pptx", "RBA001", 2) in _where(third)
    assert ("course/renal.pptx", "RBA001", 2) in _where(third)

    uncached = default.run(cached=False)
    assert sorted(uncached.processed) == everything and uncached.cache_hits == 0
    assert _where(uncached) == _where(third)

    # A different pack set, then the same pack file edited: both miss the cache.
    pack = _write(project / "local.yaml", local_pack_text)
    extended = Runs(["course"], cache_dir, extend=(str(pack),))
    assert sorted(extended.run().processed) == everything
    assert extended.run().processed == []
    pack.write_text(local_pack_text.replace("retired this term.", "retired this term in 2020."),
                    encoding="utf-8")
    edited = Runs(["course"], cache_dir, extend=(str(pack),)).run()
    assert sorted(edited.processed) == everything and edited.cache_hits == 0
    assert _where(edited) == _where(third)


def _clean_texts(folder: Path, count: int = 4) -> None:
    """Files without any rule trigger: linting them never loads spaCy, so runs are fast."""
    for number in range(1, count + 1):
        _write(folder / f"clean{number}.txt", f"Lecture {number}.\n\n{CLEAN}\n")


def test_cli_no_cache_and_cache_dir_stay_where_told(project):
    _clean_texts(project / "course")
    assert check(project, "course").code == 0
    assert len(list((project / "cache").rglob("*.json"))) == 4
    assert check(project, "--no-cache", "--cache-dir", "other", "course").code == 0
    assert not list((project / "other").rglob("*.json")), "--no-cache stores no results"
    assert [p.parent.name for p in (project / "other").rglob("*.pickle")] == ["packs"], \
        "only the compiled packs are kept"
    assert not (project / "xdg").exists(), "the user cache folder is never used with --cache-dir"


SPACY_PROBE = """\
import sys
from curriclint.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print("spacy" in sys.modules)
"""


def test_cached_run_never_imports_spacy(tmp_path):
    corpus(tmp_path / "course")
    args = ["check", "--format", "json", "--cache-dir", str(tmp_path / "cache"), "course"]

    def probe() -> str:
        done = subprocess.run([sys.executable, "-c", SPACY_PROBE, *args], capture_output=True,
                              text=True, cwd=tmp_path, env=subprocess_env(tmp_path), timeout=120)
        assert done.stdout.strip(), done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert probe() == "True", "the first run lints, so spaCy is loaded (the probe works)"
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 4
    assert probe() == "False", "a fully cached run must not import spaCy"
    assert sorted((tmp_path / "cache").rglob("*.json")) == entries, \
        "the second run wrote new entries: the cache key changed between the runs"


# 2. inline suppressions --------------------------------------------------------------------
def _pptx_case(root: Path) -> str:
    make_deck(root / "deck.pptx", [{"title": "eGFR", "body": FLAGGED, "notes": DIRECTIVE},
                                   {"title": "MDRD", "body": FLAGGED_2}])
    return "deck.pptx"


def _docx_case(root: Path) -> str:
    make_docx(root / "doc.docx", ["Renal physiology.", FLAGGED, f"Later: {FLAGGED_2}"],
              comments={2: DIRECTIVE})
    return "doc.docx"


def _gift_case(root: Path) -> str:
    _write(root / "bank.gift", f"""\
// curriclint: ignore RBA001 -- {REASON}
::Q1:: Which equation does this lab sheet use? {{
=CKD-EPI 2009 #Right. The sheet says: {FLAGGED}
~Cockcroft-Gault
}}

// curriclint: ignore RBA001 -- {REASON}
::Q2:: {FLAGGED} Which creatinine is normal? {{
=0.9 mg/dL
~3.0 mg/dL
}}

::Q3:: {FLAGGED_2} What is this equation? {{
=MDRD
~Cockcroft-Gault
}}
""")
    return "bank.gift"


def _moodle_case(root: Path) -> str:
    _write(root / "bank.xml", moodle_xml([
        {"name": "Q1", "stem": f"{FLAGGED} Which equation is this?", "feedback": DIRECTIVE},
        {"name": "Q2", "stem": f"{FLAGGED_2} Which equation is this?", "feedback": "MDRD."},
    ]))
    return "bank.xml"


def _text_same_paragraph(root: Path) -> str:
    _write(root / "same.txt", f"Intro.\n\n{FLAGGED}\n{DIRECTIVE}\n\nOther.\n\n{FLAGGED_2}\n")
    return "same.txt"


def _text_paragraph_before(root: Path) -> str:
    _write(root / "before.txt", f"Intro.\n\n{DIRECTIVE}\n\n{FLAGGED}\n\nOther.\n\n{FLAGGED_2}\n")
    return "before.txt"


# (builder, unit, indexes of the suppressed RBA001 findings, indexes of the ones that stay)
SUPPRESSION_CASES = {
    "pptx-notes": (_pptx_case, "slide", [1], [2]),
    "docx-comment": (_docx_case, "paragraph", [2], [3]),
    "gift-comment-feedback-and-stem": (_gift_case, "question", [1, 2], [3]),
    "moodle-generalfeedback": (_moodle_case, "question", [1], [2]),
    "text-same-paragraph": (_text_same_paragraph, "line", [3], [8]),
    "text-paragraph-before": (_text_paragraph_before, "line", [5], [9]),
}


@pytest.mark.parametrize("case", list(SUPPRESSION_CASES))
def test_inline_suppression(project, case):
    build, unit, suppressed_at, active_at = SUPPRESSION_CASES[case]
    name = build(project)
    result = check(project, name)
    report = result.report
    findings = of_rule(report, "RBA001")
    assert {f["location"]["unit"] for f in findings} == {unit}
    suppressed = [f for f in findings if "suppressed" in f]
    assert [f["location"]["index"] for f in suppressed] == suppressed_at
    assert all(f["suppressed"] == {"by": "inline", "reason": REASON} for f in suppressed)
    assert [f["location"]["index"] for f in active(report, "RBA001")] == active_at
    # The directive has a reason and is used: no CL001/CL002.
    assert not [f for f in report["findings"] if f["rule_id"].startswith("CL")]
    assert report["summary"]["findings"] == len(active(report)) == len(active_at)
    assert report["summary"]["by_severity"]["error"] == len(active_at)
    assert result.code == 1  # the finding outside the directive's unit still fails the run


def test_inline_suppression_alone_exits_zero(project):
    make_deck(project / "deck.pptx", [{"body": CLEAN}, {"body": FLAGGED, "notes": DIRECTIVE}])
    result = check(project, "deck.pptx")
    assert result.code == 0
    [finding] = result.report["findings"]
    assert finding["suppressed"] == {"by": "inline", "reason": REASON}
    assert result.report["summary"]["findings"] == 0


def test_text_directive_does_not_reach_past_the_next_paragraph(project):
    _write(project / "far.txt", f"{DIRECTIVE}\n\n{CLEAN}\n\n{FLAGGED}\n")
    result = check(project, "far.txt")
    report = result.report
    assert [f["location"]["index"] for f in active(report, "RBA001")] == [5]
    assert [f["location"]["index"] for f in of_rule(report, "CL002")] == [1]
    assert result.code == 1


def test_directive_without_reason_and_unused_directive(project):
    _write(project / "meta.txt", f"curriclint: ignore RBA001\n{FLAGGED}\n\nOther.\n\n"
                                 "curriclint: ignore BR001 -- nothing to see here\n")
    result = check(project, "meta.txt")
    report = result.report
    [rba] = of_rule(report, "RBA001")
    assert rba["suppressed"] == {"by": "inline", "reason": ""}  # still suppresses
    [cl001] = of_rule(report, "CL001")
    [cl002] = of_rule(report, "CL002")
    assert cl001["severity"] == cl002["severity"] == "info"
    assert cl001["location"]["index"] == 1 and cl002["location"]["index"] == 6
    assert "BR001" in cl002["message"]
    assert result.code == 0, "info findings about directives do not change the exit code"


# 3. baseline ---------------------------------------------------------------------------------
def _deck(project: Path, bodies: list[str]) -> None:
    make_deck(project / "deck.pptx", [{"title": f"Slide {i}", "body": b}
                                      for i, b in enumerate(bodies, start=1)])


def _entries(project: Path) -> list[dict]:
    return json.loads((project / "b.json").read_text(encoding="utf-8"))["entries"]


def test_baseline_end_to_end(project):
    # `baseline create|update` take no --cache-dir: the config points them (and check, which
    # also gets --cache-dir) at the same cache folder inside the project.
    _write(project / ".curriclint.yaml", "cache-dir: cache\n")
    _deck(project, [CLEAN, FLAGGED, CLEAN])
    created = cli(project, "baseline", "create", "deck.pptx", "--baseline", "b.json",
                  "--reason", "legacy", "--reviewer", "Dr X")
    assert created.code == 0, created.stderr
    [entry] = _entries(project)
    assert {"fingerprint", "rule_id", "path", "location", "reason", "reviewer"} <= set(entry)
    assert (entry["rule_id"], entry["path"], entry["reason"], entry["reviewer"]) == \
        ("RBA001", "deck.pptx", "legacy", "Dr X")
    assert entry["location"]["unit"] == "slide" and entry["location"]["index"] == 2
    original = entry["fingerprint"]

    result = check(project, "--baseline", "b.json", "deck.pptx")
    assert result.code == 0
    [finding] = result.report["findings"]
    assert finding["fingerprint"] == original
    assert finding["suppressed"] == {"by": "baseline", "reason": "legacy"}
    assert result.report["summary"]["findings"] == 0
    assert "stale_baseline" not in result.report

    # A new flagged slide: only it counts.
    _deck(project, [CLEAN, FLAGGED, CLEAN, FLAGGED_2])
    result = check(project, "--baseline", "b.json", "deck.pptx")
    assert result.code == 1
    assert [f["location"]["index"] for f in active(result.report)] == [4]
    assert [f["fingerprint"] for f in result.report["findings"] if "suppressed" in f] == [original]

    # The original slide moved from position 2 to 4: still the same entry.
    _deck(project, [FLAGGED_2, CLEAN, CLEAN, FLAGGED])
    result = check(project, "--baseline", "b.json", "deck.pptx")
    assert result.code == 1
    moved = [f for f in result.report["findings"] if f["fingerprint"] == original]
    assert len(moved) == 1 and moved[0]["location"]["index"] == 4
    assert moved[0]["suppressed"] == {"by": "baseline", "reason": "legacy"}
    assert [f["location"]["index"] for f in active(result.report)] == [1]

    # update: the surviving entry keeps its reason and reviewer, the new one gets today's.
    updated = cli(project, "baseline", "update", "deck.pptx", "--baseline", "b.json",
                  "--reason", "reviewed", "--reviewer", "Dr Y")
    assert updated.code == 0, updated.stderr
    by_fp = {e["fingerprint"]: e for e in _entries(project)}
    assert len(by_fp) == 2
    assert (by_fp[original]["reason"], by_fp[original]["reviewer"]) == ("legacy", "Dr X")
    [new] = [e for fp, e in by_fp.items() if fp != original]
    assert (new["reason"], new["reviewer"]) == ("reviewed", "Dr Y")

    # The original flagged text is removed: its entry is stale (JSON and text output).
    _deck(project, [FLAGGED_2, CLEAN, CLEAN, CLEAN])
    result = check(project, "--baseline", "b.json", "deck.pptx")
    assert result.code == 0
    assert [e["fingerprint"] for e in result.report["stale_baseline"]] == [original]
    text = cli(project, "check", "--cache-dir", "cache", "--baseline", "b.json", "deck.pptx")
    assert text.code == 0
    stale_lines = [line for line in text.stdout.splitlines() if "stale" in line]
    assert len(stale_lines) == 1 and original in stale_lines[0] and "RBA001" in stale_lines[0]

    # update drops the stale entry and keeps the other one as it was.
    assert cli(project, "baseline", "update", "deck.pptx", "--baseline", "b.json",
               "--reason", "later", "--reviewer", "Dr Z").code == 0
    assert [(e["fingerprint"], e["reason"], e["reviewer"]) for e in _entries(project)] == \
        [(new["fingerprint"], "reviewed", "Dr Y")]
    assert not (project / "xdg").exists(), "the user cache folder was never used"


# 4. config -----------------------------------------------------------------------------------
def _config(project: Path, text: str) -> None:
    _write(project / ".curriclint.yaml", text)


def test_config_severity(project):
    _write(project / "notes.txt", f"{FLAGGED}\n")
    _config(project, "severity: {RBA001: warning}\n")
    result = check(project, "notes.txt")
    assert [f["severity"] for f in of_rule(result.report, "RBA001")] == ["warning"]
    assert result.code == 1  # warning still reaches the default --fail-on warning
    assert check(project, "--fail-on", "error", "notes.txt").code == 0


PER_PATH_DOWNGRADE = """\
per-path:
  - paths: ["history/**"]
    downgrade: [race_based_algorithm]
"""


def test_config_per_path_downgrade(project):
    for folder in ("history", "current"):
        _write(project / folder / "notes.txt", f"{FLAGGED}\n")
    _config(project, PER_PATH_DOWNGRADE)
    history = check(project, "history")
    assert [f["severity"] for f in of_rule(history.report, "RBA001")] == ["info"]
    assert history.code == 0
    current = check(project, "current")
    assert [f["severity"] for f in of_rule(current.report, "RBA001")] == ["error"]
    assert current.code == 1
    both = check(project, "history", "current/notes.txt")
    assert {f["path"]: f["severity"] for f in of_rule(both.report, "RBA001")} == \
        {"history/notes.txt": "info", "current/notes.txt": "error"}


def test_config_per_path_ignore_is_suppressed_by_config(project):
    for folder in ("history", "current"):
        _write(project / folder / "notes.txt", f"{FLAGGED}\n")
    _config(project, 'per-path:\n  - paths: ["history/**"]\n    ignore: [RBA001]\n'
                     "    reason: taught critically in the history course\n")
    result = check(project, "history", "current")
    by_path = {f["path"]: f for f in of_rule(result.report, "RBA001")}
    assert by_path["history/notes.txt"]["suppressed"] == \
        {"by": "config", "reason": "taught critically in the history course"}
    assert "suppressed" not in by_path["current/notes.txt"]
    assert result.report["summary"]["findings"] == 1
    assert check(project, "history").code == 0


def test_config_per_path_paths_as_a_string_does_not_match_everything(project):
    """A per-path entry with ``paths: "history/**"`` (a string, not a list) must not apply
    to files outside history/."""
    _write(project / "current" / "notes.txt", f"{FLAGGED}\n")
    _config(project, 'per-path:\n  - paths: "history/**"\n    downgrade: [race_based_algorithm]\n')
    result = check(project, "current")
    # Either the config is rejected (exit 2) or the entry is applied to history/ only.
    if result.code != 2:
        assert [f["severity"] for f in of_rule(result.report, "RBA001")] == ["error"]


def test_config_per_path_unknown_key_is_an_error(project):
    """A typo inside a per-path entry ('downgrde') is an unknown config key too."""
    _write(project / "history" / "notes.txt", f"{FLAGGED}\n")
    _config(project, 'per-path:\n  - paths: ["history/**"]\n    downgrde: [race_based_algorithm]\n')
    result = check(project, "history")
    assert result.code == 2
    assert "downgrde" in result.stderr and "did you mean" in result.stderr


MIXED = f"{FLAGGED}\n\nA 45-year-old man who is noncompliant with his insulin presents with foot pain.\n"


def test_config_select_and_ignore(project):
    _write(project / "notes.txt", MIXED)
    assert {f["rule_id"] for f in check(project, "notes.txt").report["findings"]} == {"RBA001", "SV001"}
    _config(project, "select: [RBA001]\n")
    assert {f["rule_id"] for f in check(project, "notes.txt").report["findings"]} == {"RBA001"}
    _config(project, "ignore: [race_based_algorithm]\n")
    assert {f["rule_id"] for f in check(project, "notes.txt").report["findings"]} == {"SV001"}


def _walk_tree(project: Path) -> None:
    """Only which files are read matters here, so their text has no rule trigger."""
    for rel in ("course/top.txt", "course/week1/renal.txt", "course/archive/old.txt",
                "course/drafts/draft.txt"):
        _write(project / rel, f"{CLEAN}\n")
    make_deck(project / "course" / "week1" / "deck.pptx", [{"body": CLEAN}])


def _paths(result) -> list[str]:
    return sorted(f["path"] for f in result.report["files"])


def test_config_exclude_and_curriclintignore(project):
    _walk_tree(project)
    everything = ["course/archive/old.txt", "course/drafts/draft.txt", "course/top.txt",
                  "course/week1/deck.pptx", "course/week1/renal.txt"]
    assert _paths(check(project, "course")) == everything
    _config(project, 'exclude: ["archive/**"]\n')
    assert _paths(check(project, "course")) == [p for p in everything if "archive" not in p]
    _write(project / "course" / ".curriclintignore", "drafts/\n*.pptx\n")
    assert _paths(check(project, "course")) == ["course/top.txt", "course/week1/renal.txt"]
    # A file named on the command line is always read.
    assert _paths(check(project, "course/drafts/draft.txt")) == ["course/drafts/draft.txt"]


def test_config_include_glob(project):
    _walk_tree(project)
    _config(project, 'include: ["week1/*.pptx"]\n')
    assert _paths(check(project, "course")) == ["course/week1/deck.pptx"]


def test_config_include_doublestar_matches_top_level_files(project):
    """``include: ["**/*.txt"]`` (the form the starter config suggests) must also match
    files directly in the walked folder: ``**/`` is zero or more folders."""
    _walk_tree(project)
    _config(project, 'include: ["**/*.txt"]\n')
    assert "course/top.txt" in _paths(check(project, "course"))


def test_config_unknown_key(project):
    _write(project / "notes.txt", f"{FLAGGED}\n")
    _config(project, "selct: [RBA001]\n")
    result = check(project, "notes.txt")
    assert result.code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "selct" in lines[0] and "did you mean 'select'" in lines[0]
    assert ".curriclint.yaml" in lines[0]


def test_config_jobs_zero_is_an_error(project):
    """``jobs: 0`` in config is as wrong as ``--jobs 0``; it must not silently mean auto."""
    _write(project / "notes.txt", f"{FLAGGED}\n")
    _config(project, "jobs: 0\n")
    assert check(project, "notes.txt").code == 2


def test_init_writes_a_config_that_loads(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    written = run_cli(folder, "init")
    assert written.code == 0, written.stderr
    config = folder / ".curriclint.yaml"
    assert yaml.safe_load(config.read_text(encoding="utf-8")) == {"fail-on": "warning"}
    from curriclint.config import load_config

    loaded = load_config([str(folder)])
    assert loaded.source == config and loaded.get("fail-on") == "warning"
    again = run_cli(folder, "init")
    assert again.code == 2 and "exists" in again.stderr
    _clean_texts(folder, 1)
    result = run_cli(folder, "check", "--cache-dir", "cache", "--format", "json", "clean1.txt")
    assert (result.code, result.stderr) == (0, "")
    assert result.report["summary"]["files"] == 1


# 5. jobs -------------------------------------------------------------------------------------
def test_jobs_two_gives_the_same_report_as_jobs_one(tmp_path):
    corpus(tmp_path / "course")
    set_slide_body(tmp_path / "course" / "pulm.pptx", 1, FLAGGED_2)
    reports = {}
    for jobs in ("1", "2"):
        result = run_cli(tmp_path, "check", "--format", "json", "--no-cache", "--jobs", jobs,
                         "course")
        assert result.code == 1, result.stderr
        reports[jobs] = result.report
    assert len(reports["1"]["files"]) == 4
    assert len(reports["1"]["findings"]) >= 3
    assert reports["2"]["findings"] == reports["1"]["findings"]
    assert [f["fingerprint"] for f in reports["2"]["findings"]] == \
        [f["fingerprint"] for f in reports["1"]["findings"]]
    assert reports["2"] == reports["1"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="read-ahead needs fork")
def test_files_read_ahead_while_the_engine_builds_lint_like_the_rest(tmp_path):
    """With --jobs > 1 a forked process reads files while the parent builds the engine; its
    extractions must lint to exactly what reading and linting in one go gives."""
    import multiprocessing
    import pickle

    from curriclint.config import Config
    from curriclint.discover import discover
    from curriclint.runner import LintSettings, _ReadAhead, lint_extracted, process_target

    files = corpus(tmp_path / "course")
    targets, _ = discover([str(tmp_path / "course")])
    config = Config(root=tmp_path)
    linter = LintSettings().build()
    reader = _ReadAhead(multiprocessing.get_context("fork"), targets, list(range(len(targets))), config,
                        linter.model_gate)
    reader._process.join(timeout=120)  # let it read everything before it is told to stop
    read = {i: pickle.loads(data) for i, data in reader.collect().items()}
    assert sorted(read) == list(range(len(targets))) == list(range(len(files)))
    assert not reader.met_model_text.is_set(), "no file needs the trained pipeline"
    for i, target in enumerate(targets):
        ahead = lint_extracted(*read[i], linter)
        direct = process_target(target, config, linter)
        assert ahead.to_dict() == direct.to_dict()
    assert any(f.rule_id == "RBA001" for i in read for f in lint_extracted(*read[i], linter).findings)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="read-ahead needs fork")
def test_the_reader_tells_when_a_file_needs_the_trained_pipeline(tmp_path):
    """The parent loads the trained pipeline for all workers only when the read-ahead met
    a text that needs it; a worker loads it itself when a later file does. Either way a
    parallel run finds what a serial one finds."""
    import multiprocessing

    from curriclint.config import Config
    from curriclint.discover import discover
    from curriclint.runner import LintSettings, _ReadAhead

    corpus(tmp_path / "course")
    _write(tmp_path / "course" / "vignettes.txt",
           "A 45-year-old alcoholic comes to the emergency department because of epigastric pain.\n")
    targets, _ = discover([str(tmp_path / "course")])
    linter = LintSettings().build()
    reader = _ReadAhead(multiprocessing.get_context("fork"), targets, list(range(len(targets))),
                        Config(root=tmp_path), linter.model_gate)
    reader._process.join(timeout=120)
    reader.collect()
    assert reader.met_model_text.is_set()
    reports = [run_cli(tmp_path, "check", "--format", "json", "--no-cache", "--jobs", jobs, "course").report
               for jobs in ("1", "2")]
    assert reports[0] == reports[1]
    assert any(f["rule_id"] == "SV001" for f in reports[0]["findings"])


@pytest.mark.parametrize("value", ["0", "x", "-1"])
def test_jobs_usage_errors(project, value):
    _write(project / "notes.txt", f"{FLAGGED}\n")
    result = check(project, "--jobs", value, "notes.txt")
    assert result.code == 2
    assert result.stdout == ""
    assert "--jobs" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# 6. progress ---------------------------------------------------------------------------------
def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    _clean_texts(tmp_path / "course")
    result = run_cli(tmp_path, "check", "--no-cache", "course")
    assert result.code == 0
    assert "4 files" in result.stdout
    assert result.stderr == ""


def test_progress_when_enabled(project, capsys):
    """Control for the test above: with progress on, stderr does show it."""
    from curriclint.cli import _prepare
    from curriclint.runner import check_paths

    _clean_texts(project / "course")
    config, settings, _, linter, _ = _prepare(("course",), (), (), (), (), None, True, None)
    check_paths(["course"], config, linter, settings, jobs=1, cache=None, progress=True)
    assert "[4/4]" in capsys.readouterr().err


def test_a_run_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    """A serial run freezes the engine once it is built (and the collector pauses while it
    is built), so that full collections do not walk it; afterwards the process's collector
    is enabled and nothing stays frozen, for a host such as a test runner or a server."""
    import gc

    from curriclint.cli import _prepare
    from curriclint.runner import check_paths

    corpus(tmp_path / "course")
    config, settings, _, linter, _ = _prepare((str(tmp_path / "course"),), (), (), (), (), None, True, None)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    run = check_paths([str(tmp_path / "course")], config, linter, settings, jobs=1)
    assert linter.engine_built and any(f.rule_id == "RBA001" for f in run.findings)
    assert gc.isenabled() and gc.get_freeze_count() == 0
