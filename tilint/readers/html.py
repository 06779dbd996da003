"""HTML: the visible text, with every character traceable to its line and column in the source.

People fix findings in the HTML file itself, so positions must be the file's, not the extracted
text's. The stdlib parser reports where each text node starts and (with `convert_charrefs=False`)
hands over entities separately, so the text is built from verbatim source runs and an anchor is
recorded wherever the mapping jumps: at each text node, after each entity, and after whitespace
that was collapsed. Between anchors the text is the source, so `Document.line_col` is exact.
Nothing is fetched: the parser knows no DTDs, external entities or network.
"""

from __future__ import annotations

import codecs
import re
from html import unescape
from html.entities import html5
from html.parser import HTMLParser

from tilint.document import Document, Heading, ReadError
from tilint.readers.encoding import decode_text
from tilint.readers.safety import describe, short_reason

#: content a reader never sees as prose
_SKIP = frozenset(
    {
        "script", "style", "template", "noscript", "svg", "math", "head", "title", "iframe", "object",
        "embed", "canvas", "video", "audio", "map", "select", "textarea", "datalist", "button",
    }
)  # fmt: skip
#: elements that start and end a line of text
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "ul", "br", "option", "center",
    }
)  # fmt: skip
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
#: HTML's whitespace (NOT Python's \s, which would also eat no-break spaces)
_SPACE_CHARS = " \t\n\r\f"
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_TOKEN = re.compile(r"[ \t\n\r\f]+|[^ \t\n\r\f]+")
#: what may appear in <head>; anything else means the author left the head unclosed
_HEAD_CONTENT = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_html(data: bytes) -> str:
    """Decode as a browser would: BOM, then a declared charset, then tilint's text detection."""
    if data.startswith(_BOMS):
        return decode_text(data)
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match:
        name = match.group(1).decode("ascii", "replace").lower()
        try:
            encoding = codecs.lookup(name).name
        except LookupError:
            encoding = ""
        if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
            encoding = "utf-8"  # a document readable as ASCII cannot really be UTF-16 (HTML spec)
        if encoding:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                pass  # the declaration lies; fall back to detection
    return decode_text(data)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.length = 0
        self.anchors: list[tuple[int, int, int]] = []
        self.headings: list[Heading] = []
        self.skip: list[str] = []
        self.pre = 0
        self.line_has_text = False
        self.pending_space: tuple[int, int] | None = None
        self.next_source: tuple[int, int] | None = None
        self.heading: tuple[int, int] | None = None  # (level, start offset)

    # -- emitting -----------------------------------------------------------------------------
    def _emit(self, text: str, line: int, col: int) -> None:
        """Append text that is verbatim source starting at (line, col)."""
        if self.next_source != (line, col):
            if self.anchors and self.anchors[-1][0] == self.length:
                self.anchors[-1] = (self.length, line, col)
            else:
                self.anchors.append((self.length, line, col))
        self.parts.append(text)
        self.length += len(text)
        self.next_source = (line, col + len(text))
        self.line_has_text = True

    def _emit_synthetic(self, text: str) -> None:
        """Append text with no source of its own (a line break between blocks)."""
        self.parts.append(text)
        self.length += len(text)
        self.next_source = None

    def _break(self) -> None:
        self.pending_space = None
        if self.line_has_text:
            self._emit_synthetic("\n")
            self.line_has_text = False

    def _words(self, text: str, line: int, col: int) -> None:
        """Emit a run of source text starting at (line, col), collapsing whitespace as a browser does."""
        if self.pre:
            for index, segment in enumerate(text.split("\n")):
                segment = segment.rstrip("\r")  # CRLF files: the CR is part of the line end
                if index:
                    self._emit_synthetic("\n")
                    self.line_has_text = False
                    line, col = line + 1, 0
                if segment:
                    self._emit(segment, line, col)
                col += len(segment)
            return
        for match in _TOKEN.finditer(text):
            token = match.group()
            if token[0] in _SPACE_CHARS:
                if self.line_has_text:
                    self.pending_space = (line, col)
                newline = token.rfind("\n")
                if newline >= 0:
                    line, col = line + token.count("\n"), len(token) - newline - 1
                else:
                    col += len(token)
            else:
                self._flush_space()
                self._emit(token, line, col)
                col += len(token)

    def _flush_space(self) -> None:
        if self.pending_space is not None and self.line_has_text:
            line, col = self.pending_space
            self._emit(" ", line, col)
        self.pending_space = None

    # -- parser callbacks -------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" or (self.skip == ["head"] and tag not in _HEAD_CONTENT):
            self.skip = [name for name in self.skip if name not in ("head", "title")]
        if self.skip or tag in _SKIP or any(name == "hidden" for name, _ in attrs):
            if tag not in _VOID:
                self.skip.append(tag)
            return
        if tag == "br":
            self._break()  # a line break, which does not end a heading
        elif tag in _BLOCK:
            self._block_edge()
        if tag == "pre":
            self.pre += 1
        if tag in _HEADINGS and self.heading is None:
            self.heading = (_HEADINGS[tag], self.length)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            return
        if tag == "br":
            self._break()
        elif tag in _BLOCK:
            self._block_edge()

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        if tag in _BLOCK:
            self._block_edge()

    def _block_edge(self) -> None:
        if self.heading is not None:
            level, start = self.heading
            self.heading = None
            raw = "".join(self.parts)[start:].rstrip() if self.length > start else ""
            if raw.strip():
                self.headings.append(Heading(start, start + len(raw), " ".join(raw.split()), level))
        self._break()

    def handle_data(self, data: str) -> None:
        if self.skip or not data:
            return
        line, col = self.getpos()
        self._words(data, line, col)

    def handle_entityref(self, name: str) -> None:
        self._reference(html5.get(name + ";") or html5.get(name) or f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(unescape(f"&#{name};"))

    def _reference(self, text: str) -> None:
        if self.skip:
            return
        line, col = self.getpos()
        if _HTML_SPACE.fullmatch(text):
            if self.line_has_text:
                self.pending_space = (line, col)
            self.next_source = None
            return
        self._flush_space()
        self._emit(text, line, col)
        self.next_source = None  # the reference is longer in the source than in the text

    def text(self) -> str:
        return "".join(self.parts)


def read(path: str, data: bytes) -> Document:
    kind = describe(data)
    if kind in ("PDF", "Word document", "OpenDocument text", "legacy Word 97-2003 .doc", "zip archive"):
        raise ReadError(f"not an HTML file (looks like {kind})")
    text = decode_html(data)
    # A lone CR ends a line in every editor but not for the parser's line counter.
    text = re.sub(r"\r(?!\n)", "\n", text)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        extractor = _Extractor()
        extractor.feed(text)
        extractor.close()
        extractor._block_edge()
    except Exception as exc:  # html.parser is lenient, but a crash must never escape
        raise ReadError(f"cannot read html: {short_reason(exc)}") from None
    body = extractor.text()
    trimmed = body.rstrip("\n")
    anchors = [anchor for anchor in extractor.anchors if anchor[0] < len(trimmed)]
    return Document(
        path=path,
        text=trimmed,
        format="html",
        source_map=[(offset, line, col + 1) for offset, line, col in anchors],
        headings=extractor.headings,
        warnings=[] if trimmed else ["the document contains no text"],
    )
