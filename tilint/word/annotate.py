"""Lint a Word document and return a copy with a comment on each flagged phrase.

The steps: open the package (after the same safety checks the docx reader makes), map every
paragraph to text (`story`), lint that text once so the document-level framing is judged on the
whole, turn each finding's character span back into runs (splitting runs at the span's edges),
anchor a comment on them with python-docx's `Document.add_comment`, and add a summary comment at
the start. Before the bytes are returned the copy is re-opened and its text compared with the
original's, so a bug can never hand a commissioner a document whose words have changed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tilint.document import ReadError
from tilint.findings import FileResult, Finding
from tilint.readers.docx import part_element, related_root
from tilint.word.comments import finding_comment, summary_comment
from tilint.word.runs import R, w
from tilint.word.story import REL_NS, RT_ENDNOTES, RT_FOOTNOTES, Para, StoryMap, style_names

RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_WHAT = "Word document"
#: the summary comment covers the whole first paragraph when it is a short title, else its first word
SHORT_TITLE = 80
#: Word slows to a crawl with thousands of comments, and python-docx's comment ids cost time
#: proportional to the comments already there; past this the summary lists the rest
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


def annotate_docx(
    path: str,
    data: bytes,
    linter: Any,
    author: str = "tilint",
    initials: str = "TL",
    postprocess: Callable[[FileResult, bytes], None] | None = None,
) -> AnnotateResult:
    """Lint `data` (a .docx) with `linter` and return the commented copy. Raises ReadError.

    `postprocess` filters the findings in place as `tilint check` does (per-file ignores).
    """
    docx_document = _open(data)
    if not hasattr(docx_document, "add_comment"):
        raise AnnotateError("Word comments need python-docx 1.2 or later; upgrade it with pip")
    story = build_story(docx_document)
    original_text = story.text
    result = linter.check(story.document(path))
    result.path = path
    if postprocess is not None:
        postprocess(result, data)
    out = AnnotateResult(data=b"", result=result)
    for finding in result.findings:
        if finding.start is None or finding.end is None:
            continue  # document-level: reported in the summary comment
        if len(out.marked) >= MAX_COMMENTS:
            out.unmarked.append((finding, f"over the limit of {MAX_COMMENTS} comments"))
            continue
        try:
            reason = _anchor(docx_document, story, finding, linter.ruleset, author, initials)
        except (ValueError, KeyError, AttributeError, TypeError, etree.LxmlError) as exc:
            # Unusual markup must not cost the whole review; the text check in _verify still runs.
            reason = f"could not be marked ({type(exc).__name__})"
        if reason is None:
            out.marked.append(finding)
        else:
            out.unmarked.append((finding, reason))
    text = summary_comment(result, linter.ruleset, len(out.marked), out.unmarked)
    out.summary_added = _add_summary(docx_document, story, text, author, initials)
    if not out.summary_added:
        out.warnings.append("the document body has no paragraph, so the summary comment could not be added")
    buffer = io.BytesIO()
    docx_document.save(buffer)
    out.data = buffer.getvalue()
    _verify(out.data, original_text)
    return out


# -- opening and mapping -----------------------------------------------------------------------------
def _open(data: bytes):
    """python-docx Document, after refusing zip bombs, DTDs and files that are not Word documents."""
    import zipfile

    import docx

    from tilint.readers.safety import check_xml_members, open_zip, short_reason

    with open_zip(data, _WHAT) as zf:
        names = set(zf.namelist())
        check_xml_members(zf, _WHAT)
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise ReadError(f"not a {_WHAT} (.docx)")
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" in str(exc):
            raise ReadError("not a Word .docx document (macro-enabled or template file?)") from None
        raise ReadError(f"cannot read docx: {short_reason(exc)}") from None
    except (zipfile.BadZipFile, KeyError, OSError, etree.LxmlError) as exc:
        raise ReadError(f"cannot read docx: {short_reason(exc)}") from None


def build_story(docx_document: Any) -> StoryMap:
    """Body (annotatable), then footnotes, endnotes, headers and footers (read, not annotatable)."""
    part = docx_document.part
    story = StoryMap(style_names(related_root(part, RT_STYLES, "styles")))
    body = docx_document.element.body
    story.blocks(body, None, True)
    for reltype, kind, ids in (
        (RT_FOOTNOTES, "footnote", story.footnote_ids),
        (RT_ENDNOTES, "endnote", story.endnote_ids),
    ):
        root = related_root(part, reltype, f"{kind}s")
        if root is None:
            continue
        notes = {note.get(w("id")): note for note in root.iter(w(kind))}
        for number, note_id in enumerate(dict.fromkeys(list(ids)), start=1):
            note = notes.get(note_id)
            if note is not None:
                story.block_break()
                story.blocks(note, f"{kind} {number}", False)
    seen: set[str] = set()
    for reference, label in (("headerReference", "header"), ("footerReference", "footer")):
        for sect_pr in body.iter(w("sectPr")):
            for ref in sect_pr.findall(w(reference)):
                target = part.related_parts.get(ref.get(f"{{{REL_NS}}}id"))
                root = part_element(target, label) if target is not None else None
                if root is None:
                    continue
                signature = "".join(root.itertext()).strip()
                if not signature or signature in seen:
                    continue  # the same header on every section is read once
                seen.add(signature)
                story.block_break()
                story.blocks(root, label, False)
    return story


# -- anchoring ---------------------------------------------------------------------------------------
def _anchor(docx_document: Any, story: StoryMap, finding: Finding, ruleset: Any, author: str,
            initials: str) -> str | None:
    """Comment on the finding's words; None when done, else why it is listed in the summary instead."""
    assert finding.start is not None and finding.end is not None
    first = story.locate(finding.start)
    last = story.locate(max(finding.start, finding.end - 1))
    if first is None or last is None:
        return "could not be located"
    paras = story.paras[first : last + 1]
    if not all(para.annotatable for para in paras):
        return ""
    runs: list[etree._Element] = []
    for para in paras:
        start = max(finding.start, para.start) - para.start
        end = min(finding.end, para.end) - para.start
        if end > start:
            runs.extend(para.runs_between(start, end))
    if not runs:
        return "could not be located"
    _comment(docx_document, runs, finding_comment(finding, ruleset.get(finding.rule)), author, initials,
             paras[-1])
    return None


