"""The output conventions peers have: a one-line format, GitLab Code Quality, reviewdog's rdjson and
rdjsonl, GitHub's annotation limit and job summary. Each machine format is checked against a JSON
Schema written from its consumer's documentation."""

from __future__ import annotations

import json
import subprocess

import jsonschema
import pytest
from ci_support import fast_cli, run_check  # noqa: F401  (fixture)
from readers_fixtures import docx_with_paragraphs

from tilint.findings import FileResult, Finding
from tilint.formatters import formatter
from tilint.formatters.concise import quote_path
from tilint.formatters.report import Report

pytestmark = pytest.mark.usefixtures("fast_cli")

#: GitLab, "Code Quality report format" (docs.gitlab.com/ci/testing/code_quality/): a JSON array
#: of objects with these required fields; location.lines.begin or location.positions.begin.line
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^(\\./|/)"}},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}, "end": {"type": "integer"}},
                    },
                    "positions": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "object", "required": ["line"]}},
                    },
                },
                "anyOf": [{"required": ["lines"]}, {"required": ["positions"]}],
            },
        },
    },
}

#: reviewdog Diagnostic Format (reviewdog/reviewdog, proto/rdf/jsonschema): Diagnostic and its parts
_POSITION = {
    "type": "object",
    "properties": {"line": {"type": "integer", "minimum": 1}, "column": {"type": "integer", "minimum": 1}},
}
_RANGE = {"type": "object", "required": ["start"], "properties": {"start": _POSITION, "end": _POSITION}}
_SEVERITY = {"enum": ["UNKNOWN_SEVERITY", 0, "ERROR", 1, "WARNING", 2, "INFO", 3]}
_STRING = {"type": "string"}
_SOURCE = {"type": "object", "required": ["name"], "properties": {"name": _STRING, "url": _STRING}}
RD_DIAGNOSTIC = {
    "type": "object",
    "required": ["message", "location"],
    "properties": {
        "message": {"type": "string", "minLength": 1},
        "location": {
            "type": "object",
            "required": ["path"],
            "properties": {"path": {"type": "string", "minLength": 1}, "range": _RANGE},
        },
        "severity": _SEVERITY,
        "source": _SOURCE,
        "code": {"type": "object", "required": ["value"], "properties": {"value": _STRING, "url": _STRING}},
        "suggestions": {
            "type": "array",
            "items": {
                "type": "object", "required": ["range", "text"], "properties": {"range": _RANGE, "text": _STRING}
            },
        },
        "original_output": {"type": "string"},
        "related_locations": {"type": "array"},
    },
}
RD_RESULT = {
    "type": "object",
    "required": ["diagnostics"],
    "properties": {"diagnostics": {"type": "array", "items": RD_DIAGNOSTIC}, "source": _SOURCE, "severity": _SEVERITY},
}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "docs" / "plan.md").write_text(
        "# Plan\n\nWe hold 40 cases.\n\nCafé users show challenging behaviour. Cases, cases.\n", encoding="utf-8"
    )
    (root / "docs" / "clean.md").write_text("# Clean\n\nWe work with families.\n", encoding="utf-8")
    (root / "docs" / "tender.docx").write_bytes(docx_with_paragraphs("Intro.", "Our cases matter."))
    monkeypatch.chdir(root / "docs")
    return root


def check(*args: str, **kwargs):
    return run_check(*args, **kwargs)


# -- concise -----------------------------------------------------------------------------------------
def test_concise_prints_one_parsable_line_per_finding_and_nothing_else(repo):
    lines = check("--format", "concise", ".").stdout.splitlines()
    assert lines[0] == "plan.md:3:12: warning [test-case] \u201ccases\u201d: Cases are people."
    assert "tender.docx:2:5: warning [test-case] \u201ccases\u201d: Cases are people. (paragraph 2)" in lines
    assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit() for line in lines)
    assert not any(line.startswith("Checked") for line in lines)


def test_concise_quotes_a_file_name_with_a_line_break():
    assert quote_path("docs/a.md") == "docs/a.md"
    assert quote_path("C:\\docs\\a.md") == "C:\\docs\\a.md"
    assert quote_path("evil\n3:1: error.md") == '"evil\\n3:1: error.md"'
    assert quote_path('"quoted".md') == '"\\"quoted\\".md"'


def test_concise_output_of_a_file_named_with_a_newline_stays_one_line_per_finding(repo):
    (repo / "docs" / "two\nlines.md").write_text("We hold cases.\n", encoding="utf-8")
    lines = check("--format", "concise", "two\nlines.md").stdout.splitlines()
    assert lines == ['"two\\nlines.md":1:9: warning [test-case] \u201ccases\u201d: Cases are people.']


# -- GitLab Code Quality ----------------------------------------------------------------------------
def test_gitlab_report_follows_the_documented_format(repo):
    issues = json.loads(check("--format", "gitlab", ".").stdout)
    jsonschema.Draft7Validator(GITLAB_SCHEMA).validate(issues)
    assert {i["location"]["path"] for i in issues} == {"docs/plan.md", "docs/tender.docx"}


