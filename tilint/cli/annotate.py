"""`tilint annotate`: a reviewed copy of a Word draft, with a comment on each flagged phrase."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from tilint.cli.common import EXIT_USAGE, configured, fail
from tilint.cli.options import run_options
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
def annotate(draft: Path, output: Path | None, force: bool, suggest: bool, author: str, rule_ids: bool,
             run) -> None:
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
    without --force, or a draft that could not be read.
    """
    from tilint.engine import PipelineError
    from tilint.fix.fixer import write_atomic
    from tilint.run.single import check_path
    from tilint.word.annotate import AnnotateError, plain_docx, review, suggestions

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
    try:
        # The same read and check as `tilint check` on this file, then the same filters.
        checked = check_path(settings.linter, str(draft), need_document=True)
        if checked.result.error or checked.document is None:
            fail(f"{draft}: {checked.result.error or 'could not be read'}")
        settings.postprocess(checked.result, checked.data or b"")
        plain_docx(checked.document)
        changes = suggestions(checked.document, checked.result, settings.linter) if suggest else []
        done = review(checked.document, checked.result, settings.linter.ruleset, author=author,
                      initials=_initials(author), changes=changes, rule_ids=rule_ids)
        write_atomic(output, done.data)
    except (AnnotateError, PipelineError, ReadError) as exc:
        fail(f"{draft}: {exc}")
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


def _initials(author: str) -> str:
    if author == "tilint":
        return "TL"
    letters = "".join(word[0] for word in author.split() if word[:1].isalpha()).upper()
    return letters[:3] or "TL"


COMMANDS = [annotate]
