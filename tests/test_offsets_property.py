"""Offsets are sacred: for any text at all, every finding's text is the source at its position.

Each generated text also carries a marker paragraph that must be found wherever it lands, so the
properties cannot pass by finding nothing.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilint.document import Document
from tilint.readers.markdown import parse as parse_markdown

PHRASES = ["cases", "Hard-to-reach", "hard to\nreach", "challenging behavior", "complex cases", "in case"]
pieces = st.one_of(
    st.text(max_size=30), st.sampled_from(PHRASES), st.sampled_from(["\n", "\r\n", " ", "\u2028", "`", "'"])
)
texts = st.lists(pieces, max_size=25).map("".join)
#: a paragraph of its own that the fixture rules must flag ("cases", then "complex cases")
MARKER = "\n\nWe hold 40 cases and three complex cases.\n\n"
MARKED = [("cases", MARKER.index("cases")), ("complex cases", MARKER.index("complex cases"))]


def _source_at(text: str, line: int, column: int, end_line: int, end_column: int) -> str:
    lines = text.split("\n")
    starts = [0]
    for item in lines[:-1]:
        starts.append(starts[-1] + len(item) + 1)
    return text[starts[line - 1] + column - 1 : starts[end_line - 1] + end_column - 1]


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=texts, after=texts)
def test_every_finding_points_at_its_text_in_plain_text(test_linter, before, after):
    text = before + MARKER + after
    result = test_linter.check(Document(path="t", text=text))
    spans = []
    for f in result.findings:
        if f.line is None:
            continue
        assert f.text == text[f.start : f.end]
        assert _source_at(text, f.line, f.column, f.end_line, f.end_column) == f.text
        spans.append((f.start, f.text))
    for phrase, offset in MARKED:
        assert (len(before) + offset, phrase) in spans


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=texts, after=texts)
def test_every_finding_points_at_its_text_in_markdown(test_linter, before, after):
    text = before + MARKER + after
    document = parse_markdown("t.md", text)
    result = test_linter.check(document)
    positions = []
    for f in result.findings:
        if f.line is None:
            continue
        assert _source_at(text, f.line, f.column, f.end_line, f.end_column) == f.text
        positions.append((f.line, f.column, f.text))
    for phrase, offset in MARKED:
        start = len(before) + offset
        # An unclosed code fence or HTML block in the random text before may swallow the marker;
        # then the reader has ignored it and nothing may be found there.
        if any(s < start + len(phrase) and start < e for s, e in document.ignored):
            continue
        assert (*_line_col(text, start), phrase) in positions
