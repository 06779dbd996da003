"""reviewdog's Diagnostic Format: `rdjson` (one DiagnosticResult) and `rdjsonl` (one Diagnostic per
line), for inline review comments on pull requests through reviewdog (`reviewdog -f=rdjson`), the
way vale-action works.

Follows the format's JSON Schema (reviewdog/reviewdog, proto/rdf/jsonschema): positions are 1-based
lines and columns counted in UTF-8 bytes, ranges end exclusively; paths are relative to the working
directory, as reviewdog resolves them. Every diagnostic names its rule in `code`, with the rule's
help page. A rule marked `fix: safe` carries its replacement as a suggestion (the same one `tilint
fix` writes), which reviewdog posts as a suggested change. Findings in extracted formats (.docx,
.pdf) have no lines in the file, so they carry no range and say where they are ("page 3") in the
message.
"""

from __future__ import annotations

import json
from typing import Any

from tilint.findings import FileResult, Finding
from tilint.formatters.helplinks import help_uri, pseudo_rule_uri, repository_url
from tilint.formatters.messages import describe
from tilint.formatters.paths import display_path
from tilint.formatters.related import Use, further_uses
from tilint.formatters.report import Report
from tilint.formatters.sources import LINE_FORMATS, utf8_column

SEVERITIES = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def source() -> dict[str, str]:
    return {"name": "tilint", "url": repository_url()}


def _message(finding: Finding) -> str:
    return describe(finding)


def _position(report: Report, result: FileResult, line: int, column: int) -> dict[str, int]:
    text = report.sources.line(result.path, result.format, line)
    return {"line": line, "column": utf8_column(text, column)}


def _range(report: Report, result: FileResult, span: Finding | Use) -> dict[str, Any] | None:
    """The span of a finding or of a further use, in UTF-8 byte columns; None off a source line."""
    if result.format not in LINE_FORMATS or span.line is None or span.column is None:
        return None
    found = {"start": _position(report, result, span.line, span.column)}
    if span.end_line is not None and span.end_column is not None:
        found["end"] = _position(report, result, span.end_line, span.end_column)
    return found


def _related(report: Report, result: FileResult, finding: Finding) -> list[dict[str, Any]]:
    out = []
    for use in further_uses(finding):
        location: dict[str, Any] = {"path": display_path(result.path)}
        found = _range(report, result, use)
        if found is not None:
            location["range"] = found
        where = f" ({use.where})" if use.where else ""
        out.append({"message": f"further use of \u201c{use.text}\u201d{where}", "location": location})
    return out


def _suggestion(report: Report, result: FileResult, finding: Finding, where: dict[str, Any]) -> list[dict[str, Any]]:
    """The rule's safe rewrite of the finding, fitted to its line (what `tilint fix` would write)."""
    from dataclasses import replace

    from tilint.engine.rewrite import NotRewritten, fit

    rule = report.ruleset.get(finding.rule)
    if rule is None or rule.fix != "safe" or finding.line is None or finding.column is None:
        return []
    if finding.end_line not in (None, finding.line):
        return []
    text = report.sources.line(result.path, result.format, finding.line)
    start = finding.column - 1
    local = replace(finding, start=start, end=start + len(finding.text))
    try:
        rewritten = fit(text, local, rule, "safe")
    except NotRewritten:
        return []
    if rewritten.start != start:  # it would change a word before the range (an article)
        return []
    return [{"range": where, "text": rewritten.new}]


def diagnostic(report: Report, result: FileResult, finding: Finding) -> dict[str, Any]:
    location: dict[str, Any] = {"path": display_path(result.path)}
    found = _range(report, result, finding)
    if found is not None:
        location["range"] = found
    rule = report.ruleset.get(finding.rule)
    out: dict[str, Any] = {
        "message": _message(finding),
        "location": location,
        "severity": SEVERITIES[finding.severity],
        "source": source(),
        "code": {"value": finding.rule, "url": help_uri(rule) if rule else pseudo_rule_uri(finding.rule)},
    }
    if found is not None:
        suggestions = _suggestion(report, result, finding, found)
        if suggestions:
            out["suggestions"] = suggestions
    related = _related(report, result, finding)
    if related:
        out["related_locations"] = related
    return out


def _read_error(result: FileResult) -> dict[str, Any]:
    return {
        "message": f"tilint could not check this file: {result.error}",
        "location": {"path": display_path(result.path)},
        "severity": "ERROR",
        "source": source(),
        "code": {"value": "read-error"},
    }


def diagnostics(report: Report) -> list[dict[str, Any]]:
    out = []
    for result in report.results:
        if result.error:
            out.append(_read_error(result))
            continue
        out.extend(diagnostic(report, result, finding) for finding in result.findings)
    return out


def render(report: Report) -> str:
    """rdjson: one DiagnosticResult."""
    result = {"source": source(), "diagnostics": diagnostics(report)}
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def render_lines(report: Report) -> str:
    """rdjsonl: one self-contained Diagnostic per line."""
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in diagnostics(report))
