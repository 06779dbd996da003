"""The limits every run shares: how large a file may be, how long it may take, how many workers.

One rule each, for every command (check, fix, annotate, audit, serve), so that `-j 0` or a file
over the size limit means the same everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: the largest file read (larger ones are that file's error)
DEFAULT_MAX_BYTES = 100_000_000
#: seconds one file may take before its worker is stopped and the file reported: generous, since
#: a large PDF may honestly take a while, but finite, so that no input can hang a run
DEFAULT_FILE_TIMEOUT = 120.0
#: below this many files per worker, starting workers costs more than it saves
MIN_FILES_PER_WORKER = 16


@dataclass(frozen=True)
class Limits:
    """What one file may cost: bytes read, and seconds (None: no time limit)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    file_timeout: float | None = DEFAULT_FILE_TIMEOUT


def available_cores() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def worker_count(requested: int, files: int | None = None) -> int:
    """`requested` workers when above 0; otherwise (0, "auto") one per core, when there are enough
    files to share (MIN_FILES_PER_WORKER each), and never more workers than files."""
    if requested > 0:
        return requested if files is None else max(1, min(requested, files))
    if files is None:
        return available_cores()
    return max(1, min(available_cores(), files // MIN_FILES_PER_WORKER))
