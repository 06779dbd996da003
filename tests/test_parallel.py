"""Checking on worker processes gives exactly what checking in one gives, and loads spaCy once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from tilint.cli import main
from tilint.engine import Linter
from tilint.ruleset import load_ruleset
from tilint.run import local as parallel
from tilint.run.limits import MIN_FILES_PER_WORKER, worker_count
from tilint.run.local import CheckJob, check_files
from tilint.run.single import ResultCache, check_path

FIXTURE = "tests/fixtures/rules/basic.yaml"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")


def _corpus(folder, files: int = 12) -> None:
    for i in range(files):
        (folder / f"doc{i:02}.md").write_text(
            f"# Doc {i}\n\nWe hold {i} cases.\n\n<!-- tilint-disable-next-line -->\nHard to reach families.\n\n"
            "Complex cases and hard-to-reach young people.\n",
            encoding="utf-8",
        )


def _linter(**options) -> Linter:
    return Linter(load_ruleset([FIXTURE], builtin=False), **options)


def _checked(paths, linter, jobs=2, cache=None, **job):
    """Each path's result from check_files."""
    cache = cache or ResultCache(linter, enabled=False)
    return {done.path: done.result for done in check_files(CheckJob(linter, cache, **job), paths, jobs)}


def _expected(paths):
    alone = _linter()
    return {path: check_path(alone, path).result.findings for path in paths}


