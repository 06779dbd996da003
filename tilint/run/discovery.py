"""Which files a run covers: named files always, folders walked for supported formats.

Every command that walks folders (check, fix, audit) walks them here, with one set of rules:

- hidden folders, dependency folders (SKIP_DIRS) and folders that are not documents are never
  entered: a virtual environment (a folder holding `pyvenv.cfg`, as ruff skips it), a cache folder
  marked with a CACHEDIR.TAG (https://bford.info/cachedir/), and a folder tilint wrote its own
  output to (an audit's report, marked with OUTPUT_MARKER), so `tilint check .` after an audit
  never reports the snippets quoted in its report;
- exclusions are gitignore-style globs (tilint.config.globs): the configuration file's, relative to
  its folder, and the command line's --exclude (and an audit's --include), relative to each PATH
  they are found under;
- a file named directly is always checked (its type decides how, or that it cannot be).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tilint.config.globs import GlobSet
from tilint.readers import is_supported

#: folders never walked into (dependencies, bytecode)
SKIP_DIRS = {"node_modules", "__pycache__", "site-packages"}
#: the file that marks a folder of tilint's own output (written by `mark_output_folder`)
OUTPUT_MARKER = ".tilint-output"
OUTPUT_SIGNATURE = "Signature: tilint output folder"
#: the CACHEDIR.TAG standard's signature
CACHEDIR_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"


@dataclass(frozen=True)
class Target:
    """A file to check; `explicit` when the user named it (so an unknown type is an error)."""

    path: str
    explicit: bool


@dataclass(frozen=True)
class Selection:
    """What a walk leaves out besides unsupported formats, and what it keeps."""

    #: the configuration file's `exclude`, relative to its folder
    config_exclude: GlobSet | None = None
    #: --exclude patterns, relative to each PATH argument
    exclude: tuple[str, ...] = ()
    #: --include patterns (an audit's): when given, only files matching one are walked to
    include: tuple[str, ...] = ()
    #: folders never walked into wherever they are (an audit's output folder)
    skip: tuple[str, ...] = ()


def mark_output_folder(folder: str | Path) -> None:
    """Mark `folder` as tilint's output so that walks skip it (best effort: a read-only folder
    is only left unmarked)."""
    marker = Path(folder) / OUTPUT_MARKER
    if marker.is_file():
        return
    with contextlib.suppress(OSError):
        marker.write_text(
            f"{OUTPUT_SIGNATURE}\n# tilint wrote this folder (an audit's report and tables). `tilint check` and\n"
            "# `tilint audit` do not check the files in a folder holding this file.\n",
            encoding="utf-8",
        )


def _starts_with(path: str, signature: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(signature)) == signature.encode("ascii")
    except OSError:
        return False


def is_not_documents(folder: str) -> bool:
    """Whether `folder` holds a virtual environment, a cache or tilint's own output."""
    return (
        os.path.isfile(os.path.join(folder, "pyvenv.cfg"))
        or _starts_with(os.path.join(folder, "CACHEDIR.TAG"), CACHEDIR_SIGNATURE)
        or _starts_with(os.path.join(folder, OUTPUT_MARKER), OUTPUT_SIGNATURE)
    )


def walk(paths: list[str], selection: Selection | None = None) -> Iterator[Target]:
    """Files under `paths` in a stable order (each PATH in turn, folders walked sorted)."""
    selection = selection or Selection()
    seen: set[str] = set()
    for target in _walk(paths, selection):
        key = target.path if target.path == "-" else os.path.normpath(target.path)
        if key not in seen:  # a file named directly and through its folder is checked once
            seen.add(key)
            yield target


def _walk(paths: list[str], selection: Selection) -> Iterator[Target]:
    skip = {os.path.realpath(folder) for folder in selection.skip}
    config_exclude = selection.config_exclude
    for raw in paths:
        if raw == "-":
            yield Target("-", True)
            continue
        if not os.path.isdir(raw):
            if config_exclude is None or not config_exclude(raw):
                yield Target(_tidy(raw), True)
            continue
        exclude = GlobSet(list(selection.exclude), Path(raw)) if selection.exclude else None
        include = GlobSet(list(selection.include), Path(raw)) if selection.include else None

        def excluded(path: str, exclude=exclude) -> bool:
            if config_exclude is not None and config_exclude(path):
                return True
            return exclude is not None and exclude(path)

        for root, dirs, files in os.walk(raw):
            dirs[:] = sorted(
                d for d in dirs
                if not d.startswith(".") and d not in SKIP_DIRS and not _skipped(os.path.join(root, d), skip, excluded)
            )
            for name in sorted(files):
                full = os.path.join(root, name)
                if not is_supported(name) or excluded(full):
                    continue
                if include is not None and not include(full):
                    continue
                yield Target(_tidy(full), False)


def _tidy(path: str) -> str:
    """`./policies/x.md` -> `policies/x.md`, the way ruff and git print paths; absolute paths and
    `..` stay as given."""
    return os.path.normpath(path) if not os.path.isabs(path) else path


def _skipped(folder: str, skip: set[str], excluded) -> bool:
    return excluded(folder) or is_not_documents(folder) or (bool(skip) and os.path.realpath(folder) in skip)
