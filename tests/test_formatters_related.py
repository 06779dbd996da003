"""A grouped finding (a contract-defined term with its further uses under `related`) reads the same
in every format: "used N times" for people, relatedLocations in SARIF, related_locations in rdjson."""

from __future__ import annotations

import json

import jsonschema
import pytest
from ci_support import FIXTURES
from github_sarif import problems

from tilint.findings import FileResult, Finding
from tilint.formatters import formatter
from tilint.formatters.report import Report

TEXT = (
    "# Terms\n\nService Users means the people who use the Service.\n\n"
    "Each Service User has a plan.\nService Users choose.\n"
)
SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def use(line: int, column: int, text: str) -> dict:
    return {"line": line, "column": column, "end_line": line, "end_column": column + len(text), "text": text}


@pytest.fixture
def report(tmp_path, monkeypatch, test_rules) -> Report:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "terms.md").write_text(TEXT, encoding="utf-8")
    finding = Finding(
        rule="test-case", category="people-as-labels", severity="warning", message="Cases are people.",
        text="Service Users", suggestions=["people"], start=9, end=22, line=3, column=1, end_line=3, end_column=14,
    )
    finding.related = [use(5, 6, "Service User"), use(6, 1, "Service Users")]
    plain = Finding(
        rule="test-case", category="people-as-labels", severity="warning", message="Cases are people.",
        text="plan", suggestions=[], start=0, end=4, line=5, column=25, end_line=5, end_column=29,
    )
    result = FileResult(path="terms.md", format="markdown", findings=[finding, plain])
    return Report(results=[result], ruleset=test_rules)


def test_text_says_how_often_the_term_is_used_and_where(report):
    out = formatter("text")(report)
    assert "    = used 3 times (also lines 5, 6)" in out
    assert out.count("used ") == 1  # an ordinary finding says nothing


def test_concise_and_github_say_used_n_times(report):
    assert formatter("concise")(report).splitlines()[0].endswith("(used 3 times)")
    assert "(used 3 times)" in formatter("github")(report).splitlines()[0]


def test_sarif_carries_further_uses_as_related_locations(report):
    sarif = json.loads(formatter("sarif")(report))
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    assert problems(sarif) == []
    grouped, plain = sarif["runs"][0]["results"]
    related = grouped["relatedLocations"]
    assert [(r["id"], r["physicalLocation"]["region"]["startLine"], r["physicalLocation"]["region"]["startColumn"])
            for r in related] == [(1, 5, 6), (2, 6, 1)]
    assert related[0]["physicalLocation"]["artifactLocation"] == {"uri": "terms.md", "uriBaseId": "%SRCROOT%"}
    assert "(used 3 times; next use [here](1))" in grouped["message"]["text"]
    assert "relatedLocations" not in plain


def test_rdjson_carries_further_uses_as_related_locations(report):
    diagnostic = json.loads(formatter("rdjson")(report))["diagnostics"][0]
    assert [r["location"]["range"]["start"] for r in diagnostic["related_locations"]] == [
        {"line": 5, "column": 6}, {"line": 6, "column": 1}
    ]
    assert diagnostic["message"].startswith("\u201cService Users\u201d: Cases are people. (used 3 times)")


def test_gitlab_junit_checkstyle_and_the_job_summary_say_used_n_times(report):
    assert "(used 3 times)" in json.loads(formatter("gitlab")(report))[0]["description"]
    assert "Used 3 times (also lines 5, 6)" in formatter("junit")(report)
    assert "(used 3 times)" in formatter("checkstyle")(report)
    from tilint.formatters import stepsummary

    assert "| Service Users (used 3 times) |" in stepsummary.render(report)
