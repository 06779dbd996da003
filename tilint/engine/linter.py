"""Check one document: prefilter -> spaCy on the candidate windows only -> checks -> findings -> framing.

The Linter only orchestrates. Each stage lives in its own module with one job:
tilint.engine.prefilter (spaCy-free: which paragraphs could hold a finding, for which rules),
tilint.engine.matching (spaCy: the phrase and token matchers), tilint.engine.checks (which raw
matches stand: exceptions, quoted mentions, context, overlaps) and tilint.engine.framing (the
document-level summary). `prepare` never imports spaCy, so a parallel run can prepare files in
its workers while one process loads spaCy for the few paragraphs that need it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from tilint.document import Document
from tilint.engine.cache import load_compiled
from tilint.engine.checks import Checks
from tilint.engine.compiler import CompiledRules
from tilint.engine.fingerprints import add_fingerprints
from tilint.engine.framing import SectionCounts, analyse_framing, count_sections
from tilint.engine.matching import PipelineError, SpacyMatcher
from tilint.engine.mentions import mentions_of
from tilint.engine.prefilter import STAGES, Prefilter, Window, lower_same_length
from tilint.findings import FileResult, Finding
from tilint.ruleset import Rule, RuleSet

__all__ = ["Linter", "Match", "PipelineError", "Prepared", "select_rules"]

#: an apostrophe or hyphen inside a word ("don't", "hard-to-reach"): the word pieces it joins
#: count as one word
_WORD_JOIN = re.compile(r"(?<=[^\W_])['\u2019\-](?=[^\W_])")


class Match(NamedTuple):
    """One rule's match: character offsets into the document's text."""

    rule: str
    start: int
    end: int


@dataclass
class Prepared:
    """A document ready for matching: its text and the paragraphs worth giving to spaCy."""

    document: Document
    text: str
    words: int
    windows: list[Window]
    sections: list[SectionCounts]


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
    """Checks documents against a rule set. Build one per run; it loads spaCy only when needed.

    `prefilter_stages` exists for the tests that show each prefilter stage never loses a finding.
    """

    def __init__(
        self,
        ruleset: RuleSet,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        model: str | None = None,
        severities: dict[str, str] | None = None,
        use_cache: bool = True,
        nlp: Any = None,
        prefilter_stages: tuple[str, ...] = STAGES,
    ) -> None:
        self.ruleset = ruleset
        self.active = select_rules(ruleset, select, ignore)
        self.severities = dict(severities or {})
        self.model = model
        self.compiled: CompiledRules = load_compiled(ruleset, use_cache=use_cache)
        self.prefilter = Prefilter(self.compiled, self.active, prefilter_stages)
        self.matcher = SpacyMatcher(ruleset, self.compiled, model=model, nlp=nlp)
        self.mentions = mentions_of(ruleset, self.compiled.mentions)
        self.checks = Checks(ruleset, self.compiled, self.severities, self.mentions)

    @property
    def anchors(self) -> dict[str, set[str]]:
        """Lowercase anchor word -> the active rules anchored on it."""
        return self.prefilter.anchors

    @property
    def nlp(self):
        return self.matcher.nlp

    def load_spacy(self) -> None:
        """Load spaCy and the pipeline now rather than at the first candidate paragraph (a caller
        that knows matching is coming can overlap the load with other work)."""
        self.matcher.phrase_matchers()

    # -- checking ---------------------------------------------------------------------------------
    def check(self, document: Document) -> FileResult:
        prepared = self.prepare(document)
        return self.finish(prepared, self.match(prepared))

    def prepare(self, document: Document) -> Prepared:
        """Everything before spaCy: the text to check and the paragraphs that could hold a finding."""
        text = document.analysable_text()
        lower = lower_same_length(text)
        sections, vocabulary = count_sections(document, lower, self.compiled.framing)
        # Words as people count them: "hard-to-reach" and "don't" are one word each.
        words = sum(section.words for section in sections) - len(_WORD_JOIN.findall(lower))
        windows = self.prefilter.windows(text, lower, vocabulary, by_line=document.paragraphs == "line")
        return Prepared(document, text, words, windows, sections)

    def match(self, prepared: Prepared) -> list[Match]:
        """The rules' matches that stand in the prepared windows; spaCy runs here, and only when
        there are any."""
        if not prepared.windows:
            return []
        matches: list[Match] = []
        for matched in self.matcher.match(prepared.text, prepared.windows):
            for rule_id, start, end in self.checks.standing(matched, prepared.text):
                matches.append(Match(rule_id, *matched.char_span(start, end)))
        return matches

    def finish(self, prepared: Prepared, matches: list[Match]) -> FileResult:
        """Findings from the matches, and the document-level framing (spaCy-free)."""
        document = prepared.document
        findings = sorted((self._finding(document, *match) for match in matches), key=Finding.sort_key)
        framing = analyse_framing(document, prepared.sections, findings, self.compiled.framing, self.ruleset)
        framing["words"] = prepared.words
        result = FileResult(
            path=document.path, format=document.format, words=prepared.words, document=framing, findings=findings
        )
        doc_rule = self.ruleset.framing.document_rule
        if framing.get("risk_only") and doc_rule is not None and doc_rule.id in self.active:
            result.findings.insert(0, self._document_finding(doc_rule, framing))
        add_fingerprints(document, result.findings)
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
