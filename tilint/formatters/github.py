"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.

`::warning file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`. GitHub's escaping rules:
in the message `%`, CR and LF are percent-encoded; in property values also `:` and `,`, which would
otherwise end the value. Severity maps to error / warning / notice.
"""

from __future__ import annotations

import posixpath
from pathlib import PurePath

from tilint.findings import Finding
from tilint.formatters.report import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None
    )
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def workspace_path(path: str) -> str:
    """`./docs/a.md` -> `docs/a.md`: GitHub matches annotations to files by their plain relative path."""
    pure = PurePath(path)
    return str(pure) if pure.is_absolute() else posixpath.normpath(pure.as_posix())


def _message(finding: Finding) -> str:
    text = f"\u201c{finding.text}\u201d: {finding.message}" if finding.text else finding.message
    if finding.where:
        text += f" ({finding.where})"
    if finding.suggestions:
        text += "\nTry: " + "; ".join(finding.suggestions)
    return text


def render(report: Report) -> str:
    lines: list[str] = []
    for result in report.results:
        if result.error:
            lines.append(
                command(
                    "error",
                    {"file": workspace_path(result.path), "title": "tilint: file not checked"},
                    result.error,
                )
            )
            continue
        for finding in result.findings:
            located = finding.line is not None and not finding.where
            properties: dict[str, object] = {"file": workspace_path(result.path)}
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
    lines.append(line + ".")
    return "\n".join(lines) + "\n"
