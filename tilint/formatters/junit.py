"""JUnit XML, which most CI systems (GitLab, Jenkins, Azure Pipelines, CircleCI) show as test results.

One test suite per checked file; each finding is a failing test case (named for the rule and its
position), a clean file is one passing case, and an unreadable file is an erroring case, so the CI
test view reads "3 failures in policy.md".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tilint.formatters.related import lines_note
from tilint.formatters.report import Report
from tilint.formatters.xmlutil import clean, serialise


def _position(finding) -> str:
    if finding.where:
        return finding.where
    if finding.line is not None:
        return f"line {finding.line}, column {finding.column}"
    return "document"


def _details(path: str, finding) -> str:
    lines = [f"{path}: {_position(finding)}: {finding.severity} [{finding.rule}] {finding.message}"]
    if finding.text:
        lines.append(f"Text: {finding.text}")
    uses = lines_note(finding)
    if uses:
        lines.append(uses[0].upper() + uses[1:])
    if finding.suggestions:
        lines.append("Try: " + "; ".join(finding.suggestions))
    return "\n".join(lines)


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="tilint")
    total_tests = total_failures = total_errors = 0
    for result in report.results:
        suite = ET.SubElement(root, "testsuite", name=clean(result.path))
        tests = failures = errors = 0
        if result.error:
            case = ET.SubElement(suite, "testcase", name="read", classname=clean(result.path))
            ET.SubElement(case, "error", message=clean(result.error), type="read-error").text = clean(
                result.error
            )
            tests, errors = 1, 1
        elif not result.findings:
            ET.SubElement(suite, "testcase", name="no findings", classname=clean(result.path))
            tests = 1
        for finding in result.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                name=clean(f"{finding.rule} ({_position(finding)})"),
                classname=clean(result.path),
            )
            failure = ET.SubElement(case, "failure", message=clean(finding.message), type=finding.severity)
            failure.text = clean(_details(result.path, finding))
            tests += 1
            failures += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        total_tests, total_failures, total_errors = (
            total_tests + tests,
            total_failures + failures,
            total_errors + errors,
        )
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    return serialise(root)
