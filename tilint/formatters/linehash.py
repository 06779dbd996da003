"""GitHub code scanning's `primaryLocationLineHash`: the fingerprint GitHub gives a line of a file.

Code scanning recognises an alert across commits by this value alone. GitHub's upload action
computes it from the source file when a SARIF result lacks it, and warns when a value in the file
differs from its own; an upload through the REST API computes nothing, so alerts would be duplicated.
tilint therefore writes exactly the value GitHub computes, following the algorithm the upload
action documents (github/codeql-action, src/fingerprints.ts): a rolling hash, base 37 modulo 2**64,
over the first 100 characters from the start of each line, spaces and tabs skipped, every line
ending read as a line feed, the end of the file marked by 65535 and then zeros; characters are
UTF-16 code units of the file read as UTF-8; a counter tells identical hashes in one file apart
("hash:n", in line order).
"""

from __future__ import annotations

BLOCK_SIZE = 100
_MOD = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_MOD, BLOCK_SIZE, 1 << 64)
_END = 65535
_SPACE, _TAB, _LF, _CR = 32, 9, 10, 13


def line_hashes(data: bytes) -> dict[int, str]:
    """1-based line number -> GitHub's primaryLocationLineHash for every line of the file."""
    text = data.decode("utf-8", "replace")
    units = memoryview(text.encode("utf-16-le", "surrogatepass")).cast("H").tolist()
    units.append(_END)
    window = [0] * BLOCK_SIZE
    line_at = [-1] * BLOCK_SIZE  # the line that starts at each window slot, or -1
    counts: dict[str, int] = {}
    hashes: dict[int, str] = {}
    value = index = line = 0
    line_start, previous_cr = True, False

    def emit(slot: int, value: int) -> None:
        key = format(value, "x")
        counts[key] = counts.get(key, 0) + 1
        hashes[line_at[slot]] = f"{key}:{counts[key]}"
        line_at[slot] = -1

    for unit in units:
        if unit in (_SPACE, _TAB) or (previous_cr and unit == _LF):
            previous_cr = False
            continue
        previous_cr = unit == _CR
        if previous_cr:
            unit = _LF
        if line_at[index] != -1:
            emit(index, value)
        if line_start:
            line_start = False
            line += 1
            line_at[index] = line
        if unit == _LF:
            line_start = True
        value = (_MOD * value + unit - _FIRST_MOD * window[index]) & _MASK
        window[index] = unit
        index = (index + 1) % BLOCK_SIZE
    for _ in range(BLOCK_SIZE):
        if line_at[index] != -1:
            emit(index, value)
        value = (_MOD * value - _FIRST_MOD * window[index]) & _MASK
        window[index] = 0
        index = (index + 1) % BLOCK_SIZE
    return hashes
