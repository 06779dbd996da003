"""What an audit learns about a document besides its findings: its date and a sketch of its content.

Both need the document's text, which a result from the cache does not carry, so the worker asks
for them while it holds the Document (see worker.process); they travel in the rendered row, which
the row cache keeps, so a warm audit does not read the document again.
"""

from __future__ import annotations

from typing import Any

from tilint.audit.dating import document_date
from tilint.audit.similarity import sketch
from tilint.document import Document


def document_facts(path: str, document: Document | None) -> dict[str, Any]:
    """{"date", "date_source", "sketch"} for a readable document; the file's dates alone without one."""
    if document is None:
        date, source = document_date(path, {}, "")
        return {"date": date, "date_source": source, "sketch": []}
    date, source = document_date(path, document.properties, document.text)
    return {"date": date, "date_source": source, "sketch": sketch(document.analysable_text())}


def read_facts(path: str, data: bytes | None) -> dict[str, Any]:
    """The facts of a file whose findings came from the result cache: read it again (no analysis)."""
    from tilint.readers import read_document

    document = None
    if data is not None:
        try:
            document = read_document(path, data, default="text")
        except Exception:  # it was readable when its result was cached; a failure now costs only the facts
            document = None
    return document_facts(path, document)
