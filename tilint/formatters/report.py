"""A run's results plus the summary every output format shares."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from tilint import __version__
from tilint.findings import SEVERITIES, FileResult, at_least
from tilint.formatters.paths import source_root
from tilint.formatters.sources import SourceLines
from tilint.ruleset import RuleSet


@dataclass
class Report:
    results: list[FileResult]
    ruleset: RuleSet
    color: bool = False
    quiet: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    #: print each file's framing line (the document-level summary) under its findings; off where
    #: only new or changed language matters (pre-commit, --baseline, --diff)
    framing: bool = True
    #: print the closing "Checked N files" line; off in pre-commit, which splits one run into
    #: several processes whose separate totals would read as contradictory
    totals: bool = True
    #: the repository root that GitHub and GitLab resolve paths from (default: found from the
    #: working directory)
    root: Path | None = None

    @cached_property
    def source_root(self) -> Path:
        return self.root if self.root is not None else source_root()

    @cached_property
    def sources(self) -> SourceLines:
        return SourceLines()

    @property
    def findings(self):
        return [f for r in self.results for f in r.findings]

    def summary(self) -> dict[str, Any]:
        findings = self.findings
        by_severity = Counter(f.severity for f in findings)
        return {
            "files": len(self.results),
            "files_with_findings": sum(1 for r in self.results if r.findings),
            "errors": sum(1 for r in self.results if r.error),
            "words": sum(r.words for r in self.results),
            "findings": len(findings),
            "by_severity": {name: by_severity.get(name, 0) for name in SEVERITIES},
            "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
            "by_category": dict(sorted(Counter(f.category for f in findings).items())),
            "risk_only_documents": sum(1 for r in self.results if r.document.get("risk_only")),
            # keys a command adds to the summary (check --baseline adds "baseline")
            **self.extra.get("summary", {}),
        }

    def exit_code(self, fail_on: str) -> int:
        """3 when tilint failed on a file (FileResult.failure), 2 when a file could not be read,
        1 for findings at or above `fail_on`, else 0."""
        if any(r.failure for r in self.results):
            return 3
        if any(r.error for r in self.results):
            return 2
        if any(at_least(f.severity, fail_on) for f in self.findings):
            return 1
        return 0


def tool_info() -> dict[str, str]:
    return {"name": "tilint", "version": __version__}
