"""Content sketches that follow a renamed (and edited) document from one audit to the next."""

from __future__ import annotations

import subprocess
import sys

from tilint.audit.similarity import SIZE, best_matches, similarity, sketch

TEXT = " ".join(f"Paragraph {i} says the service will work with families in ward {i % 7}." for i in range(60))


def test_the_same_text_is_identical_and_an_edited_one_still_alike():
    edited = TEXT.replace("ward 3.", "ward 3, with their agreement.", 2)
    assert similarity(sketch(TEXT), sketch(TEXT)) == 1.0
    assert 0.5 <= similarity(sketch(TEXT), sketch(edited)) < 1.0


def test_unrelated_texts_are_not_alike():
    other = " ".join(f"Invoice {i} is payable within thirty days of receipt by the finance team." for i in range(60))
    assert similarity(sketch(TEXT), sketch(other)) < 0.1


def test_a_sketch_is_bounded_and_the_same_in_another_process():
    values = sketch(TEXT)
    assert len(values) == SIZE and values == sorted(values)
    code = f"from tilint.audit.similarity import sketch; print(sketch({TEXT!r}))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert other.strip() == str(values)


def test_each_document_is_matched_at_most_once_most_similar_first():
    a, b = sketch(TEXT), sketch(TEXT.replace("families", "people"))
    matches = best_matches({"old.md": a}, {"new.md": a, "other.md": b})
    assert matches == [("old.md", "new.md", 1.0)]


def test_a_text_without_words_has_an_empty_sketch():
    assert sketch("") == [] and sketch("  ... ") == []
    assert similarity([], sketch(TEXT)) == 0.0
