"""Human-readable output: one line per finding, as compilers and linters print them,
with what to write instead on the line below."""
from __future__ import annotations

from curriclint.report import location_parts, summary


def where(location: dict) -> str:
    """'slide 14 (table r2c2)', 'page 3', 'question 7 (option B)', or a line number."""
    if location["unit"] == "line":
        return str(location["index"])
    unit, detail = location_parts(location)
    text = f"{unit} ({detail})"
    if location.get("member"):
        text = f"{location['member']}: {text}"
    return text


def render(run, ruleset) -> str:
    lines: list[str] = []
    for file in run.files:
        if file.status == "error":
            lines.append(f"{file.path}: error: {file.error}")
            continue
        for notice in file.notices:
            lines.append(f"{file.path}: notice: {notice}")
        for finding in file.findings:
            if finding.suppressed is not None:
                continue
            lines.append(f"{finding.path}:{where(finding.location)}: {finding.rule_id} "
                         f"[{finding.severity.value}] {finding.message}")
            lines.append(f"    instead: {finding.suggestion}")
    for notice in run.notices:
        lines.append(f"notice: {notice}")
    for bank in run.banks:
        lines.append(bank_line(bank))
    for entry in run.stale_baseline:
        lines.append(f"{entry.get('path')}: stale baseline entry {entry.get('rule_id')} "
                     f"({entry.get('fingerprint')}): the finding no longer occurs")
    lines.append(summary_line(summary(run)))
    return "\n".join(lines) + "\n"


def bank_line(bank: dict) -> str:
    groups = ", ".join(f"{g} {n}" for g, n in bank["by_group"].items() if n)
    return (f"{bank['path']}: bank: {bank['questions']} questions, {bank['stating_race']} state race"
            f"{' (' + groups + ')' if groups else ''}, {bank['national_origin_or_immigration']} "
            f"national origin/immigration; unmarked share {_share(bank['unmarked_share'])}, "
            f"non-white share of marked {_share(bank['nonwhite_share_of_marked'])}")


def _share(value) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def summary_line(counts: dict) -> str:
    sev = counts["by_severity"]
    files = counts["files"]
    return (f"Found {counts['findings']} finding{'s' if counts['findings'] != 1 else ''} "
            f"({sev['error']} error, {sev['warning']} warning, {sev['info']} info) in "
            f"{files} file{'s' if files != 1 else ''}; {counts['unreadable']} unreadable, "
            f"{counts['skipped']} skipped.")
