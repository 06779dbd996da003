"""GitLab Code Quality JSON: findings in the merge request widget and, on GitLab Ultimate, in the
changes view (`artifacts: reports: codequality:` in .gitlab-ci.yml).

The report is a JSON array of issues with the fields GitLab documents as required ("Code Quality
report format", docs.gitlab.com): `description`, `check_name` (the rule id), `fingerprint`,
`severity` (info, minor, major, critical or blocker) and `location.path` (relative to the
repository, without `./`) with `location.lines.begin`. GitLab shows issues with the same
fingerprint once, so each fingerprint names one occurrence: the file, the rule and tilint's
line-independent finding fingerprint with its occurrence counter, so an issue keeps its identity
while lines are added above it. No byte order mark (GitLab's parser rejects one).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tilint.engine.fingerprints import occurrence_keys
from tilint.findings import Finding
from tilint.formatters.messages import describe
from tilint.formatters.paths import repository_path
from tilint.formatters.report import Report

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def _description(finding: Finding) -> str:
    return describe(finding)


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def as_list(report: Report) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = []
    for result in report.results:
        path = repository_path(result.path, report.source_root) or result.path
        if result.error:
            issues.append(
                {
                    "type": "issue",
                    "description": f"tilint could not check this file: {result.error}",
                    "check_name": "read-error",
                    "fingerprint": _fingerprint(path, "read-error"),
                    "severity": "major",
                    "location": {"path": path, "lines": {"begin": 1}},
                }
            )
            continue
        for finding, key in zip(result.findings, occurrence_keys(result.findings), strict=True):
            begin = finding.line if finding.line is not None else 1
            lines = {"begin": begin}
            if finding.end_line is not None and finding.end_line > begin:
                lines["end"] = finding.end_line
            issues.append(
                {
                    "type": "issue",
                    "description": _description(finding),
                    "check_name": finding.rule,
                    "fingerprint": _fingerprint(path, finding.rule, key),
                    "severity": SEVERITIES[finding.severity],
                    "categories": ["Style"],
                    "location": {"path": path, "lines": lines},
                }
            )
    return issues


def render(report: Report) -> str:
    return json.dumps(as_list(report), indent=2, ensure_ascii=False) + "\n"
