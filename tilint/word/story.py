"""Map a Word document's paragraphs to one plain text, keeping every run's place in it.

The linter works on text; comments are anchored on runs. This module walks the document the way a
reader sees it (body paragraphs, table cells at any depth, content controls, tracked insertions and
hyperlinks; not deletions, hidden text or field codes) and records, for each paragraph, which run
covers which characters. A finding's character span can then be turned back into runs.

Headers, footers, footnotes, endnotes and text boxes are read too, so that the document-level
framing is judged on everything the reader sees and their findings can be listed, but they are
marked as not annotatable: Word does not take comment ranges in headers and footers, and keeping
every comment in the main story is what makes the reviewed copy open cleanly everywhere.

Labels follow `tilint check` on the same file ("paragraph 3", "table 1, row 2, cell 1",
"footnote 1"), so a commissioner can match the two outputs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from tilint.document import Document
from tilint.readers.docx import block_children, is_deleted_row, look_through
from tilint.word.runs import R, is_hidden, run_text, split_run, w

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
FALLBACK = f"{{{MC_NS}}}Fallback"

P, TBL, TR, TC = (w(n) for n in ("p", "tbl", "tr", "tc"))
TXBX_CONTENT = w("txbxContent")
#: paragraph-level wrappers whose runs are visible text
_INLINE_CONTAINERS = frozenset(
    w(n)
    for n in (
        "hyperlink", "ins", "moveTo", "smartTag", "sdt", "sdtContent", "customXml", "fldSimple", "dir", "bdo"
    )
)
_TOC_NAME = re.compile(r"^toc\s*(heading|\d)", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)


@dataclass
class Segment:
    """One run and the characters it shows, as offsets into its paragraph's text."""

    run: etree._Element
    start: int
    end: int


@dataclass
class Para:
    """A paragraph as the linter sees it, and where its text sits in the whole document text."""

    element: etree._Element
    segments: list[Segment]
    label: str
    annotatable: bool
    start: int = 0

    @property
    def text(self) -> str:
        return "".join(run_text(s.run) for s in self.segments)

    @property
    def end(self) -> int:
        return self.start + (self.segments[-1].end if self.segments else 0)

    def boundary(self, offset: int) -> int:
        """Make `offset` (in this paragraph) fall between two runs, splitting one if needed.

        Returns the index of the first segment at or after the offset.
        """
        for index, segment in enumerate(self.segments):
            if offset <= segment.start:
                return index
            if segment.start < offset < segment.end:
                right = split_run(segment.run, offset - segment.start)
                self.segments[index : index + 1] = [
                    Segment(segment.run, segment.start, offset),
                    Segment(right, offset, segment.end),
                ]
                return index + 1
        return len(self.segments)

    def runs_between(self, start: int, end: int) -> list[etree._Element]:
        """The runs showing characters `start`..`end` of this paragraph, splitting boundary runs."""
        first = self.boundary(start)
        last = self.boundary(end)
        return [s.run for s in self.segments[first:last] if s.end > s.start]


def paragraph_segments(p: etree._Element) -> list[Segment]:
    """Every run of a paragraph that shows text, in reading order, with its offsets."""
    segments: list[Segment] = []
    position = 0
    for run in _runs(p):
        length = len(run_text(run))
        if length:
            segments.append(Segment(run, position, position + length))
            position += length
    return segments


def _runs(container: etree._Element) -> Iterator[etree._Element]:
    for child in container:
        if child.tag == R:
            if not is_hidden(child):
                yield child
        elif child.tag in _INLINE_CONTAINERS:
            yield from _runs(child)


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    """Text boxes anchored in a paragraph, each once (Word stores a VML fallback copy too)."""
    boxes = []
    for box in p.iter(TXBX_CONTENT):
        ancestor = box.getparent()
        inner = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag == FALLBACK or ancestor.tag == TXBX_CONTENT:
                inner = True
                break
            ancestor = ancestor.getparent()
        if not inner:
            boxes.append(box)
    return boxes


