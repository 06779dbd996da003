"""`tilint audit`: check whole folders of documents and write a report a commissioning lead can read."""

from __future__ import annotations

import sys

import click

from tilint.cli.common import EXIT_FINDINGS, configured, fail
from tilint.cli.options import Execution, execution_options, run_options
from tilint.findings import SEVERITIES, at_least

EXIT_INTERRUPTED = 130


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Folder for report.html, findings.csv, documents.csv, summary.json (created if needed).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run on Dask: 'local' for a local cluster of --jobs workers, or a scheduler address "
              "such as tcp://host:8786 (needs tilint[dask]).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Only files matching this gitignore-style pattern, relative to each PATH (repeatable).")
@run_options(exclude=True)
@execution_options(no_cache_help="Analyse every file afresh: do not use the result cache or resume from DIR's journal.")
@click.option("--sections", type=click.IntRange(min=0), default=200, show_default=True, metavar="N",
              help="Documents given a detailed section in report.html (worst first).")
@click.option("--snippets", type=click.IntRange(min=0), default=5, show_default=True, metavar="N",
              help="Highlighted snippets per document section.")
@click.option("--fail-on", multiple=True, type=click.Choice([*SEVERITIES, "unreadable"]),
              help="Exit 1 when a finding is at least this severe, or with 'unreadable' when a file could "
              "not be checked (repeatable). By default the exit status is 0 once the report is written.")
@click.option("--compare", "compare", type=click.Path(file_okay=False), metavar="OLD_OUT",
              help="Compare with an earlier audit's --out folder: what improved, got worse, is new or gone, "
              "overall, by department, by rule and by document (comparison.json, changes.csv, report.html).")
@click.option("--group-by", "group_by", metavar="depth=N|TEAMS.csv",
              help="Departments for the report: the top-level folder (default), the first N folder levels "
              "(depth=N), or a CSV file with 'path' and 'team' columns mapping folders to teams.")
@click.option("--csv-encoding", type=click.Choice(["utf-8-sig", "utf-8"]), default="utf-8-sig", show_default=True,
              help="Encoding of the CSV files: utf-8-sig starts them with a byte-order mark, so Excel reads "
              "accented names correctly; utf-8 leaves it out, for tools that do not expect one.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
def audit(paths, out, dask_address, include, run, execution: Execution, sections, snippets, fail_on, compare,
          group_by, csv_encoding, quiet) -> None:
    """Audit folders of documents (every supported format, recursively) and write a report to DIR.

    Files are checked in parallel; a file that cannot be read, crashes its worker or hangs is listed
    in the report with its error and the audit goes on. Results stream to DIR as they arrive, so an
    interrupted audit resumes where it stopped when run again, and unchanged files come from the cache.

    Settings (extra rules, select, ignore, severities, excludes, per-file ignores, the model) come
    from the same configuration file as `tilint check`, and inline `tilint-disable` comments apply.

    Exit status: 0 when the report is written, 1 when a --fail-on condition holds, 2 for a usage
    error or a bad rule file, 130 when interrupted.
    """
    from pathlib import Path

    from tilint.audit import AuditConfig, AuditError, AuditInterrupted, run_audit
    from tilint.audit.grouping import GroupingError, parse_group_by
    from tilint.audit.wording import summary_lines

    if not paths:
        fail("no paths given: tilint audit FOLDER... --out DIR")
    try:
        grouping = parse_group_by(group_by, list(paths))
    except GroupingError as exc:
        fail(str(exc))
    config = AuditConfig(
        paths=list(paths),
        out=Path(out),
        settings=configured(run),
        jobs=execution.jobs,
        dask=dask_address,
        include=tuple(include),
        use_cache=execution.use_cache,
        file_timeout=execution.limits.file_timeout,
        max_bytes=execution.limits.max_bytes,
        max_sections=sections,
        snippets=snippets,
        progress="none" if quiet else "auto",
        grouping=grouping,
        csv_encoding=csv_encoding,
        compare=Path(compare) if compare else None,
    )
    try:
        done = run_audit(config)
    except AuditError as exc:
        fail(str(exc))
    except AuditInterrupted as exc:
        click.echo(f"tilint: audit {exc}; run the same command again to resume.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    summary = done.summary
    for line in summary_lines(summary, str(done.report)):
        click.echo(line)
    sys.exit(_exit_code(summary, fail_on))


def _exit_code(summary: dict, fail_on: tuple[str, ...]) -> int:
    """1 when a --fail-on condition holds, else 0."""
    severities = [level for level in fail_on if level in SEVERITIES]
    if any(count and at_least(level, threshold) for level, count in summary["by_severity"].items()
           for threshold in severities):
        return EXIT_FINDINGS
    if "unreadable" in fail_on and summary["errors"]:
        return EXIT_FINDINGS
    return 0


COMMANDS = [audit]
