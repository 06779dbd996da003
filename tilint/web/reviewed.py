"""The reviewed copy of a Word document: the original .docx with a comment on each finding.

Writing the comments is `tilint annotate`'s job (tilint/annotate.py); the web app only hands it
the uploaded bytes and the findings it already has. When that module is not part of this
installation the page shows the download button disabled, with the reason, rather than hiding it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

#: why the button is disabled when annotation is unavailable
UNAVAILABLE = "Not available in this version of tilint: the reviewed copy needs `tilint annotate`."


def _annotator() -> Callable[..., Any] | None:
    if importlib.util.find_spec("tilint.annotate") is None:
        return None
    module = importlib.import_module("tilint.annotate")
    return getattr(module, "annotate_docx", None)


def available() -> bool:
    """Whether this installation can produce a reviewed copy."""
    try:
        return _annotator() is not None
    except Exception:  # a broken optional module must not take the whole page down
        return False


def reviewed_copy(checked) -> bytes:
    """The uploaded .docx with the findings as Word comments."""
    annotate = _annotator()
    if annotate is None:
        raise RuntimeError(UNAVAILABLE)
    return annotate(checked.data, checked.result.findings)
