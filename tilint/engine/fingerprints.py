"""Stable identities for findings, so a finding keeps its identity while the file around it changes.

Baselines and SARIF's partialFingerprints both need to recognise "the same finding" after lines are
added above it or its paragraph is reflowed, so a fingerprint never uses line numbers. It hashes the
rule id, the matched words and the words of the sentence around the match, each normalised (Unicode
NFKC, case-folded, punctuation and white space reduced to single spaces, so Markdown emphasis, line
breaks and a changed link target do not matter). Identical fingerprints in one file are told apart by
an occurrence counter (`occurrence_keys`).

The fingerprint is computed when a document is analysed and stored on the Finding, so it is cached
with the raw findings and available on a warm run without reading the document again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from tilint.document import Document
from tilint.findings import Finding

#: bump when the fingerprint recipe changes (it is part of the result-cache key)
FINGERPRINT_VERSION = 1
#: how far to look for the ends of a sentence; a "sentence" longer than this is cut
SENTENCE_REACH = 400

_WORDS = re.compile(r"[^\W_]+")
#: where a sentence ends: terminal punctuation then space, a blank line, or a new list item/heading/row
_BOUNDARY = re.compile(
    r"[.!?]+['\"\u2019\u201d)\]]*(?=\s)"
    r"|\n[^\S\n]*\n"
    r"|\n[^\S\n]*(?:[-*+>#|]|\d+[.)])(?=\s)"
)


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces: what survives reflowing and re-punctuating."""
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", text).casefold()))


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or list item, heading, table row) holding text[start:end]."""
    left = max(0, start - SENTENCE_REACH)
    before = text[left:start]
    sentence_start = left
    for match in _BOUNDARY.finditer(before):
        sentence_start = left + match.end()
    right = min(len(text), end + SENTENCE_REACH)
    found = _BOUNDARY.search(text, end, right)
    if found is None:
        sentence_end = right
    else:  # keep a full stop with its sentence; a blank line or list marker belongs to neither
        sentence_end = found.end() if found.group().startswith((".", "!", "?")) else found.start()
    return text[sentence_start:sentence_end].strip()


def fingerprint(rule: str, matched: str, sentence: str) -> str:
    """A short hex digest of the rule, the normalised match and its normalised sentence."""
    payload = "\0".join((rule, normalise(matched), normalise(sentence)))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def add_fingerprints(document: Document, findings: Iterable[Finding]) -> None:
    """Set `fingerprint` on each finding of `document` (in place)."""
    text: str | None = None
    for finding in findings:
        if finding.start is None or finding.end is None:
            finding.fingerprint = fingerprint(finding.rule, finding.text, "")
            continue
        if text is None:
            # Ignored spans (link targets, code) are blanked, so changing them changes nothing.
            text = document.analysable_text()
        finding.fingerprint = fingerprint(
            finding.rule, finding.text, sentence_around(text, finding.start, finding.end)
        )


def fingerprint_of(finding: Finding) -> str:
    """The stored fingerprint, or (for findings from an older cache) one from the finding's line."""
    if finding.fingerprint:
        return finding.fingerprint
    return fingerprint(finding.rule, finding.text, finding.context or "")


def occurrence_keys(findings: Iterable[Finding]) -> list[str]:
    """`fingerprint:n` for each finding, n counting identical fingerprints in document order."""
    seen: dict[str, int] = {}
    keys = []
    for finding in findings:
        base = fingerprint_of(finding)
        seen[base] = seen.get(base, 0) + 1
        keys.append(f"{base}:{seen[base]}")
    return keys
