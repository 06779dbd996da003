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
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilint.audit.grouping import Grouping
from tilint.audit.journal import Journal, pack_result, per_thousand
from tilint.audit.xlsx import row_xml, rows_xml
from tilint.findings import SEVERITIES, SEVERITY_RANK
from tilint.ruleset import RuleSet

FINDING_COLUMNS = [
    "department",
    "path",
    "folder",
    "location",
    "heading",
    "line",
    "column",
    "rule",
    "category",
    "severity",
    "message",
    "text",
    "suggestions",
]
DEPARTMENT_COLUMNS = [
    "department",
    "documents",
    "words",
    "findings",
    "per_1k",
    "risk_only",
    "risk_only_share",
    "describes_people",
    "labelling_findings",
    "labelling_weighted",
    "unreadable",
]
RULE_COLUMNS = ["rule", "category", "severity", "findings", "message"]
YEAR_COLUMNS = ["year", "documents", "words", "findings", "per_1k", "risk_only", "describes_people", "risk_only_share"]
#: how much a people-labelling finding weighs in "documents to review first", by severity
SEVERITY_WEIGHTS = {"error": 3, "warning": 2, "info": 1}
#: encodings for the CSV files: with a byte-order mark (Excel on Windows then reads UTF-8) or without
CSV_ENCODINGS = ("utf-8-sig", "utf-8")
_SPACE = re.compile(r"\s+")
_PARAGRAPH = re.compile(r"^paragraph (\d+)$")
#: locations outside the body, which no heading of the body covers
_OUTSIDE_BODY = ("header", "footer", "footnote", "endnote", "comment")
#: a cell Excel would run as a formula when a CSV is opened (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def finding_order(finding: dict[str, Any]) -> tuple:
    """By position; the whole-document finding (no position) first, as in `check`."""
    start = finding.get("start")
    return (-1 if start is None else start, finding.get("end") or -1, finding["rule"])


def document_columns(ruleset: RuleSet) -> list[str]:
    principles = [f"principle_{name}" for name in ruleset.framing.principles]
    return [
        "department",
        "path",
        "folder",
        "format",
        "words",
        "findings",
        "per_1k",
        "risk_only",
        "labelling_findings",
        "labelling_weighted",
        "date",
        "date_source",
        *principles,
        "error",
    ]


@dataclass(frozen=True)
class RowContext:
    """What rendering a file's rows needs besides its result: picklable, built once per worker."""

    principles: tuple[str, ...]
    #: rules whose findings label people by risk or deficit (a rule's `framing: risk`, the default)
    labelling: frozenset[str]
    grouping: Grouping

    @classmethod
    def of(cls, ruleset: RuleSet, grouping: Grouping | None = None) -> RowContext:
        labelling = frozenset(rule.id for rule in ruleset if rule.framing == "risk")
        return cls(tuple(ruleset.framing.principles), labelling, grouping or Grouping())


@dataclass
class Group:
    """One department's (or one year's) share of the audit."""

    files: int = 0
    documents: int = 0
    errors: int = 0
    words: int = 0
    findings: int = 0
    risk_only: int = 0
    describes_people: int = 0
    labelling: int = 0
    weighted: int = 0

    def add(self, row: Any, stats: dict[str, Any]) -> None:
        """Count one journal row (and its stats)."""
        if row["error"]:
            self.count(error=True)
            return
        self.count(
            words=row["words"],
            findings=row["findings"],
            risk_only=bool(row["risk_only"]),
            describes_people=bool(stats["people"]),
            labelling=stats.get("labelling", 0),
            weighted=stats.get("weighted", 0),
        )

    def count(
        self,
        error: bool = False,
        words: int = 0,
        findings: int = 0,
        risk_only: bool = False,
        describes_people: bool = False,
        labelling: int = 0,
        weighted: int = 0,
    ) -> None:
        """Count one file: an unreadable one, or a document with these figures."""
        self.files += 1
        if error:
            self.errors += 1
            return
        self.documents += 1
        self.words += words
        self.findings += findings
        self.risk_only += risk_only
        self.describes_people += describes_people
        self.labelling += labelling
        self.weighted += weighted

    @property
    def per_1k(self) -> float:
        return per_thousand(self.findings, self.words)

    @property
    def risk_only_share(self) -> float:
        """Risk-only documents as a share of those that describe people (0 to 1)."""
        return round(self.risk_only / self.describes_people, 4) if self.describes_people else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "unreadable": self.errors,
            "words": self.words,
            "findings": self.findings,
            "findings_per_1k_words": self.per_1k,
            "risk_only_documents": self.risk_only,
            "documents_describing_people": self.describes_people,
            "risk_only_share": self.risk_only_share,
            "labelling_findings": self.labelling,
            "labelling_weighted": self.weighted,
        }


