"""One line per finding, `path:line:col: severity [rule] message`, for grep, editors and problem
matchers (as ruff's `concise`, yamllint's `parsable` and Vale's `line`).

Nothing else is printed, so every line parses the same way. A file name that holds a line break,
a tab or another control character is written in double quotes with C escapes (as git quotes
unusual names), so it cannot break a line or the `path:line:col` shape; ordinary names, Windows
backslashes included, are written as they are. Findings in extracted formats (.docx, .pdf) give
their line in the extracted text (see `--show-text`) and say where a person finds them ("page 3")
at the end; a document-level finding and an unreadable file are reported at 1:1.
"""

from __future__ import annotations

import re
import unicodedata

from tilint.findings import Finding
from tilint.formatters.messages import describe
from tilint.formatters.report import Report

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def _needs_quoting(path: str) -> bool:
    return path.startswith('"') or any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in path)


def quote_path(path: str) -> str:
    """The path as is, or quoted with C escapes when it holds control characters."""
    if not _needs_quoting(path):
        return path
    out = []
    for ch in path:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def one_line(text: str) -> str:
    """Text with line breaks (a phrase wrapped over two lines) as single spaces."""
    return _LINE_BREAKS.sub(" ", text).strip()


def format_finding(path: str, finding: Finding) -> str:
    line = finding.line if finding.line is not None else 1
    column = finding.column if finding.column is not None else 1
    message = one_line(describe(finding, try_prefix=None))
    return f"{quote_path(path)}:{line}:{column}: {finding.severity} [{finding.rule}] {message}"


def render(report: Report) -> str:
    lines = []
    for result in report.results:
        if result.error:
            lines.append(f"{quote_path(result.path)}:1:1: error [read-error] {one_line(result.error)}")
            continue
        lines.extend(format_finding(result.path, finding) for finding in result.findings)
    return "".join(line + "\n" for line in lines)
