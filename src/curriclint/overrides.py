"""Site decisions from config, applied after linting because they depend on the path:
severity overrides per rule, and per-path overrides such as

    per-path:
      - paths: ["history-of-medicine/**"]
        downgrade: [race_based_algorithm]      # ids, names or categories -> info
        ignore: [SV001]                        # suppressed (by config), with the reason
        severity: {BR001: error}

A site changes a built-in rule this way rather than by redefining it.
"""
from __future__ import annotations

import fnmatch

from curriclint.config import Config
from curriclint.model import Finding, Severity


def _matches(finding: Finding, keys) -> bool:
    wanted = {str(k).lower() for k in keys or ()}
    return bool({finding.rule_id.lower(), finding.rule.lower(), finding.category.lower(),
                 finding.pack.lower()} & wanted)


def _path_matches(finding: Finding, patterns, config: Config) -> bool:
    candidates = {finding.path, config.project_path(finding.path)}
    return any(fnmatch.fnmatch(c, p) or fnmatch.fnmatch(c, p.rstrip("*").rstrip("/") + "/*")
               for c in candidates for p in patterns)


def apply_overrides(findings: list[Finding], config: Config) -> None:
    severities = config.get("severity") or {}
    entries = config.get("per-path") or []
    for finding in findings:
        for key, value in severities.items():
            if _matches(finding, [key]):
                finding.severity = Severity(value)
        for entry in entries:
            patterns = entry.get("paths") or []
            if not _path_matches(finding, patterns, config):
                continue
            for key, value in (entry.get("severity") or {}).items():
                if _matches(finding, [key]):
                    finding.severity = Severity(value)
            if _matches(finding, entry.get("downgrade")):
                finding.severity = Severity.INFO
            if _matches(finding, entry.get("ignore")) and finding.suppressed is None:
                finding.suppressed = {"by": "config",
                                      "reason": entry.get("reason") or f"per-path ignore for {', '.join(patterns)}"}
