"""Markdown: check the prose, never code, URLs, HTML comments or front matter.

The text handed to the engine is the file itself; what must not be checked is listed in
`Document.ignored` (and blanked, not removed), so every line and column stays the file's own.
markdown-it-pyrs finds the structure where it is installed (tilint.readers.markdown_rs), else
markdown-it-py, whose inline pieces this module locates in the source.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from tilint.document import Document
from tilint.readers import markdown_rs
from tilint.readers.encoding import decode_text
from tilint.readers.markdown_structure import shows_url

#: parse with markdown-it-pyrs where it is installed (tests switch it off to check the fallback)
USE_MARKDOWN_IT_PYRS = markdown_rs.available()

_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
_DESTINATION = re.compile(r"\]\(")
_NEWLINE = re.compile("\n")


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _NEWLINE.finditer(text))]


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


def read(path: str, data: bytes) -> Document:
    text = decode_text(data)
    return parse(path, text)


def parse(path: str, text: str) -> Document:
    starts = _line_starts(text)
    found = markdown_rs.structure(text, starts) if USE_MARKDOWN_IT_PYRS else None
    if found is None:
        from tilint.readers import markdown_py  # imports markdown-it-py only when it is needed

        found = markdown_py.structure(text, starts)
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


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
