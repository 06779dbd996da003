"""The compiled-rules cache: compile once per rule-set change, load in milliseconds after."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from tilint.engine.compiler import CompiledRules, compile_ruleset
from tilint.ruleset import RuleSet

#: bump when the compiled format changes
COMPILED_FORMAT = 1


def cache_dir() -> Path:
    """TILINT_CACHE_DIR, else the user's cache folder (XDG on Linux)."""
    override = os.environ.get("TILINT_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tilint", appauthor=False))


@lru_cache(maxsize=None)
def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def tool_fingerprint() -> str:
    """Everything besides the rules that changes what tilint reports."""
    from tilint import __version__

    return f"{__version__}|{_version('spacy')}|{_version('lemminflect')}|{COMPILED_FORMAT}"


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


def load_compiled(ruleset: RuleSet, use_cache: bool = True) -> CompiledRules:
    if not use_cache:
        return compile_ruleset(ruleset)
    key = hashlib.sha256(f"{tool_fingerprint()}|{ruleset.digest}".encode()).hexdigest()[:32]
    path = cache_dir() / "compiled" / f"{key}.pickle"
    try:
        with path.open("rb") as handle:
            compiled = pickle.load(handle)
        if isinstance(compiled, CompiledRules):
            return compiled
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    compiled = compile_ruleset(ruleset)
    try:
        atomic_write_bytes(path, pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only or full cache folder only costs speed
    return compiled
