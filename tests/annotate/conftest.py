"""Fixtures for the annotate tests: one linter for the session (built as the command line
builds it), a way to check files with it, and the checked example files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from curriclint.cli import _prepare
from curriclint.runner import check_paths

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def engine():
    """(config, settings, ruleset, linter) for the built-in packs, without a result cache."""
    config, settings, ruleset, linter, _ = _prepare((), (), (), (), (), None, no_cache=True)
    return config, settings, ruleset, linter


@pytest.fixture(scope="session")
def check(engine):
    """check(path) -> the FileResult of one file, checked as `curriclint check` does."""
    config, settings, _, linter = engine

    def run(path: Path):
        return check_paths([str(path)], config, linter, settings).files[0]
    return run


@pytest.fixture(scope="session")
def ruleset(engine):
    return engine[2]


@pytest.fixture
def example(tmp_path):
    """example(name) -> a copy of an example file in a temporary folder."""
    def copy(name: str) -> Path:
        target = tmp_path / "in" / name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(EXAMPLES / name, target)
        return target
    return copy
