"""What an annotation says about a finding, in the same words in every format: the rule and
its severity, the message, the flagged words, what to write instead, and where to read more.
"""
from __future__ import annotations

from dataclasses import dataclass

from curriclint.model import Finding
from curriclint.report.html_report import reference_view

# A flagged passage longer than this is shortened in the annotation text (the anchor, where
# there is one, still covers all of it).
FLAGGED_CHARS = 300


@dataclass(frozen=True)
class Reference:
    citation: str
    href: str | None
    label: str | None

    @property
    def line(self) -> str:
        return f"Reference: {self.citation}" + (f" {self.href}" if self.href else "")


@dataclass(frozen=True)
class Note:
    """One finding as the reader of an annotated copy sees it."""

    finding: Finding
    references: tuple[Reference, ...]

    @property
    def headline(self) -> str:
        return f"{self.finding.rule_id} [{self.finding.severity.value}] {self.finding.message}"

    @property
    def flagged(self) -> str:
        text = " ".join(self.finding.text.split())
        if len(text) > FLAGGED_CHARS:
            text = text[:FLAGGED_CHARS - 1].rstrip() + "…"
        return f"Flagged: “{text}”"

    @property
    def instead(self) -> str:
        return f"Instead: {self.finding.suggestion}"

    def lines(self) -> list[str]:
        """Headline, flagged words, suggestion and references, one per line."""
        return [self.headline, self.flagged, self.instead] + [r.line for r in self.references]


def notes_for(findings: list[Finding], ruleset) -> list[Note]:
    """A note for every finding that is not suppressed, in report order."""
    rules = {rule.id: rule for rule in ruleset.rules}
    notes = []
    for finding in findings:
        if finding.suppressed is not None:
            continue
        rule = rules.get(finding.rule_id)
        views = [reference_view(ref) for ref in rule.references] if rule else []
        notes.append(Note(finding, tuple(Reference(v["citation"], v["href"], v["label"])
                                         for v in views if v["citation"] or v["href"])))
    return notes
