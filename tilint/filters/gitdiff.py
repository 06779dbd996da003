"""`--diff REF`: keep only findings on lines changed since a git ref (pull-request checks).

A reviewer wants to hear about the language a pull request adds, not about every old paragraph in
the files it touches. The changed lines come from `git diff --unified=0` against the merge base of
REF and HEAD (so commits that landed on the target branch since the branch was cut do not count),
compared with the working tree (so uncommitted edits count too). Untracked files count as wholly
changed. Git runs as a subprocess without a shell.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tilint.findings import FileResult

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
#: formats whose line numbers are the file's own, so a line-level filter makes sense
LINE_FORMATS = frozenset({"text", "markdown", "html"})


class DiffError(Exception):
    """--diff cannot work here (no git, not a repository, unknown ref); the message says why."""


@dataclass
class ChangedLines:
    """Changed line numbers per absolute file path; None means the whole file is new."""

    files: dict[str, set[int] | None] = field(default_factory=dict)

    def for_path(self, path: str) -> tuple[bool, set[int] | None]:
        """(changed at all, changed lines or None for "every line")."""
        key = _key(path)
        if key not in self.files:
            return False, set()
        return True, self.files[key]


def _key(path: str | Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError("--diff needs git, which is not installed (or not on PATH)") from None


def _unquote(name: str) -> str:
    """Undo git's C-style quoting of unusual path names ("a\\tb", octal UTF-8 bytes)."""
    if not (name.startswith('"') and name.endswith('"')):
        return name
    body = name[1:-1]
    out = bytearray()
    i = 0
    escapes = {
        "n": b"\n",
        "t": b"\t",
        '"': b'"',
        "\\": b"\\",
        "a": b"\a",
        "b": b"\b",
        "f": b"\f",
        "r": b"\r",
        "v": b"\v",
    }
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567" and re.fullmatch(r"[0-7]{3}", body[i + 1 : i + 4]):
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out += escapes.get(nxt, nxt.encode())
            i += 2
            continue
        out += ch.encode("utf-8")
        i += 1
    return out.decode("utf-8", errors="surrogateescape")


def parse_unified_diff(text: str) -> dict[str, set[int]]:
    """Repository-relative path -> added or changed line numbers (new-file side) from a -U0 diff."""
    files: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in text.split("\n"):
        if line.startswith("+++ "):
            target = line[4:].rstrip("\r")
            if target == "/dev/null":
                current = None
                continue
            target = _unquote(target)
            current = files.setdefault(target[2:] if target.startswith("b/") else target, set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                current.update(range(start, start + count))
    return files


def _repository(folder: Path) -> Path:
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise DiffError(f"--diff needs a git repository, and {folder} is not inside one")
    return Path(top.stdout.decode("utf-8", "surrogateescape").strip())


def changed_lines(ref: str, paths: list[str], cwd: Path | None = None) -> ChangedLines:
    """Lines changed since `ref` in the files under `paths` (all of the repository if empty).

    Each path is looked up in its own repository, so `tilint check --diff main repo/docs` works from
    outside `repo` too.
    """
    cwd = cwd or Path.cwd()
    groups: dict[Path, list[str]] = {}
    named = [p for p in paths if p != "-"]
    for raw in named or [str(cwd)]:
        path = Path(cwd, raw)
        folder = path if path.is_dir() else path.parent
        if not folder.is_dir():
            folder = cwd
        groups.setdefault(_repository(folder), []).append(os.path.abspath(path) if named else "")
    changed = ChangedLines()
    for root, pathspecs in groups.items():
        _changed_in(root, ref, [p for p in pathspecs if p], changed)
    return changed


def _changed_in(root: Path, ref: str, pathspecs: list[str], changed: ChangedLines) -> None:
    if (
        ref.startswith("-")
        or _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root).returncode != 0
    ):
        raise DiffError(
            f"--diff: unknown git ref {ref!r} in {root} (in a shallow CI checkout, fetch it first, e.g. "
            "actions/checkout with fetch-depth: 0)"
        )
    base = _git(["merge-base", ref, "HEAD"], root)
    since = base.stdout.decode().strip() if base.returncode == 0 and base.stdout.strip() else ref
    pathspec = ["--", *pathspecs]
    common = ["-c", "core.quotePath=false"]
    names = _git([*common, "diff", "--name-only", "-z", "--no-renames", since, *pathspec], root)
    diff = _git(
        [*common, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", since, *pathspec],
        root,
    )
    untracked = _git(
        [*common, "ls-files", "--others", "--exclude-standard", "--full-name", "-z", *pathspec], root
    )
    for run in (names, diff, untracked):
        if run.returncode != 0:
            raise DiffError(f"--diff: git failed: {run.stderr.decode('utf-8', 'replace').strip()}")
    hunks = parse_unified_diff(diff.stdout.decode("utf-8", "surrogateescape"))
    for name in names.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if name:
            changed.files[_key(root / name)] = hunks.get(name, set())
    for name in untracked.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if name:
            changed.files[_key(root / name)] = None


def filter_to_diff(results: list[FileResult], changed: ChangedLines) -> None:
    """Keep (in place) findings on changed lines; files not in the diff keep nothing.

    Line-based formats keep findings whose line range meets a changed line (a document-level
    finding counts as soon as the file changed); other formats keep all findings of a changed file,
    since their line numbers are those of the extracted text. Read errors are always kept.
    """
    for result in results:
        if result.error or result.path == "-":
            continue
        touched, lines = changed.for_path(result.path)
        if not touched:
            result.findings = []
        elif lines is not None and result.format in LINE_FORMATS:
            result.findings = [
                f
                for f in result.findings
                if f.line is None or any(n in lines for n in range(f.line, (f.end_line or f.line) + 1))
            ]
