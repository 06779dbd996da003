"""Split a document's text into plain runs and highlighted findings, for the results page.

The template escapes every run itself (Jinja2 autoescape), so this module deals only in offsets
and never builds HTML: document text can hold anything, including `<script>`, and the only safe
place to escape it is the one place that writes it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from tilint.findings import Finding


@dataclass(frozen=True)
class Segment:
    """A run of document text; `finding` is the index of the finding it shows, or None."""

    text: str
    finding: int | None = None


def segments(text: str, findings: list[Finding]) -> list[Segment]:
    """Runs that join back into `text` exactly, one highlighted run per finding with a span.

    Findings without a span (document-level ones) are not in the text. The engine never reports
    overlapping spans, but a span that overlaps an earlier one (or falls outside the text) is left
    unhighlighted rather than garbling the page; it is still listed with the others.
    """
    runs: list[Segment] = []
    cursor = 0
    spans = sorted(
        (f.start, f.end, index)
        for index, f in enumerate(findings)
        if f.start is not None and f.end is not None
    )
    for start, end, index in spans:
        if start < cursor or end > len(text) or end <= start:
            continue
        if start > cursor:
            runs.append(Segment(text[cursor:start]))
        runs.append(Segment(text[start:end], index))
        cursor = end
    if cursor < len(text):
        runs.append(Segment(text[cursor:]))
    return runs
