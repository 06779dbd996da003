"""What a Markdown parser backend reports to tilint.readers.markdown, and rules both share.

Two backends find Markdown structure (markdown_rs with markdown-it-pyrs, markdown_py with
markdown-it-py); keeping what they must agree on here means a document is masked the same way
whichever is installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tilint.document import Heading

_URL_LIKE = re.compile(r"^\S*[./:]\S*$")


@dataclass
class Structure:
    """Where the prose is: `covered` blocks (whole lines of the source holding inline content),
    `ignored` spans inside them (code spans, inline HTML, URLs shown as link text), headings."""

    covered: list[tuple[int, int]] = field(default_factory=list)
    ignored: list[tuple[int, int]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)


def shows_url(label: str, url: str) -> bool:
    """Whether a link's visible text is its address ("[cloud.gov](https://cloud.gov)"), which is
    not prose. A short label that merely occurs in the address ("[3](...#note-3)") is prose."""
    label = label.strip()
    return bool(label) and label in url and bool(_URL_LIKE.match(label))
