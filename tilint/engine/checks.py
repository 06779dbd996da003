"""The checks after matching: which of a window's raw matches stand as findings.

A match stands unless one of the rule's exceptions overlaps it, it is a quoted mention of the term
(not a use), or its context conditions fail; of overlapping matches the most specific one is kept.
These checks read only the tokens' texts and the spans matching found, so they are plain Python,
independent of how the matching was done.
"""

from __future__ import annotations

from tilint.engine.compiler import CONTEXT_ANY, CONTEXT_NONE, EXCEPTION, MATCH, CompiledRules
from tilint.engine.matching import Hits
from tilint.engine.variants import QUOTES_CLOSE, QUOTES_OPEN
from tilint.findings import SEVERITY_RANK
from tilint.ruleset import RuleSet


class Checks:
    """The post-matching checks for one rule set, severity overrides and catalogue order."""

    def __init__(self, ruleset: RuleSet, compiled: CompiledRules, severities: dict[str, str]) -> None:
        self.ruleset = ruleset
        self.compiled = compiled
        self.severities = severities
        self._order = {rule_id: i for i, rule_id in enumerate(ruleset.rules)}

    def standing(self, doc, hits: Hits) -> list[tuple[str, int, int]]:
        """The (rule, start token, end token) matches that stand in one window, in text order."""
        matched = hits.get(MATCH)
        if not matched:
            return []
        cancelled = hits.get(EXCEPTION, {})
        context_any = hits.get(CONTEXT_ANY, {})
        context_none = hits.get(CONTEXT_NONE, {})
        candidates: list[tuple[str, int, int]] = []
        for rule_id, spans in matched.items():
            compiled = self.compiled.rules[rule_id]
            for start, end in spans:
                if any(s < end and start < e for s, e in cancelled.get(rule_id, ())):
                    continue
                if compiled.quoted == "skip" and is_quoted(doc, start, end):
                    continue
                if compiled.has_context_any and not near(context_any.get(rule_id), start, end, compiled.window):
                    continue
                if compiled.has_context_none and near(context_none.get(rule_id), start, end, compiled.window):
                    continue
                candidates.append((rule_id, start, end))
        return self.most_specific(candidates)

    def most_specific(self, candidates: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """Longest span first, then the more severe rule; overlapping spans are dropped."""

        def rank(item: tuple[str, int, int]) -> tuple:
            rule_id, start, end = item
            severity = self.severities.get(rule_id, self.ruleset.rules[rule_id].severity)
            return (-(end - start), SEVERITY_RANK[severity], self._order[rule_id], start)

        taken: list[tuple[str, int, int]] = []
        for item in sorted(set(candidates), key=rank):
            if all(item[2] <= s or e <= item[1] for _, s, e in taken):
                taken.append(item)
        return sorted(taken, key=lambda t: t[1])


#: how far (in tokens) a quotation around a term may reach
QUOTE_REACH = 40
_PAIRED_QUOTES = (("\u201c", "\u201d"), ("\u2018", "\u2019"))


def is_quoted(doc, start: int, end: int) -> bool:
    """A term inside quotation marks is being mentioned, not used: "formerly called 'looked after'",
    or an example of wording to avoid ("Avoid: \u201cmanage service users with chaotic lifestyles\u201d").

    Marks right around the term count in any style; a longer quotation counts for double quotes
    and curly single quotes, whose marks are not also apostrophes in the middle of words.
    """
    if start > 0 and end < len(doc) and doc[start - 1].text in QUOTES_OPEN and doc[end].text in QUOTES_CLOSE:
        return True
    before = [t.text for t in doc[max(0, start - QUOTE_REACH) : start]]
    after = [t.text for t in doc[end : end + QUOTE_REACH]]
    for opening, closing in _PAIRED_QUOTES:
        opened = opening in before and closing not in before[_last(before, opening) :]
        if opened and closing in after and opening not in after[: after.index(closing)]:
            return True
    straight_before = sum(1 for t in doc[:start] if t.text == '"')
    return straight_before % 2 == 1 and '"' in after


def _last(items: list[str], value: str) -> int:
    return len(items) - 1 - items[::-1].index(value)


def near(hits: list[tuple[int, int]] | None, start: int, end: int, window: int) -> bool:
    """Whether any of `hits` lies within `window` tokens of start..end."""
    if not hits:
        return False
    return any(s < end + window and e > start - window for s, e in hits)
