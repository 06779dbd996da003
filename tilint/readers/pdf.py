"""PDF: page-aware text, rebuilt into paragraphs, without the furniture that repeats on every page.

pypdf does the parsing (it is several times faster than pdfminer's layout analysis, and reading
must stay cheaper than analysing); its text visitor gives each line's position, from which this
module rebuilds what a reader perceives: lines of one paragraph joined (so a phrase broken over a
line end is still one phrase), words hyphenated at a line end rejoined, and running headers and
footers (the same line at the top or bottom of most pages) kept once rather than on every page.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tilint.document import Document, ReadError
from tilint.readers.safety import TextBuilder, describe, short_reason

# pypdf reports recoverable damage through logging; without a handler Python would print it.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

#: fraction of the page height at the top and bottom where running headers/footers live
_BAND = 0.12
#: a line is "running" when it appears in a band on at least this share of pages
_RUNNING_SHARE = 0.5
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HYPHENS = "-\u2010\u00ad"
_LINE_END_HYPHEN = re.compile(rf"([^\W\d_]+)[{_HYPHENS}]$")
_LINE_START_WORD = re.compile(r"^([^\W\d_]+)")
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]+")
#: the only words a page-number line has ("Page 3 of 30", "p. 3", "3 / 30")
_PAGE_WORDS = frozenset({"page", "of", "p", "pg", "pp"})

#: second halves of compounds that are hyphenated on purpose ("trauma-informed", "user-led")
_COMPOUND_TAILS = frozenset(
    [
        "informed",
        "based",
        "led",
        "focused",
        "focussed",
        "centred",
        "centered",
        "related",
        "specific",
        "term",
        "level",
        "wide",
        "year",
        "years",
        "old",
        "being",
        "making",
        "friendly",
        "aware",
        "sensitive",
        "free",
        "like",
        "known",
        "run",
        "owned",
        "funded",
        "designed",
        "produced",
        "commissioned",
        "aged",
        "sized",
        "scale",
        "up",
        "off",
        "out",
        "time",
        "hand",
        "depth",
        "date",
    ]
)
#: first halves that are whole words used as prefixes ("self-referral", "co-production")
_COMPOUND_HEADS = frozenset(
    [
        "self",
        "well",
        "co",
        "cross",
        "multi",
        "non",
        "short",
        "long",
        "high",
        "low",
        "full",
        "part",
        "half",
        "one",
        "two",
        "three",
        "four",
        "five",
        "face",
        "family",
        "child",
        "young",
        "person",
        "people",
        "community",
        "evidence",
        "strengths",
        "strength",
        "trauma",
        "user",
        "peer",
        "place",
        "outcome",
        "outcomes",
        "needs",
        "risk",
        "age",
        "council",
        "state",
        "third",
        "sector",
        "small",
        "large",
        "mid",
        "under",
        "over",
        "sub",
        "post",
        "ex",
        "anti",
    ]
)


@dataclass
class _Line:
    text: str
    y: float | None
    size: float


def read(path: str, data: bytes) -> Document:
    if b"%PDF-" not in data[:1024]:
        raise ReadError(f"not a PDF (looks like {describe(data)})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(path, data)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("cannot read pdf: structure nested too deeply (damaged or hostile file)") from None
    except MemoryError:
        raise ReadError("cannot read pdf: too large to extract") from None
    except Exception as exc:  # pypdf raises many types for damaged files; none may escape
        raise ReadError(f"cannot read pdf: {short_reason(exc)}") from None


def _read(path: str, data: bytes) -> Document:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ReadError(f"cannot read pdf: damaged or truncated file ({short_reason(exc)})") from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as exc:
            raise ReadError(f"encrypted PDF that cannot be decrypted here ({short_reason(exc)})") from None
        if not opened:
            raise ReadError("password-protected (encrypted) PDF; remove the password and try again")
    try:
        pages = list(reader.pages)
    except FileNotDecryptedError:
        raise ReadError("password-protected (encrypted) PDF; remove the password and try again") from None
    if not pages:
        raise ReadError("cannot read pdf: it has no pages")

    page_lines = [_page_lines(page) for page in pages]
    if not any(line.text.strip() for lines in page_lines for line in lines):
        raise ReadError("PDF has no text layer (scanned?); OCR is not supported")

    heights = [_page_box(page) for page in pages]
    drop = _running_lines(page_lines, heights)
    levels = _heading_levels(page_lines)
    vocabulary = {w.lower() for lines in page_lines for line in lines for w in _WORD.findall(line.text)}

    out = TextBuilder()
    scanned: list[int] = []
    for number, (page, lines) in enumerate(zip(pages, page_lines, strict=True), start=1):
        kept = [line for i, line in enumerate(lines) if (number - 1, i) not in drop]
        if not any(line.text.strip() for line in lines) and _has_images(page):
            scanned.append(number)
        out.block_break()
        for paragraph, size in _paragraphs(kept, vocabulary):
            out.line(paragraph, f"page {number}", _heading_level(paragraph, size, levels))
    if scanned:
        listed = ", ".join(str(n) for n in scanned)
        out.warnings.append(
            f"page{'s' if len(scanned) > 1 else ''} {listed} ha{'ve' if len(scanned) > 1 else 's'} "
            "no text layer (scanned?) and could not be checked; OCR is not supported"
        )
    document = out.document(path, "pdf")
    document.properties = _info_dates(reader)
    return document


def _info_dates(reader: object) -> dict[str, str]:
    """CreationDate and ModDate of the document information dictionary, as ISO strings; a
    missing or malformed date (common in PDFs) is left out, never an error."""
    dates: dict[str, str] = {}
    try:
        info = reader.metadata  # type: ignore[attr-defined]
    except Exception:
        return dates
    if info is None:
        return dates
    for key, attribute in (("created", "creation_date"), ("modified", "modification_date")):
        try:
            value = getattr(info, attribute)
        except Exception:  # pypdf raises on dates that do not follow the PDF date syntax
            continue
        if value is not None:
            dates[key] = value.replace(tzinfo=None).isoformat(timespec="seconds")
    return dates


def _page_box(page: object) -> tuple[float, float]:
    """(bottom, height) of the page, for telling header and footer bands apart from the body."""
    try:
        box = page.mediabox  # type: ignore[attr-defined]
        return float(box.bottom), float(box.height) or 792.0
    except Exception:  # a damaged box only costs header detection
        return 0.0, 792.0


def _page_lines(page: object) -> list[_Line]:
    """The page's lines in content order, each with its baseline height and font size."""
    lines: list[_Line] = []
    current: list[str] = []
    state: dict[str, float | None] = {"y": None, "size": 0.0}

    def close() -> None:
        text = _CONTROL.sub("", "".join(current)).translate(_LIGATURES)
        if text.strip():
            lines.append(_Line(" ".join(text.split()), state["y"], state["size"] or 10.0))
        current.clear()
        state["y"], state["size"] = None, 0.0

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: object, size: float) -> None:
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                close()
            if not piece:
                continue
            if piece.strip() and state["y"] is None and any(tm) and any(cm):
                state["y"] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                state["size"] = abs(size * scale) if scale else abs(size)
            current.append(piece)

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    close()
    return lines


