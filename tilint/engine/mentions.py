"""Mentions: where a text discusses a term rather than uses it.

"It is recommended that this term replaces the use of 'did not attend' (DNA)" talks *about* the
words "did not attend"; "A 'troubled family' is defined as one that..." and "these "hard to reach"
groups" use them, in the document's own defining or scare quotes. Quotation marks alone cannot
tell the two apart, so a quoted term is a mention only when something says the words are being
discussed:

- a cue just before the quotation ("the term", "formerly called", "replaces the use of", "we do
  not say", "avoid", "such as", "language like", "described ... as"), perhaps across a few small
  words ("called these 'troubled families'");
- a cue just after it ("'cases' is outdated", "'service user': we prefer ...");
- it stands in a series of quotations the first of which is a mention ("labels such as 'hard to
  reach' and 'non-compliant'"), or in a list of three or more (a vocabulary list: "'cases',
  'caseload' and 'case holding'");
- it stands alone in a line, list item or table cell (a glossary of words to avoid);
- it is a Title-Case label ("the system flags "Did Not Attend"") that is not being defined.

A bracketed acronym right after a quoted mention is a mention too ('did not attend' (DNA)).

Everything here is plain Python over a string, so framing and any other spaCy-free code can ask
the same question as the matcher. Quotation marks are paired once per text in one pass, and each
judgement looks at a bounded stretch around one quotation, so the cost is linear in the text.
Rule files can add cues in a top-level `mentions:` section (`before`, `after`, `definitions`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from tilint.engine.sentences import Sentences

#: cues that, just before a quotation, say its words are being discussed ("..." is a gap of a few words)
BEFORE = (
    "the term", "the terms", "the word", "the words", "the phrase", "the phrases", "the label", "the labels",
    "the expression", "the acronym", "the abbreviation",
    # the noun right before a quotation names it, whatever describes the noun ("the historic term 'x'")
    "term", "terms", "word", "words", "phrase", "phrases", "label", "labels", "expression", "expressions",
    "acronym", "abbreviation", "wording", "terminology", "terms such as", "words such as", "phrases such as",
    "labels such as", "language such as", "wording such as", "descriptions such as", "terms like",
    "words like", "phrases like", "labels like", "language like", "wording like", "such as", "for example",
    "e.g.", "formerly called", "formerly known as", "formerly", "previously called", "previously known as",
    "previously", "once called", "used to call", "used to be called", "called", "termed", "labelled",
    "labeled", "label ... as", "describe ... as", "refer to ... as",
    "talk about ... as", "speak about ... as", "speak of ... as", "think of ... as", "write about ... as",
    "known as", "so-called", "so called",
    "we do not say", "we don't say", "do not say", "don't say", "never say", "rather than say",
    "we do not use", "we don't use", "do not use", "don't use", "never use", "stop using", "stopped using",
    "avoid", "avoid using", "avoid saying", "avoid the use of", "avoid words like", "instead of",
    "rather than", "in place of", "replaces", "replace", "replaces the use of", "replacing", "not",
    "no longer", "no longer say", "say ... not", "say ... instead of", "the use of", "use of the term",
    "uses the term", "misuse of", "meaning of", "definition of", "example of ...", "examples of ...",
    # a quotation right after the kind of work it names is a title ("the NSPCC briefing "Disguised compliance"")
    "entitled", "titled", "briefing", "report", "guide", "guidance", "leaflet", "booklet", "paper", "article",
    "book", "chapter", "toolkit", "course", "module", "workshop", "campaign", "film", "podcast", "blog",
)
#: cues that, just after a quotation, say its words are being discussed
AFTER = (
    "is a term", "is a word", "is a phrase", "is a label", "is an acronym", "are terms", "are words",
    "are phrases", "are labels", "is outdated", "are outdated", "is old-fashioned", "is no longer used",
    "are no longer used", "is not used", "should be avoided", "should not be used", "must not be used",
    "is stigmatising", "is stigmatizing", "are stigmatising", "are stigmatizing", "is offensive",
    "is jargon", "is unhelpful", "are unhelpful", "can be stigmatising", "can be stigmatizing",
    "can feel", "implies", "imply", "suggests", "suggest", "carries", "carry", "we prefer", "we use",
    "we say", "avoid", "say instead", "use instead", "instead", "becomes", "became", "has been replaced",
    "was replaced", "is replaced", "have been replaced", "has been dropped", "had been dropped",
    "was dropped", "were dropped", "is used to", "is often used", "are often used", "means", "mean",
    "was renamed", "has been renamed", "or similar",
)
#: words that define a term right after it: a quoted term followed by one is used, not mentioned
DEFINITIONS = (
    "means", "shall mean", "will mean", "mean", "is defined as", "are defined as", "shall be defined as",
    "refers to", "refer to", "shall refer to", "includes", "include", "has the meaning", "have the meaning",
)
#: small words that may stand between a cue and the quotation ("called these 'troubled families'")
_GAP_WORDS = (
    "these", "those", "this", "that", "them", "it", "they", "him", "her", "us", "the", "a", "an", "their",
    "such", "as", "having", "being", "or", "and", "also", "sometimes", "often", "still", "simply", "just",
    "merely", "commonly", "widely", "traditionally", "historically", "words", "terms", "language",
)
#: how far (characters) a quotation may run; an unclosed mark then stops being an opening
MAX_QUOTATION = 400
#: how many quotations back a cue before the first of a series still counts
MAX_SERIES = 12
#: how far (characters) before and after a quotation cues are looked for
CUE_REACH = 120

_DOUBLE_OPEN = "\u201c\u201e\u00ab"
_DOUBLE_CLOSE = "\u201d\u00bb"
_SINGLE_OPEN = "\u2018\u201a"
_MARKS = re.compile("[\"'\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb]|\\n[^\\S\\n]*\\n")
_OPEN_BEFORE = set("([{/\u2014\u2013-:;,")
_WORDISH = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
#: what may stand before a quotation that is alone in a line, list item or table cell
_ITEM_BEFORE = re.compile(
    r"(?:^|[\n|])[^\S\n]*(?:[-*\u2022\u00b7\u2013\u2014]|\d+(?:\.\d+)*[.)]?|\(?[a-z]\))?[^\S\n]*$"
)
_ITEM_AFTER = re.compile(r"[^\S\n]*[.,;:\-\u2013\u2014]?[^\S\n]*(?:[\n|]|$)")
_ACRONYM = re.compile(r"[^\S\n]*\(([A-Z][A-Za-z0-9&'\u2019]{1,9})\)")


@dataclass(frozen=True)
class Quotation:
    """A pair of quotation marks: `open` and `close` are the offsets of the marks themselves."""

    open: int
    close: int

    @property
    def content(self) -> tuple[int, int]:
        return self.open + 1, self.close


def quotations(text: str) -> list[Quotation]:
    """Every pair of quotation marks in `text`, in order of their opening marks.

    Curly quotes say which way they face; straight ones are judged by their neighbours. A closing
    single mark with no opening pending, or one between letters ("don't", "parents' views"), is
    an apostrophe. No quotation crosses a blank line or runs longer than MAX_QUOTATION.
    """
    pending: dict[str, list[int]] = {"double": [], "single": []}
    found: list[Quotation] = []
    for mark in _MARKS.finditer(text):
        ch, i = mark.group(), mark.start()
        if ch[0] == "\n":
            pending["double"].clear()
            pending["single"].clear()
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        family = "double" if ch in '"\u201c\u201d\u201e\u00ab\u00bb' else "single"
        opens_after_space = before.isspace() or before in _OPEN_BEFORE or before in _DOUBLE_OPEN + _SINGLE_OPEN
        if ch in _DOUBLE_OPEN or ch in _SINGLE_OPEN:
            role = "open"
        elif ch in _DOUBLE_CLOSE:
            role = "close"
        elif ch == '"':
            if opens_after_space and not after.isspace():
                role = "open"
            elif not before.isspace():
                role = "close"
            else:
                continue
        else:  # ' or \u2019: an apostrophe, or a single quotation mark
            if before.isalnum() and after.isalnum():
                continue
            opens = opens_after_space and after.isalnum() and (ch == "'" or not pending["single"])
            role = "open" if opens else "close"
        stack = pending[family]
        while stack and i - stack[0] > MAX_QUOTATION:
            stack.pop(0)
        if role == "open":
            stack.append(i)
        elif stack:
            found.append(Quotation(stack.pop(), i))
    found.sort(key=lambda q: q.open)
    return found


def _phrase_regex(phrase: str) -> str:
    """A cue phrase as a regular expression: words with their inflections, any white space
    between them, "..." for a gap of up to six words."""
    from tilint.engine.variants import word_forms

    parts = []
    for word in phrase.split():
        if word == "...":
            parts.append(r"(?:\W+[^\W_]+){0,6}?")
            continue
        forms = {word.lower()}
        if len(word) > 3 and word.isalpha():
            forms |= {f.lower() for f in word_forms(word, ("verb", "noun"))}
        parts.append("(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + ")")
    body = ""
    for index, part in enumerate(parts):
        if index and not part.startswith("(?:\\W+"):
            body += r"[\s\-]+"
        body += part
    return body


def pattern_sources(
    before: tuple[str, ...], after: tuple[str, ...], definitions: tuple[str, ...]
) -> tuple[str, str, str]:
    """The regular expressions (as source text) for cues before, after and definitions after a
    quotation. Spelling the cues' inflections out needs lemminflect, so the compiled rules carry
    these (tilint.engine.compiler) and a run only compiles them."""
    gap = "(?:" + "|".join(_GAP_WORDS) + ")"
    separators = r"[\s,:;(\[\-\u2013\u2014]"

    def alternatives(phrases):
        return "|".join(sorted({_phrase_regex(p) for p in phrases}, key=len, reverse=True))

    return (
        rf"(?<![^\W_])(?:{alternatives(before)})(?:{separators}+{gap})*{separators}*$",
        rf"[\s,:;)\]\-\u2013\u2014]*(?:{alternatives(after)})(?![^\W_])",
        rf"[\s,)\]]*(?:\([^)\n]{{0,40}}\)[\s,]*)?(?:{alternatives(definitions)})(?![^\W_])",
    )


@lru_cache(maxsize=8)
def _compiled(sources: tuple[str, str, str]) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    before_re, after_re, definition_re = (re.compile(source, re.IGNORECASE) for source in sources)
    return before_re, after_re, definition_re


@dataclass(frozen=True)
class Mentions:
    """The cues that make a quotation a mention: the built-in ones plus any a rule set adds."""

    before: tuple[str, ...] = BEFORE
    after: tuple[str, ...] = AFTER
    definitions: tuple[str, ...] = DEFINITIONS
    #: pattern_sources() of these cues, when already spelled out (by the rule compiler)
    sources: tuple[str, str, str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def with_extra(cls, before=(), after=(), definitions=(), sources: tuple[str, str, str] | None = None) -> Mentions:
        return cls(
            tuple(dict.fromkeys((*BEFORE, *before))),
            tuple(dict.fromkeys((*AFTER, *after))),
            tuple(dict.fromkeys((*DEFINITIONS, *definitions))),
            sources,
        )

    def pattern_sources(self) -> tuple[str, str, str]:
        if self.sources is not None:
            return self.sources
        return pattern_sources(self.before, self.after, self.definitions)

    def in_text(self, text: str) -> MentionFinder:
        """A finder for one text (a paragraph, or a whole document): pairs its quotation marks now."""
        return MentionFinder(text, *_compiled(self.pattern_sources()))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every mention in `text`: the inside of each quotation that is a mention, and each
        bracketed acronym carried from one. For spaCy-free callers such as the framing counts."""
        return self.in_text(text).spans()


