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
