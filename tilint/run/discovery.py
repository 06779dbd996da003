"""Which files a run covers: named files always, folders walked for supported formats."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tilint.readers import is_supported

#: folders never walked into (version control, environments, dependencies)
SKIP_DIRS = {"node_modules", "__pycache__", "site-packages"}


@dataclass(frozen=True)
class Target:
    """A file to check; `explicit` when the user named it (so an unknown type is an error)."""

    path: str
    explicit: bool


def walk(paths: list[str], exclude=None) -> Iterator[Target]:
    """Files under `paths` in a stable order; hidden folders and SKIP_DIRS are not entered.

    `exclude`, if given, is a predicate on a path string that drops files and folders.
    """
    seen: set[str] = set()
    for target in _walk(paths, exclude):
        key = target.path if target.path == "-" else os.path.normpath(target.path)
        if key not in seen:  # a file named directly and through its folder is checked once
            seen.add(key)
            yield target


def _walk(paths: list[str], exclude) -> Iterator[Target]:
    for raw in paths:
        if raw == "-":
            yield Target("-", True)
            continue
        path = Path(raw)
        if not path.is_dir():
            if exclude is None or not exclude(raw):
                yield Target(_tidy(raw), True)
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(
                d for d in dirs
                if not d.startswith(".") and d not in SKIP_DIRS
                and (exclude is None or not exclude(os.path.join(root, d)))
            )
            for name in sorted(files):
                full = os.path.join(root, name)
                if is_supported(name) and (exclude is None or not exclude(full)):
                    yield Target(_tidy(full), False)


def _tidy(path: str) -> str:
    """`./policies/x.md` -> `policies/x.md`, the way ruff and git print paths; absolute paths and
    `..` stay as given."""
    return os.path.normpath(path) if not os.path.isabs(path) else path
