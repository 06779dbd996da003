"""A process pool that survives its workers: every task under a deadline, a dead worker replaced.

concurrent.futures.ProcessPoolExecutor marks the whole pool broken when one worker dies, and has no
way to stop a task that hangs. A run over ten thousand documents must outlive a reader that loops
for ever on one file or a C extension that crashes on another, so this pool supervises each worker
itself. A worker announces each task as it starts it; the pool waits on the workers' pipes *and*
their process sentinels, with the deadline of each running task. When a worker dies or overruns,
the pool kills it, reports the task it was running as failed, hands the tasks queued behind it to
other workers, and starts a fresh worker (which runs the initializer again). Nothing else is lost.

A deadline is enforced from outside the process doing the work. A signal handler such as
SIGALRM's would interrupt Python code, and also a regular expression backtracking inside `re` or
spaCy's tokenizer (which check for signals), but it runs only in the main thread (not in a web
server's request threads), never inside C code that does not check for signals (a C library's own
loop, a parser in libxml2), and an exception raised at an arbitrary point can leave lazily built
state (spaCy's matchers, caches) half updated for the next file. Killing the worker process stops
everything it was doing, and its replacement starts clean.

Workers die with the pool's process: on Linux each asks the kernel for SIGKILL when its parent
ends (PR_SET_PDEATHSIG), so an out-of-memory kill or a cancelled CI job leaves nothing running;
elsewhere a worker ends when it finds its pipe to the parent closed.

Each worker has a few tasks queued ahead (`prefetch`), so it never waits for the parent between
two cheap tasks; tasks are pulled from the iterable only to fill those queues, so memory stays
bounded however many tasks there are, and outcomes are yielded as they arrive.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

#: Outcome.failure for a task that raised, whose worker died, or that ran past its deadline
FAILED, CRASHED, TIMED_OUT = "internal", "crashed", "timeout"


class WorkerInitError(Exception):
    """A worker could not start (its initializer raised): the run cannot go on."""


@dataclass
class Outcome:
    """What became of one task: `value` when it ran, `error` (a sentence) when it did not, and
    then `failure` says how (FAILED, CRASHED or TIMED_OUT)."""

    task: Any
    value: Any = None
    error: str | None = None
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def default_context() -> multiprocessing.context.BaseContext:
    """The start method a program has chosen (multiprocessing.set_start_method), else fork on
    Linux: a worker starts in milliseconds and inherits the imported modules (and a spaCy
    pipeline the parent has loaded). Elsewhere fork is unsafe or missing: spawn."""
    chosen = multiprocessing.get_start_method(allow_none=True)
    if chosen is not None:
        return multiprocessing.get_context(chosen)
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent ends (best effort elsewhere: nothing)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _worker_main(conn: Connection, parent: int | None, initializer: Callable, initargs: tuple, func: Callable) -> None:
    die_with_parent()
    if parent is not None and os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)
    from tilint import profiling

    profiling.start("worker")  # only with TILINT_PROFILE set
    try:
        _serve(conn, initializer, initargs, func)
    finally:
        profiling.stop()


def _serve(conn: Connection, initializer: Callable, initargs: tuple, func: Callable) -> None:
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
        except (EOFError, OSError):  # the parent has gone
            return
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

    def __init__(self, ctx, initializer, initargs, func, generation: int) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        # A forkserver's workers are the server's children, and it ends when this process does.
        parent = None if ctx.get_start_method() == "forkserver" else os.getpid()
        self.process = ctx.Process(target=_worker_main, args=(child, parent, initializer, initargs, func), daemon=True)
        self.process.start()
        child.close()
        self.generation = generation
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

    Use as a context manager; `imap_unordered` yields an Outcome per task as each finishes. While
    it runs, the caller may `push` more tasks (sent before the iterable's next ones), `refresh`
    the workers (later ones start from the parent as it is then, with new initargs), hold back
    new tasks (`paused`) and stop forking (`forking`).
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
        timeout_hint: str = "--file-timeout",
    ) -> None:
        if processes < 1:
            raise ValueError("processes must be at least 1")
        self.processes = processes
        self.initializer, self.initargs, self.func = initializer, initargs, func
        self.timeout = timeout
        self.timeout_hint = timeout_hint
        self.prefetch = max(1, prefetch)
        #: a worker is retired (and a fresh one started) after this many tasks, so memory that a
        #: library keeps growing (spaCy's string store learns every new word) stays bounded
        self.max_tasks = max_tasks
        self.ctx = context or default_context()
        self.workers: list[_Worker] = []
        #: tasks queued on a worker that died before reaching them, and pushed tasks: sent first
        self._again: deque[Any] = deque()
        self._held: deque[Any] = deque()
        #: workers replaced after a crash or a timeout, for the summary
        self.restarts = 0
        self.generation = 0
        #: when True, no new task is taken from the iterable (pushed and requeued ones still go)
        self.paused = False
        #: when False, no worker is started (another thread of the caller is busy and fork would
        #: copy it half-way); missing workers are started once it is True again
        self.forking = True

    @property
    def forks(self) -> bool:
        """Whether workers are forked (and so inherit what the parent has loaded)."""
        return self.ctx.get_start_method() == "fork"

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
        return _Worker(self.ctx, self.initializer, self.initargs, self.func, self.generation)

    def push(self, task: Any) -> None:
        """Run `task` too, before the next task of the iterable."""
        self._again.append(task)

    def hold(self, task: Any) -> None:
        """Keep `task` for later: the run does not end while tasks are held, and `release` runs them."""
        self._held.append(task)

    def release(self) -> None:
        """Run the held tasks, before the next task of the iterable."""
        self._again.extend(self._held)
        self._held.clear()

    def refresh(self, initargs: tuple | None = None) -> None:
        """Workers started from now on start from the parent as it is now (and with `initargs`);
        the current ones take no new task and are replaced as soon as their queue is empty."""
        if initargs is not None:
            self.initargs = initargs
        self.generation += 1  # the supervising loop retires the older workers (see _collect)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._again.extend(worker.queue)
        self._respawn(worker)
        self.restarts += 1

    def _respawn(self, worker: _Worker) -> None:
        """Put a fresh worker in `worker`'s place, or leave the place empty until forking is allowed."""
        index = self.workers.index(worker)
        if self.forking or not self.forks:
            self.workers[index] = self._spawn()
        else:
            del self.workers[index]

    def _top_up(self) -> None:
        while self.forking and len(self.workers) < self.processes:
            self.workers.append(self._spawn())

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
            self._top_up()
            exhausted = self._fill(pending, exhausted)
            busy = [w for w in self.workers if w.queue]
            if exhausted and not busy and not self._again and not self._held:
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
            if worker.generation != self.generation:
                continue
            while worker.ready and not worker.broken and len(worker.queue) < self.prefetch:
                if self.max_tasks is not None and worker.sent >= self.max_tasks:
                    break
                if self._again:
                    worker.send(self._again.popleft())
                    continue
                if exhausted or self.paused:
                    break
                task = next(pending, _END)
                if task is _END:
                    exhausted = True
                    break
                worker.send(task)
        return exhausted

    def _collect(self, worker: _Worker, ready: set) -> Iterator[Outcome]:
        """Everything `worker` has to say; then deal with its death, its overrun or its retirement."""
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
                    yield Outcome(worker.finish(), error=payload, failure=FAILED)
        if worker.process.sentinel in ready and not worker.process.is_alive():
            yield from self._died(worker)
        elif worker.started and time.monotonic() >= worker.deadline:
            task = worker.finish()
            self._replace(worker)
            yield Outcome(
                task,
                error=f"timed out after {self.timeout:g} s ({self.timeout_hint}); the worker checking it was stopped",
                failure=TIMED_OUT,
            )
        elif not worker.queue and worker.ready and self._retiring(worker):
            worker.stop()
            self._respawn(worker)

    def _retiring(self, worker: _Worker) -> bool:
        return worker.generation != self.generation or (self.max_tasks is not None and worker.sent >= self.max_tasks)

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
                error=f"the worker checking this file crashed ({how}); the run went on with a new worker",
                failure=CRASHED,
            )


