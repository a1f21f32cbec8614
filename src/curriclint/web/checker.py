"""The engine of one server, built once and shared by every upload, and the check of one
upload with it.

The linter is not safe to call from two threads at once: its spaCy engine keeps the question
being linted on itself (``Engine._whole``, read back by exemptions), its trigger gate keeps a
memory of recent texts, and it builds its parts (the engine, the trained pipeline, the
confirmer, sentence gates) lazily without a lock; bank statistics use the same tokenizer and
matchers. So linting a file, with its bank statistics, takes a lock, while reading files (most
of the time for decks and PDFs) still overlaps.
Reading and linting are the runner's own steps (``read_target``, ``lint_extracted``), and
the site's per-path config applies to the names users know the files by.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from curriclint.discover import Target
from curriclint.runner import RunResult, finish_run, lint_extracted, read_target


class Checker:
    def __init__(self, config, ruleset, linter):
        self.config, self.ruleset, self.linter = config, ruleset, linter
        self._lint_lock = threading.Lock()
        linter.prepare()  # spaCy, the packs, the trained pipeline and the confirmer: now, once

    def check(self, targets: list[Target], skipped: int = 0,
              progress: Callable[[int], None] | None = None) -> RunResult:
        """Read and lint these files into one RunResult, as ``check_paths`` does for a folder,
        telling ``progress`` how many files are done after each."""
        run = RunResult(skipped=skipped)
        results = []
        for done, target in enumerate(targets, 1):
            results.append(self._read_and_lint(target))
            if progress is not None:
                progress(done)
        finish_run(run, results, self.config)
        with self._lint_lock:
            run.notices = list(dict.fromkeys(self.linter.notices))
        return run

    def _read_and_lint(self, target: Target):
        result, segments = read_target(target, self.config)
        with self._lint_lock:
            return lint_extracted(result, segments, self.linter)
