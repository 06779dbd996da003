"""Run an audit: files -> workers (local pool or Dask) -> journal -> outputs.

The parent process validates the rules and the spaCy pipeline once, walks the folders lazily, hands
each file to a worker with the content hash an earlier run recorded for it, and writes every result
to the journal as it arrives. Nothing about a bad file stops the run: a read error, a crash or a
timeout becomes that file's error. When every file is done the outputs are written from the journal.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from tilint.audit.grouping import Grouping
from tilint.audit.journal import Journal, JournalBusy
from tilint.audit.outputs import RowContext, prepare_row
from tilint.audit.progress import Progress
from tilint.audit.targets import iter_targets
from tilint.audit.worker import WorkerSettings, init_state, process
from tilint.findings import FileResult
from tilint.ruleset import RuleSet
from tilint.run.discovery import mark_output_folder
from tilint.run.limits import DEFAULT_FILE_TIMEOUT, worker_count
from tilint.run.pool import Outcome, SupervisedPool, WorkerInitError
from tilint.run.settings import RunOptions, RunSettings, configure
from tilint.run.single import DEFAULT_MAX_BYTES, warm_up

DEFAULT_TIMEOUT = DEFAULT_FILE_TIMEOUT
DEFAULT_SECTIONS = 200
DEFAULT_SNIPPETS = 5


class AuditError(Exception):
    """The audit cannot run at all (a spaCy pipeline that will not load, no Dask): a usage error."""


class AuditInterrupted(Exception):
    """Stopped (Ctrl-C) before every file was checked; the journal keeps what was done."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"interrupted after {done} of {total} files")
        self.done, self.total = done, total


@dataclass
class AuditConfig:
    """What to audit and how. `settings` is the configured run every command shares (rules,
    selection, severities, excludes, per-file ignores, suppressions; tilint.run.settings); without
    it, one is built from `ruleset`, `select`, `ignore`, `model` and `exclude` alone, with no
    configuration file."""

    paths: list[str]
    out: Path
    ruleset: RuleSet | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    model: str | None = None
    settings: RunSettings | None = None
    jobs: int | None = None
    #: None: local processes; "local": a Dask LocalCluster; otherwise a scheduler address
    dask: str | None = None
    #: gitignore-style patterns relative to each PATH (tilint.run.discovery)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    use_cache: bool = True
    file_timeout: float | None = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_sections: int = DEFAULT_SECTIONS
    snippets: int = DEFAULT_SNIPPETS
    #: "auto" (a bar on a terminal, lines otherwise), "bar", "lines" or "none"
    progress: str = "auto"
    progress_stream: TextIO | None = None
    #: called after each file's outcome is recorded (a hook for embedding and for tests)
    on_outcome: Callable[[Outcome], None] | None = None
    #: how documents are put in departments; None: by top-level folder under each PATH
    grouping: Grouping | None = None
    #: the CSV files' encoding: "utf-8-sig" (with a byte-order mark, for Excel) or "utf-8"
    csv_encoding: str = "utf-8-sig"
    #: an earlier audit's output folder to compare this one with
    compare: Path | None = None


@dataclass
class AuditRun:
    out: Path
    summary: dict[str, Any]
    counts: Counter = field(default_factory=Counter)

    @property
    def report(self) -> Path:
        return self.out / "report.html"


