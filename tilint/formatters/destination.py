"""`--output-file`: the report written to a file rather than printed.

Written whole or not at all (a temporary file in the same folder, then a rename), so a CI step that
reads the file never sees half a report; UTF-8 without a byte order mark (GitLab's parser rejects
one); the folder is created when missing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputFileError(Exception):
    """The report could not be written; the message names the file."""


def write_report(path: str | Path, text: str) -> None:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write the report: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
