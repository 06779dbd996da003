"""Splitting a document's text into plain and highlighted runs for the results page."""

from __future__ import annotations

from tilint.findings import Finding
from tilint.web.highlight import Segment, segments


def finding(start: int | None, end: int | None, rule: str = "r") -> Finding:
    return Finding(rule=rule, category="c", severity="warning", message="m", text="", suggestions=[],
                   start=start, end=end)


def test_runs_join_back_into_the_text_with_one_run_per_finding():
    text = "We hold 40 cases and hard to reach families."
    runs = segments(text, [finding(11, 16), finding(21, 34)])
    assert "".join(run.text for run in runs) == text
    assert [(run.text, run.finding) for run in runs if run.finding is not None] == [
        ("cases", 0), ("hard to reach", 1)]


def test_findings_are_placed_by_offset_whatever_their_order_in_the_list():
    runs = segments("abc def ghi", [finding(8, 11), finding(0, 3)])
    assert runs == [Segment("abc", 1), Segment(" def "), Segment("ghi", 0)]


def test_a_document_level_finding_is_not_in_the_text():
    runs = segments("Some text.", [finding(None, None), finding(5, 9)])
    assert runs == [Segment("Some "), Segment("text", 1), Segment(".")]


def test_an_overlapping_or_impossible_span_is_left_unhighlighted():
    text = "one two three"
    runs = segments(text, [finding(0, 7), finding(4, 13), finding(8, 99), finding(5, 5)])
    assert "".join(run.text for run in runs) == text
    assert [run.finding for run in runs if run.finding is not None] == [0]


def test_a_finding_at_the_very_start_and_end():
    assert segments("cases", [finding(0, 5)]) == [Segment("cases", 0)]


def test_an_empty_text_has_no_runs():
    assert segments("", []) == []
