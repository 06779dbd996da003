"""Safe fixes for text and Markdown: apply the rewrites that are right in every context.

Only rewrites a rule declares `level: safe` are applied (tilint.engine.rewrite fits each one into
its sentence: verb form, number, case, articles, and leaves it out where it would not fit);
suggested rewrites, which depend on the sentence, are for a person to accept in Word
(`tilint annotate --suggest`), never applied here.

Every other byte of the file is kept: the file is decoded in the encoding it was written in and
encoded back into it, and a file that would not round-trip exactly (a guessed legacy encoding, a
damaged byte) is not touched. A fix whose replacement would itself be flagged is dropped, so a
second run changes nothing. Writing goes through a temporary file in the same folder and a rename,
keeping the file's permissions, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tilint.document import Document, ReadError
from tilint.engine import rewrite
from tilint.engine.wording import keep_line_breaks, match_case, match_number, replacement_for
from tilint.findings import FileResult

__all__ = [  # the wording helpers are re-exported for callers of the older API
    "FilePlan", "detect_encoding", "keep_line_breaks", "match_case", "match_number", "plan_file",
    "replacement_for", "unified_diff", "write_atomic", "write_plan",
]

#: formats whose Document.text is the file itself, so an offset in it is an offset in the file
FIXABLE_FORMATS = ("text", "markdown")
#: characters that would change Markdown's meaning if a replacement brought them in
_MARKDOWN_SPECIAL = re.compile(r"[*_`\[\]<>#\\|]")
LINK_LABEL = "the phrase is a link label; renaming it would break the link"
#: how many times planning re-checks after dropping unstable fixes
_MAX_ROUNDS = 3


# -- encodings -------------------------------------------------------------------------------------
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class TextEncoding:
    """How a file's bytes became text: an optional byte-order mark and a codec."""

    codec: str
    bom: bytes = b""

    def decode(self, data: bytes) -> str:
        return data[len(self.bom) :].decode(self.codec)

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)

    @property
    def name(self) -> str:
        return f"{self.codec} with BOM" if self.bom else self.codec


def detect_encoding(data: bytes) -> TextEncoding:
    """The encoding `tilint.readers.encoding.decode_text` reads `data` in (BOM, UTF-8, else a guess)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return TextEncoding(codec, bom)
    try:
        data.decode("utf-8")
        return TextEncoding("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    return TextEncoding(best.encoding if best is not None else "cp1252")


# -- planning --------------------------------------------------------------------------------------
@dataclass
class Edit:
    """One replacement, by character offsets in the decoded text."""

    start: int
    end: int
    old: str
    new: str
    rule: str
    line: int


@dataclass
class FilePlan:
    """What `tilint fix` would do to one file."""

    path: str
    text: str = ""
    fixed: str = ""
    encoding: TextEncoding | None = None
    original: bytes = b""
    edits: list[Edit] = field(default_factory=list)
    #: (line, rule, reason) for safe findings that are left alone
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    error: str | None = None
    #: why the file is not a candidate at all (not text or Markdown); no error
    unsupported: str | None = None
    #: the file's findings as `tilint check` reports them (after suppressions)
    result: FileResult | None = None

    @property
    def changed(self) -> bool:
        return bool(self.edits) and self.fixed != self.text

    def new_bytes(self) -> bytes:
        assert self.encoding is not None
        return self.encoding.encode(self.fixed)


def _read(path: str, data: bytes) -> Document:
    from tilint.readers import read_document

    return read_document(path, data)


def _apply(text: str, edits: list[Edit]) -> tuple[str, list[tuple[int, int]]]:
    """The text with the edits made, and where each replacement now sits."""
    return rewrite.apply(text, edits)  # type: ignore[arg-type]


def plan_file(
    linter,
    path: str,
    data: bytes | None = None,
    postprocess: Callable[[FileResult, bytes], None] | None = None,
) -> FilePlan:
    """Work out the safe fixes for one file without writing anything. Never raises for a bad file.

    `postprocess` filters the findings in place the way `tilint check` does (inline suppressions,
    per-file ignores), so a phrase an author has deliberately kept is never rewritten.
    """
    from tilint.readers import READERS

    plan = FilePlan(path=path)
    if data is None and not Path(path).is_file():
        # A missing file is the user's mistake whatever its extension; say so before anything else.
        plan.error = "is a directory" if Path(path).is_dir() else "no such file"
        return plan
    entry = READERS.get(Path(path).suffix.lower())
    if entry is None or entry[1] not in FIXABLE_FORMATS:
        kind = entry[1] if entry else (Path(path).suffix or "extensionless")
        plan.unsupported = f"{kind} files are not fixed (only text and Markdown)"
        return plan
    try:
        if data is None:
            data = Path(path).read_bytes()
        document = _read(path, data)
    except ReadError as exc:
        plan.error = str(exc)
        return plan
    except OSError as exc:
        plan.error = f"cannot read: {exc.strerror or exc}"
        return plan
    if document.format not in FIXABLE_FORMATS:
        plan.unsupported = f"{document.format} files are not fixed (only text and Markdown)"
        return plan
    encoding = detect_encoding(data)
    try:
        same = encoding.decode(data) == document.text and encoding.encode(document.text) == data
    except (UnicodeError, LookupError):
        same = False
    if not same:
        plan.error = "its encoding could not be determined exactly, so it is left unchanged"
        return plan
    plan.original, plan.encoding, plan.text = data, encoding, document.text
    result = linter.check(document)
    if postprocess is not None:
        postprocess(result, data)
    plan.result = result
    edits = _candidate_edits(plan, result, linter.ruleset, document)
    for _ in range(_MAX_ROUNDS):
        fixed, spans = _apply(plan.text, edits)
        unstable = _unstable(linter, path, fixed, encoding, spans)
        if not unstable:
            break
        keep = []
        for index, edit in enumerate(sorted(edits, key=lambda e: e.start)):
            if index in unstable:
                reason = f"the replacement {edit.new!r} would be flagged too"
                plan.skipped.append((edit.line, edit.rule, reason))
            else:
                keep.append(edit)
        edits = keep
    else:  # still unstable after several rounds: change nothing rather than something unsure
        plan.skipped.extend((e.line, e.rule, "the fixed text would still be flagged") for e in edits)
        edits = []
    plan.edits = sorted(edits, key=lambda e: e.start)
    plan.fixed = _apply(plan.text, plan.edits)[0]
    return plan


def _candidate_edits(plan: FilePlan, result: FileResult, ruleset, document: Document) -> list[Edit]:
    rewrites, left = rewrite.plan(document, result.findings, ruleset, "safe")
    for finding, reason in left:
        plan.skipped.append((finding.line or 0, finding.rule, reason))
    edits = []
    for done in rewrites:
        line = done.finding.line or 0
        if document.format == "markdown" and _MARKDOWN_SPECIAL.search(done.new):
            plan.skipped.append((line, done.rule, "the replacement has Markdown markup characters"))
            continue
        if document.format == "markdown" and _is_link_label(plan.text, done.start, done.end):
            plan.skipped.append((line, done.rule, LINK_LABEL))
            continue
        assert plan.encoding is not None
        try:
            plan.encoding.encode(done.new)
        except UnicodeEncodeError:
            reason = f"the replacement cannot be written in {plan.encoding.name}"
            plan.skipped.append((line, done.rule, reason))
            continue
        edits.append(Edit(done.start, done.end, done.old, done.new, done.rule, line))
    return edits


def _is_link_label(text: str, start: int, end: int) -> bool:
    """`[phrase]` or `[phrase][]` used as a Markdown reference: its text is also the link's name."""
    if text[start - 1 : start] != "[" or text[end : end + 1] != "]":
        return False
    after = text[end + 1 : end + 3]
    return not (after.startswith("(") or (after.startswith("[") and after != "[]"))


