"""OpenDocument text (.odt): paragraphs, headings, lists, tables, notes and text boxes.

odfpy parses the package (with defusedxml underneath); this module walks its element tree the way
the docx reader walks WordprocessingML, so both formats give the same kind of locations. Tracked
deletions live apart from the text in ODF (in `text:tracked-changes`) and are skipped with it;
notes are stored inline but read after the body, as a reader meets them at the foot of the page.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from tilint.document import Document, ReadError
from tilint.readers.safety import (
    ZIP_ERRORS,
    TextBuilder,
    check_xml_members,
    describe,
    open_zip,
    parse_xml,
    short_reason,
    tidy_inline,
)

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_WHAT = "OpenDocument text file"
_MIMETYPE = "application/vnd.oasis.opendocument.text"
_ODF_WHITESPACE = re.compile(r"[ \t\r\n]+")

#: blocks that are generated from the text (indexes) or are not text at all
_SKIP_BLOCKS = frozenset(
    {
        (_TEXT, "tracked-changes"),
        (_TEXT, "table-of-content"),
        (_TEXT, "illustration-index"),
        (_TEXT, "table-index"),
        (_TEXT, "object-index"),
        (_TEXT, "user-index"),
        (_TEXT, "alphabetical-index"),
        (_TEXT, "bibliography"),
        (_TEXT, "sequence-decls"),
        (_TEXT, "variable-decls"),
        (_TEXT, "user-field-decls"),
        (_OFFICE, "forms"),
    }
)
#: inline elements whose content a reader does not see as part of the sentence
_SKIP_INLINE = frozenset(
    {
        (_OFFICE, "annotation"),
        (_TEXT, "note-citation"),
        (_TEXT, "ruby-text"),
        (_TEXT, "tracked-changes"),
    }
)


class _Walker:
    def __init__(self, builder: TextBuilder) -> None:
        self.out = builder
        self.paragraphs = 0
        self.tables = 0
        self.text_boxes = 0
        self.notes: list[tuple[str, object]] = []

    def blocks(self, container: object, label: str | None) -> None:
        for child in _elements(container):
            name = child.qname
            if name in _SKIP_BLOCKS:
                continue
            if name == (_TEXT, "p"):
                self.paragraph(child, label, None)
            elif name == (_TEXT, "h"):
                level = _int(child.getAttrNS(_TEXT, "outline-level")) or 1
                self.paragraph(child, label, level)
            elif name == (_TABLE, "table"):
                self.table(child, label)
            elif name == (_DRAW, "frame"):
                self.frame(child)
            else:  # lists, list items, sections, custom shapes: look inside
                self.blocks(child, label)

    def paragraph(self, p: object, label: str | None, level: int | None) -> None:
        pieces: list[str] = []
        boxes: list[object] = []
        self._inline(p, pieces, boxes)
        text = tidy_inline("".join(pieces))
        if text.strip():
            if label is None:
                self.paragraphs += 1
                self.out.line(text, f"paragraph {self.paragraphs}", level)
            else:
                self.out.line(text, label)
        for box in boxes:
            self.frame(box)

    def frame(self, frame: object) -> None:
        """A frame's text box (not images or objects), read as its own block."""
        for child in _elements(frame):
            if child.qname == (_DRAW, "text-box"):
                self.text_boxes += 1
                self.out.block_break()
                self.blocks(child, f"text box {self.text_boxes}")
                self.out.block_break()

    def table(self, table: object, outer: str | None) -> None:
        if outer is None:
            self.tables += 1
            prefix = f"table {self.tables}"
        else:
            prefix = f"{outer}, table {_position_among_tables(table)}"
        self.out.block_break()
        row_number = 0
        for row in _look_through(table, (_TABLE, "table-row")):
            row_number += 1
            cell_number = 0
            for cell in _elements(row):
                if cell.qname != (_TABLE, "table-cell"):
                    continue  # covered (merged-away) cells are not visible cells
                cell_number += 1
                self.out.block_break()
                self.blocks(cell, f"{prefix}, row {row_number}, cell {cell_number}")
                cell_number += (_int(cell.getAttrNS(_TABLE, "number-columns-repeated")) or 1) - 1
            row_number += (_int(row.getAttrNS(_TABLE, "number-rows-repeated")) or 1) - 1
        self.out.block_break()

    def _inline(self, element: object, out: list[str], boxes: list[object]) -> None:
        for child in element.childNodes:  # type: ignore[attr-defined]
            if child.nodeType == child.TEXT_NODE:
                out.append(_ODF_WHITESPACE.sub(" ", child.data))
                continue
            if child.nodeType != child.ELEMENT_NODE:
                continue
            name = child.qname
            if name in _SKIP_INLINE:
                continue
            if name == (_TEXT, "s"):
                out.append(" " * max(1, min(_int(child.getAttrNS(_TEXT, "c")) or 1, 100)))
            elif name == (_TEXT, "tab"):
                out.append("\t")
            elif name == (_TEXT, "line-break"):
                out.append("\n")
            elif name == (_TEXT, "note"):
                kind = child.getAttrNS(_TEXT, "note-class") or "footnote"
                body = next((c for c in _elements(child) if c.qname == (_TEXT, "note-body")), None)
                if body is not None:
                    self.notes.append((kind, body))
            elif name == (_DRAW, "frame"):
                boxes.append(child)
            elif name[0] == _DRAW:
                # shapes and anchors may hold frames; shape text itself is drawing furniture
                for frame in _descendants(child, (_DRAW, "frame")):
                    boxes.append(frame)
            else:
                self._inline(child, out, boxes)


