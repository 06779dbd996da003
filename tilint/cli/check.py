"""`tilint check`: lint files, folders or stdin and report findings.

Only wiring lives here: configuration (tilint.config.project), suppressions (tilint.filters.suppressions), baselines
(tilint.filters.baseline), --diff (tilint.filters.gitdiff) and the output formats do the work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click

from tilint.cli.common import EXIT_FAILED, EXIT_FINDINGS, EXIT_USAGE, configured, exit_with, fail, use_color
from tilint.cli.options import Execution, execution_options, grouped, no_color_option, run_options
from tilint.findings import SEVERITIES, FileResult

DEFAULT_FAIL_ON = "warning"
FORMAT_CHOICES = ["auto", "text", "concise", "json", "sarif", "github", "gitlab", "rdjson", "rdjsonl", "checkstyle",
                  "junit"]


def resolve_format(name: str) -> str:
    """`auto` is `github` inside GitHub Actions (annotations on the pull request), else `text`."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@dataclass(frozen=True)
class Output:
    """How the findings are shown and what fails the run."""

    format: str
    fail_on: str | None
    quiet: bool
    no_color: bool
    exit_zero: bool
    output_file: str | None
    statistics: bool


output_options = grouped(
    Output, "output", ["format", "fail_on", "quiet", "no_color", "exit_zero", "output_file", "statistics"],
    [
        click.option("--format", "format", default="auto", show_default=True, type=click.Choice(FORMAT_CHOICES),
                     help="Output format; auto is github inside GitHub Actions, else text."),
        click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                     help=f"Exit 1 when a finding is at least this severe [default: {DEFAULT_FAIL_ON}]."),
        click.option("-q", "--quiet", is_flag=True, help="Print only the summary line (text format)."),
        no_color_option,
        click.option("--exit-zero", is_flag=True,
                     help="Exit 0 even when there are findings (2 still means a usage error or an unreadable file)."),
        click.option("-o", "--output-file", metavar="FILE", type=click.Path(dir_okay=False),
                     help="Write the report to FILE instead of standard output."),
        click.option("--statistics", is_flag=True,
                     help="Print how many findings each rule has, most first, instead of the findings (text or json)."),
    ],
)


@dataclass(frozen=True)
class Filters:
    """Which of the findings are reported, beyond the configuration: baseline, --diff, unused disables."""

    baseline: str | None
    write_baseline: str | None
    diff_ref: str | None
    report_unused: bool


filter_options = grouped(
    Filters, "filters", ["baseline", "write_baseline", "diff_ref", "report_unused"],
    [
        click.option("--baseline", metavar="FILE", type=click.Path(dir_okay=False),
                     help="Report only findings not recorded in this baseline file."),
        click.option("--write-baseline", metavar="FILE", type=click.Path(dir_okay=False),
                     help="Record today's findings in FILE (then exit 0 unless a file could not be read)."),
        click.option("--diff", "diff_ref", metavar="REF",
                     help="Report only findings on lines changed since the git ref REF (e.g. origin/main)."),
        click.option("--report-unused-disables", "report_unused", is_flag=True,
                     help="Report tilint-disable comments that suppress nothing (as rule unused-suppression)."),
    ],
)


@click.command()
@click.argument("paths", nargs=-1, type=str)
@output_options
@run_options(exclude=True)
@filter_options
@click.option("--stdin-filename", metavar="NAME", help="Name (and so format) for text read from '-'.")
@click.option("--show-text", is_flag=True, help="Print the text tilint extracted from each file, with line numbers.")
@execution_options()
def check(paths, output: Output, run, filters: Filters, stdin_filename, show_text, execution: Execution) -> None:
    """Check PATHS (files, folders, or - for standard input) for deficit and risk-only framing.

    Settings come from tilint.toml, .tilint.toml or [tool.tilint] in pyproject.toml (the nearest
    one upwards from the working directory); command-line options override them.

    Exit status: 0 no finding at or above --fail-on, 1 findings, 2 a usage error, a bad rule or
    configuration file, or a file that could not be read, 3 tilint failed on a file (an internal
    error, a crashed worker, or past --file-timeout). The other files are still checked and reported.
    """
    from tilint.filters.gitdiff import filter_to_diff
    from tilint.formatters import formatter, statistics
    from tilint.formatters.stepsummary import write_step_summary

    output_format = _validate(paths, output, filters)
    settings = configured(run)
    changed = _changed_lines(filters.diff_ref, paths)
    results = _check_paths(settings, list(paths), execution, filters.report_unused, stdin_filename, show_text)
    report = _report(results, settings, output, filters)
    comparison = _baseline(report, filters)
    if changed is not None:
        filter_to_diff(results, changed)
    if not filters.write_baseline:  # a new baseline records the findings; listing them all is noise
        render = statistics.FORMATS[output_format] if output.statistics else formatter(output_format)
        _emit(render(report), report, output.output_file)
    write_step_summary(report)
    if comparison is not None and comparison.fixed and output_format == "text":
        _echo_fixed(comparison, filters.baseline, output.quiet)
    code = _exit_code(report, output.fail_on or settings.config.fail_on or DEFAULT_FAIL_ON, filters)
    exit_with(0 if output.exit_zero and code == EXIT_FINDINGS else code)


