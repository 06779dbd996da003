"""The audit's journal: every finished file with its content hash and result, on disk as it arrives.

It is an SQLite database in the output folder because one file gives all three things an audit of an
arbitrarily large folder needs: results stream to disk (memory holds only the file in hand), an
interrupted run resumes (a rerun skips files whose hash is already recorded), and the outputs can be
written in a deterministic order (by path, or worst first) by the database rather than by sorting in
memory. Each row holds its file's table rows already rendered (see outputs.prepare_row), so writing
the outputs copies text. Rows are written in batches (one executemany per batch, within a
transaction committed every half second), so a killed run loses at most a second of work.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

JOURNAL_NAME = "audit-journal.sqlite"
#: bump when the table layout changes; an older journal is then started afresh
JOURNAL_FORMAT = 4

_META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_DOCUMENTS = """
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    run INTEGER NOT NULL,
    format TEXT,
    words INTEGER NOT NULL DEFAULT 0,
    findings INTEGER NOT NULL DEFAULT 0,
    per_1k REAL NOT NULL DEFAULT 0,
    risk_only INTEGER NOT NULL DEFAULT 0,
    principles_covered INTEGER NOT NULL DEFAULT 0,
    impact INTEGER NOT NULL DEFAULT 0,
    department TEXT NOT NULL DEFAULT '',
    relative TEXT NOT NULL DEFAULT '',
    error TEXT,
    from_cache INTEGER NOT NULL DEFAULT 0,
    seconds REAL NOT NULL DEFAULT 0,
    findings_csv TEXT NOT NULL,
    document_csv TEXT NOT NULL,
    findings_xlsx TEXT NOT NULL,
    document_xlsx TEXT NOT NULL,
    jsonl TEXT NOT NULL,
    stats TEXT,
    sketch TEXT NOT NULL DEFAULT '[]',
    result BLOB NOT NULL
)
"""
#: the columns of outputs.prepare_row: these after path, sha256 and run ...
ROW_COLUMNS = (
    "format", "words", "findings", "per_1k", "risk_only", "principles_covered", "impact",
    "department", "relative", "error",
)
#: ... and these after from_cache and seconds
#: (the result last: it is read back for the report's few sections only, and SQLite reads a row's
#: columns in order, so the tables are written without reading through it)
TEXT_COLUMNS = ("findings_csv", "document_csv", "findings_xlsx", "document_xlsx", "jsonl", "stats", "sketch", "result")
_INSERT = "INSERT OR REPLACE INTO documents VALUES (" + ",".join("?" * (5 + len(ROW_COLUMNS) + len(TEXT_COLUMNS))) + ")"
#: rows buffered before one executemany
BATCH = 256

#: worst first ("documents to review first"): risk-only framing, then the people-labelling findings
#: weighted by severity (outputs.SEVERITY_WEIGHTS), then the density and number of findings; so a
#: 30-page tender with 80 findings comes before a short note with a high rate and few of them
WORST_FIRST = "risk_only DESC, impact DESC, per_1k DESC, findings DESC, path"


def per_thousand(findings: int, words: int) -> float:
    return round(findings * 1000 / words, 2) if words else 0.0


def pack_result(result: dict[str, Any]) -> bytes:
    """A FileResult.to_cache() dict as the journal keeps it: compressed JSON, a quarter of the
    bytes for the parent to receive and SQLite to write."""
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack_result(blob: bytes) -> dict[str, Any]:
    return json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))


class JournalBusy(Exception):
    """Another audit is writing to the same output folder."""


class _Reading:
    """What the outputs read back from a journal, through `conn`."""

    conn: sqlite3.Connection

    def count(self, where: str = "1") -> int:
        return self.conn.execute(f"SELECT COUNT(*) FROM documents WHERE {where}").fetchone()[0]

    def by_path(self, columns: str = "*") -> Iterator[sqlite3.Row]:
        """Every row in path order (streamed from the database)."""
        yield from self.conn.execute(f"SELECT path, {columns} FROM documents ORDER BY path")

    def worst_first(self, where: str = "1", limit: int | None = None, columns: str = "*") -> Iterator[sqlite3.Row]:
        sql = f"SELECT {columns} FROM documents WHERE {where} ORDER BY {WORST_FIRST}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        yield from self.conn.execute(sql)

    def errors(self) -> Iterator[sqlite3.Row]:
        yield from self.conn.execute("SELECT path, error FROM documents WHERE error IS NOT NULL ORDER BY path")


class JournalReader(_Reading):
    """A second, read-only connection to a finished journal, for writing an output in another
    thread while the first connection writes the rest (SQLite connections are per thread)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()


