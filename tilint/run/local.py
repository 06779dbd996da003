"""Check files on supervised worker processes, importing spaCy in one process only.

Every check runs here, one file or thousands, `--jobs 1` or more: each file is checked in a worker
of a tilint.run.pool.SupervisedPool, under the per-file time limit, so that a file that hangs or
crashes its worker costs that file alone (reported with tilint's failure, exit status 3) and the
other files' results are kept.

spaCy's own multi-process `nlp.pipe` is slower than one process for a pipeline as cheap as the
tokenizer (moving Docs between processes costs more than making them), so tilint parallelises by
file instead. And since importing spaCy costs as much as checking a few hundred pages, it is
imported once, in this process, and inherited by the workers: on Linux the workers are forked
at once, spaCy-free, and do the spaCy-free part of every file (read, find the few paragraphs that
could hold a finding, count the framing vocabulary) while a thread here loads spaCy. A file whose
paragraphs need spaCy before then comes back prepared and waits here. Once spaCy is loaded, the
workers are replaced one by one, as each finishes its queue, by workers forked from this process
as it is now, which inherit the loaded pipeline, check the waiting files and then whole files
themselves. A warm run (every file in the result cache) never loads spaCy at all. Where workers
cannot be forked they are spawned, and each loads spaCy itself when it first needs it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tilint.engine.linter import Prepared
from tilint.findings import FileResult
from tilint.run.limits import Limits, worker_count
from tilint.run.pool import Outcome, SupervisedPool, default_context
from tilint.run.single import Checked, ResultCache, finish_checked, open_path, warm_up

#: bytes of prepared files waiting here for spaCy beyond which no new file is handed out
MAX_WAITING_BYTES = 16_000_000
#: how many of the largest files tell whether a run is cold (see check_files)
COLD_SAMPLE = 4


@dataclass(frozen=True)
class CheckJob:
    """What a check does to each file: check it with `linter` through `cache`, then apply `filter`
    (inline suppressions and per-file ignores) where it was read."""

    linter: Any
    cache: ResultCache
    filter: Callable[[FileResult, bytes | None], None] | None = None
    limits: Limits = field(default_factory=Limits)
    #: the name (and so the format) of text read from standard input ("-")
    stdin_filename: str | None = None
    #: keep each file's extracted text (for --show-text)
    keep_text: bool = False


@dataclass
class CheckedFile:
    """One file's result (`path` as it was given), and its extracted text when the job keeps it."""

    path: str
    result: FileResult
    text: str | None = None


@dataclass
class _NeedsMatching:
    """A file prepared by a spaCy-free worker whose candidate paragraphs still need spaCy."""

    path: str
    prepared: Prepared
    data: bytes


@dataclass
class _Fatal:
    """The rules cannot run on the configured pipeline (a PipelineError): the run cannot go on."""

    message: str


@dataclass
class _WorkerState:
    job: CheckJob
    #: whether this worker matches paragraphs itself (spaCy loaded, or loaded on demand)
    full: bool


def _init(job: CheckJob, full: bool) -> _WorkerState:
    return _WorkerState(job, full)


def _work(state: _WorkerState, task: Any) -> CheckedFile | _NeedsMatching | _Fatal:
    """One task: a path, ("-", bytes read from standard input), or a prepared file to match."""
    from tilint.engine import PipelineError

    try:
        if isinstance(task, _NeedsMatching):
            return _finish(state.job, task.path, task.prepared, task.data)
        path, data = task if isinstance(task, tuple) else (task, None)
        return _check(state, path, data)
    except PipelineError as exc:
        return _Fatal(str(exc))


def _check(state: _WorkerState, path: str, data: bytes | None) -> CheckedFile | _NeedsMatching:
    job = state.job
    opened = open_path(path, job.cache, job.stdin_filename, job.limits.max_bytes, job.keep_text, data)
    if opened.document is None:
        return _done(job, path, opened)
    prepared = job.linter.prepare(opened.document)
    if prepared.windows and not state.full:
        return _NeedsMatching(path, prepared, opened.data or b"")
    return _finish(job, path, prepared, opened.data or b"")


def _finish(job: CheckJob, path: str, prepared: Prepared, data: bytes) -> CheckedFile:
    matches = job.linter.match(prepared)
    return _done(job, path, finish_checked(job.linter, prepared, matches, data, job.cache))


def _done(job: CheckJob, path: str, checked: Checked) -> CheckedFile:
    if job.filter is not None:
        job.filter(checked.result, checked.data)
    text = checked.document.text if job.keep_text and checked.document is not None else None
    return CheckedFile(path, checked.result, text)


