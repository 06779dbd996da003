"""Output formats: one module per format, each a pure function `render(report) -> str`."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable

from tilint.formatters.report import Report

#: format name -> module in tilint.formatters
FORMATS: dict[str, str] = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
}
for _name, _module in {
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "rdjson": "rdjson",
    "rdjsonl": "rdjsonl",
    "checkstyle": "checkstyle",
    "junit": "junit",
}.items():
    if importlib.util.find_spec(f"tilint.formatters.{_module}") is not None:
        FORMATS[_name] = _module


def formatter(name: str) -> Callable[[Report], str]:
    return importlib.import_module(f"tilint.formatters.{FORMATS[name]}").render


__all__ = ["FORMATS", "Report", "formatter"]
