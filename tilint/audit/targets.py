"""Which files an audit covers: tilint.run.discovery.walk plus --include/--exclude and the output folder.

A GLOB is matched (fnmatch, where * also crosses "/") against a file's name and against its path
relative to the PATH argument it was found under, so `--exclude '*.pdf'`, `--exclude 'archive/*'`
and `--include 'tenders/*.docx'` all do what they say. The output folder is always left out, so a
report inside the audited folder is never audited itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path


def _matches(path: str, root: str, patterns: tuple[str, ...]) -> bool:
    name = os.path.basename(path)
    relative = os.path.relpath(path, root).replace(os.sep, "/") if root != path else name
    return any(fnmatchcase(name, p) or fnmatchcase(relative, p) for p in patterns)


def iter_targets(
    paths: list[str],
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    skip_folder: str | Path | None = None,
) -> Iterator[str]:
    """File paths in a stable order (each PATH in turn, folders walked sorted)."""
    from tilint.run.discovery import walk

    skip = os.path.realpath(skip_folder) if skip_folder is not None else None
    for root in paths:

        def excluded(candidate: str, root: str = root) -> bool:
            if skip is not None and os.path.isdir(candidate) and os.path.realpath(candidate) == skip:
                return True
            return bool(exclude) and _matches(candidate, root, exclude)

        for target in walk([root], exclude=excluded):
            if include and not target.explicit and not _matches(target.path, root, include):
                continue
            yield target.path
