"""The supervised pool's interface on a Dask cluster (`--dask local` or `--dask tcp://host:8786`).

`DaskPool(address, jobs, initializer, initargs, func, timeout)` is used like
tilint.run.pool.SupervisedPool: `imap_unordered(tasks)` yields an Outcome per task as each finishes.
Each Dask worker runs the initializer once, in a worker plugin's setup (Dask's initializer; a
worker restarted by its nanny runs it again), and then `func(state, task)` for each task, the very
function the local pool runs, so results are identical. A task that hangs is timed out inside the
Dask task and its worker restarted; a task that kills its worker comes back as KilledWorker and is
retried once (another task on the same worker may have been the culprit) before it is reported.

dask[distributed] is an optional extra: without it, `DaskUnavailable` says how to install it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tilint.run.pool import CRASHED, FAILED, TIMED_OUT, Outcome

INSTALL_HINT = "--dask needs dask and distributed: pip install 'tilint[dask]'"


class DaskUnavailable(Exception):
    """dask[distributed] is not installed, or the cluster cannot be reached."""


def _require_dask() -> None:
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise DaskUnavailable(INSTALL_HINT) from None


def _plugin(name: str, initializer: Callable, initargs: tuple):
    """A Dask WorkerPlugin that builds the worker's state once per worker process."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class _StatePlugin(WorkerPlugin):
        def __init__(self) -> None:
            self.name = name
            self.initializer, self.initargs = initializer, initargs
            self.state = None

        def setup(self, worker) -> None:
            self.state = self.initializer(*self.initargs)

        def teardown(self, worker) -> None:
            self.state = None

    return _StatePlugin()


def _run_task(plugin_name: str, func: Callable, task: Any, timeout: float | None) -> dict[str, Any]:
    """Runs on a Dask worker: `func(state, task)` in a thread, so that a hang can be timed out."""
    from distributed import get_worker

    worker = get_worker()
    state = worker.plugins[plugin_name].state
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = func(state, task)
        except Exception as exc:
            box["error"] = f"{type(exc).__name__}: {exc}"

    thread = threading.Thread(target=run, name="tilint-task", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        return {"timeout": worker.address}
    if "error" in box:
        return {"error": box["error"]}
    return {"value": box["value"]}


class DaskPool:
    """`func(state, task)` on a Dask cluster, `state = initializer(*initargs)` once per worker."""

    def __init__(
        self,
        address: str,
        jobs: int,
        initializer: Callable[..., Any],
        initargs: tuple,
        func: Callable[[Any, Any], Any],
        timeout: float | None = None,
        name: str = "tilint",
        timeout_hint: str = "--file-timeout",
    ) -> None:
        self.address, self.jobs = address, jobs
        self.initializer, self.initargs, self.func = initializer, initargs, func
        self.timeout, self.timeout_hint = timeout, timeout_hint
        self.plugin_name = name
        self.client = self.cluster = None

    def __enter__(self) -> DaskPool:
        _require_dask()
        import dask
        from distributed import Client, LocalCluster

        try:
            if self.address == "local":
                # The local scheduler runs in this process, so this setting applies to it: a task
                # that kills its worker should fail fast here rather than take three more with it.
                dask.config.set({"distributed.scheduler.allowed-failures": 0})
                self.cluster = LocalCluster(
                    n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.address)
        except (OSError, TimeoutError) as exc:
            self.__exit__(None, None, None)
            raise DaskUnavailable(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        self.client.register_plugin(_plugin(self.plugin_name, self.initializer, self.initargs), name=self.plugin_name)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def _submit(self, task: Any):
        return self.client.submit(_run_task, self.plugin_name, self.func, task, self.timeout, pure=False)

    def imap_unordered(
        self, tasks: Iterable[Any], tick: Callable[[], None] | None = None, tick_interval: float = 0.25
    ) -> Iterator[Outcome]:
        """Run every task on the cluster, a bounded number in flight; yields as each finishes."""
        from distributed import wait

        window = 2 * max(1, sum(self.client.nthreads().values()))
        pending = iter(tasks)
        in_flight: dict[Any, tuple[Any, int]] = {}
        exhausted = False
        while True:
            while not exhausted and len(in_flight) < window:
                task = next(pending, _END)
                if task is _END:
                    exhausted = True
                    break
                in_flight[self._submit(task)] = (task, 1)
            if not in_flight:
                return
            try:
                done, _ = wait(list(in_flight), timeout=tick_interval, return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            for future in done:
                task, attempt = in_flight.pop(future)
                outcome = self._outcome(future, task, attempt)
                if outcome is None:  # retry once
                    in_flight[self._submit(task)] = (task, 2)
                else:
                    yield outcome
            if tick is not None:
                tick()

    def _outcome(self, future, task: Any, attempt: int) -> Outcome | None:
        if future.status == "error":
            exc = future.exception()
            if type(exc).__name__ == "KilledWorker":
                if attempt == 1:
                    return None
                return Outcome(task, error="the worker checking this file crashed (Dask reported KilledWorker); "
                               "the run went on", failure=CRASHED)
            return Outcome(task, error=f"{type(exc).__name__}: {exc}", failure=FAILED)
        if future.status == "cancelled":
            return Outcome(task, error="the Dask task was cancelled", failure=CRASHED)
        value = future.result()
        if "timeout" in value:
            # The hung thread cannot be stopped: restart its worker process (best effort; a cluster
            # without nannies cannot restart, and the thread then idles until the cluster ends).
            with contextlib.suppress(Exception):
                self.client.restart_workers([value["timeout"]], timeout=30)
            return Outcome(task, error=f"timed out after {self.timeout:g} s ({self.timeout_hint}); "
                           "its Dask worker was restarted", failure=TIMED_OUT)
        if "error" in value:
            return Outcome(task, error=value["error"], failure=FAILED)
        return Outcome(task, value=value["value"])


_END = object()