def _comment(docx_document: Any, runs: list[etree._Element], text: str, author: str, initials: str,
             last_para: Para) -> None:
    from docx.text.run import Run

    comment = docx_document.add_comment([Run(runs[0], docx_document), Run(runs[-1], docx_document)],
                                        text=text, author=author, initials=initials)
    _lift_reference(runs[-1], last_para.element)
    _hoist_markers(runs[0], runs[-1], str(comment.comment_id))


#: wrappers that some readers (LibreOffice) drop comment marks inside of; marks at their edges move out
_TRANSPARENT = frozenset({w("smartTag"), w("customXml")})


def _hoist_markers(first_run: etree._Element, last_run: etree._Element, comment_id: str) -> None:
    """Move a range start (end) that opens (closes) a smart tag or custom XML wrapper outside it.

    Only when the mark sits at the wrapper's very edge, so the range still covers the same text.
    """
    start = first_run.getprevious()
    if start is not None and start.tag == w("commentRangeStart") and start.get(w("id")) == comment_id:
        while _at_edge(start, before=True):
            start.getparent().addprevious(start)
    end = last_run.getnext()
    if end is not None and end.tag == w("commentRangeEnd") and end.get(w("id")) == comment_id:
        while _at_edge(end, before=False):
            end.getparent().addnext(end)


def _at_edge(mark: etree._Element, before: bool) -> bool:
    parent = mark.getparent()
    if parent is None or parent.tag not in _TRANSPARENT:
        return False
    sibling = mark.getprevious() if before else mark.getnext()
    while sibling is not None and isinstance(sibling.tag, str) and sibling.tag.endswith("Pr"):
        sibling = sibling.getprevious() if before else sibling.getnext()
    return sibling is None


def _lift_reference(last_run: etree._Element, paragraph: etree._Element) -> None:
    """Move the comment's reference mark out of a hyperlink, tracked insertion or content control.

    python-docx puts the `w:commentReference` run right after the range end, so when the last run
    is inside a hyperlink it would become part of the link, and inside a tracked insertion it would
    be rejected along with the insertion. The range end stays where it is, on the exact words.
    """
    if last_run.getparent() is paragraph:
        return
    range_end = last_run.getnext()
    reference = range_end.getnext() if range_end is not None else None
    if reference is None or reference.tag != R or reference.find(w("commentReference")) is None:
        return
    container = last_run
    while container.getparent() is not None and container.getparent() is not paragraph:
        container = container.getparent()
    if container.getparent() is paragraph:
        container.addnext(reference)


def _add_summary(docx_document: Any, story: StoryMap, text: str, author: str, initials: str) -> bool:
    para = next((p for p in story.paras if p.annotatable), None)
    if para is not None:
        full = para.text
        if len(full) <= SHORT_TITLE:
            runs = [s.run for s in para.segments]
        else:
            lead = len(full) - len(full.lstrip())
            word_end = len(full.split()[0]) + lead
            runs = para.runs_between(lead, word_end)
        _comment(docx_document, runs, text, author, initials, para)
        return True
    body = docx_document.element.body
    p = body.find(f".//{w('p')}")
    if p is None:
        return False
    run = etree.SubElement(p, R)  # an empty run: gives the comment an anchor without adding text
    from docx.text.run import Run

    docx_document.add_comment(Run(run, docx_document), text=text, author=author, initials=initials)
    return True


def _verify(data: bytes, original_text: str) -> None:
    """Re-open the copy and check its text is the original's, character for character."""
    import docx

    try:
        reopened = docx.Document(io.BytesIO(data))
    except Exception as exc:  # pragma: no cover - would be a bug in this module or python-docx
        raise AnnotateError(f"the annotated copy does not re-open ({exc}); nothing was written") from exc
    if build_story(reopened).text != original_text:  # pragma: no cover - the guard against our own bugs
        raise AnnotateError("annotating would have changed the document's text; nothing was written")
