"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

GitHub's ingestion rules (docs.github.com, "SARIF support for code scanning") shape this output:

- Every result has one location with a region (startLine, startColumn, endLine, endColumn). A
  finding in an extracted format (.docx, .pdf, .odt, .rtf) points at its line in the extracted text
  (the line `tilint check --show-text` numbers) and says where a person finds it ("page 3, table
  1") in the message; a document-level finding points at the start of the file.
- Paths are relative to the repository root (`uriBaseId` %SRCROOT%, defined in
  `originalUriBaseIds`), which is how code scanning resolves them, so a run from a subfolder still
  lands on the right files.
- Each rule that appears is described once in `tool.driver.rules` (message, alternatives, rationale
  and sources as help; descriptions within GitHub's 1024-character limit; a `helpUri` for every
  rule, see tilint.formatters.helplinks), and each result points at it by `ruleIndex`.
- `partialFingerprints` carry the same line-independent fingerprint baselines use, plus an
  occurrence counter, and `primaryLocationLineHash`, the only one GitHub reads: for text formats
  exactly the value GitHub's upload computes from the source line (tilint.formatters.linehash), so
  the upload action agrees and an upload through the API tracks alerts too; for extracted formats,
  whose bytes have no meaningful lines, tilint's own fingerprint, so an alert keeps its identity
  while the document is edited.

Columns are 1-based code points and the end column is just past the match, as Finding stores them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from tilint.engine.fingerprints import occurrence_keys
from tilint.findings import FileResult, Finding
from tilint.formatters.helplinks import help_uri, pseudo_rule_uri, repository_url
from tilint.formatters.messages import describe
from tilint.formatters.paths import repository_path
from tilint.formatters.related import Use, further_uses, used_note
from tilint.formatters.report import Report, tool_info
from tilint.formatters.sources import LINE_FORMATS
from tilint.ruleset import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: GitHub's problem.severity, which decides what code scanning shows by default
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
#: the key of our fingerprint in partialFingerprints (versioned, as SARIF recommends)
FINGERPRINT_KEY = "tilintFingerprint/v1"
#: the only partialFingerprints key GitHub code scanning reads
GITHUB_FINGERPRINT_KEY = "primaryLocationLineHash"
SRCROOT = "%SRCROOT%"
#: GitHub keeps at most 1,000 related locations per result
MAX_RELATED = 1000
#: GitHub's limits on rule text
DESCRIPTION_LIMIT = 1024
NAME_LIMIT = 255
#: rules that do not come from a rule file
PSEUDO_RULES = {
    "unused-suppression": {
        "message": "A tilint-disable comment that suppresses nothing.",
        "help": "Remove the comment, or correct the rule ids it names.",
        "level": "warning",
        "category": "suppression",
    },
}


def _limit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def artifact_location(path: str, root: Path) -> dict[str, Any]:
    """A repository-relative URI under %SRCROOT%, or an absolute file: URI outside the repository."""
    relative = repository_path(path, root)
    if relative is None:
        if path == "-":
            return {"uri": "stdin"}
        return {"uri": PurePath(os.path.abspath(path)).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


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
            "name": _limit(rule_id, NAME_LIMIT),
            "shortDescription": {"text": _limit(pseudo["message"], DESCRIPTION_LIMIT)},
            "fullDescription": {"text": _limit(pseudo["message"], DESCRIPTION_LIMIT)},
            "help": {"text": pseudo["help"]},
            "helpUri": pseudo_rule_uri(rule_id),
            "defaultConfiguration": {"level": pseudo["level"]},
            "properties": {
                "category": pseudo["category"],
                "tags": ["tilint", pseudo["category"]],
                "problem.severity": "warning",
            },
        }
    text, markdown = _help(rule)
    return {
        "id": rule.id,
        "name": _limit(rule.id, NAME_LIMIT),
        "shortDescription": {"text": _limit(rule.message, DESCRIPTION_LIMIT)},
        "fullDescription": {"text": _limit(rule.rationale or rule.message, DESCRIPTION_LIMIT)},
        "help": {"text": text, "markdown": markdown},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "category": rule.category,
            "tags": ["tilint", rule.category],
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
            "alternatives": list(rule.alternatives),
            "sources": [{k: v for k, v in vars(s).items() if v is not None} for s in rule.sources],
        },
    }


