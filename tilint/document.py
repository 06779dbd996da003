"""The one shape every reader produces and the engine consumes.

Readers turn a file of any format into a `Document`: the text to analyse plus the maps needed to
point a finding back at its source (a line and column, and for paged or structured formats a human
`where` such as "page 3" or "table 1, row 2, cell 3"). Keeping this in one small module means a new
format never touches the engine, and the engine never needs to know what a PDF is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

_NEWLINE = re.compile("\n")
_NOT_NEWLINE = re.compile("[^\n]")

#: what ignored text is replaced with: not a word character and not white space
BLANK = "\ufffc"


@dataclass(frozen=True)
class Heading:
    """A section heading: `start`/`end` are offsets of the heading text in `Document.text`."""

    start: int
    end: int
    title: str
    level: int = 1


@dataclass
class Document:
    """Text plus position maps.

    `text` is what findings point into: for plain text and Markdown it is the file itself, so line
    and column are the file's own; for extracted formats (docx, pdf, ...) it is the extracted text that
    `tilint check --show-text` prints.

    `ignored` holds (start, end) spans that must not be checked (code, URLs, comments, front
    matter). They are blanked before analysis (with a placeholder that is neither a word nor white
    space, so no phrase can match across them), never removed, so offsets stay true.

    `locations` is a sorted list of (offset, label): the human location of an offset is the label of
    the last entry at or before it ("page 3", "paragraph 12", "footnote 2").

    `source_map`, when set, is a sorted list of (offset, line, column) anchors into the original
    file for formats whose text is extracted from markup (HTML): between two anchors the text is a
    verbatim run of the source. When it is None, line and column are counted in `text` itself.
    """

    path: str
    text: str
    format: str = "text"
    ignored: list[tuple[int, int]] = field(default_factory=list)
    locations: list[tuple[int, str]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    source_map: list[tuple[int, int, int]] | None = None
    warnings: list[str] = field(default_factory=list)
    #: what separates paragraphs: "blank-line" (plain text, Markdown: a single line break is a
    #: soft wrap inside a paragraph) or "line" (extracted formats write one block per line), so
    #: that no phrase is matched across two paragraphs or a heading and the text after it
    paragraphs: str = "blank-line"
    #: what a reader kept of the file's structure for tools that write back into it (for .docx,
    #: which runs show which characters; see tilint.readers.docx.DocxSource). Never pickled or
    #: cached: a check does not need it
    source: Any = field(default=None, repr=False, compare=False)
    #: what the file says about itself, for formats that record it: "created" and "modified" as
    #: ISO 8601 dates or times ("2023-04-12T09:30:00"), filled by the docx, odt and pdf readers
    properties: dict[str, str] = field(default_factory=dict)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["source"] = None
        return state

    def __post_init__(self) -> None:
        self._newlines: list[int] | None = None
        self._location_offsets: list[int] | None = None
        self._source_offsets: list[int] | None = None

    # -- positions -----------------------------------------------------------------------------
    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset (columns count characters)."""
        if self.source_map:
            if self._source_offsets is None:
                self._source_offsets = [anchor[0] for anchor in self.source_map]
            i = bisect_right(self._source_offsets, offset) - 1
            if i >= 0:
                anchor_offset, line, col = self.source_map[i]
                return line, col + (offset - anchor_offset)
        return self.text_line_col(offset)

    def text_line_col(self, offset: int) -> tuple[int, int]:
        """Line and column in `text` itself; only "\\n" ends a line, so "\\r\\n" counts once."""
        if self._newlines is None:
            self._newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        line = bisect_right(self._newlines, offset - 1)
        line_start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - line_start + 1

    def where(self, offset: int) -> str | None:
        """The human location of an offset, or None for formats that have only lines."""
        if not self.locations:
            return None
        if self._location_offsets is None:
            self._location_offsets = [loc[0] for loc in self.locations]
        i = bisect_right(self._location_offsets, offset) - 1
        return self.locations[max(i, 0)][1]

    def line_text(self, line: int) -> str:
        """The text of a 1-based line of `text` (for carets under a finding)."""
        if self._newlines is None:
            self.text_line_col(0)
        assert self._newlines is not None
        start = self._newlines[line - 2] + 1 if line > 1 else 0
        end = self._newlines[line - 1] if line - 1 < len(self._newlines) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def has_source_lines(self) -> bool:
        """True when line/column are meaningful to a person (text, Markdown, HTML)."""
        return not self.locations

    def analysable_text(self) -> str:
        """`text` with ignored spans blanked (newlines kept), so offsets are unchanged."""
        if not self.ignored:
            return self.text
        parts: list[str] = []
        cursor = 0
        for start, end in sorted(self.ignored):
            start = max(start, cursor)
            if start >= end:
                continue
            parts.append(self.text[cursor:start])
            parts.append(_NOT_NEWLINE.sub(BLANK, self.text[start:end]))
            cursor = end
        parts.append(self.text[cursor:])
        return "".join(parts)


class ReadError(Exception):
    """A file could not be turned into a Document; the message is shown to the user as is."""
