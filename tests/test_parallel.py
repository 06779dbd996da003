"""Checking on several cores gives exactly what checking on one gives, and loads spaCy once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from tilint.cli import main
from tilint.document import Document
from tilint.engine import Linter
from tilint.ruleset import load_ruleset
from tilint.run import local as parallel
from tilint.run.limits import MIN_FILES_PER_WORKER
from tilint.run.local import _match_backlog, _NeedsMatching, auto_jobs
from tilint.run.single import ResultCache, check_path

FIXTURE = "tests/fixtures/rules/basic.yaml"


def _corpus(folder, files: int = 12) -> None:
    for i in range(files):
        (folder / f"doc{i:02}.md").write_text(
            f"# Doc {i}\n\nWe hold {i} cases.\n\n<!-- tilint-disable-next-line -->\nHard to reach families.\n\n"
            "Complex cases and hard-to-reach young people.\n",
            encoding="utf-8",
        )


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


def test_files_left_to_match_are_shared_by_helpers_forked_after_spacy_loads(monkeypatch):
    linter = Linter(load_ruleset([FIXTURE], builtin=False))
    texts = [f"Paragraph {i}: we hold complex cases and hard-to-reach families.\n" * 3 for i in range(8)]
    backlog = [
        (f"d{i}.txt", _NeedsMatching(linter.prepare(Document(f"d{i}.txt", text)), text.encode()))
        for i, text in enumerate(texts)
    ]
    monkeypatch.setattr(parallel, "MIN_SHARED_MATCHING", 0)

    def note_process(result, data):
        result.document["pid"] = os.getpid()

    cache = ResultCache(linter, enabled=False)
    shared = _match_backlog(linter, backlog, 2, cache, note_process)
    alone = {f"d{i}.txt": linter.check(Document(f"d{i}.txt", text)) for i, text in enumerate(texts)}
    assert {result.document.pop("pid") for result in shared.values()} - {os.getpid()}
    assert {path: result.findings for path, result in shared.items()} == {p: r.findings for p, r in alone.items()}


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


def _run_in_parallel(folder, monkeypatch, cache_enabled: bool):
    """check_in_parallel over `folder`; returns whether the parent loaded spaCy before any file
    was ready to match."""
    linter = Linter(load_ruleset([FIXTURE], builtin=False))
    eager = []
    monkeypatch.setattr(linter, "load_spacy", lambda: eager.append(True))
    cache = ResultCache(linter, enabled=cache_enabled, folder=folder / ".cache")
    paths = sorted(str(p) for p in folder.glob("*.md"))
    results = parallel.check_in_parallel(paths, 2, linter, cache, 10**8)
    assert all(result.findings for result in results)
    return bool(eager)


def test_a_cold_run_loads_spacy_while_the_workers_read(tmp_path, monkeypatch):
    _corpus(tmp_path)
    assert _run_in_parallel(tmp_path, monkeypatch, cache_enabled=False)


def test_a_warm_run_does_not_load_spacy_ahead(tmp_path, monkeypatch):
    _corpus(tmp_path)
    _run_in_parallel(tmp_path, monkeypatch, cache_enabled=True)  # fills the cache
    assert not _run_in_parallel(tmp_path, monkeypatch, cache_enabled=True)


def test_small_runs_stay_in_one_process():
    assert auto_jobs(MIN_FILES_PER_WORKER - 1, 0) == 1
    assert auto_jobs(5, 3) == 3


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


def test_a_worker_that_dies_loses_no_file(tmp_path, monkeypatch):
    _corpus(tmp_path)
    (tmp_path / "crash.md").write_text("Crash here with complex cases.\n", encoding="utf-8")
    prepare = parallel._prepare_one

    def dies_on_crash(path):  # a reader taking the interpreter down, in the worker only
        if path.endswith("crash.md") and os.getpid() != parent:
            os._exit(70)
        return prepare(path)

    parent = os.getpid()
    monkeypatch.setattr(parallel, "_prepare_one", dies_on_crash)
    linter = Linter(load_ruleset([FIXTURE], builtin=False))
    paths = sorted(str(p) for p in tmp_path.glob("*.md"))
    results = parallel.check_in_parallel(paths, 2, linter, ResultCache(linter, enabled=False), 10**8)
    assert [r.path for r in results] == paths
    assert all(r.error is None and r.findings for r in results)


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


@pytest.mark.parametrize("waiting_bound", [16_000_000, -1], ids=["parent matches", "workers match"])
def test_a_run_larger_than_its_memory_bounds_reports_the_same(tmp_path, monkeypatch, waiting_bound):
    """Files are handed out a few at a time, and workers check files themselves once too much
    waits in the parent: nothing changes in what is reported."""
    _corpus(tmp_path, files=24)
    linter = Linter(load_ruleset([FIXTURE], builtin=False))
    paths = sorted(str(p) for p in tmp_path.glob("*.md"))
    expected = [check_path(linter, path).result.findings for path in paths]
    monkeypatch.setattr(parallel, "MAX_HELD_BYTES", 1)
    monkeypatch.setattr(parallel, "MAX_WAITING_BYTES", waiting_bound)
    results = parallel.check_in_parallel(paths, 2, linter, ResultCache(linter, enabled=False), 10**8)
    assert [r.path for r in results] == paths
    assert [r.findings for r in results] == expected
