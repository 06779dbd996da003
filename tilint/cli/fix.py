"""`tilint fix`: show, or with --write apply, the safe fixes in text and Markdown files."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from tilint.cli.common import EXIT_FAILED, EXIT_FINDINGS, EXIT_USAGE, configured, fail, use_color
from tilint.cli.options import Execution, execution_options, no_color_option, run_options


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
@execution_options(max_size=False, cache=False)
def fix(paths, write, check_only, run, preview, quiet, no_color, execution: Execution) -> None:
    """Apply the rules' safe rewrites: those right wherever the rule flags the words.

    Works on text and Markdown files (other formats are skipped). Without --write, prints a unified
    diff of what would change (or, with --preview, each sentence before and after) and changes
    nothing. Verb forms, number, capitalisation and "a"/"an" follow the original;
    code, front matter and URLs are never touched; a fix whose replacement would itself be flagged
    is left out, so running fix twice changes nothing the second time.

    Settings come from the same configuration file as `tilint check`, and findings that check would
    not report (inline `tilint-disable` comments, per-file ignores) are never fixed.

    Exit status: 0 nothing to fix or fixes written; 1 with --check when there is something to fix;
    2 a usage error or a file that could not be read or written; 3 tilint failed on a file (an
    internal error, a crashed worker, or past --file-timeout).
    """
    from tilint.run.discovery import walk

    if not paths:
        fail("no paths given")
    if "-" in paths:
        fail("fix works on files; standard input is not supported")
    if write and check_only:
        fail("--write and --check cannot be used together")
    settings = configured(run)
    tally = _Tally(write, quiet, use_color(no_color), preview)
    targets = list(walk(list(paths), settings.selection()))
    state = (settings.linter, settings.finding_filter())
    for target, outcome in _in_order(targets, state, execution):
        if not outcome.ok:
            click.echo(f"tilint: {target.path}: {outcome.error}", err=True)
            tally.failed += 1
        elif isinstance(outcome.value, str):  # the rules cannot run on the configured pipeline
            fail(outcome.value)
        else:
            tally.add(target, outcome.value)
    click.echo(tally.summary(check_only), err=True)
    sys.exit(tally.exit_code(check_only))


def _plan(state, path: str):
    """In a worker: the plan for one file, or why the rules cannot run at all."""
    from tilint.engine import PipelineError
    from tilint.fix.fixer import plan_file

    linter, finding_filter = state
    try:
        return plan_file(linter, path, postprocess=finding_filter)
    except PipelineError as exc:
        return str(exc)


def _in_order(targets, state, execution: Execution):
    """(target, Outcome of its plan) in the order of `targets`, each as soon as it and those
    before it are done, so diffs print in a stable order."""
    from tilint.run.local import run_tasks

    waiting: dict[str, object] = {}
    position = 0
    outcomes = run_tasks(_plan, state, [t.path for t in targets], execution.jobs, execution.limits.file_timeout,
                         warm=state[0])
    for outcome in outcomes:
        waiting[outcome.task] = outcome
        while position < len(targets) and targets[position].path in waiting:
            yield targets[position], waiting.pop(targets[position].path)
            position += 1


@dataclass
class _Tally:
    """What fix did, file by file, and the summary line and exit status it comes to."""

    write: bool
    quiet: bool
    color: bool
    preview: bool = False
    fixes: int = 0
    files: int = 0
    unread: int = 0
    unwritten: int = 0
    failed: int = 0
    #: findings with no safe rewrite, left for a person
    left: int = 0

    def add(self, target, plan) -> None:
        from tilint.fix.fixer import needs_a_person, unified_diff, write_plan
        from tilint.fix.fixer import preview as sentences

        if plan.unsupported:
            if target.explicit:
                click.echo(f"tilint: {target.path}: skipped: {plan.unsupported}", err=True)
            return
        if plan.error:
            click.echo(f"tilint: {target.path}: {plan.error}", err=True)
            self.unread += 1
            return
        for line, rule_id, reason in plan.skipped:
            click.echo(f"tilint: {target.path}:{line}: not fixed ({rule_id}): {reason}", err=True)
        self.left += needs_a_person(plan)
        if not plan.changed:
            return
        if self.write:
            try:
                write_plan(plan)
            except OSError as exc:
                click.echo(f"tilint: {target.path}: cannot write: {exc.strerror or exc}", err=True)
                self.unwritten += 1
                return
        elif self.preview and not self.quiet:
            for line, before, after in sentences(plan):
                click.echo(f"{target.path}, line {line}:\n  before: {before}\n  after:  {after}\n")
        elif not self.quiet:
            diff = unified_diff(target.path, plan.text, plan.fixed)
            click.echo(_colour_diff(diff) if self.color else diff, nl=False, color=self.color)
        self.files += 1
        self.fixes += len(plan.edits)

    def summary(self, check_only: bool) -> str:
        fixes, files = _plural(self.fixes, "finding"), _plural(self.files, "file")
        if self.write:
            summary = f"Fixed {fixes} in {files}." if self.fixes else "Nothing to fix."
        elif self.fixes:
            summary = f"Would fix {fixes} in {files}" + ("." if check_only else "; run `tilint fix --write` to apply.")
        else:
            summary = "Nothing to fix."
        if self.left:
            # Most findings have no safe rewrite: say so, so "Nothing to fix" never reads as "all done".
            person = f"{_plural(self.left, 'finding')} {'needs' if self.left == 1 else 'need'} a person to reword"
            summary = f"{summary[:-1]}; {person} (`tilint check` lists them)."
        problems = [f"{_plural(n, 'file')} could not be {what}" for n, what in
                    ((self.unread, "read"), (self.unwritten, "written"), (self.failed, "checked")) if n]
        if problems:
            # "Nothing to fix" after an error would read as "all is well": say what was left undone.
            summary = f"{summary[:-1]}; " if self.fixes else "Nothing fixed: "
            summary += " and ".join(problems) + "."
        return summary

    def exit_code(self, check_only: bool) -> int:
        if self.failed:
            return EXIT_FAILED
        if self.unread or self.unwritten:
            return EXIT_USAGE
        return EXIT_FINDINGS if check_only and self.fixes else 0


COMMANDS = [fix]
