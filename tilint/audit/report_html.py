"""report.html: one self-contained page a commissioning lead can read, sort, share and print.

The page opens on a one-page summary (the headline figures, a table per department, the documents
to review first), which is also what it prints. Everything else (changes since an earlier audit,
the trend by year, common phrases, charts, every document, each document's details) sits in
collapsed <details> whose content is inside <noscript>: with script on, a browser keeps that
content as one inert string and builds it only when the section is opened (report.js), so the
page stays light for 10,000 documents; with script off, the content is ordinary HTML and the
sections open natively.

Built with Jinja2 and autoescaping, so every piece of document text (paths, phrases, context lines,
error messages) is escaped: a document that contains <script> shows it as text, and no text can
end a <noscript> early. A Content Security Policy that allows only the report's own script (by hash)
is a second line of defence. The page is streamed to disk from the journal: the documents table and
the per-document sections are generators, and each section shows a bounded number of snippets.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tilint.audit.charts import bar_chart, column_chart
from tilint.audit.grouping import Grouping
from tilint.audit.journal import Journal, unpack_result
from tilint.audit.outputs import Totals, heading_index, locate, severity_key
from tilint.engine.framing import PLAIN_NAMES
from tilint.ruleset import RuleSet

TEMPLATES = Path(__file__).parent / "templates"
#: which documents get a section of their own: those with findings or risk-only framing, worst first
SECTION_FILTER = "error IS NULL AND (findings > 0 OR risk_only = 1)"
#: rows of the summary page's two tables (the rest are a click or a spreadsheet away)
SUMMARY_DEPARTMENTS = 12
REVIEW_FIRST = 10
#: documents listed per status in the comparison (all of them are in changes.csv)
CHANGES_LISTED = 20
DATE_SOURCES = {
    "properties": "the document's own properties (when it was created)",
    "file name": "a date in the file name",
    "text": "a date written near the start of the text",
    "modified": "the file's modification time (the least reliable: copying a file can reset it)",
}


def principle_label(name: str) -> str:
    return PLAIN_NAMES.get(name, name.replace("-", " ").replace("_", " "))


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["number"] = lambda x: f"{x:,.1f}" if isinstance(x, float) else f"{x:,}"
    env.filters["rate"] = lambda x: f"{x:,.1f}"
    env.filters["percent"] = _percent
    env.filters["signed"] = lambda x: ("+" if x > 0 else "\u2212" if x < 0 else "\u00b1") + (
        f"{abs(x):,.1f}" if isinstance(x, float) else f"{abs(x):,}"
    )
    env.filters["plural"] = lambda n, word, many=None: f"{n:,} {word if n == 1 else (many or word + 's')}"
    return env


def _snippet(finding: dict[str, Any], sections: list[dict[str, Any]], lines: list[int]) -> dict[str, Any]:
    """Split a finding's context line into before / phrase / after, for <mark>."""
    context, column, text = finding.get("context"), finding.get("context_column"), finding.get("text") or ""
    if context is not None and column is not None:
        start = column - 1
        end = min(len(context), start + len(text))
        before, phrase, after = context[:start], context[start:end], context[end:]
    else:
        before, phrase, after = "", text, ""
    location, heading = locate(finding, sections, lines)
    place = f"\u201c{heading}\u201d, {location}" if heading else location
    return {
        "place": place,
        "before": before,
        "phrase": phrase,
        "after": after,
        "rule": finding["rule"],
        "severity": finding["severity"],
        "message": finding.get("message") or "",
        "suggestions": finding.get("suggestions") or [],
    }


def _table_rows(journal: Journal, max_sections: int, principles_total: int) -> Iterator[dict[str, Any]]:
    eligible = 0
    columns = "path, format, words, findings, per_1k, risk_only, principles_covered, impact, department, relative"
    for row in journal.worst_first("error IS NULL", columns=columns):
        anchor = None
        if row["findings"] or row["risk_only"]:
            if eligible < max_sections:
                anchor = f"doc-{eligible}"
            eligible += 1
        yield {
            **dict(row),
            "anchor": anchor,
            "principles_total": principles_total,
        }


def _review_first(journal: Journal, limit: int, max_sections: int) -> list[dict[str, Any]]:
    """The documents to review first: the head of the same order as the detail sections."""
    rows = []
    columns = "path, words, findings, per_1k, risk_only, impact, stats, result"
    for index, row in enumerate(journal.worst_first(SECTION_FILTER, limit=limit, columns=columns)):
        stats = json.loads(row["stats"])
        document = unpack_result(row["result"]).get("document") or {}
        rows.append(
            {
                "anchor": f"doc-{index}" if index < max_sections else None,
                "path": row["path"],
                "relative": stats["relative"],
                "department": stats["department"],
                "words": row["words"],
                "findings": row["findings"],
                "per_1k": row["per_1k"],
                "risk_only": bool(row["risk_only"]),
                "labelling": stats.get("labelling", 0),
                "weighted": row["impact"],
                "summary": document.get("summary") or "",
            }
        )
    return rows


