"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Each rule that appears is described once in `tool.driver.rules` (message, alternatives, rationale and
sources as help text), and each finding becomes a result that points at it by `ruleIndex`. Regions
use SARIF's own convention, which Finding already follows: 1-based columns, end column just past the
match. `partialFingerprints` carry the same line-independent fingerprint baselines use, plus an
occurrence counter, so code scanning keeps tracking an alert while lines are added above it.
Findings in extracted formats (docx, pdf...) have no source lines, so they carry no region; their
human location ("page 3") goes into the message.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from tilint.engine.fingerprints import occurrence_keys
from tilint.findings import FileResult, Finding
from tilint.formatters.report import Report, tool_info
from tilint.ruleset import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: the key of our fingerprint in partialFingerprints (versioned, as SARIF recommends)
FINGERPRINT_KEY = "tilintFingerprint/v1"
#: rules that do not come from a rule file
PSEUDO_RULES = {
    "unused-suppression": {
        "message": "A tilint-disable comment that suppresses nothing.",
        "help": "Remove the comment, or correct the rule ids it names.",
        "level": "warning",
        "category": "suppression",
    },
}


def artifact_uri(path: str) -> str:
    """A relative path as a URI reference (forward slashes, percent-encoded); absolute ones as file:."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(posixpath.normpath(pure.as_posix()), safe="/")


def _help(rule: Rule) -> tuple[str, str]:
    """Plain and Markdown help: what to try, why, and where the advice comes from."""
    text = [rule.message]
    markdown = [rule.message]
    if rule.alternatives:
        text.append("Try: " + "; ".join(rule.alternatives) + ".")
        markdown.append("**Try:** " + "; ".join(rule.alternatives) + ".")
    if rule.rationale:
        text.append("Why: " + rule.rationale)
        markdown.append("**Why:** " + rule.rationale)
    if rule.sources:
        text.append(
            "Sources: " + "; ".join(s.cite() + (f" <{s.url}>" if s.url else "") for s in rule.sources)
        )
        markdown.append(
            "**Sources:**\n\n"
            + "\n".join(f"- [{s.cite()}]({s.url})" if s.url else f"- {s.cite()}" for s in rule.sources)
        )
    return "\n\n".join(text), "\n\n".join(markdown)


def rule_descriptor(rule_id: str, report: Report) -> dict[str, Any]:
    rule = report.ruleset.get(rule_id)
    if rule is None:
        pseudo = PSEUDO_RULES.get(
            rule_id, {"message": rule_id, "help": rule_id, "level": "warning", "category": "other"}
        )
        return {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": pseudo["message"]},
            "help": {"text": pseudo["help"]},
            "defaultConfiguration": {"level": pseudo["level"]},
            "properties": {"category": pseudo["category"], "tags": ["tilint", pseudo["category"]]},
        }
    text, markdown = _help(rule)
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.rationale or rule.message},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "category": rule.category,
            "tags": ["tilint", rule.category],
            "alternatives": list(rule.alternatives),
            "sources": [{k: v for k, v in vars(s).items() if v is not None} for s in rule.sources],
        },
    }
    urls = [s.url for s in rule.sources if s.url]
    if urls:
        descriptor["helpUri"] = urls[0]
    return descriptor


def _message(finding: Finding) -> str:
    parts = []
    if finding.text:
        parts.append(f"\u201c{finding.text}\u201d: {finding.message}")
    else:
        parts.append(finding.message)
    if finding.where:
        parts.append(f"({finding.where})")
    if finding.suggestions:
        parts.append("Try: " + "; ".join(finding.suggestions) + ".")
    return " ".join(parts)


def _location(result: FileResult, finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(result.path)}}
    if finding.line is not None and finding.column is not None and not finding.where:
        region: dict[str, Any] = {"startLine": finding.line, "startColumn": finding.column}
        if finding.end_line is not None and finding.end_column is not None:
            region["endLine"] = finding.end_line
            region["endColumn"] = finding.end_column
        if finding.text:
            region["snippet"] = {"text": finding.text}
        physical["region"] = region
    return {"physicalLocation": physical}


def as_dict(report: Report) -> dict[str, Any]:
    rule_ids = sorted({f.rule for f in report.findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file in report.results:
        if file.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{file.path}: {file.error}"},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(file.path)}}}
                    ],
                }
            )
            continue
        for finding, key in zip(file.findings, occurrence_keys(file.findings), strict=True):
            results.append(
                {
                    "ruleId": finding.rule,
                    "ruleIndex": index[finding.rule],
                    "level": LEVELS[finding.severity],
                    "message": {"text": _message(finding)},
                    "locations": [_location(file, finding)],
                    "partialFingerprints": {FINGERPRINT_KEY: key},
                    "properties": {"category": finding.category, "suggestions": list(finding.suggestions)},
                }
            )
    info = tool_info()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": info["name"],
                "version": info["version"],
                "semanticVersion": info["version"],
                "rules": [rule_descriptor(rule_id, report) for rule_id in rule_ids],
            }
        },
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    baseline = report.extra.get("summary", {}).get("baseline")
    if baseline is not None:
        run["properties"] = {"baseline": baseline}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
