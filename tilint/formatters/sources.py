"""The lines of a checked file, read again (once) when an output format needs them.

Findings carry 1-based character columns, but some consumers count differently (reviewdog counts
UTF-8 bytes). Converting needs the source line, which only the file itself holds, decoded exactly
as its reader decodes it so that columns agree.
"""

from __future__ import annotations

from pathlib import Path

#: formats whose findings' lines and columns are the source file's own
LINE_FORMATS = frozenset({"text", "markdown", "html"})


class SourceLines:
    """Source lines per path, decoded like the readers decode them; None when unreadable."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}
        self._hashes: dict[str, dict[int, str] | None] = {}

    def github_line_hashes(self, path: str) -> dict[int, str] | None:
        """GitHub's primaryLocationLineHash per line of the file (see tilint.formatters.linehash)."""
        if path not in self._hashes:
            from tilint.formatters.linehash import line_hashes

            try:
                self._hashes[path] = None if path == "-" else line_hashes(Path(path).read_bytes())
            except OSError:
                self._hashes[path] = None
        return self._hashes[path]

    def lines(self, path: str, fmt: str | None) -> list[str] | None:
        if path not in self._files:
            self._files[path] = _read_lines(path, fmt)
        return self._files[path]

    def line(self, path: str, fmt: str | None, number: int) -> str | None:
        lines = self.lines(path, fmt)
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


def _read_lines(path: str, fmt: str | None) -> list[str] | None:
    if path == "-" or fmt not in LINE_FORMATS:
        return None
    from tilint.document import ReadError

    try:
        data = Path(path).read_bytes()
        if fmt == "html":
            from tilint.readers.html import decode_html

            text = decode_html(data)
        else:
            from tilint.readers.encoding import decode_text

            text = decode_text(data)
    except (OSError, ReadError):
        return None
    # Only "\n" ends a line, as in tilint.document.Document.text_line_col.
    return [line.removesuffix("\r") for line in text.split("\n")]


def utf8_column(line: str | None, column: int) -> int:
    """A 1-based character column as a 1-based UTF-8 byte column in `line`."""
    if line is None:
        return column
    return len(line[: column - 1].encode("utf-8", "surrogatepass")) + 1 + max(0, column - 1 - len(line))
