"""Safe fixes for text and Markdown: replace a flagged phrase with its rule's first alternative.

A fix is only ever proposed for a rule marked `fix: safe`, and only with the rule's first
alternative: rule authors list the best replacement first, and a tool that picked among several
would be guessing at meaning. The replacement follows the original's capitalisation (lower,
Capital, Title, UPPER) and grammatical number ("challenging behaviours" -> "behaviours of
distress", "challenging behaviour" -> "behaviour of distress"), so the sentence around it still
agrees.

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
from functools import lru_cache
from pathlib import Path

from tilint.document import Document, ReadError
from tilint.findings import FileResult, Finding

#: formats whose Document.text is the file itself, so an offset in it is an offset in the file
FIXABLE_FORMATS = ("text", "markdown")
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
#: words that end the head phrase of an alternative ("behaviours | of distress")
_HEAD_ENDS = frozenset({
    "of", "with", "who", "whom", "whose", "which", "that", "we", "they", "in", "for", "from", "to", "at",
    "on", "by", "and", "or", "as", "than", "where", "when", "experiencing", "affected", "living", "using",
})
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
)
#: plural nouns whose lemma lemminflect gives as the plural itself
_SINGULAR_OF = {"people": "person"}
_PLURAL_OF = {v: k for k, v in _SINGULAR_OF.items()}
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


# -- wording ---------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def noun_number(word: str) -> str | None:
    """"singular", "plural", or None when the word is not a noun or its number is unclear."""
    from lemminflect import getAllLemmas, getInflection

    lower = word.lower()
    if lower in _SINGULAR_OF:
        return "plural"
    if lower in _PLURAL_OF:
        return "singular"
    lemmas = getAllLemmas(lower, upos="NOUN").get("NOUN")
    if not lemmas:
        return None
    lemma = lemmas[0]
    plurals = getInflection(lemma, tag="NNS")
    if lower == lemma:
        # "sheep", "news": the plural is the same word, so the number cannot be told
        return "singular" if any(p != lower for p in plurals) else None
    return "plural" if lower in plurals else None


def inflect_noun(word: str, number: str) -> str:
    """`word` in the given number, keeping its first letter's case; unchanged when unknown."""
    from lemminflect import getAllLemmas, getInflection

    lower = word.lower()
    if number == "singular" and lower in _SINGULAR_OF:
        result = _SINGULAR_OF[lower]
    elif number == "plural" and lower in _PLURAL_OF:
        result = _PLURAL_OF[lower]
    else:
        lemmas = getAllLemmas(lower, upos="NOUN").get("NOUN")
        if not lemmas:
            return word
        forms = getInflection(lemmas[0], tag="NNS" if number == "plural" else "NN")
        if not forms:
            return word
        result = forms[0]
    return result[0].upper() + result[1:] if word[:1].isupper() else result


def match_number(original: str, alternative: str) -> str:
    """Make the alternative's head noun agree in number with the original's last word."""
    original_words = WORD.findall(original)
    if not original_words:
        return alternative
    wanted = noun_number(original_words[-1])
    if wanted is None:
        return alternative
    head = None
    for match in WORD.finditer(alternative):
        if match.group().lower() in _HEAD_ENDS:
            break
        head = match
    if head is None or noun_number(head.group()) in (None, wanted):
        return alternative
    return alternative[: head.start()] + inflect_noun(head.group(), wanted) + alternative[head.end() :]


def match_case(original: str, alternative: str) -> str:
    """Follow the original's capitalisation: UPPER, Title Case, Capital first letter, or as written."""
    letters = [ch for ch in original if ch.isalpha()]
    if not letters or not alternative:
        return alternative
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return alternative.upper()
    words = [word for word in WORD.findall(original) if word.lower() not in _SMALL_WORDS]
    if len(words) > 1 and all(word[0].isupper() for word in words):
        out = []
        for index, match in enumerate(WORD.finditer(alternative)):
            word = match.group()
            if index and word.lower() in _SMALL_WORDS:
                out.append((match.start(), word))
            else:
                out.append((match.start(), word[0].upper() + word[1:]))
        chars = list(alternative)
        for start, word in out:
            chars[start : start + len(word)] = list(word)
        return "".join(chars)
    if letters[0].isupper() and original.lstrip()[:1].isupper():
        return alternative[0].upper() + alternative[1:]
    return alternative


