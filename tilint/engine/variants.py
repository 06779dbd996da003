"""Expand a rule's phrases into every surface form people write.

One rule entry should cover "case"/"cases", "abscond"/"absconded", "hard to reach"/"hard-to-reach",
"behaviour"/"behavior" and any capitalisation. Doing this once, when rules are compiled, means the
documents never need a lemmatiser (spaCy's lookup lemmatiser leaves capitalised words alone, and a
trained one is slow), and matching stays a cheap lookup on lowercase token text.
"""

from __future__ import annotations

import re
from functools import cache

#: characters written between the parts of a compound ("hard-to-reach")
HYPHENS = ["-", "\u2010", "\u2011", "\u2012", "\u2013"]
QUOTES_OPEN = {"'", '"', "\u2018", "\u201c", "\u00ab", "\u201a", "\u201e", "`"}
QUOTES_CLOSE = {"'", '"', "\u2019", "\u201d", "\u00bb", "`"}

_UPOS = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ"}
DEFAULT_INFLECT = ("noun", "verb")

#: UK <-> US spelling pairs as (regex, replacement), applied both ways to each word form. Making
#: a form that is not a real word is harmless: it never occurs in text.
_SPELLING = [
    (r"our(s|ed|ing|al|ally|able|ite|ites)?$", r"or\1"),
    (r"is(e|es|ed|ing|ation|ations|er|ers)$", r"iz\1"),
    (r"ys(e|es|ed|ing)$", r"yz\1"),
    (r"tre(s)?$", r"ter\1"),
    (r"(?<=.)ae", "e"),
    (r"(?<=.)oe(?=[^\W_])", "e"),
    (r"ogue(s)?$", r"og\1"),
    (r"programme(s)?$", r"program\1"),
    (r"gement(s)?$", r"gment\1"),
    (r"ll(ing|ed|or|ors)$", r"l\1"),
    (r"(defen|offen|licen|preten)ce(s)?$", r"\1se\2"),
]
_SPELLING_BACK = [
    (r"or(s|ed|ing|al|ally|able)?$", r"our\1"),
    (r"iz(e|es|ed|ing|ation|ations|er|ers)$", r"is\1"),
    (r"ter(s)?$", r"tre\1"),
    (r"program(s)?$", r"programme\1"),
]


def spelling_variants(form: str) -> set[str]:
    """The form plus its UK/US counterparts."""
    out = {form}
    for pattern, replacement in _SPELLING + _SPELLING_BACK:
        changed = re.sub(pattern, replacement, form)
        if changed != form:
            out.add(changed)
    return out


@cache
def _inflections(word: str, pos: tuple[str, ...]) -> frozenset[str]:
    """Inflections from lemminflect's dictionary; for a word it does not know at all (such as
    "carer" or "paedophile"), the regular noun plural from its rules."""
    from lemminflect import getAllInflections, getAllInflectionsOOV, getAllLemmas

    forms = {word}
    for part in pos:
        for tag_forms in getAllInflections(word, upos=_UPOS[part]).values():
            forms.update(tag_forms)
    if len(forms) == 1 and "noun" in pos and word.isalpha() and not getAllLemmas(word):
        forms.update(getAllInflectionsOOV(word, upos="NOUN").get("NNS", ()))
    return frozenset(forms)


def word_forms(word: str, inflect: bool | tuple[str, ...] = DEFAULT_INFLECT, case_sensitive: bool = False) -> set[str]:
    """Every spelling of one word of a phrase: inflections (if it is a base form) and UK/US variants.

    Inflections are only generated from a base form, so a phrase author can pin an exact form by
    writing it ("looked after" does not match "looking after").
    """
    base = word if case_sensitive else word.lower()
    if not any(ch.isalpha() for ch in base):
        return {base}
    forms: set[str] = {base}
    if inflect:
        pos = DEFAULT_INFLECT if inflect is True else tuple(inflect)
        lookup = base.lower()
        inflected = _inflections(lookup, pos)
        if base != lookup:  # keep the author's capitalisation for case-sensitive acronyms
            inflected = frozenset(base + f[len(lookup):] if f.startswith(lookup) else f for f in inflected)
        forms |= inflected
    out: set[str] = set()
    for form in forms:
        out |= spelling_variants(form)
    return out
