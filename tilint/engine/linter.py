"""Check one document: candidates -> spaCy on those paragraphs only -> findings -> framing.

Most prose holds no candidate phrase at all, so the linter first looks for the rules' anchor words
with one regular-expression pass over the lowercased text, and runs spaCy only on the paragraphs
around them. A document with no candidate never imports spaCy. That single decision is what makes
tilint faster than tokenising the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from tilint.document import Document
from tilint.engine.cache import load_compiled
from tilint.engine.compiler import CompiledRules
from tilint.engine.framing import analyse_framing
from tilint.engine.variants import QUOTES_CLOSE, QUOTES_OPEN
from tilint.findings import SEVERITY_RANK, FileResult, Finding
from tilint.ruleset import Rule, RuleSet

WORD = re.compile(r"[^\W_]+")
COUNTED_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
#: a paragraph longer than this is cut to the lines around a candidate
MAX_WINDOW = 3000
WINDOW_MARGIN = 600


class PipelineError(Exception):
    """The configured spaCy pipeline cannot be loaded or cannot serve the rules."""


def _lower_same_length(text: str) -> str:
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    # A few characters (such as "İ") lowercase to two; keep offsets true by leaving them alone.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


@dataclass
class _Window:
    start: int
    end: int


def select_rules(ruleset: RuleSet, select: list[str] | None = None, ignore: list[str] | None = None) -> set[str]:
    """Ids of the rules switched on by --select/--ignore (each a rule id or a category)."""
    chosen = set()
    for rule in ruleset.all_rules():
        keys = {rule.id, rule.category}
        if select and not keys & set(select):
            continue
        if ignore and keys & set(ignore):
            continue
        chosen.add(rule.id)
    return chosen


class Linter:
    """Checks documents against a rule set. Build one per run; it loads spaCy only when needed."""

    def __init__(
        self,
        ruleset: RuleSet,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        model: str | None = None,
        severities: dict[str, str] | None = None,
        use_cache: bool = True,
        nlp: Any = None,
    ) -> None:
        self.ruleset = ruleset
        self.active = select_rules(ruleset, select, ignore)
        self.severities = dict(severities or {})
        self.model = model
        self.compiled: CompiledRules = load_compiled(ruleset, use_cache=use_cache)
        self.anchors = {
            word: ids & self.active for word, ids in self.compiled.anchors.items() if ids & self.active
        }
        self._nlp = nlp
        self._matchers: tuple[Any, Any, Any] | None = None
        self._order = {rule_id: i for i, rule_id in enumerate(ruleset.rules)}

    # -- spaCy, loaded lazily ----------------------------------------------------------------------
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

    def _build_matchers(self):
        if self._matchers is not None:
            return self._matchers
        from spacy.matcher import Matcher

        nlp = self.nlp
        trained = bool(nlp.pipe_names)
        vocab = nlp.vocab
        rules_matcher = Matcher(vocab, validate=True)
        exceptions = Matcher(vocab, validate=True)
        contexts = Matcher(vocab, validate=True)
        for rule_id in self.active:
            compiled = self.compiled.rules.get(rule_id)
            if compiled is None:
                continue
            rule = self.ruleset.rules[rule_id]
            if compiled.needs_trained and not trained:
                raise PipelineError(
                    f"{rule.location}: rule {rule_id!r} uses POS/LEMMA/DEP attributes, which need a trained "
                    "spaCy pipeline; configure one with --model"
                )
            try:
                rules_matcher.add(rule_id, compiled.patterns)
                if compiled.exceptions:
                    exceptions.add(rule_id, compiled.exceptions)
                if compiled.context_any:
                    contexts.add(f"{rule_id}\0any", compiled.context_any)
                if compiled.context_none:
                    contexts.add(f"{rule_id}\0none", compiled.context_none)
            except (ValueError, KeyError) as exc:
                raise PipelineError(f"{rule.location}: rule {rule_id!r} has an invalid pattern: {exc}") from exc
        self._matchers = (rules_matcher, exceptions, contexts)
        return self._matchers

    # -- checking ---------------------------------------------------------------------------------
    def check(self, document: Document) -> FileResult:
        text = document.analysable_text()
        lower = _lower_same_length(text)
        words = len(COUNTED_WORD.findall(lower))
        findings = self._find(document, text, lower)
        framing = analyse_framing(document, lower, findings, self.compiled.framing, self.ruleset)
        framing["words"] = words
        result = FileResult(
            path=document.path, format=document.format, words=words, document=framing, findings=findings
        )
        doc_rule = self.ruleset.framing.document_rule
        if framing.get("risk_only") and doc_rule is not None and doc_rule.id in self.active:
            result.findings.insert(0, self._document_finding(doc_rule, framing))
        return result

    def _document_finding(self, rule: Rule, framing: dict[str, Any]) -> Finding:
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=self.severities.get(rule.id, rule.severity),
            message=framing.get("summary") or rule.message,
            text="",
            suggestions=list(rule.alternatives),
        )

    def candidate_windows(self, text: str, lower: str) -> list[_Window]:
        """Paragraphs (capped in length) that contain at least one anchor word."""
        present = set(WORD.findall(lower)) & self.anchors.keys()
        if not present:
            return []
        finder = re.compile(
            r"(?<![^\W_])(?:" + "|".join(sorted(map(re.escape, present), key=len, reverse=True)) + r")(?![^\W_])"
        )
        breaks: list[int] | None = None
        windows: list[_Window] = []
        for match in finder.finditer(lower):
            offset = match.start()
            if windows and windows[-1].start <= offset < windows[-1].end:
                continue
            if breaks is None:
                breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
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
            if windows and start < windows[-1].end:
                windows[-1].end = max(windows[-1].end, end)
            else:
                windows.append(_Window(start, end))
        return windows

    def _find(self, document: Document, text: str, lower: str) -> list[Finding]:
        windows = self.candidate_windows(text, lower)
        if not windows:
            return []
        rules_matcher, exceptions, contexts = self._build_matchers()
        strings = self.nlp.vocab.strings
        findings: list[Finding] = []
        texts = (text[w.start : w.end] for w in windows)
        for window, doc in zip(windows, self.nlp.pipe(texts), strict=True):
            spans = self._spans_in(doc, rules_matcher, exceptions, contexts, strings)
            for rule_id, start, end in spans:
                char_start = window.start + doc[start].idx
                char_end = window.start + doc[end - 1].idx + len(doc[end - 1].text)
                findings.append(self._finding(document, rule_id, char_start, char_end))
        findings.sort(key=Finding.sort_key)
        return findings

    def _spans_in(self, doc, rules_matcher, exceptions, contexts, strings) -> list[tuple[str, int, int]]:
        matches = rules_matcher(doc)
        if not matches:
            return []
        cancelled: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in exceptions(doc):
            cancelled.setdefault(strings[key], []).append((start, end))
        context_hits: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in contexts(doc):
            context_hits.setdefault(strings[key], []).append((start, end))
        candidates: list[tuple[str, int, int]] = []
        for key, start, end in matches:
            rule_id = strings[key]
            compiled = self.compiled.rules[rule_id]
            if any(s < end and start < e for s, e in cancelled.get(rule_id, ())):
                continue
            if compiled.quoted == "skip" and _is_quoted(doc, start, end):
                continue
            if compiled.context_any and not _near(context_hits.get(f"{rule_id}\0any"), start, end, compiled.window):
                continue
            if compiled.context_none and _near(context_hits.get(f"{rule_id}\0none"), start, end, compiled.window):
                continue
            candidates.append((rule_id, start, end))
        return self._most_specific(candidates)

    def _most_specific(self, candidates: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
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

    def _finding(self, document: Document, rule_id: str, start: int, end: int) -> Finding:
        rule = self.ruleset.rules[rule_id]
        line, column = document.line_col(start)
        end_line, end_column = document.line_col(end)
        text_line, text_column = document.text_line_col(start)
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=self.severities.get(rule.id, rule.severity),
            message=rule.message,
            text=document.text[start:end],
            suggestions=list(rule.alternatives),
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            where=document.where(start),
            context=document.line_text(text_line),
            context_column=text_column,
            fix=rule.fix,
        )


def _is_quoted(doc, start: int, end: int) -> bool:
    """A term wrapped in quotation marks is being mentioned ("formerly called 'looked after'")."""
    if start == 0 or end >= len(doc):
        return False
    return doc[start - 1].text in QUOTES_OPEN and doc[end].text in QUOTES_CLOSE


def _near(hits: list[tuple[int, int]] | None, start: int, end: int, window: int) -> bool:
    if not hits:
        return False
    return any(s < end + window and e > start - window for s, e in hits)