class Journal(_Reading):
    """Open (or resume) the journal in `folder` for the given settings key.

    A journal written under other settings (rules, options, tilint version) is cleared, since its
    results would not be what this run would find; `resume=False` clears it too.
    """

    def __init__(self, folder: Path, settings_key: str, resume: bool = True, commit_every: float = 0.5) -> None:
        self.path = folder / JOURNAL_NAME
        try:
            self._open(settings_key, resume)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise JournalBusy(f"{folder} is in use by another tilint audit") from None
            raise
        except sqlite3.DatabaseError:  # not a database (damaged, or some other file): start afresh
            self.conn.close()
            self.path.unlink()
            self._open(settings_key, resume)
        self.commit_every = commit_every
        self._last_commit = time.monotonic()

    def _open(self, settings_key: str, resume: bool) -> None:
        # A short busy timeout: a second audit into the same folder should fail at once, not wait.
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=0.5)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(_META)
        self.conn.execute("BEGIN IMMEDIATE")  # the write lock is held for the whole run
        key = f"{JOURNAL_FORMAT}|{settings_key}"
        stored = self._meta("settings")
        if stored is None or not stored.startswith(f"{JOURNAL_FORMAT}|"):
            self.conn.execute("DROP TABLE IF EXISTS documents")  # an older layout: start afresh
        self.conn.execute(_DOCUMENTS)
        if stored != key or not resume:
            self.conn.execute("DELETE FROM documents")
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('settings', ?)", (key,))
        previous = self.conn.execute("SELECT MAX(run) FROM documents").fetchone()[0]
        #: this run's number, which the rows it records carry
        self.run = (previous or 0) + 1
        # The paths seen in this run, in a temporary table rather than by updating each unchanged
        # row: an UPDATE rewrites the whole row, rendered tables and all, which made a resumed
        # audit of 10,000 files spend most of its time rewriting what it had not changed.
        self.conn.execute("PRAGMA temp_store=MEMORY")
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS seen (path TEXT PRIMARY KEY)")
        self._inserts: list[tuple] = []
        self._seen: list[tuple[str]] = []

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- during the run ----------------------------------------------------------------------------
    def known_hash(self, path: str) -> str | None:
        row = self.conn.execute("SELECT sha256 FROM documents WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def mark_seen(self, path: str) -> None:
        """An unchanged file: its recorded result stands for this run."""
        self._seen.append((path,))
        self._maybe_commit()

    def record(self, path: str, row: dict[str, Any], sha256: str | None, from_cache: bool, seconds: float) -> None:
        """Store one file's result, as outputs.prepare_row rendered it."""
        self._inserts.append(
            (
                path,
                sha256,
                self.run,
                *(row[name] for name in ROW_COLUMNS),
                int(from_cache),
                seconds,
                *(row[name] for name in TEXT_COLUMNS),
            )
        )
        self._maybe_commit()

    def _maybe_commit(self) -> None:
        if len(self._inserts) + len(self._seen) >= BATCH:
            self.flush()
        if time.monotonic() - self._last_commit >= self.commit_every:
            self.commit()

    def flush(self) -> None:
        """Write the buffered rows (inside the open transaction): one statement per batch."""
        if self._inserts:
            self.conn.executemany(_INSERT, self._inserts)
            self._seen.extend((row[0],) for row in self._inserts)
            self._inserts = []
        if self._seen:
            self.conn.executemany("INSERT OR IGNORE INTO seen VALUES (?)", self._seen)
            self._seen = []

    def commit(self) -> None:
        self.flush()
        self.conn.execute("COMMIT")
        self.conn.execute("BEGIN IMMEDIATE")
        self._last_commit = time.monotonic()

    def finish(self) -> None:
        """Forget files not seen in this run (deleted, renamed or now excluded)."""
        self.flush()
        self.conn.execute("DELETE FROM documents WHERE path NOT IN (SELECT path FROM seen)")
        self.commit()

    def close(self) -> None:
        """Keep what was recorded (an interrupted run resumes from it) and let the folder go."""
        if self.conn.in_transaction:
            self.flush()
            self.conn.execute("COMMIT")
        self.conn.close()

