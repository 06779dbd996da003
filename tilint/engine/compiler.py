"""Compile rules into spaCy matcher patterns and a fast candidate index.

Phrases (`terms`, and phrase exceptions and context) become token sequences for spaCy's
PhraseMatcher, one per spelling: every inflection, UK/US spelling, and hyphen, space or closed-up
form. Measured here, that is two orders of magnitude faster than the equivalent token-pattern
Matcher with `IN` sets and optional tokens (spaCy evaluates those as Python predicates on every
token). Hand-written token patterns still go to the Matcher.

Compilation is pure data in, data out (lists of token texts and token dicts), so its result is
pickled and cached by the rule files' hash: spaCy's tokenizer and lemminflect then run once per
rule-set change, not once per `tilint check`.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tilint.engine.mentions import mentions_of
from tilint.engine.variants import DEFAULT_INFLECT, word_forms
from tilint.ruleset import Rule, RuleSet, expand_phrase, expand_token_lists, required_literals

WORD = re.compile(r"[^\W_]+")
#: words too common to be a useful anchor for finding candidate paragraphs
_STOP = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the their them they this to "
    "was were with who whose which not no".split()
)
DEFAULT_WINDOW = 12
#: token attributes that a blank pipeline cannot provide
TRAINED_ATTRS = frozenset({"POS", "TAG", "DEP", "LEMMA", "ENT_TYPE", "MORPH"})
#: a token pattern whose IN lists multiply out to at most this many plain patterns is expanded
MAX_EXPANSION = 64

#: match keys are "<kind>\0<rule id>"
MATCH, EXCEPTION, CONTEXT_ANY, CONTEXT_NONE = "m", "x", "a", "n"


@dataclass
class CompiledRule:
    id: str
    window: int = DEFAULT_WINDOW
    quoted: str = "skip"
    has_context_any: bool = False
    has_context_none: bool = False
    needs_trained: bool = False
    #: word sets a paragraph must hold for the rule to possibly match: one tuple per spelling
    #: variant, one frozenset of lowercase forms per word. Checked before spaCy runs.
    requires: list[tuple[frozenset[str], ...]] = field(default_factory=list)
    #: the same for the rule's `context: any` phrases (one of them must be possible), if any
    context_requires: list[tuple[frozenset[str], ...]] | None = None
    #: a regular expression that finds every place where one of the rule's phrases could match
    #: in lowercased text (and more); None when the rule also matches token patterns
    phrase_pattern: str | None = None


@dataclass(frozen=True)
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
    #: match key -> token sequences (lowercase) for the case-insensitive PhraseMatcher
    phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    #: match key -> token sequences for the case-sensitive (ORTH) PhraseMatcher
    exact_phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    #: match key -> token patterns for the Matcher
    token_patterns: dict[str, list[list[dict[str, Any]]]] = field(default_factory=dict)
    #: lowercase word -> ids of rules with a pattern anchored on it
    anchors: dict[str, set[str]] = field(default_factory=dict)
    framing: CompiledFraming | None = None
    #: the mention cues' patterns (tilint.engine.mentions.pattern_sources), spelled out here
    #: because their inflections need lemminflect
    mentions: tuple[str, str, str] | None = None


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


_HYPHEN_TOKENS = ("-", "\u2010", "\u2011")


def _phrase_parts(phrase: str) -> list[tuple[str, str]]:
    """The phrase as tokens and the joins between them.

    Parts are ("word", text), ("punct", text), or a join: ("space", " ") between words written
    apart, ("hyphen", "-") for a hyphen, ("join", "") for tokens written together ("children's").
    """
    parts: list[tuple[str, str]] = []
    pending_hyphen = False
    previous = None
    for token in _tokenizer()(phrase):
        if token.is_space:
            continue
        if token.text in _HYPHEN_TOKENS:
            pending_hyphen = True
            previous = token
            continue
        if parts:
            if pending_hyphen:
                parts.append(("hyphen", "-"))
            elif previous is not None and previous.whitespace_:
                parts.append(("space", " "))
            else:
                parts.append(("join", ""))
        parts.append(("word" if WORD.search(token.text) else "punct", token.text))
        pending_hyphen = False
        previous = token
    return parts


#: a phrase that would spell out more variants than this is matched less loosely (see _choices)
MAX_VARIANTS = 256


def _choices(
    parts: list[tuple[str, str]], inflect: bool | tuple[str, ...], case_sensitive: bool, level: int, last_word: int
) -> list[list[str]]:
    """The alternatives for each part of a phrase.

    Long phrases multiply out fast ("Code of Practice for Victims of Crime" would have 32,768
    spellings), so each level gives up one freedom: 1, inflections only on the last word (the head
    of most English noun phrases); 2, no hyphens between words written apart; 3, no inflections.
    """
    choices: list[list[str]] = []
    for index, (kind, text) in enumerate(parts):
        if kind == "word":
            inflected = inflect if level == 0 or (level < 3 and index == last_word) else False
            choices.append(sorted(word_forms(text, inflected, case_sensitive)))
        elif kind == "space":
            between_words = parts[index - 1][0] == "word" and parts[index + 1][0] == "word"
            choices.append([" ", "-"] if between_words and level < 2 else [" "])
        elif kind == "hyphen":
            choices.append(["-", " ", ""])
        elif kind == "join":
            choices.append([""])
        else:  # punctuation in a phrase is optional in the text
            choices.append([text, ""])
    return choices


def phrase_variants(
    phrase: str, inflect: bool | tuple[str, ...] = DEFAULT_INFLECT, case_sensitive: bool = False
) -> tuple[list[tuple[str, ...]], set[str]]:
    """Every token sequence a phrase can appear as, and the lowercase words that anchor it.

    Words may be joined by a space or a hyphen in the text ("hard to reach", "hard-to-reach"); a
    phrase written with a hyphen also matches its closed-up form ("noncompliant"); punctuation in a
    phrase ("high risk, high harm") is optional.
    """
    parts = _phrase_parts(phrase)
    words = [(text, word_forms(text, inflect, case_sensitive)) for kind, text in parts if kind == "word"]
    last_word = max((i for i, (kind, _) in enumerate(parts) if kind == "word"), default=-1)
    for level in range(4):
        choices = _choices(parts, inflect, case_sensitive, level, last_word)
        if math.prod(len(c) for c in choices) <= MAX_VARIANTS:
            break
    tokenizer = _tokenizer()
    sequences: set[tuple[str, ...]] = set()
    strings = {"".join(combo) for combo in itertools.product(*choices)}
    for doc in tokenizer.pipe(sorted(strings)):
        tokens = tuple(t.text if case_sensitive else t.text.lower() for t in doc if not t.is_space)
        if tokens:
            sequences.add(tokens)
    return sorted(sequences), _anchor_forms(words)


def _anchor_forms(words: list[tuple[str, set[str]]]) -> set[str]:
    """The lowercase forms of the phrase's most distinctive word: its longest non-stopword.

    A closed-up form of a hyphenated phrase ("noncompliant") is a different word, so every form's
    own words are anchors too.
    """
    if not words:
        return set()
    content = [w for w in words if w[0].lower() not in _STOP] or words
    _, forms = max(content, key=lambda w: len(w[0]))
    return {part for form in forms for part in WORD.findall(form.lower())}


def phrase_requirements(
    phrase: str, inflect: bool | tuple[str, ...] = DEFAULT_INFLECT, case_sensitive: bool = False
) -> list[tuple[frozenset[str], ...]]:
    """For the phrase and its closed-up form: the forms each of its words may take, lowercased and
    split into plain words the way the candidate scan splits text."""
    variants = [phrase]
    closed = re.sub(r"(?<=\w)[-\u2010\u2011](?=\w)", "", phrase)
    if closed != phrase:
        variants.append(closed)
    out = []
    for variant in variants:
        required = []
        for kind, text in _phrase_parts(variant):
            if kind != "word":
                continue
            forms = word_forms(text, inflect, case_sensitive)
            for position in range(len(WORD.findall(text.lower()))):
                required.append(frozenset(
                    parts[position] for form in forms
                    if len(parts := WORD.findall(form.lower())) > position
                ))
        out.append(tuple(required))
    return out


def _closed_anchor(phrase: str, inflect: bool | tuple[str, ...], case_sensitive: bool) -> set[str]:
    closed = re.sub(r"(?<=\w)[-\u2010\u2011](?=\w)", "", phrase)
    if closed == phrase:
        return set()
    words = [(w, word_forms(w, inflect, case_sensitive)) for w in WORD.findall(closed)]
    return _anchor_forms(words)


def _token_anchor(tokens: list[dict[str, Any]]) -> set[str]:
    """The values of the most distinctive required literal token (longest shortest value,
    stopwords last)."""
    best: set[str] = set()
    best_score = (-1, -1)
    for values in required_literals(tokens):
        score = (0 if values & _STOP else 1, min(len(v) for v in values))
        if score > best_score:
            best, best_score = set(values), score
    return best


def expand_token_pattern(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Replace `IN` lists by one plain pattern per value when that stays small.

    spaCy compiles plain attribute values into fast checks but runs `IN` as a Python predicate
    on every token, so expansion is much faster for the few-valued lists rules usually have.
    """
    options: list[list[dict[str, Any]]] = []
    total = 1
    for token in pattern:
        expandable = [
            attr for attr, value in token.items()
            if attr in ("LOWER", "ORTH", "TEXT", "NORM") and isinstance(value, dict) and set(value) == {"IN"}
        ]
        # Only a token that stands for exactly one text token can be split into alternatives: a
        # repeated ("+", "*") token may take different values each time, and "!" negates the set.
        if len(expandable) != 1 or token.get("OP") not in (None, "1", "?"):
            options.append([token])
            continue
        attr = expandable[0]
        values = token[attr]["IN"]
        options.append([{**token, attr: value} for value in values] or [token])
        total *= max(1, len(values))
        if total > MAX_EXPANSION:
            return [pattern]
    return [list(combo) for combo in itertools.product(*options)]