class StoryMap:
    """Every paragraph tilint reads in a document, and the text built from them.

    Paragraphs are joined by a line break; blocks (a table cell, a note, a header) are separated by
    a blank line, as in the docx reader, so that no phrase is matched from one cell into the next.
    """

    def __init__(self, style_names: dict[str, str] | None = None) -> None:
        self.paras: list[Para] = []
        self.style_names = style_names or {}
        self.body_paragraphs = 0
        self.tables = 0
        self.text_boxes = 0
        self.footnote_ids: list[str] = []
        self.endnote_ids: list[str] = []
        self._parts: list[str] = []
        self._length = 0
        self._locations: list[tuple[int, str]] = []
        self._block_pending = False
        self._starts: list[int] | None = None

    # -- building -------------------------------------------------------------------------------
    def block_break(self) -> None:
        self._block_pending = True

    def add(self, p: etree._Element, label: str, annotatable: bool) -> Para | None:
        segments = paragraph_segments(p)
        para = Para(p, segments, label, annotatable)
        text = para.text
        if not text.strip():
            return None
        if self._parts:
            self._emit("\n\n" if self._block_pending else "\n")
        self._block_pending = False
        para.start = self._length
        if not self._locations or self._locations[-1][1] != label:
            self._locations.append((self._length, label))
        self._emit(text)
        self.paras.append(para)
        return para

    def _emit(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def blocks(self, container: etree._Element, label: str | None, annotatable: bool) -> None:
        """Paragraphs and tables of a body, cell, note, header or text box, in reading order.

        `label` None means the main body, whose paragraphs are numbered.
        """
        for child in block_children(container):
            if child.tag == P:
                self.paragraph(child, label, annotatable)
            elif child.tag == TBL:
                self.table(child, label, annotatable)

    def paragraph(self, p: etree._Element, label: str | None, annotatable: bool) -> None:
        if _TOC_NAME.match(self.style_names.get(_style_id(p) or "", "")):
            return  # a table of contents repeats the headings and is regenerated by Word
        if label is None:
            where = f"paragraph {self.body_paragraphs + 1}"
            if self.add(p, where, annotatable) is not None:
                self.body_paragraphs += 1
        else:
            self.add(p, label, annotatable)
        for ref in p.iter(w("footnoteReference")):
            self.footnote_ids.append(ref.get(w("id"), ""))
        for ref in p.iter(w("endnoteReference")):
            self.endnote_ids.append(ref.get(w("id"), ""))
        for box in _text_boxes(p):
            self.text_boxes += 1
            self.block_break()
            self.blocks(box, f"text box {self.text_boxes}", False)
            self.block_break()

    def table(self, tbl: etree._Element, outer: str | None, annotatable: bool) -> None:
        if outer is None:
            self.tables += 1
            prefix = f"table {self.tables}"
        else:
            siblings = [c for c in tbl.getparent() if c.tag == TBL] if tbl.getparent() is not None else [tbl]
            prefix = f"{outer}, table {siblings.index(tbl) + 1 if tbl in siblings else 1}"
        row_number = 0
        for row in look_through(tbl):
            if row.tag != TR or is_deleted_row(row):
                continue
            row_number += 1
            cells = [c for c in look_through(row) if c.tag == TC]
            for cell_number, cell in enumerate(cells, start=1):
                self.block_break()
                self.blocks(cell, f"{prefix}, row {row_number}, cell {cell_number}", annotatable)
        self.block_break()

    # -- reading back ---------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return "".join(self._parts)

    def document(self, path: str) -> Document:
        text = self.text
        return Document(
            path=path,
            text=text,
            format="docx",
            ignored=[m.span() for m in _URL.finditer(text)],
            locations=list(self._locations),
        )

    def locate(self, offset: int) -> int | None:
        """Index of the paragraph holding a character offset of the whole text."""
        if self._starts is None or len(self._starts) != len(self.paras):
            self._starts = [p.start for p in self.paras]
        index = bisect_right(self._starts, offset) - 1
        if index < 0 or offset > self.paras[index].end:
            return None
        return index


def _style_id(p: etree._Element) -> str | None:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val")) if style is not None else None


def style_names(styles_root: etree._Element | None) -> dict[str, str]:
    """Paragraph style id -> display name, to recognise table-of-contents paragraphs."""
    names: dict[str, str] = {}
    if styles_root is None:
        return names
    for style in styles_root.iter(w("style")):
        name = style.find(w("name"))
        style_id = style.get(w("styleId"))
        if style_id and name is not None:
            names[style_id] = name.get(w("val"), "")
    return names


__all__ = ["Para", "Segment", "StoryMap", "paragraph_segments", "style_names"]
