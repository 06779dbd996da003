"""The checks after matching: which of a window's raw matches stand as findings.

A match stands unless one of the rule's exceptions overlaps it, it is a quoted mention of the term
(not a use), or its context conditions fail; of overlapping matches the most specific one is kept.
These checks read only the tokens' texts and the spans matching found, so they are plain Python,
independent of how the matching was done.
"""

from __future__ import annotations

from bisect import bisect_left, insort

from tilint.engine.compiler import CONTEXT_ANY, CONTEXT_NONE, EXCEPTION, MATCH, CompiledRules
from tilint.engine.matching import WindowMatches
from tilint.engine.mentions import MentionFinder, Mentions
from tilint.findings import SEVERITY_RANK
from tilint.ruleset import RuleSet


class Checks:
    """The post-matching checks for one rule set, severity overrides and catalogue order."""

    def __init__(
        self, ruleset: RuleSet, compiled: CompiledRules, severities: dict[str, str], mentions: Mentions
    ) -> None:
        self.ruleset = ruleset
        self.compiled = compiled
        self.severities = severities
        self.mentions = mentions
        self._order = {rule_id: i for i, rule_id in enumerate(ruleset.rules)}

    def standing(self, window: WindowMatches, text: str) -> list[tuple[str, int, int]]:
        """The (rule, start token, end token) matches that stand in one window, in text order;
        `text` is the document text the window's offsets point into."""
        hits = window.hits
        matched = hits.get(MATCH)
        if not matched:
            return []
        mentions: MentionFinder | None = None
        cancelled = _indexed(hits.get(EXCEPTION, {}))
        context_any = _indexed(hits.get(CONTEXT_ANY, {}))
        context_none = _indexed(hits.get(CONTEXT_NONE, {}))
        candidates: list[tuple[str, int, int]] = []
        for rule_id, spans in matched.items():
            compiled = self.compiled.rules[rule_id]
            exceptions = cancelled.get(rule_id)
            for start, end in spans:
                if exceptions is not None and exceptions.overlaps(start, end):
                    continue
                if compiled.quoted == "skip":
                    if mentions is None:
                        mentions = self.mentions.in_text(text[window.window.start : window.window.end])
                    char_start, char_end = window.char_span(start, end)
                    offset = window.window.start
                    if mentions.is_mention(char_start - offset, char_end - offset):
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

        # The spans taken never overlap, so sorted by start their ends are sorted too: a new span
        # is checked against its two neighbours only.
        starts: list[int] = []
        ends: list[int] = []
        taken: list[tuple[str, int, int]] = []
        for item in sorted(set(candidates), key=rank):
            _, start, end = item
            i = bisect_left(starts, start)
            if (i < len(starts) and starts[i] < end) or (i and ends[i - 1] > start):
                continue
            starts.insert(i, start)
            ends.insert(i, end)
            insort(taken, item, key=lambda t: t[1])
        return taken


class SpanIndex:
    """Spans sorted by start with the running maximum of their ends: whether any span overlaps a
    range costs one binary search, so checking every match of a paragraph stays linear-ish."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.max_ends: list[int] = []
        highest = -1
        for _, e in ordered:
            highest = max(highest, e)
            self.max_ends.append(highest)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span s..e has s < end and e > start."""
        i = bisect_left(self.starts, end)
        return i > 0 and self.max_ends[i - 1] > start


def _indexed(spans_by_rule: dict[str, list[tuple[int, int]]]) -> dict[str, SpanIndex]:
    return {rule_id: SpanIndex(spans) for rule_id, spans in spans_by_rule.items()}


def near(hits: SpanIndex | None, start: int, end: int, window: int) -> bool:
    """Whether any of `hits` lies within `window` tokens of start..end."""
    return hits is not None and hits.overlaps(start - window, end + window)
