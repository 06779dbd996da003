"""Check many files on several cores, importing spaCy in one process only.

spaCy's own multi-process `nlp.pipe` is slower than one process for a pipeline as cheap as the
tokenizer (moving Docs between processes costs more than making them), so tilint parallelises by
file instead. And since importing spaCy costs as much as checking a few hundred pages, only the
parent process imports it: the workers do the spaCy-free part of every file (read, find the few
paragraphs that could hold a finding, count the framing vocabulary) and hand the files that have
such paragraphs to the parent, which loads spaCy while the workers are still reading and matches
those paragraphs. The files still waiting when the workers are done are shared between the parent
and helpers forked from it then, which inherit the loaded spaCy instead of importing it again.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from tilint.engine.linter import Prepared
from tilint.findings import FileResult
from tilint.run.limits import Limits, worker_count
from tilint.run.single import Checked, ResultCache, check_path, finish_checked, open_path

#: memory bounds for very large runs (see check_in_parallel): bytes of files handed to the workers
#: and not yet done, and of those, bytes waiting in the parent to be matched
MAX_HELD_BYTES = 64_000_000
MAX_WAITING_BYTES = 16_000_000
#: how many of the largest files tell whether a run is cold (see check_in_parallel)
COLD_SAMPLE = 4
#: files per task: large enough to keep the queue cheap, small enough that the parent gets its
#: first files to match early and no worker is left with a long tail
MAX_CHUNK = 8

_WORKER: dict[str, Any] = {}


@dataclass
class _NeedsMatching:
    """A file prepared in a worker whose candidate paragraphs still need spaCy."""

    prepared: Prepared
    data: bytes


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


def auto_jobs(files: int, requested: int) -> int:
    return worker_count(requested, files)


def check_files(job: CheckJob, paths: list[str], jobs: int = 0) -> Iterator[CheckedFile]:
    """Check `paths` ("-" is standard input) on `jobs` workers (0: one per core when there are
    enough files); yields each file as it is done, not necessarily in the order of `paths`.
    Raises PipelineError when the rules cannot run on the configured pipeline."""
    workers = 1 if job.keep_text or "-" in paths else worker_count(jobs, len(paths))
    post = (lambda checked: job.filter(checked.result, checked.data)) if job.filter is not None else None
    if workers > 1:
        results = check_in_parallel(paths, workers, job.linter, job.cache, job.limits.max_bytes, job.filter)
        for path, result in zip(paths, results, strict=True):
            yield CheckedFile(path, result)
        return
    for path in paths:
        checked = check_path(job.linter, path, job.cache, job.stdin_filename, job.limits.max_bytes,
                             need_document=job.keep_text)
        if post is not None:
            post(checked)
        text = checked.document.text if job.keep_text and checked.document is not None else None
        yield CheckedFile(path, checked.result, text)


def _start(linter, cache: ResultCache, max_bytes: int, post: Callable | None) -> None:
    _WORKER.update(linter=linter, cache=cache, max_bytes=max_bytes, post=post)


def _prepare_one(path: str) -> FileResult | _NeedsMatching:
    linter, cache, post = _WORKER["linter"], _WORKER["cache"], _WORKER["post"]
    checked = open_path(path, cache, None, _WORKER["max_bytes"])
    if checked.document is not None:
        prepared = linter.prepare(checked.document)
        if prepared.windows:
            return _NeedsMatching(prepared, checked.data or b"")
        checked = finish_checked(linter, prepared, [], checked.data or b"", cache)
    return _posted(checked, post)


def _check_one(path: str) -> FileResult:
    checked = check_path(_WORKER["linter"], path, _WORKER["cache"], None, _WORKER["max_bytes"])
    return _posted(checked, _WORKER["post"])


def _posted(checked: Checked, post: Callable[[FileResult, bytes | None], None] | None) -> FileResult:
    """The file's result once `post` (suppressions, per-file ignores) has run on it."""
    if post is not None:
        post(checked.result, checked.data)
    return checked.result