def department_order(item: tuple[str, Group]) -> tuple:
    """Where to act first: most risk-only documents, then the most weighted people-labelling."""
    name, group = item
    return (-group.risk_only, -group.weighted, -group.per_1k, name)


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
    labelling: int = 0
    by_rule: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)
    by_severity: Counter = field(default_factory=Counter)
    #: documents (readable ones) mentioning each trauma-informed principle at least once
    principle_documents: Counter = field(default_factory=Counter)
    #: (rule, normalised phrase) -> [occurrences, documents, the phrase as first seen]
    phrases: dict[tuple[str, str], list] = field(default_factory=dict)
    departments: dict[str, Group] = field(default_factory=dict)
    #: by the year of each readable document's date ("unknown" when it has none)
    years: dict[str, Group] = field(default_factory=dict)
    #: readable documents by where their date came from (tilint.audit.dating.SOURCES)
    date_sources: Counter = field(default_factory=Counter)

    @property
    def readable(self) -> int:
        return self.files - self.errors

    def add(self, row: Any) -> None:
        """Count one journal row (a mapping with error, words, findings, risk_only and stats)."""
        self.files += 1
        stats = json.loads(row["stats"])
        department = self.departments.get(stats["department"])
        if department is None:
            department = self.departments[stats["department"]] = Group()
        department.add(row, stats)
        if row["error"]:
            self.errors += 1
            return
        year = (stats.get("date") or "")[:4] or "unknown"
        group = self.years.get(year)
        if group is None:
            group = self.years[year] = Group()
        group.add(row, stats)
        self.date_sources[stats.get("date_source") or "none"] += 1
        self.words += row["words"]
        self.findings += row["findings"]
        self.with_findings += bool(row["findings"])
        self.risk_only += bool(row["risk_only"])
        self.describes_people += stats["people"]
        self.labelling += stats.get("labelling", 0)
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

    def ranked_departments(self) -> list[tuple[str, Group]]:
        return sorted(self.departments.items(), key=department_order)

    def dated_years(self) -> list[tuple[str, Group]]:
        """Years with dated documents, oldest first (documents without a date left out)."""
        return sorted((year, group) for year, group in self.years.items() if year != "unknown")


