"""What one worker does: build its Linter once, then check file after file.

The same two functions serve the local process pool and Dask workers, which is why the findings of
`--jobs 1`, `--jobs N` and `--dask` are identical: they run the same code on the same rule set.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilint.audit.grouping import Grouping
from tilint.audit.outputs import RowContext, prepare_row
from tilint.findings import FileResult, Finding
from tilint.run.single import DEFAULT_MAX_BYTES

#: characters of context kept either side of a phrase: enough to read it, bounded for a huge line
CONTEXT_CHARS = 100


@dataclass(frozen=True)
class WorkerSettings:
    """Everything a worker needs, picklable so it can travel to a spawned or remote process.

    The linter travels as built (its rule set, selection and severities; without spaCy, which a
    copy loads again when it first matches), so workers on another machine need no rule files and
    every worker checks against exactly the rules the parent validated. A forked worker inherits
    the parent's linter itself, with spaCy already loaded when the parent warmed it up.
    """

    linter: Any
    #: inline suppressions and per-file ignores (tilint.filters.postprocess.FindingFilter)
    filter: Any = None
    use_cache: bool = True
    #: the result cache folder; None means the worker's own default (a remote Dask worker)
    cache_folder: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    #: how documents are put in departments (rendered into each row)
    grouping: Grouping = field(default_factory=Grouping)


@dataclass
class WorkerState:
    linter: Any
    cache: Any
    settings: WorkerSettings
    #: what rendering a row needs: principles (documents.csv's columns), labelling rules, grouping
    context: RowContext
    #: rendered rows by path and content (tilint.audit.rowcache), so a warm file is not rendered again
    rows: Any


def init_state(settings: WorkerSettings) -> WorkerState:
    """Build the worker's Linter and cache, once per worker process, never per file."""
    from tilint.audit.rowcache import RowCache
    from tilint.run.single import ResultCache

    linter = settings.linter
    folder = Path(settings.cache_folder) if settings.cache_folder else None
    cache = ResultCache(linter, enabled=settings.use_cache, folder=folder)
    context = RowContext.of(linter.ruleset, settings.grouping)
    variant = settings.filter.digest if settings.filter is not None else ""
    variant = f"{variant}-{settings.grouping.digest}" if variant else settings.grouping.digest
    return WorkerState(linter, cache, settings, context, RowCache(cache, variant))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def trim_context(finding: Finding, width: int = CONTEXT_CHARS) -> None:
    """Cut a finding's context line to `width` characters either side of the phrase, at spaces."""
    context, column = finding.context, finding.context_column
    if context is None or column is None or len(context) <= 2 * width + len(finding.text):
        return
    start = column - 1
    end = min(len(context), start + len(finding.text))
    low, high = max(0, start - width), min(len(context), end + width)
    if low > 0:
        space = context.find(" ", low, start)
        low = space + 1 if space != -1 else low
    if high < len(context):
        space = context.rfind(" ", end, high)
        high = space if space != -1 else high
    prefix = "\u2026" if low > 0 else ""
    suffix = "\u2026" if high < len(context) else ""
    finding.context = prefix + context[low:high] + suffix
    finding.context_column = start - low + 1 + len(prefix)


def process(state: WorkerState, task: tuple[str, str | None]) -> dict[str, Any]:
    """Check one file. `task` is (path, content hash from an earlier run of the audit or None).

    When the file still has that hash its earlier result stands ("unchanged"), and nothing is
    analysed: that is how an interrupted audit resumes. A file some earlier audit saw with the same
    content comes back with its rendered row from the row cache; any other file is checked (through
    the result cache) and its row rendered here.
    """
    from tilint.audit.facts import document_facts, read_facts
    from tilint.engine import PipelineError
    from tilint.run.single import check_path

    path, known = task
    started = time.perf_counter()
    data = _read(path, state.settings.max_bytes)
    if data is not None:
        sha = content_hash(data)
        if sha == known:
            return {"path": path, "status": "unchanged"}
        row = state.rows.get(path, data)
        if row is not None:
            seconds = round(time.perf_counter() - started, 4)
            return {
                "path": path,
                "status": "checked",
                "sha256": sha,
                "from_cache": True,
                "seconds": seconds,
                "row": row,
            }
    try:
        checked = check_path(state.linter, path, state.cache, max_bytes=state.settings.max_bytes, data=data)
    except PipelineError as exc:  # the configuration, not this file: the audit cannot go on
        return {"path": path, "status": "fatal", "error": str(exc)}
    result: FileResult = checked.result
    if state.settings.filter is not None:  # suppressions and per-file ignores, as check applies them
        state.settings.filter(result, checked.data)
    for finding in result.findings:
        trim_context(finding)
    sha = content_hash(checked.data) if checked.data is not None and not result.error else None
    seconds = round(time.perf_counter() - started, 4)
    if result.error:
        facts = document_facts(path, None)
    elif checked.document is not None:
        facts = document_facts(path, checked.document)
    else:  # from the result cache: read again for the date and sketch (the row cache spares this next time)
        facts = read_facts(path, checked.data)
    # rendered here, in parallel, rather than in the parent, which handles every file in turn
    row = prepare_row(path, result_dict(result), sha, state.context, facts)
    if sha is not None:
        state.rows.put(path, checked.data, row)
    return {
        "path": path,
        "status": "checked",
        "sha256": sha,
        "from_cache": checked.from_cache,
        "seconds": seconds,
        "row": row,
    }


def _read(path: str, max_bytes: int) -> bytes | None:
    """The file's bytes, or None when it is too large or cannot be read (check_path then says why)."""
    try:
        file = Path(path)
        if file.stat().st_size > max_bytes:
            return None
        return file.read_bytes()
    except OSError:
        return None


def result_dict(result: FileResult) -> dict[str, Any]:
    """FileResult.to_cache() without dataclasses.asdict's deep copy, which cost more than a
    cache hit itself; the same keys, so FileResult.from_cache reads it back."""
    return {
        "path": result.path,
        "format": result.format,
        "words": result.words,
        "error": result.error,
        "document": result.document,
        "findings": [dict(vars(finding)) for finding in result.findings],
    }
