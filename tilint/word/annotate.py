"""Hand a Word draft back reviewed: comments on the flagged words, in a copy of the document.

The document is read once, by the docx reader, which keeps the package and which runs show which
characters (`DocxSource`); the findings are those `tilint check` reports for the same file. Each
finding's span is turned back into runs (`locate`), a comment is anchored on them (`markup`), and
a summary comment goes at the start. The copy is written from the same package (`package`), every
part tilint did not touch copied as it was. Before the bytes are returned the copy is read again
and its text compared with the original's, so a bug can never hand a commissioner a document
whose words have changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from tilint.document import Document, ReadError
from tilint.engine import rewrite
from tilint.engine.rewrite import Rewritten
from tilint.findings import FileResult, Finding
from tilint.readers.docx import DocxSource, Line
from tilint.word.comments import Note, finding_comment, summary_comment
from tilint.word.locate import Unmarkable, in_field, line_of, runs_for
from tilint.word.markup import Comments, Ids, anchor, empty_anchor_run, timestamp
from tilint.word.package import write_copy
from tilint.word.places import Places
from tilint.word.revisions import DEL, INS, reject, replace_tracked, tracked_ids

#: the summary comment covers the whole first paragraph when it is a short title, else its first word
SHORT_TITLE = 80
#: Word slows to a crawl with thousands of comments; past this the summary lists the rest
MAX_COMMENTS = 1000


class AnnotateError(Exception):
    """The copy could not be made safely; nothing is written."""


@dataclass
class AnnotateResult:
    """The reviewed copy's bytes and what went into it."""

    data: bytes
    result: FileResult
    marked: list[Finding] = field(default_factory=list)
    #: findings listed only in the summary comment, each with the reason (empty when obvious)
    unmarked: list[tuple[Finding, str]] = field(default_factory=list)
    summary_added: bool = False
    warnings: list[str] = field(default_factory=list)
    #: the rewrites written as tracked changes
    changes: list[Rewritten] = field(default_factory=list)


def read_docx(path: str, data: bytes) -> Document:
    """The reader's Document of a .docx that annotate can write a copy of. Raises ReadError."""
    from tilint.readers.docx import read

    return plain_docx(read(path, data))


def plain_docx(document: Document) -> Document:
    """`document` if it is a plain .docx read by the docx reader; ReadError for a macro-enabled
    document or a template, whose copy Word would refuse to open under a .docx name."""
    if not isinstance(document.source, DocxSource):
        raise ReadError("not a Word .docx document")
    kind = document.source.package.main_kind()
    if kind is not None:
        raise ReadError(f"this is {kind}, not a .docx document; save it as a Word document (.docx) first")
    return document


def annotate_docx(
    path: str,
    data: bytes,
    linter: Any,
    author: str = "tilint",
    initials: str = "TL",
    postprocess: Callable[[FileResult, bytes], None] | None = None,
    when: datetime | None = None,
    suggest: bool = False,
    rule_ids: bool = False,
) -> AnnotateResult:
    """Read and lint `data` (a .docx) and return the reviewed copy. Raises ReadError.

    `postprocess` filters the findings in place as `tilint check` does (suppressions, per-file
    ignores); `suggest` writes the rules' rewrites as tracked changes. Callers that have already
    checked the file use `suggestions` and `review` directly.
    """
    document = read_docx(path, data)
    result = linter.check(document)
    result.path = path
    if postprocess is not None:
        postprocess(result, data)
    planned = suggestions(document, result, linter) if suggest else []
    return review(document, result, linter.ruleset, author=author, initials=initials, when=when,
                  changes=planned, rule_ids=rule_ids)


def suggestions(document: Document, result: FileResult, linter: Any) -> list[Rewritten]:
    """The rewrites to offer as tracked changes: each one fitted to its sentence, and none that
    tilint would flag again once accepted. A term the document defines and uses many times
    (a grouped finding) is not changed here: a reviewer could accept some uses and not others."""
    from tilint.formatters.related import further_uses

    findings = [f for f in result.findings if not further_uses(f)]
    planned, _ = rewrite.plan(document, findings, linter.ruleset, "suggested", rewrite.relinter(linter, document))
    return planned


