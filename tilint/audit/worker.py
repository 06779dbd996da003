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

from tilint.findings import FileResult, Finding
from tilint.pipeline import DEFAULT_MAX_BYTES
from tilint.ruleset import RuleSet

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


def init_state(settings: WorkerSettings) -> WorkerState:
    """Build the worker's Linter and cache, once per worker process, never per file."""
    from tilint.pipeline import ResultCache

    linter = build_linter(settings)
    folder = Path(settings.cache_folder) if settings.cache_folder else None
    cache = ResultCache(linter, enabled=settings.use_cache, folder=folder)
    return WorkerState(linter, cache, settings)


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
    analysed: that is how an interrupted audit resumes.
    """
    from tilint.engine import PipelineError
    from tilint.pipeline import check_path

    path, known = task
    started = time.perf_counter()
    if known is not None:
        try:
            file = Path(path)
            if file.stat().st_size <= state.settings.max_bytes and content_hash(file.read_bytes()) == known:
                return {"path": path, "status": "unchanged"}
        except OSError:
            pass  # check_path below reports the problem as this file's error
    try:
        checked = check_path(state.linter, path, state.cache, max_bytes=state.settings.max_bytes)
    except PipelineError as exc:  # the configuration, not this file: the audit cannot go on
        return {"path": path, "status": "fatal", "error": str(exc)}
    result: FileResult = checked.result
    for finding in result.findings:
        trim_context(finding)
    sha = content_hash(checked.data) if checked.data is not None and not result.error else None
    return {
        "path": path,
        "status": "checked",
        "sha256": sha,
        "from_cache": checked.from_cache,
        "seconds": round(time.perf_counter() - started, 4),
        "result": result_dict(result),
    }


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