def run_audit(config: AuditConfig) -> AuditRun:
    """Audit `config.paths` into `config.out`; raises AuditError or AuditInterrupted."""
    from tilint.cachedir import cache_dir
    from tilint.engine import PipelineError
    from tilint.run.single import ResultCache

    started = time.monotonic()
    previous = None
    if config.compare is not None:  # read before any work: a folder that is no audit is a usage error
        from tilint.audit.compare import CompareError, load_previous

        try:
            previous = load_previous(Path(config.compare))
        except CompareError as exc:
            raise AuditError(str(exc)) from None
    run_settings = config.settings or _settings(config)
    config = replace(config, settings=run_settings, ruleset=run_settings.ruleset)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    mark_output_folder(out)
    linter, finding_filter = run_settings.linter, run_settings.finding_filter()
    grouping = config.grouping or Grouping(roots=tuple(config.paths))
    settings = WorkerSettings(
        linter=linter,
        filter=finding_filter,
        use_cache=config.use_cache,
        cache_folder=None if config.dask not in (None, "local") else str(cache_dir()),
        max_bytes=config.max_bytes,
        grouping=grouping,
    )
    if linter.model is not None:  # a --model that cannot load is a usage error, found here, before any work
        try:
            warm_up(linter)
        except PipelineError as exc:
            raise AuditError(str(exc)) from None
    cache = ResultCache(linter, enabled=config.use_cache)
    selection = run_settings.selection(include=tuple(config.include))

    def targets() -> Iterator[str]:
        return iter_targets(config.paths, selection, skip_folder=out)

    total = sum(1 for _ in targets())
    jobs = worker_count(config.jobs or 0, total)
    namespace = f"{cache.namespace}-{finding_filter.digest}"
    try:
        # the rows carry each document's department, so another grouping starts the journal afresh
        journal = Journal(out, f"{namespace}-{grouping.digest}|{config.max_bytes}", resume=config.use_cache)
    except JournalBusy as exc:
        raise AuditError(str(exc)) from None
    if config.dask is None and linter.model is None and _needs_analysis(targets(), journal, cache, config.max_bytes):
        # Load spaCy once here, before the workers fork, rather than once in every worker (and
        # again in every replacement): they inherit it, and share its memory.
        warm_up(linter)
    counts: Counter = Counter()
    context = RowContext.of(run_settings.ruleset, grouping)

    def tasks() -> Iterator[tuple[str, str | None]]:
        for path in targets():
            yield path, journal.known_hash(path)

    try:
        with Progress(total, config.progress, config.progress_stream) as progress:
            for outcome in _outcomes(config, settings, namespace, jobs, total, tasks(), progress.tick):
                kind = _record(journal, outcome, context)
                counts[kind] += 1
                progress.advance(error=kind in ("unreadable", "failed"), cached=kind in ("resumed", "from_cache"))
                if config.on_outcome is not None:
                    config.on_outcome(outcome)
    except KeyboardInterrupt:
        journal.close()
        raise AuditInterrupted(sum(counts.values()), total) from None
    except BaseException:
        journal.close()
        raise
    journal.finish()
    try:
        summary = write_outputs(journal, config, counts, jobs, started, grouping=grouping, previous=previous)
    finally:
        journal.close()
    return AuditRun(out=out, summary=summary, counts=counts)


def _settings(config: AuditConfig) -> RunSettings:
    """The settings of an audit configured from Python with a rule set and options alone."""
    from tilint.ruleset import load_ruleset

    options = RunOptions(
        select=tuple(config.select or ()), ignore=tuple(config.ignore or ()), model=config.model,
        no_config=True, exclude=tuple(config.exclude),
    )
    return configure(options, ruleset=config.ruleset or load_ruleset())


def _needs_analysis(paths: Iterator[str], journal: Journal, cache, max_bytes: int, sample: int = 16) -> bool:
    """Whether some of the first files are neither in the journal nor in the cache (a cold run)."""
    from itertools import islice

    from tilint.audit.worker import content_hash

    for path in islice(paths, sample):
        try:
            file = Path(path)
            if file.stat().st_size > max_bytes:
                continue
            data = file.read_bytes()
        except OSError:
            continue
        if journal.known_hash(path) == content_hash(data):
            continue
        if cache.get(path, data) is None:
            return True
    return False


