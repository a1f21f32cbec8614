"""SARIF 2.1.0: one run, one result per finding (suppressed ones marked, not dropped), for
code-scanning dashboards such as GitHub's.

Slides, pages and questions have no line numbers, so only findings in plain-text lines get a
``region``; every result also carries a logical location ("slide 14/table r2c2") and the
location label in its message, so a reader can find it in the deck.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from curriclint import __version__
from curriclint.report import location_parts, summary
from curriclint.report.text_report import where

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SUPPRESSION_KINDS = {"inline": "inSource", "baseline": "external", "config": "external"}
FINGERPRINT_KEY = "curriclint/v1"


def short_description(message: str) -> str:
    """The rule's message template without its ``({match})`` placeholder."""
    text = re.sub(r"\s*\(\s*\{match\}\s*\)", "", message)
    text = text.replace("{match}", "")
    return re.sub(r"\s{2,}", " ", text).strip(" :,;-") or message


def _information_uri() -> str | None:
    """The project's home page from the installed metadata, if it declares one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("curriclint")
    except PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        _, _, url = entry.partition(",")
        url = url.strip()
        if url.startswith(("https://", "http://")):
            return url
    home = meta.get("Home-page")
    if home and home.startswith(("https://", "http://")):
        return home
    return None


def _reference_link(ref: dict) -> str | None:
    if ref.get("doi"):
        return f"https://doi.org/{ref['doi']}"
    url = ref.get("url")
    if url and str(url).startswith(("https://", "http://")):
        return str(url)
    return None


def _md_escape(text: str) -> str:
    return re.sub(r"([\\\[\]*_`<>])", r"\\\1", text)


def _help(rule) -> dict:
    """Plain text and Markdown: why, what to write instead, and the sources."""
    rationale, suggestion = rule.rationale.strip(), rule.suggestion.strip()
    text = f"{rationale}\n\nInstead: {suggestion}"
    markdown = f"{_md_escape(rationale)}\n\n**Instead:** {_md_escape(suggestion)}"
    if rule.references:
        text_refs, md_refs = [], []
        for ref in rule.references:
            citation = str(ref.get("citation") or ref.get("title") or ref.get("key") or "")
            link = _reference_link(ref)
            text_refs.append(f"- {citation}" + (f" {link}" if link else ""))
            md_link = link.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") if link else ""
            md_refs.append(f"- [{_md_escape(citation)}](<{md_link}>)" if link else f"- {_md_escape(citation)}")
        text += "\n\nReferences:\n" + "\n".join(text_refs)
        markdown += "\n\n**References:**\n\n" + "\n".join(md_refs)
    return {"text": text, "markdown": markdown}


def _rule_descriptor(rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": short_description(rule.message)},
        "fullDescription": {"text": rule.rationale.strip() or short_description(rule.message)},
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
        "properties": {"category": rule.category, "pack": rule.pack, "evidence": rule.evidence,
                       "tags": [rule.category]},
    }


def _finding_descriptor(finding) -> dict:
    """A descriptor for a rule the ruleset does not hold (CL001/CL002, or an old cache entry)."""
    text = short_description(finding.message)
    return {
        "id": finding.rule_id,
        "name": finding.rule,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": f"Instead: {finding.suggestion}" if finding.suggestion else text},
        "defaultConfiguration": {"level": LEVELS[finding.severity.value]},
        "properties": {"category": finding.category, "pack": finding.pack, "tags": [finding.category]},
    }


def artifact_location(path: str) -> dict:
    """The file as reported on the command line, as a URI: relative paths against %SRCROOT%."""
    posix = path.replace("\\", "/")
    if re.match(r"^[A-Za-z]:/", posix):  # a Windows drive path
        return {"uri": "file:///" + quote(posix, safe="/:")}
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix, safe="/")}
    while posix.startswith("./"):
        posix = posix[2:]
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


def _logical_location(location: dict) -> dict:
    name, detail = location_parts(location)
    qualified = f"{name}/{detail}"
    if location.get("member"):
        qualified = f"{location['member']}/{qualified}"
    return {"name": name, "fullyQualifiedName": qualified, "kind": "module"}


def _result(finding, rule_index: int) -> dict:
    loc = finding.location
    physical: dict = {"artifactLocation": artifact_location(finding.path)}
    message = finding.message
    if loc["unit"] == "line":
        physical["region"] = {"startLine": int(loc["index"])}
    else:
        message = f"{message} — {where(loc)}"
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity.value],
        "message": {"text": message},
        "locations": [{"physicalLocation": physical, "logicalLocations": [_logical_location(loc)]}],
        "properties": {
            "category": finding.category,
            "pack": finding.pack,
            "severity": finding.severity.value,
            "location": loc,
            "text": finding.text,
            "context": finding.context,
            "contextKind": finding.context_kind,
            "suggestion": finding.suggestion,
        },
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.suppressed is not None:
        by = finding.suppressed.get("by")
        suppression = {"kind": SUPPRESSION_KINDS.get(by, "external"), "status": "accepted"}
        reason = finding.suppressed.get("reason")
        if reason:
            suppression["justification"] = str(reason)
        suppression["properties"] = {"by": by}
        result["suppressions"] = [suppression]
    return result


def _notification(level: str, text: str, path: str | None = None) -> dict:
    note: dict = {"level": level, "message": {"text": text}}
    if path is not None:
        note["locations"] = [{"physicalLocation": {"artifactLocation": artifact_location(path)}}]
    return note


def as_dict(run, ruleset) -> dict:
    rules: list[dict] = []
    index: dict[str, int] = {}
    for rule in ruleset.rules:
        if rule.id not in index:
            index[rule.id] = len(rules)
            rules.append(_rule_descriptor(rule))
    results = []
    for finding in run.findings:
        if finding.rule_id not in index:
            index[finding.rule_id] = len(rules)
            rules.append(_finding_descriptor(finding))
        results.append(_result(finding, index[finding.rule_id]))

    notifications = []
    for file in run.files:
        if file.status == "error":
            notifications.append(_notification("error", f"{file.path}: {file.error}", file.path))
        for notice in file.notices:
            notifications.append(_notification("note", f"{file.path}: {notice}", file.path))
    for notice in run.notices:
        notifications.append(_notification("note", notice))
    invocation: dict = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    driver: dict = {"name": "curriclint", "version": __version__, "semanticVersion": __version__}
    uri = _information_uri()
    if uri:
        driver["informationUri"] = uri
    driver["rules"] = rules

    run_properties: dict = {"packs": [{"name": p.name, "version": p.version} for p in ruleset.packs],
                            "summary": summary(run)}
    if run.banks:
        run_properties["banks"] = run.banks
    if run.stale_baseline:
        run_properties["staleBaseline"] = run.stale_baseline

    sarif_run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _srcroot_uri()}},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": run_properties,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [sarif_run]}


def _srcroot_uri() -> str:
    """Relative paths were given against the current folder: that is %SRCROOT%."""
    uri = Path(os.getcwd()).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def render(run, ruleset) -> str:
    return json.dumps(as_dict(run, ruleset), ensure_ascii=False, indent=2) + "\n"

