"""The supervised pool: a task that crashes or hangs its worker fails alone, and the run goes on.

The functions under test run in forked workers, so they (and monkeypatches) are inherited as they
are here; fork is what the pool uses on Linux.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import time

import pytest
from audit_support import FIXTURE_RULES, audit, make_corpus, read_csv

from tilint.ruleset import load_ruleset
from tilint.run.pool import SupervisedPool, WorkerInitError

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")


def _init(tag="state"):
    return (tag, os.getpid())


def _work(state, task):
    if task == "raise":
        raise ValueError("bad task")
    if task == "exit":
        os._exit(3)
    if task == "segfault":
        faulthandler.disable()  # pytest's handler would print the worker's stack
        os.kill(os.getpid(), signal.SIGSEGV)
    if task == "hang":
        time.sleep(60)
    return (task, state)


def _run(tasks, processes=2, timeout=None, initializer=_init):
    with SupervisedPool(processes, initializer, (), _work, timeout=timeout) as pool:
        outcomes = {o.task: o for o in pool.imap_unordered(tasks)}
    return outcomes, pool


def test_every_task_gets_an_outcome():
    outcomes, _ = _run([f"t{i}" for i in range(10)])
    assert sorted(outcomes) == [f"t{i}" for i in range(10)]
    assert all(o.ok and o.value[0] == o.task for o in outcomes.values())


def test_each_worker_runs_its_initializer_once_not_per_task():
    outcomes, _ = _run([f"t{i}" for i in range(20)], processes=2)
    states = {o.value[1] for o in outcomes.values()}
    assert len(states) <= 2
    assert all(pid != os.getpid() for _, pid in states)


def test_an_exception_in_a_task_is_that_tasks_error():
    outcomes, pool = _run(["a", "raise", "b"])
    assert outcomes["raise"].error == "ValueError: bad task"
    assert outcomes["a"].ok and outcomes["b"].ok
    assert pool.restarts == 0


def test_a_worker_that_exits_fails_only_its_task_and_is_replaced():
    outcomes, pool = _run(["a", "exit", "b", "c", "d"])
    assert "crashed (exited with status 3)" in outcomes["exit"].error
    assert all(outcomes[t].ok for t in "abcd")
    assert pool.restarts == 1


def test_tasks_queued_behind_a_crash_or_a_hang_still_run():
    outcomes, pool = _run(["exit", "a", "b", "hang", "c", "d"], processes=1, timeout=0.5)
    assert not outcomes["exit"].ok and not outcomes["hang"].ok
    assert all(outcomes[t].ok for t in "abcd")
    assert pool.restarts == 2


def test_a_segfault_is_reported_by_signal_name():
    outcomes, _ = _run(["segfault", "a"], processes=1)
    assert "killed by SIGSEGV" in outcomes["segfault"].error
    assert outcomes["a"].ok


def test_a_task_that_hangs_is_timed_out_and_its_worker_replaced():
    outcomes, pool = _run(["hang", "a", "b"], timeout=0.5)
    assert outcomes["hang"].error.startswith("timed out after 0.5 s")
    assert outcomes["a"].ok and outcomes["b"].ok
    assert pool.restarts == 1


def _failing_init():
    raise RuntimeError("no model")


def test_an_initializer_that_fails_stops_the_run():
    with pytest.raises(WorkerInitError, match="no model"):
        _run(["a"], initializer=_failing_init)


def test_tasks_are_taken_only_as_workers_become_free():
    pulled = []

    def tasks():
        for i in range(100):
            pulled.append(i)
            yield f"t{i}"

    with SupervisedPool(2, _init, (), _work) as pool:
        outcomes = pool.imap_unordered(tasks())
        next(outcomes)
        assert len(pulled) <= 2 * 4 + 1  # two workers, four queued each
        assert len(list(outcomes)) == 99


# -- the same through the audit -----------------------------------------------------------------
@pytest.fixture
def faulty_reader(monkeypatch):
    """check_path that kills its worker on *crash*, hangs on *hang*, and works otherwise."""
    import tilint.run.single

    real = tilint.run.single.check_path

    def check_path(linter, path, *args, **kwargs):
        if "crash" in path:
            os._exit(1)
        if "hang" in path:
            time.sleep(60)
        return real(linter, path, *args, **kwargs)

    monkeypatch.setattr(tilint.run.single, "check_path", check_path)


def test_an_audit_lists_a_file_that_crashes_or_hangs_its_worker_and_finishes(faulty_reader, tmp_path):
    rules = load_ruleset([FIXTURE_RULES], builtin=False)
    corpus = make_corpus(
        tmp_path / "docs",
        {
            "a.txt": "We hold cases.\n",
            "crash.txt": "Cases.\n",
            "hang.txt": "Cases.\n",
            "z.txt": "Hard to reach.\n",
        },
    )
    run = audit(rules, [corpus], tmp_path / "out", jobs=2, use_cache=False, file_timeout=1)
    errors = {r["path"].rsplit("/", 1)[-1]: r["error"] for r in read_csv(tmp_path / "out" / "documents.csv")}
    assert "crashed" in errors["crash.txt"]
    assert "timed out after 1 s" in errors["hang.txt"]
    assert errors["a.txt"] == errors["z.txt"] == ""
    assert run.summary["failed"] == 2 and run.summary["findings"] == 2
    assert "crash.txt" in (tmp_path / "out" / "report.html").read_text().split('id="unreadable"')[1]


def test_a_pipeline_error_in_a_worker_stops_the_audit_as_a_usage_error(monkeypatch, tmp_path):
    import tilint.run.single
    from tilint.audit import AuditError
    from tilint.engine import PipelineError

    def check_path(*args, **kwargs):
        raise PipelineError("rule 'x' needs a trained spaCy pipeline")

    monkeypatch.setattr(tilint.run.single, "check_path", check_path)
    corpus = make_corpus(tmp_path / "docs", {f"d{i}.txt": "Cases.\n" for i in range(5)})
    rules = load_ruleset([FIXTURE_RULES], builtin=False)
    with pytest.raises(AuditError, match="needs a trained spaCy pipeline"):
        audit(rules, [corpus], tmp_path / "out", jobs=2, use_cache=False)
    assert not (tmp_path / "out" / "report.html").exists()


def test_a_worker_is_retired_after_max_tasks_and_replaced():
    with SupervisedPool(1, _init, (), _work, max_tasks=3) as pool:
        outcomes = list(pool.imap_unordered([f"t{i}" for i in range(7)]))
    workers = {o.value[1] for o in outcomes}
    assert len(outcomes) == 7 and all(o.ok for o in outcomes)
    assert len(workers) == 3  # 3 + 3 + 1 tasks
    assert pool.restarts == 0
