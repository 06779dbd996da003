"""The GitHub Actions job summary ($GITHUB_STEP_SUMMARY): totals, the rules found most, and the
findings themselves, as Markdown on the run's summary page.

Annotations stop at 10 of each kind per step, so the summary is where a reviewer sees everything:
it says how many findings GitHub did not annotate and lists the findings (most severe first) up to
a bound that keeps the page within GitHub's 1 MiB summary limit.
"""

from __future__ import annotations

import os
from collections import Counter

from tilint.findings import SEVERITY_RANK, FileResult, Finding
from tilint.formatters.github import ANNOTATIONS_PER_KIND, hidden_annotations, workspace_path
from tilint.formatters.related import used_note
from tilint.formatters.report import Report

#: findings listed in the table; the rest are counted
MAX_ROWS = 50
TOP_RULES = 10
_CELL_LIMIT = 300


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped, HTML-like text defused."""
    flat = " ".join(text.split())
    if len(flat) > _CELL_LIMIT:
        flat = flat[: _CELL_LIMIT - 1] + "\u2026"
    return flat.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _phrase(finding: Finding) -> str:
    uses = used_note(finding)
    return (_cell(finding.text) or _cell(finding.message)) + (f" ({uses})" if uses else "")


def _where(report: Report, result: FileResult, finding: Finding) -> str:
    path = workspace_path(result.path, report)
    if finding.where:
        return f"{path} ({finding.where})"
    if finding.line is None:
        return f"{path} (whole document)"
    return f"{path}:{finding.line}"


def render(report: Report) -> str:
    summary = report.summary()
    out = [
        f"### tilint: {_plural(summary['findings'], 'finding')} in "
        f"{_plural(summary['files_with_findings'], 'file')} of {_plural(summary['files'], 'file')} checked",
        "",
    ]
    by_severity = summary["by_severity"]
    out += ["| errors | warnings | info | files not read |", "| ---: | ---: | ---: | ---: |"]
    out += [f"| {by_severity['error']} | {by_severity['warning']} | {by_severity['info']} | {summary['errors']} |", ""]
    hidden = hidden_annotations(report)
    if hidden:
        parts = ", ".join(f"{count} {kind}{'' if count == 1 else 's'}" for kind, count in hidden.items())
        out += [
            f"> [!NOTE]\n> GitHub shows at most {ANNOTATIONS_PER_KIND} annotations of each kind per step, so "
            f"{parts} are not annotated on the pull request. Every finding is listed below and in the log.",
            "",
        ]
    rules = Counter(f.rule for f in report.findings)
    if rules:
        out += ["**Rules found most**", "", "| rule | findings |", "| --- | ---: |"]
        top = rules.most_common(TOP_RULES)
        out += [f"| `{_cell(rule)}` | {count} |" for rule, count in top]
        if len(rules) > TOP_RULES:
            out.append(f"| {len(rules) - TOP_RULES} more rules | {sum(rules.values()) - sum(c for _, c in top)} |")
        out.append("")
    rows = sorted(
        ((result, finding) for result in report.results for finding in result.findings),
        key=lambda item: (SEVERITY_RANK[item[1].severity], item[0].path, item[1].line or 0),
    )
    if rows:
        out += ["**Findings**" + (" (most severe first)" if len(rows) > MAX_ROWS else ""), ""]
        out += ["| where | severity | rule | phrase | try |", "| --- | --- | --- | --- | --- |"]
        for result, finding in rows[:MAX_ROWS]:
            out.append(
                f"| {_cell(_where(report, result, finding))} | {finding.severity} | `{_cell(finding.rule)}` | "
                f"{_phrase(finding)} | {_cell('; '.join(finding.suggestions[:2]))} |"
            )
        if len(rows) > MAX_ROWS:
            out.append(f"\n{_plural(len(rows) - MAX_ROWS, 'more finding')} in the log.")
        out.append("")
    unread = [r for r in report.results if r.error]
    if unread:
        out += ["**Files not checked**", ""]
        out += [f"- {_cell(workspace_path(r.path, report))}: {_cell(r.error or '')}" for r in unread[:MAX_ROWS]]
        out.append("")
    return "\n".join(out) + "\n"


def write_step_summary(report: Report) -> None:
    """Inside GitHub Actions ($GITHUB_STEP_SUMMARY set), add this run's summary to the job's page.

    A summary that cannot be written is said on standard error and never fails the run.
    """
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    try:
        with open(summary_file, "a", encoding="utf-8") as stream:
            stream.write(render(report))
    except OSError as exc:
        import sys

        print(f"tilint: cannot write the job summary to {summary_file}: {exc.strerror or exc}", file=sys.stderr)
