"""SARIF that GitHub code scanning accepts: every result of a real run (Markdown, .docx, .pdf and a
document-level finding, run from a subfolder of a repository) passes GitHub's documented ingestion
rules (tests/github_sarif.py) as well as the SARIF 2.1.0 schema."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from ci_support import FIXTURES, TEST_IDS, fast_cli, run_check  # noqa: F401  (fixture)
from github_sarif import problems
from readers_fixtures import docx_with_paragraphs, pdf_bytes

pytestmark = pytest.mark.usefixtures("fast_cli")

SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
RISKY = "The people, children and families in our cases are hard to reach and face risk, harm and threat. "
SELECT = ["--select", TEST_IDS + ",test-risk-only"]


@pytest.fixture
def repository(tmp_path) -> Path:
    root = tmp_path / "policy repo"
    docs = root / "docs"
    docs.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (docs / "plan.md").write_text("# Plan\n\nWe hold 40 cases.\n", encoding="utf-8")
    (docs / "risk.md").write_text(RISKY * 3, encoding="utf-8")
    (docs / "tender.docx").write_bytes(docx_with_paragraphs("Introduction.", "Our cases are hard to reach families."))
    (docs / "report.pdf").write_bytes(pdf_bytes([["Summary."], ["On page two we hold many cases."]]))
    return root


@pytest.fixture
def sarif(repository, monkeypatch) -> dict:
    monkeypatch.chdir(repository / "docs")
    run = run_check(*SELECT, "--format", "sarif", ".")
    assert run.exit_code == 1, run.output
    return json.loads(run.stdout)


def results_for(sarif: dict, uri: str) -> list[dict]:
    return [
        r for r in sarif["runs"][0]["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
    ]


def test_a_run_from_a_subfolder_passes_githubs_ingestion_rules(sarif, repository):
    assert problems(sarif, repository) == []


def test_a_run_from_a_subfolder_validates_against_the_sarif_schema(sarif):
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)


def test_paths_are_relative_to_the_repository_root_under_srcroot(sarif, repository):
    run = sarif["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"docs/plan.md", "docs/risk.md", "docs/tender.docx", "docs/report.pdf"}
    bases = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] for r in run["results"]}
    assert bases == {"%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repository.as_uri() + "/"


def test_docx_findings_point_at_their_line_in_the_extracted_text_and_say_where(sarif):
    (result,) = [r for r in results_for(sarif, "docs/tender.docx") if r["ruleId"] == "test-case"]
    region = result["locations"][0]["physicalLocation"]["region"]
    # --show-text numbers the extracted text: line 1 "Introduction.", line 2 the paragraph
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (2, 5, 10)
    assert "(paragraph 2)" in result["message"]["text"]


def test_pdf_findings_name_their_page(sarif):
    (result,) = [r for r in results_for(sarif, "docs/report.pdf") if r["ruleId"] == "test-case"]
    assert "page 2" in result["message"]["text"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_extracted_formats_carry_githubs_line_hash_from_the_fingerprint(sarif):
    for uri in ("docs/tender.docx", "docs/report.pdf"):
        for result in results_for(sarif, uri):
            prints = result["partialFingerprints"]
            assert prints["primaryLocationLineHash"] == prints["tilintFingerprint/v1"]



def test_text_formats_carry_the_line_hash_githubs_upload_computes(sarif, repository):
    from tilint.formatters.linehash import line_hashes

    hashes = line_hashes((repository / "docs" / "plan.md").read_bytes())
    (result,) = results_for(sarif, "docs/plan.md")
    line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert result["partialFingerprints"]["primaryLocationLineHash"] == hashes[line]


def test_the_document_level_finding_points_at_the_start_of_its_file(sarif):
    (whole,) = [r for r in results_for(sarif, "docs/risk.md") if r["ruleId"] == "test-risk-only"]
    region = whole["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (1, 1)
    assert "(whole document)" in whole["message"]["text"]


def test_every_rule_has_a_help_uri(sarif):
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["test-case"]["helpUri"] == "https://rewritingsocialcare.blog/2019/10/12/case/"
    # test-hard-to-reach cites a source without a URL: it links to its rule file
    assert rules["test-hard-to-reach"]["helpUri"] == (FIXTURES / "rules" / "basic.yaml").resolve().as_uri()


def test_the_checker_reports_what_github_would_reject():
    broken = {
        "$schema": "x",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "t", "rules": [{"id": "r", "shortDescription": {"text": "s"}}]}},
            "results": [{
                "ruleId": "r", "ruleIndex": 0, "message": {"text": "m"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": "./a.md", "uriBaseId": "ROOT"}}}],
            }],
        }],
    }
    found = problems(broken)
    for expected in ("fullDescription", "help.text", "helpUri", "partialFingerprints", "uriBaseId 'ROOT'",
                     "relative to the repository root", "region.startLine"):
        assert any(expected in problem for problem in found), expected


def test_a_builtin_rule_without_a_source_url_links_to_its_entry_in_docs_rules_md(builtin_rules):
    import re

    from tilint import __version__
    from tilint.formatters.helplinks import help_uri, rule_anchor

    no_url = [r for r in builtin_rules.all_rules() if not any(s.url for s in r.sources)]
    assert no_url, "the built-in rules no longer have a rule without a source URL"
    docs = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text("utf-8")
    headings = re.findall(r"^### `([^`]+)`$", docs, flags=re.M)
    for rule in no_url:
        uri = help_uri(rule)
        assert uri.endswith(f"/blob/v{__version__}/docs/rules.md#{rule.id}")
        assert rule.id in headings and rule_anchor(rule.id) == rule.id
    categories = set(re.findall(r"^## (\S+)$", docs, flags=re.M))
    assert len(headings) == len(set(headings)) and not categories & set(headings)  # anchors are unique
