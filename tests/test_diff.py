"""--diff REF: only findings on lines changed since a git ref."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from ci_support import fast_cli, run_check  # noqa: F401  (fixture)

from tilint.filters.gitdiff import ChangedLines, DiffError, _key, changed_lines, filter_to_diff, parse_unified_diff
from tilint.findings import FileResult, Finding

pytestmark = [
    pytest.mark.usefixtures("fast_cli"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def git(repo, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "policy.md").write_text("We hold 40 cases.\n\nA line.\n", encoding="utf-8")
    (tmp_path / "old.md").write_text("Hard to reach families.\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "init")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def finding(line: int, end_line: int | None = None) -> Finding:
    return Finding(
        rule="r",
        category="c",
        severity="warning",
        message="m",
        text="t",
        suggestions=[],
        line=line,
        column=1,
        end_line=end_line or line,
        end_column=2,
    )


# -- parsing -----------------------------------------------------------------------------------------
def test_hunks_give_the_added_lines_of_the_new_file():
    diff = (
        "diff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n@@ -3 +3,2 @@\n-x\n+y\n+z\n"
        "@@ -10,2 +12,0 @@\n-gone\n-gone\n@@ -20,0 +21 @@\n+new\n"
    )
    assert parse_unified_diff(diff) == {"a.md": {3, 4, 21}}


def test_deleted_files_and_quoted_names_are_handled():
    diff = (
        "--- a/gone.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
        '--- a/sp ace.md\n+++ "b/tab\\there \\303\\251.md"\n@@ -0,0 +1 @@\n+x\n'
    )
    assert parse_unified_diff(diff) == {"tab\there é.md": {1}}


def test_findings_meet_changed_lines_by_their_whole_range(tmp_path):
    path = str(tmp_path / "a.md")
    changed = ChangedLines({_key(path): {5}})
    result = FileResult(path=path, format="markdown", findings=[finding(4, 5), finding(6), finding(3)])
    filter_to_diff([result], changed)
    assert [f.line for f in result.findings] == [4]


def test_files_outside_the_diff_report_nothing_and_extracted_formats_keep_all(tmp_path):
    untouched = FileResult(path=str(tmp_path / "a.md"), format="markdown", findings=[finding(1)])
    docx = FileResult(path=str(tmp_path / "b.docx"), format="docx", findings=[finding(40)])
    filter_to_diff([untouched, docx], ChangedLines({_key(tmp_path / "b.docx"): {1}}))
    assert untouched.findings == [] and len(docx.findings) == 1


# -- against a real repository ----------------------------------------------------------------------
def test_only_changed_and_untracked_lines_are_reported(repo):
    (repo / "policy.md").write_text("We hold 40 cases.\n\nA line about 3 cases.\n", encoding="utf-8")
    (repo / "new.md").write_text("Hard to reach families.\n", encoding="utf-8")
    data = json.loads(run_check("--format", "json", "--diff", "HEAD", ".").stdout)
    found = {r["path"]: [(f["rule"], f["line"]) for f in r["findings"]] for r in data["files"]}
    assert found == {
        "new.md": [("test-hard-to-reach", 1)],
        "old.md": [],
        "policy.md": [("test-case", 3)],
    }


def test_changed_lines_uses_the_merge_base_of_the_ref(repo):
    git(repo, "checkout", "-q", "-b", "topic")
    (repo / "policy.md").write_text("We hold 40 cases.\n\nMore cases.\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "topic")
    git(repo, "checkout", "-q", "main")
    (repo / "old.md").write_text("Hard to reach families.\nAnd more.\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "main moves on")
    git(repo, "checkout", "-q", "topic")
    changed = changed_lines("main", [])
    assert changed.for_path(str(repo / "policy.md")) == (True, {3})
    assert changed.for_path(str(repo / "old.md"))[0] is False


def test_a_bad_ref_is_a_usage_error(repo):
    result = run_check("--diff", "no-such-branch", ".")
    assert result.exit_code == 2 and "no-such-branch" in result.stderr


def test_outside_a_repository_is_a_usage_error(tmp_path, monkeypatch):
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (outside / "a.md").write_text("cases\n", encoding="utf-8")
    with pytest.raises(DiffError, match="git repository"):
        changed_lines("HEAD", ["a.md"])
    result = run_check("--diff", "HEAD", "a.md", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.exit_code == 2 and "git repository" in result.stderr
