"""Glue between discovery, extraction, linting and reporting: files → segments → findings.

Every file ends as a FileResult, whatever goes wrong inside an extractor, so one bad file
never stops a batch. Per-file work (``process_target``) depends only on the file's bytes
and the run's settings, so it is cached by content hash and can run in worker processes;
what depends on the path (config overrides, fingerprints, the baseline) is applied after.
"""
from __future__ import annotations

import gc
import os
import pickle
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from curriclint.config import Config
from curriclint.discover import Target, discover
from curriclint.extract import ExtractError, extract_path
from curriclint.extract.sniff import sniff
from curriclint.model import FileResult, Segment

# --jobs auto uses worker processes only above this much input: each worker pays about a
# second to import spaCy and compile the packs (PERFORMANCE-NOTES: pools pay off above
# roughly 100k words).
AUTO_JOBS_MIN_FILES = 8
AUTO_JOBS_MIN_BYTES = 4 * 1024 * 1024


@dataclass
class RunResult:
    """Everything a reporter needs, in one object."""

    files: list[FileResult] = field(default_factory=list)
    skipped: int = 0
    notices: list[str] = field(default_factory=list)
    banks: list[dict] = field(default_factory=list)
    stale_baseline: list[dict] = field(default_factory=list)
    cache_hits: int = 0
    processed: list[str] = field(default_factory=list)  # files extracted and linted this run

    @property
    def findings(self):
        return [f for file in self.files for f in file.findings]


@dataclass(frozen=True)
class LintSettings:
    """What a worker process needs to build the same linter as the parent."""

    rules: tuple[str, ...] = ()
    extend: tuple[str, ...] = ()
    pipeline: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    confirmer: object = None  # a ConfirmerUse; None: the confirmer takes no part
    pack_cache: Path | None = None  # compiled-pack cache folder: spawned workers load from it

    def build(self, ruleset=None):
        from curriclint.engine.linter import Linter
        from curriclint.rules.loader import load_rules

        if ruleset is None:
            ruleset = load_rules(list(self.rules) or None, list(self.extend), self.pack_cache)
        return Linter(ruleset, pipeline=self.pipeline, select=self.select, ignore=self.ignore,
                      confirmer=self.confirmer)


def read_target(target: Target, config: Config) -> tuple[FileResult, list[Segment]]:
    """Sniff and extract one file; problems become a FileResult with status 'error'."""
    fmt = config.format_for(target.shown)
    if fmt is None:
        sniffed = sniff(target.path)
        if sniffed.error:
            return FileResult(target.shown, None, "error", sniffed.error), []
        if sniffed.format is None:
            message = "unsupported file type: curriclint reads slides, PDFs, Word, text and question banks"
            return FileResult(target.shown, None, "error" if target.explicit else "skipped", message), []
        fmt = sniffed.format
    try:
        extraction = extract_path(target.path, target.shown, fmt)
    except ExtractError as exc:
        return FileResult(target.shown, fmt, "error", str(exc)), []
    except RecursionError:
        return FileResult(target.shown, fmt, "error",
                          "malformed file: its structure refers to itself endlessly; re-export it"), []
    except Exception as exc:  # noqa: BLE001 - a bug or a library failure must not stop a batch
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return FileResult(target.shown, fmt, "error",
                          f"could not read this {fmt} file ({type(exc).__name__}: {reason}); "
                          "re-save it, and report the file if it opens normally"), []
    result = FileResult(target.shown, fmt, segments=len(extraction.segments),
                        notices=extraction.notices)
    return result, extraction.segments


def process_target(target: Target, config: Config, linter) -> FileResult:
    """Extract and lint one file: the cacheable unit of work."""
    return lint_extracted(*read_target(target, config), linter)


def lint_extracted(result: FileResult, segments: list[Segment], linter) -> FileResult:
    """Lint the segments of one read file (applying its suppressions and bank exemptions)."""
    from curriclint import suppress

    if result.status != "ok":
        return result
    segments, directives = suppress.strip_directives(segments)
    result.findings = linter.lint(segments)
    result.findings += suppress.apply(result.findings, directives, suppress.unit_key_of_finding)
    if any(s.unit == "question" for s in segments):
        from curriclint.engine.banks import bank_statistics

        result.bank = bank_statistics(result.path, segments, linter.engine())
        result.findings = exempt_uniform_banks(result.findings, result.bank, linter.ruleset)
    return result


