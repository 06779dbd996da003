"""Checkstyle XML, which Jenkins (warnings-ng), GitLab plugins, reviewdog and many CI tools read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tilint.formatters.messages import describe
from tilint.formatters.report import Report, tool_info
from tilint.formatters.xmlutil import clean, serialise


def _message(finding) -> str:
    return describe(finding)


def render(report: Report) -> str:
    root = ET.Element("checkstyle", version="4.3")
    root.set("generator", clean(f"{tool_info()['name']} {tool_info()['version']}"))
    for result in report.results:
        file = ET.SubElement(root, "file", name=clean(result.path))
        if result.error:
            ET.SubElement(
                file, "error", severity="error", message=clean(result.error), source="tilint.read-error"
            )
            continue
        for finding in result.findings:
            attrs = {}
            if finding.line is not None and not finding.where:
                attrs["line"] = str(finding.line)
                attrs["column"] = str(finding.column)
            attrs.update(
                severity=finding.severity, message=clean(_message(finding)), source=f"tilint.{finding.rule}"
            )
            ET.SubElement(file, "error", attrs)
    return serialise(root)
