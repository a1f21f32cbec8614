"""A mistake in a pack is reported like a compiler error: PATH:LINE: rule ID: message,
one line each, exit code 2, never a traceback."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

GOOD_RULE = """\
  - id: XX001
    name: test-rule
    category: biologized_race
    severity: warning
    message: "Test ({match})"
    rationale: Because.
    suggestion: Write something else.
    match:
      - phrases: [caucasoid]
    examples:
      flag: ["Caucasoid skulls."]
      pass: ["Skulls."]
"""


def pack(rules: str, extra: str = "") -> str:
    return f"pack: test-pack\nversion: 1.0.0\n{extra}rules:\n{rules}"


def validate(tmp_path, text: str):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "curriclint", "rules", "validate", str(path)],
                          capture_output=True, text=True, cwd=tmp_path)
    return proc


def lines_of(proc) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.strip()]


CASES = {
    "bad YAML": (pack(GOOD_RULE).replace("severity: warning", "severity: [warning"),
                 r"bad.yaml:\d+: invalid YAML"),
    "unknown key": (pack(GOOD_RULE.replace("severity:", "severty:")),
                    r"bad.yaml:7: rule XX001: unknown key 'severty' \(did you mean 'severity'\?\)"),
    "wrong type": (pack(GOOD_RULE.replace("match:\n      - phrases: [caucasoid]",
                                          "match:\n      - near: {terms: [a], to: [b], within: many}")),
                   r"bad.yaml:\d+: rule XX001: key 'within' must be an integer"),
    "wrong enum": (pack(GOOD_RULE.replace("severity: warning", "severity: high")),
                   r"bad.yaml:7: rule XX001: key 'severity' must be one of info, warning, error"),
    "undefined term list": (pack(GOOD_RULE.replace("[caucasoid]", '"@no_such_list"')),
                            r"bad.yaml:\d+: rule XX001: undefined term list '@no_such_list'"),
    "duplicate id": (pack(GOOD_RULE + GOOD_RULE.replace("test-rule", "other-rule")),
                     r"bad.yaml:\d+: rule XX001: duplicate id \(already defined at .*bad.yaml:4\)"),
    "RE2-incompatible regex": (pack(GOOD_RULE.replace("- phrases: [caucasoid]",
                                                      "- regex: '(?<=race )factor'\n        triggers: [factor]")),
                               r"bad.yaml:\d+: rule XX001: regex cannot be compiled by RE2"),
    "no literal trigger": (pack(GOOD_RULE.replace("- phrases: [caucasoid]",
                                                  "- pattern: [{IS_TITLE: true}, {LIKE_NUM: true}]")),
                           r"bad.yaml:\d+: rule XX001: match item has no literal trigger"),
    "regex without triggers": (pack(GOOD_RULE.replace("- phrases: [caucasoid]", "- regex: 'race'")),
                               r"bad.yaml:\d+: rule XX001: match item has no literal trigger"),
    "empty pattern token": (pack(GOOD_RULE.replace("- phrases: [caucasoid]",
                                                   "- pattern: [{LOWER: race}, {}]")),
                            r"bad.yaml:\d+: rule XX001: empty pattern token"),
    "no examples": (pack(GOOD_RULE.replace('      flag: ["Caucasoid skulls."]\n', "")),
                    r"bad.yaml:\d+: rule XX001: missing required key 'flag'"),
    "unverified above warning": (pack(GOOD_RULE.replace("severity: warning", "severity: error\n    evidence: unverified")),
                                 r"bad.yaml:7: rule XX001: severity 'error' is not allowed for evidence 'unverified'"),
    "unknown reference": (pack(GOOD_RULE.replace("    match:", "    references: [nobody2020]\n    match:")),
                          r"bad.yaml:\d+: rule XX001: unknown reference 'nobody2020'"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_pack_gives_one_line_error(tmp_path, case):
    import re

    text, expected = CASES[case]
    proc = validate(tmp_path, text)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    errors = lines_of(proc)
    assert len(errors) == 1, errors
    assert re.match(expected, errors[0]), errors[0]


def test_good_pack_validates(tmp_path):
    proc = validate(tmp_path, pack(GOOD_RULE))
    assert proc.returncode == 0, proc.stderr
    assert "1 rules" in proc.stdout


def test_several_mistakes_are_all_reported(tmp_path):
    text = pack(GOOD_RULE.replace("severity:", "severty:") + GOOD_RULE.replace("XX001", "XX002")
                .replace("category:", "categroy:"))
    errors = lines_of(validate(tmp_path, text))
    assert len(errors) == 2
    assert errors[0].startswith("bad.yaml:7: rule XX001: unknown key 'severty'")
    assert "rule XX002: unknown key 'categroy' (did you mean 'category'?)" in errors[1]


def test_check_with_a_broken_pack_exits_2(tmp_path):
    (tmp_path / "bad.yaml").write_text(pack(GOOD_RULE.replace("severity:", "severty:")), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Plain text.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "curriclint", "check", "--extend-rules", "bad.yaml",
                           "notes.txt"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert lines_of(proc) == ["bad.yaml:7: rule XX001: unknown key 'severty' (did you mean 'severity'?)"]
