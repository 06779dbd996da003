"""The words of the review comments: what a commissioner reads in Word's comment pane.

Each finding's comment says what is wrong, what to write instead and why, with the source, because
a suggestion without a reason is easy to dismiss. The summary comment at the start of the document
says in plain words how the whole document frames people, and lists the findings that could not be
marked in the text (in headers, footers, footnotes and text boxes).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tilint.findings import FileResult, Finding
from tilint.ruleset import Rule, RuleSet

#: how many unmarked findings the summary lists one by one before counting the rest
MAX_LISTED = 40


def finding_comment(finding: Finding, rule: Rule | None) -> str:
    """Message, "Try: ...", "Why: ... (source)", and the rule id for `tilint explain`."""
    lines = [finding.message]
    if finding.suggestions:
        lines.append("Try: " + "; ".join(finding.suggestions))
    if rule is not None and rule.rationale:
        cites = "; ".join(source.cite() for source in rule.sources)
        lines.append(f"Why: {rule.rationale}" + (f" ({cites})" if cites else ""))
    lines.append(f"Rule: {finding.rule} ({finding.severity}); `tilint explain {finding.rule}` says more.")
    return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _framing_lines(framing: dict[str, Any]) -> list[str]:
    from tilint.engine.framing import PLAIN_NAMES

    lines = []
    if framing.get("summary"):
        lines.append(framing["summary"])
    if not framing.get("describes_people", True):
        pass  # the summary sentence already says the framing was not assessed
    elif framing.get("risk_only"):
        lines.append(
            "Risk-only framing: yes. People appear mainly as risks or problems; add what they bring, "
            "want and are good at."
        )
    else:
        lines.append("Risk-only framing: no.")
    principles = framing.get("principles") or {}
    missing = [PLAIN_NAMES.get(name, name.replace("-", " ")) for name, n in principles.items() if not n]
    if principles:
        if missing:
            lines.append("Trauma-informed principles not mentioned: " + ", ".join(missing) + ".")
        else:
            lines.append("Every trauma-informed principle is mentioned at least once.")
    if "risk_terms" in framing:
        lines.append(
            f"Risk and deficit terms: {framing.get('risk_terms', 0)}; "
            f"strengths-based terms: {framing.get('strength_terms', 0)}; words: {framing.get('words', 0)}."
        )
    return lines


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"\u201c{text[:77]}\u2026\u201d" if len(text) > 80 else f"\u201c{text}\u201d"


def summary_comment(
    result: FileResult,
    ruleset: RuleSet,
    marked: int,
    unmarked: list[tuple[Finding, str]],
) -> str:
    """The comment at the start of the reviewed copy: framing, counts, and what is not marked."""
    spans = [f for f in result.findings if f.start is not None]
    whole = [f for f in result.findings if f.start is None]
    lines = ["tilint review of this document."]
    lines += _framing_lines(result.document)
    if spans:
        severities = Counter(f.severity for f in spans)
        detail = ", ".join(_plural(severities[s], s) if s != "info" else f"{severities[s]} info"
                           for s in ("error", "warning", "info") if severities[s])
        lines.append(
            f"Findings: {len(spans)} ({detail}); {marked} marked with a comment on the words."
        )
        common = Counter(f.rule for f in spans).most_common(5)
        lines.append("Most frequent: " + ", ".join(f"{rule_id} \u00d7{n}" for rule_id, n in common) + ".")
    else:
        lines.append("No phrase was flagged.")
    for finding in whole:
        lines.append(f"Whole document ({finding.rule}): {finding.message}")
    if unmarked:
        lines.append(
            "Not marked in the text (Word does not allow comments there, or the words could not be "
            "located), so listed here:"
        )
        for finding, reason in unmarked[:MAX_LISTED]:
            rule = ruleset.get(finding.rule)
            alternatives = f" Try: {'; '.join(finding.suggestions)}." if finding.suggestions else ""
            where = finding.where or "document"
            lines.append(
                f"\u2022 {where}: {_quote(finding.text)} \u2014 {finding.message}{alternatives}"
                + (f" [{finding.rule}]" if rule is not None else "")
                + (f" ({reason})" if reason else "")
            )
        if len(unmarked) > MAX_LISTED:
            rest = len(unmarked) - MAX_LISTED
            lines.append(f"\u2026 and {rest} more (`tilint check` on the file lists them all).")
    return "\n".join(lines)
