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
from tilint.findings import FileResult, Finding
from tilint.readers.docx import DocxSource, Line
from tilint.word.comments import finding_comment, summary_comment
from tilint.word.locate import Unmarkable, line_of, runs_for
from tilint.word.markup import Comments, Ids, anchor, empty_anchor_run, timestamp
from tilint.word.package import write_copy

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
) -> AnnotateResult:
    """Read and lint `data` (a .docx) and return the reviewed copy. Raises ReadError.

    `postprocess` filters the findings in place as `tilint check` does (suppressions, per-file
    ignores). Callers that have already checked the file use `review` directly.
    """
    document = read_docx(path, data)
    result = linter.check(document)
    result.path = path
    if postprocess is not None:
        postprocess(result, data)
    return review(document, result, linter.ruleset, author=author, initials=initials, when=when)


def review(
    document: Document,
    result: FileResult,
    ruleset: Any,
    author: str = "tilint",
    initials: str = "TL",
    when: datetime | None = None,
) -> AnnotateResult:
    """The reviewed copy of a .docx `document` (read by the docx reader) with `result`'s findings.

    The document's XML trees are edited in place, so it must not be reviewed twice.
    """
    source = document.source
    if not isinstance(source, DocxSource):
        raise AnnotateError("a reviewed copy needs a Word document read by tilint's .docx reader")
    ids = Ids(source)
    comments = Comments(source, ids, author, initials, timestamp(when))
    changed: set[str] = set()
    out = AnnotateResult(data=b"", result=result)
    for finding in result.findings:
        if finding.start is None or finding.end is None:
            continue  # document-level: reported in the summary comment
        if len(out.marked) >= MAX_COMMENTS:
            out.unmarked.append((finding, f"over the limit of {MAX_COMMENTS} comments"))
            continue
        try:
            line = line_of(source, finding.start, finding.end)
            text = finding_comment(finding, ruleset.get(finding.rule))
            if line.story == "body":
                runs = runs_for(line, finding.start - line.start, finding.end - line.start)
                anchor(runs[0], runs[-1], line.element, comments.add(text))
                changed.add(line.part)
            elif line.label in source.note_marks:
                # On the note's number in the text: Word could hold it in the note itself, but
                # LibreOffice cannot open a document with a comment there.
                mark = source.note_marks[line.label]
                anchor(mark, mark, _paragraph_of(mark), comments.add(f"In {line.label}: {text}"))
                changed.add(source.package.main)
            else:
                out.unmarked.append((finding, ""))
                continue
            out.marked.append(finding)
        except Unmarkable as exc:
            out.unmarked.append((finding, str(exc)))
        except (ValueError, KeyError, AttributeError, TypeError, etree.LxmlError) as exc:
            # Unusual markup must not cost the whole review; the text check in _verify still runs.
            out.unmarked.append((finding, f"could not be marked ({type(exc).__name__})"))
    text = summary_comment(result, ruleset, len(out.marked), out.unmarked)
    out.summary_added = _add_summary(source, comments, text, changed)
    if not out.summary_added:
        out.warnings.append("the document body has no paragraph, so the summary comment could not be added")
    changed |= comments.changed_parts()
    out.data = write_copy(source.package, changed)
    _verify(document, out.data)
    return out


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
    """The whole first paragraph when it is a short title, else its first word."""
    if line.length <= SHORT_TITLE:
        return runs_for(line, 0, line.length)
    text = _line_text(line)
    first_word = len(text.split()[0]) if text.split() else line.length
    return runs_for(line, 0, first_word)


def _line_text(line: Line) -> str:
    from tilint.readers.safety import tidy_offsets

    return tidy_offsets(line.raw)[0]


def _verify(document: Document, data: bytes) -> None:
    """Read the copy back and check its text is the original's, character for character."""
    from tilint.readers.docx import read

    try:
        copy = read(document.path, data)
    except ReadError as exc:  # pragma: no cover - would be a bug in this package
        raise AnnotateError(f"the reviewed copy does not re-open ({exc}); nothing was written") from exc
    if copy.text != document.text:  # pragma: no cover - the guard against our own bugs
        raise AnnotateError("annotating would have changed the document's text; nothing was written")
