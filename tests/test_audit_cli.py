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
    assert result.stdout.startswith("Audited 2 documents: 2 findings (250.0 per 1,000 words); ")
    assert "1 file could not be checked." in result.stdout
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
        ["{corpus}", "-o", "{out}", "--compare", "{corpus}"],  # not an audit's output folder
        ["{corpus}", "-o", "{out}", "--group-by", "depth=0"],
        ["{corpus}", "-o", "{out}", "--group-by", "{corpus}/a.txt"],  # a file that is no mapping
        ["{corpus}", "-o", "{out}", "--csv-encoding", "latin-1"],
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


def test_compare_prints_what_changed_in_plain_words(corpus, tmp_path):
    assert run(str(corpus), "-o", str(tmp_path / "old")).exit_code == 0
    result = run(str(corpus), "-o", str(tmp_path / "new"), "--compare", str(tmp_path / "old"))
    assert result.exit_code == 0, result.output
    expected = "Since the earlier audit: findings per 1,000 words 250.0 -> 250.0; risk-only documents 0 -> 0; "
    assert expected in result.stdout
    assert "0 improved, 0 worse, 0 new, 0 gone." in result.stdout
    assert (tmp_path / "new" / "changes.csv").is_file()


def test_thousands_are_separated_and_one_is_singular():
    from tilint.audit.wording import summary_lines

    summary = {
        "documents_checked": 1301,
        "findings": 1519,
        "findings_per_1k_words": 4.25,
        "risk_only_documents": 1,
        "errors": 1,
        "resumed": 0,
        "from_cache": 0,
    }
    assert summary_lines(summary, "out/report.html") == [
        "Audited 1,301 documents: 1,519 findings (4.2 per 1,000 words); 1 document describes people only "
        "through risk; 1 file could not be checked.",
        "Report: out/report.html",
    ]


def test_dask_without_the_extra_is_a_usage_error_that_says_what_to_install(corpus, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if tilint[dask] were not installed
    result = run(str(corpus), "-o", str(tmp_path / "out"), "--dask", "local")
    assert result.exit_code == 2, result.output
    assert "pip install 'tilint[dask]'" in result.stderr
    assert "Traceback" not in result.output