def keep_line_breaks(original: str, alternative: str) -> str | None:
    """Carry a line break inside the original phrase over to the replacement.

    A phrase wrapped over two lines ("challenging\\n  behaviour") keeps its line structure, so the
    lines around a fix stay as they were. None when the replacement has no space to break at.
    """
    separators = re.findall(r"\s+", original.strip())
    if not any("\n" in s for s in separators):
        return alternative
    spaces = [m for m in re.finditer(r" +", alternative)]
    if not spaces:
        return None
    index = next(i for i, s in enumerate(separators) if "\n" in s)
    target = spaces[min(index, len(spaces) - 1)]
    separator = next(s for s in separators if "\n" in s)
    return alternative[: target.start()] + separator + alternative[target.end() :]


def replacement_for(original: str, alternative: str) -> str | None:
    """The text to write in place of `original`, or None when it cannot be done safely."""
    adapted = match_case(original, match_number(original, alternative))
    return keep_line_breaks(original, adapted)


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

    @property
    def changed(self) -> bool:
        return bool(self.edits) and self.fixed != self.text

    def new_bytes(self) -> bytes:
        assert self.encoding is not None
        return self.encoding.encode(self.fixed)


def _read(path: str, data: bytes) -> Document:
    from tilint.readers import read_document

    return read_document(path, data)


def _fixable(findings: list[Finding], ruleset) -> list[tuple[Finding, str]]:
    out = []
    for finding in findings:
        if finding.fix != "safe" or finding.start is None or finding.end is None:
            continue
        rule = ruleset.get(finding.rule)
        if rule is None or rule.fix != "safe" or not rule.alternatives:
            continue
        out.append((finding, rule.alternatives[0]))
    return out


def _apply(text: str, edits: list[Edit]) -> tuple[str, list[tuple[int, int]]]:
    """The text with the edits made, and where each replacement now sits."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    cursor = 0
    shift = 0
    for edit in sorted(edits, key=lambda e: e.start):
        parts.append(text[cursor : edit.start])
        parts.append(edit.new)
        new_start = edit.start + shift
        spans.append((new_start, new_start + len(edit.new)))
        shift += len(edit.new) - (edit.end - edit.start)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts), spans


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
    edits = _candidate_edits(plan, result.findings, linter.ruleset, document.format)
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


def _candidate_edits(plan: FilePlan, findings: list[Finding], ruleset, fmt: str) -> list[Edit]:
    edits = []
    for finding, alternative in _fixable(findings, ruleset):
        assert finding.start is not None and finding.end is not None
        old = plan.text[finding.start : finding.end]
        line = finding.line or 0
        new = replacement_for(old, alternative)
        if new is None:
            plan.skipped.append((line, finding.rule, "the phrase runs over a line break"))
            continue
        if fmt == "markdown" and _MARKDOWN_SPECIAL.search(new):
            plan.skipped.append((line, finding.rule, "the replacement has Markdown markup characters"))
            continue
        if fmt == "markdown" and _is_link_label(plan.text, finding.start, finding.end):
            plan.skipped.append((line, finding.rule, LINK_LABEL))
            continue
        assert plan.encoding is not None
        try:
            plan.encoding.encode(new)
        except UnicodeEncodeError:
            reason = f"the replacement cannot be written in {plan.encoding.name}"
            plan.skipped.append((line, finding.rule, reason))
            continue
        if new != old:
            edits.append(Edit(finding.start, finding.end, old, new, finding.rule, line))
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
