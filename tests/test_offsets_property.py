"""Offsets are sacred: for any text at all, every finding's text is the source at its position."""

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


def _source_at(text: str, line: int, column: int, end_line: int, end_column: int) -> str:
    lines = text.split("\n")
    starts = [0]
    for item in lines[:-1]:
        starts.append(starts[-1] + len(item) + 1)
    return text[starts[line - 1] + column - 1 : starts[end_line - 1] + end_column - 1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_every_finding_points_at_its_text_in_plain_text(test_linter, text):
    result = test_linter.check(Document(path="t", text=text))
    for f in result.findings:
        if f.line is None:
            continue
        assert f.text == text[f.start : f.end]
        assert _source_at(text, f.line, f.column, f.end_line, f.end_column) == f.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_every_finding_points_at_its_text_in_markdown(test_linter, text):
    result = test_linter.check(parse_markdown("t.md", text))
    for f in result.findings:
        if f.line is None:
            continue
        assert _source_at(text, f.line, f.column, f.end_line, f.end_column) == f.text
