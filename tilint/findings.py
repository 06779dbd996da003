"""What the engine reports: findings and per-file results, as plain dataclasses.

Formatters, the cache, baselines and reports all read these, so they carry everything needed to
print a finding without going back to the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
#: lower is more severe; used for sorting and for --fail-on
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


def at_least(severity: str, threshold: str) -> bool:
    """True when `severity` is as severe as `threshold` or more."""
    return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold]


@dataclass
class Finding:
    """One phrase (or, with no span, a whole document) that a rule flags.

    `start`/`end` are character offsets in the document text; `line`/`column` are 1-based and
    `end_line`/`end_column` point just past the last character (the SARIF convention). All five are
    None for a document-level finding.
    """

    rule: str
    category: str
    severity: str
    message: str
    text: str
    suggestions: list[str]
    start: int | None = None
    end: int | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    where: str | None = None
    #: the line of extracted text holding the phrase, and the phrase's 1-based column in it, for carets
    context: str | None = None
    context_column: int | None = None
    fix: str = "never"
    #: a line-independent identity for baselines and SARIF (see tilint.engine.fingerprints); None if unknown
    fingerprint: str | None = None

    def sort_key(self) -> tuple:
        return (self.start if self.start is not None else -1, self.end or -1, self.rule)

    def to_json(self) -> dict[str, Any]:
        data = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "suggestions": list(self.suggestions),
        }
        if self.where is not None:
            data["where"] = self.where
        if self.fingerprint is not None:
            data["fingerprint"] = self.fingerprint
        return data


@dataclass
class FileResult:
    """Everything tilint learnt about one file; `error` is set when it could not be checked.

    `failure` says when that was tilint's own failure rather than the file's: "internal" (an
    error in tilint's code), "crashed" (the worker checking it died) or "timeout" (past the
    per-file time limit). A run with such a file exits with status 3.
    """

    path: str
    format: str | None = None
    words: int = 0
    error: str | None = None
    document: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    failure: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {
            "path": self.path,
            "format": self.format,
            "words": self.words,
            "error": self.error,
            "document": self.document,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.failure is not None:
            data["failure"] = self.failure
        return data

    @classmethod
    def from_cache(cls, data: dict[str, Any]) -> FileResult:
        findings = [Finding(**f) for f in data.pop("findings", [])]
        return cls(findings=findings, **data)

    def to_cache(self) -> dict[str, Any]:
        # Findings are flat, so a shallow copy of each is enough (asdict deep-copies everything,
        # which costs more than the rest of writing the cache).
        return {
            "path": self.path,
            "format": self.format,
            "words": self.words,
            "error": self.error,
            "document": self.document,
            "findings": [{**vars(f), "suggestions": list(f.suggestions)} for f in self.findings],
        }
