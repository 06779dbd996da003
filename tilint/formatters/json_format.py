"""The stable JSON contract that CI jobs, reports and later tools read (version 1)."""

from __future__ import annotations

import json

from tilint.formatters.report import Report, tool_info

SCHEMA_VERSION = 1


def as_dict(report: Report) -> dict:
    return {
        "version": SCHEMA_VERSION,
        "tool": tool_info(),
        "files": [r.to_json() for r in report.results],
        "summary": report.summary(),
    }


def render(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
