"""Markdown: check the prose, never code, URLs, HTML comments or front matter.

The text handed to the engine is the file itself; what must not be checked is listed in
`Document.ignored` (and blanked, not removed), so every line and column stays the file's own.
markdown-it-py finds the structure; this module only locates its inline pieces in the source.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tilint.document import Document, Heading
from tilint.readers.encoding import decode_text

_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)


#: characters without which a block has no code span, autolink or inline HTML (link and image
#: destinations, "](...)", are found without the inline parser: see _destinations)
_INLINE_MARKUP = re.compile(r"[`<]")
_DESTINATION = re.compile(r"\]\(")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """Block structure only: inline parsing runs just on blocks that can hold inline markup, and
    bare URLs are found with a regular expression (markdown-it's linkify doubles the parse time)."""
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").use(front_matter_plugin).enable(["table"]).disable("inline")


@lru_cache(maxsize=1)
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table"])


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return starts


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


def _inline_ignores(text: str, start: int, end: int, children: list[Token]) -> list[tuple[int, int]]:
    """Spans of code, URLs and inline HTML inside one inline block's source text."""
    spans: list[tuple[int, int]] = []
    cursor = start
    i = 0
    while i < len(children):
        child = children[i]
        if child.type == "code_inline":
            opening = text.find(child.markup, cursor, end)
            if opening >= 0:
                closing = text.find(child.markup, opening + len(child.markup), end)
                if closing >= 0:
                    spans.append((opening, closing + len(child.markup)))
                    cursor = closing + len(child.markup)
        elif child.type == "html_inline":
            found = text.find(child.content, cursor, end)
            if found >= 0:
                spans.append((found, found + len(child.content)))
                cursor = found + len(child.content)
        elif child.type in ("link_open", "image"):
            href = str(child.attrs.get("href") or child.attrs.get("src") or "")
            label = children[i + 1].content if child.type == "link_open" and i + 1 < len(children) else None
            if child.markup in ("autolink", "linkify") or (label is not None and label and label in href):
                # The visible text is the URL itself.
                if label:
                    found = text.find(label, cursor, end)
                    if found >= 0:
                        spans.append((found, found + len(label)))
                        cursor = found + len(label)
            else:
                marker = text.find("](", cursor, end)
                if marker >= 0:
                    close = _closing_paren(text, marker + 1, end)
                    spans.append((marker + 2, close - 1))
                    cursor = close
        i += 1
    return spans


def _destinations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Link and image destinations, "[text](url)", in a block with no code span or inline HTML
    (where "](" can only start a destination), without running the inline parser."""
    spans = []
    for match in _DESTINATION.finditer(text, start, end):
        close = _closing_paren(text, match.start() + 1, end)
        spans.append((match.end(), close - 1))
    return spans


def read(path: str, data: bytes) -> Document:
    text = decode_text(data)
    return parse(path, text)


def parse(path: str, text: str) -> Document:
    env: dict = {}
    tokens = _parser().parse(text, env)
    starts = _line_starts(text)

    def offset(line: int) -> int:
        return starts[line] if line < len(starts) else len(text)

    covered: list[tuple[int, int]] = []
    ignored: list[tuple[int, int]] = []
    headings: list[Heading] = []
    pending_heading: int | None = None
    for token in tokens:
        if token.type == "heading_open":
            pending_heading = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        if token.type != "inline" or token.map is None:
            continue
        block_start, block_end = offset(token.map[0]), offset(token.map[1])
        covered.append((block_start, block_end))
        if _INLINE_MARKUP.search(token.content):
            children = _inline_parser().parseInline(token.content, env)[0].children or []
            ignored.extend(_inline_ignores(text, block_start, block_end, children))
        elif "](" in token.content:
            ignored.extend(_destinations(text, block_start, block_end))
        for match in _BARE_URL.finditer(text, block_start, block_end):
            ignored.append(match.span())
        if pending_heading is not None:
            title = token.content.strip()
            found = text.find(title, block_start, block_end) if title else -1
            if found >= 0:
                headings.append(Heading(found, found + len(title), title, pending_heading))
            pending_heading = None

    # Everything outside prose blocks (front matter, code, HTML blocks, reference definitions) is
    # ignored wholesale.
    cursor = 0
    for block_start, block_end in sorted(covered):
        if block_start > cursor:
            ignored.append((cursor, block_start))
        cursor = max(cursor, block_end)
    if cursor < len(text):
        ignored.append((cursor, len(text)))
    return Document(path=path, text=text, format="markdown", ignored=ignored, headings=headings)
