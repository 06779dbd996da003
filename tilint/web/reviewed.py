"""The reviewed copy of a Word document: the original .docx with suggested changes and comments.

It is the copy `tilint annotate --suggest` writes: each phrase a rule can rewrite is a tracked
change to accept or reject in Word's Review tab, every other finding a comment.

Writing the comments is `tilint annotate`'s job (`tilint.word.annotate.annotate_docx`); the web
app only hands it the uploaded bytes and the shared linter. When that module is not part of this
installation the page shows the download button disabled, with the reason, rather than hiding it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from tilint.document import ReadError
from tilint.web.checking import Checker, InputError

#: why the button is disabled when annotation is unavailable
UNAVAILABLE = "Not available in this installation of tilint: the reviewed copy needs tilint's Word annotator."


def _module() -> Any:
    for name in ("tilint.word", "tilint.word.annotate"):
        if importlib.util.find_spec(name) is None:
            return None
    return importlib.import_module("tilint.word.annotate")


def _annotator() -> Callable[..., Any] | None:
    module = _module()
    return getattr(module, "annotate_docx", None) if module is not None else None


def available() -> bool:
    """Whether this installation can produce a reviewed copy."""
    try:
        return _annotator() is not None
    except Exception:  # a broken optional module must not take the whole page down
        return False


def reviewed_copy(checker: Checker, filename: str, data: bytes) -> bytes:
    """The uploaded .docx with the findings as tracked changes and comments; InputError for a bad
    document."""
    if _annotator() is None:
        raise RuntimeError(UNAVAILABLE)
    return checker.review(filename, data)


def make_copy(linter: Any, postprocess: Callable | None, filename: str, data: bytes) -> bytes:
    """The reviewed copy made with `linter` (where the checker runs it: a worker, or the request's
    thread); InputError when it cannot be made of this document."""
    annotate = _annotator()
    # AnnotateError means the copy could not be made safely; like ReadError, its message is for people
    readable = (ReadError, getattr(_module(), "AnnotateError", ReadError))
    try:
        done = annotate(filename, data, linter, postprocess=postprocess, suggest=True)
    except readable as exc:
        raise InputError(f"{filename}: {exc}") from None
    return done.data
