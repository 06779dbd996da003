"""`tilint fix PATH...`: a diff by default, --write to apply, --check for CI."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tilint.cli import main

FIXTURE = str(Path(__file__).resolve().parent / "fixtures" / "rules" / "basic.yaml")
SAMPLE = (
    "# Support plan\r\n"
    "\r\n"
    "We hold 40 cases and manage challenging behaviour daily.\r\n"
    "Families who are hard to reach are welcome.\r\n"
    "CHALLENGING BEHAVIOURS are not the child's fault.\r\n"
    "\r\n"
    "```\r\n"
    "challenging behaviour\r\n"
    "```\r\n"
)

FIXED = SAMPLE.replace("challenging behaviour daily", "behaviour of distress daily").replace(
    "CHALLENGING BEHAVIOURS", "BEHAVIOURS OF DISTRESS"
)


@pytest.fixture(autouse=True)
def fixture_rules_only(request, monkeypatch, tmp_path, test_rules, nlp):
    """Mechanics use the fixed fixture rules and one shared spaCy pipeline."""
    from tilint.engine import Linter

    monkeypatch.chdir(tmp_path)  # no configuration file from the repository is picked up
    monkeypatch.setattr("tilint.engine.Linter", functools.partial(Linter, nlp=nlp))
    if "built_in" not in request.node.name:
        monkeypatch.setattr("tilint.cli.common.load_rules_or_exit", lambda paths: test_rules)


@pytest.fixture
def sample(tmp_path) -> Path:
    path = tmp_path / "plan.md"
    path.write_bytes(SAMPLE.encode())
    return path


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def test_without_write_prints_a_diff_and_changes_nothing(sample):
    result = run("fix", sample)
    assert result.exit_code == 0
    diff = result.stdout_bytes.decode()  # .stdout would turn CRLF into LF
    assert "-We hold 40 cases and manage challenging behaviour daily.\r\n" in diff
    assert "+We hold 40 cases and manage behaviour of distress daily.\r\n" in diff
    assert "+BEHAVIOURS OF DISTRESS are not the child's fault.\r\n" in diff
    assert "Would fix 2 findings in 1 file; run `tilint fix --write` to apply;" in result.stderr
    assert sample.read_bytes() == SAMPLE.encode()


def test_the_diff_applies_with_patch(sample, tmp_path):
    import shutil
    import subprocess

    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    diff = run("fix", sample).stdout_bytes
    subprocess.run(["patch", "-s", "-p0", "-d", "/"], input=diff, check=True)
    assert sample.read_bytes() == FIXED.encode()


def test_write_applies_the_fixes_keeping_crlf(sample):
    result = run("fix", "--write", sample)
    assert result.exit_code == 0
    assert "Fixed 2 findings in 1 file;" in result.stderr
    assert sample.read_bytes() == FIXED.encode()


def test_a_second_run_changes_nothing(sample):
    assert run("fix", "--write", sample).exit_code == 0
    once = sample.read_bytes()
    second = run("fix", "--write", sample)
    assert second.exit_code == 0 and "Nothing to fix;" in second.stderr
    assert sample.read_bytes() == once


def test_after_fix_check_shows_them_gone_and_every_other_line_identical(sample, monkeypatch, test_rules):
    monkeypatch.setattr("tilint.cli.common.load_rules_or_exit", lambda paths: test_rules)
    before = json.loads(run("check", "--format", "json", "--no-cache", sample).stdout)["files"][0]["findings"]
    assert run("fix", "--write", sample).exit_code == 0
    after = json.loads(run("check", "--format", "json", "--no-cache", sample).stdout)["files"][0]["findings"]
    assert [f["rule"] for f in before if f["rule"] == "test-behaviour"] == ["test-behaviour"] * 2
    assert [f for f in after if f["rule"] == "test-behaviour"] == []
    def key(f):
        return (f["rule"], f["line"], f["column"], f["text"])

    assert [key(f) for f in after] == [key(f) for f in before if f["rule"] != "test-behaviour"]
    old_lines = SAMPLE.split("\r\n")
    new_lines = sample.read_bytes().decode().split("\r\n")
    changed = [i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert changed == [3, 5]


def test_check_exits_1_when_there_is_something_to_fix_and_writes_nothing(sample):
    result = run("fix", "--check", sample)
    assert result.exit_code == 1
    assert sample.read_bytes() == SAMPLE.encode()


def test_check_exits_0_when_nothing_needs_fixing(tmp_path):
    path = tmp_path / "ok.txt"
    path.write_text("Behaviours of distress are communication.\n")
    result = run("fix", "--check", path)
    assert result.exit_code == 0 and "Nothing to fix." in result.stderr


def test_write_and_check_together_are_a_usage_error(sample):
    assert run("fix", "--write", "--check", sample).exit_code == 2


def test_write_keeps_the_file_mode(sample):
    sample.chmod(0o600)
    assert run("fix", "--write", sample).exit_code == 0
    assert sample.stat().st_mode & 0o777 == 0o600


def test_a_folder_is_walked_and_only_text_and_markdown_are_fixed(tmp_path):
    (tmp_path / "a.txt").write_text("Challenging behaviour.\n")
    (tmp_path / "b.html").write_text("<p>Challenging behaviour.</p>\n")
    result = run("fix", "--write", tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "a.txt").read_text() == "Behaviour of distress.\n"
    assert (tmp_path / "b.html").read_text() == "<p>Challenging behaviour.</p>\n"
    assert "skipped" not in result.stderr


def test_a_named_file_of_another_format_is_reported_as_skipped(tmp_path):
    path = tmp_path / "b.html"
    path.write_text("<p>Challenging behaviour.</p>\n")
    result = run("fix", path)
    assert result.exit_code == 0
    assert "skipped: html files are not fixed (only text and Markdown)" in result.stderr


def test_an_unreadable_file_is_reported_and_exits_2(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    good = tmp_path / "good.txt"
    good.write_text("Challenging behaviour.\n")
    result = run("fix", "--write", bad, good)
    assert result.exit_code == 2
    assert "bad.txt" in result.stderr
    assert good.read_text() == "Behaviour of distress.\n"


@pytest.mark.parametrize("name", ["nosuch.docx", "nosuch.md"])
def test_a_named_file_that_does_not_exist_is_an_error_whatever_its_format(tmp_path, name):
    result = run("fix", tmp_path / name)
    assert result.exit_code == 2
    assert f"{name}: no such file" in result.stderr
    assert "Nothing to fix" not in result.stderr
    assert "Nothing fixed: 1 file could not be read." in result.stderr


def test_fixes_made_alongside_an_unreadable_file_are_both_reported(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Challenging behaviour.\n")
    result = run("fix", "--write", good, tmp_path / "missing.txt")
    assert result.exit_code == 2
    assert "Fixed 1 finding in 1 file; 1 file could not be read." in result.stderr


def test_standard_input_is_refused():
    assert run("fix", "-").exit_code == 2


def test_smoke_with_the_built_in_rules(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# Plan\n\nWe work with families.\n")
    result = run("fix", "--rules", FIXTURE, path)
    assert result.exit_code == 0, result.output


def test_rules_json_reports_each_rules_fix_setting_built_in():
    result = run("rules", "--format", "json")
    rules = json.loads(result.stdout)["rules"]
    assert rules and all(rule["fix"] in ("safe", "never") for rule in rules)


def test_a_phrase_kept_with_a_disable_comment_is_not_fixed(tmp_path):
    kept = "<!-- tilint-disable-next-line test-behaviour -->\nQuoted: challenging behaviour.\n\n"
    path = tmp_path / "a.md"
    path.write_text(kept + "Our challenging behaviour.\n")
    assert run("fix", "--write", "--no-config", path).exit_code == 0
    assert path.read_text() == kept + "Our behaviour of distress.\n"


def test_configuration_per_file_ignores_and_exclude_are_respected(tmp_path):
    (tmp_path / "tilint.toml").write_text(
        'exclude = ["archive/**"]\n[per-file-ignores]\n"legal/*.md" = ["test-behaviour"]\n'
    )
    for folder in ("legal", "archive", "plans"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.md").write_text("Challenging behaviour.\n")
    result = run("fix", "--write", "--config", tmp_path / "tilint.toml", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plans" / "a.md").read_text() == "Behaviour of distress.\n"
    assert (tmp_path / "legal" / "a.md").read_text() == "Challenging behaviour.\n"
    assert (tmp_path / "archive" / "a.md").read_text() == "Challenging behaviour.\n"


def test_preview_shows_each_changed_sentence_before_and_after(sample):
    result = run("fix", "--preview", sample)
    assert result.exit_code == 0
    assert "line 3:\n  before: We hold 40 cases and manage challenging behaviour daily.\n" in result.stdout
    assert "  after:  We hold 40 cases and manage behaviour of distress daily.\n" in result.stdout
    assert "@@" not in result.stdout
    assert sample.read_bytes() == SAMPLE.encode()


def test_the_summary_says_how_many_findings_still_need_a_person(sample):
    result = run("fix", sample)
    # two safe fixes; "cases" and "hard to reach" have no safe rewrite
    assert "Would fix 2 findings in 1 file" in result.stderr
    assert "2 findings need a person to reword" in result.stderr
