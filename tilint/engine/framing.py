"""Document-level framing: does a document see people only through risk?

Single phrases can be fair in context; what trauma-informed guidance objects to is a document that
describes the people it serves *only* through risk and deficit. This module counts risk and deficit
language (the findings plus a risk vocabulary), strengths-based language and cues for each
trauma-informed principle, per document and per section, without running spaCy: the counts are
cheap word lookups, so they cost little even on a large audit.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from tilint.document import Document
from tilint.engine.compiler import CompiledFraming
from tilint.findings import Finding
from tilint.ruleset import RuleSet

WORD = re.compile(r"[^\W_]+")

#: a document describes people when it has this many people words, at this density per 1,000 words
MIN_PEOPLE_TERMS = 3
MIN_PEOPLE_PER_1K = 8
MIN_WORDS = 40
#: risk-only: phrases that label people by risk or deficit (findings), and risk language in all ...
MIN_RISK_FINDINGS = 3
MIN_RISK_TERMS = 6
#: ... with strengths language below this share of it
STRENGTH_SHARE = 0.25

PLAIN_NAMES = {
    "safety": "safety",
    "trust": "trust and transparency",
    "choice": "choice",
    "collaboration": "collaboration",
    "empowerment": "empowerment",
    "cultural": "cultural consideration",
}


class _VocabularyCounter:
    """Counts every framing phrase in one pass over a text's words.

    Single words are looked up in a Counter; phrases of several words are checked only where
    their first word occurs. Labels are "risk", "strengths", "people" and "principle:<name>".
    """

    def __init__(self, framing: CompiledFraming) -> None:
        self.single: dict[str, list[str]] = {}
        self.multi: dict[str, list[tuple[str, tuple[frozenset[str], ...]]]] = {}
        groups = [("risk", framing.risk), ("strengths", framing.strengths), ("people", framing.people)]
        groups += [(f"principle:{name}", cues) for name, cues in framing.principles.items()]
        self.labels = [label for label, _ in groups]
        for label, phrases in groups:
            for phrase in phrases:
                if len(phrase.words) == 1:
                    for form in phrase.words[0]:
                        self.single.setdefault(form, []).append(label)
                else:
                    for form in phrase.words[0]:
                        self.multi.setdefault(form, []).append((label, phrase.words[1:]))

    def count(self, words: list[str]) -> Counter:
        counts = Counter(words)
        totals: Counter = Counter()
        for form in self.single.keys() & counts.keys():
            for label in self.single[form]:
                totals[label] += counts[form]
        if self.multi.keys() & counts.keys():
            multi = self.multi
            size = len(words)
            for i, word in enumerate(words):
                entries = multi.get(word)
                if entries is None:
                    continue
                for label, rest in entries:
                    if i + len(rest) < size and all(words[i + 1 + j] in forms for j, forms in enumerate(rest)):
                        totals[label] += 1
        return totals


def _counter(framing: CompiledFraming) -> _VocabularyCounter:
    counter = framing.__dict__.get("_counter")
    if counter is None:
        counter = framing.__dict__["_counter"] = _VocabularyCounter(framing)
    return counter


@dataclass
class SectionCounts:
    """The framing vocabulary of one section: from `start` (its heading, or the document's start)
    to the next section."""

    start: int
    title: str | None
    words: int
    totals: Counter


def count_sections(document: Document, lower: str, framing: CompiledFraming) -> tuple[list[SectionCounts], set[str]]:
    """Vocabulary counts per section, and every word of the document, in one pass over the text.

    These need no findings, so they are counted with the candidate paragraphs, before matching;
    `analyse_framing` adds the findings later. A document with headings is counted section by
    section (the text before the first heading is a section without a title).
    """
    headings = sorted(document.headings, key=lambda h: h.start)
    bounds = [0] + [h.start for h in headings] + [len(lower)]
    titles: list[str | None] = [None] + [h.title for h in headings]
    counter = _counter(framing)
    sections: list[SectionCounts] = []
    vocabulary: set[str] = set()
    for index, title in enumerate(titles):
        start, end = bounds[index], bounds[index + 1]
        if end <= start and headings:
            continue
        words = WORD.findall(lower, start, end)
        vocabulary.update(words)
        sections.append(SectionCounts(start, title, len(words), counter.count(words)))
    return sections, vocabulary


def _measure(
    section: SectionCounts, findings: list[Finding], framing: CompiledFraming, ruleset: RuleSet
) -> dict[str, Any]:
    totals = section.totals
    risk_findings = sum(
        1 for f in findings if (rule := ruleset.rules.get(f.rule)) is not None and rule.framing == "risk"
    )
    return {
        "words": section.words,
        "risk_findings": risk_findings,
        "risk_terms": risk_findings + totals["risk"],
        "strength_terms": totals["strengths"],
        "people_terms": totals["people"],
        "principles": {name: totals[f"principle:{name}"] for name in framing.principles},
    }


def _judge(measures: dict[str, Any]) -> bool | None:
    """True/False for documents about people; None when the text does not describe people."""
    words, people = measures["words"], measures["people_terms"]
    if words < MIN_WORDS or people < MIN_PEOPLE_TERMS or people * 1000 < MIN_PEOPLE_PER_1K * words:
        return None
    risk, strengths = measures["risk_terms"], measures["strength_terms"]
    return (
        measures["risk_findings"] >= MIN_RISK_FINDINGS
        and risk >= MIN_RISK_TERMS
        and strengths < max(2, STRENGTH_SHARE * risk)
    )


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def summarise(measures: dict[str, Any], risk_only: bool | None) -> str:
    """One or two plain sentences a commissioner can act on."""
    missing = [PLAIN_NAMES.get(n, n.replace("-", " ")) for n, c in measures["principles"].items() if not c]
    if risk_only is None:
        return "Does not describe the people it serves, so its framing was not assessed."
    if risk_only:
        first = (
            "Describes people only through risk."
            if measures["strength_terms"] == 0
            else "Describes people mainly through risk and deficit, with little strengths-based language."
        )
    elif measures["risk_terms"] == 0:
        first = "Describes people without risk or deficit labels."
    else:
        first = "Balances risk with strengths-based language."
    if measures["strength_terms"] == 0:
        missing.append("strengths")
    if missing:
        return f"{first} No mention of {_join(missing)}."
    return f"{first} Mentions every trauma-informed principle."


def _add(total: dict[str, Any], part: dict[str, Any]) -> None:
    for key in ("words", "risk_findings", "risk_terms", "strength_terms", "people_terms"):
        total[key] += part[key]
    for name, count in part["principles"].items():
        total["principles"][name] += count


def analyse_framing(
    document: Document,
    sections: list[SectionCounts],
    findings: list[Finding],
    framing: CompiledFraming,
    ruleset: RuleSet,
) -> dict[str, Any]:
    """Counts for the whole document and, where it has headings, for each section.

    A document with headings is measured section by section and the totals are their sums, so
    each word is counted once.
    """
    reported: list[dict[str, Any]] = []
    if document.headings:
        measures: dict[str, Any] = {
            "words": 0, "risk_findings": 0, "risk_terms": 0, "strength_terms": 0, "people_terms": 0,
            "principles": dict.fromkeys(framing.principles, 0),
        }
        ends = [section.start for section in sections[1:]] + [len(document.text)]
        for section, end in zip(sections, ends, strict=True):
            section_findings = [f for f in findings if f.start is not None and section.start <= f.start < end]
            measured = _measure(section, section_findings, framing, ruleset)
            _add(measures, measured)
            if section.title is None and not measured["words"]:
                continue
            line, _ = document.line_col(section.start)
            reported.append(
                {
                    "title": section.title,
                    "line": line,
                    "where": document.where(section.start),
                    "words": measured["words"],
                    "risk_terms": measured["risk_terms"],
                    "strength_terms": measured["strength_terms"],
                    "risk_only": bool(_judge(measured)),
                    "principles": measured["principles"],
                }
            )
        measures["risk_terms"] += sum(1 for f in findings if f.start is None)
    else:
        measures = _measure(sections[0], findings, framing, ruleset)
    risk_only = _judge(measures)
    return {
        "words": measures["words"],
        "risk_terms": measures["risk_terms"],
        "strength_terms": measures["strength_terms"],
        "people_terms": measures["people_terms"],
        "describes_people": risk_only is not None,
        "risk_only": bool(risk_only),
        "principles": measures["principles"],
        "summary": summarise(measures, risk_only),
        "sections": reported,
    }
