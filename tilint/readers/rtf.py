"""Rich Text Format (.rtf): the body text, one line per paragraph.

striprtf turns the control words into text (honouring the declared code page and \\u escapes) and
drops destinations such as font tables, pictures, headers and footnotes. Table rows come out as
"cell|cell|"; each cell is read as its own line so that no phrase runs from one cell into the next.
"""

from __future__ import annotations

import re

from tilint.document import Document, ReadError
from tilint.readers.safety import TextBuilder, describe, short_reason, tidy_inline

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read(path: str, data: bytes) -> Document:
    if not data.strip():
        return TextBuilder().document(path, "rtf")
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise ReadError(f"not an RTF file (looks like {describe(data)})")
    # RTF is 7-bit text with escapes; any raw 8-bit bytes are most likely Windows-1252.
    source = data.decode("cp1252", errors="replace")
    try:
        from striprtf.striprtf import rtf_to_text

        text = rtf_to_text(source, errors="ignore")
    except RecursionError:
        raise ReadError("cannot read rtf: nested too deeply (damaged or hostile file)") from None
    except Exception as exc:  # striprtf is a simple scanner; any failure means a damaged file
        raise ReadError(f"cannot read rtf: {short_reason(exc)}") from None
    out = TextBuilder()
    number = 0
    for raw_line in _CONTROL.sub("", text).split("\n"):
        cells = raw_line[:-1].split("|") if raw_line.endswith("|") else [raw_line]
        for cell in cells:
            line = tidy_inline(cell).strip()
            if line:
                number += 1
                out.line(line, f"paragraph {number}")
    return out.document(path, "rtf")