def exempt_uniform_banks(findings, bank: dict | None, ruleset):
    """Drop findings of rules exempt in banks that state race for every patient vignette:
    there race is a routine descriptor, not a diagnostic cue."""
    if not bank or not bank.get("vignettes") or bank.get("unmarked_share", 1) > 0:
        return findings
    exempt = {r.id for r in ruleset.rules if "uniform-race" in r.unless_bank}
    return [f for f in findings if f.rule_id not in exempt]


# process pool -------------------------------------------------------------------------------
_WORKER: dict = {}


def _init_worker(settings: LintSettings, config: Config) -> None:
    if "linter" not in _WORKER:  # forked workers inherit the parent's compiled linter
        _WORKER["linter"] = settings.build()
    _WORKER["config"] = config


def _run_in_worker(target: Target) -> FileResult:
    return process_target(target, _WORKER["config"], _WORKER["linter"])


def _lint_read_ahead(i: int) -> FileResult:
    """Lint a file the read-ahead process read: its extraction is in the memory this
    worker was forked with, so only the file's index crosses a pipe."""
    return lint_extracted(*pickle.loads(_WORKER["read_ahead"][i]), _WORKER["linter"])


def choose_jobs(jobs: str | int | None, targets: list[Target]) -> int:
    if jobs not in (None, "auto"):
        return max(1, int(jobs))
    cores = os.cpu_count() or 1
    size = sum(_size(t.path) for t in targets)
    if cores > 1 and len(targets) >= AUTO_JOBS_MIN_FILES and size >= AUTO_JOBS_MIN_BYTES:
        return min(cores, len(targets))
    return 1


# Text per byte differs by format: a PDF page is mostly text, a deck mostly pictures.
_TEXT_DENSITY = {".pdf": 20, ".gift": 8, ".txt": 8, ".md": 8, ".csv": 8, ".jsonl": 8, ".xml": 4,
                 ".html": 4, ".docx": 3, ".docm": 3, ".xlsx": 3}


def _effort(path: Path) -> int:
    """A rough estimate of a file's linting work, to schedule the largest first."""
    return _size(path) * _TEXT_DENSITY.get(path.suffix.lower(), 1)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def check_paths(paths: list[str], config: Config, linter, settings: LintSettings | None = None,
                jobs: str | int | None = 1, cache=None, progress: bool = False,
                baseline: dict | None = None, skip_unsupported: bool = False) -> RunResult:
    """Read, lint and collect every file under ``paths`` into one RunResult."""
    from curriclint.cache import file_digest

    targets, skipped = discover(paths, config.get("include"), config.get("exclude"), skip_unsupported)
    run = RunResult(skipped=skipped)
    results: dict[int, FileResult] = {}
    digests: dict[int, str] = {}
    todo: list[int] = []
    for i, target in enumerate(targets):
        if cache is not None:
            try:
                digests[i] = file_digest(target.path)
            except OSError:
                digests[i] = ""
            cached = cache.load(digests[i], target.shown) if digests[i] else None
            if cached is not None:
                results[i] = cached
                continue
        todo.append(i)
    meter = _Progress(len(targets), enabled=progress)
    meter.done = len(results)
    workers = choose_jobs(jobs, [targets[i] for i in todo]) if settings is not None else 1
    for i, result in _process(todo, targets, config, linter, settings, workers):
        results[i] = result
        run.processed.append(result.path)
        if cache is not None and digests.get(i) and result.status != "skipped":
            cache.store(digests[i], result)
        meter.update(result)
    meter.close()
    run.cache_hits = cache.hits if cache is not None else 0
    finish_run(run, [results[i] for i in range(len(targets))], config, baseline)
    run.notices = list(dict.fromkeys(linter.notices))
    return run


def finish_run(run: RunResult, results: list[FileResult], config: Config,
               baseline: dict | None = None) -> None:
    """Gather per-file results into the run, in order, and apply what depends on the paths:
    per-path config, fingerprints, the baseline; findings sorted by place."""
    from curriclint.model import assign_fingerprints
    from curriclint.overrides import apply_overrides

    for result in results:
        if result.status == "skipped":
            run.skipped += 1
            continue
        run.files.append(result)
        if result.bank:
            run.banks.append(result.bank)
    apply_overrides(run.findings, config)
    assign_fingerprints(run.findings, config.project_path)
    if baseline is not None:
        from curriclint.baseline import apply_baseline

        run.stale_baseline = apply_baseline(run, baseline, config)
    for result in run.files:
        result.findings.sort(key=lambda f: f.sort_key())


def _process(todo, targets, config, linter, settings, workers) -> Iterator[tuple[int, FileResult]]:
    if workers <= 1 or len(todo) <= 1:
        return _process_serially(todo, targets, config, linter)
    return _process_in_pool(todo, targets, config, linter, settings, workers)