def _sections_of(journal: Journal, ruleset: RuleSet, max_sections: int, snippets: int) -> Iterator[dict[str, Any]]:
    columns = "path, format, words, findings, per_1k, risk_only, impact, stats, result"
    for index, row in enumerate(journal.worst_first(SECTION_FILTER, limit=max_sections, columns=columns)):
        result = unpack_result(row["result"])
        stats = json.loads(row["stats"])
        document = result.get("document") or {}
        sections, lines = heading_index(document)
        spans = sorted((f for f in result.get("findings") or [] if f.get("text")), key=severity_key)
        categories: dict[str, int] = {}
        for finding in result.get("findings") or []:
            categories[finding["category"]] = categories.get(finding["category"], 0) + 1
        yield {
            "anchor": f"doc-{index}",
            "path": row["path"],
            "relative": stats["relative"],
            "department": stats["department"],
            "format": row["format"],
            "words": row["words"],
            "findings": row["findings"],
            "per_1k": row["per_1k"],
            "risk_only": bool(row["risk_only"]),
            "weighted": row["impact"],
            "date": stats.get("date"),
            "date_source": stats.get("date_source"),
            "summary": document.get("summary") or "",
            "principles": [
                (principle_label(name), (document.get("principles") or {}).get(name, 0))
                for name in ruleset.framing.principles
            ],
            "risk_sections": [s for s in document.get("sections") or [] if s.get("risk_only")],
            "categories": sorted(categories.items(), key=lambda item: (-item[1], item[0])),
            "snippets": [_snippet(f, sections, lines) for f in spans[:snippets]],
            "more": max(0, len(spans) - snippets),
        }


def _charts(totals: Totals) -> dict[str, Any]:
    categories = sorted(totals.by_category.items(), key=lambda item: (-item[1], item[0]))
    by_category = bar_chart(
        "Findings by category",
        [(name.replace("-", " "), count, f"{count:,}") for name, count in categories],
    )
    readable = totals.readable
    coverage = []
    for name in totals.principle_names:
        documents = totals.principle_documents.get(name, 0)
        share = f"{100 * documents / readable:.0f}% ({documents:,})" if readable else "0"
        coverage.append((principle_label(name), documents, share))
    by_principle = bar_chart(
        "Documents that mention each trauma-informed principle",
        coverage,
        maximum=readable or 1,
        css_class="bar principle",
    )
    years = totals.dated_years()
    rate_by_year = column_chart(
        "Findings per 1,000 words by year", [(year, group.per_1k, f"{group.per_1k:.1f}") for year, group in years]
    )
    risk_by_year = column_chart(
        "Share of documents describing people only through risk, by year",
        [(year, 100 * group.risk_only_share, _percent(group.risk_only_share)) for year, group in years],
        maximum=100,
    )
    return {
        "by_category": by_category,
        "by_principle": by_principle,
        "rate_by_year": rate_by_year,
        "risk_by_year": risk_by_year,
    }


def _date_sources(totals: Totals) -> list[tuple[int, str]]:
    return [
        (totals.date_sources[source], DATE_SOURCES[source])
        for source in DATE_SOURCES
        if totals.date_sources.get(source)
    ]


def write_report(
    journal: Journal,
    totals: Totals,
    summary: dict[str, Any],
    ruleset: RuleSet,
    out: Path,
    max_sections: int = 200,
    snippets: int = 5,
    interrupted: bool = False,
    grouping: Grouping | None = None,
    comparison: Any = None,
) -> Path:
    from markupsafe import Markup

    env = _environment()
    script = (TEMPLATES / "report.js").read_text("utf-8")
    style = (TEMPLATES / "report.css").read_text("utf-8")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    phrases = []
    for rule_id, phrase, occurrences, documents in totals.top_phrases():
        rule = ruleset.get(rule_id)
        phrases.append(
            {
                "phrase": phrase,
                "occurrences": occurrences,
                "documents": documents,
                "rule": rule_id,
                "message": rule.message if rule else "",
                "alternatives": list(rule.alternatives) if rule else [],
            }
        )
    grouping = grouping or Grouping()
    departments = totals.ranked_departments()
    compared_departments = {}
    if comparison is not None:
        compared_departments = {row["department"]: row for row in comparison.department_rows()}
    sections_eligible = journal.count(SECTION_FILTER)
    context = {
        "summary": summary,
        "totals": totals,
        "interrupted": interrupted,
        "phrases": phrases,
        "charts": _charts(totals),
        "principles_total": len(totals.principle_names),
        "principle_names": [(name, principle_label(name)) for name in totals.principle_names],
        "grouped_by": grouping.describe(),
        "departments": departments,
        "summary_departments": departments[:SUMMARY_DEPARTMENTS],
        "compared_departments": compared_departments,
        "review_first": _review_first(journal, REVIEW_FIRST, max_sections),
        "years": totals.dated_years(),
        "undated": totals.years["unknown"].documents if "unknown" in totals.years else 0,
        "date_sources": _date_sources(totals),
        "comparison": comparison,
        "changes_listed": CHANGES_LISTED,
        "rows": _table_rows(journal, max_sections, len(totals.principle_names)),
        "sections": _sections_of(journal, ruleset, max_sections, snippets),
        "sections_shown": min(max_sections, sections_eligible),
        "sections_eligible": sections_eligible,
        "errors": journal.errors(),
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "script": Markup(script),
        "style": Markup(style),
        "csp": f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; "
        "img-src data:; base-uri 'none'; form-action 'none'",
    }
    path = out / "report.html"
    template = env.get_template("report.html.j2")
    temporary = path.with_suffix(".html.tmp")
    with temporary.open("w", encoding="utf-8", errors="surrogateescape") as handle:
        for chunk in template.generate(**context):
            handle.write(chunk)
    temporary.replace(path)
    return path
