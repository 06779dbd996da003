"""Turn what a browser sends (pasted text or an uploaded file) into a checked document.

The web app and its JSON API share this one path so the page and `POST /api/check` can never
disagree. Everything a person could get wrong (an empty box, a file type tilint does not read, a
damaged Word file) becomes an `InputError` whose message is shown to them as is; nothing here is
allowed to surface a traceback.

`tilint serve` checks on a bounded pool of worker processes (tilint.run.pool.RequestPool), each
with its own linter, loaded once: a request takes a free worker, under the per-file time limit,
so a document that takes long (or hangs) holds one worker and never the others, and a worker that
overruns is stopped and replaced. The workers are started by a fork server (or spawned), never
forked from the threaded server itself. Embedded without workers (`workers=0`, the app factory's
default, for tests and for WSGI servers with their own processes), one `Linter` checks in the
request's thread, serialised with a lock since spaCy's `Matcher` is not documented as thread-safe.
Both ways run the same function (`_serve`) on each request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from tilint.document import Document, ReadError
from tilint.findings import FileResult

log = logging.getLogger("tilint.web")

#: what a pasted text can be read as, and the reader module for each
PASTE_FORMATS = {"text": "text", "markdown": "markdown"}
#: the name a pasted text is reported under (as `tilint check -` reports standard input)
PASTED_NAME = "-"


class InputError(Exception):
    """Something about the request a person can fix; the message is shown to them verbatim."""

    status = 400


class CheckFailed(InputError):
    """tilint could not finish checking the document (past the time limit, a crashed worker, an
    internal error): the message says so, without internals."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


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
    """Checks text and files: on `workers` worker processes, or in the caller's thread."""

    def __init__(
        self,
        linter,
        postprocess: Callable[[FileResult, bytes], None] | None = None,
        workers: int = 0,
        timeout: float | None = None,
    ) -> None:
        from tilint.run.limits import DEFAULT_FILE_TIMEOUT

        self.linter = linter
        #: inline suppressions and per-file ignores, as `tilint check` applies them
        self.postprocess = postprocess
        self.timeout = DEFAULT_FILE_TIMEOUT if timeout is None else timeout
        self._lock = threading.Lock()
        self.shared = _LockedLinter(linter, self._lock)
        self.pool = None
        if workers:
            from tilint.run.pool import RequestPool

            self.pool = RequestPool(workers, _serve_state, (linter, postprocess), _serve, timeout=self.timeout,
                                    context=_context())

    def warm_up(self) -> None:
        """Load spaCy now so the first person to press Check does not wait for it: the workers
        start and load it in the background; without workers, a check that arrives meanwhile
        waits on the lock."""
        if self.pool is not None:
            self.pool.start()
            return
        with self._lock:
            self.linter.nlp  # noqa: B018 - the property loads the pipeline

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()

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
        return self._run(("check", PASTED_NAME, data, PASTE_FORMATS[fmt]))

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
        return self._run(("check", name, data, None))

    def review(self, filename: str, data: bytes) -> bytes:
        """The .docx with a Word comment on each finding (tilint.web.reviewed); InputError for a
        document it cannot be made of."""
        return self._run(("review", filename, data))

    def _run(self, task: tuple):
        answer = _serve((self.shared, self.postprocess), task) if self.pool is None else self._on_pool(task)
        if answer[0] == "input":
            raise InputError(answer[1])
        return answer[1]

    def _on_pool(self, task: tuple):
        from tilint.run.pool import TIMED_OUT, PoolBusy, TaskFailed

        name = task[1] if task[1] != PASTED_NAME else "the pasted text"
        try:
            return self.pool.run(task)
        except PoolBusy:
            raise CheckFailed(f"tilint is busy with other documents; try {name} again in a minute", 503) from None
        except TaskFailed as exc:
            outcome = exc.outcome
            log.error("tilint serve: %s: %s", name, outcome.error)
            if outcome.failure == TIMED_OUT:
                raise CheckFailed(f"tilint gave up on {name} after {self.timeout:g} s (the server's "
                                  "--file-timeout); try a shorter document", 503) from None
            kind = (outcome.error or "").split(":", 1)[0]
            raise CheckFailed(f"tilint failed on {name} ({kind}). The details are in the terminal that runs "
                              "tilint serve.", 500) from None


def _context():
    """Workers for a threaded server: from a fork server that has imported tilint and spaCy
    (a fork of the server itself could copy another thread half-way), else spawned."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["tilint.web.checking", "tilint.engine", "spacy"])
        return context
    return multiprocessing.get_context("spawn")


def _serve_state(linter, postprocess):
    """A worker's state: its own copy of the linter, with spaCy loaded before the first request."""
    from tilint.run.single import warm_up

    warm_up(linter)
    return linter, postprocess


def _serve(state, task: tuple) -> tuple[str, object]:
    """One request's work, in a worker or in the request's thread: ("ok", value) or ("input",
    the message for the person)."""
    linter, postprocess = state
    try:
        if task[0] == "review":
            from tilint.web.reviewed import make_copy

            return "ok", make_copy(linter, postprocess, task[1], task[2])
        return "ok", _check(linter, postprocess, *task[1:])
    except InputError as exc:
        return "input", str(exc)


def _check(linter, postprocess, name: str, data: bytes, default: str | None) -> Checked:
    from tilint.readers import read_document

    try:
        document = read_document(name, data, default=default)
    except ReadError as exc:
        raise InputError(f"{name}: {exc}") from None
    except Exception as exc:  # a reader bug must reach the person as a message, not a traceback
        raise InputError(f"{name}: tilint could not read this document ({type(exc).__name__})") from None
    result = linter.check(document)
    result.path = name
    if postprocess is not None:
        postprocess(result, data)
    return Checked(result=result, document=document, data=data, filename=name)
