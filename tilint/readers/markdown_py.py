"""Markdown structure from markdown-it-py: the pure-Python backend, used where markdown-it-pyrs
is not installed (see tilint.readers.markdown_rs).

The block parser runs alone; inline parsing runs only on blocks that can hold a code span,
autolink or inline HTML, and its tokens carry no source positions, so this module finds each
piece in the source after the previous one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tilint.document import Heading
from tilint.readers.markdown_structure import Structure

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


def structure(text: str, line_starts: list[int]) -> Structure:
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
