"""`tilint fix`: show, or with --write apply, the safe fixes in text and Markdown files."""

from __future__ import annotations

import sys

import click

from tilint.cli.common import EXIT_FINDINGS, EXIT_USAGE, configured, fail, use_color
from tilint.cli.options import no_color_option, run_options


def _colour_diff(diff: str) -> str:
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(click.style(line, bold=True))
        elif line.startswith("+"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            out.append(click.style(line, fg="red"))
        elif line.startswith("@@"):
            out.append(click.style(line, fg="cyan"))
        else:
            out.append(line)
    return "".join(out)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@click.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--write", "-w", is_flag=True, help="Apply the fixes (atomically; permissions kept).")
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 when there is something to fix (for CI).")
@run_options(exclude=True)
@click.option("--preview", is_flag=True,
              help="Show each changed sentence before and after, in plain words, instead of a diff.")
@click.option("-q", "--quiet", is_flag=True, help="No diff; only the summary line.")
@no_color_option
def fix(paths, write, check_only, run, preview, quiet, no_color) -> None:
    """Apply the rules' safe rewrites: those right wherever the rule flags the words.

    Works on text and Markdown files (other formats are skipped). Without --write, prints a unified
    diff of what would change (or, with --preview, each sentence before and after) and changes
    nothing. Verb forms, number, capitalisation and "a"/"an" follow the original;
    code, front matter and URLs are never touched; a fix whose replacement would itself be flagged
    is left out, so running fix twice changes nothing the second time.

    Settings come from the same configuration file as `tilint check`, and findings that check would
    not report (inline `tilint-disable` comments, per-file ignores) are never fixed.

    Exit status: 0 nothing to fix or fixes written; 1 with --check when there is something to fix;
    2 a usage error or a file that could not be read or written.
    """
    from tilint.engine import PipelineError
    from tilint.fix.fixer import needs_a_person, plan_file, unified_diff, write_plan
    from tilint.fix.fixer import preview as sentences
    from tilint.run.discovery import walk

    if not paths:
        fail("no paths given")
    if "-" in paths:
        fail("fix works on files; standard input is not supported")
    if write and check_only:
        fail("--write and --check cannot be used together")
    settings = configured(run)
    color = use_color(no_color)
    fixes = files = unread = unwritten = left = 0
    try:
        for target in walk(list(paths), settings.selection()):
            plan = plan_file(settings.linter, target.path, postprocess=settings.postprocess)
            if plan.unsupported:
                if target.explicit:
                    click.echo(f"tilint: {target.path}: skipped: {plan.unsupported}", err=True)
                continue
            if plan.error:
                click.echo(f"tilint: {target.path}: {plan.error}", err=True)
                unread += 1
                continue
            for line, rule_id, reason in plan.skipped:
                click.echo(f"tilint: {target.path}:{line}: not fixed ({rule_id}): {reason}", err=True)
            left += needs_a_person(plan)
            if not plan.changed:
                continue
            files += 1
            fixes += len(plan.edits)
            if write:
                try:
                    write_plan(plan)
                except OSError as exc:
                    click.echo(f"tilint: {target.path}: cannot write: {exc.strerror or exc}", err=True)
                    unwritten += 1
                    files -= 1
                    fixes -= len(plan.edits)
            elif preview and not quiet:
                for line, before, after in sentences(plan):
                    click.echo(f"{target.path}, line {line}:\n  before: {before}\n  after:  {after}\n")
            elif not quiet:
                diff = unified_diff(target.path, plan.text, plan.fixed)
                click.echo(_colour_diff(diff) if color else diff, nl=False, color=color)
    except PipelineError as exc:
        fail(str(exc))
    if write:
        done = f"Fixed {_plural(fixes, 'finding')} in {_plural(files, 'file')}."
        summary = done if fixes else "Nothing to fix."
    elif fixes:
        summary = (f"Would fix {_plural(fixes, 'finding')} in {_plural(files, 'file')}"
                   + ("." if check_only else "; run `tilint fix --write` to apply."))
    else:
        summary = "Nothing to fix."
    if left:
        # Most findings have no safe rewrite: say so, so "Nothing to fix" never reads as "all done".
        person = f"{_plural(left, 'finding')} {'needs' if left == 1 else 'need'} a person to reword"
        summary = f"{summary[:-1]}; {person} (`tilint check` lists them)."
    problems = [f"{_plural(n, 'file')} could not be {what}"
                for n, what in ((unread, "read"), (unwritten, "written")) if n]
    if problems:
        # "Nothing to fix" after an error would read as "all is well": say what was left undone.
        summary = f"{summary[:-1]}; " if fixes else "Nothing fixed: "
        summary += " and ".join(problems) + "."
    click.echo(summary, err=True)
    if problems:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if check_only and fixes else 0)


COMMANDS = [fix]
