"""`tilint audit` on the command line: exit status, usage errors, progress and the summary line."""

from __future__ import annotations

import json

import pytest
from audit_support import FIXTURE_RULES, make_corpus
from click.testing import CliRunner

from tilint.cli import main

TEST_IDS = "test-case,test-hard-to-reach,test-complex-cases,test-placement,test-behaviour,test-risk-only"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(
        tmp_path_factory.mktemp("docs"),
        {
            "a.txt": "We hold 40 cases.\n",
            "b.md": "Hard to reach families.\n",
            "bad.txt": b"\x00\x01\x02 binary \x00",
        },
    )


_RULESETS: dict[tuple, object] = {}


@pytest.fixture(autouse=True)
def _rules_parsed_once(monkeypatch):
    """Each call still runs the real command; only parsing the rule files is shared."""
    import tilint.cli.common as command

    real = command.load_rules_or_exit

    def cached(extra=(), builtin=True):
        key = (builtin, *map(str, extra))
        if key not in _RULESETS:
            _RULESETS[key] = real(extra, builtin)
        return _RULESETS[key]

    monkeypatch.setattr(command, "load_rules_or_exit", cached)


def run(*args: str):
    return CliRunner().invoke(
        main,
        ["audit", "--rules", str(FIXTURE_RULES), "--select", TEST_IDS, "--jobs", "1", *args],
        env={"NO_COLOR": "1"},
    )


def test_exits_0_when_the_report_is_written_despite_findings_and_bad_files(corpus, tmp_path):
    result = run(str(corpus), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Audited 2 document(s): 2 finding(s)" in result.stdout
    assert "1 could not be checked" in result.stdout
    assert str(tmp_path / "report.html") in result.stdout
    assert (tmp_path / "report.html").is_file()


def test_progress_is_plain_lines_off_a_terminal_and_quiet_silences_it(corpus, tmp_path):
    assert "tilint audit: 3/3 files (100%), 1 unreadable" in run(str(corpus), "-o", str(tmp_path / "a")).stderr
    assert run(str(corpus), "-o", str(tmp_path / "b"), "--quiet").stderr == ""


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [(["warning"], 1), (["error"], 1), (["info"], 1), (["unreadable"], 1), ([], 0)],
)
def test_fail_on_opts_in_to_a_non_zero_exit(corpus, tmp_path, fail_on, code):
    options = [part for level in fail_on for part in ("--fail-on", level)]
    assert run(str(corpus), "-o", str(tmp_path), *options).exit_code == code


def test_fail_on_a_severity_ignores_less_severe_findings(tmp_path):
    docs = make_corpus(tmp_path / "docs", {"a.txt": "We hold 40 cases.\n"})  # a warning only
    assert run(str(docs), "-o", str(tmp_path / "out"), "--fail-on", "error").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        [],  # no paths
        ["{corpus}"],  # no --out
        ["{corpus}/missing", "-o", "{out}"],
        ["{corpus}", "-o", "{out}", "--jobs", "-1"],
        ["{corpus}", "-o", "{out}", "--select", "no-such-rule"],
        ["{corpus}", "-o", "{out}", "--file-timeout", "0"],
    ],
)
def test_usage_errors_exit_2(corpus, tmp_path, args):
    filled = [a.format(corpus=corpus, out=tmp_path / "out") for a in args]
    result = run(*filled)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out" / "report.html").exists()


def test_a_pipeline_that_cannot_load_is_a_usage_error(corpus, tmp_path):
    result = run(str(corpus), "-o", str(tmp_path), "--model", "no_such_spacy_pipeline")
    assert result.exit_code == 2
    assert "no_such_spacy_pipeline" in result.stderr and "not installed" in result.stderr


def test_jobs_0_picks_the_number_of_workers_as_check_does(corpus, tmp_path):
    result = run(str(corpus), "--out", str(tmp_path), "--jobs", "0")
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    assert summary["jobs"] >= 1
