"""The pre-commit hook, for real: ``pre-commit try-repo`` installs this repository into a
hook environment (pip, from the package index) and runs the hook on a staged deck.

``try-repo`` on a local path uses the repository's HEAD plus staged and modified *tracked*
files; untracked files (a new module or a new ``.pre-commit-hooks.yaml`` not yet added) are
left out. So the test snapshots the working tree (tracked and untracked-but-not-ignored
files) into a temporary git repository and points ``try-repo`` at that: it tests the code as
it is on disk, on a clean checkout as on a dirty one.

``try-repo`` always builds the hook environment in a temporary store (it ignores
PRE_COMMIT_HOME), so each call below installs the package afresh; expect a minute or so.
PRE_COMMIT_HOME is still pointed at a private folder (CURRICLINT_PRECOMMIT_HOME, else a
session temp folder) so the test never touches the user's pre-commit cache.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

REPO = Path(__file__).resolve().parents[2]
EGFR = "eGFR × 1.159 if African American"
_NOT_COPIED = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".curriclint_cache",
               "build", "dist", ".mypy_cache", ".ruff_cache"}


def find_pre_commit() -> str | None:
    """The pre-commit next to this interpreter (the test venv), else one on PATH."""
    folder = Path(sys.executable).parent
    for name in ("pre-commit", "pre-commit.exe"):
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which("pre-commit")


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without git variables inherited from an outer git hook."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(extra)
    return env


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env=env or clean_env(), timeout=120)
    assert proc.returncode == 0, f"git {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def working_tree_files() -> list[Path]:
    """Files a commit of the working tree would hold, relative to the repository root."""
    if (REPO / ".git").exists() and shutil.which("git"):
        proc = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                               "--exclude-standard"], cwd=REPO, capture_output=True,
                              env=clean_env(), timeout=120)
        if proc.returncode == 0:
            names = [n for n in proc.stdout.decode("utf-8").split("\0") if n]
            return [Path(n) for n in names if (REPO / n).is_file()]
    files = []
    for dirpath, dirnames, filenames in os.walk(REPO):
        dirnames[:] = [d for d in dirnames if d not in _NOT_COPIED and not d.endswith(".egg-info")]
        for name in filenames:
            if not name.endswith(".pyc"):
                files.append((Path(dirpath) / name).relative_to(REPO))
    return files


def init_repo(path: Path) -> None:
    git("init", "-q", cwd=path)
    git("config", "user.name", "curriclint tests", cwd=path)
    git("config", "user.email", "tests@curriclint.invalid", cwd=path)
    git("config", "commit.gpgsign", "false", cwd=path)


@pytest.fixture(scope="session")
def pre_commit() -> str:
    exe = find_pre_commit()
    if exe is None:
        pytest.skip("the pre-commit executable is not installed (pip install -e '.[test]')")
    return exe


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> Path:
    """A git repository holding a snapshot of this working tree, committed."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for rel in working_tree_files():
        target = snapshot / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file(), "no .pre-commit-hooks.yaml at the root"
    init_repo(snapshot)
    git("add", "-A", cwd=snapshot)
    git("commit", "-q", "-m", "snapshot of the working tree", cwd=snapshot,
        env=clean_env(GIT_AUTHOR_DATE="2024-01-01T00:00:00Z",
                      GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"))
    return snapshot


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    configured = os.environ.get("CURRICLINT_PRECOMMIT_HOME")
    if configured:
        Path(configured).mkdir(parents=True, exist_ok=True)
        return Path(configured)
    return tmp_path_factory.mktemp("pre-commit-home")


def three_slide_deck(path: Path, with_race: bool) -> None:
    prs = Presentation()
    bodies = ["Filtration, reabsorption, secretion",
              EGFR if with_race else "Use the CKD-EPI 2021 creatinine equation",
              "Stage CKD by eGFR and albuminuria"]
    for number, body in enumerate(bodies, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = f"Kidney function {number}"
        slide.placeholders[1].text_frame.text = body
    prs.save(path)


def try_repo(pre_commit: str, hook_repo: Path, work: Path, home: Path):
    return subprocess.run(
        [pre_commit, "try-repo", str(hook_repo), "curriclint", "--verbose", "--color", "never",
         "--files", "deck.pptx"],
        cwd=work, capture_output=True, text=True, timeout=1200,
        env=clean_env(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never"))


def test_hook_blocks_race_coefficient_and_passes_clean_deck(pre_commit, hook_repo,
                                                             pre_commit_home, tmp_path):
    work = tmp_path / "course"
    work.mkdir()
    init_repo(work)
    deck = work / "deck.pptx"

    three_slide_deck(deck, with_race=True)
    git("add", "deck.pptx", cwd=work)
    dirty = try_repo(pre_commit, hook_repo, work, pre_commit_home)
    output = dirty.stdout + dirty.stderr
    assert dirty.returncode != 0, output
    assert "RBA001" in output, output
    assert "deck.pptx:slide 2" in output, output
    assert "Traceback" not in output, output

    three_slide_deck(deck, with_race=False)
    git("add", "deck.pptx", cwd=work)
    clean = try_repo(pre_commit, hook_repo, work, pre_commit_home)
    output = clean.stdout + clean.stderr
    assert clean.returncode == 0, output
    assert "RBA001" not in output
    assert "Found 0 findings" in output, output


def test_manifest_is_valid_and_matches_supported_files(pre_commit):
    import re

    import yaml

    manifest = REPO / ".pre-commit-hooks.yaml"
    proc = subprocess.run([pre_commit, "validate-manifest", str(manifest)], capture_output=True,
                          text=True, env=clean_env(), timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [hook] = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("curriclint", "curriclint check --skip-unsupported", "python")
    assert hook["pass_filenames"] is True and hook["require_serial"] is False
    files = re.compile(hook["files"])
    for ext in ("pptx pptm potx ppsx pdf docx docm dotx txt md markdown html htm xml qti zip "
                "gift csv xlsx jsonl").split():
        assert files.search(f"course/week1/file.{ext}"), ext
        assert files.search(f"LECTURE.{ext.upper()}"), ext
    for name in ("diagram.png", "setup.py", "deck.pptx.bak", "old.ppt", "notes.doc"):
        assert not files.search(name), name
