"""What the results page shows, gathered in one place so the template only lays it out.

Each finding on the page needs more than the JSON contract carries (the rule's rationale and
sources, a readable location), so this joins a `FileResult` with the `RuleSet`. Nothing here is
HTML: the template escapes every value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tilint.findings import SEVERITIES, Finding
from tilint.ruleset import RuleSet, Source
from tilint.web.checking import PASTED_NAME, Checked
from tilint.web.highlight import Segment, segments

PRINCIPLE_NAMES = {
    "safety": "Safety",
    "trust": "Trust and transparency",
    "choice": "Choice",
    "collaboration": "Collaboration",
    "empowerment": "Empowerment",
    "cultural": "Cultural consideration",
}


@dataclass
class FindingView:
    index: int
    finding: Finding
    rationale: str = ""
    sources: list[Source] = field(default_factory=list)
    location: str = ""

    @property
    def anchor(self) -> str:
        return f"finding-{self.index}"


@dataclass
class ResultView:
    title: str
    format: str | None
    framing: dict[str, Any]
    principles: list[tuple[str, int]]
    risk_only_sections: list[str]
    segments: list[Segment]
    in_text: list[FindingView]
    whole_document: list[FindingView]
    counts: dict[str, int]
    reviewable: bool
    by_index: dict[int, FindingView] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.in_text) + len(self.whole_document)


def _location(finding: Finding, has_lines: bool) -> str:
    if finding.start is None:
        return "the whole document"
    if finding.where:
        return finding.where
    if has_lines and finding.line is not None:
        return f"line {finding.line}, column {finding.column}"
    return ""


def build(checked: Checked, ruleset: RuleSet) -> ResultView:
    """The page's view of one checked document."""
    result, document = checked.result, checked.document
    views: list[FindingView] = []
    for index, finding in enumerate(result.findings):
        rule = ruleset.get(finding.rule)
        views.append(
            FindingView(
                index=index,
                finding=finding,
                rationale=rule.rationale if rule else "",
                sources=list(rule.sources) if rule else [],
                location=_location(finding, document.has_source_lines),
            )
        )
    framing = result.document or {}
    principles = [
        (PRINCIPLE_NAMES.get(name, name.replace("-", " ").capitalize()), count)
        for name, count in (framing.get("principles") or {}).items()
    ]
    risk_only_sections = [
        section["title"]
        for section in framing.get("sections") or ()
        if section.get("risk_only") and section["title"]
    ]
    counts = Counter(f.severity for f in result.findings)
    return ResultView(
        title="your pasted text" if checked.filename == PASTED_NAME else checked.filename,
        format=result.format,
        framing=framing,
        principles=principles,
        risk_only_sections=risk_only_sections,
        segments=segments(document.text, result.findings),
        in_text=[v for v in views if v.finding.start is not None],
        whole_document=[v for v in views if v.finding.start is None],
        counts={severity: counts.get(severity, 0) for severity in SEVERITIES},
        reviewable=checked.filename.lower().endswith(".docx"),
        by_index={v.index: v for v in views},
    )
