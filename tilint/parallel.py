"""Check many files on several cores: one process per core, each with its own Linter.

spaCy's own multi-process `nlp.pipe` is slower than one process for a pipeline as cheap as the
tokenizer (moving Docs between processes costs more than making them), so tilint parallelises by
file instead. Workers are forked before spaCy is imported and build their Linter once, from the
compiled-rules cache.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from tilint.findings import FileResult
from tilint.pipeline import ResultCache, check_path

#: below this many files, starting workers costs more than it saves
MIN_FILES_PER_WORKER = 16

_WORKER: dict[str, Any] = {}


def auto_jobs(files: int, requested: int) -> int:
    """`requested` if given; otherwise as many workers as cores, when there is enough to share."""
    if requested > 0:
        return requested
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, files // MIN_FILES_PER_WORKER))


def _start(linter_args: dict[str, Any], cache_enabled: bool, max_bytes: int, post: Callable | None) -> None:
    from tilint.engine import Linter

    linter = Linter(**linter_args)
    _WORKER.update(linter=linter, cache=ResultCache(linter, enabled=cache_enabled), max_bytes=max_bytes, post=post)


def _check_one(path: str) -> FileResult:
    checked = check_path(_WORKER["linter"], path, _WORKER["cache"], None, _WORKER["max_bytes"])
    if _WORKER["post"] is not None:
        _WORKER["post"](checked)
    return checked.result


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def check_in_parallel(
    paths: list[str],
    jobs: int,
    linter_args: dict[str, Any],
    cache_enabled: bool,
    max_bytes: int,
    post: Callable | None = None,
) -> list[FileResult]:
    """Results in the order of `paths`. `post(checked)` runs in the worker after each file.

    If a worker dies (a reader crashing the interpreter), the files it had not finished are checked
    again one by one in this process, so a run never loses files.
    """
    results: dict[str, FileResult] = {}
    # Largest files first, so one big file does not start last and hold up the end of the run.
    order = sorted(paths, key=_size, reverse=True)
    try:
        start_args = (linter_args, cache_enabled, max_bytes, post)
        with ProcessPoolExecutor(jobs, initializer=_start, initargs=start_args) as pool:
            chunk = max(1, min(8, len(paths) // (jobs * 8) or 1))
            for path, result in zip(order, pool.map(_check_one, order, chunksize=chunk), strict=False):
                results[path] = result
    except BrokenProcessPool:
        pass
    missing = [p for p in paths if p not in results]
    if missing:
        _start(linter_args, cache_enabled, max_bytes, post)
        for path in missing:
            results[path] = _check_one(path)
    return [results[p] for p in paths]
