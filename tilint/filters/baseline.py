"""Baselines: adopt tilint on a large repository and fail only on new language.

`--write-baseline FILE` records today's findings; `--baseline FILE` then drops the findings it
records, so only new ones are reported. Findings are matched by fingerprint (rule, normalised
matched text and sentence; see tilint.engine.fingerprints), never by line, so edits elsewhere in a file and
reflowed paragraphs keep them matched. Identical fingerprints in a file are counted: a baseline entry
with count 2 absorbs two such findings, and a third is new. Entries that no longer match are "fixed".

The file is deterministic, sorted, indented JSON so that it diffs well in review. Paths are relative
to the baseline file's folder with forward slashes, so it works from any checkout location.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilint.engine.fingerprints import fingerprint_of
from tilint.findings import FileResult

BASELINE_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message names the file."""


@dataclass(frozen=True)
class Entry:
    path: str
    rule: str
    text: str
    fingerprint: str
    count: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rule": self.rule,
            "text": self.text,
            "fingerprint": self.fingerprint,
            "count": self.count,
        }


@dataclass
class Comparison:
    """What applying a baseline found: how many findings are new, and which entries are fixed."""

    new: int = 0
    fixed: list[Entry] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"new": self.new, "fixed": [entry.to_json() for entry in self.fixed]}


def baseline_path(result_path: str, folder: Path) -> str:
    """A result's path as the baseline stores it: relative to `folder`, with forward slashes."""
    if result_path == "-":
        return result_path
    absolute = Path(os.path.abspath(result_path))
    try:
        return Path(os.path.relpath(absolute, folder)).as_posix()
    except ValueError:  # another drive on Windows
        return absolute.as_posix()


def entries_for(results: list[FileResult], folder: Path) -> list[Entry]:
    """One entry per (file, fingerprint), counted, sorted by path, rule and fingerprint."""
    entries: list[Entry] = []
    for result in results:
        if result.error:
            continue
        path = baseline_path(result.path, folder)
        counts: Counter[tuple[str, str]] = Counter()
        texts: dict[tuple[str, str], str] = {}
        for finding in result.findings:
            key = (finding.rule, fingerprint_of(finding))
            counts[key] += 1
            texts.setdefault(key, finding.text)
        entries.extend(Entry(path, rule, texts[(rule, fp)], fp, n) for (rule, fp), n in counts.items())
    return sorted(entries, key=lambda e: (e.path, e.rule, e.fingerprint))


def write_baseline(file: Path, results: list[FileResult]) -> int:
    """Write the baseline for `results` to `file`; returns the number of findings recorded."""
    folder = Path(os.path.abspath(file)).parent
    entries = entries_for(results, folder)
    payload = {"version": BASELINE_VERSION, "tool": "tilint", "entries": [e.to_json() for e in entries]}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False) + "\n", "utf-8")
    except OSError as exc:
        raise BaselineError(f"{file}: cannot write baseline: {exc.strerror or exc}") from None
    return sum(e.count for e in entries)


def read_baseline(file: Path) -> list[Entry]:
    try:
        data = json.loads(file.read_text("utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{file}: no such baseline file (create one with --write-baseline)") from None
    except OSError as exc:
        raise BaselineError(f"{file}: cannot read baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"{file}: not a tilint baseline (invalid JSON: {exc})") from None
    if (
        not isinstance(data, dict)
        or data.get("version") != BASELINE_VERSION
        or not isinstance(data.get("entries"), list)
    ):
        raise BaselineError(f"{file}: not a tilint baseline (version {BASELINE_VERSION} expected)")
    entries = []
    for i, raw in enumerate(data["entries"]):
        try:
            entry = Entry(
                str(raw["path"]),
                str(raw["rule"]),
                str(raw.get("text", "")),
                str(raw["fingerprint"]),
                int(raw.get("count", 1)),
            )
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{file}: entries[{i}]: needs path, rule and fingerprint") from None
        entries.append(entry)
    return entries


def apply_baseline(file: Path, results: list[FileResult]) -> Comparison:
    """Drop baselined findings from `results` (in place); count new ones and list fixed entries.

    Only files checked in this run can have fixed entries, so checking part of a repository never
    reports the rest of the baseline as fixed.
    """
    folder = Path(os.path.abspath(file)).parent
    merged: dict[tuple[str, str, str], Entry] = {}
    for entry in read_baseline(file):
        key = (entry.path, entry.rule, entry.fingerprint)
        if key in merged:  # a hand-merged file may repeat an entry: the counts add up
            entry = Entry(*key[:2], entry.text, key[2], merged[key].count + entry.count)
        merged[key] = entry
    allowed = {key: entry.count for key, entry in merged.items()}
    by_path: dict[str, list[Entry]] = {}
    for entry in merged.values():
        by_path.setdefault(entry.path, []).append(entry)
    comparison = Comparison()
    for result in results:
        if result.error:
            continue
        path = baseline_path(result.path, folder)
        seen: Counter[tuple[str, str, str]] = Counter()
        kept = []
        for finding in result.findings:
            key = (path, finding.rule, fingerprint_of(finding))
            seen[key] += 1
            if seen[key] > allowed.get(key, 0):
                kept.append(finding)
        result.findings = kept
        comparison.new += len(kept)
        for entry in by_path.get(path, ()):
            missing = entry.count - seen[(entry.path, entry.rule, entry.fingerprint)]
            if missing > 0:
                comparison.fixed.append(Entry(entry.path, entry.rule, entry.text, entry.fingerprint, missing))
    comparison.fixed.sort(key=lambda e: (e.path, e.rule, e.fingerprint))
    return comparison
