"""Word (.docx): the text a reader of the document sees, in reading order, with its location.

The package is opened once (`tilint.readers.opc`, after the zip and XML safety checks) and the
text is walked on the XML itself: python-docx's paragraph text skips tracked insertions, cannot
see text boxes and has no footnotes. What counts as visible follows Word: tracked insertions and
moves-to are read, deletions, moves-from, field codes and hidden text are not, and a text box
(which Word stores twice, as DrawingML and as a VML fallback) is read once, after the paragraph
anchoring it.

The walk also records which run shows which characters (`DocxSource`, attached to the Document),
so `tilint annotate` comments on and rewrites exactly the words this reader found, in the very
XML trees it read: there is one walk of a .docx, and annotate cannot disagree with check.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from tilint.document import Document, ReadError
from tilint.readers.opc import Package, open_package
from tilint.readers.safety import TextBuilder, clean_line, short_reason, tidy_inline, tidy_offsets

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_WHAT = "Word document"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (
    _w(n) for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
T, TAB, BR, CR, NB_HYPHEN, R, RPR = (_w(n) for n in ("t", "tab", "br", "cr", "noBreakHyphen", "r", "rPr"))
FLD_CHAR, FLD_SIMPLE, RENDERED_BREAK = _w("fldChar"), _w("fldSimple"), _w("lastRenderedPageBreak")
#: run content that shows as one character, and the character (as tilint.word.runs counts it)
_ONE_CHAR = {TAB: "\t", _w("ptab"): "\t", BR: "\n", CR: "\n", NB_HYPHEN: "-"}
TXBX_CONTENT = _w("txbxContent")
FOOTNOTE_REF, ENDNOTE_REF = _w("footnoteReference"), _w("endnoteReference")
ALTERNATE_CONTENT, FALLBACK = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Fallback"

#: subtrees whose text is not what a reader sees
_SKIP = frozenset(
    _w(n)
    for n in (
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "delInstrText",
        "pPr",
        "sdtPr",
        "sdtEndPr",
        "tblPr",
        "tblGrid",
        "trPr",
        "tcPr",
        "rt",
        "commentReference",
        "fldData",
    )
) | {FALLBACK}
_OFF = frozenset({"0", "false", "off"})
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_TOC_NAME = re.compile(r"^toc\s*(heading|\d)", re.IGNORECASE)


class _Styles:
    """Paragraph style facts needed for headings, resolved through `basedOn` inheritance."""

    def __init__(self, styles_element: etree._Element | None) -> None:
        self._by_id: dict[str, tuple[str, str | None, int | None]] = {}
        if styles_element is None:
            return
        for style in styles_element.iter(_w("style")):
            style_id = style.get(_w("styleId"))
            if not style_id:
                continue
            name_el = style.find(_w("name"))
            based_el = style.find(_w("basedOn"))
            outline_el = style.find(f"{_w('pPr')}/{_w('outlineLvl')}")
            outline = _int(outline_el.get(_w("val"))) if outline_el is not None else None
            self._by_id[style_id] = (
                name_el.get(_w("val"), "") if name_el is not None else "",
                based_el.get(_w("val")) if based_el is not None else None,
                outline,
            )

    def name(self, style_id: str | None) -> str:
        return self._by_id.get(style_id or "", ("", None, None))[0]

    def heading_level(self, style_id: str | None, direct_outline: int | None) -> int | None:
        """Word's own rules: a Heading/Title style, else an outline level of 0-8 (9 = body text)."""
        if direct_outline is not None:
            return direct_outline + 1 if 0 <= direct_outline <= 8 else None
        seen: set[str] = set()
        current = style_id
        while current and current not in seen:
            seen.add(current)
            name, based_on, outline = self._by_id.get(current, ("", None, None))
            match = _HEADING_NAME.match(name.strip())
            if match:
                return int(match.group(1))
            if name.strip().lower() == "title":
                return 0
            if outline is not None:
                return outline + 1 if 0 <= outline <= 8 else None
            current = based_on
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@dataclass
class Piece:
    """Characters of a paragraph's raw text shown by one item of one run.

    `raw` is where they start in the paragraph's raw text (before spaces are tidied), `offset`
    where they start in the run's own text, as `tilint.word.runs.run_text` counts it. `run` is
    None for text that no run holds directly (inside a drawing or a ruby), which can be read but
    not split or edited; `in_field` marks a field's result, which Word may regenerate.
    """

    raw: int
    length: int
    run: etree._Element | None
    offset: int
    in_field: bool = False


