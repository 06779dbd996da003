"""The audit's machine-readable outputs: findings.csv, documents.csv, documents.jsonl, summary.json.

All are written in one pass over the journal in path order (so two runs over the same files give
byte-identical CSV files whatever the number of workers), and the same pass collects the totals the
summary and the HTML overview need. Only those totals (bounded by the number of rules and distinct
phrases) are held in memory, never the documents.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilint.audit.journal import Journal, per_thousand
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

    def add(self, result: dict[str, Any]) -> None:
        self.files += 1
        if result.get("error"):
            self.errors += 1
            return
        findings = result.get("findings") or []
        document = result.get("document") or {}
        self.words += int(result.get("words") or 0)
        self.findings += len(findings)
        self.with_findings += bool(findings)
        self.risk_only += bool(document.get("risk_only"))
        self.describes_people += bool(document.get("describes_people"))
        for name, count in (document.get("principles") or {}).items():
            if count:
                self.principle_documents[name] += 1
        seen: set[tuple[str, str]] = set()
        for finding in findings:
            self.by_rule[finding["rule"]] += 1
            self.by_category[finding["category"]] += 1
            self.by_severity[finding["severity"]] += 1
            if not finding.get("text"):
                continue
            key = (finding["rule"], _SPACE.sub(" ", finding["text"].lower()).strip())
            entry = self.phrases.setdefault(key, [0, 0, _SPACE.sub(" ", finding["text"]).strip()])
            entry[0] += 1
            if key not in seen:
                entry[1] += 1
                seen.add(key)

    def top_phrases(self, limit: int = 12) -> list[tuple[str, str, int, int]]:
        """(rule, phrase, occurrences, documents), most frequent first."""
        ranked = sorted(self.phrases.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
        return [(rule, entry[2], entry[0], entry[1]) for (rule, _), entry in ranked[:limit]]


def write_tables(journal: Journal, ruleset: RuleSet, out: Path) -> Totals:
    """Write findings.csv, documents.csv and documents.jsonl; return the totals."""
    totals = Totals(principle_names=list(ruleset.framing.principles))
    principles = list(ruleset.framing.principles)
    with (
        (out / "findings.csv").open("w", newline="", encoding="utf-8") as findings_file,
        (out / "documents.csv").open("w", newline="", encoding="utf-8") as documents_file,
        (out / "documents.jsonl").open("w", encoding="utf-8") as jsonl_file,
    ):
        findings_csv = csv.writer(findings_file, lineterminator="\n")
        documents_csv = csv.writer(documents_file, lineterminator="\n")
        findings_csv.writerow(FINDING_COLUMNS)
        documents_csv.writerow(document_columns(ruleset))
        for row in journal.by_path():
            result = json.loads(row["result"])
            result["path"] = row["path"]
            findings = sorted(result.get("findings") or [], key=finding_order)
            totals.add(result)
            for f in findings:
                findings_csv.writerow(
                    [
                        row["path"],
                        f.get("where") or "",
                        _blank(f.get("line")),
                        _blank(f.get("column")),
                        f["rule"],
                        f["category"],
                        f["severity"],
                        f.get("text") or "",
                        "; ".join(f.get("suggestions") or []),
                    ]
                )
            document = result.get("document") or {}
            counts = document.get("principles") or {}
            error = result.get("error")
            documents_csv.writerow(
                [
                    row["path"],
                    result.get("format") or "",
                    "" if error else result.get("words", 0),
                    "" if error else len(findings),
                    "" if error else row["per_1k"],
                    "" if error else ("true" if document.get("risk_only") else "false"),
                    *("" if error else counts.get(name, 0) for name in principles),
                    error or "",
                ]
            )
            record = {
                "path": row["path"],
                "format": result.get("format"),
                "words": result.get("words", 0),
                "error": error,
                "sha256": row["sha256"],
                "document": document,
                "findings": [_public_finding(f) for f in findings],
            }
            jsonl_file.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return totals


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