def _validate(paths, output: Output, filters: Filters) -> str:
    """The output format to use, once the options make sense together."""
    from tilint.formatters import FORMATS

    if not paths:
        fail("no paths given (use - to read standard input)")
    output_format = resolve_format(output.format)
    if output_format not in FORMATS:
        fail(f"--format {output_format} is not available in this installation")
    if output.statistics:
        from tilint.formatters.statistics import FORMATS as STATISTICS

        if output.format == "auto":
            output_format = "text"
        if output_format not in STATISTICS:
            fail(f"--statistics prints {' or '.join(STATISTICS)}, not --format {output_format}")
    if filters.baseline and filters.write_baseline:
        fail("use either --baseline or --write-baseline, not both")
    return output_format


def _changed_lines(diff_ref: str | None, paths) -> dict | None:
    from tilint.filters.gitdiff import DiffError, changed_lines

    if not diff_ref:
        return None
    try:
        return changed_lines(diff_ref, list(paths))
    except DiffError as exc:
        fail(str(exc))
    return None


def _check_paths(settings, paths: list[str], execution: Execution, report_unused: bool, stdin_filename: str | None,
                 show_text: bool) -> list[FileResult]:
    """Every file's result, in the order the files were named and walked (--show-text prints
    each file's text as it comes)."""
    from tilint.engine import PipelineError
    from tilint.run.discovery import walk
    from tilint.run.local import CheckJob, check_files
    from tilint.run.single import ResultCache

    job = CheckJob(
        linter=settings.linter,
        cache=ResultCache(settings.linter, enabled=execution.use_cache and not show_text),
        filter=settings.finding_filter(report_unused),
        limits=execution.limits,
        stdin_filename=stdin_filename,
        keep_text=show_text,
    )
    targets = [target.path for target in walk(paths, settings.selection())]
    done: dict[int, FileResult] = {}
    order = {path: index for index, path in enumerate(targets)}
    try:
        for checked in check_files(job, targets, execution.jobs):
            if checked.text is not None:
                _echo_text(checked.result, checked.text)
            done[order[checked.path]] = checked.result
    except PipelineError as exc:
        fail(str(exc))
    return [done[index] for index in sorted(done)]


def _echo_text(result: FileResult, text: str) -> None:
    click.echo(f"==> {result.path} ({result.format}) <==")
    for number, line in enumerate(text.split("\n"), 1):
        click.echo(f"{number:>6}  {line}")


def _report(results: list[FileResult], settings, output: Output, filters: Filters):
    from tilint.formatters import Report

    in_hook = os.environ.get("PRE_COMMIT") == "1"  # pre-commit sets it for every hook it runs
    return Report(
        results=results, ruleset=settings.ruleset, quiet=output.quiet,
        color=use_color(output.no_color) and not output.output_file,
        framing=not (in_hook or filters.baseline or filters.diff_ref), totals=not in_hook,
    )


def _baseline(report, filters: Filters):
    """Record the findings (--write-baseline), or keep only those not in the baseline (--baseline)."""
    from tilint.filters.baseline import BaselineError, apply_baseline, write_baseline

    try:
        if filters.write_baseline:
            recorded = write_baseline(Path(filters.write_baseline), report.results)
            click.echo(
                f"tilint: recorded {recorded} finding{'' if recorded == 1 else 's'} in {filters.write_baseline}",
                err=True,
            )
        elif filters.baseline:
            comparison = apply_baseline(Path(filters.baseline), report.results)
            report.extra["summary"] = {"baseline": comparison.to_json()}
            return comparison
    except BaselineError as exc:
        fail(str(exc))
    return None


def _exit_code(report, fail_on: str, filters: Filters) -> int:
    code = report.exit_code(fail_on)
    if code in (EXIT_USAGE, EXIT_FAILED):
        for result in report.results:
            if result.error:
                click.echo(f"tilint: {result.path}: {result.error}", err=True)
    elif filters.write_baseline:
        code = 0
    return code


def _emit(text: str, report, output_file: str | None) -> None:
    """The report on standard output, or in --output-file."""
    if not output_file:
        click.echo(text, nl=False, color=report.color)
        return
    from tilint.formatters.destination import OutputFileError, write_report

    try:
        write_report(output_file, text)
    except OutputFileError as exc:
        fail(str(exc))


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
