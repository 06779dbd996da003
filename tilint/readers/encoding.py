"""Turn bytes into text the way people's files actually arrive: BOMs, UTF-8, legacy code pages."""

from __future__ import annotations

import codecs

from tilint.document import ReadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: bytes that almost never appear in text files; a NUL in the first block means "binary"
_SNIFF = 8192


def decode_text(data: bytes) -> str:
    """Decode a text file: BOM first, then strict UTF-8, then cp1252, then a detected encoding.

    Binary files (NUL bytes without a UTF-16/32 BOM) raise ReadError rather than producing noise.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(f"invalid {encoding} text at byte {exc.start}") from None
    if b"\x00" in data[:_SNIFF]:
        raise ReadError("binary file (not text); skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Windows-1252 is what legacy documents in English overwhelmingly use; detectors guess wrongly
    # on short texts, so it is tried first and a detector only when it cannot be cp1252.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return data.decode("cp1252", errors="replace")
