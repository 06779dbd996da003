"""spaCy matching: the prefilter's windows tokenised, and every rule's patterns found in them.

This is the only part of the engine that imports spaCy, and it does so lazily: a run whose
documents have no candidate window never loads it. What it returns is raw: every span each
pattern of each kind (match, exception, context) found, per window. Deciding which matches stand
is left to tilint.engine.checks, which needs no spaCy objects beyond the tokens.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tilint.engine.compiler import CONTEXT_ANY, CONTEXT_NONE, EXCEPTION, MATCH, CompiledRules
from tilint.engine.prefilter import Window
from tilint.ruleset import RuleSet

#: kind -> rule id -> (start token, end token) spans found in one window
Hits = dict[str, dict[str, list[tuple[int, int]]]]


class PipelineError(Exception):
    """The configured spaCy pipeline cannot be loaded or cannot serve the rules."""


@dataclass
class WindowMatches:
    """One window after matching: its tokens, what every pattern found, and the way back from a
    token's offset to the document's text."""

    window: Window
    doc: Any
    hits: Hits
    #: maps an offset in the squeezed window text (what spaCy read) to an offset in the window
    to_window: Callable[[int], int]

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Document offsets of tokens start..end (exclusive)."""
        first, last = self.doc[start], self.doc[end - 1]
        return (
            self.window.start + self.to_window(first.idx),
            self.window.start + self.to_window(last.idx + len(last.text) - 1) + 1,
        )


class SpacyMatcher:
    """spaCy's pipeline and the rules' phrase and token matchers, each built on first use."""

    def __init__(self, ruleset: RuleSet, compiled: CompiledRules, model: str | None = None, nlp: Any = None) -> None:
        self.ruleset = ruleset
        self.compiled = compiled
        self.model = model
        self._nlp = nlp
        self._token_matchers: dict[str, Any] = {}
        #: phrase spellings not yet given to the phrase matchers, by (matcher key, case-sensitive)
        self._phrases_waiting: dict[tuple[str, bool], list[tuple[tuple[str, ...], list[int]]]] = {}
        self._matchers: tuple[Any, Any] | None = None

    def __getstate__(self) -> dict[str, Any]:
        """A copy for another process (workers started by spawn or forkserver): without spaCy's
        objects, which the copy loads again only if it matches."""
        state = dict(self.__dict__)
        state.update(_nlp=None, _matchers=None, _token_matchers={}, _phrases_waiting={})
        return state

    @property
    def nlp(self):
        if self._nlp is None:
            import spacy

            if self.model:
                try:
                    self._nlp = spacy.load(self.model)
                except OSError as exc:
                    raise PipelineError(
                        f"spaCy pipeline {self.model!r} is not installed (install its package with pip, "
                        "or leave the model unset to use the built-in tokenizer)"
                    ) from exc
            else:
                self._nlp = spacy.blank("en")
        return self._nlp

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    def phrase_matchers(self):
        """The phrase matchers (one per case mode), empty until rules are added to them."""
        if self._matchers is not None:
            return self._matchers
        from spacy.matcher import PhraseMatcher

        vocab = self.nlp.vocab
        self._matchers = (PhraseMatcher(vocab, attr="LOWER"), PhraseMatcher(vocab, attr="ORTH"))
        return self._matchers

    def match(self, text: str, windows: list[Window]) -> list[WindowMatches]:
        """Tokenise each window and run the phrase matchers, then each window's rules' token
        patterns, then (only for rules that matched) their exception and context patterns."""
        phrase_matchers = self.phrase_matchers()
        strings = self.nlp.vocab.strings
        squeezed = [squeeze(text[w.start : w.end]) for w in windows]
        docs = list(self.nlp.pipe(piece for piece, _ in squeezed))
        self._add_phrases(set().union(*(w.rules for w in windows)), docs)
        out: list[WindowMatches] = []
        for window, (_, to_window), doc in zip(windows, squeezed, docs, strict=True):
            hits: Hits = {}
            for matcher in phrase_matchers:
                if not len(matcher):
                    continue
                for key, start, end in matcher(doc):
                    kind, rule_id = strings[key].split("\0", 1)
                    hits.setdefault(kind, {}).setdefault(rule_id, []).append((start, end))
            for rule_id in window.rules:
                self._run_tokens(f"{MATCH}\0{rule_id}", doc, hits)
            for rule_id in list(hits.get(MATCH, {})):
                for kind in (EXCEPTION, CONTEXT_ANY, CONTEXT_NONE):
                    self._run_tokens(f"{kind}\0{rule_id}", doc, hits)
            out.append(WindowMatches(window, doc, hits, to_window))
        return out

    def _add_phrases(self, rule_ids: set[str], docs: list[Any]) -> None:
        """Give the phrase matchers the spellings of these rules' phrases that could occur in `docs`.

        A rule set spells its phrases out in tens of thousands of ways, and most runs meet only a
        few of them: a spelling is added the first time every one of its tokens is in the text
        being matched, so building patterns costs in proportion to what the documents say.
        """
        from spacy.attrs import LOWER, ORTH
        from spacy.strings import get_string_id
        from spacy.tokens import Doc

        lower_matcher, exact_matcher = self.phrase_matchers()
        vocab = self.nlp.vocab
        present: dict[bool, set[int]] = {}
        for rule_id in rule_ids:
            for kind in (MATCH, EXCEPTION, CONTEXT_ANY, CONTEXT_NONE):
                key = f"{kind}\0{rule_id}"
                for matcher, store, exact in (
                    (lower_matcher, self.compiled.phrases, False), (exact_matcher, self.compiled.exact_phrases, True)
                ):
                    waiting = self._phrases_waiting.get((key, exact))
                    if waiting is None:
                        spellings = store.get(key, ())
                        waiting = [(seq, [get_string_id(token) for token in seq]) for seq in spellings]
                        self._phrases_waiting[key, exact] = waiting
                    if not waiting:
                        continue
                    if exact not in present:
                        attr = ORTH if exact else LOWER
                        present[exact] = {h for doc in docs for h in doc.to_array(attr).tolist()}
                    tokens = present[exact]
                    ready, still = [], []
                    for entry in waiting:
                        (ready if all(h in tokens for h in entry[1]) else still).append(entry)
                    if ready:
                        matcher.add(key, [Doc(vocab, words=list(seq)) for seq, _ in ready])
                        self._phrases_waiting[key, exact] = still

    def _token_matcher(self, key: str):
        """A Matcher for one rule's token patterns of one kind, built on first use.

        The Matcher's cost grows with its number of patterns times the tokens it reads, so each
        rule's patterns run only on paragraphs holding that rule's anchor words (and exception or
        context patterns only where the rule matched), never all patterns on all text.
        """
        if key in self._token_matchers:
            return self._token_matchers[key]
        matcher = None
        patterns = self.compiled.token_patterns.get(key)
        if patterns:
            from spacy.matcher import Matcher

            rule = self.ruleset.rules[key.split("\0", 1)[1]]
            if self.compiled.rules[rule.id].needs_trained and not self.nlp.pipe_names:
                raise PipelineError(
                    f"{rule.location}: rule {rule.id!r} uses POS/LEMMA/DEP attributes, which need a trained "
                    "spaCy pipeline; configure one with --model"
                )
            matcher = Matcher(self.nlp.vocab, validate=True)
            try:
                matcher.add(key, patterns)
            except (ValueError, KeyError) as exc:
                raise PipelineError(f"{rule.location}: rule {rule.id!r} has an invalid pattern: {exc}") from exc
        self._token_matchers[key] = matcher
        return matcher

    def _run_tokens(self, key: str, doc, hits: Hits) -> None:
        if key not in self.compiled.token_patterns:
            return
        matcher = self._token_matcher(key)
        kind, rule_id = key.split("\0", 1)
        for _, start, end in matcher(doc):
            hits.setdefault(kind, {}).setdefault(rule_id, []).append((start, end))


_WHITESPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
_HYPHEN_LIKE = str.maketrans({"\u2010": "-", "\u2011": "-"})


def squeeze(text: str):
    """Text with every white-space run made one space (and Unicode hyphens plain), plus a function
    mapping an offset in it back to `text`.

    A phrase broken across lines or spaced twice is still the phrase, and spaCy then yields no
    white-space tokens inside it, so one token sequence per spelling is enough to match it.
    """
    runs = list(_WHITESPACE_RUN.finditer(text))
    if not runs:
        return text.translate(_HYPHEN_LIKE), lambda offset: offset
    pieces: list[str] = []
    starts: list[int] = []  # squeezed offset where each kept piece starts
    origins: list[int] = []  # original offset of the same place
    cursor = squeezed = 0
    for run in runs:
        pieces.append(text[cursor : run.start()])
        starts.append(squeezed)
        origins.append(cursor)
        squeezed += run.start() - cursor
        cursor = run.end()
        # A word hyphenated at a line break ("non-\nverbal") is one compound: drop the break.
        if _is_hyphen_break(text, run):
            continue
        pieces.append(" ")
        starts.append(squeezed)
        origins.append(run.start())
        squeezed += 1
    pieces.append(text[cursor:])
    starts.append(squeezed)
    origins.append(cursor)

    def to_original(offset: int) -> int:
        i = bisect_right(starts, offset) - 1
        return origins[i] + (offset - starts[i])

    return "".join(pieces).translate(_HYPHEN_LIKE), to_original


def _is_hyphen_break(text: str, run: re.Match) -> bool:
    start, end = run.start(), run.end()
    return (
        "\n" in run.group()
        and start >= 2
        and text[start - 1] in "-\u2010\u2011"
        and text[start - 2].isalpha()
        and end < len(text)
        and text[end].isalpha()
    )