def _uses_trained(patterns: list[list[dict[str, Any]]]) -> bool:
    return any(attr in TRAINED_ATTRS for pattern in patterns for token in pattern for attr in token)


def _noun_forms(word: str) -> set[str]:
    return word_forms(word, ("noun",))


class _Builder:
    def __init__(self, lists: dict[str, list[str]] | None = None) -> None:
        self.compiled = CompiledRules(rules={})
        self.lists = lists or {}

    def phrases(self, phrase: str) -> list[str]:
        """The phrase with its named lists spelled out."""
        return expand_phrase(phrase, self.lists)

    def token_patterns(self, tokens: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        return expand_token_lists(tokens, self.lists, _noun_forms)

    def add_phrase(self, key: str, phrase: str, inflect: Any = None, case_sensitive: bool = False):
        """Add a phrase's variants; return its anchor words and its word requirements."""
        setting = _inflect_setting(inflect)
        sequences, anchors = phrase_variants(phrase, setting, case_sensitive)
        target = self.compiled.exact_phrases if case_sensitive else self.compiled.phrases
        target.setdefault(key, []).extend(sequences)
        anchors |= _closed_anchor(phrase, setting, case_sensitive)
        return anchors, phrase_requirements(phrase, setting, case_sensitive)

    def add_tokens(self, key: str, pattern: list[dict[str, Any]]):
        self.compiled.token_patterns.setdefault(key, []).extend(expand_token_pattern(pattern))
        return _token_anchor(pattern), [required_literals(pattern)]

    def add_entry(self, key: str, entry: Any):
        """Add an exception or context entry (a phrase or a token pattern, lists spelled out);
        return its anchor words and its word requirements."""
        anchors: set[str] = set()
        requires: list[tuple[frozenset[str], ...]] = []
        if isinstance(entry, str):
            pieces = [self.add_phrase(key, phrase) for phrase in self.phrases(entry)]
        else:
            pieces = [self.add_tokens(key, tokens) for tokens in self.token_patterns(entry["tokens"])]
        for found, needed in pieces:
            anchors |= found
            requires.extend(needed)
        return anchors, requires

    def add_rule(self, rule: Rule) -> None:
        key = f"{MATCH}\0{rule.id}"
        anchors: set[str] = set()
        requires: list[tuple[frozenset[str], ...]] = []
        only_phrases = True
        for entry in rule.patterns:
            if "terms" in entry:
                for term in entry["terms"]:
                    for phrase in self.phrases(term):
                        found, needed = self.add_phrase(
                            key, phrase, entry.get("inflect"), bool(entry.get("case_sensitive"))
                        )
                        anchors |= found
                        requires.extend(needed)
            else:
                for tokens in self.token_patterns(entry["tokens"]):
                    found, needed = self.add_tokens(key, tokens)
                    anchors |= found
                    requires.extend(needed)
                only_phrases = False
        for exception in rule.exceptions:
            self.add_entry(f"{EXCEPTION}\0{rule.id}", exception)
        context = rule.context or {}
        context_requires = []
        for phrase in context.get("any", []):
            context_requires.extend(self.add_entry(f"{CONTEXT_ANY}\0{rule.id}", phrase)[1])
        for phrase in context.get("none", []):
            self.add_entry(f"{CONTEXT_NONE}\0{rule.id}", phrase)
        token_patterns = [
            p for kind in (MATCH, EXCEPTION, CONTEXT_ANY, CONTEXT_NONE)
            for p in self.compiled.token_patterns.get(f"{kind}\0{rule.id}", [])
        ]
        self.compiled.rules[rule.id] = CompiledRule(
            id=rule.id,
            window=context.get("window", DEFAULT_WINDOW),
            quoted=rule.quoted,
            has_context_any=bool(context.get("any")),
            has_context_none=bool(context.get("none")),
            needs_trained=_uses_trained(token_patterns),
            requires=requires,
            context_requires=context_requires or None,
            phrase_pattern=phrase_pattern(requires) if only_phrases and requires and all(requires) else None,
        )
        for word in anchors:
            self.compiled.anchors.setdefault(word, set()).add(rule.id)


def phrase_pattern(requires: list[tuple[frozenset[str], ...]]) -> str:
    """A regular expression for lowercased text that matches wherever one of these phrases could.

    Each phrase is its words' forms in order, with any non-word characters (or none) between
    them: spaCy's tokens of a phrase are the same words in the same order, separated at most by
    white space and punctuation (or split inside a word, as "cannot" into "can" and "not"). So a
    paragraph this does not match cannot hold the phrase, and spaCy need not read it. Word
    boundaries are left out on purpose: spaCy may split where the regular expression sees none.
    """
    alternatives = {
        "[\\W_]*".join("(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + ")" for forms in words)
        for words in requires
        if all(words)  # a word with no form cannot be found (and the word-set check drops it too)
    }
    return "|".join(sorted(alternatives))


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
    builder = _Builder(ruleset.lists)
    for rule in ruleset:
        builder.add_rule(rule)
    compiled = builder.compiled
    for store in (compiled.phrases, compiled.exact_phrases):
        for key, sequences in store.items():
            store[key] = sorted(set(sequences))
    compiled.mentions = mentions_of(ruleset).pattern_sources()
    framing = ruleset.framing
    compiled.framing = CompiledFraming(
        strengths=_counting(framing.strengths),
        risk=_counting(framing.risk),
        people=_counting(framing.people),
        principles={name: _counting(cues) for name, cues in framing.principles.items()},
    )
    return compiled
