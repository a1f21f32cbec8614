"""JUnit XML for CI test-report views: one testcase per file, a <failure> per active
warning or error, an <error> for a file that could not be read.

Attribute counts are element counts: ``tests`` files, ``failures`` failure elements,
``errors`` unreadable files. Info findings and notices go to the testcase's system-out.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from curriclint.report.text_report import where

# Characters XML 1.0 cannot carry, even escaped; documents do contain them (form feeds, NULs).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text) -> str:
    return _INVALID_XML.sub("\ufffd", "" if text is None else str(text))


def _label(finding) -> str:
    loc = finding.location
    return f"line {loc['index']}" if loc["unit"] == "line" else where(loc)


def render(run, ruleset) -> str:
    root = ET.Element("testsuites", name="curriclint")
    suite = ET.SubElement(root, "testsuite", name="curriclint")
    tests = failures = errors = 0
    for file in run.files:
        tests += 1
        case = ET.SubElement(suite, "testcase", name=clean(file.path), classname=clean(file.path),
                             time="0")
        out: list[str] = []
        if file.status == "error":
            errors += 1
            error = ET.SubElement(case, "error", message=clean(file.error), type="unreadable")
            error.text = clean(f"{file.path}: {file.error}")
        for notice in file.notices:
            out.append(f"notice: {notice}")
        for finding in file.findings:
            if finding.suppressed is not None:
                continue
            if not finding.severity.is_flag:
                out.append(f"{_label(finding)}: {finding.rule_id} [info] {finding.message}")
                continue
            failures += 1
            failure = ET.SubElement(case, "failure", message=clean(f"{finding.rule_id}: {finding.message}"),
                                    type=finding.severity.value)
            body = [f"{finding.path}: {_label(finding)}", f"rule: {finding.rule_id} {finding.rule} "
                    f"({finding.severity.value})", f"context: {finding.context}"]
            if finding.suggestion:
                body.append(f"instead: {finding.suggestion}")
            failure.text = clean("\n".join(body))
        if out:
            ET.SubElement(case, "system-out").text = clean("\n".join(out))
    for element in (root, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", "0")
    if run.notices:
        ET.SubElement(suite, "system-out").text = clean("\n".join(f"notice: {n}" for n in run.notices))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