def _message(finding: Finding) -> str:
    uses = used_note(finding)
    if uses and further_uses(finding):
        uses += "; next use [here](1)"  # GitHub links "[text](id)" to the related location with that id
    return describe(finding, uses=uses)


def region(finding: Finding | Use) -> dict[str, Any]:
    """Where a finding (or a further use) is: its own span, or the start of the file for a
    document-level finding."""
    if finding.line is None or finding.column is None:
        return {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}
    end_line = finding.end_line if finding.end_line is not None else finding.line
    end_column = finding.end_column if finding.end_column is not None else finding.column
    found: dict[str, Any] = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": end_line,
        "endColumn": end_column,
    }
    if finding.text:
        found["snippet"] = {"text": finding.text}
    return found


def _related(artifact: dict[str, Any], finding: Finding) -> list[dict[str, Any]]:
    """Further uses of a grouped term, as GitHub shows them (at most MAX_RELATED)."""
    out = []
    for use in further_uses(finding):
        if use.line is None or use.column is None or len(out) >= MAX_RELATED:
            continue
        out.append({
            "id": len(out) + 1,
            "physicalLocation": {"artifactLocation": dict(artifact), "region": region(use)},
            "message": {"text": f"further use of \u201c{use.text}\u201d" + (f" ({use.where})" if use.where else "")},
        })
    return out


def _location(artifact: dict[str, Any], finding: Finding) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": dict(artifact), "region": region(finding)}}
    if finding.where:
        location["message"] = {"text": finding.where}
    return location


def _fingerprints(report: Report, file: FileResult, finding: Finding, key: str) -> dict[str, str]:
    prints = {FINGERPRINT_KEY: key}
    if file.format not in LINE_FORMATS:
        # GitHub would hash a line of the file's bytes, which has nothing to do with the finding.
        prints[GITHUB_FINGERPRINT_KEY] = key
        return prints
    hashes = report.sources.github_line_hashes(file.path)
    line_hash = hashes.get(region(finding)["startLine"]) if hashes else None
    if line_hash is not None:
        prints[GITHUB_FINGERPRINT_KEY] = line_hash
    return prints


def as_dict(report: Report) -> dict[str, Any]:
    rule_ids = sorted({f.rule for f in report.findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    root = report.source_root
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file in report.results:
        artifact = artifact_location(file.path, root)
        if file.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{file.path}: {file.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
                }
            )
            continue
        for finding, key in zip(file.findings, occurrence_keys(file.findings), strict=True):
            result: dict[str, Any] = {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": LEVELS[finding.severity],
                "message": {"text": _message(finding)},
                "locations": [_location(artifact, finding)],
                "partialFingerprints": _fingerprints(report, file, finding, key),
                "properties": {"category": finding.category, "suggestions": list(finding.suggestions)},
            }
            related = _related(artifact, finding)
            if related:
                result["relatedLocations"] = related
            results.append(result)
    info = tool_info()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": info["name"],
                "version": info["version"],
                "semanticVersion": info["version"],
                "informationUri": repository_url(),
                "rules": [rule_descriptor(rule_id, report) for rule_id in rule_ids],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not notifications,
                "toolExecutionNotifications": notifications,
                "workingDirectory": {"uri": _folder_uri(Path.cwd())},
            }
        ],
        "originalUriBaseIds": {
            SRCROOT: {
                "uri": _folder_uri(root),
                "description": {"text": "The repository root (the folder holding .git) that paths are relative to."},
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    baseline = report.extra.get("summary", {}).get("baseline")
    if baseline is not None:
        run["properties"] = {"baseline": baseline}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _folder_uri(folder: Path) -> str:
    uri = Path(os.path.abspath(folder)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def render(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
