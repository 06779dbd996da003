"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.

`::warning file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`. GitHub's escaping rules:
in the message `%`, CR and LF are percent-encoded; in property values also `:` and `,`, which would
otherwise end the value. Severity maps to error / warning / notice. Paths are relative to the
repository root, which is how GitHub matches annotations to files, so a run from a subfolder still
annotates the right file.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and 50 per job); the
rest stay in the log only. The closing line says so when that happens, and the job summary (see
tilint.formatters.stepsummary) lists the findings GitHub did not annotate.
"""

from __future__ import annotations

from collections import Counter

from tilint.findings import Finding
from tilint.formatters.messages import describe
from tilint.formatters.paths import repository_path
from tilint.formatters.report import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
#: annotations of one kind GitHub shows per step
ANNOTATIONS_PER_KIND = 10


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None
    )
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def workspace_path(path: str, report: Report) -> str:
    """`./docs/a.md` run from `repo/` or `a.md` run from `repo/docs` -> `docs/a.md`."""
    return repository_path(path, report.source_root) or path


def _message(finding: Finding) -> str:
    return describe(finding, try_prefix="\nTry: ", try_suffix="")


def annotation_counts(report: Report) -> Counter[str]:
    """How many annotations of each kind (error, warning, notice) a run writes."""
    kinds: Counter[str] = Counter()
    for result in report.results:
        if result.error:
            kinds["error"] += 1
        for finding in result.findings:
            kinds[COMMANDS[finding.severity]] += 1
    return kinds


def hidden_annotations(report: Report) -> dict[str, int]:
    """kind -> how many annotations of that kind GitHub will not show (only kinds over the limit)."""
    counts = annotation_counts(report)
    return {
        kind: counts[kind] - ANNOTATIONS_PER_KIND
        for kind in ("error", "warning", "notice")
        if counts[kind] > ANNOTATIONS_PER_KIND
    }


def limit_note(report: Report) -> str | None:
    hidden = hidden_annotations(report)
    if not hidden:
        return None
    parts = [f"{count} {kind}{'' if count == 1 else 's'}" for kind, count in hidden.items()]
    return (
        f"GitHub shows only {ANNOTATIONS_PER_KIND} annotations of each kind per step, so "
        f"{' and '.join(parts)} appear only in this log and the job summary"
    )


def render(report: Report) -> str:
    lines: list[str] = []
    for result in report.results:
        if result.error:
            lines.append(
                command(
                    "error",
                    {"file": workspace_path(result.path, report), "title": "tilint: file not checked"},
                    result.error,
                )
            )
            continue
        for finding in result.findings:
            located = finding.line is not None and not finding.where
            properties: dict[str, object] = {"file": workspace_path(result.path, report)}
            if located:
                properties.update(
                    line=finding.line,
                    col=finding.column,
                    endLine=finding.end_line,
                    endColumn=finding.end_column,
                )
            properties["title"] = f"tilint {finding.rule}"
            lines.append(command(COMMANDS[finding.severity], properties, _message(finding)))
    summary = report.summary()
    found, files = summary["findings"], summary["files"]
    line = f"tilint: {found} finding{'' if found == 1 else 's'} in {files} file{'' if files == 1 else 's'}"
    baseline = report.extra.get("summary", {}).get("baseline")
    if baseline is not None:
        line += (
            f" ({len(baseline['fixed'])} baseline entr{'y' if len(baseline['fixed']) == 1 else 'ies'} fixed)"
        )
    note = limit_note(report)
    if note:
        line += f"; {note}"
    lines.append(line + ".")
    return "\n".join(lines) + "\n"
