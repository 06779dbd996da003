"""Word (.docx) review: lint a draft and hand it back with comments on the flagged words.

A commissioner works in Word, not in a terminal, so `tilint annotate` puts each finding where they
already look: a Word comment anchored on exactly the flagged words, with the suggestion and the
reason. The modules are split by job: `runs` knows how Word stores text in runs and how to split a
run without changing what it shows, `story` maps a document's paragraphs to plain text and back,
`comments` words the comments, and `annotate` ties them together.
"""

from __future__ import annotations

from tilint.word.annotate import AnnotateResult, annotate_docx

__all__ = ["AnnotateResult", "annotate_docx"]
