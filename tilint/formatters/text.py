"""Human-readable output: where, what and why, a caret under the phrase, and what to try instead."""

from __future__ import annotations

import click

from tilint.findings import FileResult, Finding
from tilint.formatters.related import lines_note
from tilint.formatters.report import Report

_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "blue"}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _location(result: FileResult, finding: Finding) -> str:
    if finding.line is None:
        return result.path
    if finding.where:
        return f"{result.path} ({finding.where})"
    return f"{result.path}:{finding.line}:{finding.column}"


def _caret(finding: Finding, color: bool) -> list[str]:
    if finding.context is None or finding.context_column is None:
        return []
    line = finding.context.replace("\t", " ")
    col = finding.context_column - 1
    width = max(1, min(len(finding.text.split("\n")[0]), len(line) - col))
    if len(line) > 160:  # long paragraphs (extracted documents): show the part around the phrase
        left = max(0, col - 60)
        prefix = "..." if left else ""
        line = prefix + line[left : col + width + 60] + ("..." if col + width + 60 < len(line) else "")
        col = col - left + len(prefix)
    marks = " " * col + "^" * width
    return [f"    | {line}", "    | " + click.style(marks, fg="magenta", bold=True) if color else f"    | {marks}"]


def render_finding(result: FileResult, finding: Finding, color: bool) -> list[str]:
    severity = finding.severity
    if color:
        severity = click.style(severity, fg=_SEVERITY_COLOUR[severity], bold=True)
    head = f"{_location(result, finding)}: {severity} [{finding.rule}] {finding.message}"
    lines = [head, *_caret(finding, color)]
    uses = lines_note(finding)
    if uses:
        lines.append(f"    = {uses}")
    if finding.suggestions:
        lines.append("    = try: " + "; ".join(finding.suggestions))
    return lines


def render(report: Report) -> str:
    out: list[str] = []
    for result in report.results:
        if result.error:
            out.append(f"{result.path}: error: {result.error}")
            continue
        if not report.quiet and result.findings:
            for finding in result.findings:
                out.extend(render_finding(result, finding, report.color))
            summary = result.document.get("summary")
            if summary and report.framing:
                out.append(f"{result.path}: {summary}")
            out.append("")
    if not report.totals:
        # Each file's block ends with its blank line, so the output of pre-commit's several
        # processes, printed one after another, reads as one list.
        return "\n".join(out) + "\n" if out else ""
    out.append(totals_line(report))
    return "\n".join(out) + "\n"


def totals_line(report: Report) -> str:
    """"Checked 12 files (3,400 words): 5 findings (1 error, 4 warnings) in 2 files." """
    summary = report.summary()
    by_sev = summary["by_severity"]
    parts = [
        f"{count} {name}{'' if name == 'info' or count == 1 else 's'}" for name, count in by_sev.items() if count
    ]
    line = (
        f"Checked {_plural(summary['files'], 'file')} ({_plural(summary['words'], 'word')}): "
        f"{_plural(summary['findings'], 'finding')}"
    )
    if parts:
        line += f" ({', '.join(parts)}) in {_plural(summary['files_with_findings'], 'file')}"
    if summary["errors"]:
        line += f"; {_plural(summary['errors'], 'file')} could not be read"
    return line + "."
