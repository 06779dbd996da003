"""What one worker does: build its Linter once, then check file after file.

The same two functions serve the local process pool and Dask workers, which is why the findings of
`--jobs 1`, `--jobs N` and `--dask` are identical: they run the same code on the same rule set.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tilint.audit.outputs import prepare_row
from tilint.findings import FileResult, Finding
from tilint.ruleset import RuleSet
from tilint.run.single import DEFAULT_MAX_BYTES

#: characters of context kept either side of a phrase: enough to read it, bounded for a huge line
CONTEXT_CHARS = 100


@dataclass(frozen=True)
class WorkerSettings:
    """Everything a worker needs, picklable so it can travel to a spawned or remote process.

    The rule set travels as loaded (not as file names), so workers on another machine need no rule
    files and every worker checks against exactly the rules the parent validated.
    """

    ruleset: RuleSet
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    model: str | None = None
    use_cache: bool = True
    #: the result cache folder; None means the worker's own default (a remote Dask worker)
    cache_folder: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


#: warmed-up Linters by settings, built at most once per process. The parent builds one before the
#: workers fork when files need analysis, and forked workers inherit it: spaCy and the compiled
#: matchers (hundreds of MB for the full rule set) are then loaded once and their memory shared,
#: instead of once per worker and again in every replacement worker.
_WARM: dict[tuple, Any] = {}


def _key(settings: WorkerSettings) -> tuple:
    return (settings.ruleset.digest, settings.select, settings.ignore, settings.model, settings.use_cache)


def build_linter(settings: WorkerSettings, warm: bool = False):
    """A Linter for these settings; `warm` loads spaCy and the matchers now.

    Otherwise spaCy is loaded on the first file that needs it, so an audit whose files all come
    from the cache or the journal never loads it at all.
    """
    from tilint.engine import Linter

    if _key(settings) in _WARM:
        return _WARM[_key(settings)]
    linter = Linter(
        settings.ruleset,
        select=list(settings.select) if settings.select else None,
        ignore=list(settings.ignore) if settings.ignore else None,
        model=settings.model,
        use_cache=settings.use_cache,
    )
    if warm:
        warm_up(linter)
        _WARM.clear()  # keep only the latest: a long-running process may audit with many settings
        _WARM[_key(settings)] = linter
    return linter


@dataclass
class WorkerState:
    linter: Any
    cache: Any
    settings: WorkerSettings
    #: the rule set's trauma-informed principles, in the order of documents.csv's columns
    principles: list[str]
    #: rendered rows by path and content (tilint.audit.rowcache), so a warm file is not rendered again
    rows: Any


def init_state(settings: WorkerSettings) -> WorkerState:
    """Build the worker's Linter and cache, once per worker process, never per file."""
    from tilint.audit.rowcache import RowCache
    from tilint.run.single import ResultCache

    linter = build_linter(settings)
    folder = Path(settings.cache_folder) if settings.cache_folder else None
    cache = ResultCache(linter, enabled=settings.use_cache, folder=folder)
    principles = list(settings.ruleset.framing.principles)
    return WorkerState(linter, cache, settings, principles, RowCache(cache))


def warm_up(linter) -> None:
    """Load the spaCy pipeline and matchers by checking one phrase, so a bad --model fails at once."""
    from tilint.document import Document

    if not linter.anchors:
        return
    linter.check(Document(path="<warm-up>", text=min(linter.anchors)))


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
        checked = check_path(state.linter, path, state.cache, max_bytes=state.settings.max_bytes)
    except PipelineError as exc:  # the configuration, not this file: the audit cannot go on
        return {"path": path, "status": "fatal", "error": str(exc)}
    result: FileResult = checked.result
    for finding in result.findings:
        trim_context(finding)
    sha = content_hash(checked.data) if checked.data is not None and not result.error else None
    seconds = round(time.perf_counter() - started, 4)
    # rendered here, in parallel, rather than in the parent, which handles every file in turn
    row = prepare_row(path, result_dict(result), sha, state.principles)
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