@dataclass
class Line:
    """One paragraph as read: where its text sits in `Document.text` and which runs show it.

    Kept only for the .docx reader's callers that write back into the document (`tilint
    annotate`); a check never looks at it.
    """

    element: etree._Element
    part: str
    story: str
    label: str
    start: int
    length: int
    raw: str
    pieces: list[Piece]

    @property
    def end(self) -> int:
        return self.start + self.length

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw characters behind characters `start`..`end` of the line's text.

        Spaces the reader collapsed inside the span are included, so an edit of the span removes
        exactly what the reader showed as that text.
        """
        _, starts, ends = tidy_offsets(self.raw)
        if not 0 <= start < end <= len(starts):
            raise ValueError(f"span {start}..{end} is outside a line of {len(starts)} characters")
        return starts[start], ends[end - 1]

    def pieces_between(self, raw_start: int, raw_end: int) -> list[tuple[Piece, int, int]]:
        """(piece, first, last) for every piece overlapping raw `raw_start`..`raw_end`, in order;
        first/last are offsets within the piece."""
        out = []
        for piece in self.pieces:
            lo, hi = max(raw_start, piece.raw), min(raw_end, piece.raw + piece.length)
            if lo < hi:
                out.append((piece, lo - piece.raw, hi - piece.raw))
        return out


@dataclass
class DocxSource:
    """What the reader kept of a .docx for writing back into it: the package and every line.

    `note_marks` lets a comment about a footnote sit on its number in the text, where Word and
    LibreOffice both show it (LibreOffice cannot open a comment inside a note).
    `page_starts` holds the offsets where Word began a new page when it last laid the document
    out (its `w:lastRenderedPageBreak` marks); it is empty when the file was never laid out by a
    program that records them (python-docx, many converters), and pages are then unknown.
    """

    package: Package
    lines: list[Line]
    page_starts: list[int] = field(default_factory=list)
    #: the run in the body holding each note's reference mark, by label ("footnote 2")
    note_marks: dict[str, etree._Element] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list, repr=False)

    def line_at(self, offset: int) -> Line | None:
        """The line holding a character offset of `Document.text`, if any."""
        if len(self._starts) != len(self.lines):
            self._starts = [line.start for line in self.lines]
        index = bisect_right(self._starts, offset) - 1
        if index < 0 or offset >= self.lines[index].end:
            return None
        return self.lines[index]

    @property
    def pages_known(self) -> bool:
        return bool(self.page_starts)

    def page_at(self, offset: int) -> int | None:
        """The page an offset of the body was on when Word last laid it out; None if unknown."""
        if not self.page_starts:
            return None
        return 1 + bisect_right(self.page_starts, offset)


class _Chars:
    """A paragraph's raw text as it is read, remembering which run item shows each piece."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.length = 0
        self.page_breaks: list[int] = []

    def add(self, text: str, run: etree._Element | None, offset: int, in_field: bool) -> None:
        if text:
            self.parts.append(text)
            self.pieces.append(Piece(self.length, len(text), run, offset, in_field))
            self.length += len(text)


