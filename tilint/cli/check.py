"""`tilint check`: lint files, folders or stdin and report findings.

Only wiring lives here: configuration (tilint.config.project), suppressions (tilint.filters.suppressions), baselines
(tilint.filters.baseline), --diff (tilint.filters.gitdiff) and the output formats do the work.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import click

from tilint.cli.common import (
    EXIT_USAGE,
    config_path_option,
    configured,
    exit_with,
    fail,
    no_config_option,
    rules_option,
    use_color,
)
from tilint.findings import SEVERITIES, FileResult

DEFAULT_MAX_SIZE_MB = 100
DEFAULT_FAIL_ON = "warning"
FORMAT_CHOICES = ["auto", "text", "concise", "json", "sarif", "github", "gitlab", "rdjson", "rdjsonl", "checkstyle",
                  "junit"]


def resolve_format(name: str) -> str:
    """`auto` is `github` inside GitHub Actions (annotations on the pull request), else `text`."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@click.command()
@click.argument("paths", nargs=-1, type=str)
@click.option(
    "--format",
    "output_format",
    default="auto",
    show_default=True,
    type=click.Choice(FORMAT_CHOICES),
    help="Output format; auto is github inside GitHub Actions, else text.",
)
@rules_option
@click.option(
    "--select", multiple=True, metavar="IDS", help="Only these rules or categories (comma-separated)."
)
@click.option(
    "--ignore", multiple=True, metavar="IDS", help="Skip these rules or categories (comma-separated)."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=None,
    help=f"Exit 1 when a finding is at least this severe [default: {DEFAULT_FAIL_ON}].",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line (text format).")
@click.option("--no-color", is_flag=True, help="No colour (also when NO_COLOR is set).")
@click.option(
    "--model", metavar="NAME", help="An installed trained spaCy pipeline to use instead of the tokenizer."
)
@click.option("--stdin-filename", metavar="NAME", help="Name (and so format) for text read from '-'.")
@click.option(
    "--show-text", is_flag=True, help="Print the text tilint extracted from each file, with line numbers."
)
@click.option(
    "--max-size",
    type=int,
    default=DEFAULT_MAX_SIZE_MB,
    show_default=True,
    metavar="MB",
    help="Largest file to read.",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@config_path_option
@no_config_option
@click.option(
    "--baseline",
    "baseline_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Report only findings not recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    "write_baseline_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Record today's findings in FILE (then exit 0 unless a file could not be read).",
)
@click.option(
    "--diff",
    "diff_ref",
    metavar="REF",
    help="Report only findings on lines changed since the git ref REF (e.g. origin/main).",
)
@click.option(
    "--report-unused-disables",
    is_flag=True,
    help="Report tilint-disable comments that suppress nothing (as rule unused-suppression).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worker processes; 0 picks one per core when there are enough files to share.",
)
def check(
    paths,
    output_format,
    rule_paths,
    select,
    ignore,
    fail_on,
    quiet,
    no_color,
    model,
    stdin_filename,
    show_text,
    max_size,
    no_cache,
    config_path,
    no_config,
    baseline_file,
    write_baseline_file,
    diff_ref,
    report_unused_disables,
    jobs,
) -> None:
    """Check PATHS (files, folders, or - for standard input) for deficit and risk-only framing.

    Settings come from tilint.toml, .tilint.toml or [tool.tilint] in pyproject.toml (the nearest
    one upwards from the working directory); command-line options override them.

    Exit status: 0 no finding at or above --fail-on, 1 findings, 2 a usage error, a bad rule or
    configuration file, or a file that could not be read (the others are still checked).
    """
    from tilint.engine import PipelineError
    from tilint.filters.baseline import BaselineError, apply_baseline, write_baseline
    from tilint.filters.gitdiff import DiffError, changed_lines, filter_to_diff
    from tilint.filters.postprocess import filter_result
    from tilint.formatters import FORMATS, Report, formatter
    from tilint.run.discovery import walk
    from tilint.run.settings import RunOptions
    from tilint.run.single import ResultCache, check_path

    if not paths:
        fail("no paths given (use - to read standard input)")
    output_format = resolve_format(output_format)
    if output_format not in FORMATS:
        fail(f"--format {output_format} is not available in this installation")
    if baseline_file and write_baseline_file:
        fail("use either --baseline or --write-baseline, not both")
    settings = configured(RunOptions(tuple(rule_paths), select, ignore, model, config_path, no_config))
    config, linter, known = settings.config, settings.linter, settings.known
    ruleset = linter.ruleset
    fail_on = fail_on or config.fail_on or DEFAULT_FAIL_ON
    changed = None
    if diff_ref:
        try:
            changed = changed_lines(diff_ref, list(paths))
        except DiffError as exc:
            fail(str(exc))
    from tilint.run.local import auto_jobs, check_in_parallel

    cache = ResultCache(linter, enabled=not no_cache and not show_text)
    results: list[FileResult] = []
    targets = list(walk(list(paths), settings.selection()))
    workers = 1 if show_text or any(t.path == "-" for t in targets) else auto_jobs(len(targets), jobs)
    try:
        if workers > 1:
            post = partial(_post_process, config=config, report_unused=report_unused_disables, known=known)
            results = check_in_parallel([t.path for t in targets], workers, linter, cache, max_size * 1_000_000, post)
            targets = []
        for target in targets:
            checked = check_path(
                linter, target.path, cache, stdin_filename, max_size * 1_000_000, need_document=show_text
            )
            result, document = checked.result, checked.document
            if show_text and document is not None:
                click.echo(f"==> {result.path} ({document.format}) <==")
                for number, line in enumerate(document.text.split("\n"), 1):
                    click.echo(f"{number:>6}  {line}")
            filter_result(result, checked.data, config, report_unused_disables, known)
            results.append(result)
    except PipelineError as exc:
        fail(str(exc))
    in_hook = os.environ.get("PRE_COMMIT") == "1"  # pre-commit sets it for every hook it runs
    report = Report(
        results=results, ruleset=ruleset, color=use_color(no_color), quiet=quiet,
        framing=not (in_hook or baseline_file or diff_ref), totals=not in_hook,
    )
    comparison = None
    try:
        if write_baseline_file:
            recorded = write_baseline(Path(write_baseline_file), results)
            click.echo(
                f"tilint: recorded {recorded} finding{'' if recorded == 1 else 's'} in {write_baseline_file}",
                err=True,
            )
        elif baseline_file:
            comparison = apply_baseline(Path(baseline_file), results)
            report.extra["summary"] = {"baseline": comparison.to_json()}
    except BaselineError as exc:
        fail(str(exc))
    if changed is not None:
        filter_to_diff(results, changed)
    if not write_baseline_file:  # a new baseline records the findings; listing them all is noise
        click.echo(formatter(output_format)(report), nl=False, color=report.color)
    _write_step_summary(report)
    if comparison is not None and comparison.fixed and output_format == "text":
        _echo_fixed(comparison, baseline_file, quiet)
    code = report.exit_code(fail_on)
    if code == EXIT_USAGE:
        for result in results:
            if result.error:
                click.echo(f"tilint: {result.path}: {result.error}", err=True)
    elif write_baseline_file:
        code = 0
    exit_with(code)


def _write_step_summary(report) -> None:
    """Inside GitHub Actions, add totals and findings to the job summary page."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    from tilint.formatters import stepsummary

    try:
        with open(summary_file, "a", encoding="utf-8") as stream:
            stream.write(stepsummary.render(report))
    except OSError as exc:
        click.echo(f"tilint: cannot write the job summary to {summary_file}: {exc.strerror or exc}", err=True)


def _post_process(checked, config, report_unused: bool, known: set[str]) -> None:
    """Suppressions and per-file ignores, applied in the worker that read the file."""
    from tilint.filters.postprocess import filter_result

    filter_result(checked.result, checked.data, config, report_unused, known)


def _echo_fixed(comparison, baseline_file: str, quiet: bool) -> None:
    fixed = sum(entry.count for entry in comparison.fixed)
    click.echo(
        f"tilint: {fixed} baselined finding{'' if fixed == 1 else 's'} fixed; update the baseline with "
        f"--write-baseline {baseline_file}",
        err=True,
    )
    if not quiet:
        for entry in comparison.fixed:
            click.echo(
                f"  fixed: {entry.path}: [{entry.rule}] \u201c{entry.text}\u201d"
                + (f" (x{entry.count})" if entry.count > 1 else ""),
                err=True,
            )


COMMANDS = [check]
