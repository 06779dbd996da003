"""Output people can scan: nothing for clean files, no framing lines or totals where they are noise
(pre-commit, baselines, --diff), paths as ruff prints them."""

from __future__ import annotations

import subprocess

import pytest
from ci_support import fast_cli, run_check  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("fast_cli")

PEOPLE = "The children and families we support are in our cases, and we build on their strengths.\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "x.md").write_text("# Plan\n\n" + PEOPLE, encoding="utf-8")
    clean = "# Clean\n\nThe children and families we support.\n"
    (tmp_path / "policies" / "clean.md").write_text(clean, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_paths_print_without_a_leading_dot_slash(folder):
    out = run_check(".").stdout
    assert out.startswith("policies/x.md:3:")
    assert "./policies" not in out


def test_a_file_without_findings_prints_nothing(folder):
    out = run_check(".").stdout
    assert "clean.md" not in out


def test_a_file_with_findings_gets_its_framing_line(folder):
    lines = run_check(".").stdout.splitlines()
    assert any(line.startswith("policies/x.md: ") and "[" not in line for line in lines)


def test_pre_commit_prints_findings_only(folder):
    out = run_check("policies/x.md", "policies/clean.md", env={"PRE_COMMIT": "1"}).stdout
    lines = out.splitlines()
    assert lines[0].startswith("policies/x.md:3:")
    assert not any(line.startswith("Checked") for line in lines)
    assert not any(line.startswith("policies/x.md: ") for line in lines)
    assert out.endswith("\n\n")  # every file's block ends with a blank line, as in the next process's output


def test_a_clean_pre_commit_run_prints_nothing(folder):
    run = run_check("policies/clean.md", env={"PRE_COMMIT": "1"})
    assert (run.exit_code, run.stdout) == (0, "")


def test_a_baseline_run_prints_no_framing_lines(folder):
    (folder / "policies" / "new.md").write_text("# New\n\n" + PEOPLE, encoding="utf-8")
    run_check("--write-baseline", "base.json", "policies/x.md")
    out = run_check("--baseline", "base.json", ".").stdout
    assert "policies/new.md:3:" in out and "policies/x.md" not in out
    assert not any(line.startswith("policies/new.md: ") for line in out.splitlines())


def test_write_baseline_prints_only_what_it_recorded(folder):
    run = run_check("--write-baseline", "base.json", ".")
    assert run.exit_code == 0
    assert run.stdout == ""
    assert run.stderr.strip() == "tilint: recorded 1 finding in base.json"


def test_a_file_outside_the_diff_prints_nothing(folder):
    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "add", "."], check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start"], check=True)
    (folder / "policies" / "changed.md").write_text("# Changed\n\n" + PEOPLE, encoding="utf-8")
    out = run_check("--diff", "HEAD", ".").stdout
    assert "policies/x.md" not in out
    assert "policies/changed.md:3:" in out
    assert not any(line.startswith("policies/changed.md: ") for line in out.splitlines())