@dataclass
class MentionFinder:
    """Mention judgements for one text; each quotation is judged at most once."""

    text: str
    before_re: re.Pattern
    after_re: re.Pattern
    definition_re: re.Pattern
    quotes: list[Quotation] = field(init=False)
    _opens: list[int] = field(init=False)
    _by_close: dict[int, Quotation] = field(init=False)
    _judged: dict[Quotation, bool] = field(init=False, default_factory=dict)
    _cued: dict[Quotation, bool | None] = field(init=False, default_factory=dict)
    _sentences: Sentences | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.quotes = quotations(self.text)
        self._opens = [q.open for q in self.quotes]
        self._by_close = {q.close: q for q in self.quotes}

    @property
    def sentences(self) -> Sentences:
        if self._sentences is None:
            self._sentences = Sentences(self.text)
        return self._sentences

    def is_mention(self, start: int, end: int) -> bool:
        """Whether text[start:end] is being discussed rather than used."""
        quote = self.enclosing(start, end)
        if quote is not None:
            return self.quotation_is_mention(quote)
        return self._carried_acronym(start, end)

    def enclosing(self, start: int, end: int) -> Quotation | None:
        """The innermost quotation holding text[start:end], if any."""
        i = bisect_right(self._opens, start - 1)
        for quote in reversed(self.quotes[max(0, i - 4) : i]):
            if quote.open < start and end <= quote.close:
                return quote
        return None

    def spans(self) -> list[tuple[int, int]]:
        out = []
        for quote in self.quotes:
            if self.quotation_is_mention(quote):
                out.append(quote.content)
                acronym = _ACRONYM.match(self.text, quote.close + 1)
                if acronym:
                    out.append(acronym.span(1))
        return out

    def quotation_is_mention(self, quote: Quotation) -> bool:
        judged = self._judged.get(quote)
        if judged is None:
            judged = self._judged[quote] = self._judge(quote)
        return judged

    def _judge(self, quote: Quotation) -> bool:
        own = self._own_cues(quote)
        if own is not None:
            return own
        # In a series, a cue before the first quotation covers them all; three or more in a row
        # are a vocabulary list whatever stands around them.
        before, previous = 0, quote
        while before < MAX_SERIES and (previous := self._series_before(previous)) is not None:
            before += 1
            if self._own_cues(previous):
                return True
        after, following = 0, quote
        while before + after < 2 and (following := self._series_next(following)) is not None:
            after += 1
        return before + after >= 2

    def _own_cues(self, quote: Quotation) -> bool | None:
        """True for a cue that makes this quotation a mention, False for a definition right after
        it (the document's own term), None when nothing around it says."""
        if quote not in self._cued:
            self._cued[quote] = self._look_for_cues(quote)
        return self._cued[quote]

    def _look_for_cues(self, quote: Quotation) -> bool | None:
        text = self.text
        sentence_start = self.sentences.start_of(quote.open)
        lookback = text[max(sentence_start, quote.open - CUE_REACH) : quote.open]
        if self.before_re.search(lookback):
            return True
        ahead = text[quote.close + 1 : quote.close + 1 + CUE_REACH]
        if self.definition_re.match(ahead):
            return False  # the document's own definition: "A 'troubled family' is defined as ..."
        if self.after_re.match(ahead):
            return True
        if _ITEM_BEFORE.search(text, max(0, quote.open - 40), quote.open) and _ITEM_AFTER.match(text, quote.close + 1):
            return True
        if self._title_case_label(quote, sentence_start):
            return True
        return None

    def _series_next(self, quote: Quotation) -> Quotation | None:
        i = bisect_right(self._opens, quote.open)
        while i < len(self.quotes) and self.quotes[i].open <= quote.close:
            i += 1
        if i < len(self.quotes) and self._series_before(self.quotes[i]) == quote:
            return self.quotes[i]
        return None

    def _title_case_label(self, quote: Quotation, sentence_start: int) -> bool:
        """A quoted Title-Case label of two words or more mid-sentence ("flags "Did Not Attend"")."""
        words = _WORDISH.findall(self.text, *quote.content)
        if len(words) < 2 or not all(w[0].isupper() for w in words):
            return False
        return bool(self.text[sentence_start : quote.open].strip())

    def _series_before(self, quote: Quotation) -> Quotation | None:
        """The quotation just before this one in a series ("'x', 'y' and 'z'", "'x' or as 'y'")."""
        i = bisect_right(self._opens, quote.open - 1) - 1
        while i >= 0 and self.quotes[i].close >= quote.open:
            i -= 1
        if i < 0:
            return None
        previous = self.quotes[i]
        between = self.text[previous.close + 1 : quote.open]
        if len(between) <= 12 and re.fullmatch(r"[\s,;/&]*(?:(?:and|or|nor|as|and/or|also)[\s,]*)*", between):
            return previous
        return None

    def _carried_acronym(self, start: int, end: int) -> bool:
        """'did not attend' (DNA): the acronym in brackets right after a quoted mention."""
        if start < 2 or self.text[start - 1] != "(" or self.text[end : end + 1] != ")":
            return False
        j = start - 2
        while j >= 0 and self.text[j] in " \t":
            j -= 1
        quote = self._by_close.get(j)
        return quote is not None and self.quotation_is_mention(quote)


def mentions_of(ruleset, sources: tuple[str, str, str] | None = None) -> Mentions:
    """The built-in cues plus those the rule set's files add in their `mentions:` sections;
    `sources` are their patterns as the rule compiler spelled them out (CompiledRules.mentions)."""
    extra = getattr(ruleset, "mentions", None) or {}
    return Mentions.with_extra(
        extra.get("before", ()), extra.get("after", ()), extra.get("definitions", ()), sources=sources
    )
