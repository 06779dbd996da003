"""Markdown structure from markdown-it-pyrs (markdown-it.rs), when it is installed.

It parses the 18F handbook about five times faster than markdown-it-py's block parser alone,
and gives every node, inline ones included, its place in the source, so code spans and inline
HTML need no searching. It must report what tilint.readers.markdown_py reports
(tests/test_markdown_backends.py holds the two to it); markdown_py stays the fallback because
markdown-it-pyrs publishes wheels for CPython 3.8 to 3.12 only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache

from tilint.document import Heading
from tilint.readers.markdown_structure import Structure

try:
    from markdown_it_pyrs import MarkdownIt, Node
except ImportError:  # pragma: no cover - exercised where the wheel does not exist
    MarkdownIt = Node = None

#: blocks whose lines hold inline content (prose)
_PROSE = {"paragraph", "heading", "lheading", "tcell"}
#: nodes that are not inline content, among a list item's children
_BLOCKS = _PROSE | {
    "blockquote", "bullet_list", "ordered_list", "list_item", "table", "thead", "tbody", "trow", "code_block",
    "fence", "html_block", "hr", "definition", "front_matter",
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def available() -> bool:
    return MarkdownIt is not None


@lru_cache(maxsize=1)
def _parser():
    return MarkdownIt("commonmark").enable_many(["table", "front_matter"])


def _byte_to_char(text: str) -> Callable[[int], int]:
    """markdown-it.rs reports UTF-8 byte offsets; findings need character offsets."""
    if text.isascii():
        return lambda offset: offset
    ends: list[int] = []  # byte offset just past each non-ASCII character
    extra: list[int] = []  # bytes beyond one per character, up to and including it
    total = 0
    for match in _NON_ASCII.finditer(text):
        size = len(match.group().encode("utf-8"))
        total += size - 1
        ends.append(match.start() + total + 1)
        extra.append(total)

    def to_char(offset: int) -> int:
        i = bisect_right(ends, offset) - 1
        return offset - (extra[i] if i >= 0 else 0)

    return to_char


def structure(text: str, line_starts: list[int]) -> Structure | None:
    """The document's structure, or None when markdown-it-pyrs is missing or cannot take the text
    (lone surrogates are not UTF-8)."""
    if MarkdownIt is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    to_char = _byte_to_char(text)
    size = len(text)

    def span(node: Node, within: tuple[int, int] = (0, size)) -> tuple[int, int]:
        # markdown-it.rs occasionally reports a text node running past its block: keep it inside.
        start, end = node.srcmap
        start, end = max(to_char(start), within[0]), min(to_char(end), within[1])
        return start, max(start, end)

    def lines(start: int, end: int) -> tuple[int, int]:
        """The whole lines holding [start, end), as the markdown-it-py backend covers them."""
        first = bisect_right(line_starts, start) - 1
        last = bisect_right(line_starts, max(start, end - 1))
        return line_starts[first], line_starts[last] if last < len(line_starts) else size

    found = Structure()
    for node in _parser().tree(text).walk():
        name = node.name
        if name in _PROSE:
            block = span(node)
            if name == "lheading" and node.children:  # the text's lines, not the underline
                block = span(node.children[0], block)[0], span(node.children[-1], block)[1]
            covered = lines(*block)
            found.covered.append(covered)
            if name in ("heading", "lheading") and node.children:
                title = text[span(node.children[0], block)[0] : span(node.children[-1], block)[1]].strip()
                at = text.find(title, *covered) if title else -1
                if at >= 0:
                    level = int((node.meta or {}).get("level", 1))
                    found.headings.append(Heading(at, at + len(title), title, level))
        elif name == "list_item":
            # A tight list item's text has no paragraph node: cover the lines of each run of
            # inline children (the item may go on with other blocks, such as a nested list).
            block = span(node)
            run: tuple[int, int] | None = None
            for child in [*node.children, None]:
                if child is not None and child.name not in _BLOCKS:
                    start, end = span(child, block)
                    run = (run[0], end) if run else (start, end)
                elif run is not None:
                    found.covered.append(lines(*run))
                    run = None
        elif name in ("code_inline", "html_inline"):
            found.ignored.append(span(node))
        elif name == "autolink":
            start, end = span(node)
            found.ignored.append((start + 1, end - 1))  # the address inside <...>
    return found
