"""Compile rules into spaCy Matcher patterns and a fast candidate index.

Compilation is pure data in, data out (lists of token dicts, sets of words), so its result can be
pickled and cached by the rule files' hash: the expensive parts (spaCy's tokenizer for the phrases,
lemminflect for inflections) then run once per rule-set change, not once per `tilint check`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tilint.engine.variants import DEFAULT_INFLECT, HYPHENS, word_forms
from tilint.ruleset import Rule, RuleSet

WORD = re.compile(r"[^\W_]+")
#: words too common to be a useful anchor for finding candidate paragraphs
_STOP = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the their them they this to "
    "was were with who whose which not no".split()
)
DEFAULT_WINDOW = 12
_GAP = {"IS_SPACE": True, "OP": "*"}
_OPTIONAL_HYPHEN = {"ORTH": {"IN": HYPHENS}, "OP": "?"}
#: token attributes that a blank pipeline cannot provide
TRAINED_ATTRS = frozenset({"POS", "TAG", "DEP", "LEMMA", "ENT_TYPE", "MORPH"})


@dataclass
class CompiledRule:
    id: str
    patterns: list[list[dict[str, Any]]]
    exceptions: list[list[dict[str, Any]]] = field(default_factory=list)
    context_any: list[list[dict[str, Any]]] = field(default_factory=list)
    context_none: list[list[dict[str, Any]]] = field(default_factory=list)
    window: int = DEFAULT_WINDOW
    quoted: str = "skip"
    needs_trained: bool = False


@dataclass
class CompiledPhrase:
    """A framing phrase for counting without spaCy: one set of word forms per word."""

    words: tuple[frozenset[str], ...]


@dataclass
class CompiledFraming:
    strengths: list[CompiledPhrase]
    risk: list[CompiledPhrase]
    people: list[CompiledPhrase]
    principles: dict[str, list[CompiledPhrase]]


@dataclass
class CompiledRules:
    rules: dict[str, CompiledRule]
    #: lowercase word -> ids of rules with a pattern anchored on it
    anchors: dict[str, set[str]]
    framing: CompiledFraming


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def _inflect_setting(value: Any) -> bool | tuple[str, ...]:
    if value is None:
        return DEFAULT_INFLECT
    if isinstance(value, bool):
        return value
    return tuple(value)


def phrase_patterns(
    phrase: str, inflect: bool | tuple[str, ...] = DEFAULT_INFLECT, case_sensitive: bool = False
) -> tuple[list[list[dict[str, Any]]], set[str]]:
    """Matcher patterns for a phrase and the lowercase words that anchor it.

    Words may be separated by spaces, line breaks or hyphens in the text; a hyphenated phrase also
    matches its closed-up form ("noncompliant").
    """
    tokens = [t.text for t in _tokenizer()(phrase) if not t.is_space]
    attr = "ORTH" if case_sensitive else "LOWER"
    pattern: list[dict[str, Any]] = []
    words: list[tuple[str, set[str]]] = []
    for token in tokens:
        if token in HYPHENS:
            continue  # hyphens between words are optional; added below between every pair of words
        if WORD.search(token):
            forms = word_forms(token, inflect, case_sensitive)
            words.append((token, forms))
            if pattern:
                pattern.extend([_GAP, _OPTIONAL_HYPHEN, _GAP])
            pattern.append({attr: {"IN": sorted(forms)}})
        else:  # other punctuation in a phrase ("high risk, high harm") is optional in the text
            pattern.append({"ORTH": token, "OP": "?"})
    patterns = [pattern]
    anchors = _anchor_forms(words)
    closed = re.sub(r"(?<=\w)[-\u2010\u2011](?=\w)", "", phrase)
    if closed != phrase:
        more, more_anchors = phrase_patterns(closed, inflect, case_sensitive)
        patterns.extend(more)
        anchors |= more_anchors
    return patterns, anchors


def _anchor_forms(words: list[tuple[str, set[str]]]) -> set[str]:
    """The lowercase forms of the phrase's most distinctive word: its longest non-stopword."""
    if not words:
        return set()
    content = [w for w in words if w[0].lower() not in _STOP] or words
    _, forms = max(content, key=lambda w: len(w[0]))
    return {part for form in forms for part in WORD.findall(form.lower())[:1]}