def review(
    document: Document,
    result: FileResult,
    ruleset: Any,
    author: str = "tilint",
    initials: str = "TL",
    when: datetime | None = None,
    changes: list[Rewritten] | tuple = (),
    rule_ids: bool = False,
) -> AnnotateResult:
    """The reviewed copy of a .docx `document` (read by the docx reader) with `result`'s findings:
    `changes` (from `suggestions`) as tracked changes, every other finding as a comment.

    The document's XML trees are edited in place, so it must not be reviewed twice.
    """
    from tilint.formatters.related import further_uses

    source = document.source
    if not isinstance(source, DocxSource):
        raise AnnotateError("a reviewed copy needs a Word document read by tilint's .docx reader")
    date = timestamp(when)
    ids = Ids(source)
    comments = Comments(source, ids, author, initials, date)
    places = Places(document, source)
    by_finding = {id(change.finding): change for change in changes}
    changed: set[str] = set()
    out = AnnotateResult(data=b"", result=result)
    made: list[Rewritten] = []
    spans = [f for f in result.findings if f.start is not None and f.end is not None]
    lines: dict[int, Line] = {}
    for finding in spans:
        try:
            lines[id(finding)] = line_of(source, finding.start, finding.end)  # type: ignore[arg-type]
        except Unmarkable as exc:
            out.unmarked.append((finding, str(exc)))
    groups = _group(spans, lines, places)
    rules_seen: set[str] = set()
    for finding in spans:
        line = lines.get(id(finding))
        if line is None:
            continue
        group = groups[id(finding)]
        change = by_finding.get(id(finding))
        try:
            mark = _track(line, change, ids, author, date) if change is not None else None
        except Unmarkable:
            mark, change = None, None
        if change is not None:
            made.append(change)
            changed.add(line.part)
        leads = group.lead is finding
        if not leads and (change is not None or _commentable(line, source)):
            out.marked.append(finding)  # covered by its group's comment (and its own change, if any)
            continue
        if len(out.marked) >= MAX_COMMENTS:
            out.unmarked.append((finding, f"over the limit of {MAX_COMMENTS} comments"))
            continue
        note = Note(finding, places.describe(line, finding.start), (change.old, change.new) if change else None,
                    finding.rule not in rules_seen, group.here, group.elsewhere)
        if further_uses(finding):
            note.unchanged_because = "To rename it, change every use at once (Find and Replace), or none."
        text = finding_comment(note, ruleset.get(finding.rule), rule_ids)
        try:
            if line.story == "body":
                first, last = mark if mark is not None else _runs(line, finding)
                anchor(first, last, line.element, comments.add(text))
                changed.add(line.part)
            elif line.label in source.note_marks:
                # On the note's number in the text: Word could hold it in the note itself, but
                # LibreOffice cannot open a document with a comment there.
                reference = source.note_marks[line.label]
                anchor(reference, reference, _paragraph_of(reference), comments.add(f"In {line.label}: {text}"))
                changed.add(source.package.main)
            else:
                out.unmarked.append((finding, "a suggested change is made there" if change is not None else ""))
                continue  # the reason is given in the first comment in the text
            rules_seen.add(finding.rule)
            out.marked.append(finding)
        except Unmarkable as exc:
            out.unmarked.append((finding, str(exc)))
        except (ValueError, KeyError, AttributeError, TypeError, etree.LxmlError) as exc:
            # Unusual markup must not cost the whole review; the text check in _verify still runs.
            out.unmarked.append((finding, f"could not be marked ({type(exc).__name__})"))
    out.changes = made
    listed = [(f, _where(places, lines.get(id(f)), f), reason) for f, reason in out.unmarked]
    commented = sum(1 for f in out.marked if id(f) not in {id(c.finding) for c in made})
    text = summary_comment(result, ruleset, len(made), commented, listed, rule_ids)
    out.summary_added = _add_summary(source, comments, text, changed)
    if not out.summary_added:
        out.warnings.append("the document body has no paragraph, so the summary comment could not be added")
    changed |= comments.changed_parts()
    out.data = write_copy(source.package, changed)
    _verify(document, out.data, made, author, ids.first)
    return out


@dataclass
class _Group:
    """Uses of one phrase of one rule in one section: the first carries the comment."""

    lead: Finding
    here: int = 1
    elsewhere: list[tuple[str, int]] = field(default_factory=list)


def _group(spans: list[Finding], lines: dict[int, Line], places: Places) -> dict[int, _Group]:
    by_key: dict[tuple[str, str, str], list[Finding]] = {}
    sections: dict[tuple[str, str], dict[str, int]] = {}
    for finding in spans:
        line = lines.get(id(finding))
        if line is None:
            continue
        phrase = " ".join(finding.text.lower().split())
        section = places.section(line, finding.start or 0)
        by_key.setdefault((finding.rule, phrase, section), []).append(finding)
        counts = sections.setdefault((finding.rule, phrase), {})
        counts[section] = counts.get(section, 0) + 1
    groups: dict[int, _Group] = {}
    for (rule, phrase, section), members in by_key.items():
        counts = sections[(rule, phrase)]
        first_section = next((name for name in counts if name not in ("header", "footer")), section)
        elsewhere = [(name or "the start", n) for name, n in counts.items() if name != section
                     and name not in ("header", "footer")] if section == first_section else []
        group = _Group(members[0], len(members), elsewhere)
        for member in members:
            groups[id(member)] = group
    return groups


