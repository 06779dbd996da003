"""Which files an audit covers: tilint.run.discovery.walk, never entering the output folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tilint.run.discovery import Selection, walk


def iter_targets(
    paths: list[str], selection: Selection | None = None, skip_folder: str | Path | None = None
) -> Iterator[str]:
    """File paths in a stable order (each PATH in turn, folders walked sorted). The output folder
    is left out even before its marker is written, so a report inside the audited folder is never
    audited itself."""
    selection = selection or Selection()
    if skip_folder is not None:
        selection = Selection(selection.config_exclude, selection.exclude, selection.include,
                              (*selection.skip, str(skip_folder)))
    for target in walk(paths, selection):
        yield target.path
