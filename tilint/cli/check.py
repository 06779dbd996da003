"""`tilint check`: lint files, folders or stdin and report findings."""

from __future__ import annotations

import sys

import click

from tilint.cli.common import EXIT_USAGE, check_ids, fail, load_rules_or_exit, rules_option, split_ids, use_color
from tilint.findings import SEVERITIES, FileResult

DEFAULT_MAX_SIZE_MB = 100


@click.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "output_format", default="text", show_default=True, help="Output format.",
              type=click.Choice(["text", "json", "sarif", "github", "checkstyle", "junit"]))
@rules_option
@click.option("--select", multiple=True, metavar="IDS", help="Only these rules or categories (comma-separated).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rules or categories (comma-separated).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="warning", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line (text format).")
@click.option("--no-color", is_flag=True, help="No colour (also when NO_COLOR is set).")
@click.option("--model", metavar="NAME", help="An installed trained spaCy pipeline to use instead of the tokenizer.")
@click.option("--stdin-filename", metavar="NAME", help="Name (and so format) for text read from '-'.")
@click.option("--show-text", is_flag=True, help="Print the text tilint extracted from each file, with line numbers.")
@click.option("--max-size", type=int, default=DEFAULT_MAX_SIZE_MB, show_default=True, metavar="MB",
              help="Largest file to read.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
def check(paths, output_format, rule_paths, select, ignore, fail_on, quiet, no_color, model, stdin_filename,
          show_text, max_size, no_cache) -> None:
    """Check PATHS (files, folders, or - for standard input) for deficit and risk-only framing.

    Exit status: 0 no finding at or above --fail-on, 1 findings, 2 a usage error, a bad rule file,
    or a file that could not be read (the others are still checked).
    """
    from tilint.discovery import walk
    from tilint.engine import Linter, PipelineError
    from tilint.formatters import FORMATS, Report, formatter
    from tilint.pipeline import ResultCache, check_path

    if not paths:
        fail("no paths given (use - to read standard input)")
    if output_format not in FORMATS:
        fail(f"--format {output_format} is not available in this installation")
    ruleset = load_rules_or_exit(rule_paths)
    select_ids, ignore_ids = split_ids(select), split_ids(ignore)
    check_ids(ruleset, select_ids + ignore_ids, "--select/--ignore")
    linter = Linter(ruleset, select=select_ids or None, ignore=ignore_ids or None, model=model,
                    use_cache=not no_cache)
    cache = ResultCache(linter, enabled=not no_cache and not show_text)
    results: list[FileResult] = []
    try:
        for target in walk(list(paths)):
            checked = check_path(linter, target.path, cache, stdin_filename, max_size * 1_000_000,
                                 need_document=show_text)
            result, document = checked.result, checked.document
            if show_text and document is not None:
                click.echo(f"==> {result.path} ({document.format}) <==")
                for number, line in enumerate(document.text.split("\n"), 1):
                    click.echo(f"{number:>6}  {line}")
            results.append(result)
    except PipelineError as exc:
        fail(str(exc))
    report = Report(results=results, ruleset=ruleset, color=use_color(no_color), quiet=quiet)
    click.echo(formatter(output_format)(report), nl=False, color=report.color)
    code = report.exit_code(fail_on)
    if code == EXIT_USAGE:
        for result in results:
            if result.error:
                click.echo(f"tilint: {result.path}: {result.error}", err=True)
    sys.exit(code)


COMMANDS = [check]
