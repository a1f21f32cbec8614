"""``curriclint rules test``: every ``flag`` example must raise its rule (as a warning or
error) and every ``pass`` example must not, as in Semgrep's rule tests."""
from __future__ import annotations

from dataclasses import dataclass

from curriclint.engine.samples import example_kind, segments_for_text
from curriclint.rules.spec import Rule


@dataclass
class ExampleResult:
    rule: Rule
    expected: str  # "flag" or "pass"
    text: str
    ok: bool
    got: str  # what the rule did: "flag", "info (criticised)" or "nothing"


def test_rules(linter, rules: list[Rule]) -> list[ExampleResult]:
    results: list[ExampleResult] = []
    for rule in rules:
        kind = example_kind(rule.scope, rule.level)
        for expected, texts in (("flag", rule.examples_flag), ("pass", rule.examples_pass)):
            for text in texts:
                findings = [f for f in linter.lint(segments_for_text(text, kind)) if f.rule_id == rule.id]
                flagged = [f for f in findings if f.severity.is_flag]
                if flagged:
                    got = "flag"
                elif findings:
                    got = f"info ({findings[0].context_kind})"
                else:
                    got = "nothing"
                ok = bool(flagged) == (expected == "flag")
                results.append(ExampleResult(rule, expected, text, ok, got))
    return results
