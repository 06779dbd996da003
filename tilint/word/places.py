"""Where a finding is, in words a Word user can act on: the heading it sits under, and the page
when Word recorded its layout ("under “2.3 Referral pathway”, page 4").

Paragraph numbers mean nothing in Word, which does not show them. Headings are what the
Navigation pane lists; pages are known only when the file was last saved by a program that laid
it out and recorded where each page began (Word does; python-docx and many converters do not),
and are left out otherwise rather than guessed.
"""

from __future__ import annotations

from bisect import bisect_right

from tilint.document import Document
from tilint.readers.docx import DocxSource, Line

_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


class Places:
    """Sections and Word-style locations for the offsets of one document."""

    def __init__(self, document: Document, source: DocxSource) -> None:
        self.document = document
        self.source = source
        self.headings = sorted(document.headings, key=lambda h: h.start)
        self._starts = [h.start for h in self.headings]
        # A note is placed where its number is in the text.
        self._note_offsets: dict[str, int] = {}
        by_element = {id(line.element): line for line in source.lines if line.story == "body"}
        for label, mark in source.note_marks.items():
            paragraph = next(mark.iterancestors(_P), None)
            line = by_element.get(id(paragraph)) if paragraph is not None else None
            if line is not None:
                self._note_offsets[label] = line.start

    def anchor_offset(self, line: Line, offset: int) -> int | None:
        """The body offset a line's place is judged by (a note's number), None for a header/footer."""
        if line.story in ("header", "footer"):
            return None
        if line.story in ("footnote", "endnote"):
            return self._note_offsets.get(line.label)
        return offset

    def heading(self, offset: int | None) -> str | None:
        if offset is None:
            return None
        index = bisect_right(self._starts, offset) - 1
        return self.headings[index].title if index >= 0 else None

    def section(self, line: Line, offset: int) -> str:
        """A key for "the same section": the heading above, or the header/footer itself."""
        if line.story in ("header", "footer"):
            return line.story
        return self.heading(self.anchor_offset(line, offset)) or ""

    def describe(self, line: Line, offset: int) -> str:
        """"under “Scope”, page 2", "footnote 1 (page 3)", "the header" ..."""
        if line.story in ("header", "footer"):
            return f"the {line.story}"
        at = self.anchor_offset(line, offset)
        page = self.source.page_at(at) if at is not None else None
        heading = self.heading(at)
        where = []
        if heading:
            where.append(f"under {_quote(heading)}")
        if page is not None:
            where.append(f"page {page}")
        if line.story in ("footnote", "endnote"):
            return line.label + (f" ({', '.join(where)})" if where else "")
        if line.story == "text box":
            return "a text box" + (f" {', '.join(where)}" if where else "")
        return ", ".join(where) or "before the first heading"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"\u201c{text[:57]}\u2026\u201d" if len(text) > 60 else f"\u201c{text}\u201d"