class _SpacyLoader:
    """Loads spaCy (and warms the matchers up) in a thread of this process, once."""

    def __init__(self, linter) -> None:
        self.linter = linter
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._load, name="tilint-load-spacy", daemon=True)
            self.thread.start()

    def _load(self) -> None:
        try:
            warm_up(self.linter)
        except BaseException as exc:  # raised again in the main thread
            self.error = exc

    @property
    def loading(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    @property
    def loaded(self) -> bool:
        return self.thread is not None and not self.thread.is_alive()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def check_files(job: CheckJob, paths: list[str], jobs: int = 0) -> Iterator[CheckedFile]:
    """Check `paths` ("-" is standard input) on `jobs` workers (0: one per core when there are
    enough files); yields each file as it is done, not necessarily in the order of `paths`.
    Raises PipelineError when the rules cannot run on the configured pipeline."""
    if not paths:
        return
    run = _Run(job, paths, worker_count(jobs, len(paths)))
    yield from run.results()


class _Run:
    """One check_files call: the pool, the spaCy loader, and the files waiting for it."""

    def __init__(self, job: CheckJob, paths: list[str], workers: int) -> None:
        self.job, self.paths, self.workers = job, paths, workers
        self.context = default_context()
        forks = self.context.get_start_method() == "fork"
        #: forked workers start spaCy-free unless this process already has spaCy loaded
        self.full = not forks or job.linter.matcher.loaded
        self.loader = _SpacyLoader(job.linter)
        self.waiting = 0  # bytes of prepared files held for spaCy
        self.pool: SupervisedPool | None = None

    def _tasks(self) -> Iterator[Any]:
        # Largest files first, so one big file does not start last and hold up the end of the run.
        for path in sorted(self.paths, key=lambda p: -_size(p) if p != "-" else 0):
            yield ("-", sys.stdin.buffer.read()) if path == "-" else path

    def _cold(self) -> bool:
        """Whether the largest files are missing from the cache, so the run will match paragraphs."""
        largest = sorted((p for p in self.paths if p != "-"), key=_size, reverse=True)[:COLD_SAMPLE]
        return not largest or not any(self.job.cache.knows(path, self.job.limits.max_bytes) for path in largest)

    def results(self) -> Iterator[CheckedFile]:
        timeout = self.job.limits.file_timeout
        with SupervisedPool(self.workers, _init, (self.job, self.full), _work, timeout=timeout,
                            context=self.context) as pool:
            self.pool = pool
            if not self.full and self._cold():
                self._load_spacy()
            for outcome in pool.imap_unordered(self._tasks(), tick=self._upgrade_when_loaded):
                done = self._handle(outcome)
                if done is not None:
                    yield done
                self._upgrade_when_loaded()

    def _load_spacy(self) -> None:
        """Start loading spaCy here; no worker is forked until it is loaded (fork would copy the
        loading thread half-way)."""
        if self.loader.thread is None:
            self.pool.forking = False
            self.loader.start()

    def _upgrade_when_loaded(self) -> None:
        """Once spaCy is loaded: later workers are forked with it, and the held files go to them."""
        if self.full or not self.loader.loaded:
            return
        if self.loader.error is not None:
            raise self.loader.error
        self.full = True
        self.pool.forking = True
        self.pool.refresh((self.job, True))
        self.pool.release()
        self.pool.paused = False
        self.waiting = 0

    def _handle(self, outcome: Outcome) -> CheckedFile | None:
        from tilint.engine import PipelineError

        if not outcome.ok:
            path = outcome.task.path if isinstance(outcome.task, _NeedsMatching) else _task_path(outcome.task)
            shown = (self.job.stdin_filename or "-") if path == "-" else path
            return CheckedFile(path, FileResult(path=shown, error=outcome.error, failure=outcome.failure))
        value = outcome.value
        if isinstance(value, _Fatal):
            raise PipelineError(value.message)
        if isinstance(value, _NeedsMatching):
            if self.full:  # spaCy was loaded while this file was being prepared
                self.pool.push(value)
            else:
                self.pool.hold(value)
                self.waiting += len(value.data)
                self.pool.paused = self.waiting > MAX_WAITING_BYTES
                self._load_spacy()
            return None
        return value


def _task_path(task: Any) -> str:
    return task[0] if isinstance(task, tuple) else task


def _same(state: Any) -> Any:
    return state


def run_tasks(
    func: Callable[[Any, Any], Any],
    state: Any,
    tasks: list[Any],
    jobs: int = 0,
    timeout: float | None = None,
    warm: Any = None,
) -> Iterator[Outcome]:
    """`func(state, task)` for each task on supervised workers, each under the `timeout`; yields
    each Outcome as it arrives (a command's own work, such as fix's plans, run like check's).

    With several forked workers, the linter `warm` is loaded here first, so that they inherit
    spaCy instead of each importing it; a single worker loads it itself if it needs it.
    """
    if not tasks:
        return
    workers = worker_count(jobs, len(tasks))
    context = default_context()
    if warm is not None and workers > 1 and context.get_start_method() == "fork":
        warm_up(warm)
    with SupervisedPool(workers, _same, (state,), func, timeout=timeout, context=context) as pool:
        yield from pool.imap_unordered(tasks)
