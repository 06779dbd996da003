"""The WordprocessingML tilint writes: comments (part and anchors) and the ids they share.

A Word comment is two things: a `w:comment` in the comments part holding its text, and marks in
the story around the words it is about (`w:commentRangeStart` and `w:commentRangeEnd`, then a run
holding `w:commentReference`, which is where Word shows the comment's number). Tracked changes
(`tilint.word.revisions`) carry ids too; every id tilint writes is above every id already in the
document, so nothing an author or another tool wrote is ever confused with tilint's marks.
"""

from __future__ import annotations

from datetime import datetime, timezone

from lxml import etree

from tilint.readers.docx import DocxSource
from tilint.word.package import add_part
from tilint.word.runs import W_NS, XML_SPACE, R, w

RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
P = w("p")
#: wrappers that some readers (LibreOffice) drop comment marks inside of; marks at their edges move out
_TRANSPARENT = frozenset({w("smartTag"), w("customXml")})


def timestamp(when: datetime | None = None) -> str:
    """A w:date value: UTC, to the second, as Word writes it."""
    when = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class Ids:
    """Annotation ids above every w:id already used in the parts the reader parsed."""

    def __init__(self, source: DocxSource) -> None:
        highest = -1
        for root in source.package.parsed().values():
            for value in root.xpath("//@w:id", namespaces={"w": W_NS}):
                try:
                    highest = max(highest, int(value))
                except ValueError:
                    continue
        self._next = highest + 1
        #: the first id tilint writes; every id from here on is tilint's
        self.first = self._next

    def take(self) -> str:
        value = self._next
        self._next += 1
        return str(value)


class Comments:
    """The document's comments part, created on first use; existing comments are kept."""

    def __init__(self, source: DocxSource, ids: Ids, author: str, initials: str, date: str) -> None:
        self.package = source.package
        self.ids = ids
        self.author, self.initials, self.date = author, initials, date
        self.member = self.package.related(self.package.main, RT_COMMENTS)
        self.created = False
        self.count = 0

    @property
    def root(self) -> etree._Element:
        if self.member is None:
            self.member = _free_name(self.package.names, "word/comments.xml")
            root = etree.Element(w("comments"), nsmap={"w": W_NS})
            add_part(self.package, self.member, root, CT_COMMENTS, self.package.main, RT_COMMENTS)
            self.created = True
        return self.package.xml(self.member)

    def add(self, text: str) -> str:
        """Add a comment holding `text` (one paragraph per line); returns its id."""
        comment_id = self.ids.take()
        comment = etree.SubElement(self.root, w("comment"))
        comment.set(w("id"), comment_id)
        comment.set(w("author"), self.author)
        comment.set(w("date"), self.date)
        comment.set(w("initials"), self.initials)
        for index, line in enumerate(text.split("\n")):
            paragraph = etree.SubElement(comment, P)
            if index == 0:
                etree.SubElement(etree.SubElement(paragraph, R), w("annotationRef"))
            run = etree.SubElement(paragraph, R)
            t = etree.SubElement(run, w("t"))
            t.text = line
            t.set(XML_SPACE, "preserve")
        self.count += 1
        return comment_id

    def changed_parts(self) -> set[str]:
        if self.member is None or not self.count:
            return set()
        parts = {self.member}
        if self.created:
            from tilint.readers.opc import CONTENT_TYPES, rels_name

            parts |= {CONTENT_TYPES, rels_name(self.package.main)}
        return parts


def _free_name(names: set[str], wanted: str) -> str:
    if wanted not in names:
        return wanted
    stem, _, ext = wanted.rpartition(".")
    number = 1
    while f"{stem}{number}.{ext}" in names:
        number += 1
    return f"{stem}{number}.{ext}"


def anchor(first: etree._Element, last: etree._Element, paragraph: etree._Element, comment_id: str) -> None:
    """Put comment `comment_id`'s range around `first`..`last` (siblings or not) in `paragraph`."""
    start = etree.Element(w("commentRangeStart"))
    start.set(w("id"), comment_id)
    first.addprevious(start)
    end = etree.Element(w("commentRangeEnd"))
    end.set(w("id"), comment_id)
    last.addnext(end)
    reference = etree.Element(R)
    etree.SubElement(reference, w("commentReference")).set(w("id"), comment_id)
    end.addnext(reference)
    _lift_reference(reference, paragraph)
    _hoist(start, before=True)
    _hoist(end, before=False)


def _lift_reference(reference: etree._Element, paragraph: etree._Element) -> None:
    """Move the reference run out of a hyperlink, tracked change or content control.

    Inside a hyperlink it would become part of the link; inside a tracked insertion or deletion it
    would be accepted or rejected along with it. The range end stays where it is, on the words.
    """
    container = reference
    while container.getparent() is not None and container.getparent() is not paragraph:
        container = container.getparent()
    if container is not reference and container.getparent() is paragraph:
        container.addnext(reference)


def _hoist(mark: etree._Element, before: bool) -> None:
    """Move a range start (end) that opens (closes) a smart tag or custom XML wrapper outside it.

    Only when the mark sits at the wrapper's very edge, so the range still covers the same text.
    """
    while _at_edge(mark, before):
        parent = mark.getparent()
        if before:
            parent.addprevious(mark)
        else:
            parent.addnext(mark)


def _at_edge(mark: etree._Element, before: bool) -> bool:
    parent = mark.getparent()
    if parent is None or parent.tag not in _TRANSPARENT:
        return False
    sibling = mark.getprevious() if before else mark.getnext()
    while sibling is not None and isinstance(sibling.tag, str) and sibling.tag.endswith("Pr"):
        sibling = sibling.getprevious() if before else sibling.getnext()
    return sibling is None


def empty_anchor_run(paragraph: etree._Element) -> etree._Element:
    """An empty run at the start of `paragraph`: an anchor for a comment on a paragraph with no text."""
    run = etree.Element(R)
    props = paragraph.find(w("pPr"))
    if props is not None:
        props.addnext(run)
    else:
        paragraph.insert(0, run)
    return run
