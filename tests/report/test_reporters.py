"""Every reporter on one hand-built RunResult, plus the command line end to end."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from curriclint.rules.loader import load_rules
from curriclint.model import CONTEXT_KINDS, PARTS, UNITS
from curriclint.report import FORMATS, render
from curriclint.report.json_report import as_dict

SCHEMAS_ENV = "CURRICLINT_SCHEMAS"
SAMPLE = ("eGFR: multiply by 1.159 if the patient is African American.\n"
          "<script>window.__pwned = 1</script> Black patients feel less pain\n")


# ---------------------------------------------------------------- JSON + its schema

def report_schema() -> dict:
    return json.loads((resources.files("curriclint.report") / "report.schema.json").read_text("utf-8"))


def json_validator():
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_json_report_matches_published_schema(run, ruleset):
    data = as_dict(run, ruleset)
    errors = sorted(json_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert any("suppressed" in f for f in data["findings"])
    assert data["banks"] and data["notices"]


def test_json_schema_requires_documented_keys_and_allows_new_ones(run, ruleset):
    validator = json_validator()
    data = as_dict(run, ruleset)
    data["future_key"] = 1
    data["findings"][0]["future_key"] = "x"
    assert validator.is_valid(data)
    broken = as_dict(run, ruleset)
    del broken["findings"][0]["fingerprint"]
    assert not validator.is_valid(broken)
    broken = as_dict(run, ruleset)
    broken["findings"][0]["context_kind"] = "maybe"
    assert not validator.is_valid(broken)
    broken = as_dict(run, ruleset)
    broken["findings"][0]["suppressed"] = {"by": "someone", "reason": "x"}
    assert not validator.is_valid(broken)
    broken = as_dict(run, ruleset)
    del broken["banks"][0]["unmarked_share"]
    assert not validator.is_valid(broken)


def test_json_schema_enums_follow_the_model():
    defs = report_schema()["$defs"]
    assert defs["location"]["properties"]["unit"]["enum"] == list(UNITS)
    assert defs["location"]["properties"]["part"]["enum"] == list(PARTS)
    assert defs["finding"]["properties"]["context_kind"]["enum"] == list(CONTEXT_KINDS)


# ---------------------------------------------------------------- SARIF

def sarif_validator():
    folder = os.environ.get(SCHEMAS_ENV)
    if not folder:
        pytest.skip(f"{SCHEMAS_ENV} is not set: SARIF validation needs the official "
                    "sarif-schema-2.1.0.json from the shared schemas folder (.ci/run sets it)")
    path = Path(folder) / "sarif-schema-2.1.0.json"
    if not path.is_file():
        pytest.fail(f"{SCHEMAS_ENV}={folder} has no sarif-schema-2.1.0.json")
    schema = json.loads(path.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the file declares draft-04

    def no_network(uri: str):
        raise NoSuchResource(ref=uri)  # any remote $ref would fail here instead of fetching

    resource = Resource.from_contents(schema)
    registry = Registry(retrieve=no_network).with_resource(schema.get("id") or schema.get("$id"), resource)
    cls.check_schema(schema)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(data: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:10]]


def sarif(run, ruleset) -> dict:
    return json.loads(render("sarif", run, ruleset))


def test_sarif_is_valid_against_the_official_schema(run, ruleset):
    assert_valid_sarif(sarif(run, ruleset))


def test_sarif_results(run, ruleset):
    data = sarif(run, ruleset)
    assert data["version"] == "2.1.0"
    (sarif_run,) = data["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "curriclint" and driver["version"]
    rules = driver["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for rule in rules:
        assert "{match}" not in rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["properties"]["tags"] == [rule["properties"]["category"]]
    rba001 = next(r for r in rules if r["id"] == "RBA001")
    assert rba001["shortDescription"]["text"] == "eGFR taught with a race coefficient"
    assert "Instead:" in rba001["help"]["markdown"] and "https://doi.org/" in rba001["help"]["markdown"]

    results = sarif_run["results"]
    assert len(results) == len(run.findings) == 6
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["curriclint/v1"]
    table = results[0]
    assert table["level"] == "error"
    physical = table["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "renal/week%201/ckd.pptx", "uriBaseId": "%SRCROOT%"}
    assert "region" not in physical
    logical = table["locations"][0]["logicalLocations"][0]
    assert logical["fullyQualifiedName"] == "slide 14/table r2c2" and logical["name"] == "slide 14"
    assert "slide 14 (table r2c2)" in table["message"]["text"]
    assert "%SRCROOT%" in sarif_run["originalUriBaseIds"]

    by_level = {r["ruleId"]: r["level"] for r in results}
    assert by_level["SV002"] == "warning" and by_level["BR001"] == "note"
    line = next(r for r in results if r["ruleId"] == "BR004")
    assert line["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}
    question = next(r for r in results if r["ruleId"] == "SV002")
    assert question["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "question 7 [Q-7]/option B"

    suppressed = [r for r in results if "suppressions" in r]
    assert [s["suppressions"][0]["kind"] for s in suppressed] == ["inSource", "external"]
    assert suppressed[0]["suppressions"][0]["justification"] == "history slide, criticised in the lecture"

    (invocation,) = sarif_run["invocations"]
    assert invocation["executionSuccessful"] is True
    errors = [n for n in invocation["toolExecutionNotifications"] if n["level"] == "error"]
    assert len(errors) == 1
    assert errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "old/lecture.ppt"
    assert "legacy binary" in errors[0]["message"]["text"]


def test_sarif_uris_for_absolute_and_dotted_paths():
    from curriclint.report.sarif_report import artifact_location, short_description

    assert artifact_location("./a/b.pdf") == {"uri": "a/b.pdf", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("/srv/c d/x.pdf") == {"uri": "file:///srv/c%20d/x.pdf"}
    assert artifact_location("a\\b.pdf")["uri"] == "a/b.pdf"
    assert short_description("Outdated racial typology ({match})") == "Outdated racial typology"
    assert short_description("Found {match} here") == "Found here"


# ---------------------------------------------------------------- CSV

def test_csv(run, ruleset):
    from curriclint.report.csv_report import COLUMNS

    rows = list(csv.reader(io.StringIO(render("csv", run, ruleset))))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 1 + len(run.findings)
    records = [dict(zip(rows[0], r)) for r in rows[1:]]
    table = records[0]
    assert (table["unit"], table["index"], table["part"], table["row"], table["col"]) == ("slide", "14", "table", "2", "2")
    question = next(r for r in records if r["rule_id"] == "SV002")
    assert (question["option"], question["question_id"], question["severity"]) == ("B", "Q-7", "warning")
    assert [r["suppressed_by"] for r in records].count("inline") == 1
    assert next(r for r in records if r["suppressed_by"] == "baseline")["suppression_reason"] == "accepted 2024-05"
    line = next(r for r in records if r["rule_id"] == "BR004")
    assert line["context"].startswith("<script>")


def test_csv_neutralises_spreadsheet_formulas(run, ruleset):
    run.files[0].findings[0].context = '=HYPERLINK("http://evil.example","x")'
    rows = list(csv.DictReader(io.StringIO(render("csv", run, ruleset))))
    assert rows[0]["context"].startswith("'=")


# ---------------------------------------------------------------- GitHub

def test_github_annotations(run, ruleset):
    lines = render("github", run, ruleset).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    findings = [c for c in commands if "title=RBA001" in c or "title=SV002" in c
                or "title=BR004" in c or "title=BR001" in c]
    assert len(findings) == 4  # the two suppressed findings are left out
    assert findings[0].startswith("::error file=renal/week 1/ckd.pptx,title=RBA001 egfr-race-coefficient::")
    assert "(slide 14 (table r2c2))" in findings[0]
    assert "line=" not in findings[0]
    assert any(c.startswith("::warning file=heme/bank.xml,title=SV002") for c in findings)
    assert any(c.startswith("::notice file=heme/bank.xml,title=BR001") for c in findings)
    line = next(c for c in findings if "title=BR004" in c)
    assert line.startswith("::error file=notes%2C 2024%3Adraft.txt,line=3,title=BR004 hoffman-false-beliefs::")
    assert "%0AInstead: " in line
    assert "::error file=old/lecture.ppt,title=curriclint%3A unreadable file::legacy binary" in render("github", run, ruleset)
    assert all("\r" not in c for c in commands)


def test_github_escaping():
    from curriclint.report.github_report import command

    assert command("error", "50% done\r\nnext: a,b", file="a:b,c%.txt", line=2) == \
        "::error file=a%3Ab%2Cc%25.txt,line=2::50%25 done%0D%0Anext: a,b"


# ---------------------------------------------------------------- JUnit

def test_junit(run, ruleset):
    root = ET.fromstring(render("junit", run, ruleset))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "curriclint"
    cases = suite.findall("testcase")
    assert [c.get("classname") for c in cases] == [f.path for f in run.files]
    failures = suite.findall("testcase/failure")
    assert len(failures) == 3  # errors and warnings; not info, not suppressed
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "3", "1")
    assert failures[0].get("message").startswith("RBA001: eGFR taught")
    assert "slide 14 (table r2c2)" in failures[0].text and "instead:" in failures[0].text
    (error,) = suite.findall("testcase/error")
    assert "legacy binary" in error.get("message")
    assert cases[3].find("error") is not None


def test_junit_survives_control_characters(run, ruleset):
    run.files[0].findings[0].context = "bad\x0cform\x00feed"
    ET.fromstring(render("junit", run, ruleset))


# ---------------------------------------------------------------- HTML (no browser)

class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attrs: list[tuple[str, str, str]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        self.attrs += [(tag, name, value or "") for name, value in attrs]


def html(run, ruleset) -> str:
    return render("html", run, ruleset)


def test_html_escapes_document_text(run, ruleset):
    page = html(run, ruleset)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "<script>window.__pwned" not in page
    assert "&lt;b&gt;Sarcoidosis&lt;/b&gt;" in page
    assert "<mark>Black patients feel less pain</mark>" in page
    parser = _Attributes()
    parser.feed(page)
    assert parser.scripts == 1  # ours, nothing from documents
    assert not any(name.startswith("on") for _, name, _ in parser.attrs)  # no inline handlers


def test_html_loads_nothing_from_the_network(run, ruleset):
    page = html(run, ruleset)
    parser = _Attributes()
    parser.feed(page)
    remote = re.compile(r"^\s*(https?:)?//", re.I)
    for tag, name, value in parser.attrs:
        if remote.match(value) and not (tag == "a" and name == "href") and name != "xmlns":
            pytest.fail(f"<{tag} {name}={value!r}> would load a remote resource")
    assert "url(" not in page and "@import" not in page
    assert any(tag == "a" and value.startswith("https://doi.org/") for tag, _, value in parser.attrs)
    assert "default-src 'none'" in page


def test_html_csp_hash_matches_the_inline_script(run, ruleset):
    page = html(run, ruleset)
    body = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page


def test_html_content(run, ruleset):
    page = html(run, ruleset)
    assert "<svg" in page and page.count("<svg") == 4
    assert "curriclint 0.1.0" in page
    pack = next(p for p in load_rules().packs if p.name == "race-based-algorithms")
    assert f"race-based-algorithms {pack.version}" in page
    assert re.search(r'id="total-findings">4<', page)  # suppressed findings not counted
    assert 'data-course="renal"' in page and 'data-course="heme"' in page
    assert 'data-course="(top level)"' in page
    assert page.count('class="finding"') == 4
    assert page.count('class="suppressed-finding"') == 2
    assert "history slide, criticised in the lecture" in page
    assert "Showing 4 of 4 findings" in page
    assert 'id="banks"' in page and "Sickle cell disease" in page and "90%" in page
    assert "https://doi.org/10.1056/NEJMms2004740" in page
    assert "Instead:" in page
    assert "legacy binary PowerPoint" in page and "slides 3, 4 are image-only" in page
    # files table: most findings first
    order = [m for m in re.findall(r'<td class="path">([^<]*)</td>', page)]
    assert order[:4] == ["heme/bank.xml", "notes, 2024:draft.txt", "renal/week 1/ckd.pptx", "old/lecture.ppt"]
    assert html(run, ruleset) == page  # deterministic


def test_course_of():
    from curriclint.report.html_report import common_folder, course_of

    assert course_of("renal/week1/a.pptx") == "renal"
    assert course_of("./renal/a.pptx") == "renal"
    assert course_of("a.pptx") == "(top level)"
    assert course_of("renal\\a.pptx") == "renal"
    base = common_folder(["/srv/program/renal/w1/a.pptx", "/srv/program/cardiology/b.pdf"])
    assert base == ["srv", "program"]
    assert course_of("/srv/program/renal/w1/a.pptx", base) == "renal"


def test_html_without_banks_or_findings(ruleset):
    from curriclint.runner import RunResult

    page = render("html", RunResult(), ruleset)
    assert "No findings." in page and 'id="banks"' not in page


# ---------------------------------------------------------------- end to end

def check(tmp_path: Path, fmt: str, *extra: str) -> subprocess.CompletedProcess:
    (tmp_path / "notes.txt").write_text(SAMPLE, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-c", "from curriclint.cli import main; main()", "check", "--format", fmt,
         "notes.txt", *extra],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "text"])
def test_check_end_to_end(tmp_path, fmt):
    result = check(tmp_path, fmt)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "RBA001" in out and "BR009" in out
    if fmt == "json":
        errors = list(json_validator().iter_errors(json.loads(out)))
        assert not errors, [e.message for e in errors]
    elif fmt == "sarif":
        data = json.loads(out)
        assert {r["ruleId"] for r in data["runs"][0]["results"]} == {"RBA001", "BR009"}
        assert_valid_sarif(data)
    elif fmt == "html":
        assert "&lt;script&gt;window.__pwned" in out and "<script>window.__pwned" not in out
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["rule_id"] for r in rows] == ["RBA001", "BR009"]
        assert [r["index"] for r in rows] == ["1", "2"]
    elif fmt == "github":
        assert "::error file=notes.txt,line=1,title=RBA001 egfr-race-coefficient::" in out
        assert "::error file=notes.txt,line=2,title=BR009 myth-pain-tolerance::" in out
    elif fmt == "junit":
        root = ET.fromstring(out)
        assert len(root.findall("testsuite/testcase/failure")) == 2


def test_check_writes_html_to_output_file(tmp_path):
    result = check(tmp_path, "html", "--output", "report.html")
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    page = (tmp_path / "report.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "&lt;script&gt;" in page
