"""Markdown: check the prose, never code, URLs, HTML comments or front matter.

The text handed to the engine is the file itself; what must not be checked is listed in
`Document.ignored` (and blanked, not removed), so every line and column stays the file's own.
markdown-it-py finds the structure; this module only locates its inline pieces in the source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tilint.document import Document, Heading
from tilint.readers.encoding import decode_text

_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
_DESTINATION = re.compile(r"\]\(")
_NEWLINE = re.compile("\n")


_URL_LIKE = re.compile(r"^\S*[./:]\S*$")


#: characters without which a block has no code span, autolink or inline HTML
_INLINE_MARKUP = re.compile(r"[`<]")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """Block structure only (markdown-it's linkify would double the parse time; bare URLs are
    found with a regular expression instead)."""
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").use(front_matter_plugin).enable(["table"]).disable("inline")


@lru_cache(maxsize=1)
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table"])


@dataclass
class Structure:
    """Where the prose is: `covered` blocks (whole lines of the source holding inline content),
    `ignored` spans inside them (code spans, inline HTML, autolinks), headings."""

    covered: list[tuple[int, int]] = field(default_factory=list)
    ignored: list[tuple[int, int]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)


def read(path: str, data: bytes) -> Document:
    text = decode_text(data)
    return parse(path, text)


def parse(path: str, text: str) -> Document:
    starts = _line_starts(text)
    found = _structure(text, starts)
    blocks = _merged(found.covered)
    inline = sorted(found.ignored)
    ignored = list(inline)
    if "](" in text:
        ignored.extend(_links(text, blocks, inline))
    # Bare URLs anywhere: outside prose blocks they fall in what is ignored anyway.
    ignored.extend(match.span() for match in _BARE_URL.finditer(text))
    # Everything outside prose blocks (front matter, code, HTML blocks, reference definitions) is
    # ignored wholesale.
    cursor = 0
    for block_start, block_end in blocks:
        if block_start > cursor:
            ignored.append((cursor, block_start))
        cursor = block_end
    if cursor < len(text):
        ignored.append((cursor, len(text)))
    return Document(path=path, text=text, format="markdown", ignored=ignored, headings=found.headings)


def _structure(text: str, line_starts: list[int]) -> Structure:
    env: dict = {}
    tokens = _parser().parse(text, env)

    def offset(line: int) -> int:
        return line_starts[line] if line < len(line_starts) else len(text)

    found = Structure()
    pending_heading: int | None = None
    cursor = 0  # where the previous inline block's pieces ended (table cells share a line)
    for token in tokens:
        if token.type == "heading_open":
            pending_heading = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        if token.type != "inline" or token.map is None:
            continue
        block_start, block_end = offset(token.map[0]), offset(token.map[1])
        found.covered.append((block_start, block_end))
        cursor = max(cursor, block_start)
        if _INLINE_MARKUP.search(token.content):
            children = _inline_parser().parseInline(token.content, env)[0].children or []
            cursor = _inline_ignores(text, cursor, block_end, children, found.ignored)
        if pending_heading is not None:
            title = token.content.strip()
            at = text.find(title, block_start, block_end) if title else -1
            if at >= 0:
                found.headings.append(Heading(at, at + len(title), title, pending_heading))
            pending_heading = None
    return found


def _inline_ignores(text: str, start: int, end: int, children: list[Token], spans: list[tuple[int, int]]) -> int:
    """Add the spans of code, inline HTML and autolinks in one block's source, searching from
    `start`; return where the last one ends."""
    cursor = start

    def locate(piece: str) -> None:
        nonlocal cursor
        found = text.find(piece, cursor, end)
        if found >= 0:
            spans.append((found, found + len(piece)))
            cursor = found + len(piece)

    for i, child in enumerate(children):
        if child.type == "code_inline":
            opening = text.find(child.markup, cursor, end)
            if opening >= 0:
                closing = text.find(child.markup, opening + len(child.markup), end)
                if closing >= 0:
                    spans.append((opening, closing + len(child.markup)))
                    cursor = closing + len(child.markup)
        elif child.type == "html_inline":
            locate(child.content)
        elif child.type == "link_open" and child.markup == "autolink" and i + 1 < len(children):
            locate(children[i + 1].content)
    return cursor


def _links(text: str, blocks: list[tuple[int, int]], code: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Link and image destinations, "[text](url)", in prose blocks outside code spans and inline
    HTML, and link text that is the address itself ("[cloud.gov](https://cloud.gov)").

    Found by their "](" rather than by the parser, so that links a site generator fills in
    ("[guide]({% page "/guide" %})", not CommonMark links) are not read as prose either.
    """
    spans = []
    block_starts = [start for start, _ in blocks]
    code_starts = [start for start, _ in code]
    for match in _DESTINATION.finditer(text):
        at = match.start()
        b = bisect_right(block_starts, at) - 1
        if b < 0 or at >= blocks[b][1]:
            continue  # not prose: ignored as a whole already
        c = bisect_right(code_starts, at) - 1
        if c >= 0 and at < code[c][1]:
            continue
        block_start, block_end = blocks[b]
        close = _closing_paren(text, at + 1, block_end)
        spans.append((match.end(), close - 1))
        opening = _opening_bracket(text, at, block_start)
        destination = text[match.end() : close - 1].split()
        if opening is not None and destination and shows_url(text[opening + 1 : at], destination[0]):
            spans.append((opening + 1, at))
    return spans


def _opening_bracket(text: str, closing: int, limit: int) -> int | None:
    """Offset of the "[" matching the "]" at `closing`, searching back no further than `limit`."""
    depth = 0
    for i in range(closing, limit - 1, -1):
        ch = text[i]
        if ch == "]":
            depth += 1
        elif ch == "[":
            depth -= 1
            if depth == 0:
                return i
    return None


def _closing_paren(text: str, start: int, limit: int) -> int:
    """Offset just past the ")" closing a link destination that opens at `start` ("(")."""
    depth = 0
    i = start
    while i < limit:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return limit


def shows_url(label: str, url: str) -> bool:
    """Whether a link's visible text is its address ("[cloud.gov](https://cloud.gov)"), which is
    not prose. A short label that merely occurs in the address ("[3](...#note-3)") is prose."""
    label = label.strip()
    return bool(label) and label in url and bool(_URL_LIKE.match(label))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _NEWLINE.finditer(text))]
