"""Plain text: the file is the text, so positions are the file's own."""

from __future__ import annotations

from tilint.document import Document
from tilint.readers.encoding import decode_text


def read(path: str, data: bytes) -> Document:
    return Document(path=path, text=decode_text(data), format="text")
