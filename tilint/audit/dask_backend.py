"""The same audit on a Dask cluster (`--dask local` or `--dask tcp://host:8786`), optional extra.

Each Dask worker builds its Linter once, in a worker plugin's setup (Dask's initializer; a worker
restarted by its nanny runs it again), and checks files with the very function the local pool runs,
so findings are identical. A file that hangs is timed out inside the task and its worker restarted;
a file that kills its worker comes back as KilledWorker and is retried once (another file on the
same worker may have been the culprit) before it is reported as that file's error.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tilint.audit.pool import Outcome
from tilint.audit.worker import WorkerSettings, init_state, process

try:  # this module is imported only for --dask (and on Dask workers, which have distributed)
    from distributed.diagnostics.plugin import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover - _connect reports the missing extra
    _PluginBase = object  # type: ignore[assignment,misc]


class DaskUnavailable(Exception):
    """dask[distributed] is not installed."""


class _AuditPlugin(_PluginBase):
    """Builds the worker state once per Dask worker process."""

    def __init__(self, name: str, settings: WorkerSettings) -> None:
        self.name = name
        self.settings = settings
        self.state = None

    def setup(self, worker) -> None:
        self.state = init_state(self.settings)

    def teardown(self, worker) -> None:
        self.state = None


def _run_task(plugin_name: str, task: tuple[str, str | None], timeout: float | None) -> dict[str, Any]:
    """Runs on a Dask worker: check one file in a thread, so a hang can be timed out."""
    from distributed import get_worker

    worker = get_worker()
    state = worker.plugins[plugin_name].state
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = process(state, task)
        except Exception as exc:
            box["error"] = f"{type(exc).__name__}: {exc}"

    thread = threading.Thread(target=run, name="tilint-audit-file", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        return {"__timeout__": worker.address}
    if "error" in box:
        return {"__error__": box["error"]}
    return box["value"]


def _connect(address: str, jobs: int):
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskUnavailable("--dask needs dask and distributed: pip install 'tilint[dask]'") from exc
    if address == "local":
        # The local scheduler runs in this process, so this setting applies to it: a file that
        # kills its worker should fail fast here rather than take three more workers with it.
        dask.config.set({"distributed.scheduler.allowed-failures": 0})
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    return Client(address), None


def dask_outcomes(
    address: str,
    jobs: int,
    settings: WorkerSettings,
    plugin_key: str,
    tasks: Iterable[tuple[str, str | None]],
    timeout: float | None,
    tick: Callable[[], None] | None = None,
) -> Iterator[Outcome]:
    """Run `tasks` on the cluster; yields an Outcome per task, as the local pool does."""
    from distributed import wait

    client, cluster = _connect(address, jobs)
    plugin_name = f"tilint-audit-{plugin_key}"
    try:
        plugin = _AuditPlugin(plugin_name, settings)
        client.register_plugin(plugin, name=plugin_name)
        window = 2 * max(1, sum(client.nthreads().values()))
        pending = iter(tasks)
        in_flight: dict[Any, tuple[tuple[str, str | None], int]] = {}
        exhausted = False
        while True:
            while not exhausted and len(in_flight) < window:
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                in_flight[client.submit(_run_task, plugin_name, task, timeout, pure=False)] = (task, 1)
            if not in_flight:
                return
            try:
                done, _ = wait(list(in_flight), timeout=0.25, return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            for future in done:
                task, attempt = in_flight.pop(future)
                outcome = _outcome(client, future, task, attempt, timeout)
                if outcome is None:  # retry once
                    in_flight[client.submit(_run_task, plugin_name, task, timeout, pure=False)] = (task, 2)
                else:
                    yield outcome
            if tick is not None:
                tick()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _outcome(client, future, task, attempt: int, timeout: float | None) -> Outcome | None:
    if future.status == "error":
        exc = future.exception()
        if type(exc).__name__ == "KilledWorker":
            if attempt == 1:
                return None
            return Outcome(
                task,
                error="the worker checking this file crashed (Dask reported KilledWorker); the audit went on",
            )
        return Outcome(task, error=f"{type(exc).__name__}: {exc}")
    if future.status == "cancelled":
        return Outcome(task, error="the Dask task was cancelled")
    value = future.result()
    if "__timeout__" in value:
        # The hung thread cannot be stopped: restart its worker process (best effort; a cluster
        # without nannies cannot restart, and the thread then idles until the cluster ends).
        with contextlib.suppress(Exception):
            client.restart_workers([value["__timeout__"]], timeout=30)
        return Outcome(task, error=f"timed out after {timeout:g} s (--file-timeout); its Dask worker was restarted")
    if "__error__" in value:
        return Outcome(task, error=value["__error__"])
    return Outcome(task, value=value)
