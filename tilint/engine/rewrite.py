"""Rewrite a finding's words with its rule's rewrite, so that the sentence stays grammatical.

A rule's `rewrites` (tilint.ruleset.Rewrite) say what to write instead of which flagged words.
Fitting one into a sentence takes more than the words themselves, so every rewrite here is made
with the text around it in view, and left out (with the reason) wherever that is not safe:

- the replacement is re-inflected (tilint.engine.wording): "refused" -> "declined", "commits
  suicide" -> "dies by suicide", "service users" -> "people who use the service";
- a flagged noun followed by another noun is part of a longer name ("committed suicide
  attempts", "service user involvement"): replacing its first half would not fit, so unless the
  rewrite says `before_nouns`, it is left alone;
- a possessive after the words ("service user's views") cannot follow a replacement whose head
  noun is not last ("person who uses the service's views");
- "a"/"an" before the words is changed with them when the replacement needs the other one;
- hyphenated words ("hard-to-reach families") get a hyphenated replacement ("seldom-heard").

`plan` then drops any rewrite whose result tilint would flag again, so accepting every suggested
rewrite (or applying every safe fix) yields text that tilint no longer flags for those words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tilint.document import Document
from tilint.engine import wording
from tilint.engine.wording import WORD
from tilint.findings import Finding
from tilint.ruleset import Rewrite, Rule

#: closed-class words that can follow a noun phrase without being part of it
FUNCTION_WORDS = frozenset("""
a an the this that these those their its his her our your my some any each every all both no
and or but nor so yet if as than then because while where when whom whose which who what why how
of in on at to for from with by about into onto over under after before during without within
across against among between through towards toward upon via per around beyond
is are was were be been being am has have had do does did will would shall should can could may
might must not also only even just still already often always never usually sometimes again
there here very too more most less least such same other another own
i you he she it we they me him us them someone anyone everyone somebody anybody everybody nobody
many few fewer several much enough
""".split())
_POSSESSIVE = re.compile(r"^(?:['\u2019]s\b|['\u2019](?!\w))")
_ARTICLE_BEFORE = re.compile(r"(?:^|(?<=[^\w]))(an?|An?|AN?)(\s+)$")


@dataclass
class Rewritten:
    """One rewrite of a document's text: `start`..`end` (which may reach back over an article
    that had to change) replaced by `new`."""

    start: int
    end: int
    old: str
    new: str
    rule: str
    level: str
    rewrite: Rewrite
    finding: Finding


class NotRewritten(Exception):
    """Why a finding's words were left as they are (shown to the person who asked)."""


def levels_for(level: str) -> tuple[str, ...]:
    """The rewrite levels a request accepts: "suggested" takes safe ones too."""
    return ("safe",) if level == "safe" else ("suggested", "safe")


def rewrite_for(rule: Rule, text: str, level: str) -> tuple[Rewrite, str | None, list[str]] | None:
    """The first rewrite of `rule` at `level` whose phrase matches the flagged `text`: the
    rewrite, the phrase that matched, and the inflection each word of it was found in."""
    for rewrite in rule.rewrites:
        if rewrite.level not in levels_for(level):
            continue
        for phrase in rewrite.phrases or (None,):
            tags = phrase_tags(phrase, text)
            if tags is not None:
                return rewrite, phrase, tags
    return None


def phrase_tags(phrase: str | None, text: str) -> list[str] | None:
    """None if `text` is not a form of `phrase`; else, per word, the verb tags it was found in."""
    from tilint.engine.variants import word_forms

    found = WORD.findall(text)
    if phrase is None:
        return ["" for _ in found]
    wanted = WORD.findall(phrase)
    if len(found) != len(wanted):
        return None
    tags = []
    for base, form in zip(wanted, found, strict=True):
        if form.lower() == base.lower() or form.lower() in {f.lower() for f in word_forms(base, False)}:
            tags.append("")
        elif form.lower() in {f.lower() for f in word_forms(base)}:
            verbs = wording.verb_tags(base, form)
            noun = wording.noun_number(form) == "plural"
            tags.append(",".join(verbs + (("NNS",) if noun else ())) or "NNS")
        else:
            return None
    return tags


