"""report.html: one self-contained page a commissioning lead can read, sort, share and print.

Built with Jinja2 and autoescaping, so every piece of document text (paths, phrases, context lines,
error messages) is escaped: a document that contains <script> shows it as text. A Content Security
Policy that allows only the report's own script (by hash) is a second line of defence. The page is
streamed to disk from the journal: the documents table and the per-document sections are generators,
and each section shows a bounded number of snippets, so the report costs the same memory for ten
documents or a hundred thousand.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tilint.audit.charts import bar_chart
from tilint.audit.journal import Journal, unpack_result
from tilint.audit.outputs import Totals, severity_key
from tilint.engine.framing import PLAIN_NAMES
from tilint.ruleset import RuleSet

TEMPLATES = Path(__file__).parent / "templates"
#: which documents get a section of their own: those with findings or risk-only framing, worst first
SECTION_FILTER = "error IS NULL AND (findings > 0 OR risk_only = 1)"


def principle_label(name: str) -> str:
    return PLAIN_NAMES.get(name, name.replace("-", " ").replace("_", " "))


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
    return env


def _snippet(finding: dict[str, Any]) -> dict[str, Any]:
    """Split a finding's context line into before / phrase / after, for <mark>."""
    context, column, text = finding.get("context"), finding.get("context_column"), finding.get("text") or ""
    if context is not None and column is not None:
        start = column - 1
        end = min(len(context), start + len(text))
        before, phrase, after = context[:start], context[start:end], context[end:]
    else:
        before, phrase, after = "", text, ""
    if finding.get("where"):
        place = finding["where"]
        if finding.get("line"):
            place += f", line {finding['line']}"
    elif finding.get("line"):
        place = f"line {finding['line']}, column {finding['column']}"
    else:
        place = ""
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
    columns = "path, format, words, findings, per_1k, risk_only, principles_covered"
    for row in journal.worst_first("error IS NULL", columns=columns):
        anchor = None
        if row["findings"] or row["risk_only"]:
            if eligible < max_sections:
                anchor = f"doc-{eligible}"
            eligible += 1
        yield {**dict(row), "anchor": anchor, "principles_total": principles_total}


def _sections(journal: Journal, ruleset: RuleSet, max_sections: int, snippets: int) -> Iterator[dict[str, Any]]:
    for index, row in enumerate(journal.worst_first(SECTION_FILTER, limit=max_sections)):
        result = unpack_result(row["result"])
        document = result.get("document") or {}
        spans = sorted((f for f in result.get("findings") or [] if f.get("text")), key=severity_key)
        categories: dict[str, int] = {}
        for finding in result.get("findings") or []:
            categories[finding["category"]] = categories.get(finding["category"], 0) + 1
        yield {
            "anchor": f"doc-{index}",
            "path": row["path"],
            "format": row["format"],
            "words": row["words"],
            "findings": row["findings"],
            "per_1k": row["per_1k"],
            "risk_only": bool(row["risk_only"]),
            "summary": document.get("summary") or "",
            "principles": [
                (principle_label(name), (document.get("principles") or {}).get(name, 0))
                for name in ruleset.framing.principles
            ],
            "risk_sections": [s for s in document.get("sections") or [] if s.get("risk_only")],
            "categories": sorted(categories.items(), key=lambda item: (-item[1], item[0])),
            "snippets": [_snippet(f) for f in spans[:snippets]],
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
    return {"by_category": by_category, "by_principle": by_principle}


def write_report(
    journal: Journal,
    totals: Totals,
    summary: dict[str, Any],
    ruleset: RuleSet,
    out: Path,
    max_sections: int = 200,
    snippets: int = 5,
    interrupted: bool = False,
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
    sections_shown = min(max_sections, journal.count(SECTION_FILTER))
    context = {
        "summary": summary,
        "totals": totals,
        "interrupted": interrupted,
        "phrases": phrases,
        "charts": _charts(totals),
        "principles_total": len(totals.principle_names),
        "rows": _table_rows(journal, max_sections, len(totals.principle_names)),
        "sections": _sections(journal, ruleset, max_sections, snippets),
        "sections_shown": sections_shown,
        "sections_eligible": journal.count(SECTION_FILTER),
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
    with temporary.open("w", encoding="utf-8") as handle:
        for chunk in template.generate(**context):
            handle.write(chunk)
    temporary.replace(path)
    return path
