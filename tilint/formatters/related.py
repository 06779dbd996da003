"""Further uses of a grouped finding (`Finding.related`), the same way in every output format.

A contract-defined term ("Service Users") is reported once, at its definition or first use, with
every further use listed under `related` (each with line, column, end_line, end_column and text,
as exact as a finding). People read "used 40 times"; SARIF carries the uses as relatedLocations,
reviewdog as related_locations. Until the engine groups a finding, `related` is absent or empty and
nothing here changes any output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tilint.findings import Finding


@dataclass(frozen=True)
class Use:
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    text: str
    where: str | None = None


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def further_uses(finding: Finding) -> list[Use]:
    """The finding's further uses, in document order (empty for an ordinary finding)."""
    related = getattr(finding, "related", None) or []
    uses = [
        Use(_field(i, "line"), _field(i, "column"), _field(i, "end_line"), _field(i, "end_column"),
            _field(i, "text") or "", _field(i, "where"))
        for i in related
    ]
    return sorted(uses, key=lambda u: (u.line or 0, u.column or 0))


def times_used(finding: Finding) -> int:
    """How often the finding's term is used: the finding itself and its further uses."""
    return 1 + len(further_uses(finding))


def used_note(finding: Finding) -> str | None:
    """"used 40 times" for a grouped finding, else None."""
    count = times_used(finding)
    return f"used {count:,} times" if count > 1 else None


def lines_note(finding: Finding, limit: int = 8) -> str | None:
    """"used 40 times (also lines 12, 19 and 30 more)" for the text format."""
    note = used_note(finding)
    if note is None:
        return None
    places = [u.where or (f"line {u.line}" if u.line is not None else None) for u in further_uses(finding)]
    places = [p for p in dict.fromkeys(places) if p]
    if not places:
        return note
    shown = ", ".join(p.removeprefix("line ") if p.startswith("line ") else p for p in places[:limit])
    more = f" and {len(places) - limit:,} more" if len(places) > limit else ""
    label = "lines" if all(p.startswith("line ") for p in places[:limit]) else "at"
    return f"{note} (also {label} {shown}{more})"
