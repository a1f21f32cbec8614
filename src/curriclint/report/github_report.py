"""GitHub Actions workflow commands: one annotation per active finding, so findings show up
on the pull request's changed files.

    ::error file=decks/renal.pptx,title=RBA001 rule-name::message … (slide 14 (table r2c2))

Only plain-text findings get ``line=`` (slides and pages have no line numbers). Values are
escaped as the actions toolkit does: ``%``, CR and LF everywhere, and ``:`` and ``,`` in
properties as well.
"""
from __future__ import annotations

from curriclint.report import summary
from curriclint.report.text_report import summary_line, where

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items()
                     if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _path(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def render(run, ruleset) -> str:
    lines: list[str] = []
    for file in run.files:
        if file.status == "error":
            lines.append(command("error", file.error or "could not read this file",
                                 file=_path(file.path), title="curriclint: unreadable file"))
            continue
        for notice in file.notices:
            lines.append(command("notice", notice, file=_path(file.path), title="curriclint notice"))
        for finding in file.findings:
            if finding.suppressed is not None:
                continue
            loc = finding.location
            is_line = loc["unit"] == "line"
            label = f"line {loc['index']}" if is_line else where(loc)
            message = f"{finding.message} ({label})"
            if finding.suggestion:
                message += f"\nInstead: {finding.suggestion}"
            lines.append(command(COMMANDS[finding.severity.value], message,
                                 file=_path(finding.path), line=loc["index"] if is_line else None,
                                 title=f"{finding.rule_id} {finding.rule}"))
    for notice in run.notices:
        lines.append(command("notice", notice, title="curriclint notice"))
    lines.append(summary_line(summary(run)))
    return "\n".join(lines) + "\n"
