"""A date for each audited document, so the audit can show whether language changes over time.

The date is taken from the best evidence there is, and the report says which:
1. "properties": the file's own document properties (Word, OpenDocument and PDF record when the
   document was created; the readers expose it in `Document.properties`). The creation date is
   preferred to the last-modified one, which a bulk copy or migration resets.
2. "file name": a date in the name, as in "strategy-2021.docx" or "2023-04 tender.pdf".
3. "text": a written date near the start of the text ("Version 2, March 2022", "12/03/2021"),
   where a title page puts it.
4. "modified": the file's modification time, which says when it was last saved or copied.

Dates are ISO strings ("2023-04-12"); only the year is used for the trend.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone

#: how much of the text is searched for a written date: a title page, not the whole document
TEXT_WINDOW = 3000
EARLIEST, LATEST = 1950, 2100
SOURCES = ("properties", "file name", "text", "modified")

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_ISO = re.compile(rf"(?<!\d)({_YEAR})[-_./]([01]?\d)(?:[-_./]([0-3]?\d))?(?!\d)")
_DMY = re.compile(rf"(?<!\d)([0-3]?\d)[/.]([01]?\d)[/.]({_YEAR})(?!\d)")
_WRITTEN = re.compile(
    rf"(?<![^\W\d_])(?:([0-3]?\d)(?:st|nd|rd|th)?\s+)?({_MONTH})\.?,?\s+({_YEAR})(?!\d)", re.IGNORECASE
)
_BARE_YEAR = re.compile(rf"(?<![\d])({_YEAR})(?![\d])")


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not EARLIEST <= year <= LATEST:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        datetime(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def date_in_text(text: str) -> str | None:
    """The first written date near the start of `text` (a full or month-and-year date; a bare
    year in running text is too often a target year, "by 2030", to count)."""
    window = text[:TEXT_WINDOW]
    first_year = _BARE_YEAR.search(window)
    if first_year is None:  # every date form holds a year: most texts end here, cheaply
        return None
    # a date starts at most a day and a month name before its year
    window = window[max(0, first_year.start() - 24) :]
    found: list[tuple[int, str]] = []
    for match in _WRITTEN.finditer(window):
        day = int(match.group(1)) if match.group(1) else None
        value = _iso(int(match.group(3)), _MONTHS[match.group(2).lower()], day)
        if value:
            found.append((match.start(), value))
            break
    for match in _ISO.finditer(window):
        value = _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)) if match.group(3) else None)
        if value:
            found.append((match.start(), value))
            break
    for match in _DMY.finditer(window):  # day first, as written in the UK
        value = _iso(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if value:
            found.append((match.start(), value))
            break
    return min(found)[1] if found else None


def date_in_name(path: str) -> str | None:
    """A date in the file name (or, failing that, a year in it): "2023-04 tender", "plan_2021"."""
    name = os.path.basename(path)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    text_date = date_in_text(stem.replace("_", " ").replace("-", " ")) or _iso_in(stem)
    if text_date:
        return text_date
    years = [int(match.group(1)) for match in _BARE_YEAR.finditer(stem)]
    # "plan 2021-2024": the first year is when it was written
    return _iso(years[0]) if years else None


def _iso_in(text: str) -> str | None:
    for match in _ISO.finditer(text):
        value = _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)) if match.group(3) else None)
        if value:
            return value
    return None


def date_from_properties(properties: dict[str, str]) -> str | None:
    for key in ("created", "modified"):
        value = properties.get(key)
        if value and re.match(rf"{_YEAR}-\d\d-\d\d", value) and _iso(int(value[:4]), int(value[5:7]), int(value[8:10])):
            return value[:10]
    return None


def modified_date(path: str) -> str | None:
    try:
        stamp = os.stat(path).st_mtime
    except (OSError, ValueError):
        return None
    try:
        return datetime.fromtimestamp(stamp, tz=timezone.utc).strftime("%Y-%m-%d")
    except (OverflowError, OSError, ValueError):
        return None


def document_date(path: str, properties: dict[str, str], text: str) -> tuple[str | None, str | None]:
    """(ISO date, source) from the best evidence available; (None, None) when there is none."""
    for source, value in (
        ("properties", lambda: date_from_properties(properties)),
        ("file name", lambda: date_in_name(path)),
        ("text", lambda: date_in_text(text)),
        ("modified", lambda: modified_date(path)),
    ):
        found = value()
        if found:
            return found, source
    return None, None
