"""Mentions: a quoted term with a cue that it is being discussed is not a use of it; the
document's own defining and scare quotes are (tilint.engine.mentions, spaCy-free)."""

from __future__ import annotations

import pytest

from tilint.document import Document
from tilint.engine.mentions import Mentions, quotations
from tilint.engine.sentences import sentence_starts

MENTIONS = Mentions()


def mentioned(text: str) -> list[str]:
    return [text[start:end] for start, end in MENTIONS.spans(text)]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("This term replaces the use of \u2018did not attend\u2019 in records.", "did not attend"),
        ("What we used to call 'cases' are people.", "cases"),
        ("Children in care (formerly called \"looked after children\") designed the logo.", "looked after children"),
        ("Avoid wording such as \u201cwe manage 40 cases a week\u201d.", "we manage 40 cases a week"),
        ("We do not say \u201cservice users\u201d in this strategy.", "service users"),
        ("Older guidance called these 'troubled families'; we now describe them as families.", "troubled families"),
        ('Staff still refer to some of these patients as "bed blockers", which hurt.', "bed blockers"),
        ("Please use language like \u2018people sleeping rough\u2019 instead.", "people sleeping rough"),
    ],
)
def test_a_cue_before_the_quotation_makes_it_a_mention(text, term):
    assert mentioned(text) == [term]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("\u201cHard to reach\u201d is a term we no longer use.", "Hard to reach"),
        ("'Service user': we prefer 'people who use the service'.", "Service user"),
        ("The phrase is old; \u2018non-compliant\u2019 implies a choice.", "non-compliant"),
    ],
)
def test_a_cue_after_the_quotation_makes_it_a_mention(text, term):
    assert term in mentioned(text)


@pytest.mark.parametrize(
    "text",
    [
        "A \u2018troubled family\u2019 is defined as one that has serious problems.",
        'It is important to enable these "hard to reach" groups to be involved.',
        'The "Service User" means any person receiving the Service.',
        "Staff said the 'difficult' parents had missed three visits.",
    ],
)
def test_defining_and_scare_quotes_are_the_documents_own_use(text):
    assert mentioned(text) == []


def test_every_quotation_in_a_series_after_a_cue_is_a_mention():
    text = 'Have we avoided labels such as "hard to reach" and "non-compliant"?'
    assert mentioned(text) == ["hard to reach", "non-compliant"]


def test_three_quotations_in_a_row_are_a_vocabulary_list():
    text = 'The draft says "cases", "caseload" and "case holding" throughout.'
    assert mentioned(text) == ["cases", "caseload", "case holding"]


def test_a_quotation_alone_in_a_table_cell_is_a_glossary_entry():
    assert mentioned('| "LAC" | children in our care |') == ["LAC"]


def test_a_quoted_title_case_label_is_a_mention():
    assert mentioned('The diary system automatically flags "Did Not Attend" for any missed slot.') == [
        "Did Not Attend"
    ]


def test_a_bracketed_acronym_after_a_quoted_mention_is_a_mention_too():
    text = "This term replaces the use of \u2018did not attend\u2019 (DNA) in letters."
    finder = MENTIONS.in_text(text)
    start = text.index("DNA")
    assert finder.is_mention(start, start + 3)
    assert "DNA" in mentioned(text)


def test_an_acronym_after_a_quoted_use_is_not_a_mention():
    text = "Record every \u2018did not attend\u2019 (DNA) on the system."
    start = text.index("DNA")
    assert not MENTIONS.in_text(text).is_mention(start, start + 3)


def test_a_cue_in_the_previous_sentence_does_not_reach_the_quotation():
    assert mentioned("Avoid delay. These 'hard to reach' families wait longest.") == []


def test_apostrophes_are_not_quotation_marks():
    assert quotations("The parents\u2019 views and the children's plans don't change.") == []


def test_quotation_marks_are_paired_across_styles():
    text = "\u201cOne\u201d and 'two' and \u2018three\u2019 and \"four\""
    assert [text[q.open + 1 : q.close] for q in quotations(text)] == ["One", "two", "three", "four"]


def test_an_unclosed_quotation_stops_at_a_blank_line():
    assert quotations("He said \u201cnothing.\n\nThen \u201d later.") == []


def test_rule_files_can_add_cues(tmp_path):
    from tilint.engine.mentions import mentions_of
    from tilint.ruleset import load_ruleset

    path = tmp_path / "cues.yaml"
    path.write_text("mentions:\n  before: [our glossary lists]\n", encoding="utf-8")
    ruleset = load_ruleset([path], builtin=False, use_cache=False)
    text = "Our glossary lists 'cases' with a better word."
    assert [text[s:e] for s, e in mentions_of(ruleset).spans(text)] == ["cases"]
    assert Mentions().spans(text) == []


def test_sentences_end_at_stops_list_items_and_blank_lines_but_not_abbreviations():
    text = "First, e.g. Council Offices. Second one.\n- item\n\nThird"
    starts = sentence_starts(text)
    pieces = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    assert pieces == ["First, e.g. Council Offices. ", "Second one.\n", "- item\n\n", "Third"]


def test_the_linter_skips_a_mention_but_flags_scare_quotes(linter):
    text = (
        "It is recommended that this term replaces the use of \u2018did not attend\u2019 (DNA) for children.\n\n"
        'We want to reach these "hard to reach" families.\n'
    )
    found = [(f.rule, f.text) for f in linter.check(Document("t", text)).findings]
    assert found == [("hard-to-reach", "hard to reach")]


def test_many_straight_quotes_before_a_term_are_read_once_per_paragraph(test_linter):
    """Straight quotes used to be counted from the paragraph's start for every match (quadratic);
    they are paired once now, and a term after balanced quotes is still a use."""
    text = '"a" ' * 3000 + "We hold 40 cases."
    assert [f.text for f in test_linter.check(Document("t", text)).findings] == ["cases"]


def test_a_quoted_candidate_is_judged_without_lemminflect_once_rules_are_compiled(tmp_path):
    """The cue patterns' inflections are spelled out when the rules are compiled, so a run only
    compiles the regular expressions (lemminflect's tables cost a second to load)."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from tilint.ruleset import load_ruleset\n"
        "from tilint.engine import Linter\n"
        "from tilint.document import Document\n"
        "linter = Linter(load_ruleset())\n"
        "result = linter.check(Document('t', 'We no longer use the term \"hard to reach\" for families.'))\n"
        "assert not result.findings, result.findings\n"
        "print('lemminflect' in sys.modules)\n"
    )
    env = {"TILINT_CACHE_DIR": str(tmp_path), "PATH": ""}
    root = Path(__file__).resolve().parent.parent
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                       cwd=root).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"]  # the first run compiles the rules (with lemminflect) and caches them