def _commentable(line: Line, source: DocxSource) -> bool:
    return line.story == "body" or line.label in source.note_marks


def _runs(line: Line, finding: Finding) -> tuple[etree._Element, etree._Element]:
    runs = runs_for(line, (finding.start or 0) - line.start, (finding.end or 0) - line.start)
    return runs[0], runs[-1]


def _track(line: Line, change: Rewritten, ids: Ids, author: str, date: str
           ) -> tuple[etree._Element, etree._Element]:
    """Write one rewrite as a tracked change; Unmarkable when its words cannot take one."""
    if change.start < line.start or change.end > line.end:
        raise Unmarkable("the change would reach into another paragraph")
    start, end = change.start - line.start, change.end - line.start
    if in_field(line, start, end):
        raise Unmarkable("the words are part of a field")
    runs = runs_for(line, start, end)
    return replace_tracked(runs, change.new, ids, author, date)


def _where(places: Places, line: Line | None, finding: Finding) -> str:
    return places.describe(line, finding.start or 0) if line is not None else (finding.where or "the document")


def _add_summary(source: DocxSource, comments: Comments, text: str, changed: set[str]) -> bool:
    line = next((candidate for candidate in source.lines if candidate.story == "body"), None)
    if line is not None:
        runs = _summary_runs(line)
        comment_id = comments.add(text)
        anchor(runs[0], runs[-1], line.element, comment_id)
        changed.add(line.part)
        return True
    package = source.package
    body = package.xml(package.main).find(f"{{{_W}}}body")
    paragraph = body.find(f".//{{{_W}}}p") if body is not None else None
    if paragraph is None:
        return False
    run = empty_anchor_run(paragraph)  # no text to anchor on: an empty run, adding no text
    anchor(run, run, paragraph, comments.add(text))
    changed.add(package.main)
    return True


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _paragraph_of(element: etree._Element) -> etree._Element:
    for ancestor in element.iterancestors(f"{{{_W}}}p"):
        return ancestor
    raise Unmarkable("could not be located")


def _summary_runs(line: Line) -> list[etree._Element]:
    """The whole first paragraph when it is a short title, else its first word; taken out to the
    paragraph's own children, so the marks never sit inside a tracked change."""
    if line.length <= SHORT_TITLE:
        runs = runs_for(line, 0, line.length)
    else:
        text = _line_text(line)
        first_word = len(text.split()[0]) if text.split() else line.length
        runs = runs_for(line, 0, first_word)
    first, last = _outermost(runs[0], line.element), _outermost(runs[-1], line.element)
    following = last.getnext()
    if last.tag == DEL and following is not None and following.tag == INS:
        last = following  # the insertion that goes with the deletion
    return [first, last]


def _outermost(element: etree._Element, paragraph: etree._Element) -> etree._Element:
    while element.getparent() is not None and element.getparent() is not paragraph:
        element = element.getparent()
    return element


def _line_text(line: Line) -> str:
    from tilint.readers.safety import tidy_offsets

    return tidy_offsets(line.raw)[0]


def _verify(document: Document, data: bytes, changes: list[Rewritten], author: str, first_id: int) -> None:
    """Read the copy back: as it stands (every change accepted) its text must be the original's
    with the changes made, and with tilint's changes rejected (ids from `first_id` on: every id
    tilint wrote is above those already there), the original's exactly."""
    from tilint.readers.docx import read, read_package
    from tilint.readers.opc import open_package

    try:
        copy = read(document.path, data)
        rejected = open_package(data)
        for member in rejected.names:
            if member.endswith(".xml") and member.startswith("word/"):
                root = rejected.xml(member)
                reject(root, {i for i in tracked_ids(root, author) if i.isdigit() and int(i) >= first_id})
        original = read_package(document.path, rejected)
    except ReadError as exc:  # pragma: no cover - would be a bug in this package
        raise AnnotateError(f"the reviewed copy does not re-open ({exc}); nothing was written") from exc
    if copy.text != rewrite.apply(document.text, changes)[0] or original.text != document.text:
        # pragma: no cover - the guard against our own bugs
        raise AnnotateError("the reviewed copy's text would not be the draft's; nothing was written")