class _Walker:
    """Walks WordprocessingML block containers into a TextBuilder, recording every line's runs."""

    def __init__(self, builder: TextBuilder, styles: _Styles) -> None:
        self.out = builder
        self.styles = styles
        self.paragraphs = 0
        self.tables = 0
        self.text_boxes = 0
        self.footnote_refs: list[str] = []
        self.endnote_refs: list[str] = []
        #: the run holding the first reference to each note, by (kind, note id)
        self.note_runs: dict[tuple[str, str], etree._Element] = {}
        self.lines: list[Line] = []
        self.page_starts: list[int] = []
        #: the part being walked and which story it is ("body", "header", "footnote", ...)
        self.part = ""
        self.story = "body"
        self._field_depth = 0

    # -- blocks ---------------------------------------------------------------------------------
    def blocks(self, container: etree._Element, label: str | None) -> None:
        """Paragraphs and tables of a body, cell, header, note or text box, in order.

        `label` None means "the main body": each paragraph is then numbered.
        """
        for child in _block_children(container):
            if child.tag == P:
                self.paragraph(child, label)
            elif child.tag == TBL:
                self.table(child, label)

    def paragraph(self, p: etree._Element, label: str | None) -> None:
        style_id, outline = _paragraph_style(p)
        if _TOC_NAME.match(self.styles.name(style_id)):
            return  # a table of contents repeats the headings; checking it would double findings
        chars = _Chars()
        boxes: list[etree._Element] = []
        self._inline(p, chars, boxes, None)
        raw = "".join(chars.parts)
        text = tidy_inline(raw)
        if text.strip():
            if label is None:
                self.paragraphs += 1
                where = f"paragraph {self.paragraphs}"
                level = self.styles.heading_level(style_id, outline)
            else:
                where, level = label, None
            start = self.out.line(text, where, level)
            if start is not None:
                self._record(p, where, start, raw, len(clean_line(text)), chars)
        elif chars.page_breaks and self.story == "body":
            self.page_starts.append(self.out.length)  # a page that starts with an empty paragraph
        for box in boxes:
            self.text_boxes += 1
            story, self.story = self.story, "text box"
            self.out.block_break()
            self.blocks(box, f"text box {self.text_boxes}")
            self.out.block_break()
            self.story = story

    def _record(self, p: etree._Element, label: str, start: int, raw: str, length: int, chars: _Chars) -> None:
        self.lines.append(Line(p, self.part, self.story, label, start, length, raw, chars.pieces))
        if chars.page_breaks and self.story == "body":
            _, starts, _ = tidy_offsets(raw)
            self.page_starts.extend(start + bisect_left(starts, at) for at in chars.page_breaks)

    def table(self, tbl: etree._Element, outer: str | None) -> None:
        if outer is None:
            self.tables += 1
            prefix = f"table {self.tables}"
        else:
            # Tables inside a cell, note or text box are numbered within it, so the label reads as
            # a path: "table 1, row 2, cell 1, table 1, row 1, cell 2".
            prefix = f"{outer}, table {sum(1 for _ in _nested_count(tbl))}"
        self.out.block_break()
        row_number = 0
        for row in _rows(tbl):
            if _is_deleted_row(row):
                continue
            row_number += 1
            for cell_number, cell in enumerate(_cells(row), start=1):
                self.out.block_break()
                self.blocks(cell, f"{prefix}, row {row_number}, cell {cell_number}")
        self.out.block_break()

    # -- inline ---------------------------------------------------------------------------------
    def _inline(self, element: etree._Element, out: _Chars, boxes: list[etree._Element],
                run: etree._Element | None) -> None:
        """Text under `element`; `run` is the run it is directly inside (None when nested deeper)."""
        offset = 0
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            one = _ONE_CHAR.get(tag)
            if tag == T or one is not None:
                text = (child.text or "") if tag == T else one
                out.add(text, run, offset, self._field_depth > 0)
                offset += len(text)
            elif tag == R:
                if not _hidden(child):
                    self._inline(child, out, boxes, child)
            elif tag == FLD_CHAR:
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    self._field_depth += 1
                elif kind == "end":
                    self._field_depth = max(0, self._field_depth - 1)
            elif tag == RENDERED_BREAK:
                out.page_breaks.append(out.length)
            elif tag == TXBX_CONTENT:
                boxes.append(child)
            elif tag in (FOOTNOTE_REF, ENDNOTE_REF):
                kind = "footnote" if tag == FOOTNOTE_REF else "endnote"
                note_id = child.get(_w("id"), "")
                (self.footnote_refs if kind == "footnote" else self.endnote_refs).append(note_id)
                if run is not None:
                    self.note_runs.setdefault((kind, note_id), run)
            elif tag == FLD_SIMPLE:
                self._field_depth += 1
                self._inline(child, out, boxes, None)
                self._field_depth -= 1
            else:
                self._inline(child, out, boxes, None)


def _block_children(container: etree._Element) -> Iterator[etree._Element]:
    """Block-level children, looking through content controls, custom XML and tracked insertions."""
    for child in container:
        tag = child.tag
        if tag in (P, TBL):
            yield child
        elif tag == SDT:
            if _is_toc_sdt(child):
                continue
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _block_children(content)
        elif tag in (CUSTOM_XML, _w("ins"), _w("moveTo")):
            yield from _block_children(child)
        elif tag == ALTERNATE_CONTENT:
            choice = next((c for c in child if c.tag != FALLBACK), None)
            if choice is not None:
                yield from _block_children(choice)


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    for child in _look_through(tbl):
        if child.tag == TR:
            yield child


def _cells(row: etree._Element) -> Iterator[etree._Element]:
    for child in _look_through(row):
        if child.tag == TC:
            yield child


def _look_through(element: etree._Element) -> Iterator[etree._Element]:
    """Children, with content controls and custom XML wrappers opened."""
    for child in element:
        if child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _look_through(content)
        elif child.tag == CUSTOM_XML:
            yield from _look_through(child)
        else:
            yield child


def _nested_count(tbl: etree._Element) -> Iterator[etree._Element]:
    """Tables in the same cell up to and including `tbl`, for "table 2" within a cell."""
    parent = tbl.getparent()
    if parent is None:
        yield tbl
        return
    for sibling in parent:
        if sibling.tag == TBL:
            yield sibling
        if sibling is tbl:
            return


def _is_deleted_row(row: etree._Element) -> bool:
    props = row.find(_w("trPr"))
    return props is not None and props.find(_w("del")) is not None


