"""`tilint rules`, `tilint explain` and `tilint --version`."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from tilint import __version__
from tilint.cli import main

FIXTURE = "tests/fixtures/rules/basic.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version_prints_the_package_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "tilint", "--version"], capture_output=True, text=True, check=True)
    assert __version__ in out.stdout


def test_rules_json_lists_every_rule_with_its_fix_setting(builtin_rules):
    result = run("rules", "--format", "json", "--rules", FIXTURE)
    data = json.loads(result.output)
    by_id = {r["id"]: r for r in data["rules"]}
    assert len(by_id) >= len(builtin_rules.rules) + 5
    assert {"test-case", "test-hard-to-reach", "test-complex-cases", "test-placement", "test-behaviour"} <= set(by_id)
    assert by_id["test-behaviour"]["fix"] == "safe" and by_id["test-case"]["fix"] == "never"
    assert {"id", "category", "severity", "message", "alternatives", "sources", "examples"} <= set(by_id["test-case"])


def test_rules_text_groups_rules_by_category():
    result = run("rules", "--rules", FIXTURE)
    assert result.exit_code == 0
    assert "people-as-labels" in result.output and "test-case" in result.output


def test_explain_shows_message_alternatives_rationale_sources_and_examples():
    result = run("explain", "test-case", "--rules", FIXTURE)
    assert result.exit_code == 0
    for part in (
        "Cases are people.",
        "families we work with",
        "reduces them to problems",
        "Rewriting Social Care, Case, 2019",
        "We hold 40 cases.",
        "Write a business case.",
    ):
        assert part in result.output


def test_explain_an_unknown_rule_suggests_close_ids_and_exits_2():
    result = run("explain", "test-cse", "--rules", FIXTURE)
    assert result.exit_code == 2 and "test-case" in result.output


def test_a_broken_rule_file_exits_2_naming_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: x\n    severity: loud\n", encoding="utf-8")
    result = run("rules", "--rules", str(bad))
    assert result.exit_code == 2 and f"{bad}:2" in result.output


def test_docs_rules_md_is_generated_from_the_current_rules():
    from pathlib import Path

    from tilint.cli.rules import catalogue_markdown
    from tilint.ruleset import load_ruleset

    docs = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    expected = catalogue_markdown(load_ruleset().all_rules())
    assert docs.read_text("utf-8") == expected, (
        "docs/rules.md is stale: run `tilint rules --format markdown > docs/rules.md`"
    )


def test_a_file_named_twice_is_checked_once(tmp_path):
    from tilint.run.discovery import walk

    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    assert [t.path for t in walk([str(tmp_path / "a.md"), str(tmp_path)])] == [str(tmp_path / "a.md")]
