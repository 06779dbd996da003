"""`--statistics`: how many findings each rule has, most first, instead of the findings themselves
(as ruff's `--statistics`): where a team starts when it adopts tilint on a large repository."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tilint.findings import SEVERITY_RANK
from tilint.formatters.report import Report


def counts(report: Report) -> list[dict[str, Any]]:
    """One entry per rule with findings: rule, count, files, severity, category and message."""
    per_rule: Counter[str] = Counter()
    files: dict[str, set[str]] = {}
    first = {}
    for result in report.results:
        for finding in result.findings:
            per_rule[finding.rule] += 1
            files.setdefault(finding.rule, set()).add(result.path)
            first.setdefault(finding.rule, finding)
    rows = []
    for rule_id, count in per_rule.items():
        finding = first[rule_id]
        rule = report.ruleset.get(rule_id)
        rows.append({
            "rule": rule_id,
            "count": count,
            "files": len(files[rule_id]),
            "severity": finding.severity,
            "category": finding.category,
            "message": rule.message if rule is not None else finding.message,
        })
    return sorted(rows, key=lambda r: (-r["count"], SEVERITY_RANK[r["severity"]], r["rule"]))


def render(report: Report) -> str:
    rows = counts(report)
    if not rows:
        return ""
    width = max(len(r["rule"]) for r in rows)
    digits = max(len(f"{r['count']:,}") for r in rows)
    lines = [
        f"{r['count']:>{digits},}  {r['rule']:<{width}}  {r['severity']:<7}  {r['message']}" for r in rows
    ]
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    return json.dumps(counts(report), indent=2, ensure_ascii=False) + "\n"


#: the formats --statistics prints
FORMATS = {"text": render, "json": render_json}
