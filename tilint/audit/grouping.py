"""Which department (team, service, folder) each audited document belongs to.

An audit answers "which team should act first?", so every document is given a group: by default
the top-level folder it sits in under the audited folder (`--group-by depth=1`), or the first N
folders (`depth=N`), or a CSV file that maps paths to teams (`--group-by teams.csv`) for
organisations whose folders do not follow their structure.

Paths are taken relative to the PATH argument the file was found under, so an audit of
`/share/commissioning` groups `/share/commissioning/Children/2023/spec.docx` under "Children".
When several PATHs are given, each one's own name is the first level, so
`tilint audit children/ adults/` groups by "children" and "adults".

The mapping CSV has a header row with a `path` column and a `team` (or `department` or `group`)
column. A path is a folder or file relative to the audited folder, or a glob (`*/tenders/*`); the
most specific match wins (the longest pattern), and documents no row matches are "(unassigned)",
so a gap in the mapping shows in the report rather than disappearing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

#: the group of a file that sits directly in the audited folder (no folder of its own)
TOP_LEVEL = "(top level)"
#: the group of a file no row of a mapping CSV matches
UNASSIGNED = "(unassigned)"
TEAM_COLUMNS = ("team", "department", "group")


class GroupingError(ValueError):
    """A --group-by value or mapping file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Grouping:
    """How to name a document's department; picklable, so it travels to the audit's workers."""

    roots: tuple[str, ...] = ()
    depth: int = 1
    #: (pattern, team) from a mapping CSV, most specific first; empty means group by folder
    mapping: tuple[tuple[str, str], ...] = ()
    #: where the mapping came from, for the report
    source: str = ""

    @property
    def digest(self) -> str:
        """Identifies the grouping, so rows rendered under another grouping are not reused."""
        text = repr((self.roots, self.depth, self.mapping))
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:12]

    def describe(self) -> str:
        if self.mapping:
            return f"teams from {self.source or 'a mapping file'}"
        if self.depth == 1:
            return "top-level folder"
        return f"first {self.depth} folder levels"

    def relative(self, path: str) -> str:
        """`path` relative to the PATH argument it was found under, with "/" separators."""
        absolute = os.path.abspath(path)
        several = len(self.roots) > 1
        for root in sorted(self.roots, key=len, reverse=True):
            base = os.path.abspath(root)
            if absolute == base:  # a file given as a PATH itself
                return os.path.basename(absolute)
            if absolute.startswith(base.rstrip(os.sep) + os.sep):
                relative = os.path.relpath(absolute, base)
                if several:
                    relative = os.path.join(os.path.basename(base.rstrip(os.sep)) or base, relative)
                return relative.replace(os.sep, "/")
        return path.replace(os.sep, "/").lstrip("/")

    def folder(self, path: str) -> str:
        """The folder holding the document, relative to the audited folder ("" at the top)."""
        relative = self.relative(path)
        return relative.rsplit("/", 1)[0] if "/" in relative else ""

    def department(self, path: str) -> str:
        return self.department_of(self.relative(path))

    def department_of(self, relative: str) -> str:
        """The department of a path already relative to the audited folder."""
        if self.mapping:
            for pattern, team in self.mapping:
                if _mapping_matches(pattern, relative):
                    return team
            return UNASSIGNED
        folders = relative.split("/")[:-1]
        if not folders:
            return TOP_LEVEL
        return "/".join(folders[: self.depth])


def _mapping_matches(pattern: str, relative: str) -> bool:
    if any(char in pattern for char in "*?["):
        return fnmatchcase(relative, pattern) or fnmatchcase(relative, pattern.rstrip("/") + "/*")
    pattern = pattern.strip("/")
    return relative == pattern or relative.startswith(pattern + "/")


def parse_group_by(value: str | None, roots: list[str]) -> Grouping:
    """`depth=N`, `folder` (depth=1), or the path of a mapping CSV; raises GroupingError."""
    roots_t = tuple(roots)
    if value is None or value.strip() in ("", "folder", "top-level"):
        return Grouping(roots=roots_t)
    text = value.strip()
    if text.startswith("depth="):
        number = text.removeprefix("depth=")
        if not number.isdigit() or int(number) < 1:
            raise GroupingError(f"--group-by {value!r}: depth must be a whole number of at least 1 (depth=2)")
        return Grouping(roots=roots_t, depth=int(number))
    path = Path(text)
    if not path.is_file():
        raise GroupingError(
            f"--group-by {value!r}: neither depth=N nor a CSV file mapping paths to teams (no such file)"
        )
    return Grouping(roots=roots_t, mapping=load_mapping(path), source=path.name)


def load_mapping(path: Path) -> tuple[tuple[str, str], ...]:
    """(pattern, team) rows of a mapping CSV, most specific first; GroupingError names file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GroupingError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # saved by Excel on Windows
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None:
        raise GroupingError(f"{path}: the file is empty; it needs a header row with 'path' and 'team' columns")
    names = [name.strip().lower() for name in header]
    team_column = next((names.index(name) for name in TEAM_COLUMNS if name in names), None)
    if "path" not in names or team_column is None:
        raise GroupingError(
            f"{path}:1: the header row needs a 'path' column and a 'team' (or 'department') column; "
            f"found {', '.join(repr(n) for n in header) or 'nothing'}"
        )
    path_column = names.index("path")
    rows: list[tuple[str, str]] = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(path_column, team_column):
            raise GroupingError(f"{path}:{line}: expected a path and a team, found {len(row)} column(s)")
        pattern = row[path_column].strip().replace("\\", "/")
        team = row[team_column].strip()
        if not pattern or not team:
            raise GroupingError(f"{path}:{line}: both the path and the team must be filled in")
        rows.append((pattern.removeprefix("./"), team))
    if not rows:
        raise GroupingError(f"{path}: no rows after the header; add one 'path,team' row per folder")
    # the most specific first: longer patterns, and plain paths before globs of the same length
    rows.sort(key=lambda item: (-len(item[0].strip("/")), any(c in item[0] for c in "*?["), item[0]))
    return tuple(rows)
