"""The audit's machine-readable outputs: findings.csv, documents.csv, documents.jsonl, summary.json.

Each file's rows are rendered once, by the worker that checked it (`prepare_row`), and stored
as text in the journal, so the parent, which handles every file in turn and is what limits a
parallel audit, only copies text: writing the tables is one pass over the journal in path order
(byte-identical files whatever the number of workers) that concatenates those rows and adds up each
file's small per-rule counts into the totals the summary and the HTML overview need. Only those
totals (bounded by the number of rules and distinct phrases) are held in memory, never the documents.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilint.audit.journal import Journal, pack_result, per_thousand
from tilint.findings import SEVERITIES, SEVERITY_RANK
from tilint.ruleset import RuleSet

FINDING_COLUMNS = ["path", "where", "line", "column", "rule", "category", "severity", "text", "suggestions"]
_SPACE = re.compile(r"\s+")


def finding_order(finding: dict[str, Any]) -> tuple:
    """By position; the whole-document finding (no position) first, as in `check`."""
    start = finding.get("start")
    return (-1 if start is None else start, finding.get("end") or -1, finding["rule"])


def document_columns(ruleset: RuleSet) -> list[str]:
    principles = [f"principle_{name}" for name in ruleset.framing.principles]
    return ["path", "format", "words", "findings", "per_1k", "risk_only", *principles, "error"]


@dataclass
class Totals:
    """What the summary and the report's overview say about the whole audit."""

    principle_names: list[str]
    files: int = 0
    errors: int = 0
    words: int = 0
    findings: int = 0
    with_findings: int = 0
    risk_only: int = 0
    describes_people: int = 0
    by_rule: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)
    by_severity: Counter = field(default_factory=Counter)
    #: documents (readable ones) mentioning each trauma-informed principle at least once
    principle_documents: Counter = field(default_factory=Counter)
    #: (rule, normalised phrase) -> [occurrences, documents, the phrase as first seen]
    phrases: dict[tuple[str, str], list] = field(default_factory=dict)

    @property
    def readable(self) -> int:
        return self.files - self.errors

    def add(self, row: Any) -> None:
        """Count one journal row (a mapping with error, words, findings, risk_only and stats)."""
        self.files += 1
        if row["error"]:
            self.errors += 1
            return
        stats = json.loads(row["stats"])
        self.words += row["words"]
        self.findings += row["findings"]
        self.with_findings += bool(row["findings"])
        self.risk_only += bool(row["risk_only"])
        self.describes_people += stats["people"]
        self.principle_documents.update(stats["principles"])
        self.by_rule.update(stats["rules"])
        self.by_category.update(stats["categories"])
        self.by_severity.update(stats["severities"])
        phrases = self.phrases
        for rule, key, occurrences, shown in stats["phrases"]:
            entry = phrases.get((rule, key))
            if entry is None:
                phrases[(rule, key)] = [occurrences, 1, shown]
            else:
                entry[0] += occurrences
                entry[1] += 1

    def top_phrases(self, limit: int = 12) -> list[tuple[str, str, int, int]]:
        """(rule, phrase, occurrences, documents), most frequent first."""
        ranked = sorted(self.phrases.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
        return [(rule, entry[2], entry[0], entry[1]) for (rule, _), entry in ranked[:limit]]


def write_tables(journal: Journal, ruleset: RuleSet, out: Path) -> Totals:
    """Write findings.csv, documents.csv and documents.jsonl from the rendered rows; return the totals."""
    totals = Totals(principle_names=list(ruleset.framing.principles))
    with (
        (out / "findings.csv").open("w", newline="", encoding="utf-8") as findings_file,
        (out / "documents.csv").open("w", newline="", encoding="utf-8") as documents_file,
        (out / "documents.jsonl").open("w", encoding="utf-8") as jsonl_file,
    ):
        findings_file.write(_csv_text([FINDING_COLUMNS]))
        documents_file.write(_csv_text([document_columns(ruleset)]))
        columns = "error, words, findings, risk_only, stats, findings_csv, document_csv, jsonl"
        for row in journal.by_path(columns):
            totals.add(row)
            findings_file.write(row["findings_csv"])
            documents_file.write(row["document_csv"])
            jsonl_file.write(row["jsonl"])
    return totals


def _csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def prepare_row(path: str, result: dict[str, Any], sha256: str | None, principles: list[str]) -> dict[str, Any]:
    """Everything the journal keeps for one file (a FileResult.to_cache() dict), rendered once.

    The worker that checked the file calls this, so the rows of all three tables, the totals'
    per-file counts and the result as JSON are built in parallel, and the parent stores text.
    """
    error = result.get("error")
    document = result.get("document") or {}
    stored = result.get("findings") or []
    findings = sorted(stored, key=finding_order)
    counts = document.get("principles") or {}
    words = int(result.get("words") or 0)
    density = per_thousand(len(findings), words)
    finding_rows = [
        [
            path,
            f.get("where") or "",
            _blank(f.get("line")),
            _blank(f.get("column")),
            f["rule"],
            f["category"],
            f["severity"],
            f.get("text") or "",
            "; ".join(f.get("suggestions") or []),
        ]
        for f in findings
    ]
    document_row = [
        path,
        result.get("format") or "",
        "" if error else result.get("words", 0),
        "" if error else len(findings),
        "" if error else density,
        "" if error else ("true" if document.get("risk_only") else "false"),
        *("" if error else counts.get(name, 0) for name in principles),
        error or "",
    ]
    record = {
        "path": path,
        "format": result.get("format"),
        "words": result.get("words", 0),
        "error": error,
        "sha256": sha256,
        "document": document,
        "findings": [_public_finding(f) for f in findings],
    }
    return {
        "format": result.get("format"),
        "words": words,
        "findings": len(findings),
        "per_1k": density,
        "risk_only": int(bool(document.get("risk_only"))),
        "principles_covered": sum(1 for count in counts.values() if count),
        "error": error,
        "result": pack_result(result),
        "findings_csv": _csv_text(finding_rows),
        "document_csv": _csv_text([document_row]),
        "jsonl": json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n",
        "stats": None if error else json.dumps(document_stats(document, stored), ensure_ascii=False),
    }


def document_stats(document: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    """One readable file's share of the totals: its counts by rule, category and severity, the
    principles it mentions, and its flagged phrases (normalised, with occurrences and the first
    spelling seen), so adding up the totals needs neither its findings nor a regular expression."""
    rules: Counter = Counter()
    categories: Counter = Counter()
    severities: Counter = Counter()
    phrases: dict[tuple[str, str], list] = {}
    for finding in findings:
        rules[finding["rule"]] += 1
        categories[finding["category"]] += 1
        severities[finding["severity"]] += 1
        if not finding.get("text"):
            continue
        key = (finding["rule"], _SPACE.sub(" ", finding["text"].lower()).strip())
        entry = phrases.setdefault(key, [0, _SPACE.sub(" ", finding["text"]).strip()])
        entry[0] += 1
    return {
        "people": bool(document.get("describes_people")),
        "principles": [name for name, count in (document.get("principles") or {}).items() if count],
        "rules": rules,
        "categories": categories,
        "severities": severities,
        "phrases": [[rule, key, occurrences, shown] for (rule, key), (occurrences, shown) in phrases.items()],
    }


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _public_finding(finding: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "rule",
        "category",
        "severity",
        "message",
        "text",
        "suggestions",
        "line",
        "column",
        "end_line",
        "end_column",
        "where",
    )
    return {key: finding.get(key) for key in keys}


def build_summary(totals: Totals, ruleset: RuleSet, run: dict[str, Any]) -> dict[str, Any]:
    from tilint import __version__

    return {
        "tool": {"name": "tilint", "version": __version__},
        "rules_digest": ruleset.digest,
        "files": totals.files,
        "documents_checked": totals.readable,
        "errors": totals.errors,
        "words": totals.words,
        "findings": totals.findings,
        "findings_per_1k_words": per_thousand(totals.findings, totals.words),
        "documents_with_findings": totals.with_findings,
        "risk_only_documents": totals.risk_only,
        "documents_describing_people": totals.describes_people,
        "by_rule": dict(sorted(totals.by_rule.items())),
        "by_category": dict(sorted(totals.by_category.items())),
        "by_severity": {name: totals.by_severity.get(name, 0) for name in SEVERITIES},
        "principles": {name: totals.principle_documents.get(name, 0) for name in totals.principle_names},
        **run,
    }


def write_summary(summary: dict[str, Any], out: Path) -> None:
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def severity_key(finding: dict[str, Any]) -> tuple:
    """Most severe first, then by position: the order snippets are shown in."""
    return (SEVERITY_RANK.get(finding["severity"], 9), *finding_order(finding))
