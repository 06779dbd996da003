"""Check one document: candidates -> spaCy on those paragraphs only -> findings -> framing.

Most prose holds no candidate phrase at all, so the linter first looks for the rules' anchor words
with one regular-expression pass over the lowercased text, and runs spaCy only on the paragraphs
around them. A document with no candidate never imports spaCy. That single decision is what makes
tilint faster than tokenising the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any, NamedTuple

from tilint.document import Document
from tilint.engine.cache import load_compiled
from tilint.engine.compiler import CONTEXT_ANY, CONTEXT_NONE, EXCEPTION, MATCH, CompiledRules
from tilint.engine.fingerprints import add_fingerprints
from tilint.engine.framing import SectionCounts, analyse_framing, count_sections
from tilint.engine.variants import QUOTES_CLOSE, QUOTES_OPEN
from tilint.findings import SEVERITY_RANK, FileResult, Finding
from tilint.ruleset import Rule, RuleSet

WORD = re.compile(r"[^\W_]+")
#: an apostrophe or hyphen inside a word ("don't", "hard-to-reach"): the word pieces it joins
#: count as one word
_WORD_JOIN = re.compile(r"(?<=[^\W_])['\u2019\-](?=[^\W_])")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_LINE_BREAK = re.compile(r"\n")
#: a paragraph longer than this is cut to the lines around a candidate
MAX_WINDOW = 3000
WINDOW_MARGIN = 600


class PipelineError(Exception):
    """The configured spaCy pipeline cannot be loaded or cannot serve the rules."""


def _with_spacy_stems(words: set[str]) -> set[str]:
    """`words` plus the pieces spaCy splits contractions into.

    spaCy splits "didn't" as "did" + "n't", "can't" as "ca" + "n't", "cannot" as "can" + "not";
    the regular expression splits "didn" + "t". Adding spaCy's stems keeps token patterns on them.
    """
    words |= {w[:-1] for w in words if w.endswith("n")}
    if "cannot" in words:
        words |= {"can", "not"}
    return words


def _lower_same_length(text: str) -> str:
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    # A few characters (such as "İ") lowercase to two; keep offsets true by leaving them alone.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


@dataclass
class _Window:
    start: int
    end: int
    #: rules whose anchor words occur in the window
    rules: set[str]


class Match(NamedTuple):
    """One rule's match: character offsets into the document's text."""

    rule: str
    start: int
    end: int


@dataclass
class Prepared:
    """A document ready for matching: its text and the paragraphs worth giving to spaCy."""

    document: Document
    text: str
    words: int
    windows: list[_Window]
    sections: list[SectionCounts]


def select_rules(ruleset: RuleSet, select: list[str] | None = None, ignore: list[str] | None = None) -> set[str]:
    """Ids of the rules switched on by --select/--ignore (each a rule id or a category)."""
    chosen = set()
    for rule in ruleset.all_rules():
        keys = {rule.id, rule.category}
        if select and not keys & set(select):
            continue
        if ignore and keys & set(ignore):
            continue
        chosen.add(rule.id)
    return chosen


class Linter:
    """Checks documents against a rule set. Build one per run; it loads spaCy only when needed."""

    def __init__(
        self,
        ruleset: RuleSet,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        model: str | None = None,
        severities: dict[str, str] | None = None,
        use_cache: bool = True,
        nlp: Any = None,
    ) -> None:
        self.ruleset = ruleset
        self.active = select_rules(ruleset, select, ignore)
        self.severities = dict(severities or {})
        self.model = model
        self.compiled: CompiledRules = load_compiled(ruleset, use_cache=use_cache)
        self.anchors = {
            word: ids & self.active for word, ids in self.compiled.anchors.items() if ids & self.active
        }
        self._nlp = nlp
        self._token_matchers: dict[str, Any] = {}
        self._phrase_finders: dict[str, re.Pattern] = {}
        #: phrase spellings not yet given to the phrase matchers, by (matcher key, case-sensitive)
        self._phrases_waiting: dict[tuple[str, bool], list[tuple[tuple[str, ...], list[int]]]] = {}
        self._matchers: tuple[Any, Any, Any] | None = None
        self._order = {rule_id: i for i, rule_id in enumerate(ruleset.rules)}

    def __getstate__(self) -> dict[str, Any]:
        """A copy for another process (workers started by spawn or forkserver): without spaCy's
        objects, which the copy loads again only if it matches."""
        state = dict(self.__dict__)
        state.update(_nlp=None, _matchers=None, _token_matchers={}, _phrases_waiting={})
        return state

    # -- spaCy, loaded lazily ----------------------------------------------------------------------
    @property
    def nlp(self):
        if self._nlp is None:
            import spacy

            if self.model:
                try:
                    self._nlp = spacy.load(self.model)
                except OSError as exc:
                    raise PipelineError(
                        f"spaCy pipeline {self.model!r} is not installed (install its package with pip, "
                        "or leave the model unset to use the built-in tokenizer)"
                    ) from exc
            else:
                self._nlp = spacy.blank("en")
        return self._nlp

    def load_spacy(self) -> None:
        """Load spaCy and the pipeline now rather than at the first candidate paragraph (a caller
        that knows matching is coming can overlap the load with other work)."""
        self._build_matchers()

    def _build_matchers(self):
        """The phrase matchers (one per case mode), empty until rules are added to them."""
        if self._matchers is not None:
            return self._matchers
        from spacy.matcher import PhraseMatcher

        vocab = self.nlp.vocab
        self._matchers = (PhraseMatcher(vocab, attr="LOWER"), PhraseMatcher(vocab, attr="ORTH"))
        return self._matchers

    def _add_phrases(self, rule_ids: set[str], docs: list[Any]) -> None:
        """Give the phrase matchers the spellings of these rules' phrases that could occur in `docs`.

        A rule set spells its phrases out in tens of thousands of ways, and most runs meet only a
        few of them: a spelling is added the first time every one of its tokens is in the text
        being matched, so building patterns costs in proportion to what the documents say.
        """
        from spacy.attrs import LOWER, ORTH
        from spacy.strings import get_string_id
        from spacy.tokens import Doc

        lower_matcher, exact_matcher = self._build_matchers()
        vocab = self.nlp.vocab
        present: dict[bool, set[int]] = {}
        for rule_id in rule_ids:
            for kind in (MATCH, EXCEPTION, CONTEXT_ANY, CONTEXT_NONE):
                key = f"{kind}\0{rule_id}"
                for matcher, store, exact in (
                    (lower_matcher, self.compiled.phrases, False), (exact_matcher, self.compiled.exact_phrases, True)
                ):
                    waiting = self._phrases_waiting.get((key, exact))
                    if waiting is None:
                        spellings = store.get(key, ())
                        waiting = [(seq, [get_string_id(token) for token in seq]) for seq in spellings]
                        self._phrases_waiting[key, exact] = waiting
                    if not waiting:
                        continue
                    if exact not in present:
                        attr = ORTH if exact else LOWER
                        present[exact] = {h for doc in docs for h in doc.to_array(attr).tolist()}
                    tokens = present[exact]
                    ready, still = [], []
                    for entry in waiting:
                        (ready if all(h in tokens for h in entry[1]) else still).append(entry)
                    if ready:
                        matcher.add(key, [Doc(vocab, words=list(seq)) for seq, _ in ready])
                        self._phrases_waiting[key, exact] = still

    def _token_matcher(self, key: str):
        """A Matcher for one rule's token patterns of one kind, built on first use.

        The Matcher's cost grows with its number of patterns times the tokens it reads, so each
        rule's patterns run only on paragraphs holding that rule's anchor words (and exception or
        context patterns only where the rule matched), never all patterns on all text.
        """
        if key in self._token_matchers:
            return self._token_matchers[key]
        matcher = None
        patterns = self.compiled.token_patterns.get(key)
        if patterns:
            from spacy.matcher import Matcher

            rule = self.ruleset.rules[key.split("\0", 1)[1]]
            if self.compiled.rules[rule.id].needs_trained and not self.nlp.pipe_names:
                raise PipelineError(
                    f"{rule.location}: rule {rule.id!r} uses POS/LEMMA/DEP attributes, which need a trained "
                    "spaCy pipeline; configure one with --model"
                )
            matcher = Matcher(self.nlp.vocab, validate=True)
            try:
                matcher.add(key, patterns)
            except (ValueError, KeyError) as exc:
                raise PipelineError(f"{rule.location}: rule {rule.id!r} has an invalid pattern: {exc}") from exc
        self._token_matchers[key] = matcher
        return matcher

    # -- checking ---------------------------------------------------------------------------------
    def check(self, document: Document) -> FileResult:
        prepared = self.prepare(document)
        return self.finish(prepared, self.match(prepared))

    def prepare(self, document: Document) -> Prepared:
        """Everything before spaCy: the text to check and the paragraphs that could hold a finding.

        It never imports spaCy, so a parallel run can prepare files in its workers while one
        process loads spaCy for the few paragraphs that need it (see tilint.run.local).
        """
        text = document.analysable_text()
        lower = _lower_same_length(text)
        sections, vocabulary = count_sections(document, lower, self.compiled.framing)
        # Words as people count them: "hard-to-reach" and "don't" are one word each.
        words = sum(section.words for section in sections) - len(_WORD_JOIN.findall(lower))
        windows = self.candidate_windows(text, lower, vocabulary, by_line=document.paragraphs == "line")
        return Prepared(document, text, words, windows, sections)

    def match(self, prepared: Prepared) -> list[Match]:
        """The rules' matches in the prepared paragraphs; spaCy runs here, and only when there are any."""
        return self._match_windows(prepared.text, prepared.windows) if prepared.windows else []

    def finish(self, prepared: Prepared, matches: list[Match]) -> FileResult:
        """Findings from the matches, and the document-level framing (spaCy-free)."""
        document = prepared.document
        findings = sorted((self._finding(document, *match) for match in matches), key=Finding.sort_key)
        framing = analyse_framing(document, prepared.sections, findings, self.compiled.framing, self.ruleset)
        framing["words"] = prepared.words
        result = FileResult(
            path=document.path, format=document.format, words=prepared.words, document=framing, findings=findings
        )
        doc_rule = self.ruleset.framing.document_rule
        if framing.get("risk_only") and doc_rule is not None and doc_rule.id in self.active:
            result.findings.insert(0, self._document_finding(doc_rule, framing))
        add_fingerprints(document, result.findings)
        return result

    def _document_finding(self, rule: Rule, framing: dict[str, Any]) -> Finding:
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=self.severities.get(rule.id, rule.severity),
            message=framing.get("summary") or rule.message,
            text="",
            suggestions=list(rule.alternatives),
        )

    def candidate_windows(self, text: str, lower: str, vocabulary: set[str], by_line: bool = False) -> list[_Window]:
        """Paragraphs (capped in length) that contain at least one anchor word; `vocabulary` is
        the set of the text's words."""
        words = _with_spacy_stems(set(vocabulary))
        # A rule whose words are not all somewhere in the document cannot match in any paragraph of
        # it; dropping it here spares the per-paragraph checks below for most anchor words.
        anchors = {}
        for word in words & self.anchors.keys():
            rules = {rule_id for rule_id in self.anchors[word] if self._could_match(rule_id, words)}
            if rules:
                anchors[word] = rules
        if not anchors:
            return []
        finder = re.compile(
            r"(?<![^\W_])(?:" + "|".join(sorted(map(re.escape, anchors), key=len, reverse=True)) + r")(?![^\W_])"
        )
        breaks: list[int] | None = None
        windows: list[_Window] = []
        for match in finder.finditer(lower):
            offset = match.start()
            if windows and windows[-1].start <= offset < windows[-1].end:
                windows[-1].rules |= anchors[match.group()]
                continue
            if breaks is None:
                breaks = [m.end() for m in (_LINE_BREAK if by_line else _PARAGRAPH_BREAK).finditer(text)]
            i = bisect_right(breaks, offset)
            start = breaks[i - 1] if i else 0
            end_i = bisect_left(breaks, offset + 1)
            end = breaks[end_i] if end_i < len(breaks) else len(text)
            if end - start > MAX_WINDOW:
                start = max(start, text.rfind("\n", start, max(start, offset - WINDOW_MARGIN)) + 1, 0)
                newline = text.find("\n", min(end, offset + WINDOW_MARGIN), end)
                end = newline if newline != -1 else end
                if end - start > MAX_WINDOW:  # one enormous line: cut at spaces
                    start = max(start, text.rfind(" ", start, max(start, offset - WINDOW_MARGIN)) + 1)
                    space = text.find(" ", min(end, offset + WINDOW_MARGIN), end)
                    end = space if space != -1 else end
            if windows and start < windows[-1].end:
                windows[-1].end = max(windows[-1].end, end)
                windows[-1].rules |= anchors[match.group()]
            else:
                windows.append(_Window(start, end, set(anchors[match.group()])))
        return [w for w in windows if self._possible_rules(w, lower)]

    def _possible_rules(self, window: _Window, lower: str) -> set[str]:
        """Keep the rules whose every word (some spelling of it) is in the paragraph.

        An anchor word alone is often common ("service" for "service user"); checking the other
        words with a set lookup drops most paragraphs before spaCy sees them.
        """
        words = _with_spacy_stems(set(WORD.findall(lower, window.start, window.end)))
        window.rules = {
            rule_id for rule_id in window.rules
            if self._could_match(rule_id, words) and self._phrases_could_match(rule_id, lower, window)
        }
        return window.rules

    def _phrases_could_match(self, rule_id: str, lower: str, window: _Window) -> bool:
        """Whether some phrase of the rule has its words in order in the paragraph: having them
        all somewhere in it is not enough ("services for users" is not "service users")."""
        pattern = self.compiled.rules[rule_id].phrase_pattern
        if pattern is None:  # token patterns allow gaps and any order: spaCy decides
            return True
        compiled = self._phrase_finders.get(rule_id)
        if compiled is None:
            compiled = self._phrase_finders[rule_id] = re.compile(pattern)
        return compiled.search(lower, window.start, window.end) is not None

    def _could_match(self, rule_id: str, words: set[str]) -> bool:
        """Whether every word of some pattern of the rule (and of its context, if it needs one)
        occurs, in some spelling, among `words`."""

        def possible(requirements) -> bool:
            return any(all(not forms.isdisjoint(words) for forms in required) for required in requirements)

        compiled = self.compiled.rules[rule_id]
        context = compiled.context_requires
        return possible(compiled.requires) and (context is None or possible(context))

    def _match_windows(self, text: str, windows: list[_Window]) -> list[Match]:
        phrase_matchers = self._build_matchers()
        strings = self.nlp.vocab.strings
        matches: list[Match] = []
        prepared = [_squeeze(text[w.start : w.end]) for w in windows]
        docs = list(self.nlp.pipe(squeezed for squeezed, _ in prepared))
        self._add_phrases(set().union(*(w.rules for w in windows)), docs)
        for window, (_, offsets), doc in zip(windows, prepared, docs, strict=True):
            found: dict[str, dict[str, list[tuple[int, int]]]] = {}
            for matcher in phrase_matchers:
                if not len(matcher):
                    continue
                for key, start, end in matcher(doc):
                    kind, rule_id = strings[key].split("\0", 1)
                    found.setdefault(kind, {}).setdefault(rule_id, []).append((start, end))
            for rule_id in window.rules:
                self._run_tokens(f"{MATCH}\0{rule_id}", doc, found)
            for rule_id in list(found.get(MATCH, {})):
                for kind in (EXCEPTION, CONTEXT_ANY, CONTEXT_NONE):
                    self._run_tokens(f"{kind}\0{rule_id}", doc, found)
            for rule_id, start, end in self._spans_in(doc, found):
                char_start = window.start + offsets(doc[start].idx)
                last = doc[end - 1]
                char_end = window.start + offsets(last.idx + len(last.text) - 1) + 1
                matches.append(Match(rule_id, char_start, char_end))
        return matches

    def _run_tokens(self, key: str, doc, found: dict[str, dict[str, list[tuple[int, int]]]]) -> None:
        if key not in self.compiled.token_patterns:
            return
        matcher = self._token_matcher(key)
        kind, rule_id = key.split("\0", 1)
        for _, start, end in matcher(doc):
            found.setdefault(kind, {}).setdefault(rule_id, []).append((start, end))

    def _spans_in(self, doc, found: dict[str, dict[str, list[tuple[int, int]]]]) -> list[tuple[str, int, int]]:
        matched = found.get(MATCH)
        if not matched:
            return []
        cancelled = found.get(EXCEPTION, {})
        context_any = found.get(CONTEXT_ANY, {})
        context_none = found.get(CONTEXT_NONE, {})
        candidates: list[tuple[str, int, int]] = []
        for rule_id, spans in matched.items():
            compiled = self.compiled.rules[rule_id]
            for start, end in spans:
                if any(s < end and start < e for s, e in cancelled.get(rule_id, ())):
                    continue
                if compiled.quoted == "skip" and _is_quoted(doc, start, end):
                    continue
                if compiled.has_context_any and not _near(context_any.get(rule_id), start, end, compiled.window):
                    continue
                if compiled.has_context_none and _near(context_none.get(rule_id), start, end, compiled.window):
                    continue
                candidates.append((rule_id, start, end))
        return self._most_specific(candidates)

    def _most_specific(self, candidates: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """Longest span first, then the more severe rule; overlapping spans are dropped."""

        def rank(item: tuple[str, int, int]) -> tuple:
            rule_id, start, end = item
            severity = self.severities.get(rule_id, self.ruleset.rules[rule_id].severity)
            return (-(end - start), SEVERITY_RANK[severity], self._order[rule_id], start)

        taken: list[tuple[str, int, int]] = []
        for item in sorted(set(candidates), key=rank):
            if all(item[2] <= s or e <= item[1] for _, s, e in taken):
                taken.append(item)
        return sorted(taken, key=lambda t: t[1])

    def _finding(self, document: Document, rule_id: str, start: int, end: int) -> Finding:
        rule = self.ruleset.rules[rule_id]
        line, column = document.line_col(start)
        end_line, end_column = document.line_col(end)
        text_line, text_column = document.text_line_col(start)
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=self.severities.get(rule.id, rule.severity),
            message=rule.message,
            text=document.text[start:end],
            suggestions=list(rule.alternatives),
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            where=document.where(start),
            context=document.line_text(text_line),
            context_column=text_column,
            fix=rule.fix,
        )


_WHITESPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
_HYPHEN_LIKE = str.maketrans({"\u2010": "-", "\u2011": "-"})


def _squeeze(text: str):
    """Text with every white-space run made one space (and Unicode hyphens plain), plus a function
    mapping an offset in it back to `text`.

    A phrase broken across lines or spaced twice is still the phrase, and spaCy then yields no
    white-space tokens inside it, so one token sequence per spelling is enough to match it.
    """
    runs = list(_WHITESPACE_RUN.finditer(text))
    if not runs:
        return text.translate(_HYPHEN_LIKE), lambda offset: offset
    pieces: list[str] = []
    starts: list[int] = []  # squeezed offset where each kept piece starts
    origins: list[int] = []  # original offset of the same place
    cursor = squeezed = 0
    for run in runs:
        pieces.append(text[cursor : run.start()])
        starts.append(squeezed)
        origins.append(cursor)
        squeezed += run.start() - cursor
        cursor = run.end()
        # A word hyphenated at a line break ("non-\nverbal") is one compound: drop the break.
        if _is_hyphen_break(text, run):
            continue
        pieces.append(" ")
        starts.append(squeezed)
        origins.append(run.start())
        squeezed += 1
    pieces.append(text[cursor:])
    starts.append(squeezed)
    origins.append(cursor)

    def to_original(offset: int) -> int:
        i = bisect_right(starts, offset) - 1
        return origins[i] + (offset - starts[i])

    return "".join(pieces).translate(_HYPHEN_LIKE), to_original


