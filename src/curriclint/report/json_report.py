"""The JSON report, version "1": the public contract documented in report.schema.json."""
from __future__ import annotations

import json

from curriclint import __version__
from curriclint.report import summary


def as_dict(run, ruleset) -> dict:
    data = {
        "version": "1",
        "tool": {"name": "curriclint", "version": __version__},
        "packs": [{"name": p.name, "version": p.version} for p in ruleset.packs],
        "files": [f.to_dict() for f in run.files],
        "findings": [f.to_dict() for f in run.findings],
        "summary": summary(run),
    }
    if run.notices:
        data["notices"] = list(run.notices)
    if run.banks:
        data["banks"] = run.banks
    if run.stale_baseline:
        data["stale_baseline"] = run.stale_baseline
    return data


def render(run, ruleset) -> str:
    return json.dumps(as_dict(run, ruleset), ensure_ascii=False, indent=2) + "\n"