def _process_serially(todo, targets, config, linter) -> Iterator[tuple[int, FileResult]]:
    frozen = False
    try:
        for i in todo:
            yield i, process_target(targets[i], config, linter)
            if not frozen and linter.engine_built:
                # The engine lives as long as the run: the garbage collector's full passes
                # need not walk its million objects again and again.
                gc.collect()
                gc.freeze()
                frozen = True
    finally:
        if frozen:
            gc.unfreeze()


def _process_in_pool(todo, targets, config, linter, settings, workers) -> Iterator[tuple[int, FileResult]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Most work first keeps every worker busy to the end; results keep file order.
    order = sorted(todo, key=lambda i: -_effort(targets[i].path))
    read_ahead: dict[int, bytes] = {}
    forking = sys.platform.startswith("linux")
    context = multiprocessing.get_context("fork" if forking else "spawn")
    if forking:
        # Import spaCy, compile the packs and load the models once, here: forked workers
        # share the result instead of each paying about a second for it. Reading files
        # needs none of it, so meanwhile a process on the idle core reads the smallest files.
        reader = _ReadAhead(context, targets, order[::-1], config, linter.model_gate)
        try:
            linter.prepare(model_needed=reader.met_model_text.is_set)
        finally:
            read_ahead = reader.collect()
        _WORKER["linter"], _WORKER["read_ahead"] = linter, read_ahead
        # The engine lives as long as the run: keep the workers' garbage collector off its
        # objects, which would otherwise copy every page of it into each worker.
        gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                 initargs=(settings, config)) as pool:
            futures = {i: pool.submit(_lint_read_ahead, i) if i in read_ahead
                       else pool.submit(_run_in_worker, targets[i]) for i in order}
            for i in order:
                yield i, futures[i].result()
    finally:
        _WORKER.clear()
        gc.unfreeze()


class _ReadAhead:
    """A forked process that extracts files, in the given order, until told to stop (or
    out of files); ``collect`` hands over what it read, each file's extraction pickled
    (the parent never needs it unpickled: workers forked after it read it from its
    memory). It also tells, as soon as it knows, whether it met a text for which the engine
    will need the trained pipeline (``met_model_text``; ``model_gate`` is the linter's),
    so that the parent loads that pipeline for all workers only when some file needs it."""

    def __init__(self, context, targets: list[Target], order: list[int], config: Config, model_gate):
        self._stop = context.Event()
        self.met_model_text = context.Event()
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_read_until_stopped, daemon=True,
                                        args=(self._stop, send, targets, order, config,
                                              model_gate, self.met_model_text))
        self._process.start()
        send.close()

    def collect(self) -> dict[int, bytes]:
        """Stop after the file being read and return what was read (nothing if it died)."""
        self._stop.set()
        try:
            done = self._receive.recv()
        except (EOFError, OSError):
            done = {}
        self._receive.close()
        self._process.join()
        return done


def _read_until_stopped(stop, send, targets: list[Target], order: list[int], config: Config,
                        model_gate, met_model_text) -> None:
    done = {}
    for i in order:
        if stop.is_set():
            break
        result, segments = read_target(targets[i], config)
        if model_gate is not None and not met_model_text.is_set() \
                and any(model_gate.found(segment.text) for segment in segments):
            met_model_text.set()
        done[i] = pickle.dumps((result, segments), protocol=pickle.HIGHEST_PROTOCOL)
    send.send(done)
    send.close()


class _Progress:
    """Files done/total, current file and findings so far, on stderr when it is a terminal."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self.done, self.findings = total, enabled, 0, 0

    def update(self, result: FileResult) -> None:
        self.done += 1
        self.findings += sum(1 for f in result.findings if f.suppressed is None)
        if self.enabled:
            name = result.path if len(result.path) <= 50 else "…" + result.path[-49:]
            sys.stderr.write(f"\r\x1b[2K[{self.done}/{self.total}] {self.findings} findings  {name}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def exit_code(run: RunResult, fail_on: str) -> int:
    """2 if any file could not be read, else 1 if a finding reaches --fail-on, else 0."""
    if any(f.status == "error" for f in run.files):
        return 2
    if fail_on == "never":
        return 0
    from curriclint.model import Severity

    threshold = Severity(fail_on).rank
    if any(f.severity.rank >= threshold and f.suppressed is None for f in run.findings):
        return 1
    return 0


def extract_targets(paths: list[str], config: Config) -> Iterator[tuple[FileResult, list[Segment]]]:
    targets, _ = discover(paths, config.get("include"), config.get("exclude"))
    for target in targets:
        result, segments = read_target(target, config)
        if result.status != "skipped":
            yield result, segments