def render(rewrite: Rewrite, tags: list[str], original: str, before: str, attributive: bool = False,
           phrase: str | None = None) -> tuple[str, bool]:
    """The replacement for `original` (the flagged words): forms, case and hyphens fitted.

    `tags` says, per word of the rewrite's phrase, which inflection of it was found ("" for the
    form as written). The inflected word decides what is inflected in the replacement: the first
    word of a phrase is a verb ("committed suicide" -> "died by suicide"), the last a noun whose
    number the replacement's head takes ("drug users" -> "people who use drugs"); a single word
    is a verb if the replacement starts with one ("refuses" -> "declines"), else a noun.
    `attributive`: a noun follows, so a hyphenated original ("hard-to-reach families") is a
    modifier and its replacement is hyphenated too. Returns the text and whether it is a verb
    phrase; raises NotRewritten when a form cannot be chosen.
    """
    inflected = [(index, tag.split(",")) for index, tag in enumerate(tags) if tag]
    verb = noun = None
    if inflected:
        index, found = inflected[0]
        verbs = [tag for tag in found if tag != "NNS"]
        as_noun = "NNS" in found and (
            (index == len(tags) - 1 and len(tags) > 1) or (len(tags) == 1 and not _leads_with_verb(rewrite))
        )
        if as_noun or not verbs:
            noun = "plural"
        else:
            verb = verbs
    if rewrite.to is None:
        number = noun or wording.number_of(phrase or original)
        if number is None:
            raise NotRewritten("whether the words are singular or plural cannot be told")
        text = rewrite.plural if number == "plural" else rewrite.singular
        assert text is not None
    else:
        text = rewrite.to
        if verb:
            if {"VBD", "VBN"} <= set(verb):
                verb = ["VBN" if wording.participle_context(before) else "VBD"]
            changed = wording.inflect_verb(text, verb[0])
            if changed is None:
                raise NotRewritten("the replacement has no verb to take the original's tense")
            text = changed
        elif noun:
            text = wording.set_number(text, noun)
        elif not rewrite.phrases:  # any match of the rule: follow its number
            text = wording.match_number(original, text)
    if attributive and wording.hyphenated(original) and len(WORD.findall(text)) <= 3:
        text = "-".join(text.split())
    verbal = bool(verb) or wording.verb_led(text)
    if wording.is_acronym(original):
        # "LAC" -> "children in care": an abbreviation's capitals are not the sentence's
        starts = not before.strip() or before.rstrip()[-1:] in ".!?:"
        return (text[:1].upper() + text[1:] if starts else text), verbal
    return wording.match_case(original, text), verbal


def _leads_with_verb(rewrite: Rewrite) -> bool:
    """Whether a replacement for one ambiguous word ("refuses": a verb or a plural noun) is a
    verb phrase. Its first word must be a verb and nothing else; "decline" is a noun too, but
    then both readings give "declines"."""
    return wording.verb_led(rewrite.to or rewrite.singular or "")


def fit(document_text: str, finding: Finding, rule: Rule, level: str) -> Rewritten:
    """The rewrite of one finding in its sentence; NotRewritten says why there is none.

    A rewrite's phrase may take in a word or two more than the rule flagged, or leave out a
    leading article: where one term ("an alcoholic") overlaps a longer one ("alcoholic
    parent"), the rule reports one of them, and the rewrite that fits the whole phrase is used.
    """
    assert finding.start is not None and finding.end is not None
    first: NotRewritten | None = None
    for start, end in _spans(document_text, finding.start, finding.end):
        try:
            return _fit_span(document_text, start, end, finding, rule, level)
        except NotRewritten as exc:
            first = first or exc
    assert first is not None
    raise first


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The finding's own span first, then without a leading article, then taking in 1-2 words."""
    line_end = text.find("\n", end)
    rest = text[end: len(text) if line_end < 0 else line_end]
    ends = [end] + [end + m.end() for m in list(re.finditer(r"[ \t\u00a0-]+[^\W_]+", rest))[:2]
                    if not rest[: m.end()].startswith(tuple(".,;:!?"))]
    last = list(re.finditer(r"[ \t\u00a0-]+[^\W_]+$", text[start:end]))
    if last:
        ends.append(start + last[0].start())  # without the flagged phrase's last word
    article = re.match(r"(?:an?|the)[ \t\u00a0]+", text[start:end], re.IGNORECASE)
    starts = [start] + ([start + article.end()] if article and start + article.end() < end else [])
    return [(s, e) for e in ends for s in starts if s < e]


