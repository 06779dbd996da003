"""One sentence per finding, shared by the machine formats: the phrase, the rule's message, where it
is when lines do not say (page 3, whole document), how often a grouped term is used, what to try."""

from __future__ import annotations

from tilint.findings import Finding
from tilint.formatters.related import used_note


def describe(
    finding: Finding, try_prefix: str | None = " Try: ", try_suffix: str = ".", uses: str | None = None
) -> str:
    """`“cases”: Cases are people. (page 3) (used 4 times) Try: people; families.`

    `try_prefix=None` leaves out the alternatives; `uses` replaces the "used N times" note.
    """
    text = f"\u201c{finding.text}\u201d: {finding.message}" if finding.text else finding.message
    if finding.where:
        text += f" ({finding.where})"
    elif finding.line is None:
        text += " (whole document)"
    note = uses if uses is not None else used_note(finding)
    if note:
        text += f" ({note})"
    if try_prefix is not None and finding.suggestions:
        text += try_prefix + "; ".join(finding.suggestions) + try_suffix
    return text
