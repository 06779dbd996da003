"""Inline suppressions: `<!-- tilint-disable-next-line ids -->` and friends.

Some flagged phrases are right where they are (a quotation, a statutory term), and the author is the
person who knows. Directives live in the source file, so they are read from the file's own text and
applied to findings by their source line and column, after the cache (which stores raw findings).

Forms, in Markdown and HTML comments (and, in plain-text files, also as a line of their own):

- `tilint-disable-next-line [ids]`: findings starting on the line after the directive;
- `tilint-disable-line [ids]`: findings starting on the directive's own line;
- `tilint-disable [ids]` ... `tilint-enable [ids]`: findings starting in between (to the end of the
  file when never re-enabled).

`ids` are rule ids or categories, separated by commas or spaces; none means every rule. Directives
apply to formats whose findings carry source lines (text, Markdown, HTML).
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from tilint.findings import Finding
from tilint.readers.directives import COMMENT, LINE

UNUSED_RULE = "unused-suppression"
UNUSED_CATEGORY = "suppression"
#: formats whose finding positions are the source file's own lines and columns
LINE_FORMATS = frozenset({"text", "markdown", "html"})

_COMMENT = COMMENT
_LINE = LINE
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

Position = tuple[int, int]  # (line, column), both 1-based


@dataclass
class Directive:
    kind: str
    ids: tuple[str, ...]  # empty: every rule
    line: int
    column: int
    end: Position
    #: ids (or "*" for all) that suppressed at least one finding
    used: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"tilint-{self.kind}" + (f" {', '.join(self.ids)}" if self.ids else "")


@dataclass
class _Region:
    start: Position
    end: Position | None
    ids: tuple[str, ...]
    directive: Directive
    #: ids re-enabled inside a region that disables everything
    excepted: frozenset[str] = frozenset()


def parse_directives(text: str, fmt: str) -> list[Directive]:
    """Every directive in `text`, in order, with its (line, column) and the position it ends at."""
    if "tilint-" not in text:
        return []
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def position(offset: int) -> Position:
        line = bisect_right(newlines, offset - 1)
        start = newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    matches = list(_COMMENT.finditer(text))
    if fmt == "text":
        taken = [m.span() for m in matches]
        matches += [m for m in _LINE.finditer(text) if not any(s <= m.start() < e for s, e in taken)]
    code_lines = _markdown_code_lines(text) if fmt == "markdown" and matches else set()
    directives = []
    for match in sorted(matches, key=lambda m: m.start()):
        ids = tuple(part for part in re.split(r"[\s,]+", match.group("ids")) if part)
        line, column = position(match.start("directive") if match.re is _LINE else match.start())
        if line in code_lines:  # an example in a code block (documentation about tilint) is not a directive
            continue
        directives.append(Directive(match.group("kind"), ids, line, column, position(match.end())))
    return directives


def _markdown_code_lines(text: str) -> set[int]:
    """1-based numbers of the lines inside fenced or indented code blocks."""
    from tilint.readers.markdown import _parser

    lines: set[int] = set()
    for token in _parser().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0] + 1, token.map[1] + 1))
    return lines


class Suppressions:
    """The directives of one file, applied to its findings; remembers which ones were used."""

    def __init__(self, directives: list[Directive]) -> None:
        self.directives = directives
        self._lines: dict[int, list[Directive]] = {}
        self._regions: list[_Region] = []
        open_regions: dict[str, _Region] = {}  # id or "*" -> region
        for directive in directives:
            if directive.kind == "disable-next-line":
                self._lines.setdefault(directive.end[0] + 1, []).append(directive)
            elif directive.kind == "disable-line":
                self._lines.setdefault(directive.line, []).append(directive)
            elif directive.kind == "disable":
                self._open(open_regions, directive)
            else:
                self._close(open_regions, directive)
        self._regions.extend(open_regions.values())

    def _open(self, open_regions: dict[str, _Region], directive: Directive) -> None:
        if not directive.ids:
            for region in open_regions.values():
                region.end = directive.end
                self._regions.append(region)
            open_regions.clear()
            open_regions["*"] = _Region(directive.end, None, (), directive)
            return
        everything = open_regions.get("*")
        for rule_id in directive.ids:
            if everything is not None and rule_id in everything.excepted:
                everything.end = directive.end
                self._regions.append(everything)
                everything = _Region(
                    directive.end, None, (), everything.directive, everything.excepted - {rule_id}
                )
                open_regions["*"] = everything
            elif rule_id not in open_regions:
                open_regions[rule_id] = _Region(directive.end, None, (rule_id,), directive)

    def _close(self, open_regions: dict[str, _Region], directive: Directive) -> None:
        at = (directive.line, directive.column)
        keys = list(open_regions) if not directive.ids else [i for i in directive.ids if i in open_regions]
        for key in keys:
            region = open_regions.pop(key)
            region.end = at
            self._regions.append(region)
        everything = open_regions.get("*")
        if directive.ids and everything is not None:
            everything.end = at
            self._regions.append(everything)
            open_regions["*"] = _Region(
                at, None, (), everything.directive, everything.excepted | set(directive.ids)
            )

    def suppresses(self, finding: Finding) -> bool:
        """True (and the directive marked used) when a directive covers `finding`."""
        if finding.line is None or finding.column is None:
            return False
        keys = {finding.rule, finding.category}
        hit = False
        for directive in self._lines.get(finding.line, ()):
            hit |= _claim(directive, directive.ids, keys)
        position = (finding.line, finding.column)
        for region in self._regions:
            if region.start <= position and (region.end is None or position < region.end):
                if keys & region.excepted:
                    continue
                hit |= _claim(region.directive, region.ids, keys)
        return hit

    def unused(self, known: set[str]) -> list[tuple[Directive, str]]:
        """(directive, why) for disabling directives that suppressed nothing, or name unknown ids."""
        problems = []
        for directive in self.directives:
            if directive.kind == "enable":
                unknown = [i for i in directive.ids if i not in known]
                if unknown:
                    problems.append((directive, f"names unknown rule or category {', '.join(unknown)}"))
                continue
            if not directive.ids:
                if "*" not in directive.used:
                    problems.append((directive, "suppresses nothing"))
                continue
            unknown = [i for i in directive.ids if i not in known]
            idle = [i for i in directive.ids if i in known and i not in directive.used]
            if unknown:
                problems.append((directive, f"names unknown rule or category {', '.join(unknown)}"))
            if idle:
                problems.append((directive, f"suppresses nothing for {', '.join(idle)}"))
        return problems


def _claim(directive: Directive, ids: tuple[str, ...], keys: set[str]) -> bool:
    if not ids:
        directive.used.add("*")
        return True
    matched = keys.intersection(ids)
    directive.used.update(matched)
    return bool(matched)


def source_text(data: bytes, fmt: str | None) -> str | None:
    """The file's text as its reader decodes it, or None when it cannot hold a directive."""
    if fmt not in LINE_FORMATS or (b"tilint-" not in data and not data.startswith(_BOMS[1:])):
        return None
    from tilint.document import ReadError

    try:
        if fmt == "html":
            from tilint.readers.html import decode_html

            return decode_html(data)
        from tilint.readers.encoding import decode_text

        return decode_text(data)
    except (ReadError, ImportError):
        return None


def apply_suppressions(
    findings: list[Finding],
    data: bytes | None,
    fmt: str | None,
    report_unused: bool = False,
    known: set[str] | None = None,
) -> list[Finding]:
    """`findings` minus suppressed ones, plus `unused-suppression` findings when asked."""
    text = source_text(data, fmt) if data is not None else None
    if text is None:
        return findings
    directives = parse_directives(text, fmt or "text")
    if not directives:
        return findings
    suppressions = Suppressions(directives)
    kept = [f for f in findings if not suppressions.suppresses(f)]
    if report_unused:
        kept.extend(unused_findings(suppressions, known or set()))
        kept.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule))
    return kept


def unused_findings(suppressions: Suppressions, known: set[str]) -> list[Finding]:
    out = []
    for directive, why in suppressions.unused(known):
        out.append(
            Finding(
                rule=UNUSED_RULE,
                category=UNUSED_CATEGORY,
                severity="warning",
                message=f"Unused suppression: {directive.label} {why}.",
                text=directive.label,
                suggestions=[],
                line=directive.line,
                column=directive.column,
                end_line=directive.end[0],
                end_column=directive.end[1],
            )
        )
    return out