def _fit_span(document_text: str, start: int, end: int, finding: Finding, rule: Rule, level: str) -> Rewritten:
    original = document_text[start:end]
    chosen = rewrite_for(rule, original, level)
    if chosen is None:
        raise NotRewritten("no rewrite fits these words" if rule.rewrites else "the rule has no rewrite")
    rewrite, phrase, tags = chosen
    line_start = document_text.rfind("\n", 0, start) + 1
    line_end = document_text.find("\n", end)
    before = document_text[line_start:start]
    after = document_text[end: len(document_text) if line_end < 0 else line_end]
    noun_next = _noun_follows(original, after)
    new, verbal = render(rewrite, tags, original, before, attributive=noun_next, phrase=phrase)
    if not verbal and wording.noun_with_modifiers(new):
        # A noun with words after it ("people who use drugs") cannot take a possessive or a
        # noun before it the way the original could.
        if _POSSESSIVE.match(after):
            raise NotRewritten("a possessive follows, which the rewritten words cannot take")
        if _noun_before(before):
            raise NotRewritten("the words are the end of a longer name here")
    if not rewrite.before_nouns and noun_next:
        raise NotRewritten("the words are part of a longer name here")
    if "\n" in original:
        broken = wording.keep_line_breaks(original, new)
        if broken is None:
            raise NotRewritten("the phrase runs over a line break")
        new = broken
    article = _ARTICLE_BEFORE.search(before)
    if article is not None and WORD.match(new):
        wanted = wording.indefinite_article(WORD.match(new).group())
        if wanted != article.group(1).lower():
            written = article.group(1)
            wanted = wanted.upper() if written.isupper() and len(written) > 1 else (
                wanted.capitalize() if written[0].isupper() else wanted)
            start = line_start + article.start(1)
            original = document_text[start:end]
            new = wanted + article.group(2) + new
    if new == original:
        raise NotRewritten("the rewrite would not change the words")
    return Rewritten(start, end, original, new, rule.id, rewrite.level, rewrite, finding)


def _noun_follows(original: str, after: str) -> bool:
    """Whether the word after a phrase ending in a noun is probably a noun it modifies.

    Without a tagger this is judged from what the word can be: a noun and nothing else
    ("involvement"), or a plural noun ("attempts"), continues the name; an adverb ("daily"), a
    participle ("leaving"), or a verb after a plural ("offenders find") does not.
    """
    from lemminflect import getAllLemmas

    words = WORD.findall(original)
    if not words or not wording.can_be_noun(words[-1]):
        return False
    following = re.match(r"[ \t\u00a0-]*([^\W_]+)", after)
    if following is None:
        return False
    word = following.group(1).lower()
    if word in FUNCTION_WORDS or wording.can_be_adverb(word):
        return False
    if not wording.can_be_noun(word):
        # An adjective then a noun continues the name too: "respite foster care".
        then = re.match(r"[ \t\u00a0-]*[^\W_]+[ \t\u00a0-]+([^\W_]+)", after)
        return bool(
            then and "ADJ" in getAllLemmas(word) and then.group(1).lower() not in FUNCTION_WORDS
            and wording.can_be_noun(then.group(1)) and not wording.can_be_adverb(then.group(1))
        )
    kinds = getAllLemmas(word)
    if not ({"VERB", "ADJ", "AUX"} & set(kinds)):
        return True
    if word not in kinds.get("NOUN", (word,)):
        return True  # a plural noun: "suicide attempts", "service user groups"
    if word.endswith(("ing", "ed")):
        return False
    return wording.number_of(original) != "plural"


