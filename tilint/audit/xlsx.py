"""findings.xlsx: the audit's tables as one Excel workbook, a sheet per view.

openpyxl builds the workbook itself (package parts, styles, a bold header row frozen in place,
filters on every column, column widths); the data rows are streamed into each sheet's XML from
rows rendered once per document by the worker that checked it (`row_xml`), as the CSV rows are.
That split is for speed: openpyxl takes about 100 microseconds a cell, which for an audit of 10,000
documents (some 175,000 findings, two million cells) is longer than the whole of a warm audit; the
streamed rows cost a copy. Rows and cells are written without their optional `r` references
(ECMA-376 Part 1, 18.3.1.4 and 18.3.1.73), which Excel, LibreOffice and openpyxl read as the next row
and the next cell, so a document's rows can be rendered before anyone knows where they will land.

Text is written as inline strings, never as formulas, so a document that contains "=HYPERLINK(...)"
shows it as text. A sheet holds at most Excel's 1,048,576 rows; the findings of a larger audit go
on in "Findings (2)" and so on.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Excel's limits: rows per sheet (one is the header) and characters per cell
MAX_ROWS = 1_048_576
MAX_CELL = 32_767
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


@lru_cache(maxsize=8192)
def _text(value: str) -> str:
    value = _ILLEGAL.sub("\ufffd", value)
    if len(value) > MAX_CELL:
        value = value[: MAX_CELL - 1] + "\u2026"
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value[:1].isspace() or value[-1:].isspace():
        return f'<c t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def cell_xml(value: Any) -> str:
    """One cell: a number, inline text, or an empty cell (which keeps the columns after it in place)."""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return _text("true" if value else "false")
    if isinstance(value, (int, float)):
        return f"<c><v>{value!r}</v></c>" if isinstance(value, float) else f"<c><v>{value}</v></c>"
    return _text(str(value))


def row_xml(values: Iterable[Any]) -> str:
    return "<row>" + "".join(cell_xml(value) for value in values) + "</row>"


def rows_xml(rows: Iterable[Iterable[Any]]) -> str:
    return "".join(row_xml(row) for row in rows)


@dataclass
class Sheet:
    """One sheet: its title, header, how many data rows it will hold and the rows as XML chunks
    (each chunk any number of `row_xml` rows)."""

    title: str
    header: list[str]
    rows: int
    chunks: Iterable[str] = ()
    widths: dict[int, float] = field(default_factory=dict)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _skeleton(sheets: list[Sheet]) -> bytes:
    """The workbook with each sheet's header only, as openpyxl saves it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F3F5F7")
    wrap = Alignment(vertical="top")
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.append(sheet.header)
        for cell in worksheet[1]:
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
        worksheet.freeze_panes = "A2"
        last = _column_letter(max(1, len(sheet.header)))
        worksheet.auto_filter.ref = f"A1:{last}{sheet.rows + 1}"
        for index, name in enumerate(sheet.header, start=1):
            width = sheet.widths.get(index, min(max(len(name) + 4, 10), 40))
            worksheet.column_dimensions[_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part name in the package, read from the workbook and its relationships."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    package_rels = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations.iter(f"{package_rels}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{main}sheet"):
        target = targets[sheet.get(f"{rel_ns}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def write_workbook(path: Path, sheets: list[Sheet]) -> Path:
    """Write the sheets to `path` (atomically: a half-written workbook never replaces a good one)."""
    skeleton = zipfile.ZipFile(io.BytesIO(_skeleton(sheets)))
    parts = _sheet_parts(skeleton)
    by_part = {parts[sheet.title]: sheet for sheet in sheets}
    temporary = path.with_suffix(".xlsx.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in skeleton.infolist():
            data = skeleton.read(info.filename)
            sheet = by_part.get(info.filename)
            if sheet is None:
                out.writestr(info.filename, data)
                continue
            xml = data.decode("utf-8")
            last = _column_letter(max(1, len(sheet.header)))
            xml = _DIMENSION.sub(f'<dimension ref="A1:{last}{sheet.rows + 1}"/>', xml, count=1)
            head, tail = xml.split("</sheetData>", 1)
            with out.open(zipfile.ZipInfo(info.filename, date_time=info.date_time), "w", force_zip64=True) as part:
                part.write(head.encode("utf-8"))
                for chunk in _buffered(sheet.chunks):
                    part.write(chunk)
                part.write(("</sheetData>" + tail).encode("utf-8"))
    temporary.replace(path)
    return path


def _buffered(chunks: Iterable[str], size: int = 1 << 20) -> Iterator[bytes]:
    """Chunks joined into pieces of about `size` characters: fewer, larger writes to the zip stream."""
    pending: list[str] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(pending).encode("utf-8", "replace")
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode("utf-8", "replace")


def sheet_sizes(total: int, limit: int = MAX_ROWS - 1) -> list[int]:
    """Data rows on each sheet of a table of `total` rows: full sheets, then the rest."""
    sizes = [limit] * (total // limit)
    if total % limit or not sizes:
        sizes.append(total % limit)
    return sizes


def spread(chunks: Iterable[tuple[int, str]], sizes: list[int]) -> list[Iterator[str]]:
    """One chunk iterator per sheet, filling each sheet with exactly its size in rows.

    `chunks` are (row count, rows as XML); a chunk that straddles two sheets is cut between rows.
    The iterators share one pass over `chunks`, so they must be consumed in order (as
    write_workbook does).
    """
    source = iter(chunks)
    carry: list[tuple[int, str]] = []

    def sheet(size: int) -> Iterator[str]:
        left = size
        while left:
            if carry:
                count, xml = carry.pop()
            else:
                try:
                    count, xml = next(source)
                except StopIteration:
                    return
            if count <= left:
                left -= count
                yield xml
                continue
            rows = xml.split("</row>")[:-1]
            yield "".join(row + "</row>" for row in rows[:left])
            carry.append((count - left, "".join(row + "</row>" for row in rows[left:])))
            left = 0

    return [sheet(size) for size in sizes]
