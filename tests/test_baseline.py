"""Baselines: record today's findings, report only new ones, survive edits elsewhere in the file."""

from __future__ import annotations

import json

import pytest
from ci_support import fast_cli, run_check  # noqa: F401  (fixture)

from tilint.engine.fingerprints import fingerprint, normalise, sentence_around
from tilint.filters.baseline import BaselineError, apply_baseline, read_baseline, write_baseline
from tilint.run.single import check_path

pytestmark = pytest.mark.usefixtures("fast_cli")

POLICY = (
    "# Service\n\n"
    "We hold 40 cases across the county. Families we support deserve respect.\n\n"
    "Hard to reach families need outreach.\n"
)


def results_for(test_linter, *paths):
    return [check_path(test_linter, str(p)).result for p in paths]


@pytest.fixture
def policy(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "docs" / "policy.md"
    path.parent.mkdir()
    path.write_text(POLICY, encoding="utf-8")
    return path


# -- fingerprints ----------------------------------------------------------------------------------
def test_normalising_ignores_case_punctuation_and_line_breaks():
    assert normalise("We hold *40*\n   Cases.") == normalise("we hold 40 cases")


def test_the_sentence_around_a_match_stops_at_sentence_ends_and_blank_lines():
    text = "First one. We hold 40\ncases today. Next.\n\nOther."
    start = text.index("cases")
    assert sentence_around(text, start, start + 5) == "We hold 40\ncases today."


def test_fingerprints_differ_by_rule_and_by_sentence():
    assert fingerprint("a", "cases", "we hold cases") != fingerprint("b", "cases", "we hold cases")
    assert fingerprint("a", "cases", "we hold cases") != fingerprint("a", "cases", "we count cases")


def test_findings_carry_a_fingerprint_from_the_pipeline(test_linter, policy):
    (result,) = results_for(test_linter, policy)
    assert result.findings and all(f.fingerprint for f in result.findings)


# -- the file --------------------------------------------------------------------------------------
def test_the_baseline_file_is_sorted_readable_json_with_relative_paths(test_linter, policy, tmp_path):
    file = tmp_path / "ci" / "baseline.json"
    assert write_baseline(file, results_for(test_linter, policy)) == 2
    data = json.loads(file.read_text("utf-8"))
    assert data["version"] == 1
    assert [(e["path"], e["rule"], e["text"], e["count"]) for e in data["entries"]] == [
        ("../docs/policy.md", "test-case", "cases", 1),
        ("../docs/policy.md", "test-hard-to-reach", "Hard to reach", 1),
    ]
    assert file.read_text("utf-8").startswith('{\n  "version": 1')


def test_writing_twice_gives_identical_bytes(test_linter, policy, tmp_path):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    write_baseline(one, results_for(test_linter, policy))
    write_baseline(two, results_for(test_linter, policy))
    assert one.read_bytes() == two.read_bytes()


def test_a_file_that_is_not_a_baseline_is_an_error(tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text('{"entries": 3}', encoding="utf-8")
    with pytest.raises(BaselineError, match="not a tilint baseline"):
        read_baseline(bad)
    with pytest.raises(BaselineError, match="no such baseline"):
        read_baseline(tmp_path / "missing.json")


# -- matching --------------------------------------------------------------------------------------
def test_an_unchanged_file_has_nothing_new(test_linter, policy, tmp_path):
    file = tmp_path / "baseline.json"
    write_baseline(file, results_for(test_linter, policy))
    results = results_for(test_linter, policy)
    comparison = apply_baseline(file, results)
    assert comparison.new == 0 and comparison.fixed == [] and results[0].findings == []


def test_lines_added_above_and_a_reflowed_paragraph_still_match(test_linter, policy, tmp_path):
    file = tmp_path / "baseline.json"
    write_baseline(file, results_for(test_linter, policy))
    policy.write_text(
        "# Service\n\nAn introduction.\n\nMore text here.\n\n"
        "We hold 40\ncases across the\ncounty. Families we support deserve respect.\n\n"
        "Hard to reach families need outreach.\n",
        encoding="utf-8",
    )
    comparison = apply_baseline(file, results_for(test_linter, policy))
    assert comparison.new == 0 and comparison.fixed == []


def test_a_new_occurrence_of_a_baselined_phrase_is_new(test_linter, policy, tmp_path):
    file = tmp_path / "baseline.json"
    write_baseline(file, results_for(test_linter, policy))
    policy.write_text(POLICY + "\nHard to reach families need outreach.\n", encoding="utf-8")
    results = results_for(test_linter, policy)
    comparison = apply_baseline(file, results)
    assert comparison.new == 1
    assert [(f.rule, f.line) for f in results[0].findings] == [("test-hard-to-reach", 7)]


def test_removed_findings_are_reported_as_fixed(test_linter, policy, tmp_path):
    file = tmp_path / "baseline.json"
    write_baseline(file, results_for(test_linter, policy))
    policy.write_text(POLICY.replace("cases", "people"), encoding="utf-8")
    comparison = apply_baseline(file, results_for(test_linter, policy))
    assert comparison.new == 0
    assert [(e.rule, e.text, e.count) for e in comparison.fixed] == [("test-case", "cases", 1)]


def test_files_not_checked_in_this_run_are_not_fixed(test_linter, policy, tmp_path):
    other = policy.parent / "other.md"
    other.write_text("We hold 3 cases.\n", encoding="utf-8")
    file = tmp_path / "baseline.json"
    write_baseline(file, results_for(test_linter, policy, other))
    comparison = apply_baseline(file, results_for(test_linter, policy))
    assert comparison.fixed == []


# -- through the command line --------------------------------------------------------------------
def test_write_baseline_exits_0_and_baseline_then_passes(policy):
    written = run_check("--write-baseline", "baseline.json", "docs")
    assert written.exit_code == 0 and "recorded 2 findings" in written.stderr
    assert run_check("--baseline", "baseline.json", "docs").exit_code == 0


def test_json_summary_reports_new_and_fixed(policy):
    run_check("--write-baseline", "baseline.json", "docs")
    policy.write_text(POLICY.replace("cases", "people") + "\nWe hold 9 cases too.\n", encoding="utf-8")
    result = run_check("--format", "json", "--baseline", "baseline.json", "docs")
    summary = json.loads(result.stdout)["summary"]
    assert summary["baseline"]["new"] == 1
    assert [e["text"] for e in summary["baseline"]["fixed"]] == ["cases"]
    assert result.exit_code == 1


def test_text_mode_prints_fixed_entries_on_stderr(policy):
    run_check("--write-baseline", "baseline.json", "docs")
    policy.write_text(POLICY.replace("cases", "people"), encoding="utf-8")
    result = run_check("--format", "text", "--baseline", "baseline.json", "docs")
    assert "1 baselined finding fixed" in result.stderr and "fixed" not in result.stdout


def test_baseline_and_write_baseline_together_is_a_usage_error(policy):
    assert run_check("--baseline", "a.json", "--write-baseline", "b.json", "docs").exit_code == 2


def test_a_missing_baseline_file_is_a_usage_error(policy):
    result = run_check("--baseline", "missing.json", "docs")
    assert result.exit_code == 2 and "missing.json" in result.stderr
