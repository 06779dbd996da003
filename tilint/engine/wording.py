"""Make a replacement fit the words it replaces: number, verb form, agreement, case, line breaks.

A rewrite is written once, for the base form of the words it replaces ("commit suicide" -> "die
by suicide", "service user" -> "person who uses the service"), and must fit every form the rule
matches: "committed suicide" -> "died by suicide", "is committing suicide" -> "is dying by
suicide", "service users" -> "people who use the service". lemminflect supplies the inflections;
this module decides which word of the replacement takes them:

- the verb form of an inflected verb in the original goes to the replacement's first verb;
- the number of the original's last noun goes to the replacement's head noun (the last word
  before "of", "with", "who", ...), and a verb right after "who"/"that"/"which" agrees with it;
- capitalisation follows the original (UPPER, Title Case, a capital first letter).
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
#: words that end the head phrase of a replacement ("behaviours | of distress")
HEAD_ENDS = frozenset({
    "of", "with", "who", "whom", "whose", "which", "that", "we", "they", "in", "for", "from", "to", "at",
    "on", "by", "and", "or", "as", "than", "where", "when", "experiencing", "affected", "living", "using",
    "sleeping", "serving", "waiting", "being", "moving",
})
_RELATIVES = frozenset({"who", "that", "which"})
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
)
#: plural nouns whose lemma lemminflect gives as the plural itself
_SINGULAR_OF = {"people": "person"}
_PLURAL_OF = {v: k for k, v in _SINGULAR_OF.items()}
#: verb forms agreeing with a singular and a plural subject, for the verbs lemminflect gives oddly
_AGREEMENT = {"is": "are", "has": "have", "was": "were", "does": "do"}
_AGREEMENT_BACK = {plural: singular for singular, plural in _AGREEMENT.items()}
VERB_TAGS = ("VBZ", "VBG", "VBD", "VBN")
#: words before a verb that make an -ed form a past participle ("has absconded", "was refused")
_PARTICIPLE_CUES = frozenset({
    "have", "has", "had", "having", "be", "been", "being", "is", "are", "was", "were", "am", "get", "got",
    "gets", "getting", "'ve", "\u2019ve",
})


# -- nouns -----------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def noun_number(word: str) -> str | None:
    """"singular", "plural", or None when the word is not a noun or its number is unclear."""
    from lemminflect import getAllLemmas, getInflection

    lower = word.lower()
    if lower in _SINGULAR_OF:
        return "plural"
    if lower in _PLURAL_OF:
        return "singular"
    lemmas = getAllLemmas(lower, upos="NOUN").get("NOUN")
    if not lemmas:
        if not lower.isalpha() or getAllLemmas(lower):
            return None  # known, but not as a noun ("from", "ill")
        # A word lemminflect does not know at all ("misusers", "carer"): its noun rules decide.
        from lemminflect import getAllLemmasOOV

        oov = getAllLemmasOOV(lower, upos="NOUN").get("NOUN")
        if not oov:
            return None
        return "plural" if oov[0] != lower else "singular"
    lemma = lemmas[0]
    plurals = getInflection(lemma, tag="NNS")
    if lower == lemma:
        # "sheep", "news": the plural is the same word, so the number cannot be told
        return "singular" if any(p != lower for p in plurals) else None
    return "plural" if lower in plurals else None


def inflect_noun(word: str, number: str) -> str:
    """`word` in the given number, keeping its first letter's case; unchanged when unknown."""
    from lemminflect import getAllLemmas, getInflection

    lower = word.lower()
    if number == "singular" and lower in _SINGULAR_OF:
        result = _SINGULAR_OF[lower]
    elif number == "plural" and lower in _PLURAL_OF:
        result = _PLURAL_OF[lower]
    else:
        lemmas = getAllLemmas(lower, upos="NOUN").get("NOUN")
        if not lemmas:
            return word
        forms = getInflection(lemmas[0], tag="NNS" if number == "plural" else "NN")
        if not forms:
            return word
        result = forms[0]
    return result[0].upper() + result[1:] if word[:1].isupper() else result


