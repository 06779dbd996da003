"""Shared plumbing for the extracting readers: distrust the file first, then assemble the text.

Documents arrive from outside the organisation (tender responses, partner drafts, email
attachments), so every binary reader starts here: find out what the bytes really are (files lie
about their extension), refuse zip archives that would inflate to gigabytes, and refuse XML that
declares a DTD, before any parser sees them. Declared zip sizes can be trusted for this because
`zipfile` never inflates a member beyond its declared size (it fails the CRC check instead).

`TextBuilder` is here too because docx, odt, pdf and rtf all assemble text the same way: lines
labelled with a human location, blocks separated by a blank line, headings recorded by offset.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable

from lxml import etree

from tilint.document import Document, Heading, ReadError

#: limits for zip-based formats; a 30-page tender is a few MB, so these leave a wide margin
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 100
#: members smaller than this may compress far better than MAX_RATIO (e.g. repetitive XML) harmlessly
RATIO_CHECK_FROM = 2 * 1024 * 1024

#: XML parts are read up to here when looking for a DTD; the prolog of a real part is tiny
_PROLOG_SNIFF = 4096

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: what reading a damaged archive member can raise (a bad CRC, a broken deflate stream, ...)
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    KeyError,
    NotImplementedError,
)


def article(noun: str) -> str:
    """ "a Word document" but "an OpenDocument text file"."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def describe(data: bytes) -> str:
    """A short human description of what the bytes really are, used in "not a ..." messages."""
    if not data:
        return "empty file"
    head = data[:2048]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in data[:1024]:
        return "PDF"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _describe_zip(data)
    if head.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "password-protected Office document"
        if "WordDocument".encode("utf-16-le") in data:
            return "legacy Word 97-2003 .doc"
        return "legacy Office file"
    if stripped.startswith(b"{\\rtf"):
        return "RTF"
    lowered = stripped[:256].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "HTML"
    if lowered.startswith(b"<?xml"):
        return "XML"
    for magic, kind in ((b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image")):
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data"
    return "plain text"


def _describe_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
                kinds = {
                    "application/vnd.oasis.opendocument.text": "OpenDocument text",
                    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
                    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
                    "application/epub+zip": "EPUB e-book",
                }
                return kinds.get(mimetype, "OpenDocument file")
            if "word/document.xml" in names:
                return "Word document"
            if "xl/workbook.xml" in names:
                return "Excel workbook"
            if "ppt/presentation.xml" in names:
                return "PowerPoint presentation"
    except ZIP_ERRORS:
        return "damaged zip archive"
    return "zip archive"


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """Open a zip-based document after checking it cannot be a decompression bomb.

    `what` names the expected format ("Word document") for messages. Raises ReadError for
    anything that is not a sound zip archive within the limits.
    """
    if not data.startswith(b"PK"):
        kind = describe(data)
        if kind == "password-protected Office document":
            raise ReadError(f"password-protected (encrypted) {what}; remove the password and try again")
        raise ReadError(f"not {article(what)} (looks like {kind})")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS as exc:
        raise ReadError(f"not {article(what)}: damaged or truncated zip archive ({_short(exc)})") from None
    check_zip_limits(infos, what)
    return zf


def check_zip_limits(infos: Iterable[zipfile.ZipInfo], what: str) -> None:
    """Refuse archives whose declared sizes make them a decompression bomb."""
    total = 0
    for count, info in enumerate(infos, start=1):
        if count > MAX_MEMBERS:
            raise ReadError(f"refused {what}: more than {MAX_MEMBERS} files inside (zip bomb?)")
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            limit = MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)
            raise ReadError(f"refused {what}: would decompress to more than {limit} MB (zip bomb?)")
        if info.file_size >= RATIO_CHECK_FROM:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                raise ReadError(
                    f"refused {what}: {info.filename} has a compression ratio of {ratio:.0f}:1 "
                    f"(limit {MAX_RATIO}:1; zip bomb?)"
                )


_PROLOG_SKIP = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def check_xml_members(zf: zipfile.ZipFile, what: str) -> None:
    """Refuse any XML part that declares a DTD: no office format needs one, and a DTD is how
    entity-expansion and external-entity attacks are delivered."""
    for info in zf.infolist():
        name = info.filename.lower()
        if not name.endswith((".xml", ".rels")) or info.is_dir():
            continue
        try:
            with zf.open(info) as member:
                head = member.read(_PROLOG_SNIFF)
        except ZIP_ERRORS as exc:
            raise ReadError(f"cannot read {what}: damaged part {info.filename} ({_short(exc)})") from None
        check_xml_prolog(head, f"{what} part {info.filename}", truncated=len(head) == _PROLOG_SNIFF)


def check_xml_prolog(head: bytes, what: str, truncated: bool = False) -> None:
    """Raise ReadError if the XML starting with `head` declares a DTD before its root element."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[1:2] == b"\x00" or head[:1] == b"\x00":
        for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                head = head.decode(encoding).encode("utf-8", "replace")
                break
            except UnicodeDecodeError:
                continue
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    pos = 0
    while True:
        match = _PROLOG_SKIP.match(head, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
    rest = head[pos:]
    if rest.startswith(b"<!"):
        raise ReadError(
            f"refused {what}: it declares a DTD, which documents never need (possible XML attack)"
        )
    if not rest and truncated:
        raise ReadError(f"refused {what}: unusually long XML prolog (possible XML attack)")


def safe_xml_parser() -> etree.XMLParser:
    """An lxml parser that never resolves entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Parse untrusted XML safely, turning any failure into a ReadError."""
    check_xml_prolog(data[:_PROLOG_SNIFF], what, truncated=len(data) > _PROLOG_SNIFF)
    try:
        return etree.fromstring(data, parser=safe_xml_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError(f"cannot read {what}: invalid XML ({_short(exc)})") from None


def _short(exc: BaseException) -> str:
    """The first line of an exception message, shortened: library messages can be huge."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def short_reason(exc: BaseException) -> str:
    """Public form of `_short` for the readers' catch-all wrappers."""
    return _short(exc)


# -- text assembly ------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+|\b[\w.+-]+@[\w-]+\.[\w.-]+\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_CHANGED_SPACES = re.compile(r"[ \t\u00a0]{2,}|\u00a0")


class TextBuilder:
    """Assemble extracted text line by line, recording where each line came from.

    Every line carries its label; a location entry is added only when the label changes, so a
    table cell with three paragraphs yields one "table 1, row 2, cell 3" entry. Blocks (tables,
    notes, pages) are separated by a blank line so that no phrase can run from one into the next.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.locations: list[tuple[int, str]] = []
        self.headings: list[Heading] = []
        self.warnings: list[str] = []
        self._at_line_start = True
        self._ends_with_blank = True

    def line(self, text: str, label: str | None = None, heading_level: int | None = None) -> int | None:
        """Add one line (a paragraph); empty or whitespace-only lines are dropped.

        Returns where the line starts in the text (None when dropped), for readers that keep a map
        from the text back to their source (the docx reader's runs).
        """
        text = clean_line(text)
        if not text:
            return None
        if not self._at_line_start:
            self._emit("\n")
        if label is not None and (not self.locations or self.locations[-1][1] != label):
            if self.locations and self.locations[-1][0] == self.length:
                self.locations[-1] = (self.length, label)
            else:
                self.locations.append((self.length, label))
        start = self.length
        self._emit(text)
        if heading_level is not None:
            title = " ".join(text.split())
            self.headings.append(Heading(start, self.length, title, heading_level))
        self._at_line_start = False
        self._ends_with_blank = False
        return start

    def block_break(self) -> None:
        """End the current block with a blank line (idempotent)."""
        if self._ends_with_blank:
            return
        self._emit("\n\n")
        self._at_line_start = True
        self._ends_with_blank = True

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def document(self, path: str, fmt: str) -> Document:
        text = "".join(self.parts).rstrip("\n")
        locations = [(offset, label) for offset, label in self.locations if offset < len(text)]
        ignored = [match.span() for match in _URL.finditer(text)]
        warnings = list(self.warnings)
        if not text:
            warnings.append("the document contains no text")
        return Document(
            path=path,
            text=text,
            format=fmt,
            ignored=ignored,
            locations=locations,
            headings=self.headings,
            warnings=warnings,
        )


def clean_line(text: str) -> str:
    """What `TextBuilder.line` keeps of a line: one kind of line break, no surrounding space."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def tidy_inline(text: str) -> str:
    """Collapse runs of spaces that extraction leaves behind, keeping line breaks."""
    # Equivalent to replacing every stretch of spaces with one space (a lone tab stays a tab),
    # but only the stretches that change are matched, which is most of the reading time saved.
    return _CHANGED_SPACES.sub(" ", text)


def tidy_offsets(raw: str) -> tuple[str, list[int], list[int]]:
    """`clean_line(tidy_inline(raw))`, with the span of `raw` each of its characters came from.

    A collapsed stretch of spaces becomes one character whose span covers the whole stretch, so a
    reader that keeps its source (the docx reader's runs) can map any span of the text it produced
    back onto the exact source characters, including the ones it collapsed or stripped between.
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in _SPACES.finditer(raw):
        for index in range(position, match.start()):
            chars.append(raw[index])
            starts.append(index)
            ends.append(index + 1)
        chars.append("\t" if match.group() == "\t" else " ")
        starts.append(match.start())
        ends.append(match.end())
        position = match.end()
    for index in range(position, len(raw)):
        chars.append(raw[index])
        starts.append(index)
        ends.append(index + 1)
    index = 0
    while index < len(chars):  # "\r\n" and "\r" become "\n", as clean_line does
        if chars[index] == "\r":
            if index + 1 < len(chars) and chars[index + 1] == "\n":
                del chars[index + 1], starts[index + 1]
                ends[index] = ends.pop(index + 1)
            chars[index] = "\n"
        index += 1
    first = 0
    while first < len(chars) and chars[first].isspace():
        first += 1
    last = len(chars)
    while last > first and chars[last - 1].isspace():
        last -= 1
    return "".join(chars[first:last]), starts[first:last], ends[first:last]
