"""Content sketches, so a comparison of two audits can follow a document that was renamed (and edited).

A sketch is a bottom-k MinHash of the text's word 3-grams: the `SIZE` smallest of their 64-bit
hashes. Two sketches estimate the Jaccard similarity of the two texts' 3-gram sets (Broder, "On the
resemblance and containment of documents", 1997): take the smallest `SIZE` hashes of their union
and count how many are in both. It costs about half a millisecond for a 1,500-word document, and 64
integers to store; the hashes are built from CRC-32 rather than Python's `hash` because sketches
must compare across processes and years.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable

SIZE = 64
#: the texts' similarity at or above which a gone document and a new one are the same, renamed
RENAMED = 0.5
_WORD = re.compile(r"[^\W_]+")
#: words read: a sketch of the first 200,000 words says as much as one of a longer file
MAX_WORDS = 200_000


def _constants():
    import numpy as np

    return (np.uint64(c) for c in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                                   0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53))


_P1, _P2, _P3, _MIX1, _MIX2 = _constants()


def sketch(text: str) -> list[int]:
    """The sorted bottom-k hashes of the text's lower-cased word 3-grams ([] for a text without words).

    Each distinct word is hashed once (CRC-32 of its UTF-8), and a 3-gram's hash mixes its three
    words' hashes (multiply-add, then a 64-bit finaliser from MurmurHash3) in numpy: about a third
    of a microsecond a word (benchmark prose), where hashing each 3-gram's text cost 1.4.
    """
    import numpy as np

    words = _WORD.findall(text.lower())[:MAX_WORDS]
    if not words:
        return []
    table = {word: zlib.crc32(word.encode("utf-8", "surrogatepass")) for word in set(words)}
    hashes = np.fromiter(map(table.__getitem__, words), dtype=np.uint64, count=len(words))
    if len(hashes) < 3:
        hashes = np.concatenate([hashes, np.zeros(3 - len(hashes), dtype=np.uint64)])
    grams = hashes[:-2] * _P1 + hashes[1:-1] * _P2 + hashes[2:] * _P3
    grams ^= grams >> np.uint64(33)
    grams *= _MIX1
    grams ^= grams >> np.uint64(33)
    grams *= _MIX2
    grams ^= grams >> np.uint64(33)
    return np.unique(grams)[:SIZE].tolist()


def similarity(first: Iterable[int], second: Iterable[int]) -> float:
    """Estimated Jaccard similarity of the texts behind two sketches (0 when either is empty)."""
    a, b = set(first), set(second)
    if not a or not b:
        return 0.0
    union = heapq.nsmallest(min(SIZE, len(a | b)), a | b)
    shared = sum(1 for value in union if value in a and value in b)
    return shared / len(union)


def best_matches(
    gone: dict[str, list[int]], new: dict[str, list[int]], threshold: float = RENAMED
) -> list[tuple[str, str, float]]:
    """Pairs (gone key, new key, similarity), each key used once, most similar first.

    Candidates share at least one sketch value (an inverted index), so the work grows with the
    number of shared hashes rather than with the product of the two sets' sizes.
    """
    index: dict[int, list[str]] = defaultdict(list)
    for key, values in gone.items():
        for value in values:
            index[value].append(key)
    pairs: list[tuple[float, str, str]] = []
    for new_key, values in new.items():
        shared: dict[str, int] = defaultdict(int)
        for value in values:
            for old_key in index.get(value, ()):
                shared[old_key] += 1
        # only the likeliest few are scored exactly
        for old_key, _ in heapq.nlargest(5, shared.items(), key=lambda item: (item[1], item[0])):
            score = similarity(gone[old_key], values)
            if score >= threshold:
                pairs.append((score, old_key, new_key))
    pairs.sort(key=lambda item: (-item[0], item[1], item[2]))
    used_old: set[str] = set()
    used_new: set[str] = set()
    matched: list[tuple[str, str, float]] = []
    for score, old_key, new_key in pairs:
        if old_key in used_old or new_key in used_new:
            continue
        used_old.add(old_key)
        used_new.add(new_key)
        matched.append((old_key, new_key, round(score, 3)))
    return matched