def _unstable(linter, path: str, fixed: str, encoding: TextEncoding, spans: list[tuple[int, int]]
              ) -> set[int]:
    """Indexes of replacements that the rules would flag again (so a second run would change them)."""
    if not spans:
        return set()
    try:
        document = _read(path, encoding.encode(fixed))
    except (ReadError, UnicodeError):
        return set(range(len(spans)))
    flagged = [(f.start, f.end) for f in linter.check(document).findings if f.start is not None]
    return {
        index
        for index, (start, end) in enumerate(spans)
        if any(s < end and start < e for s, e in flagged)  # type: ignore[operator]
    }


# -- output ----------------------------------------------------------------------------------------
def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff that `patch -p0` and `git apply` accept, line endings included."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(old_lines, new_lines, fromfile=path, tofile=path, n=3):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str | Path, data: bytes, mode: int | None = None) -> None:
    """Write through a temporary file in the same folder and a rename.

    `mode` defaults to the existing file's permissions, else those a new file would get. A symbolic
    link is followed, so the file it points to is replaced, not the link.
    """
    target = Path(os.path.realpath(path))
    if mode is None:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = _default_mode()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tilint-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_plan(plan: FilePlan) -> None:
    """Apply a plan's fixes, refusing if the file changed since it was read."""
    current = Path(plan.path).read_bytes()
    if current != plan.original:
        raise OSError(f"{plan.path} changed while tilint was fixing it; run tilint fix again")
    write_atomic(plan.path, plan.new_bytes())


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n\s*\n")


def preview(plan: FilePlan) -> list[tuple[int, str, str]]:
    """(line, before, after) for each sentence a fix changes: what a person reads to judge it.

    A sentence runs from the end of the previous one (or its paragraph's start) to its own end;
    line breaks inside it are read as spaces, as a reader would.
    """
    out: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for edit in plan.edits:
        start, end = _sentence(plan.text, edit.start, edit.end)
        if taken and start < taken[-1][1]:
            continue  # a second fix in a sentence already shown
        taken.append((start, end))
        inside = [e for e in plan.edits if start <= e.start and e.end <= end]
        after = rewrite.apply(plan.text[start:end], [_shifted(e, start) for e in inside])[0]
        out.append((edit.line, " ".join(plan.text[start:end].split()), " ".join(after.split())))
    return out


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    begin = before[-1] if before else 0
    after = _SENTENCE_END.search(text, end)
    finish = after.end() if after and after.group().strip() else (after.start() if after else len(text))
    return begin, finish


def _shifted(edit: Edit, offset: int) -> Edit:
    return Edit(edit.start - offset, edit.end - offset, edit.old, edit.new, edit.rule, edit.line)


def needs_a_person(plan: FilePlan) -> int:
    """How many of the file's findings no fix takes care of: they need a person to reword them."""
    if plan.result is None:
        return 0
    fixed = {(e.rule, e.line) for e in plan.edits}
    return sum(1 for f in plan.result.findings if (f.rule, f.line) not in fixed)
