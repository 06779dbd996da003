"""Where sentences start, from the characters alone (no trained pipeline, linear time).

Context words and mention cues belong to the sentence they stand in: "care homes" in the next
sentence says nothing about "temporary residents" in this one. tilint runs spaCy's blank tokenizer,
which has no sentence boundaries, so this module finds them itself: a full stop, question or
exclamation mark (after any closing quotes or brackets) followed by white space and something that
can start a sentence, unless the word before is an abbreviation ("e.g.", "No.", "Dr.");
a semicolon; a blank line; and a line break before a list item, a numbered clause or after a
line that ends a sentence or introduces a list.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_ABBREVIATIONS = frozenset(
    "e.g eg i.e ie etc cf vs viz al approx incl inc ltd co no nos mr mrs ms dr prof st para paras fig figs "
    "ref refs vol p pp ch sec art cl sch govt dept".split()
)
#: end punctuation, closing marks after it, then the white space before the next sentence
_STOP = re.compile(r"[.!?]+[\"'\u2019\u201d)\]]*(?=\s)|;(?=\s)")
_SPACE = re.compile(r"\s+")
_OPENERS = frozenset("\"'\u2018\u201c([\u2022\u2013\u2014*-")
_LINE = re.compile(r"\n[^\S\n]*")
#: a line that starts a list item or a numbered clause ("- ", "• ", "3.", "7.2 ", "(a) ")
_ITEM = re.compile(
    r"(?:[-*\u2022\u2023\u25aa\u25cf\u00b7\u2013\u2014]\s|\d+(?:\.\d+)*[.)]?\s|\(?[a-z]\)\s|\(?[ivx]+\)\s)"
)
_ENDS_LINE = re.compile(r"[.!?:;][\"'\u2019\u201d)\]]*[^\S\n]*$")
_WORD_BEFORE = re.compile(r"([^\W\d_](?:[^\W\d_]|\.)*)\.*$")


def sentence_starts(text: str) -> list[int]:
    """Sorted offsets where a sentence starts in `text` (always including 0)."""
    starts = {0}
    for stop in _STOP.finditer(text):
        follow = _SPACE.match(text, stop.end())
        if follow is None or follow.end() >= len(text):
            continue
        first = text[follow.end()]
        if not (first.isupper() or first.isdigit() or first in _OPENERS):
            continue
        if stop.group().startswith(".") and _is_abbreviation(text, stop.start()):
            continue
        starts.add(follow.end())
    for line in _LINE.finditer(text):
        start = line.end()
        if start >= len(text):
            continue
        line_start = text.rfind("\n", 0, line.start()) + 1
        previous = text[line_start : line.start()]
        if not previous.strip() or _ENDS_LINE.search(previous) or _ITEM.match(text, start):
            starts.add(start)
    return sorted(starts)


_CLAUSE_NUMBER = re.compile(r"(?:^|\n)[^\S\n]*\(?\d+(?:\.\d+)*$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` ends an abbreviation or a clause number ("7. Scope"), not a sentence."""
    if _CLAUSE_NUMBER.search(text, max(0, dot - 16), dot):
        return True
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if word is None:
        return False
    token = word.group(1).lower()
    return len(token) == 1 or token.rstrip(".") in _ABBREVIATIONS


class Sentences:
    """Sentence numbers for offsets in one text."""

    def __init__(self, text: str) -> None:
        self.starts = sentence_starts(text)

    def index(self, offset: int) -> int:
        """The number of the sentence holding `offset`."""
        return bisect_right(self.starts, offset) - 1

    def start_of(self, offset: int) -> int:
        return self.starts[self.index(offset)]
