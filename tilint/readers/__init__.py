"""Readers: one module per document format, each turning a file into a `Document`.

A reader is a function `read(path: str, data: bytes) -> Document` that raises `ReadError` with a
message a person can act on. The registry maps file extensions to reader modules, imported lazily so
that checking Markdown never pays for importing a PDF library.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path

from tilint.document import Document, ReadError
from tilint.readers.directives import directive_spans

#: extension -> (module name in tilint.readers, format name)
READERS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "text"),
    ".text": ("text", "text"),
    ".md": ("markdown", "markdown"),
    ".markdown": ("markdown", "markdown"),
}

#: formats added by optional reader modules; registered only when the module exists
_OPTIONAL: dict[str, tuple[str, str]] = {
    ".docx": ("docx", "docx"),
    ".pdf": ("pdf", "pdf"),
    ".odt": ("odt", "odt"),
    ".html": ("html", "html"),
    ".htm": ("html", "html"),
    ".rtf": ("rtf", "rtf"),
}
for _ext, (_module, _fmt) in _OPTIONAL.items():
    if importlib.util.find_spec(f"tilint.readers.{_module}") is not None:
        READERS[_ext] = (_module, _fmt)

Reader = Callable[[str, bytes], Document]


def supported_extensions() -> list[str]:
    return sorted(READERS)


def is_supported(path: str | Path) -> bool:
    return Path(path).suffix.lower() in READERS


def reader_for(path: str | Path, default: str | None = None) -> Reader:
    """The reader for a path by its extension; `default` names a format for unknown extensions."""
    suffix = Path(path).suffix.lower()
    if suffix in READERS:
        module_name = READERS[suffix][0]
    elif default is not None:
        module_name = default
    else:
        known = ", ".join(supported_extensions())
        raise ReadError(f"unsupported file type {suffix or '(no extension)'!r}; tilint reads {known}")
    module = importlib.import_module(f"tilint.readers.{module_name}")
    return module.read


def read_document(path: str | Path, data: bytes | None = None, default: str | None = None) -> Document:
    """Read a file (or the given bytes) into a Document, raising ReadError for anything unreadable."""
    path = str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except IsADirectoryError:
            raise ReadError("is a directory") from None
        except FileNotFoundError:
            raise ReadError("no such file") from None
        except PermissionError:
            raise ReadError("permission denied") from None
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    document = reader_for(path, default)(path, data)
    # A suppression directive's rule ids must never be read as the phrase they name.
    document.ignored.extend(directive_spans(document.text))
    if document.format not in ("text", "markdown"):
        document.paragraphs = "line"  # extracted formats put each block on its own line
    return document


__all__ = ["READERS", "Document", "ReadError", "is_supported", "read_document", "reader_for"]
