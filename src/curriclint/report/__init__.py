"""Reporters: one module per output format, each ``render(run, ruleset) -> str``, all fed
the same RunResult."""
from __future__ import annotations

import importlib

FORMATS = ("text", "json", "sarif", "html", "csv", "github", "junit")


def render(fmt: str, run, ruleset) -> str:
    module = importlib.import_module(f"curriclint.report.{fmt}_report")
    return module.render(run, ruleset)


def location_parts(location: dict) -> tuple[str, str]:
    """('slide 14 [q7]', 'table r2c2') / ('question 3', 'option B'): a unit and its part,
    the way every reporter names a place inside a file."""
    unit = f"{location['unit']} {location['index']}"
    if location.get("question_id"):
        unit += f" [{location['question_id']}]"
    detail = location["part"]
    if location.get("row") is not None:
        detail += f" r{location['row']}c{location.get('col')}"
    if location.get("option"):
        detail += f" {location['option']}"
    return unit, detail


def summary(run) -> dict:
    """Counts shared by every reporter; suppressed findings are not counted."""
    active = [f for f in run.findings if f.suppressed is None]
    by_severity = {"error": 0, "warning": 0, "info": 0}
    by_category: dict[str, int] = {}
    for finding in active:
        by_severity[finding.severity.value] += 1
        by_category[finding.category] = by_category.get(finding.category, 0) + 1
    return {
        "files": sum(1 for f in run.files if f.status == "ok"),
        "unreadable": sum(1 for f in run.files if f.status == "error"),
        "skipped": run.skipped,
        "findings": len(active),
        "by_severity": by_severity,
        "by_category": dict(sorted(by_category.items())),
    }
