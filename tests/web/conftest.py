"""The engine for the web tests, built once for the session the way `curriclint serve` builds it."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def checker():
    from curriclint.cli import _prepare
    from curriclint.web.checker import Checker

    config, _, ruleset, linter, _ = _prepare((), (), (), (), (), None, no_cache=True)
    return Checker(config, ruleset, linter)
