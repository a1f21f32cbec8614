"""A baseline of accepted findings, keyed by fingerprint, so a re-run next term shows only
what is new. Each entry records the rule, where the finding was, and who accepted it and
why. Fingerprints ignore the slide/page number, so moving a slide keeps its entry; an
entry whose finding no longer occurs in a scanned file is reported as stale.
"""
from __future__ import annotations

import getpass
import json
import subprocess
from pathlib import Path

from curriclint.config import Config

FORMAT = 1


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file."""


def load_baseline(path: str) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline not found (create it with `curriclint baseline create`)") from None
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: not a curriclint baseline ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise BaselineError(f"{path}: not a curriclint baseline (no 'entries' list)")
    return data


def apply_baseline(run, baseline: dict, config: Config) -> list[dict]:
    """Suppress baselined findings; return the entries whose finding is gone."""
    entries = {e["fingerprint"]: e for e in baseline["entries"] if "fingerprint" in e}
    seen: set[str] = set()
    for finding in run.findings:
        entry = entries.get(finding.fingerprint)
        if entry is not None and finding.suppressed is None:
            finding.suppressed = {"by": "baseline", "reason": entry.get("reason", "")}
            seen.add(finding.fingerprint)
    scanned = {config.project_path(f.path) for f in run.files if f.status == "ok"}
    return [e for fp, e in entries.items() if fp not in seen and e.get("path") in scanned]


def build_entries(run, config: Config, reason: str, reviewer: str | None,
                  previous: dict | None = None) -> list[dict]:
    """Entries for the current unsuppressed findings, keeping earlier reasons and reviewers."""
    old = {e["fingerprint"]: e for e in (previous or {}).get("entries", [])}
    reviewer = reviewer or default_reviewer()
    entries = []
    for finding in run.findings:
        if finding.suppressed is not None and finding.suppressed.get("by") != "baseline":
            continue
        kept = old.get(finding.fingerprint, {})
        entries.append({
            "fingerprint": finding.fingerprint, "rule_id": finding.rule_id,
            "path": config.project_path(finding.path), "location": finding.location,
            "text": finding.text,
            "reason": kept.get("reason", reason), "reviewer": kept.get("reviewer", reviewer),
        })
    return sorted(entries, key=lambda e: (e["path"], e["rule_id"], e["fingerprint"]))


def write_baseline(path: str, entries: list[dict]) -> None:
    data = {"version": FORMAT, "tool": "curriclint", "entries": entries}
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def default_reviewer() -> str:
    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True,
                              timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