def _is_toc_sdt(sdt: etree._Element) -> bool:
    gallery = sdt.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
    return gallery is not None and gallery.get(_w("val"), "").lower() == "table of contents"


def _hidden(run: etree._Element) -> bool:
    props = run.find(RPR)
    if props is None:
        return False
    vanish = props.find(_w("vanish"))
    return vanish is not None and vanish.get(_w("val"), "true").lower() not in _OFF


def _paragraph_style(p: etree._Element) -> tuple[str | None, int | None]:
    props = p.find(_w("pPr"))
    if props is None:
        return None, None
    style = props.find(_w("pStyle"))
    outline = props.find(_w("outlineLvl"))
    return (
        style.get(_w("val")) if style is not None else None,
        _int(outline.get(_w("val"))) if outline is not None else None,
    )


def read(path: str, data: bytes) -> Document:
    """The Document of a .docx, with its `DocxSource` attached as `source`. Raises ReadError."""
    package = open_package(data, _WHAT)
    try:
        return read_package(path, package)
    except ReadError:
        raise
    except (KeyError, ValueError, TypeError, AttributeError, RecursionError, etree.LxmlError) as exc:
        raise ReadError(f"cannot read docx: {short_reason(exc)}") from None


def read_package(path: str, package: Package) -> Document:
    """Walk an opened package (also a copy `tilint annotate` has just written, to verify it)."""
    main = package.main
    root = package.xml(main)
    body = root.find(_w("body"))
    if body is None:
        raise ReadError("cannot read docx: the document part has no body")
    styles = package.related(main, _RT_STYLES)
    walker = _Walker(TextBuilder(), _Styles(package.xml(styles) if styles else None))
    out = walker.out

    # Headers first (as printed at the top of the first page), each distinct text once.
    seen_text: set[str] = set()
    _header_footer(walker, package, body, "headerReference", "header", seen_text)
    out.block_break()
    walker.part, walker.story = main, "body"
    walker.blocks(body, None)
    out.block_break()

    note_marks: dict[str, etree._Element] = {}
    for reltype, kind, refs in (
        (_RT_FOOTNOTES, "footnote", walker.footnote_refs),
        (_RT_ENDNOTES, "endnote", walker.endnote_refs),
    ):
        member = package.related(main, reltype)
        if member is None:
            continue
        notes = {note.get(_w("id")): note for note in package.xml(member).iter(_w(kind))}
        walker.part, walker.story = member, kind
        for number, note_id in enumerate(dict.fromkeys(refs), start=1):
            note = notes.get(note_id)
            if note is not None:
                out.block_break()
                walker.blocks(note, f"{kind} {number}")
                reference = walker.note_runs.get((kind, note_id))
                if reference is not None:
                    note_marks[f"{kind} {number}"] = reference
    out.block_break()
    _header_footer(walker, package, body, "footerReference", "footer", seen_text)
    document = out.document(path, "docx")
    document.source = DocxSource(package, walker.lines, walker.page_starts, note_marks)
    document.properties = _core_dates(package)
    return document


_RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CORE_DATES = (("created", "{http://purl.org/dc/terms/}created"), ("modified", "{http://purl.org/dc/terms/}modified"))
_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2})?")


def _core_dates(package: Package) -> dict[str, str]:
    """When docProps/core.xml says the document was created and last saved, as ISO strings
    ("2023-04-12T09:30:00"); a missing or malformed part is only missing dates, never an error."""
    dates: dict[str, str] = {}
    try:
        member = package.related("", _RT_CORE)
        if member is None:
            return dates
        root = package.xml(member)
    except ReadError:
        return dates
    for key, tag in _CORE_DATES:
        element = root.find(tag)
        match = _ISO_PREFIX.match((element.text or "").strip()) if element is not None else None
        if match:
            dates[key] = match.group()
    return dates


def _header_footer(
    walker: _Walker, package: Package, body: etree._Element, reference: str, label: str, seen: set[str]
) -> None:
    """Headers or footers of every section, each distinct one once: they repeat on every page."""
    for sect_pr in body.iter(_w("sectPr")):
        for ref in sect_pr.findall(_w(reference)):
            member = package.target(package.main, ref.get(f"{{{_R}}}id", ""))
            if member is None:
                continue
            root = package.xml(member)
            signature = "".join(root.itertext()).strip()
            if not signature or signature in seen:
                continue
            seen.add(signature)
            walker.out.block_break()
            walker.part, walker.story = member, label
            walker.blocks(root, label)


# The XML walk is shared with tilint.word, which edits the very paragraphs read here.
block_children = _block_children
look_through = _look_through
is_deleted_row = _is_deleted_row
