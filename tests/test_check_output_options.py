"""check's output options: --exit-zero, --output-file and --statistics."""

from __future__ import annotations

import json

import pytest
from ci_support import fast_cli, run_check  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("fast_cli")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("We hold 40 cases. Hard to reach families.\n\nMore cases.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("Complex cases.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exit_zero_passes_a_run_with_findings(folder):
    run = run_check("--exit-zero", "a.md")
    assert run.exit_code == 0 and "[test-case]" in run.stdout


def test_exit_zero_still_fails_on_an_unreadable_file(folder):
    assert run_check("--exit-zero", "a.md", "missing.md").exit_code == 2


def test_output_file_holds_exactly_what_would_be_printed(folder):
    printed = run_check("--format", "sarif", "a.md").stdout
    run = run_check("--format", "sarif", "--output-file", "reports/tilint.sarif", "a.md")
    assert run.exit_code == 1 and run.stdout == ""
    assert (folder / "reports" / "tilint.sarif").read_text("utf-8") == printed


def test_output_file_has_no_byte_order_mark_and_no_colour(folder):
    run_check("--format", "text", "-o", "out.txt", "a.md", env={"NO_COLOR": None})
    data = (folder / "out.txt").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\x1b[" not in data


def test_an_output_file_that_cannot_be_written_is_a_usage_error_naming_it(folder):
    (folder / "taken").write_text("", encoding="utf-8")
    run = run_check("-o", "taken/report.txt", "a.md")
    assert run.exit_code == 2 and "taken/report.txt: cannot write the report" in run.stderr


def test_statistics_counts_findings_per_rule_most_first(folder):
    lines = run_check("--statistics", "a.md", "b.md").stdout.splitlines()
    assert [line.split()[:3] for line in lines] == [
        ["2", "test-case", "warning"], ["1", "test-hard-to-reach", "error"], ["1", "test-complex-cases", "info"],
    ]
    assert lines[0].endswith("Cases are people.")


def test_statistics_as_json(folder):
    rows = json.loads(run_check("--statistics", "--format", "json", "a.md", "b.md").stdout)
    assert rows[0] == {
        "rule": "test-case", "count": 2, "files": 1, "severity": "warning", "category": "people-as-labels",
        "message": "Cases are people.",
    }


def test_statistics_inside_github_actions_prints_text(folder):
    run = run_check("--statistics", "a.md", env={"GITHUB_ACTIONS": "true"})
    assert run.stdout.split()[:2] == ["2", "test-case"]


def test_statistics_in_another_format_is_a_usage_error(folder):
    run = run_check("--statistics", "--format", "sarif", "a.md")
    assert run.exit_code == 2 and "--statistics prints text or json" in run.stderr
