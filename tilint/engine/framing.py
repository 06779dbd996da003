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
from typing import Any

from tilint.document import Document
from tilint.engine.compiler import CompiledFraming, CompiledPhrase
from tilint.findings import Finding
from tilint.ruleset import RuleSet

WORD = re.compile(r"[^\W_]+")

#: a document needs this many people words (and this many words) before its framing is judged
MIN_PEOPLE_TERMS = 3
MIN_WORDS = 40
#: risk-only: at least this much risk language ...
MIN_RISK_TERMS = 4
#: ... and strengths language below this share of it
STRENGTH_SHARE = 0.25

PLAIN_NAMES = {
    "safety": "safety",
    "trust": "trust and transparency",
    "choice": "choice",
    "collaboration": "collaboration",
    "empowerment": "empowerment",
    "cultural": "cultural consideration",
}


def _count(words: list[str], counts: Counter, lower: str, phrases: list[CompiledPhrase]) -> int:
    total = 0
    for phrase in phrases:
        if len(phrase.words) == 1:
            total += sum(counts[form] for form in phrase.words[0])
            continue
        if not any(counts[form] for form in phrase.words[0]):
            continue
        regex = r"(?<![^\W_])" + r"[\s\-\u2010\u2011]+".join(
            "(?:" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + ")" for forms in phrase.words
        ) + r"(?![^\W_])"
        total += len(re.findall(regex, lower))
    return total


def _measure(lower: str, findings: list[Finding], framing: CompiledFraming, ruleset: RuleSet) -> dict[str, Any]:
    words = WORD.findall(lower)
    counts = Counter(words)
    risk_findings = sum(
        1 for f in findings if (rule := ruleset.rules.get(f.rule)) is not None and rule.framing == "risk"
    )
    return {
        "words": len(words),
        "risk_terms": risk_findings + _count(words, counts, lower, framing.risk),
        "strength_terms": _count(words, counts, lower, framing.strengths),
        "people_terms": _count(words, counts, lower, framing.people),
        "principles": {name: _count(words, counts, lower, cues) for name, cues in framing.principles.items()},
    }


def _judge(measures: dict[str, Any]) -> bool | None:
    """True/False for documents about people; None when the text does not describe people."""
    if measures["words"] < MIN_WORDS or measures["people_terms"] < MIN_PEOPLE_TERMS:
        return None
    risk, strengths = measures["risk_terms"], measures["strength_terms"]
    return risk >= MIN_RISK_TERMS and strengths < max(2, STRENGTH_SHARE * risk)


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


def analyse_framing(
    document: Document, lower: str, findings: list[Finding], framing: CompiledFraming, ruleset: RuleSet
) -> dict[str, Any]:
    measures = _measure(lower, findings, framing, ruleset)
    risk_only = _judge(measures)
    result: dict[str, Any] = {
        "words": measures["words"],
        "risk_terms": measures["risk_terms"],
        "strength_terms": measures["strength_terms"],
        "people_terms": measures["people_terms"],
        "describes_people": risk_only is not None,
        "risk_only": bool(risk_only),
        "principles": measures["principles"],
        "summary": summarise(measures, risk_only),
        "sections": [],
    }
    headings = sorted(document.headings, key=lambda h: h.start)
    if not headings:
        return result
    bounds = [0] + [h.start for h in headings] + [len(lower)]
    titles = [None] + [h.title for h in headings]
    for index, title in enumerate(titles):
        start, end = bounds[index], bounds[index + 1]
        if end <= start or (title is None and not WORD.search(lower, start, end)):
            continue
        section_findings = [f for f in findings if f.start is not None and start <= f.start < end]
        section = _measure(lower[start:end], section_findings, framing, ruleset)
        section_risk_only = _judge(section)
        line, _ = document.line_col(start)
        result["sections"].append(
            {
                "title": title,
                "line": line,
                "where": document.where(start),
                "words": section["words"],
                "risk_terms": section["risk_terms"],
                "strength_terms": section["strength_terms"],
                "risk_only": bool(section_risk_only),
                "principles": section["principles"],
            }
        )
    return result