def csv_safe(value: Any) -> Any:
    """A text cell that Excel would read as a formula gets a leading apostrophe, as OWASP advises."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[csv_safe(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def _open_csv(path: Path, encoding: str):
    return path.open("w", newline="", encoding=encoding, errors="surrogateescape")


def write_tables(journal: Journal, ruleset: RuleSet, out: Path, encoding: str = "utf-8-sig") -> Totals:
    """Write findings.csv, documents.csv and documents.jsonl from the rendered rows; return the totals."""
    totals = Totals(principle_names=list(ruleset.framing.principles))
    with (
        _open_csv(out / "findings.csv", encoding) as findings_file,
        _open_csv(out / "documents.csv", encoding) as documents_file,
        (out / "documents.jsonl").open("w", encoding="utf-8", errors="surrogateescape") as jsonl_file,
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


def department_rows(totals: Totals) -> list[list[Any]]:
    return [
        [
            name,
            group.documents,
            group.words,
            group.findings,
            group.per_1k,
            group.risk_only,
            group.risk_only_share,
            group.describes_people,
            group.labelling,
            group.weighted,
            group.errors,
        ]
        for name, group in totals.ranked_departments()
    ]


def rule_rows(totals: Totals, ruleset: RuleSet) -> list[list[Any]]:
    rows = []
    for rule_id, count in sorted(totals.by_rule.items(), key=lambda item: (-item[1], item[0])):
        rule = ruleset.get(rule_id)
        rows.append(
            [
                rule_id,
                rule.category if rule else "",
                rule.severity if rule else "",
                count,
                " ".join((rule.message if rule else "").split()),
            ]
        )
    return rows


def year_rows(totals: Totals) -> list[list[Any]]:
    return [
        [
            year,
            group.documents,
            group.words,
            group.findings,
            group.per_1k,
            group.risk_only,
            group.describes_people,
            group.risk_only_share,
        ]
        for year, group in totals.dated_years()
    ]


def write_csv(path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8-sig") -> None:
    with _open_csv(path, encoding) as handle:
        handle.write(_csv_text([header, *rows]))


def write_summary_tables(totals: Totals, ruleset: RuleSet, out: Path, encoding: str = "utf-8-sig") -> None:
    """departments.csv, rules.csv and years.csv: small tables, from the totals."""
    write_csv(out / "departments.csv", DEPARTMENT_COLUMNS, department_rows(totals), encoding)
    write_csv(out / "rules.csv", RULE_COLUMNS, rule_rows(totals, ruleset), encoding)
    write_csv(out / "years.csv", YEAR_COLUMNS, year_rows(totals), encoding)


def locate(finding: dict[str, Any], sections: list[dict[str, Any]], lines: list[int]) -> tuple[str, str]:
    """(location, heading): where a person finds the finding, and the heading it sits under.

    The location is the reader's own label where the format has one ("page 4", "table 1, row 2,
    cell 3", "footnote 2"), or the line in a text format. Under a heading of a Word or OpenDocument
    file, a paragraph is counted from that heading ("paragraph 3 under the heading"), which a
    person can find from Word's navigation pane; numbering from the start of the document cannot.
    `sections` are the framing result's sections (title, line, where), `lines` their lines.
    """
    where = finding.get("where")
    line = finding.get("line")
    if line is None:
        return "whole document", ""
    section = None
    if lines and not (where and where.startswith(_OUTSIDE_BODY)):
        index = bisect_right(lines, line) - 1
        if index >= 0:
            section = sections[index]
    heading = (section.get("title") or "") if section else ""
    if not where:
        return f"line {line}", heading
    if heading:
        paragraph, under = _PARAGRAPH.match(where), _PARAGRAPH.match(section.get("where") or "")
        if paragraph and under:
            offset = int(paragraph.group(1)) - int(under.group(1))
            if offset == 0:
                return "the heading itself", heading
            if offset > 0:
                return f"paragraph {offset} under the heading", heading
    return where, heading


def heading_index(document: dict[str, Any]) -> tuple[list[dict[str, Any]], list[int]]:
    sections = sorted(
        (s for s in document.get("sections") or [] if isinstance(s.get("line"), int)), key=lambda s: s["line"]
    )
    return sections, [s["line"] for s in sections]


def prepare_row(
    path: str,
    result: dict[str, Any],
    sha256: str | None,
    context: RowContext,
    facts: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the journal keeps for one file (a FileResult.to_cache() dict), rendered once.

    The worker that checked the file calls this, so the rows of every table (CSV text and xlsx
    XML from the same values), the totals' per-file counts and the result as JSON are built in
    parallel, and the parent stores text. `facts` are what tilint.audit.facts learnt from the
    document's text and file (its date and content sketch).
    """
    facts = facts or {}
    error = result.get("error")
    document = result.get("document") or {}
    stored = result.get("findings") or []
    findings = sorted(stored, key=finding_order)
    counts = document.get("principles") or {}
    words = int(result.get("words") or 0)
    density = per_thousand(len(findings), words)
    grouping = context.grouping
    department, folder, relative = grouping.department(path), grouping.folder(path), grouping.relative(path)
    sections, lines = heading_index(document)
    labelling = weighted = 0
    finding_rows = []
    for f in findings:
        location, heading = locate(f, sections, lines)
        has_lines = not f.get("where")
        if f.get("text") and f["rule"] in context.labelling:
            labelling += 1
            weighted += SEVERITY_WEIGHTS.get(f["severity"], 1)
        finding_rows.append(
            [
                department,
                path,
                folder,
                location,
                heading,
                _blank(f.get("line")) if has_lines else "",
                _blank(f.get("column")) if has_lines else "",
                f["rule"],
                f["category"],
                f["severity"],
                " ".join((f.get("message") or "").split()),
                f.get("text") or "",
                "; ".join(f.get("suggestions") or []),
            ]
        )
    date, date_source = facts.get("date"), facts.get("date_source")
    document_row = [
        department,
        path,
        folder,
        result.get("format") or "",
        "" if error else result.get("words", 0),
        "" if error else len(findings),
        "" if error else density,
        "" if error else ("true" if document.get("risk_only") else "false"),
        "" if error else labelling,
        "" if error else weighted,
        date or "",
        date_source or "",
        *("" if error else counts.get(name, 0) for name in context.principles),
        error or "",
    ]
    record = {
        "path": path,
        "relative": relative,
        "department": department,
        "folder": folder,
        "format": result.get("format"),
        "words": result.get("words", 0),
        "error": error,
        "sha256": sha256,
        "date": date,
        "date_source": date_source,
        "labelling_findings": labelling,
        "labelling_weighted": weighted,
        "sketch": facts.get("sketch") or [],
        "document": document,
        "findings": [_public_finding(f) for f in findings],
    }
    stats = {"department": department, "relative": relative}
    if not error:
        stats.update(document_stats(document, stored))
        stats.update({"labelling": labelling, "weighted": weighted, "date": date, "date_source": date_source})
    return {
        "format": result.get("format"),
        "words": words,
        "findings": len(findings),
        "per_1k": density,
        "risk_only": int(bool(document.get("risk_only"))),
        "principles_covered": sum(1 for count in counts.values() if count),
        "impact": weighted,
        "department": department,
        "relative": relative,
        "error": error,
        "result": pack_result(result),
        "findings_csv": _csv_text(finding_rows),
        "document_csv": _csv_text([document_row]),
        "findings_xlsx": rows_xml(finding_rows),
        "document_xlsx": row_xml(document_row),
        "jsonl": json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n",
        "stats": json.dumps(stats, ensure_ascii=False),
        "sketch": json.dumps(facts.get("sketch") or []),
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


def build_summary(
    totals: Totals, ruleset: RuleSet, run: dict[str, Any], grouping: Grouping | None = None
) -> dict[str, Any]:
    from tilint import __version__

    grouping = grouping or Grouping()
    return {
        "tool": {"name": "tilint", "version": __version__},
        "rules_digest": ruleset.digest,
        "roots": list(grouping.roots),
        "grouped_by": grouping.describe(),
        "files": totals.files,
        "documents_checked": totals.readable,
        "errors": totals.errors,
        "words": totals.words,
        "findings": totals.findings,
        "findings_per_1k_words": per_thousand(totals.findings, totals.words),
        "documents_with_findings": totals.with_findings,
        "risk_only_documents": totals.risk_only,
        "documents_describing_people": totals.describes_people,
        "labelling_findings": totals.labelling,
        "by_rule": dict(sorted(totals.by_rule.items())),
        "by_category": dict(sorted(totals.by_category.items())),
        "by_severity": {name: totals.by_severity.get(name, 0) for name in SEVERITIES},
        "principles": {name: totals.principle_documents.get(name, 0) for name in totals.principle_names},
        "by_department": {name: group.to_json() for name, group in totals.ranked_departments()},
        "by_year": {year: group.to_json() for year, group in totals.dated_years()},
        "undated_documents": totals.years["unknown"].documents if "unknown" in totals.years else 0,
        "date_sources": dict(sorted(totals.date_sources.items())),
        **run,
    }


def write_summary(summary: dict[str, Any], out: Path) -> None:
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def severity_key(finding: dict[str, Any]) -> tuple:
    """Most severe first, then by position: the order snippets are shown in."""
    return (SEVERITY_RANK.get(finding["severity"], 9), *finding_order(finding))