def test_parallel_and_sequential_checks_report_the_same(tmp_path):
    _corpus(tmp_path)
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01binary")
    args = ["check", "--no-cache", "--no-config", "--format", "json", "--rules", FIXTURE, str(tmp_path)]
    one = CliRunner().invoke(main, [*args, "--jobs", "1"])
    two = CliRunner().invoke(main, [*args, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 2
    first, second = json.loads(one.stdout), json.loads(two.stdout)
    assert first["files"] == second["files"] and first["summary"] == second["summary"]
    assert first["summary"]["findings"] > 12


def test_spacy_is_loaded_once_here_and_inherited_by_the_workers_that_match(tmp_path, monkeypatch):
    import spacy

    _corpus(tmp_path, files=24)
    log = tmp_path / "loads.log"
    blank = spacy.blank

    def recorded(*args, **kwargs):  # every load of the pipeline, in any process
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return blank(*args, **kwargs)

    def note_process(result, data):
        result.document["pid"] = os.getpid()

    monkeypatch.setattr(spacy, "blank", recorded)
    paths = sorted(str(p) for p in tmp_path.glob("*.md"))
    linter = _linter()
    results = _checked(paths, linter, filter=note_process)
    assert log.read_text().split() == [str(os.getpid())]
    assert os.getpid() not in {result.document.pop("pid") for result in results.values()}
    assert {path: result.findings for path, result in results.items()} == _expected(paths)


def test_a_warm_run_never_loads_spacy(tmp_path):
    _corpus(tmp_path)
    paths = sorted(str(p) for p in tmp_path.glob("*.md"))
    cache_folder = tmp_path / ".cache"
    _checked(paths, _linter(), cache=ResultCache(_linter(), folder=cache_folder))  # fills the cache
    linter = _linter()
    results = _checked(paths, linter, cache=ResultCache(linter, folder=cache_folder))
    assert not linter.matcher.loaded
    assert {path: result.findings for path, result in results.items()} == _expected(paths)


def test_a_cold_run_loads_spacy_while_the_workers_read(tmp_path):
    _corpus(tmp_path)
    linter = _linter()
    _checked(sorted(str(p) for p in tmp_path.glob("*.md")), linter)
    assert linter.matcher.loaded


def test_a_rule_that_cannot_run_ends_a_parallel_check_with_exit_2(tmp_path):
    rules = tmp_path / "pos.yaml"
    rules.write_text(
        textwrap.dedent(
            """\
            rules:
              - id: needs-tagger
                category: people-as-labels
                severity: warning
                message: Needs a tagger.
                alternatives: [people]
                rationale: Test.
                sources: [{title: Test, publisher: Test}]
                patterns:
                  - tokens: [{LOWER: cases}, {POS: VERB}]
                examples: {flag: [The cases run.], pass: [No people.]}
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "docs").mkdir()
    _corpus(tmp_path / "docs", files=2 * MIN_FILES_PER_WORKER)
    args = ["check", "--no-cache", "--no-config", "--rules", str(rules), "--select", "needs-tagger", "--jobs", "2"]
    result = CliRunner().invoke(main, [*args, str(tmp_path / "docs")])
    assert result.exit_code == 2
    assert "needs-tagger" in result.output and "trained spaCy pipeline" in result.output


def test_small_runs_stay_in_one_worker():
    assert worker_count(0, MIN_FILES_PER_WORKER - 1) == 1
    assert worker_count(3, 5) == 3
    assert worker_count(4, 2) == 2


def test_the_console_script_ends_with_all_output_written_and_the_exit_status(tmp_path):
    _corpus(tmp_path, files=40)
    env = {**os.environ, "TILINT_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "tilint", "check", "--no-config", "--format", "json", "--rules", FIXTURE, str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=os.path.dirname(os.path.dirname(__file__)), check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert len(report["files"]) == 40 and report["summary"]["findings"] > 40


def test_a_worker_that_dies_costs_only_its_file(tmp_path, monkeypatch):
    _corpus(tmp_path)
    (tmp_path / "crash.md").write_text("Crash here with complex cases.\n", encoding="utf-8")
    parent = os.getpid()
    prepare = Linter.prepare

    def dies_on_crash(self, document):  # a reader taking the interpreter down, in a worker only
        if document.path.endswith("crash.md") and os.getpid() != parent:
            os._exit(70)
        return prepare(self, document)

    monkeypatch.setattr(Linter, "prepare", dies_on_crash)
    paths = sorted(str(p) for p in tmp_path.glob("*.md"))
    results = _checked(paths, _linter())
    crashed = results.pop(str(tmp_path / "crash.md"))
    assert crashed.failure == "crashed" and "exited with status 70" in crashed.error
    assert all(r.error is None and r.findings for r in results.values()) and len(results) == 12


def test_an_exception_in_the_engine_is_that_files_internal_failure_and_the_others_are_reported(tmp_path, monkeypatch):
    """As spaCy's E088 (a paragraph over its length limit) once emptied a parallel run's output."""
    _corpus(tmp_path, files=2 * MIN_FILES_PER_WORKER)
    (tmp_path / "huge.md").write_text("Hard to reach families.\n", encoding="utf-8")
    match = Linter.match

    def fails_on_huge(self, prepared):
        if prepared.document.path.endswith("huge.md"):
            raise ValueError("[E088] Text of length 1300000 exceeds maximum of 1000000.")
        return match(self, prepared)

    monkeypatch.setattr(Linter, "match", fails_on_huge)
    args = ["check", "--no-cache", "--no-config", "--format", "json", "--rules", FIXTURE, "--jobs", "2", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3, result.output
    files = {os.path.basename(f["path"]): f for f in json.loads(result.stdout)["files"]}
    assert files["huge.md"]["failure"] == "internal" and "E088" in files["huge.md"]["error"]
    assert len(files) == 2 * MIN_FILES_PER_WORKER + 1
    assert all(f["findings"] for name, f in files.items() if name != "huge.md")


def test_workers_started_by_spawn_report_the_same_as_forked_ones(tmp_path):
    """macOS and Windows start workers with spawn (and Python 3.14 with forkserver): the Linter
    travels pickled, without spaCy."""
    _corpus(tmp_path)
    code = (
        "import json, multiprocessing, sys\n"
        "multiprocessing.set_start_method(sys.argv[1], force=True)\n"
        "from click.testing import CliRunner\n"
        "from tilint.cli import main\n"
        f"args = ['check', '--no-cache', '--no-config', '--format', 'json', '--rules', {FIXTURE!r}, '--jobs', '2']\n"
        "result = CliRunner().invoke(main, [*args, sys.argv[2]])\n"
        "print(json.dumps(json.loads(result.stdout)['files']))\n"
    )
    env = {**os.environ, "TILINT_CACHE_DIR": str(tmp_path / "cache")}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runs = [
        subprocess.run([sys.executable, "-c", code, method, str(tmp_path)], capture_output=True, text=True,
                       env=env, cwd=root, check=True).stdout
        for method in ("fork", "spawn")
    ]
    assert runs[0] == runs[1] and len(json.loads(runs[0])) == 12


def test_a_run_with_more_waiting_for_spacy_than_its_memory_bound_reports_the_same(tmp_path, monkeypatch):
    """Past MAX_WAITING_BYTES of prepared files waiting for spaCy, no new file is handed out
    until it is loaded: nothing changes in what is reported."""
    _corpus(tmp_path, files=24)
    monkeypatch.setattr(parallel, "MAX_WAITING_BYTES", 1)
    paths = sorted(str(p) for p in tmp_path.glob("*.md"))
    results = _checked(paths, _linter())
    assert {path: result.findings for path, result in results.items()} == _expected(paths)