@lru_cache(maxsize=4096)
def can_be_noun(word: str) -> bool:
    """Whether lemminflect knows `word` as a noun (it may be other things too)."""
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word.lower(), upos="NOUN"))


@lru_cache(maxsize=4096)
def can_be_adverb(word: str) -> bool:
    """Whether lemminflect knows `word` as an adverb ("daily", "today", "together")."""
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word.lower(), upos="ADV"))


def number_of(text: str) -> str | None:
    """The grammatical number of a phrase: that of its last word, when it is a noun."""
    words = WORD.findall(text)
    return noun_number(words[-1]) if words else None


def _head(replacement: str) -> re.Match | None:
    """The head noun of a replacement: the last word before its first HEAD_ENDS word."""
    head = None
    for match in WORD.finditer(replacement):
        if match.group().lower() in HEAD_ENDS:
            break
        head = match
    return head


def head_is_last(replacement: str) -> bool:
    """True when nothing follows the head noun ("distressed behaviour", not "behaviour of distress")."""
    head = _head(replacement)
    return head is not None and not replacement[head.end():].strip(" -")


def noun_with_modifiers(replacement: str) -> bool:
    """True for a noun with words after it ("people who use drugs"), which cannot take a noun
    before it or a possessive after it the way a single noun can."""
    head = _head(replacement)
    return head is not None and bool(replacement[head.end():].strip(" -"))


def set_number(replacement: str, number: str) -> str:
    """Put the replacement's head noun in `number`, with a relative clause's verb agreeing."""
    head = _head(replacement)
    if head is None or noun_number(head.group()) in (None, number):
        return replacement
    out = replacement[: head.start()] + inflect_noun(head.group(), number)
    rest = replacement[head.end():]
    words = list(WORD.finditer(rest))
    if len(words) >= 2 and words[0].group().lower() in _RELATIVES:
        verb = words[1]
        rest = rest[: verb.start()] + agree(verb.group(), number) + rest[verb.end():]
    return out + rest


def agree(verb: str, number: str) -> str:
    """A present-tense verb agreeing with a subject of `number` ("uses" <-> "use", "is" <-> "are")."""
    from lemminflect import getAllLemmas, getInflection

    lower = verb.lower()
    if number == "plural" and lower in _AGREEMENT:
        return _keep_case(verb, _AGREEMENT[lower])
    if number == "singular" and lower in _AGREEMENT_BACK:
        return _keep_case(verb, _AGREEMENT_BACK[lower])
    lemmas = getAllLemmas(lower, upos="VERB").get("VERB")
    if not lemmas:
        return verb
    forms = getInflection(lemmas[0], tag="VBZ" if number == "singular" else "VBP")
    return _keep_case(verb, forms[-1]) if forms else verb


def match_number(original: str, replacement: str) -> str:
    """Make the replacement's head noun agree in number with the original's last word."""
    wanted = number_of(original)
    return replacement if wanted is None else set_number(replacement, wanted)


# -- verbs -----------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def verb_tags(base: str, form: str) -> tuple[str, ...]:
    """The Penn tags (VBZ, VBG, VBD, VBN) under which `form` is an inflection of verb `base`."""
    from lemminflect import getAllInflections, getInflection

    lower = form.lower()
    if not getAllInflections(base.lower(), upos="VERB"):
        return ()  # not a verb lemminflect knows: its guesses for unknown words are not verbs
    return tuple(tag for tag in VERB_TAGS if lower in getInflection(base.lower(), tag=tag))


def verb_led(text: str) -> bool:
    """Whether a replacement is a verb phrase: its first word can be a verb and not a noun
    ("died by suicide", "live with"; not "people who use drugs")."""
    from lemminflect import getAllLemmas

    first = WORD.match(text)
    if first is None:
        return False
    kinds = getAllLemmas(first.group().lower())
    return "VERB" in kinds and "NOUN" not in kinds


