"""`tilint check`: options, exit codes and the cache, end to end through the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ci_support import FIXTURE_ONLY, fast_cli, run_check  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("fast_cli")

CASES = "We hold 40 cases.\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(CASES, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Hard to reach families.\n", encoding="utf-8")
    (tmp_path / "clean.md").write_text("We work with families.\n", encoding="utf-8")
    return tmp_path


def test_exit_0_when_nothing_is_found(folder):
    assert run_check("clean.md").exit_code == 0


def test_exit_1_for_findings_at_or_above_fail_on(folder):
    assert run_check("a.md").exit_code == 1
    assert run_check("--fail-on", "error", "a.md").exit_code == 0


def test_exit_2_for_an_unreadable_file_while_others_are_still_checked(folder):
    result = run_check("--format", "json", "missing.md", "a.md")
    assert result.exit_code == 2 and "missing.md: no such file" in result.stderr
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["missing.md", "a.md"]


def test_no_paths_is_a_usage_error(folder):
    assert run_check().exit_code == 2


def test_text_output_names_file_line_column_and_rule(folder):
    out = run_check("--format", "text", "a.md").stdout
    assert "a.md:1:12: warning [test-case] Cases are people." in out and "\x1b[" not in out


def test_select_and_ignore_pick_rules_or_categories(folder):
    data = json.loads(run_check("--format", "json", "--ignore", "risk-labels", ".").stdout)
    assert {f["rule"] for r in data["files"] for f in r["findings"]} == {"test-case"}


def test_quiet_prints_only_the_summary(folder):
    out = run_check("-q", "a.md").stdout
    assert out.startswith("Checked 1 file") and "[test-case]" not in out


def test_stdin_with_a_filename(folder):
    result = run_check("--format", "json", "--stdin-filename", "draft.md", "-", input=CASES)
    assert json.loads(result.stdout)["files"][0]["path"] == "draft.md" and result.exit_code == 1


def test_show_text_prints_the_numbered_text(folder):
    assert "     1  We hold 40 cases." in run_check("--show-text", "a.md").stdout


def test_max_size_refuses_larger_files(folder):
    (folder / "big.md").write_text("x" * 1_500_000, encoding="utf-8")
    result = run_check("--max-size", "1", "big.md")
    assert result.exit_code == 2 and "--max-size" in result.stdout


def test_an_unknown_model_is_a_usage_error(folder, monkeypatch):
    import functools

    import tilint.engine

    # Undo the shared blank pipeline so the model is really loaded.
    monkeypatch.setattr(
        tilint.engine,
        "Linter",
        tilint.engine.Linter.func
        if isinstance(tilint.engine.Linter, functools.partial)
        else tilint.engine.Linter,
    )
    result = run_check("--model", "no_such_pipeline_xx", "--no-cache", "a.md")
    assert result.exit_code == 2 and "no_such_pipeline_xx" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "checkstyle", "junit", "text"])
def test_unused_suppressions_appear_in_every_format(folder, fmt):
    (folder / "s.md").write_text("<!-- tilint-disable-next-line test-case -->\nNothing.\n", encoding="utf-8")
    result = run_check("--format", fmt, "--report-unused-disables", "s.md")
    assert "unused-suppression" in result.stdout and result.exit_code == 1


def test_a_cached_run_reports_the_same_as_a_cold_one(folder):
    cold = run_check("--format", "json", "--no-cache", ".").stdout
    run_check("--format", "json", ".")
    assert run_check("--format", "json", ".").stdout == cold


def test_a_warm_run_does_not_import_spacy(folder, tmp_path):
    """Everything cached: the run must not pay for importing spaCy."""
    # Text no other test uses, so the first run is a cache miss (the session cache has compiled rules).
    (folder / "unique.md").write_text(f"We hold cases in {tmp_path.name}.\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from tilint.cli import main\n"
        "try:\n"
        f"    main(['check', '-q', *{FIXTURE_ONLY!r}, 'unique.md', 'b.txt'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('SPACY' if 'spacy' in sys.modules else 'NO-SPACY')\n"
    )
    env = {"TILINT_CACHE_DIR": os.environ["TILINT_CACHE_DIR"], "GITHUB_ACTIONS": "false", "PATH": ""}
    assert run_check("-q", "unique.md", "b.txt").exit_code == 1  # fills the cache (in-process, same key)
    warm = subprocess.run([sys.executable, "-c", script], cwd=folder, env=env, capture_output=True, text=True)
    assert "Checked 2 files" in warm.stdout and "2 findings" in warm.stdout, warm.stderr
    assert warm.stdout.splitlines()[-1] == "NO-SPACY", warm.stderr
