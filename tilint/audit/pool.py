"""A process pool that survives its workers: every task under a deadline, a dead worker replaced.

concurrent.futures.ProcessPoolExecutor marks the whole pool broken when one worker dies, and has no
way to stop a task that hangs. An audit of ten thousand documents must outlive a reader that loops
for ever on one file or a C extension that crashes on another, so this pool supervises each worker
itself. A worker announces each task as it starts it; the pool waits on the workers' pipes *and*
their process sentinels, with the deadline of each running task. When a worker dies or overruns,
the pool kills it, reports the task it was running as failed, hands the tasks queued behind it to
other workers, and starts a fresh worker (which runs the initializer again). Nothing else is lost.

Each worker has a few tasks queued ahead (`prefetch`), so it never waits for the parent between
two cheap tasks; tasks are pulled from the iterable only to fill those queues, so memory stays
bounded however many tasks there are.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any


class WorkerInitError(Exception):
    """A worker could not start (its initializer raised): the run cannot go on."""


@dataclass
class Outcome:
    """What became of one task: `value` when it ran, `error` (a sentence) when it did not."""

    task: Any
    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def default_context() -> multiprocessing.context.BaseContext:
    """fork on Linux: a worker starts in milliseconds and inherits the imported modules.

    The parent never runs threads while the pool is alive (progress is refreshed from the
    supervising loop), which is what makes fork safe here. Elsewhere fork is unsafe or missing.
    """
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _worker_main(conn: Connection, initializer: Callable, initargs: tuple, func: Callable) -> None:
    # Ctrl-C goes to the whole process group; the parent decides what to do, workers must not
    # print tracebacks for it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        state = initializer(*initargs)
    except BaseException as exc:
        conn.send(("init-error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(("start", None))
        try:
            message = ("ok", func(state, task))
        except Exception as exc:
            message = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(message)
        except Exception as exc:  # an unpicklable value: report it instead of dying
            conn.send(("error", f"cannot return the result: {type(exc).__name__}: {exc}"))


def describe_exit(exitcode: int | None) -> str:
    """A worker's end, in words: "killed by SIGSEGV", "exited with status 3"."""
    if exitcode is None:
        return "stopped"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exited with status {exitcode}"


class _Worker:
    """One worker process, the tasks sent to it (the first is running once `started`)."""

    def __init__(self, ctx, initializer, initargs, func) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child, initializer, initargs, func), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.queue: deque[Any] = deque()
        self.started = False
        self.broken = False
        self.sent = 0
        self.deadline = float("inf")

    def send(self, task: Any) -> None:
        self.queue.append(task)
        self.sent += 1
        try:
            self.conn.send(task)
        except OSError:  # it has just died: the sentinel will say so, and the task will go elsewhere
            self.broken = True

    def start(self, timeout: float | None) -> None:
        self.started = True
        self.deadline = time.monotonic() + timeout if timeout else float("inf")

    def finish(self) -> Any:
        self.started, self.deadline = False, float("inf")
        return self.queue.popleft()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
        self.conn.close()


