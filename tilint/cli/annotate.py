"""`tilint annotate`: a reviewed copy of a Word draft, with a comment on each flagged phrase."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from tilint.cli.common import EXIT_FAILED, EXIT_USAGE, configured, fail
from tilint.cli.options import Execution, execution_options, run_options
from tilint.document import ReadError


def default_output(source: Path) -> Path:
    """DRAFT.docx -> DRAFT.reviewed.docx, next to the original."""
    return source.with_name(f"{source.stem}.reviewed{source.suffix}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@click.command()
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the reviewed copy (default: DRAFT.reviewed.docx next to the draft).")
@click.option("--force", is_flag=True, help="Overwrite the output if it exists.")
@click.option("--suggest", is_flag=True,
              help="Write the rules' rewrites as tracked changes to accept or reject; the rest stay comments.")
@click.option("--author", default="tilint", show_default=True, help="Author of the comments and changes in Word.")
@click.option("--rule-ids", is_flag=True, help="Name the rule in each comment (for rule authors).")
@run_options()
@execution_options(jobs=False, max_size=False, cache=False)
def annotate(draft: Path, output: Path | None, force: bool, suggest: bool, author: str, rule_ids: bool,
             run, execution: Execution) -> None:
    """Write a copy of a Word DRAFT with a review comment on each flagged phrase.

    Each comment sits on exactly the flagged words and says what the problem is, what to write
    instead and why (with the source). With --suggest, phrases a rule can rewrite become tracked
    changes (by AUTHOR, dated) that Word's Accept and Reject buttons apply or undo. A comment at
    the start summarises how the whole document
    frames people and lists findings Word cannot hold a comment for (headers, footers, text
    boxes). The draft itself is never changed; the copy's text is the draft's, or with
    --suggest, the draft's once every change is rejected.

    Settings (extra rules, select, ignore, severities, per-file ignores) come from the same
    configuration file as `tilint check`.

    Exit status: 0 the copy was written (whatever it found); 2 a usage error, an existing output
    without --force, or a draft that could not be read; 3 tilint failed on the draft (an internal
    error, a crashed worker, or past --file-timeout).
    """
    from tilint.fix.fixer import write_atomic

    if draft.suffix.lower() != ".docx":
        fail(f"{draft}: annotate works on Word .docx files")
    if not draft.is_file():
        fail(f"{draft}: no such file")
    output = output or default_output(draft)
    if output.exists() and _same_file(draft, output):
        fail(f"{output}: the output would overwrite the draft; choose another name with -o")
    if output.exists() and not force:
        fail(f"{output} exists; use --force to overwrite it")
    if not output.parent.is_dir():
        fail(f"{output.parent}: no such folder")
    settings = configured(run)
    done = _reviewed(draft, settings, author, suggest, rule_ids, execution)
    try:
        write_atomic(output, done.data)
    except OSError as exc:
        click.echo(f"tilint: {output}: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)
    for warning in done.warnings:
        click.echo(f"tilint: {draft}: {warning}", err=True)
    total = len(done.result.findings)  # the count `tilint check` gives, whole-document findings included
    parts = []
    if done.changes:
        parts.append(f"{len(done.changes)} as suggested changes")
    commented = len(done.marked) - len(done.changes)
    parts.append(f"{commented} marked with comments" if suggest else f"{len(done.marked)} marked on the words")
    if done.unmarked:
        parts.append(f"{len(done.unmarked)} listed in the summary comment")
    whole = total - len(done.marked) - len(done.unmarked)
    if whole:
        parts.append(f"{whole} about the whole document")
    click.echo(f"Wrote {output}: {_plural(total, 'finding')} ({', '.join(parts)}).")
    summary = done.result.document.get("summary")
    if summary:
        click.echo(summary)


def _reviewed(draft: Path, settings, author: str, suggest: bool, rule_ids: bool, execution: Execution):
    """The reviewed copy, made in a worker under the per-file time limit (exit 3 past it)."""
    from tilint.run.local import run_tasks

    state = (settings.linter, settings.finding_filter(), author, _initials(author), suggest, rule_ids)
    outcome = next(run_tasks(_review, state, [str(draft)], timeout=execution.limits.file_timeout))
    if not outcome.ok:
        click.echo(f"tilint: {draft}: {outcome.error}", err=True)
        sys.exit(EXIT_FAILED)
    if isinstance(outcome.value, str):
        fail(f"{draft}: {outcome.value}")
    return outcome.value


def _review(state, path: str):
    """In a worker: the same read and check as `tilint check` on this file, the same filters,
    then the reviewed copy; or the sentence saying why there is none."""
    from tilint.engine import PipelineError
    from tilint.run.single import check_path
    from tilint.word.annotate import AnnotateError, plain_docx, review, suggestions

    linter, finding_filter, author, initials, suggest, rule_ids = state
    try:
        checked = check_path(linter, path, need_document=True)
        if checked.result.error or checked.document is None:
            return checked.result.error or "could not be read"
        finding_filter(checked.result, checked.data or b"")
        plain_docx(checked.document)
        changes = suggestions(checked.document, checked.result, linter) if suggest else []
        return review(checked.document, checked.result, linter.ruleset, author=author, initials=initials,
                      changes=changes, rule_ids=rule_ids)
    except (AnnotateError, PipelineError, ReadError) as exc:
        return str(exc)


def _initials(author: str) -> str:
    if author == "tilint":
        return "TL"
    letters = "".join(word[0] for word in author.split() if word[:1].isalpha()).upper()
    return letters[:3] or "TL"


COMMANDS = [annotate]
