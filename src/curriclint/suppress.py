"""Inline suppressions written in the content itself, the way ``noqa`` works in ruff:

    curriclint: ignore RBA001,BR002 -- shown for critique in the equity session

(an em dash or a colon also separates the reason). A suppression covers its enclosing unit:
the slide (from its text or speaker notes), the page, the question (from its feedback or a
GIFT comment), the Word paragraph (from a comment anchored to it), or, in text files, its
own paragraph and the one after it. A suppression without a reason (CL001) or one that
suppresses nothing (CL002) is itself reported, at severity info.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from curriclint.model import Finding, Segment, Severity

DIRECTIVE = re.compile(
    r"curriclint\s*:\s*ignore\s+(?P<ids>[A-Za-z][\w-]*(?:\s*,\s*[A-Za-z][\w-]*)*)"
    r"(?:[ \t]*(?:--|—|–|:)[ \t]*(?P<reason>[^\n]*))?", re.IGNORECASE)


@dataclass
class Suppression:
    keys: list[tuple]
    ids: list[str]
    reason: str
    segment: Segment
    start: int
    end: int
    used: set[str] = field(default_factory=set)


def _unit_key(segment: Segment, index: int | None = None) -> tuple:
    return (segment.path, segment.member or "", segment.unit,
            segment.index if index is None else index)


def strip_directives(segments: list[Segment]) -> tuple[list[Segment], list[Suppression]]:
    """Find directives, and blank them out (same length) so they are not linted."""
    found: list[Suppression] = []
    cleaned: list[Segment] = []
    for position, segment in enumerate(segments):
        matches = list(DIRECTIVE.finditer(segment.text))
        if not matches:
            cleaned.append(segment)
            continue
        text = segment.text
        for m in matches:
            keys = [_unit_key(segment)]
            if segment.unit == "line":
                following = next((s for s in segments[position + 1:] if s.unit == "line"), None)
                if following is not None:
                    keys.append(_unit_key(following))
            ids = [i.strip().upper() for i in m.group("ids").split(",") if i.strip()]
            found.append(Suppression(keys, ids, (m.group("reason") or "").strip(), segment,
                                     m.start(), m.end()))
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
        cleaned.append(_replace_text(segment, text))
    return cleaned, found


def _replace_text(segment: Segment, text: str) -> Segment:
    from dataclasses import replace

    return replace(segment, text=text)


def apply(findings: list[Finding], suppressions: list[Suppression], unit_of) -> list[Finding]:
    """Mark suppressed findings; return CL001/CL002 findings about the directives."""
    for finding in findings:
        key = unit_of(finding)
        for sup in suppressions:
            if key in sup.keys and _covers(sup.ids, finding):
                finding.suppressed = {"by": "inline", "reason": sup.reason}
                sup.used.add(finding.rule_id)
                break
    meta: list[Finding] = []
    for sup in suppressions:
        if not sup.reason:
            meta.append(_meta(sup, "CL001", "suppression-without-reason",
                              "Suppression has no reason",
                              "Add the reason after the rule ids: "
                              "'curriclint: ignore RBA001 -- shown for critique'."))
        if not sup.used:
            meta.append(_meta(sup, "CL002", "unused-suppression",
                              f"Suppression of {', '.join(sup.ids)} suppresses nothing",
                              "Remove the suppression, or correct the rule id."))
    return meta


def _covers(ids: list[str], finding: Finding) -> bool:
    names = {finding.rule_id.upper(), finding.rule.upper(), finding.category.upper(), "ALL"}
    return any(i in names for i in ids)


def _meta(sup: Suppression, rule_id: str, name: str, message: str, suggestion: str) -> Finding:
    segment = sup.segment
    text = segment.text[sup.start:sup.end]
    return Finding(rule_id=rule_id, rule=name, pack="curriclint", category="suppression",
                   severity=Severity.INFO, message=message, suggestion=suggestion,
                   path=segment.path, location=segment.location(), span=(sup.start, sup.end),
                   text=text, context=text, context_span=(0, len(text)))


def unit_key_of_finding(finding: Finding) -> tuple:
    loc = finding.location
    index = finding.unit_index if finding.unit_index is not None else loc["index"]
    return (finding.path, loc.get("member") or "", loc["unit"], index)