_END = object()


class TaskFailed(Exception):
    """A task of a RequestPool that did not finish: `outcome` says why (its error and failure)."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.error)
        self.outcome = outcome


class PoolBusy(Exception):
    """Every worker of a RequestPool stayed busy for as long as the caller could wait."""


class RequestPool:
    """A fixed number of workers shared by callers in several threads (a web server's requests).

    `run(task)` takes a free worker (waiting for one at most `timeout` seconds), runs
    `func(state, task)` there under the same deadline and returns its value; a task that raises,
    crashes its worker or overruns raises TaskFailed, and a worker that crashed or overran is
    replaced. One slow request therefore holds one worker, never the others. Workers are started
    with `context`; a threaded program should use forkserver or spawn, never fork.
    """

    def __init__(
        self,
        processes: int,
        initializer: Callable[..., Any],
        initargs: tuple,
        func: Callable[[Any, Any], Any],
        timeout: float | None = None,
        context=None,
        timeout_hint: str = "--file-timeout",
        wait: float | None = None,
    ) -> None:
        import queue
        import threading

        if processes < 1:
            raise ValueError("processes must be at least 1")
        self.processes = processes
        self.initializer, self.initargs, self.func = initializer, initargs, func
        self.timeout, self.timeout_hint = timeout, timeout_hint
        #: how long a caller waits for a free worker (default: the task time limit, by which the
        #: task holding it has finished or been stopped)
        self.wait = timeout if wait is None else wait
        self.ctx = context or multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._started = False
        self.restarts = 0

    def start(self) -> RequestPool:
        """Start the workers (once); they load what they need in the background."""
        import atexit

        with self._lock:
            if self._started:
                return self
            self._started = True
        for _ in range(self.processes):
            self._idle.put(self._spawn())
        atexit.register(self.close)
        return self

    def __enter__(self) -> RequestPool:
        return self.start()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker (a later `run` starts them again)."""
        import queue

        with self._lock:
            workers, self._all = self._all, []
            self._started = False
        with contextlib.suppress(queue.Empty):
            while True:
                self._idle.get_nowait()
        for worker in workers:
            worker.kill()

    def _spawn(self) -> _Worker:
        worker = _Worker(self.ctx, self.initializer, self.initargs, self.func, 0)
        with self._lock:
            self._all.append(worker)
        return worker

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def run(self, task: Any) -> Any:
        """`func(state, task)` on the first free worker; raises PoolBusy when none is free within
        `wait` seconds, and TaskFailed when the task does not finish."""
        import queue

        self.start()
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise PoolBusy(f"every worker stayed busy for {self.wait:g} s") from None
        healthy = False
        try:
            outcome = self._run_on(worker, task)
            healthy = outcome.failure in (None, FAILED)  # an exception leaves the worker usable
        finally:
            if not healthy:
                self._discard(worker)
                self.restarts += 1
                worker = self._spawn()
            self._idle.put(worker)
        if not outcome.ok:
            raise TaskFailed(outcome)
        return outcome.value

    def _run_on(self, worker: _Worker, task: Any) -> Outcome:
        """Send `task` and read until its outcome. The deadline runs from the worker's "start":
        a fresh worker first loads what it needs."""
        with contextlib.suppress(OSError):  # a worker that has just died: the sentinel says so below
            worker.conn.send(task)
        deadline = float("inf")
        while True:
            remaining = None if deadline == float("inf") else max(0.0, deadline - time.monotonic())
            if not wait([worker.conn, worker.process.sentinel], timeout=remaining):
                return Outcome(task, error=f"timed out after {self.timeout:g} s ({self.timeout_hint}); the worker "
                               "checking it was stopped", failure=TIMED_OUT)
            try:
                kind, payload = worker.conn.recv() if worker.conn.poll() else ("died", None)
            except (EOFError, OSError):
                kind, payload = "died", None
            if kind == "start":
                deadline = time.monotonic() + self.timeout if self.timeout else float("inf")
            elif kind == "ok":
                return Outcome(task, value=payload)
            elif kind == "error":
                return Outcome(task, error=payload, failure=FAILED)
            elif kind == "init-error":
                raise WorkerInitError(payload)
            elif kind == "died" and not worker.process.is_alive():
                worker.process.join(5)
                how = describe_exit(worker.process.exitcode)
                return Outcome(task, error=f"the worker checking this file crashed ({how})", failure=CRASHED)