def _prepare_chunk(paths: list[str], match_here: bool = False) -> list[FileResult | _NeedsMatching]:
    """Prepare these files for the parent to match, or (`match_here`) check them right here."""
    return [_check_one(path) if match_here else _prepare_one(path) for path in paths]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def check_in_parallel(
    paths: list[str],
    jobs: int,
    linter,
    cache: ResultCache,
    max_bytes: int,
    post: Callable[[FileResult, bytes | None], None] | None = None,
) -> list[FileResult]:
    """Results in the order of `paths`. `post(result, data)` runs once per file after it is checked.

    `linter` does the matching here and the preparing in the workers (which inherit it when forked,
    or receive a pickled copy). Memory stays bounded on very large runs: files are handed out
    while less than MAX_HELD_BYTES of them are unfinished, and once more than MAX_WAITING_BYTES
    wait here to be matched, the workers check their next files themselves. If a worker dies (a
    reader crashing the interpreter), the files it had not finished are checked again one by one
    in this process, so a run never loses files. A PipelineError (the rules cannot run on the
    configured pipeline) is raised here, in the caller.
    """
    results: dict[str, FileResult] = {}
    backlog: deque[tuple[str, _NeedsMatching]] = deque()
    sizes = {path: _size(path) for path in paths}
    queue = deque(_chunks(paths, jobs, sizes))
    # A run whose largest files are not in the cache will match paragraphs: load spaCy at once,
    # while the workers read, instead of when the first of them is ready. (A warm run never
    # loads it.)
    cold = not any(cache.knows(chunk[0], max_bytes) for chunk in list(queue)[:COLD_SAMPLE])
    held = waiting = 0  # bytes of files handed out and not yet done; of those, waiting here
    try:
        start_args = (linter, cache, max_bytes, post)
        with ProcessPoolExecutor(jobs, initializer=_start, initargs=start_args) as pool:
            tasks: dict[Any, list[str]] = {}
            running: set[Any] = set()

            def hand_out() -> None:
                """Give the workers files while what is held stays under the bound; once too much
                waits here to be matched, they check their files themselves (loading spaCy too)."""
                nonlocal held
                while queue and (not running or held < MAX_HELD_BYTES):
                    chunk = queue.popleft()
                    task = pool.submit(_prepare_chunk, chunk, waiting > MAX_WAITING_BYTES)
                    tasks[task] = chunk
                    running.add(task)
                    held += sum(sizes[path] for path in chunk)

            try:
                hand_out()
                if cold:
                    linter.load_spacy()
                while running or queue:
                    # Collect what the workers finished; between their results, match files
                    # (the first one loads spaCy here while the workers go on reading).
                    if running:
                        done, still = wait(running, timeout=0 if backlog else None, return_when=FIRST_COMPLETED)
                        running.intersection_update(still)
                        for task in done:
                            for path, outcome in zip(tasks.pop(task), task.result(), strict=True):
                                if isinstance(outcome, _NeedsMatching):
                                    backlog.append((path, outcome))
                                    waiting += sizes[path]
                                else:
                                    results[path] = outcome
                                    held -= sizes[path]
                    if backlog and (running or queue):
                        path, outcome = backlog.popleft()
                        results[path] = _matched(linter, outcome, cache, post)
                        held -= sizes[path]
                        waiting -= sizes[path]
                    hand_out()
            except BaseException:
                # A failure here (or Ctrl-C) ends the run: do not wait for the rest of the files.
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    except BrokenProcessPool:
        pass
    results.update(_match_backlog(linter, list(backlog), jobs, cache, post))
    for path in paths:
        if path not in results:
            results[path] = _posted(check_path(linter, path, cache, None, max_bytes), post)
    return [results[p] for p in paths]


def _chunks(paths: list[str], jobs: int, sizes: dict[str, int]) -> list[list[str]]:
    """Largest files first, so one big file does not start last and hold up the end of the run;
    the first tasks hold one file each, so the parent soon has a file to match."""
    order = sorted(paths, key=sizes.__getitem__, reverse=True)
    size = max(1, min(MAX_CHUNK, len(paths) // (jobs * 8) or 1))
    head = min(len(order), 2 * jobs)
    return [[path] for path in order[:head]] + [order[i : i + size] for i in range(head, len(order), size)]


def _matched(linter, outcome: _NeedsMatching, cache: ResultCache, post: Callable | None) -> FileResult:
    checked = finish_checked(linter, outcome.prepared, linter.match(outcome.prepared), outcome.data, cache)
    return _posted(checked, post)


#: below this much paragraph text left to match, forking helpers costs more than it saves
MIN_SHARED_MATCHING = 20_000

_BACKLOG: dict[str, Any] = {}
#: fork is safe to use after loading spaCy on Linux; macOS's system libraries are not fork-safe
#: once initialised, and Windows has no fork
_CAN_FORK = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _match_backlog(
    linter, backlog: list[tuple[str, _NeedsMatching]], jobs: int, cache: ResultCache, post: Callable | None
) -> dict[str, FileResult]:
    """Match the files still waiting when the workers are done, on every core.

    The helpers are forked from this process after it has loaded spaCy, so they start with it
    for free, and this process takes a share too; where forking is not safe, it matches them
    alone.
    """
    costs = [sum(w.end - w.start for w in outcome.prepared.windows) for _, outcome in backlog]
    if jobs < 2 or sum(costs) < MIN_SHARED_MATCHING or not _CAN_FORK:
        return {path: _matched(linter, outcome, cache, post) for path, outcome in backlog}
    # Largest first, each onto the share with the least text so far, so the shares end together.
    shares: list[list[int]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for index in sorted(range(len(backlog)), key=costs.__getitem__, reverse=True):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += costs[index]
    _BACKLOG.update(linter=linter, files=backlog, cache=cache, post=post)
    results: dict[str, FileResult] = {}
    try:
        with ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            helping = [(share, pool.submit(_match_share, share)) for share in shares[1:]]
            for share, matched in [(shares[0], _match_share(shares[0])), *((s, f.result()) for s, f in helping)]:
                for index, result in zip(share, matched, strict=True):
                    results[backlog[index][0]] = result
    except BrokenProcessPool:
        pass
    finally:
        _BACKLOG.clear()
    for path, outcome in backlog:
        if path not in results:
            results[path] = _matched(linter, outcome, cache, post)
    return results


def _match_share(indexes: list[int]) -> list[FileResult]:
    linter, files = _BACKLOG["linter"], _BACKLOG["files"]
    return [_matched(linter, files[i][1], _BACKLOG["cache"], _BACKLOG["post"]) for i in indexes]
