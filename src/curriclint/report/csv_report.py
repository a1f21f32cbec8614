"""CSV: one row per finding (suppressed ones included, marked), for spreadsheets and scripts.

Cells taken from documents that begin like a spreadsheet formula (``=``, ``+``, ``-``, ``@``,
tab, carriage return) get a leading apostrophe, so opening the file in a spreadsheet never
evaluates text written by a document's author.
"""
from __future__ import annotations

import csv
import io

COLUMNS = (
    "path", "unit", "index", "part", "question_id", "row", "col", "option", "rule_id", "rule",
    "category", "severity", "message", "text", "context", "suggestion", "fingerprint",
    "context_kind", "suppressed_by", "suppression_reason",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def row(finding) -> dict:
    loc = finding.location
    suppressed = finding.suppressed or {}
    values = {
        "path": finding.path, "unit": loc.get("unit"), "index": loc.get("index"),
        "part": loc.get("part"), "question_id": loc.get("question_id"), "row": loc.get("row"),
        "col": loc.get("col"), "option": loc.get("option"), "rule_id": finding.rule_id,
        "rule": finding.rule, "category": finding.category, "severity": finding.severity.value,
        "message": finding.message, "text": finding.text, "context": finding.context,
        "suggestion": finding.suggestion, "fingerprint": finding.fingerprint,
        "context_kind": finding.context_kind, "suppressed_by": suppressed.get("by"),
        "suppression_reason": suppressed.get("reason"),
    }
    return {key: _cell(value) for key, value in values.items()}


def render(run, ruleset) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for finding in run.findings:
        writer.writerow(row(finding))
    return out.getvalue()
