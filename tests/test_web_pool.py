"""`tilint serve` checks on a bounded pool of workers: one slow document holds one worker, never
the others, and is answered with a message once past the time limit."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest
import yaml

from tilint.ruleset import load_ruleset
from tilint.run.pool import CRASHED, FAILED, TIMED_OUT, PoolBusy, RequestPool, TaskFailed
from tilint.web.app import create_app

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "rules", "basic.yaml")


def _state():
    return os.getpid()


def _task(state, task):
    if task == "crash":
        os._exit(9)
    if task == "hang":
        time.sleep(60)
    if task == "raise":
        raise ValueError("bad")
    return state


@pytest.fixture
def pool():
    import multiprocessing

    with RequestPool(1, _state, (), _task, timeout=1, context=multiprocessing.get_context("fork")) as started:
        yield started


def test_a_request_runs_on_a_worker(pool):
    assert pool.run("ok") != os.getpid()


def test_a_request_that_crashes_its_worker_fails_alone_and_the_worker_is_replaced(pool):
    first = pool.run("ok")
    with pytest.raises(TaskFailed) as failed:
        pool.run("crash")
    assert failed.value.outcome.failure == CRASHED and "exited with status 9" in failed.value.outcome.error
    assert pool.run("ok") not in (first, os.getpid())


def test_a_request_past_its_deadline_is_stopped_and_the_worker_replaced(pool):
    first = pool.run("ok")
    started = time.monotonic()
    with pytest.raises(TaskFailed) as failed:
        pool.run("hang")
    assert failed.value.outcome.failure == TIMED_OUT and time.monotonic() - started < 10
    assert pool.run("ok") != first


def test_an_exception_keeps_the_worker(pool):
    first = pool.run("ok")
    with pytest.raises(TaskFailed) as failed:
        pool.run("raise")
    assert failed.value.outcome.failure == FAILED
    assert pool.run("ok") == first


def _hang(pool) -> None:
    with pytest.raises(TaskFailed):
        pool.run("hang")


def test_when_every_worker_stays_busy_a_waiting_request_is_told_so():
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with RequestPool(1, _state, (), _task, timeout=5, wait=0.3, context=context) as pool:
        pool.run("ok")
        hanging = threading.Thread(target=_hang, args=(pool,))
        hanging.start()
        time.sleep(0.5)
        with pytest.raises(PoolBusy, match=r"busy for 0\.3 s"):
            pool.run("ok")
        hanging.join()


SLOW = {
    "id": "slow-regex", "category": "people-as-labels", "severity": "warning",
    "message": "A rule whose pattern backtracks for ever on some words.", "alternatives": ["people"],
    "rationale": "Test.", "sources": [{"title": "Test", "publisher": "Test"}],
    "patterns": [{"tokens": [{"LOWER": "cases"}, {"TEXT": {"REGEX": "^(a+)+$"}}]}],
    "examples": {"flag": ["cases aaaa"], "pass": ["No people."]},
}
HANGS = "We hold cases " + "a" * 40 + "b."


@pytest.fixture
def served(tmp_path):
    rules = tmp_path / "slow.yaml"
    rules.write_text(yaml.safe_dump({"rules": [SLOW]}), encoding="utf-8")
    app = create_app(load_ruleset([FIXTURE, str(rules)], builtin=False), workers=2, timeout=3)
    checker = app.extensions["tilint"]
    client = app.test_client()
    for _ in range(2):  # both workers started and warm
        assert client.post("/api/check", json={"text": "We hold cases aaaa."}).status_code == 200
    yield app
    checker.close()


def _post(app, text: str, into: dict, key: str) -> None:
    with app.test_client() as client:
        response = client.post("/api/check", json={"text": text})
    into[key] = (response.status_code, response.get_json(), time.monotonic())


@pytest.mark.slow
def test_a_document_that_hangs_holds_one_worker_and_is_answered_past_the_time_limit(served):
    answers: dict = {}
    slow = threading.Thread(target=_post, args=(served, HANGS, answers, "slow"))
    slow.start()
    time.sleep(0.3)
    _post(served, "We hold 40 cases and hard to reach families.", answers, "quick")
    slow.join(30)
    status, body, quick_done = answers["quick"]
    assert [f["rule"] for f in body["findings"]] == ["test-case", "test-hard-to-reach"]
    status, body, slow_done = answers["slow"]
    assert status == 503 and "gave up on the pasted text after 3 s" in body["error"]
    assert quick_done < slow_done  # answered while the slow one still held its worker
    _post(served, "Challenging behaviour.", answers, "after")
    assert answers["after"][0] == 200  # the stopped worker was replaced
