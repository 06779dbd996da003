"""Turn what a browser sends (pasted text or an uploaded file) into a checked document.

The web app and its JSON API share this one path so the page and `POST /api/check` can never
disagree. Everything a person could get wrong (an empty box, a file type tilint does not read, a
damaged Word file) becomes an `InputError` whose message is shown to them as is; nothing here is
allowed to surface a traceback.

One `Linter` serves every request: compiling the rule set and loading spaCy are the expensive
parts, so they happen once. spaCy's `Matcher` is not documented as thread-safe, and the server is
threaded, so `check` is serialised with a lock; reading a document (the slow part for a PDF) runs
outside it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from tilint.document import Document, ReadError
from tilint.findings import FileResult

#: what a pasted text can be read as, and the reader module for each
PASTE_FORMATS = {"text": "text", "markdown": "markdown"}
#: the name a pasted text is reported under (as `tilint check -` reports standard input)
PASTED_NAME = "-"


class InputError(Exception):
    """Something about the request a person can fix; the message is shown to them verbatim."""


@dataclass
class Checked:
    """A finished check: the result for the JSON contract, and the document for highlighting."""

    result: FileResult
    document: Document
    data: bytes
    filename: str


def supported_extensions() -> list[str]:
    from tilint.readers import supported_extensions as extensions

    return extensions()


def safe_filename(name: str | None) -> str:
    """The last path component of an uploaded file's name: browsers may send a full path."""
    name = (name or "").replace("\\", "/")
    return PurePath(name).name.strip() or ""


class _LockedLinter:
    """The shared linter as other modules see it (`tilint annotate` checks the document itself):
    every `check` takes the same lock as the app's own checks."""

    def __init__(self, linter, lock: threading.Lock) -> None:
        self._linter = linter
        self._lock = lock

    def check(self, document: Document) -> FileResult:
        with self._lock:
            return self._linter.check(document)

    def __getattr__(self, name: str):
        return getattr(self._linter, name)


class Checker:
    """Checks text and files against one shared `Linter`, one check at a time."""

    def __init__(self, linter, postprocess: Callable[[FileResult, bytes], None] | None = None) -> None:
        self.linter = linter
        #: inline suppressions and per-file ignores, as `tilint check` applies them
        self.postprocess = postprocess
        self._lock = threading.Lock()
        self.shared = _LockedLinter(linter, self._lock)

    def warm_up(self) -> None:
        """Load spaCy now (for a server, in a background thread) so the first person to press
        Check does not wait for it; a check that arrives meanwhile waits on the lock."""
        with self._lock:
            self.linter.nlp  # noqa: B018 - the property loads the pipeline

    @property
    def ruleset(self):
        return self.linter.ruleset

    def check_text(self, text: str | None, fmt: str | None = None) -> Checked:
        """Check pasted text, read as plain text (the default) or Markdown."""
        fmt = (fmt or "text").strip().lower()
        if fmt not in PASTE_FORMATS:
            raise InputError(f"format must be one of {', '.join(PASTE_FORMATS)} (got {fmt!r})")
        if text is None or not text.strip():
            raise InputError("there is no text to check: paste some text, or choose a file")
        data = text.encode("utf-8")
        return self._check(PASTED_NAME, data, default=PASTE_FORMATS[fmt])

    def check_upload(self, filename: str | None, data: bytes) -> Checked:
        """Check an uploaded file, chosen by its extension as `tilint check` would."""
        from tilint.readers import is_supported

        name = safe_filename(filename)
        if not name:
            raise InputError("the uploaded file has no name, so tilint cannot tell what kind of file it is")
        if not is_supported(name):
            suffix = PurePath(name).suffix or "(no extension)"
            raise InputError(
                f"{name}: tilint cannot read {suffix} files; it reads {', '.join(supported_extensions())}"
            )
        if not data:
            raise InputError(f"{name}: the file is empty")
        return self._check(name, data, default=None)

    def _check(self, name: str, data: bytes, default: str | None) -> Checked:
        from tilint.readers import read_document

        try:
            document = read_document(name, data, default=default)
        except ReadError as exc:
            raise InputError(f"{name}: {exc}") from None
        except Exception as exc:  # a reader bug must reach the person as a message, not a traceback
            raise InputError(f"{name}: tilint could not read this document ({type(exc).__name__})") from None
        result = self.shared.check(document)
        result.path = name
        if self.postprocess is not None:
            self.postprocess(result, data)
        return Checked(result=result, document=document, data=data, filename=name)
