"""Glue between discovery, extraction, linting and reporting: files → segments → findings.

Every file ends as a FileResult, whatever goes wrong inside an extractor, so one bad file
never stops a batch.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from curriclint.config import Config
from curriclint.discover import Target, discover
from curriclint.extract import ExtractError, extract_path
from curriclint.extract.sniff import sniff
from curriclint.model import FileResult, Segment


@dataclass
class RunResult:
    """Everything a reporter needs, in one object."""

    files: list[FileResult] = field(default_factory=list)
    skipped: int = 0
    packs: list[dict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    banks: list[dict] = field(default_factory=list)
    stale_baseline: list[dict] = field(default_factory=list)

    @property
    def findings(self):
        return [f for file in self.files for f in file.findings]


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


def check_paths(paths: list[str], config: Config, linter) -> RunResult:
    """Read, lint and collect every file under ``paths`` into one RunResult."""
    from curriclint.model import assign_fingerprints

    targets, skipped = discover(paths, config.get("include"), config.get("exclude"))
    run = RunResult(skipped=skipped)
    for target in targets:
        result, segments = read_target(target, config)
        if result.status == "skipped":
            run.skipped += 1
            continue
        if result.status == "ok":
            result.findings = linter.lint(segments)
            if any(s.unit == "question" for s in segments):
                from curriclint.engine.banks import bank_statistics

                result.bank = bank_statistics(result.path, segments, linter.engine())
                result.findings = exempt_uniform_banks(result.findings, result.bank, linter.ruleset)
        run.files.append(result)
        if result.bank:
            run.banks.append(result.bank)
    findings = run.findings
    assign_fingerprints(findings, config.project_path)
    for result in run.files:
        result.findings.sort(key=lambda f: f.sort_key())
    run.notices = list(dict.fromkeys(linter.notices))
    return run


def exempt_uniform_banks(findings, bank: dict | None, ruleset):
    """Drop findings of rules exempt in banks that state race for every patient vignette:
    there race is a routine descriptor, not a diagnostic cue."""
    if not bank or not bank.get("vignettes") or bank.get("unmarked_share", 1) > 0:
        return findings
    exempt = {r.id for r in ruleset.rules if "uniform-race" in r.unless_bank}
    return [f for f in findings if f.rule_id not in exempt]


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
