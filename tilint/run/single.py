"""Read -> analyse for one file, with the content-hash cache: shared by check, audit and serve.

Every problem with a file becomes that file's `error`; nothing here raises for a bad document,
so a batch always goes on past it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tilint.cachedir import atomic_write_bytes, cache_dir, tool_fingerprint
from tilint.document import Document, ReadError
from tilint.engine.fingerprints import FINGERPRINT_VERSION
from tilint.findings import FileResult
from tilint.run.limits import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from tilint.engine.linter import Match, Prepared


class ResultCache:
    """Findings per file content, keyed by tilint version, rule set and options.

    A re-check of an unchanged repository then costs a hash and a small JSON read per file.
    """

    def __init__(self, linter, enabled: bool = True, folder: Path | None = None) -> None:
        self.enabled = enabled
        settings = json.dumps(
            {
                "tool": tool_fingerprint(),
                "rules": linter.ruleset.digest,
                "active": sorted(linter.active),
                "severities": linter.severities,
                "model": linter.model,
                "fingerprints": FINGERPRINT_VERSION,
            },
            sort_keys=True,
        )
        self.namespace = hashlib.sha256(settings.encode()).hexdigest()[:16]
        self.folder = (folder or cache_dir()) / "results" / self.namespace

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    @staticmethod
    def key(path: str, data: bytes) -> str:
        # The path's extension picks the reader, so it is part of what the content means.
        return hashlib.sha256(Path(path).suffix.lower().encode() + b"\0" + data).hexdigest()

    def get(self, path: str, data: bytes) -> FileResult | None:
        if not self.enabled:
            return None
        try:
            raw = json.loads(self._path(self.key(path, data)).read_text("utf-8"))
            result = FileResult.from_cache(raw)
        except (OSError, ValueError, TypeError):
            return None
        result.path = path
        return result

    def knows(self, path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bool:
        """Whether the findings of the file at `path` are cached (without reading them)."""
        if not self.enabled:
            return False
        try:
            return self._path(self.key(path, _read_bytes(path, max_bytes))).is_file()
        except (ReadError, OSError):
            return False

    def put(self, path: str, data: bytes, result: FileResult) -> None:
        if not self.enabled or result.error:
            return
        try:
            payload = json.dumps(result.to_cache(), ensure_ascii=False).encode("utf-8")
            atomic_write_bytes(self._path(self.key(path, data)), payload)
        except OSError:
            pass


@dataclass
class Checked:
    result: FileResult
    document: Document | None = None
    data: bytes | None = None
    from_cache: bool = False


def _read_bytes(path: str, max_bytes: int) -> bytes:
    from tilint.readers import is_supported

    file = Path(path)
    if file.is_dir():
        raise ReadError("is a directory")
    if not file.exists():
        raise ReadError("no such file")
    if not is_supported(path):
        raise ReadError(f"unsupported file type {file.suffix or '(no extension)'!r}")
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise ReadError(f"file is {size / 1e6:.0f} MB, over the {max_bytes // 1_000_000} MB limit (--max-size)")
        return file.read_bytes()
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None


def open_path(
    path: str,
    cache: ResultCache | None = None,
    stdin_filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    need_document: bool = False,
    data: bytes | None = None,
) -> Checked:
    """Read one file (or "-" for standard input) into a Document, unless the cache already knows
    its findings or it cannot be read: then the returned Checked has its final `result` and no
    document. `data`, when given, is the file's content already read. Never raises for a bad file."""
    from tilint.readers import read_document

    display = (stdin_filename or "-") if path == "-" else path
    try:
        if data is None:
            data = sys.stdin.buffer.read() if path == "-" else _read_bytes(path, max_bytes)
        if cache is not None and not need_document:
            cached = cache.get(display, data)
            if cached is not None:
                return Checked(cached, None, data, from_cache=True)
        document = read_document(display, data, default="text")
    except ReadError as exc:
        return Checked(FileResult(path=display, error=str(exc)))
    except Exception as exc:  # a reader bug must not end a batch; report it as that file's error
        return Checked(FileResult(path=display, error=f"internal error while reading: {exc!r}", failure="internal"))
    return Checked(FileResult(path=display), document, data)


def finish_checked(linter, prepared: Prepared, matches: list[Match], data: bytes, cache: ResultCache | None) -> Checked:
    """The file's result from its matches, stored in the cache."""
    result = linter.finish(prepared, matches)
    if cache is not None:
        cache.put(prepared.document.path, data, result)
    return Checked(result, prepared.document, data)


def check_path(
    linter,
    path: str,
    cache: ResultCache | None = None,
    stdin_filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    need_document: bool = False,
    data: bytes | None = None,
) -> Checked:
    """Check one file (or "-" for standard input). Never raises for a bad file."""
    opened = open_path(path, cache, stdin_filename, max_bytes, need_document, data)
    if opened.document is None:
        return opened
    prepared = linter.prepare(opened.document)
    return finish_checked(linter, prepared, linter.match(prepared), opened.data, cache)


def warm_up(linter) -> None:
    """Load the spaCy pipeline and the matchers by checking one phrase: before workers fork (so
    they inherit them instead of each loading its own), or at start-up so that a --model that is
    not installed fails at once, before any file."""
    from tilint.document import Document

    if not linter.anchors:
        return
    linter.check(Document(path="<warm-up>", text=min(linter.anchors)))
