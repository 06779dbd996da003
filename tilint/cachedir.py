"""Where tilint keeps its caches, and how it writes them safely.

Kept free of other tilint imports so that the rule loader, the engine and the pipeline can all use
it without import cycles.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from functools import cache, lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: bump when anything cached changes shape
CACHE_FORMAT = 3


def cache_dir() -> Path:
    """TILINT_CACHE_DIR, else the user's cache folder (XDG on Linux)."""
    override = os.environ.get("TILINT_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tilint", appauthor=False))


@cache
def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


@lru_cache(maxsize=1)
def _source_digest() -> str:
    """A hash of tilint's own code, so an edited or reinstalled tilint never trusts old caches
    (a version number alone misses development installs)."""
    import hashlib

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tool_fingerprint() -> str:
    """Everything besides the rules that changes what tilint reports."""
    from tilint import __version__

    return f"{__version__}|{_version('spacy')}|{_version('lemminflect')}|{CACHE_FORMAT}|{_source_digest()}"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_pickle(path: Path, expected_type: type):
    """A cached object, or None when it is missing, unreadable or from another version."""
    import pickle

    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return value if isinstance(value, expected_type) else None


def write_pickle(path: Path, value) -> None:
    import contextlib
    import pickle

    with contextlib.suppress(OSError):  # a read-only or full cache folder only costs speed
        atomic_write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
