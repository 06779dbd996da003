"""reviewdog's `rdjsonl`: one Diagnostic per line (see tilint.formatters.rdjson)."""

from tilint.formatters.rdjson import render_lines as render

__all__ = ["render"]
