"""The text of suppression directives (`tilint-disable-next-line ids` and friends), which no rule
may ever check: its rule ids read as phrases ("service-user" is the words "service user").

Every format's Document has the directives' spans added to its ignored spans (see
tilint.readers.read_document), so a directive is never flagged, whatever the format and wherever
it sits; tilint.filters.suppressions reads the same grammar to apply them.
"""

from __future__ import annotations

import re

KIND = r"(?P<directive>tilint-(?P<kind>disable-next-line|disable-line|disable|enable))"
IDS = r"(?P<ids>(?:[\s,]+[\w.-]+)*)"
#: in an HTML comment (Markdown, HTML, and text files that use one)
COMMENT = re.compile(r"<!--[^\S\n]*" + KIND + IDS + r"[\s,]*-->")
#: plain text: the directive alone on a line, optionally after a comment marker (#, //, %, ;)
LINE = re.compile(
    r"(?m)^[^\S\n]*(?:#+|//|%+|;+)?[^\S\n]*" + KIND + r"(?P<ids>(?:(?:[^\S\n]|,)+[\w.-]+)*)(?:[^\S\n]|,)*$"
)
#: a directive anywhere, with the ids that follow it on its line
_ANYWHERE = re.compile(r"tilint-(?:disable-next-line|disable-line|disable|enable)(?:(?:[^\S\n]|,)+[\w.-]+)*")


def directive_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every directive and its ids in `text`, comments included."""
    if "tilint-" not in text:
        return []
    spans = [m.span() for m in COMMENT.finditer(text)]
    spans += [m.span() for m in _ANYWHERE.finditer(text)]
    return spans
