"""Word (.docx): the text a reader of the document sees, in reading order, with its location.

python-docx opens the package and resolves parts and relationships; the text itself is walked on
the underlying XML, because python-docx's paragraph text skips tracked insertions, cannot see text
boxes and has no footnotes. What counts as visible follows Word: tracked insertions and moves-to
are read, deletions, moves-from, field codes and hidden text are not, and a text box (which Word
stores twice, as DrawingML and as a VML fallback) is read once, after the paragraph anchoring it.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from tilint.document import Document, ReadError
from tilint.readers.safety import (
    TextBuilder,
    check_xml_members,
    describe,
    open_zip,
    parse_xml,
    short_reason,
    tidy_inline,
)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
_WHAT = "Word document"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (
    _w(n) for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
T, TAB, BR, CR, NB_HYPHEN, R, RPR = (_w(n) for n in ("t", "tab", "br", "cr", "noBreakHyphen", "r", "rPr"))
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


class _Walker:
    """Walks WordprocessingML block containers into a TextBuilder."""

    def __init__(self, builder: TextBuilder, styles: _Styles) -> None:
        self.out = builder
        self.styles = styles
        self.paragraphs = 0
        self.tables = 0
        self.text_boxes = 0
        self.footnote_refs: list[str] = []
        self.endnote_refs: list[str] = []

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
        pieces: list[str] = []
        boxes: list[etree._Element] = []
        self._inline(p, pieces, boxes)
        text = tidy_inline("".join(pieces))
        if text.strip():
            if label is None:
                self.paragraphs += 1
                where = f"paragraph {self.paragraphs}"
                level = self.styles.heading_level(style_id, outline)
            else:
                where, level = label, None
            self.out.line(text, where, level)
        for box in boxes:
            self.text_boxes += 1
            self.out.block_break()
            self.blocks(box, f"text box {self.text_boxes}")
            self.out.block_break()

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
    def _inline(self, element: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        for child in element:
            tag = child.tag
            if tag == T:
                out.append(child.text or "")
            elif not isinstance(tag, str) or tag in _SKIP:
                continue
            elif tag == R:
                if not _hidden(child):
                    self._inline(child, out, boxes)
            elif tag == TAB:
                out.append("\t")
            elif tag in (BR, CR):
                out.append("\n")
            elif tag == NB_HYPHEN:
                out.append("-")
            elif tag == TXBX_CONTENT:
                boxes.append(child)
            elif tag == FOOTNOTE_REF:
                self.footnote_refs.append(child.get(_w("id"), ""))
            elif tag == ENDNOTE_REF:
                self.endnote_refs.append(child.get(_w("id"), ""))
            else:
                self._inline(child, out, boxes)


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


def _part_element(part: object, what: str) -> etree._Element | None:
    """The XML root of a package part, whether python-docx parsed it or left it as bytes."""
    element = getattr(part, "element", None)
    if element is None:
        element = getattr(part, "_element", None)
    if element is not None:
        return element
    blob = getattr(part, "blob", None)
    if not blob:
        return None
    return parse_xml(blob, f"{_WHAT} {what}")


def read(path: str, data: bytes) -> Document:
    with open_zip(data, _WHAT) as zf:
        check_xml_members(zf, _WHAT)
        if "[Content_Types].xml" not in zf.namelist():
            raise ReadError(f"not a {_WHAT} (looks like {describe(data)})")
    try:
        return _read(path, data)
    except ReadError:
        raise
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise ReadError(f"cannot read docx: damaged file ({short_reason(exc)})") from None
    except KeyError as exc:
        raise ReadError(f"cannot read docx: missing part {short_reason(exc)}") from None
    except ValueError as exc:
        if "content type" in str(exc):
            raise ReadError("not a Word .docx document (macro-enabled or template file?)") from None
        raise ReadError(f"cannot read docx: {short_reason(exc)}") from None
    except Exception as exc:  # any other parser failure is a damaged file, not a crash
        raise ReadError(f"cannot read docx: {short_reason(exc)}") from None


def _read(path: str, data: bytes) -> Document:
    import docx

    document = docx.Document(io.BytesIO(data))
    part = document.part
    walker = _Walker(TextBuilder(), _Styles(document.styles.element))
    out = walker.out
    body = document.element.body

    # Headers first (as printed at the top of the first page), each distinct text once.
    seen_text: set[str] = set()
    _header_footer(walker, body, part, "headerReference", "header", seen_text)
    out.block_break()
    walker.blocks(body, None)
    out.block_break()

    for reltype, kind, refs in (
        (_RT_FOOTNOTES, "footnote", walker.footnote_refs),
        (_RT_ENDNOTES, "endnote", walker.endnote_refs),
    ):
        root = related_root(part, reltype, f"{kind}s")
        if root is None:
            continue
        notes = {note.get(_w("id")): note for note in root.iter(_w(kind))}
        for number, note_id in enumerate(dict.fromkeys(refs), start=1):
            note = notes.get(note_id)
            if note is not None:
                out.block_break()
                walker.blocks(note, f"{kind} {number}")
    out.block_break()
    _header_footer(walker, body, part, "footerReference", "footer", seen_text)
    return out.document(path, "docx")


def related_root(part: object, reltype: str, what: str) -> etree._Element | None:
    """The root element of the part related to `part` by `reltype` (styles, footnotes...), if any."""
    for rel in part.rels.values():  # type: ignore[attr-defined]
        if rel.reltype == reltype and not rel.is_external:
            return _part_element(rel.target_part, what)
    return None


def _header_footer(
    walker: _Walker, body: etree._Element, part: object, reference: str, label: str, seen: set[str]
) -> None:
    """Headers or footers of every section, each distinct one once: they repeat on every page."""
    related = part.related_parts  # type: ignore[attr-defined]
    for sect_pr in body.iter(_w("sectPr")):
        for ref in sect_pr.findall(_w(reference)):
            target = related.get(ref.get(f"{{{_R}}}id"))
            if target is None:
                continue
            root = _part_element(target, label)
            if root is None:
                continue
            signature = "".join(root.itertext()).strip()
            if not signature or signature in seen:
                continue
            seen.add(signature)
            walker.out.block_break()
            walker.blocks(root, label)


# The XML walk is shared with tilint.word, which must see exactly the paragraphs read here to put
# review comments on them.
block_children = _block_children
look_through = _look_through
is_deleted_row = _is_deleted_row
part_element = _part_element
