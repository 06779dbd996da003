"""Where a finding's file is, said the way each consumer resolves paths.

People and reviewdog read paths relative to the working directory (`policies/x.md`, never
`./policies/x.md`); GitHub (annotations, code scanning) and GitLab resolve them from the
repository's root, so a run from a subfolder must still name `docs/policies/x.md`. The root is
the nearest folder upwards from the working directory that holds `.git` (a folder, or a file in a
worktree or submodule), else the working directory itself.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePath


def display_path(path: str) -> str:
    """`./docs/a.md` -> `docs/a.md`; standard input ("-") and absolute paths are kept as they are."""
    if path == "-" or not path:
        return path
    pure = PurePath(path)
    if pure.is_absolute():
        return path
    normal = os.path.normpath(path)
    return normal


def source_root(cwd: Path | None = None) -> Path:
    """The repository root above `cwd` (default: the working directory), else `cwd` itself."""
    start = Path(os.path.abspath(cwd or os.getcwd()))
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def repository_path(path: str, root: Path) -> str | None:
    """`path` relative to `root` with forward slashes, or None when it lies outside `root`."""
    if path == "-":
        return None
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        return None
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(relative):
        return None
    return posixpath.normpath(PurePath(relative).as_posix())