def _token_anchor(tokens: list[dict[str, Any]]) -> set[str]:
    for token in tokens:
        if token.get("OP") not in (None, "1", "+"):
            continue
        for attr in ("LOWER", "ORTH", "TEXT", "NORM"):
            value = token.get(attr)
            values = [value] if isinstance(value, str) else (value or {}).get("IN") if isinstance(value, dict) else None
            if values and all(WORD.fullmatch(v) for v in values):
                return {v.lower() for v in values}
    return set()


def _entry_patterns(entry: Any, inflect: Any = None) -> tuple[list[list[dict[str, Any]]], set[str]]:
    """Patterns for an exception or context entry: a phrase string or {tokens: [...]}."""
    if isinstance(entry, str):
        return phrase_patterns(entry, _inflect_setting(inflect))
    return [entry["tokens"]], _token_anchor(entry["tokens"])


def _uses_trained(patterns: list[list[dict[str, Any]]]) -> bool:
    return any(attr in TRAINED_ATTRS for pattern in patterns for token in pattern for attr in token)


def compile_rule(rule: Rule) -> tuple[CompiledRule, set[str]]:
    patterns: list[list[dict[str, Any]]] = []
    anchors: set[str] = set()
    for entry in rule.patterns:
        if "terms" in entry:
            for term in entry["terms"]:
                found, anchor = phrase_patterns(
                    term, _inflect_setting(entry.get("inflect")), bool(entry.get("case_sensitive"))
                )
                patterns.extend(found)
                anchors |= anchor
        else:
            patterns.append(entry["tokens"])
            anchors |= _token_anchor(entry["tokens"])
    compiled = CompiledRule(id=rule.id, patterns=patterns, quoted=rule.quoted)
    for exception in rule.exceptions:
        compiled.exceptions.extend(_entry_patterns(exception)[0])
    if rule.context:
        compiled.window = rule.context.get("window", DEFAULT_WINDOW)
        for phrase in rule.context.get("any", []):
            compiled.context_any.extend(_entry_patterns(phrase)[0])
        for phrase in rule.context.get("none", []):
            compiled.context_none.extend(_entry_patterns(phrase)[0])
    compiled.needs_trained = _uses_trained(
        patterns + compiled.exceptions + compiled.context_any + compiled.context_none
    )
    return compiled, anchors


def compile_phrase_for_counting(phrase: str) -> list[CompiledPhrase]:
    words = WORD.findall(phrase.lower())
    out = [CompiledPhrase(tuple(frozenset(word_forms(w)) for w in words))]
    if "-" in phrase:
        closed = WORD.findall(re.sub(r"(?<=\w)-(?=\w)", "", phrase.lower()))
        out.append(CompiledPhrase(tuple(frozenset(word_forms(w)) for w in closed)))
    return out


def _counting(phrases: list[str]) -> list[CompiledPhrase]:
    return [c for phrase in phrases for c in compile_phrase_for_counting(phrase)]


def compile_ruleset(ruleset: RuleSet) -> CompiledRules:
    rules: dict[str, CompiledRule] = {}
    anchors: dict[str, set[str]] = {}
    for rule in ruleset:
        compiled, rule_anchors = compile_rule(rule)
        rules[rule.id] = compiled
        for word in rule_anchors:
            anchors.setdefault(word, set()).add(rule.id)
    framing = ruleset.framing
    compiled_framing = CompiledFraming(
        strengths=_counting(framing.strengths),
        risk=_counting(framing.risk),
        people=_counting(framing.people),
        principles={name: _counting(cues) for name, cues in framing.principles.items()},
    )
    return CompiledRules(rules=rules, anchors=anchors, framing=compiled_framing)