def _noun_before(before: str) -> bool:
    """Whether the word just before the flagged words is probably a noun modifying them ("heroin
    addicts"): a replacement with words after its head noun cannot take it. A word that can be
    an inflected verb ("treats") or an adjective ("older"), or a verb after "to" or "will"
    ("will support"), is not."""
    from lemminflect import getAllLemmas

    found = list(re.finditer(r"([^\W_]+)[ \t\u00a0]*", before))
    if not found or found[-1].end() != len(before) or found[-1].end(1) == len(before):
        return False
    word = found[-1].group(1).lower()
    if word in FUNCTION_WORDS or not wording.can_be_noun(word):
        return False
    kinds = getAllLemmas(word)
    if "ADJ" in kinds:
        return False
    if "VERB" in kinds:
        if word not in kinds["VERB"]:
            return False  # an inflected verb form: "treats", "supported"
        if len(found) > 1:
            earlier = found[-2].group(1).lower()
            if earlier in _VERB_CUES or wording.noun_number(earlier) == "plural":
                return False  # "will support addicts", "users show challenging behaviour"
    return True


#: words after which a base form is a verb ("to support", "will help")
_VERB_CUES = frozenset({"to", "will", "would", "can", "could", "may", "might", "must", "shall", "should",
                        "we", "they", "you", "i", "and", "or"})


def plan(
    document: Document,
    findings: list[Finding],
    ruleset,
    level: str,
    recheck: Callable[[str], list[Finding]] | None = None,
) -> tuple[list[Rewritten], list[tuple[Finding, str]]]:
    """Rewrites for `findings` at `level`, and the findings left alone with the reason.

    `recheck(text)` lints a rewritten text; a rewrite whose result it flags again is dropped (so
    accepting them all gives text tilint does not flag there), repeating until none is.
    """
    done: list[Rewritten] = []
    left: list[tuple[Finding, str]] = []
    taken: list[tuple[int, int]] = []
    for finding in findings:
        if finding.start is None or finding.end is None:
            continue
        rule = ruleset.get(finding.rule)
        if rule is None or not rule.rewrites:
            continue
        try:
            rewritten = fit(document.text, finding, rule, level)
        except NotRewritten as exc:
            if any(r.level in levels_for(level) for r in rule.rewrites):
                left.append((finding, str(exc)))
            continue
        if any(rewritten.start < e and s < rewritten.end for s, e in taken):
            left.append((finding, "it overlaps another rewrite"))
            continue
        taken.append((rewritten.start, rewritten.end))
        done.append(rewritten)
    done.sort(key=lambda r: r.start)
    if recheck is not None:
        for _ in range(3):
            text, spans = apply(document.text, done)
            flagged = [(f.start, f.end) for f in recheck(text) if f.start is not None]
            again = {i for i, (s, e) in enumerate(spans) if any(fs < e and s < fe for fs, fe in flagged)}
            if not again:
                break
            for index in sorted(again, reverse=True):
                dropped = done.pop(index)
                left.append((dropped.finding, f"the rewrite \u201c{dropped.new}\u201d would be flagged too"))
        else:
            left.extend((r.finding, "the rewritten text would still be flagged") for r in done)
            done = []
    return done, left


def apply(text: str, rewrites: list[Rewritten]) -> tuple[str, list[tuple[int, int]]]:
    """The text with the rewrites made, and where each replacement now sits."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    cursor = shift = 0
    for rewrite in sorted(rewrites, key=lambda r: r.start):
        parts.append(text[cursor: rewrite.start])
        parts.append(rewrite.new)
        new_start = rewrite.start + shift
        spans.append((new_start, new_start + len(rewrite.new)))
        shift += len(rewrite.new) - (rewrite.end - rewrite.start)
        cursor = rewrite.end
    parts.append(text[cursor:])
    return "".join(parts), spans


def relinter(linter, document: Document) -> Callable[[str], list[Finding]]:
    """A `recheck` for `plan`: lint a rewritten text as the document's own format would be."""

    def recheck(text: str) -> list[Finding]:
        copy = Document(path=document.path, text=text, format=document.format, paragraphs=document.paragraphs)
        return linter.check(copy).findings

    return recheck