def _key(text: str) -> str:
    """What makes two header/footer lines "the same": the text, except that page numbers vary."""
    key = " ".join(text.lower().split())
    numbered = _DIGITS.sub("#", key)
    if "#" in numbered and set(_LETTERS.findall(numbered)) <= _PAGE_WORDS:
        return numbered
    return key


def _is_page_number(key: str) -> bool:
    """Keys of page-number lines have their digits replaced by "#" (see `_key`)."""
    return "#" in key and set(_LETTERS.findall(key)) <= _PAGE_WORDS


def _in_band(line: _Line, index: int, count: int, box: tuple[float, float]) -> bool:
    if line.y is None:
        return index < 2 or index >= count - 2
    bottom, height = box
    return line.y > bottom + (1 - _BAND) * height or line.y < bottom + _BAND * height


def _running_lines(pages: list[list[_Line]], boxes: list[tuple[float, float]]) -> set[tuple[int, int]]:
    """(page index, line index) of running headers/footers to drop: all but the first occurrence.

    Page numbers ("3", "Page 3 of 30") are dropped everywhere: they say nothing about people.
    """
    if len(pages) < 2:
        return set()
    seen_on: Counter[str] = Counter()
    for lines, box in zip(pages, boxes, strict=True):
        keys = {_key(line.text) for i, line in enumerate(lines) if _in_band(line, i, len(lines), box)}
        seen_on.update(keys)
    threshold = max(2, math.ceil(_RUNNING_SHARE * len(pages)))
    running = {key for key, count in seen_on.items() if count >= threshold}
    drop: set[tuple[int, int]] = set()
    kept_once: set[str] = set()
    for p, (lines, box) in enumerate(zip(pages, boxes, strict=True)):
        for i, line in enumerate(lines):
            key = _key(line.text)
            if key not in running or not _in_band(line, i, len(lines), box):
                continue
            if key in kept_once or _is_page_number(key):
                drop.add((p, i))
            else:
                kept_once.add(key)
    return drop


