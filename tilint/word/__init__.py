"""Word (.docx) review: lint a draft and hand it back with comments on the flagged words.

A commissioner works in Word, not in a terminal, so `tilint annotate` puts each finding where they
already look: a Word comment anchored on exactly the flagged words, with the suggestion and the
reason. The modules are split by job: `runs` knows how Word stores text in runs and how to split a
run without changing what it shows, `locate` turns a finding's span (from the docx reader's map of
runs) back into runs, `markup` writes comment marks and the comments part, `package` writes the
copy, `comments` words the comments, and `annotate` ties them together.
"""

from __future__ import annotations

from tilint.word.annotate import AnnotateResult, annotate_docx

__all__ = ["AnnotateResult", "annotate_docx"]