class SupervisedPool:
    """`processes` workers running `func(state, task)`, where `state = initializer(*initargs)`.

    Use as a context manager; `imap_unordered` yields an Outcome per task as each finishes.
    """

    def __init__(
        self,
        processes: int,
        initializer: Callable[..., Any],
        initargs: tuple,
        func: Callable[[Any, Any], Any],
        timeout: float | None = None,
        context=None,
        prefetch: int = 4,
        max_tasks: int | None = 2000,
    ) -> None:
        if processes < 1:
            raise ValueError("processes must be at least 1")
        self.processes = processes
        self.initializer, self.initargs, self.func = initializer, initargs, func
        self.timeout = timeout
        self.prefetch = max(1, prefetch)
        #: a worker is retired (and a fresh one started) after this many tasks, so memory that a
        #: library keeps growing (spaCy's string store learns every new word) stays bounded
        self.max_tasks = max_tasks
        self.ctx = context or default_context()
        self.workers: list[_Worker] = []
        #: tasks queued on a worker that died before reaching them: sent again before new ones
        self._again: deque[Any] = deque()
        #: workers replaced after a crash or a timeout, for the summary
        self.restarts = 0

    def __enter__(self) -> SupervisedPool:
        self.workers = [self._spawn() for _ in range(self.processes)]
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            for worker in self.workers:
                worker.stop()
        else:  # interrupted: do not wait for tasks in flight
            for worker in self.workers:
                worker.kill()
        self.workers = []

    def _spawn(self) -> _Worker:
        return _Worker(self.ctx, self.initializer, self.initargs, self.func)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._again.extend(worker.queue)
        self.workers[self.workers.index(worker)] = self._spawn()
        self.restarts += 1

    def imap_unordered(
        self,
        tasks: Iterable[Any],
        tick: Callable[[], None] | None = None,
        tick_interval: float = 0.25,
    ) -> Iterator[Outcome]:
        """Run every task; `tick` is called at least every `tick_interval` seconds (for progress)."""
        pending = iter(tasks)
        exhausted = False
        while True:
            exhausted = self._fill(pending, exhausted)
            busy = [w for w in self.workers if w.queue]
            if exhausted and not busy and not self._again:
                return
            now = time.monotonic()
            soonest = min((w.deadline for w in busy), default=float("inf"))
            waitables: list[Any] = []
            for worker in self.workers:
                waitables += [worker.conn, worker.process.sentinel]
            ready = set(wait(waitables, timeout=max(0.0, min(soonest - now, tick_interval))))
            for worker in list(self.workers):
                yield from self._collect(worker, ready)
            if tick is not None:
                tick()

    def _fill(self, pending: Iterator[Any], exhausted: bool) -> bool:
        """Top up every ready worker's queue; returns whether `pending` has run out."""
        for worker in self.workers:
            while worker.ready and not worker.broken and len(worker.queue) < self.prefetch:
                if self.max_tasks is not None and worker.sent >= self.max_tasks:
                    break
                if self._again:
                    worker.send(self._again.popleft())
                    continue
                if exhausted:
                    break
                task = next(pending, _END)
                if task is _END:
                    exhausted = True
                    break
                worker.send(task)
        return exhausted

    def _collect(self, worker: _Worker, ready: set) -> Iterator[Outcome]:
        """Everything `worker` has to say; then deal with its death or its overrun."""
        if worker.conn in ready or worker.process.sentinel in ready:
            while True:  # read all it said (a dead worker may have said "start")
                try:
                    if not worker.conn.poll():
                        break
                    kind, payload = worker.conn.recv()
                except (EOFError, OSError):
                    yield from self._died(worker)
                    return
                if kind == "ready":
                    worker.ready = True
                elif kind == "init-error":
                    worker.kill()
                    raise WorkerInitError(payload)
                elif kind == "start":
                    worker.start(self.timeout)
                elif kind == "ok":
                    yield Outcome(worker.finish(), value=payload)
                elif kind == "error":
                    yield Outcome(worker.finish(), error=payload)
        if worker.process.sentinel in ready and not worker.process.is_alive():
            yield from self._died(worker)
        elif self.max_tasks is not None and worker.sent >= self.max_tasks and not worker.queue:
            worker.stop()
            self.workers[self.workers.index(worker)] = self._spawn()
        elif worker.started and time.monotonic() >= worker.deadline:
            task = worker.finish()
            self._replace(worker)
            yield Outcome(
                task,
                error=f"timed out after {self.timeout:g} s (--file-timeout); the worker checking it was stopped",
            )

    def _died(self, worker: _Worker) -> Iterator[Outcome]:
        """The worker's pipe closed or its process ended: its running task failed; replace it."""
        worker.process.join(5)
        how = describe_exit(worker.process.exitcode)
        if not worker.ready:
            worker.kill()
            raise WorkerInitError(f"a worker could not start ({how})")
        task = worker.finish() if worker.started else _END
        self._replace(worker)
        if task is not _END:
            yield Outcome(
                task,
                error=f"the worker checking this file crashed ({how}); the audit went on with a new worker",
            )


_END = object()