def _paragraphs(lines: list[_Line], vocabulary: set[str]) -> list[tuple[str, float]]:
    """Join the lines of each paragraph (judging breaks by the vertical gap); each with its font size."""
    pitch = _usual_pitch(lines)
    paragraphs: list[tuple[str, float]] = []
    current = ""
    size = 0.0
    previous: _Line | None = None
    for line in lines:
        if previous is not None and current and _continues(previous, line, pitch):
            current = _join(current, line.text, vocabulary)
        else:
            if current:
                paragraphs.append((current, size))
            current, size = line.text, line.size
        previous = line
    if current:
        paragraphs.append((current, size))
    return paragraphs


def _heading_levels(pages: list[list[_Line]]) -> dict[float, int]:
    """Font sizes clearly larger than the body text, largest first, mapped to heading levels 1-6.

    PDFs rarely carry their structure, so size is the signal a reader uses too.
    """
    weight: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            weight[round(line.size * 2) / 2] += len(line.text)
    if not weight:
        return {}
    body = weight.most_common(1)[0][0]
    larger = sorted((size for size in weight if size >= body * 1.15 + 0.5), reverse=True)
    return {size: min(level, 6) for level, size in enumerate(larger, start=1)}


def _heading_level(text: str, size: float, levels: dict[float, int]) -> int | None:
    level = levels.get(round(size * 2) / 2)
    if level is None or len(text) > 200 or text.endswith((".", ",", ";")):
        return None
    return level


def _usual_pitch(lines: list[_Line]) -> float | None:
    gaps: Counter[int] = Counter()
    for a, b in itertools.pairwise(lines):
        if a.y is None or b.y is None or abs(a.size - b.size) > 0.5:
            continue
        gap = a.y - b.y
        if 0.8 * a.size < gap < 3 * a.size:
            gaps[round(gap)] += 1
    return float(gaps.most_common(1)[0][0]) if gaps else None


def _continues(previous: _Line, line: _Line, pitch: float | None) -> bool:
    """True when `line` is the next line of `previous`'s paragraph."""
    if previous.y is None or line.y is None:
        return False
    size = max(previous.size, line.size)
    if abs(previous.size - line.size) > 1.5:
        return False  # a heading and its text, or a footnote
    gap = previous.y - line.y
    limit = 1.6 * size
    if pitch is not None:
        limit = max(limit, min(1.25 * pitch, 2.2 * size))
    return 0.3 * size < gap <= limit


def _join(text: str, following: str, vocabulary: set[str]) -> str:
    """Join two lines of a paragraph, undoing line-end hyphenation where the word was split."""
    end = _LINE_END_HYPHEN.search(text)
    start = _LINE_START_WORD.match(following)
    if end is None or start is None:
        return f"{text} {following}"
    left, right = end.group(1), start.group(1)
    if text.endswith("\u00ad") or _split_word(left, right, vocabulary):
        return text[:-1] + following
    return text[:-1] + "-" + following


def _split_word(left: str, right: str, vocabulary: set[str]) -> bool:
    """Was `left`-`right` one word broken by the line end, rather than a hyphenated compound?"""
    if right[0].isupper():
        return False  # "non-\nEnglish", "pre-\nCovid"
    joined, compound = (left + right).lower(), f"{left}-{right}".lower()
    if joined in vocabulary:
        return True
    if compound in vocabulary:
        return False
    return not (right.lower() in _COMPOUND_TAILS or left.lower() in _COMPOUND_HEADS)


def _has_images(page: object) -> bool:
    try:
        resources = page.get("/Resources") or {}  # type: ignore[attr-defined]
        xobjects = resources.get_object().get("/XObject") or {}
        xobjects = xobjects.get_object()
        return any(xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects)
    except Exception:  # only used to word a warning
        return False