def _outcomes(
    config: AuditConfig,
    settings: WorkerSettings,
    namespace: str,
    jobs: int,
    total: int,
    tasks: Iterator[tuple[str, str | None]],
    tick: Callable[[], None],
) -> Iterator[Outcome]:
    """Each file's outcome from the workers: local processes or Dask, the same interface."""
    from tilint.run.dask import DaskPool, DaskUnavailable

    if config.dask is not None:
        pool = DaskPool(config.dask, jobs, init_state, (settings,), process, timeout=config.file_timeout,
                        name=f"tilint-audit-{namespace}")
    else:
        pool = SupervisedPool(jobs, init_state, (settings,), process, timeout=config.file_timeout)
    try:
        with pool:
            yield from pool.imap_unordered(tasks, tick=tick)
    except WorkerInitError as exc:
        raise AuditError(f"a worker could not start: {exc}") from None
    except DaskUnavailable as exc:
        raise AuditError(str(exc)) from None


def _record(journal: Journal, outcome: Outcome, context: RowContext) -> str:
    """Store one outcome; returns what kind it was (for the counts in the summary)."""
    path = outcome.task[0]
    if not outcome.ok:
        from tilint.audit.facts import document_facts

        failed = FileResult(path=path, error=outcome.error).to_cache()
        journal.record(path, prepare_row(path, failed, None, context, document_facts(path, None)), None, False, 0.0)
        return "failed"
    value = outcome.value
    if value["status"] == "fatal":
        raise AuditError(value["error"])
    if value["status"] == "unchanged":
        journal.mark_seen(path)
        return "resumed"
    journal.record(path, value["row"], value["sha256"], value["from_cache"], value["seconds"])
    if value["row"]["error"]:
        return "unreadable"
    return "from_cache" if value["from_cache"] else "analysed"


def write_outputs(
    journal: Journal,
    config: AuditConfig,
    counts: Counter,
    jobs: int,
    started: float,
    interrupted: bool = False,
    grouping: Grouping | None = None,
    previous: Any = None,
) -> dict[str, Any]:
    from tilint.audit.outputs import build_summary, write_summary, write_summary_tables, write_tables
    from tilint.audit.report_html import write_report
    from tilint.audit.workbook import write_findings_workbook

    out = Path(config.out)
    grouping = grouping or Grouping(roots=tuple(config.paths))
    totals = write_tables(journal, config.ruleset, out, config.csv_encoding)
    write_summary_tables(totals, config.ruleset, out, config.csv_encoding)
    comparison = None
    if previous is not None:
        from tilint.audit.compare import compare, write_comparison

        comparison = compare(previous, journal, totals, config.ruleset, grouping)
        write_comparison(comparison, out, config.csv_encoding)
    run = {
        "analysed": counts["analysed"],
        "from_cache": counts["from_cache"],
        "resumed": counts["resumed"],
        "unreadable": counts["unreadable"],
        "failed": counts["failed"],
        "backend": "dask" if config.dask is not None else "processes",
        "jobs": jobs,
        "file_timeout": config.file_timeout,
        "elapsed_seconds": round(time.monotonic() - started, 2),
    }
    summary = build_summary(totals, config.ruleset, run, grouping)
    if comparison is not None:
        summary["comparison"] = comparison.headline()
    workbook = _in_thread(write_findings_workbook, journal.path, totals, config.ruleset, out, comparison)
    write_report(
        journal,
        totals,
        summary,
        config.ruleset,
        out,
        config.max_sections,
        config.snippets,
        interrupted=interrupted,
        grouping=grouping,
        comparison=comparison,
    )
    workbook()
    write_summary(summary, out)
    return summary


def _in_thread(write: Callable[..., Any], journal_path: Path, *args: Any) -> Callable[[], None]:
    """Write one output from its own read-only journal connection in a thread, while the caller
    writes the report: the workbook's time goes mostly to zlib and SQLite, which release the GIL,
    so the two overlap. Returns the function that waits for it (and raises what it raised)."""
    import threading

    from tilint.audit.journal import JournalReader

    failure: list[BaseException] = []

    def run() -> None:
        reader = JournalReader(journal_path)
        try:
            write(reader, *args)
        except BaseException as exc:  # raised again in the caller's thread
            failure.append(exc)
        finally:
            reader.close()

    thread = threading.Thread(target=run, name="tilint-workbook", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        if failure:
            raise failure[0]

    return wait
