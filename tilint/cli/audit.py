"""`tilint audit`: check whole folders of documents and write a report a commissioning lead can read."""

from __future__ import annotations

import sys

import click

from tilint.cli.common import EXIT_FINDINGS, config_path_option, configured, fail, no_config_option, rules_option
from tilint.findings import SEVERITIES

DEFAULT_MAX_SIZE_MB = 100
EXIT_INTERRUPTED = 130


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Folder for report.html, findings.csv, documents.csv, summary.json (created if needed).",
)
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
              help="Worker processes; 0 (the default) picks one per core.")
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    help="Run on Dask: 'local' for a local cluster of --jobs workers, or a scheduler address "
    "such as tcp://host:8786 (needs tilint[dask]).",
)
@click.option(
    "--include",
    multiple=True,
    metavar="GLOB",
    help="Only files matching this gitignore-style pattern, relative to each PATH (repeatable).",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Also skip files and folders matching this gitignore-style pattern, relative to each PATH (repeatable).",
)
@rules_option
@click.option("--select", multiple=True, metavar="IDS", help="Only these rules or categories (comma-separated).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rules or categories (comma-separated).")
@click.option("--model", metavar="NAME", help="An installed trained spaCy pipeline to use instead of the tokenizer.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Analyse every file afresh: do not use the result cache or resume from DIR's journal.",
)
@click.option(
    "--file-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=120.0,
    show_default=True,
    metavar="S",
    help="Give up on a file after S seconds; it is listed as unreadable.",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_SIZE_MB,
    show_default=True,
    metavar="MB",
    help="Largest file to read.",
)
@click.option(
    "--sections",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    metavar="N",
    help="Documents given a detailed section in report.html (worst first).",
)
@click.option(
    "--snippets",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    metavar="N",
    help="Highlighted snippets per document section.",
)
@click.option(
    "--fail-on",
    multiple=True,
    type=click.Choice([*SEVERITIES, "unreadable"]),
    help="Exit 1 when a finding is at least this severe, or with 'unreadable' when a file could "
    "not be checked (repeatable). By default the exit status is 0 once the report is written.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@config_path_option
@no_config_option
def audit(
    paths,
    out,
    jobs,
    dask_address,
    include,
    exclude,
    rule_paths,
    select,
    ignore,
    model,
    no_cache,
    file_timeout,
    max_size,
    sections,
    snippets,
    fail_on,
    quiet,
    config_path,
    no_config,
) -> None:
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
    from tilint.findings import at_least
    from tilint.run.settings import RunOptions

    if not paths:
        fail("no paths given: tilint audit FOLDER... --out DIR")
    settings = configured(RunOptions(tuple(rule_paths), select, ignore, model, config_path, no_config, tuple(exclude)))
    config = AuditConfig(
        paths=list(paths),
        out=Path(out),
        settings=settings,
        jobs=jobs,
        dask=dask_address,
        include=tuple(include),
        use_cache=not no_cache,
        file_timeout=file_timeout,
        max_bytes=max_size * 1_000_000,
        max_sections=sections,
        snippets=snippets,
        progress="none" if quiet else "auto",
    )
    try:
        run = run_audit(config)
    except AuditError as exc:
        fail(str(exc))
    except AuditInterrupted as exc:
        click.echo(f"tilint: audit {exc}; run the same command again to resume.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    summary = run.summary
    click.echo(
        f"Audited {summary['documents_checked']} document(s): {summary['findings']} finding(s), "
        f"{summary['risk_only_documents']} with risk-only framing, {summary['errors']} could not be checked "
        f"({summary['resumed'] + summary['from_cache']} unchanged or cached). Report: {run.report}"
    )
    code = 0
    severities = [level for level in fail_on if level in SEVERITIES]
    if severities and any(
        count and at_least(level, threshold)
        for level, count in summary["by_severity"].items()
        for threshold in severities
    ):
        code = EXIT_FINDINGS
    if "unreadable" in fail_on and summary["errors"]:
        code = EXIT_FINDINGS
    sys.exit(code)


COMMANDS = [audit]