def participle_context(before: str) -> bool:
    """Whether the words just before an -ed form make it a participle ("has been ...", "was ...")."""
    words = [w.lower() for w in WORD.findall(before.split("\n")[-1])][-3:]
    return any(word in _PARTICIPLE_CUES for word in words)


def inflect_verb(replacement: str, tag: str) -> str | None:
    """The replacement with its first verb in form `tag`; None when it has no verb to inflect."""
    from lemminflect import getAllLemmas, getInflection

    for match in WORD.finditer(replacement):
        word = match.group()
        lemmas = getAllLemmas(word.lower(), upos="VERB").get("VERB")
        if lemmas and word.lower() == lemmas[0]:
            forms = getInflection(lemmas[0], tag=tag)
            if not forms:
                return None
            return replacement[: match.start()] + _keep_case(word, forms[0]) + replacement[match.end():]
    return None


# -- case and layout -------------------------------------------------------------------------------
def _keep_case(original: str, word: str) -> str:
    return word[0].upper() + word[1:] if original[:1].isupper() and word else word


def is_acronym(original: str) -> bool:
    """One short word in capitals, perhaps with a plural or possessive ending: "LAC", "DNAs"."""
    words = WORD.findall(original)
    if len(words) != 1:
        return False
    letters = re.sub(r"(?:['’]?s|['’]d|ed)$", "", words[0])
    return 1 < len(letters) <= 5 and letters.isupper()


def match_case(original: str, replacement: str) -> str:
    """Follow the original's capitalisation: UPPER, Title Case, Capital first letter, or as written."""
    letters = [ch for ch in original if ch.isalpha()]
    if not letters or not replacement:
        return replacement
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    words = [word for word in WORD.findall(original) if word.lower() not in _SMALL_WORDS]
    if len(words) > 1 and all(word[0].isupper() for word in words):
        chars = list(replacement)
        for index, match in enumerate(WORD.finditer(replacement)):
            word = match.group()
            if not (index and word.lower() in _SMALL_WORDS):
                chars[match.start()] = word[0].upper()
        return "".join(chars)
    if letters[0].isupper() and original.lstrip()[:1].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def keep_line_breaks(original: str, replacement: str) -> str | None:
    """Carry a line break inside the original phrase over to the replacement.

    A phrase wrapped over two lines ("challenging\\n  behaviour") keeps its line structure, so the
    lines around a fix stay as they were. None when the replacement has no space to break at.
    """
    separators = re.findall(r"\s+", original.strip())
    if not any("\n" in s for s in separators):
        return replacement
    spaces = list(re.finditer(r" +", replacement))
    if not spaces:
        return None
    index = next(i for i, s in enumerate(separators) if "\n" in s)
    target = spaces[min(index, len(spaces) - 1)]
    separator = next(s for s in separators if "\n" in s)
    return replacement[: target.start()] + separator + replacement[target.end():]


def hyphenated(original: str) -> bool:
    """Whether the original's words are all joined by hyphens ("hard-to-reach")."""
    separators = re.findall(r"[^\w'\u2019]+", original.strip())
    return bool(separators) and all(s == "-" for s in separators)


def replacement_for(original: str, alternative: str) -> str | None:
    """`alternative` fitted to `original` by number and case alone (no context); None when it
    cannot be done safely. The context-aware path is tilint.engine.rewrite."""
    adapted = match_case(original, match_number(original, alternative))
    return keep_line_breaks(original, adapted)


def indefinite_article(word: str) -> str:
    """ "a" or "an" before `word`, by how it is usually said."""
    lower = word.lower()
    if lower.startswith(("uni", "use", "usu", "eu", "one", "once", "ubiq")):
        return "a"
    if lower.startswith(("hour", "honest", "honour", "heir")):
        return "an"
    return "an" if lower[:1] in "aeiou" else "a"
