"""The spaCy-free prefilter: which paragraphs could hold a finding, and for which rules.

Most prose holds no candidate phrase at all, so before spaCy sees anything the text goes through
three stages, each cheaper per paragraph than spaCy and each only ever dropping a (paragraph,
rule) pair that cannot match:

1. anchors: one regular-expression pass over the lowercased text finds the rules' anchor words
   (each rule's most distinctive word) and cuts the paragraphs around them into windows;
2. words: a rule stays in a window only if every word of one of its patterns (some spelling of
   it) occurs in the window, and its context words too when it needs context;
3. order: a phrase rule stays only if its words occur in order in the window.

A document with no window never imports spaCy. Each stage can be switched off (`stages`) so that
the test suite can check, stage by stage, that the prefilter never loses a finding.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from tilint.engine.compiler import CompiledRules

WORD = re.compile(r"[^\W_]+")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_LINE_BREAK = re.compile(r"\n")
#: a paragraph longer than this is cut to the lines around a candidate
MAX_WINDOW = 3000
WINDOW_MARGIN = 600
#: the stages, in the order they run
STAGES = ("anchors", "words", "order")


@dataclass
class Window:
    """A stretch of text (a paragraph, or part of a long one) and the rules that could match in it."""

    start: int
    end: int
    #: rules whose anchor words occur in the window
    rules: set[str]


def lower_same_length(text: str) -> str:
    """`text` lowercased, keeping every offset: the prefilter reads it, findings point into `text`."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    # A few characters (such as "İ") lowercase to two; keep offsets true by leaving them alone.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def with_spacy_stems(words: set[str]) -> set[str]:
    """`words` plus the pieces spaCy splits contractions into.

    spaCy splits "didn't" as "did" + "n't", "can't" as "ca" + "n't", "cannot" as "can" + "not";
    the regular expression splits "didn" + "t". Adding spaCy's stems keeps token patterns on them.
    """
    words |= {w[:-1] for w in words if w.endswith("n")}
    if "cannot" in words:
        words |= {"can", "not"}
    return words


def paragraph_breaks(text: str, by_line: bool) -> list[int]:
    """Offsets where a paragraph starts (after a blank line, or after every line break when the
    format writes one block per line)."""
    return [m.end() for m in (_LINE_BREAK if by_line else _PARAGRAPH_BREAK).finditer(text)]