def test_gitlab_fingerprints_are_unique_per_occurrence(repo):
    issues = json.loads(check("--format", "gitlab", ".").stdout)
    prints = [i["fingerprint"] for i in issues]
    assert len(prints) == len(set(prints)) and len(prints) >= 4


def test_gitlab_fingerprints_survive_lines_added_above(repo):
    before = {i["fingerprint"] for i in json.loads(check("--format", "gitlab", "plan.md").stdout)}
    plan = repo / "docs" / "plan.md"
    body = plan.read_text("utf-8").split("\n", 2)[2]
    plan.write_text("# Plan\n\nA new first paragraph.\n\n" + body, encoding="utf-8")
    after = {i["fingerprint"] for i in json.loads(check("--format", "gitlab", "plan.md").stdout)}
    assert before == after


def test_gitlab_severities_map_to_gitlabs_scale(repo):
    (repo / "docs" / "reach.md").write_text("Hard to reach families.\n", encoding="utf-8")
    issues = json.loads(check("--format", "gitlab", "reach.md", "plan.md").stdout)
    assert {i["check_name"]: i["severity"] for i in issues}["test-hard-to-reach"] == "major"
    assert {i["check_name"]: i["severity"] for i in issues}["test-case"] == "minor"


# -- reviewdog ---------------------------------------------------------------------------------------
def test_rdjson_follows_the_diagnostic_result_schema(repo):
    result = json.loads(check("--format", "rdjson", ".").stdout)
    jsonschema.Draft4Validator(RD_RESULT).validate(result)
    assert result["source"]["name"] == "tilint"


def test_rdjsonl_is_one_diagnostic_per_line(repo):
    lines = check("--format", "rdjsonl", ".").stdout.splitlines()
    assert len(lines) >= 4
    for line in lines:
        jsonschema.Draft4Validator(RD_DIAGNOSTIC).validate(json.loads(line))


def test_rdjson_columns_count_utf8_bytes(repo):
    diagnostics = json.loads(check("--format", "rdjson", "plan.md").stdout)["diagnostics"]
    behaviour = next(d for d in diagnostics if d["code"]["value"] == "test-behaviour")
    # "Café users show " is 16 characters and 17 bytes: the phrase starts at byte column 18
    assert behaviour["location"]["range"]["start"] == {"line": 5, "column": 18}
    assert behaviour["location"]["range"]["end"] == {"line": 5, "column": 18 + len("challenging behaviour")}


def test_rdjson_offers_a_safe_rules_replacement_as_a_suggestion(repo):
    diagnostics = json.loads(check("--format", "rdjson", "plan.md").stdout)["diagnostics"]
    behaviour = next(d for d in diagnostics if d["code"]["value"] == "test-behaviour")
    assert behaviour["suggestions"] == [{"range": behaviour["location"]["range"], "text": "behaviour of distress"}]
    assert all("suggestions" not in d for d in diagnostics if d["code"]["value"] == "test-case")


def test_rdjson_extracted_formats_have_no_range_and_say_where(repo):
    diagnostics = json.loads(check("--format", "rdjson", "tender.docx").stdout)["diagnostics"]
    assert diagnostics[0]["location"] == {"path": "tender.docx"}
    assert "(paragraph 2)" in diagnostics[0]["message"]


# -- GitHub ------------------------------------------------------------------------------------------
def _many(count: int, severity: str = "warning") -> Report:
    findings = [
        Finding(rule="test-case", category="people-as-labels", severity=severity, message="Cases are people.",
                text="cases", suggestions=[], start=0, end=5, line=n, column=1, end_line=n, end_column=6)
        for n in range(1, count + 1)
    ]
    from ci_support import RULES

    from tilint.ruleset import load_ruleset

    return Report(results=[FileResult(path="a.md", format="markdown", findings=findings)],
                  ruleset=load_ruleset([RULES], builtin=False))


def test_github_says_when_the_annotation_limit_hides_findings():
    last = formatter("github")(_many(13)).splitlines()[-1]
    assert last.startswith("tilint: 13 findings in 1 file;")
    assert "3 warnings appear only in this log and the job summary" in last


def test_github_says_nothing_about_the_limit_under_it():
    assert "GitHub shows only" not in formatter("github")(_many(10))


def test_github_annotations_name_paths_from_the_repository_root(repo):
    out = check("--format", "github", "plan.md").stdout
    assert out.startswith("::warning file=docs/plan.md,line=3,col=12,")


def test_job_summary_has_totals_top_rules_and_findings(repo, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    check("--format", "github", ".", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text("utf-8")
    assert text.startswith("earlier step\n### tilint: ")
    assert "| `test-case` |" in text and "| docs/plan.md:3 | warning | `test-case` | cases |" in text
    assert "docs/tender.docx (paragraph 2)" in text


def test_job_summary_says_how_many_findings_were_not_annotated(tmp_path):
    from tilint.formatters import stepsummary

    text = stepsummary.render(_many(12))
    assert "2 warnings are not annotated" in text


def test_job_summary_cells_cannot_break_the_table():
    from tilint.formatters.stepsummary import _cell

    assert _cell("a | b\nc <script>") == "a \\| b c &lt;script&gt;"
