"""Turn a finding's span of `Document.text` into the Word runs that show exactly those characters.

The docx reader recorded, for every line, which run item shows which characters (`Line.pieces`).
A comment or a tracked change is anchored on whole runs, so the runs at the span's edges are cut
in two first (`tilint.word.runs.split_run`, which keeps the formatting), and the line's pieces
are updated to point at the new runs: a second finding on the same line is then located in the
tree as it is now, not as it was read.
"""

from __future__ import annotations

from lxml import etree

from tilint.readers.docx import DocxSource, Line, Piece
from tilint.word.runs import split_run


class Unmarkable(Exception):
    """The span cannot be marked on runs; the message says why, for the summary comment."""


def line_of(source: DocxSource, start: int, end: int) -> Line:
    """The one line holding `start`..`end`; Unmarkable when it is not inside a single line."""
    line = source.line_at(start)
    if line is None or end > line.end:
        raise Unmarkable("could not be located")
    return line


def runs_for(line: Line, start: int, end: int) -> list[etree._Element]:
    """The runs showing characters `start`..`end` of `line` (line offsets), split at the edges."""
    raw_start, raw_end = line.raw_span(start, end)
    for piece, _, _ in line.pieces_between(raw_start, raw_end):
        if piece.run is None:
            raise Unmarkable("the words are inside a drawing or other object")
    split_at(line, raw_start)
    split_at(line, raw_end)
    runs: list[etree._Element] = []
    for piece, _, _ in line.pieces_between(raw_start, raw_end):
        if piece.run is not None and (not runs or runs[-1] is not piece.run):
            runs.append(piece.run)
    if not runs:
        raise Unmarkable("could not be located")
    return runs


def in_field(line: Line, start: int, end: int) -> bool:
    """Whether any of the characters is part of a field's result (Word may regenerate them)."""
    raw_start, raw_end = line.raw_span(start, end)
    return any(piece.in_field for piece, _, _ in line.pieces_between(raw_start, raw_end))


def split_at(line: Line, raw: int) -> None:
    """Make raw offset `raw` of the line fall between two runs, cutting one run if needed."""
    for index, piece in enumerate(line.pieces):
        if not piece.raw <= raw < piece.raw + piece.length:
            continue
        if piece.run is None:
            raise Unmarkable("the words are inside a drawing or other object")
        cut = piece.offset + raw - piece.raw
        if cut == 0:
            return  # already the start of a run
        run = piece.run
        right = split_run(run, cut)
        if raw > piece.raw:
            left = raw - piece.raw
            line.pieces.insert(index + 1, Piece(raw, piece.length - left, right, 0, piece.in_field))
            piece.length = left
            later = index + 2
        else:
            piece.run, piece.offset = right, 0
            later = index + 1
        for other in line.pieces[later:]:
            if other.run is run:
                other.run, other.offset = right, other.offset - cut
        return
