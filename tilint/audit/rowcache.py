"""A content-hash cache of each file's rendered journal row, beside the result cache.

A warm audit into a new folder (every file unchanged since some earlier audit) would otherwise
parse each cached result, trim its contexts and render its table rows again, which costs several
times what reading the file and hashing it does, and it is what makes a warm audit slow. With the
row cached, such a file costs a read, two hashes and a small compressed read.

The key is the file's path and content (the rows carry the path), under the result cache's
namespace (tilint's code, the rules and the options) and the grouping into departments (which the
rows carry too), so any change that would alter a row misses. A row keeps the date it was given
when first rendered, so a file copied (new modification time, same content) keeps its date.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

from tilint.audit.journal import ROW_COLUMNS, TEXT_COLUMNS
from tilint.cachedir import atomic_write_bytes

#: bump when the stored layout changes
ROW_FORMAT = 3
_FIELDS = {*ROW_COLUMNS, *TEXT_COLUMNS} - {"result"}


class RowCache:
    """Rendered rows (outputs.prepare_row) by path and content; off when the result cache is off."""

    def __init__(self, result_cache, variant: str = "") -> None:
        """`variant` names what else shaped the rows (the finding filter's digest, the grouping into departments)."""
        self.enabled = bool(result_cache.enabled)
        name = f"{result_cache.namespace}-{variant}" if variant else result_cache.namespace
        self.folder: Path = result_cache.folder.parent.parent / f"audit-rows-{ROW_FORMAT}" / name

    def _path(self, path: str, data: bytes) -> Path:
        key = hashlib.sha256(path.encode("utf-8", "surrogateescape") + b"\0" + data).hexdigest()
        return self.folder / key[:2] / f"{key}.row"

    def get(self, path: str, data: bytes) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        try:
            stored = self._path(path, data).read_bytes()
            size = int.from_bytes(stored[:4], "big")
            row = json.loads(zlib.decompress(stored[4 : 4 + size]))
        except (OSError, ValueError, zlib.error):
            return None
        if not isinstance(row, dict) or not row.keys() >= _FIELDS:
            return None
        row["result"] = stored[4 + size :]  # already compressed (journal.pack_result)
        return row

    def put(self, path: str, data: bytes, row: dict[str, Any]) -> None:
        """Store the row as: 4-byte length, the compressed JSON of its other fields, its result."""
        if not self.enabled or row.get("error"):
            return
        # ASCII JSON: any string (even a path with undecodable bytes) comes back exactly as it went
        fields = {name: value for name, value in row.items() if name != "result"}
        header = zlib.compress(json.dumps(fields).encode("ascii"), 1)
        with contextlib.suppress(OSError):  # a full or read-only cache only costs the next run time
            atomic_write_bytes(self._path(path, data), len(header).to_bytes(4, "big") + header + row["result"])