class Prefilter:
    """The three stages for one rule set and one choice of active rules."""

    def __init__(self, compiled: CompiledRules, active: set[str], stages: tuple[str, ...] = STAGES) -> None:
        unknown = set(stages) - set(STAGES)
        if unknown:
            raise ValueError(f"unknown prefilter stages: {sorted(unknown)}")
        self.compiled = compiled
        self.active = set(active)
        self.stages = frozenset(stages)
        #: lowercase anchor word -> the active rules anchored on it
        self.anchors = {word: ids & self.active for word, ids in compiled.anchors.items() if ids & self.active}
        self._order_finders: dict[str, re.Pattern] = {}

    def windows(self, text: str, lower: str, vocabulary: set[str], by_line: bool = False) -> list[Window]:
        """Paragraphs (capped in length) that could hold a finding, each with its possible rules;
        `vocabulary` is the set of the text's lowercase words."""
        words = with_spacy_stems(set(vocabulary))
        if "anchors" in self.stages:
            candidates = self._anchor_windows(text, lower, words, by_line)
        else:
            candidates = self._every_paragraph(text, words, by_line)
        return [w for w in candidates if self._narrow(w, lower)]

    # -- stage 1: anchor words ----------------------------------------------------------------------
    def _rules_possible_in(self, rule_ids, words: set[str]) -> set[str]:
        if "words" not in self.stages:
            return set(rule_ids)
        return {rule_id for rule_id in rule_ids if self.could_match(rule_id, words)}

    def _anchor_windows(self, text: str, lower: str, words: set[str], by_line: bool) -> list[Window]:
        # A rule whose words are not all somewhere in the document cannot match in any paragraph of
        # it; dropping it here spares the per-paragraph checks below for most anchor words.
        anchors = {}
        for word in words & self.anchors.keys():
            rules = self._rules_possible_in(self.anchors[word], words)
            if rules:
                anchors[word] = rules
        if not anchors:
            return []
        finder = re.compile(
            r"(?<![^\W_])(?:" + "|".join(sorted(map(re.escape, anchors), key=len, reverse=True)) + r")(?![^\W_])"
        )
        breaks: list[int] | None = None
        windows: list[Window] = []
        for match in finder.finditer(lower):
            offset = match.start()
            if windows and windows[-1].start <= offset < windows[-1].end:
                windows[-1].rules |= anchors[match.group()]
                continue
            if breaks is None:
                breaks = paragraph_breaks(text, by_line)
            start, end = _window_around(text, breaks, offset)
            if windows and start < windows[-1].end:
                windows[-1].end = max(windows[-1].end, end)
                windows[-1].rules |= anchors[match.group()]
            else:
                windows.append(Window(start, end, set(anchors[match.group()])))
        return windows

    def _every_paragraph(self, text: str, words: set[str], by_line: bool) -> list[Window]:
        """With the anchor stage off: every paragraph, with every rule possible in the document."""
        rules = self._rules_possible_in(set().union(*self.anchors.values()) if self.anchors else set(), words)
        if not rules or not text:
            return []
        starts = [0, *paragraph_breaks(text, by_line)]
        ends = [*starts[1:], len(text)]
        return [Window(start, end, set(rules)) for start, end in zip(starts, ends, strict=True) if start < end]

    # -- stages 2 and 3: per window -----------------------------------------------------------------
    def _narrow(self, window: Window, lower: str) -> set[str]:
        """Keep the rules whose every word (some spelling of it) is in the window, in order for phrases.

        An anchor word alone is often common ("service" for "service user"); checking the other
        words with a set lookup drops most paragraphs before spaCy sees them.
        """
        if "words" in self.stages:
            words = with_spacy_stems(set(WORD.findall(lower, window.start, window.end)))
            window.rules = {rule_id for rule_id in window.rules if self.could_match(rule_id, words)}
        if "order" in self.stages:
            window.rules = {rule_id for rule_id in window.rules if self.in_order(rule_id, lower, window)}
        return window.rules

    def could_match(self, rule_id: str, words: set[str]) -> bool:
        """Whether every word of some pattern of the rule (and of its context, if it needs one)
        occurs, in some spelling, among `words`."""

        def possible(requirements) -> bool:
            return any(all(not forms.isdisjoint(words) for forms in required) for required in requirements)

        compiled = self.compiled.rules[rule_id]
        context = compiled.context_requires
        return possible(compiled.requires) and (context is None or possible(context))

    def in_order(self, rule_id: str, lower: str, window: Window) -> bool:
        """Whether some phrase of the rule has its words in order in the window: having them all
        somewhere in it is not enough ("services for users" is not "service users")."""
        pattern = self.compiled.rules[rule_id].phrase_pattern
        if pattern is None:  # token patterns allow gaps and any order: spaCy decides
            return True
        compiled = self._order_finders.get(rule_id)
        if compiled is None:
            compiled = self._order_finders[rule_id] = re.compile(pattern)
        return compiled.search(lower, window.start, window.end) is not None


def _window_around(text: str, breaks: list[int], offset: int) -> tuple[int, int]:
    """The paragraph holding `offset`, cut to the lines (or, for one enormous line, the words)
    around it when it is longer than MAX_WINDOW."""
    i = bisect_right(breaks, offset)
    start = breaks[i - 1] if i else 0
    end_i = bisect_left(breaks, offset + 1)
    end = breaks[end_i] if end_i < len(breaks) else len(text)
    if end - start > MAX_WINDOW:
        start = max(start, text.rfind("\n", start, max(start, offset - WINDOW_MARGIN)) + 1, 0)
        newline = text.find("\n", min(end, offset + WINDOW_MARGIN), end)
        end = newline if newline != -1 else end
        if end - start > MAX_WINDOW:  # one enormous line: cut at spaces
            start = max(start, text.rfind(" ", start, max(start, offset - WINDOW_MARGIN)) + 1)
            space = text.find(" ", min(end, offset + WINDOW_MARGIN), end)
            end = space if space != -1 else end
    return start, end
