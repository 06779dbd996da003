"""The words of the review: what a commissioner reads in Word's comment pane.

Written for someone reviewing a tender in Word, not for a developer: short comments (what to
reconsider and two alternatives, or the suggested change), the reason and its source once per
rule (in that rule's first comment), no rule ids unless asked for, no commands to run, and
places named the way Word shows them (a heading, and the page where Word recorded its layout).
Repeats of one phrase in one section share a comment that says how often and where else.

The summary comment at the start says how the whole document frames people, counts what was
found, and lists what could not be marked in the text (Word takes no comments in headers and
footers), with where it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tilint.findings import FileResult, Finding
from tilint.ruleset import Rule, RuleSet

#: how many unmarked findings the summary lists one by one before counting the rest
MAX_LISTED = 40
#: how many alternatives a comment offers
ALTERNATIVES = 2


@dataclass
class Note:
    """One comment about a finding (and the repeats of its phrase it stands for)."""

    finding: Finding
    place: str
    change: tuple[str, str] | None = None
    #: the first comment of its rule in the document: it gives the reason and the source
    first_of_rule: bool = True
    #: how often the phrase is used in this section, this finding included
    here: int = 1
    #: other sections using the phrase, with how often: [("2.3 Referral pathway", 2), ...]
    elsewhere: list[tuple[str, int]] = field(default_factory=list)
    #: the change was not made; why (for a grouped contract term, say)
    unchanged_because: str | None = None


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"\u201c{text[: limit - 3]}\u2026\u201d" if len(text) > limit else f"\u201c{text}\u201d"


def _alternatives(finding: Finding) -> str | None:
    shown = [a for a in finding.suggestions if "[" not in a][:ALTERNATIVES] or finding.suggestions[:ALTERNATIVES]
    if not shown:
        return None
    return "Instead: " + " or ".join(quote(a) for a in shown) + "."


def why(rule: Rule | None) -> str | None:
    if rule is None or not rule.rationale:
        return None
    cites = "; ".join(source.cite() for source in rule.sources)
    return f"Why: {rule.rationale}" + (f" (Source: {cites}.)" if cites else "")


def finding_comment(note: Note, rule: Rule | None, rule_ids: bool = False) -> str:
    """A finding's comment: the message, the change or two alternatives, then why (once per rule)."""
    from tilint.formatters.related import used_note

    finding = note.finding
    lines = [finding.message + (f" [{finding.rule}]" if rule_ids else "")]
    if note.change is not None:
        old, new = note.change
        lines.append(f"Suggested change: {quote(old)} \u2192 {quote(new)}. Accept or reject it in Review.")
    else:
        alternatives = _alternatives(finding)
        if alternatives:
            lines.append(alternatives)
    used = used_note(finding)
    if used:
        lines.append(f"This term is {used} in the document." + (
            f" {note.unchanged_because}" if note.unchanged_because else ""))
    where = []
    if note.here > 1:
        where.append(f"{quote(finding.text)} appears {note.here} times in this section")
    if note.elsewhere:
        places = [f"{quote(title, 50)}" + (f" ({count}\u00d7)" if count > 1 else "") for title, count in note.elsewhere]
        where.append("also in " + _and(places))
    if where:
        text = "; ".join(where)
        lines.append(text[0].upper() + text[1:] + ".")
    if note.first_of_rule:
        reason = why(rule)
        if reason:
            lines.append(reason)
    return "\n".join(lines)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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


def summary_comment(
    result: FileResult,
    ruleset: RuleSet,
    changes: int,
    comments: int,
    unmarked: list[tuple[Finding, str, str]],
    rule_ids: bool = False,
) -> str:
    """The comment at the start of the reviewed copy: framing, counts, and what is not marked.

    `unmarked` holds (finding, where in Word terms, why it is not marked) triples.
    """
    spans = [f for f in result.findings if f.start is not None]
    whole = [f for f in result.findings if f.start is None]
    lines = ["tilint review of this document."]
    lines += _framing_lines(result.document)
    total = len(result.findings)
    if spans:
        parts = []
        if changes:
            parts.append(f"{_plural(changes, 'suggested change')} to accept or reject")
        parts.append(f"{_plural(comments, 'comment')} on the words")
        if unmarked:
            parts.append(f"{len(unmarked)} listed below")
        lines.append(f"Findings: {total} ({'; '.join(parts)}).")
        common = Counter(" ".join(f.text.lower().split()) for f in spans).most_common(5)
        lines.append("Most frequent: " + ", ".join(f"{quote(text)} \u00d7{n}" for text, n in common) + ".")
    else:
        lines.append("No phrase was flagged.")
    for finding in whole:
        lines.append(f"Whole document: {finding.message}" + (f" [{finding.rule}]" if rule_ids else ""))
        reason = why(ruleset.get(finding.rule))
        if reason:
            lines.append(reason)
    if unmarked:
        lines.append("Not marked in the text (Word takes no comments in headers and footers), so listed here:")
        for finding, where, reason in unmarked[:MAX_LISTED]:
            alternatives = _alternatives(finding)
            lines.append(
                f"\u2022 {where[0].upper() + where[1:]}: {quote(finding.text)} \u2014 {finding.message}"
                + (f" {alternatives}" if alternatives else "")
                + (f" [{finding.rule}]" if rule_ids else "")
                + (f" ({reason})" if reason else "")
            )
        if len(unmarked) > MAX_LISTED:
            lines.append(f"\u2026 and {len(unmarked) - MAX_LISTED} more of the same kinds.")
    return "\n".join(lines)