def _elements(node: object) -> Iterator[object]:
    for child in node.childNodes:  # type: ignore[attr-defined]
        if child.nodeType == child.ELEMENT_NODE:
            yield child


def _descendants(node: object, name: tuple[str, str]) -> Iterator[object]:
    for child in _elements(node):
        if child.qname == name:
            yield child
        else:
            yield from _descendants(child, name)


def _look_through(table: object, name: tuple[str, str]) -> Iterator[object]:
    """Rows of a table, including those inside header-row and row-group wrappers."""
    for child in _elements(table):
        if child.qname == name:
            yield child
        elif child.qname in (
            (_TABLE, "table-header-rows"),
            (_TABLE, "table-rows"),
            (_TABLE, "table-row-group"),
        ):
            yield from _look_through(child, name)


def _position_among_tables(table: object) -> int:
    parent = table.parentNode  # type: ignore[attr-defined]
    count = 0
    for sibling in _elements(parent):
        if sibling.qname == (_TABLE, "table"):
            count += 1
        if sibling is table:
            break
    return max(count, 1)


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _check_package(zf: zipfile.ZipFile, data: bytes) -> None:
    """Refuse what odfpy would mis-handle: other formats, encrypted packages, malformed XML.

    odfpy prints malformed XML to stdout and carries on, so well-formedness is checked first.
    """
    names = set(zf.namelist())
    if "mimetype" in names:
        mimetype = zf.read("mimetype")[:200].decode("ascii", "replace").strip()
        if mimetype not in (_MIMETYPE, _MIMETYPE + "-template"):
            raise ReadError(f"not an {_WHAT} (looks like {describe(data)})")
    elif "word/document.xml" in names:
        raise ReadError(f"not an {_WHAT} (looks like Word document)")
    if "META-INF/manifest.xml" not in names or "content.xml" not in names:
        raise ReadError(f"not an {_WHAT}: content.xml or the manifest is missing")
    manifest = zf.read("META-INF/manifest.xml")
    if b"encryption-data" in manifest:
        raise ReadError(f"password-protected (encrypted) {_WHAT}; remove the password and try again")
    for part in ("content.xml", "styles.xml"):
        if part in names:
            parse_xml(zf.read(part), f"{_WHAT} part {part}")


def read(path: str, data: bytes) -> Document:
    with open_zip(data, _WHAT) as zf:
        check_xml_members(zf, _WHAT)
        try:
            _check_package(zf, data)
        except ReadError:
            raise
        except ZIP_ERRORS as exc:
            raise ReadError(f"cannot read odt: damaged file ({short_reason(exc)})") from None
    try:
        return _read(path, data)
    except ReadError:
        raise
    except Exception as exc:  # odfpy and its SAX parser raise many types for damaged files
        raise ReadError(f"cannot read odt: {short_reason(exc)}") from None


def _read(path: str, data: bytes) -> Document:
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    walker = _Walker(TextBuilder())
    out = walker.out
    seen: set[str] = set()
    _page_furniture(walker, document, ("header", "header-left", "header-first"), "header", seen)
    out.block_break()
    walker.blocks(document.text, None)
    counters = {"footnote": 0, "endnote": 0}
    for kind, body in walker.notes:
        kind = kind if kind in counters else "footnote"
        counters[kind] += 1
        out.block_break()
        walker.blocks(body, f"{kind} {counters[kind]}")
    out.block_break()
    _page_furniture(walker, document, ("footer", "footer-left", "footer-first"), "footer", seen)
    result = out.document(path, "odt")
    result.properties = _meta_dates(data)
    return result


_META_DATES = (
    ("created", "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}creation-date"),
    ("modified", "{http://purl.org/dc/elements/1.1/}date"),
)
_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2})?")


def _meta_dates(data: bytes) -> dict[str, str]:
    """When meta.xml says the document was created and last saved, as ISO strings; a missing or
    malformed meta.xml is only missing dates, never an error."""
    try:
        with open_zip(data, _WHAT) as zf:
            if "meta.xml" not in zf.namelist():
                return {}
            root = parse_xml(zf.read("meta.xml"), f"{_WHAT} part meta.xml")
    except (ReadError, *ZIP_ERRORS):
        return {}
    dates: dict[str, str] = {}
    for key, tag in _META_DATES:
        element = root.find(f".//{tag}")
        match = _ISO_PREFIX.match((element.text or "").strip()) if element is not None else None
        if match:
            dates[key] = match.group()
    return dates


def _page_furniture(
    walker: _Walker, document: object, kinds: tuple[str, ...], label: str, seen: set[str]
) -> None:
    """Headers or footers of the master pages, each distinct text once."""
    master_styles = getattr(document, "masterstyles", None)
    if master_styles is None:
        return
    for page in _elements(master_styles):
        if page.qname != (_STYLE, "master-page"):
            continue
        for part in _elements(page):
            if part.qname[0] != _STYLE or part.qname[1] not in kinds:
                continue
            signature = str(part).strip()
            if not signature or signature in seen:
                continue
            seen.add(signature)
            walker.out.block_break()
            walker.blocks(part, label)
