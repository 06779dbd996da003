"""CI output formats: SARIF 2.1.0, GitHub annotations, checkstyle and JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from ci_support import FIXTURES, fast_cli, run_check  # noqa: F401  (fixture)

from tilint.findings import FileResult, Finding
from tilint.formatters import FORMATS, formatter
from tilint.formatters.github import escape_data, escape_property
from tilint.formatters.report import Report
from tilint.run.single import check_path

pytestmark = pytest.mark.usefixtures("fast_cli")

SCHEMA = FIXTURES / "sarif" / "sarif-schema-2.1.0.json"
TEXT = "# Plan\n\nWe hold 40 cases.\n\nHard to reach families, and complex cases.\n"


def shared_schema() -> Path:
    """The shared copy when the repository sits next to it (as in CI), else the fixture copy."""
    shared = Path(__file__).resolve().parents[1] / ".." / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    return shared if shared.is_file() else SCHEMA


@pytest.fixture
def report(test_linter, test_rules, tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(TEXT, encoding="utf-8")
    result = check_path(test_linter, str(path)).result
    result.path = "docs/plan one.md"
    missing = FileResult(path="docs/missing.md", error="no such file")
    whole = FileResult(
        path="docs/risk.md",
        format="markdown",
        findings=[
            Finding(
                rule="test-risk-only",
                category="document-framing",
                severity="warning",
                message="Only risk.",
                text="",
                suggestions=[],
            )
        ],
    )
    return Report(results=[result, missing, whole], ruleset=test_rules)


def render(name: str, report: Report) -> str:
    return formatter(name)(report)


def test_every_ci_format_is_registered():
    assert {"sarif", "github", "checkstyle", "junit"} <= set(FORMATS)


# -- SARIF -------------------------------------------------------------------------------------------
def test_sarif_validates_against_the_2_1_0_schema(report):
    schema = json.loads(shared_schema().read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(json.loads(render("sarif", report)))


def test_sarif_describes_each_rule_used_with_help_and_sources(report):
    driver = json.loads(render("sarif", report))["runs"][0]["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted({"test-case", "test-hard-to-reach", "test-complex-cases", "test-risk-only"})
    case = driver["rules"][ids.index("test-case")]
    assert "families we work with" in case["help"]["text"] and "reduces them" in case["help"]["text"]
    assert case["helpUri"].startswith("https://rewritingsocialcare.blog")
    assert case["defaultConfiguration"]["level"] == "warning"


def test_sarif_results_point_at_their_rule_and_region(report):
    run = json.loads(render("sarif", report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "test-case"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "docs/plan%20one.md"
    assert location["region"] == {
        "startLine": 3,
        "startColumn": 12,
        "endLine": 3,
        "endColumn": 17,
        "snippet": {"text": "cases"},
    }


def test_sarif_levels_map_error_warning_and_info(report):
    levels = {r["ruleId"]: r["level"] for r in json.loads(render("sarif", report))["runs"][0]["results"]}
    assert levels["test-hard-to-reach"] == "error" and levels["test-case"] == "warning"
    assert levels["test-complex-cases"] == "note"


def test_sarif_document_level_finding_points_at_the_start_of_the_file(report):
    results = json.loads(render("sarif", report))["runs"][0]["results"]
    whole = next(r for r in results if r["ruleId"] == "test-risk-only")
    physical = whole["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "docs/risk.md"
    assert physical["region"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}


def test_sarif_reports_unreadable_files_as_notifications(report):
    invocation = json.loads(render("sarif", report))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "no such file" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_fingerprints_survive_lines_added_above(test_linter, test_rules, tmp_path):
    def fingerprints(text: str) -> list[str]:
        path = tmp_path / "p.md"
        path.write_text(text, encoding="utf-8")
        result = check_path(test_linter, str(path)).result
        sarif = json.loads(render("sarif", Report(results=[result], ruleset=test_rules)))
        return [r["partialFingerprints"]["tilintFingerprint/v1"] for r in sarif["runs"][0]["results"]]

    before = fingerprints(TEXT)
    after = fingerprints("# Plan\n\nA new opening paragraph.\n\n" + TEXT[len("# Plan\n\n") :])
    assert before == after and len(set(before)) == len(before)


def test_sarif_identical_findings_get_distinct_fingerprints(test_linter, test_rules, tmp_path):
    path = tmp_path / "p.md"
    path.write_text("We hold cases.\n\nWe hold cases.\n", encoding="utf-8")
    result = check_path(test_linter, str(path)).result
    results = json.loads(render("sarif", Report(results=[result], ruleset=test_rules)))["runs"][0]["results"]
    keys = [r["partialFingerprints"]["tilintFingerprint/v1"] for r in results]
    assert len(keys) == 2 and keys[0] != keys[1] and keys[0].split(":")[0] == keys[1].split(":")[0]


# -- GitHub ------------------------------------------------------------------------------------------
def test_github_annotations_carry_position_title_and_severity(report):
    lines = render("github", report).splitlines()
    assert lines[0] == (
        "::warning file=docs/plan one.md,line=3,col=12,endLine=3,endColumn=17,title=tilint test-case::"
        "\u201ccases\u201d: Cases are people.%0ATry: people; families we work with"
    )
    assert any(line.startswith("::error file=docs/plan one.md,line=5,col=1,") for line in lines)
    assert any(line.startswith("::notice file=docs/plan one.md,") for line in lines)
    assert "::error file=docs/missing.md,title=tilint%3A file not checked::no such file" in lines
    assert any(line.startswith("::warning file=docs/risk.md,title=tilint test-risk-only::") for line in lines)


def test_github_escaping_follows_the_workflow_command_rules():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_format_auto_is_github_inside_actions_and_text_elsewhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("We hold cases.\n", encoding="utf-8")
    assert run_check("a.md", env={"GITHUB_ACTIONS": "true"}).stdout.startswith("::warning file=a.md,line=1,")
    assert run_check("a.md").stdout.startswith("a.md:1:9: warning [test-case]")


# -- XML ---------------------------------------------------------------------------------------------
@pytest.fixture
def awkward(test_rules):
    finding = Finding(
        rule="test-case",
        category="people-as-labels",
        severity="warning",
        message='Say "people" & <not> cases\x01.',
        text="cases",
        suggestions=["people"],
        start=0,
        end=5,
        line=2,
        column=3,
        end_line=2,
        end_column=8,
    )
    return Report(
        results=[
            FileResult(path="a&b.md", format="markdown", findings=[finding]),
            FileResult(path="clean.md", format="markdown"),
            FileResult(path="bad.md", error="no such file"),
        ],
        ruleset=test_rules,
    )


def test_checkstyle_is_well_formed_and_escaped(awkward):
    root = ET.fromstring(render("checkstyle", awkward).encode("utf-8"))
    files = root.findall("file")
    assert [f.get("name") for f in files] == ["a&b.md", "clean.md", "bad.md"]
    error = files[0].find("error")
    assert error.get("line") == "2" and error.get("column") == "3" and error.get("severity") == "warning"
    assert error.get("source") == "tilint.test-case" and 'Say "people" & <not> cases\ufffd.' in error.get(
        "message"
    )
    assert files[2].find("error").get("source") == "tilint.read-error"


def test_junit_counts_failures_per_file(awkward):
    root = ET.fromstring(render("junit", awkward).encode("utf-8"))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    failure = suites["a&b.md"].find("testcase/failure")
    assert failure.get("type") == "warning" and "Try: people" in failure.text
    assert suites["clean.md"].find("testcase/failure") is None
    assert suites["bad.md"].find("testcase/error") is not None
