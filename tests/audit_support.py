"""A small folder of documents for the audit tests, and a helper to audit it with the fixture rules."""

from __future__ import annotations

import csv
from pathlib import Path

from tilint.audit import AuditConfig, run_audit

FIXTURE_RULES = Path(__file__).resolve().parent / "fixtures" / "rules" / "basic.yaml"

RISK_ONLY = (
    "The child and the family pose a risk to staff. Hard to reach families are a threat and cause harm. "
    "Each young person with challenging behaviour is assessed for risk and harm. The resident is a threat "
    "to others and a risk. Workers record every risk and every harm in the cases of the family, the child "
    "and people nearby.\n"
)

DOCUMENTS: dict[str, str | bytes] = {
    "people.txt": "We hold 40 cases.\nHard-to-reach families need help.\nThe child moved to a new placement.\n",
    "plan.md": "# Plan\n\nChallenging behaviour is common.\n\nComplex cases need time.\n",
    "clean.txt": "The building opens at nine on weekdays.\n",
    "inject.txt": "<script>alert(1)</script> We hold 40 cases.\n<img src=x onerror=alert(2)> Hard to reach.\n",
    "risk/only.txt": RISK_ONLY,
    "risk/deeper/notes.md": "Notes on cases.\n",
    "broken/binary.txt": b"\x00\x01\x02\xff\xfe\x00 not text at all \x00\x00",
    "broken/not-a-zip.docx": b"this is not a zip archive",
}


def make_corpus(root: Path, documents: dict[str, str | bytes] | None = None) -> Path:
    for name, content in (documents or DOCUMENTS).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def audit(ruleset, paths, out: Path, **options):
    options.setdefault("progress", "none")
    options.setdefault("jobs", 1)
    return run_audit(AuditConfig(paths=[str(p) for p in paths], out=out, ruleset=ruleset, **options))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))