def _is_hyphen_break(text: str, run: re.Match) -> bool:
    start, end = run.start(), run.end()
    return (
        "\n" in run.group()
        and start >= 2
        and text[start - 1] in "-\u2010\u2011"
        and text[start - 2].isalpha()
        and end < len(text)
        and text[end].isalpha()
    )


#: how far (in tokens) a quotation around a term may reach
QUOTE_REACH = 40
_PAIRED_QUOTES = (("\u201c", "\u201d"), ("\u2018", "\u2019"))


def _is_quoted(doc, start: int, end: int) -> bool:
    """A term inside quotation marks is being mentioned, not used: "formerly called 'looked after'",
    or an example of wording to avoid ("Avoid: \u201cmanage service users with chaotic lifestyles\u201d").

    Marks right around the term count in any style; a longer quotation counts for double quotes
    and curly single quotes, whose marks are not also apostrophes in the middle of words.
    """
    if start > 0 and end < len(doc) and doc[start - 1].text in QUOTES_OPEN and doc[end].text in QUOTES_CLOSE:
        return True
    before = [t.text for t in doc[max(0, start - QUOTE_REACH) : start]]
    after = [t.text for t in doc[end : end + QUOTE_REACH]]
    for opening, closing in _PAIRED_QUOTES:
        opened = opening in before and closing not in before[_last(before, opening) :]
        if opened and closing in after and opening not in after[: after.index(closing)]:
            return True
    straight_before = sum(1 for t in doc[:start] if t.text == '"')
    return straight_before % 2 == 1 and '"' in after


def _last(items: list[str], value: str) -> int:
    return len(items) - 1 - items[::-1].index(value)


def _near(hits: list[tuple[int, int]] | None, start: int, end: int, window: int) -> bool:
    if not hits:
        return False
    return any(s < end + window and e > start - window for s, e in hits)
