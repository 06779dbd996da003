"""The engine's matching behaviour, specified with the small fixture rule set."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilint.document import Document
from tilint.engine import Linter
from tilint.readers.markdown import parse as parse_markdown


def found(linter, text: str, rule: str | None = None) -> list[str]:
    result = linter.check(Document(path="t", text=text))
    return [f.text for f in result.findings if f.line is not None and (rule is None or f.rule == rule)]


def test_a_base_form_matches_its_inflections(test_linter):
    assert found(test_linter, "One case. Two cases.", "test-case") == ["case", "cases"]


def test_noun_only_inflection_does_not_match_verb_forms(test_linter):
    assert found(test_linter, "The casing was cased in steel.", "test-case") == []


def test_matching_ignores_capitalisation(test_linter):
    assert found(test_linter, "CASES and Cases", "test-case") == ["CASES", "Cases"]


@pytest.mark.parametrize("text", ["hard to reach", "hard-to-reach", "Hard-To-Reach", "hard to\nreach"])
def test_hyphen_space_and_line_break_variants_match(test_linter, text):
    assert found(test_linter, f"Work with {text} families.", "test-hard-to-reach") == [text]


def test_uk_and_us_spellings_both_match(test_linter):
    assert found(test_linter, "challenging behaviour; challenging behavior", "test-behaviour") == [
        "challenging behaviour",
        "challenging behavior",
    ]


@pytest.mark.parametrize("text", ["In case of fire.", "Write the business case.", "A case study.", "A court case."])
def test_an_exception_around_the_match_cancels_it(test_linter, text):
    assert found(test_linter, text, "test-case") == []


def test_an_exception_only_cancels_the_match_it_overlaps(test_linter):
    assert found(test_linter, "In case of delay, the cases wait.", "test-case") == ["cases"]


def test_context_any_requires_a_nearby_word(test_linter):
    assert found(test_linter, "The child moved placement.", "test-placement") == ["placement"]
    assert found(test_linter, "Advert placement costs money.", "test-placement") == []


def test_a_quoted_term_is_a_mention_not_a_use(test_linter):
    assert found(test_linter, "What we used to call 'cases' are people.", "test-case") == []
    assert found(test_linter, "What we used to call \u201ccases\u201d are people.", "test-case") == []


def test_overlapping_rules_report_the_most_specific_match_once(test_linter):
    result = test_linter.check(Document(path="t", text="Complex cases need time."))
    assert [(f.rule, f.text) for f in result.findings] == [("test-complex-cases", "Complex cases")]


def test_positions_point_at_exactly_the_source_text(test_linter):
    text = "First line.\n\nThe second line has cases here.\n"
    (finding,) = test_linter.check(Document(path="t", text=text)).findings
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (3, 21, 3, 26)
    line = text.split("\n")[finding.line - 1]
    assert line[finding.column - 1 : finding.end_column - 1] == finding.text == "cases"


def test_columns_count_characters_not_bytes(test_linter):
    (finding,) = test_linter.check(Document(path="t", text="\u00e9\u00e9\u00e9 \U0001f600 cases")).findings
    assert finding.column == 7


def test_ignored_spans_are_never_matched(test_linter):
    doc = parse_markdown("t.md", "Some `cases` and [text](http://x/cases) and\n\n```\ncases\n```\n")
    assert test_linter.check(doc).findings == []


def test_select_and_ignore_accept_categories(test_rules, nlp):
    only_risk = Linter(test_rules, select=["risk-labels"], nlp=nlp)
    assert {f.rule for f in only_risk.check(Document("t", "cases; hard to reach")).findings} == {"test-hard-to-reach"}
    no_risk = Linter(test_rules, ignore=["risk-labels"], nlp=nlp)
    assert {f.rule for f in no_risk.check(Document("t", "cases; hard to reach")).findings} == {"test-case"}


def test_severity_overrides_apply(test_rules, nlp):
    linter = Linter(test_rules, severities={"test-case": "info"}, nlp=nlp)
    assert [f.severity for f in linter.check(Document("t", "cases")).findings] == ["info"]


RISKY = "The people, children and families in our cases are hard to reach and face risk, harm and threat. "


def test_a_risk_only_document_gets_a_document_level_finding_without_a_span(test_linter):
    text = RISKY * 3
    result = test_linter.check(Document(path="t", text=text))
    assert result.document["risk_only"] is True
    first = result.findings[0]
    assert first.rule == "test-risk-only"
    assert (first.line, first.column, first.end_line, first.end_column) == (None, None, None, None)


def test_strengths_language_prevents_risk_only(test_linter):
    text = (RISKY + "We build on their strengths, aspirations and potential, and protective factors. ") * 3
    assert test_linter.check(Document(path="t", text=text)).document["risk_only"] is False


def test_risk_words_without_labels_for_people_are_not_risk_only(test_linter):
    text = "The people, children and families we support face risk, harm and threat every day. " * 3
    framing = test_linter.check(Document(path="t", text=text)).document
    assert framing["describes_people"] is True and framing["risk_only"] is False


def test_a_long_document_that_rarely_mentions_people_does_not_describe_people(test_linter):
    text = RISKY + "The server has a risk of outage and a threat of harm to uptime. " * 40
    assert test_linter.check(Document(path="t", text=text)).document["describes_people"] is False


def test_a_document_that_does_not_describe_people_is_not_risk_only(test_linter):
    text = "The server has a risk of outage and a threat of harm to uptime. " * 5
    framing = test_linter.check(Document(path="t", text=text)).document
    assert framing["describes_people"] is False and framing["risk_only"] is False


def test_sections_are_measured_by_heading(test_linter):
    doc = parse_markdown("t.md", "# Background\n\nRisk and harm to people.\n\n# Approach\n\nStrengths of people.\n")
    sections = test_linter.check(doc).document["sections"]
    assert [(s["title"], s["line"], s["risk_terms"], s["strength_terms"]) for s in sections] == [
        ("Background", 1, 2, 0),
        ("Approach", 5, 0, 1),
    ]


def test_text_without_candidates_never_imports_spacy_once_rules_are_compiled(tmp_path):
    code = (
        "import sys\n"
        "from tilint.ruleset import load_ruleset\n"
        "from tilint.engine import Linter\n"
        "from tilint.document import Document\n"
        "rs = load_ruleset(['tests/fixtures/rules/basic.yaml'], builtin=False)\n"
        "r = Linter(rs).check(Document('t', 'Nothing to see here at all.'))\n"
        "assert not r.findings\n"
        "print('spacy' in sys.modules)\n"
    )
    env = {"TILINT_CACHE_DIR": str(tmp_path), "PATH": ""}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                       cwd=str(_root())).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"]  # the first run compiles the rules (with spaCy's tokenizer) and caches them


def test_preparing_a_document_finds_its_candidates_without_spacy(tmp_path):
    code = (
        "import sys\n"
        "from tilint.ruleset import load_ruleset\n"
        "from tilint.engine import Linter\n"
        "from tilint.document import Document\n"
        "linter = Linter(load_ruleset(['tests/fixtures/rules/basic.yaml'], builtin=False))\n"
        "prepared = linter.prepare(Document('t', 'Intro.\\n\\nWe hold 40 cases.\\n'))\n"
        "print(len(prepared.windows), 'spacy' in sys.modules)\n"
        "result = linter.finish(prepared, linter.match(prepared))\n"
        "print([f.text for f in result.findings], 'spacy' in sys.modules)\n"
    )
    env = {"TILINT_CACHE_DIR": str(tmp_path), "PATH": ""}
    for _ in range(2):  # the first run compiles the rules (with spaCy's tokenizer) and caches them
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                             cwd=str(_root())).stdout.splitlines()
    assert out == ["1 False", "['cases'] True"]


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent


def _linter_with(tmp_path, nlp, patterns: str) -> Linter:
    from tilint.ruleset import load_ruleset

    rule = (
        "rules:\n  - id: probe\n    category: test\n    severity: warning\n    message: m\n    alternatives: [a]\n"
        "    rationale: r\n    sources: [{title: t, publisher: p}]\n"
        f"    patterns:\n{patterns}"
        "    examples: {flag: [x], pass: [y]}\n"
    )
    path = tmp_path / "probe.yaml"
    path.write_text(rule, encoding="utf-8")
    return Linter(load_ruleset([path], builtin=False, use_cache=False), nlp=nlp, use_cache=False)


def test_a_repeated_token_may_take_different_values(tmp_path, nlp):
    linter = _linter_with(
        tmp_path, nlp, "      - tokens: [{LOWER: alpha}, {LOWER: {IN: [beta, gamma]}, OP: '+'}, {LOWER: delta}]\n"
    )
    assert found(linter, "alpha beta gamma delta") == ["alpha beta gamma delta"]


def test_token_patterns_on_contraction_stems_are_not_filtered_out(tmp_path, nlp):
    linter = _linter_with(tmp_path, nlp, "      - tokens: [{LOWER: did}, {LOWER: \"n't\"}, {LOWER: attend}]\n")
    assert found(linter, "The child didn't attend.") == ["didn't attend"]


def test_a_compound_hyphenated_at_a_line_break_still_matches(test_linter):
    assert found(test_linter, "We work with hard-to-\nreach families.", "test-hard-to-reach") == ["hard-to-\nreach"]


def test_words_lemminflect_does_not_know_still_get_their_plural():
    from tilint.engine.variants import word_forms

    assert {"carer", "carers"} <= word_forms("carer")
    assert word_forms("looked") == {"looked"}


def test_in_extracted_formats_a_line_break_ends_the_paragraph(test_linter):
    doc = Document(path="t.docx", text="Complex\ncases", format="docx", paragraphs="line")
    assert [f.rule for f in test_linter.check(doc).findings] == ["test-case"]


@pytest.mark.parametrize(
    "text",
    [
        "Avoid wording such as \u201cwe manage 40 cases a week\u201d in specifications.",
        'Avoid wording such as "we manage 40 cases a week" in specifications.',
        "Avoid wording such as \u2018we manage 40 cases a week\u2019 in specifications.",
    ],
)
def test_a_term_inside_a_quoted_example_is_a_mention(test_linter, text):
    assert found(test_linter, text, "test-case") == []


def test_a_term_after_a_closed_quotation_is_still_flagged(test_linter):
    assert found(test_linter, 'They said "hello" and then 40 cases arrived. Another "quote" here.', "test-case") == [
        "cases"
    ]


def test_a_long_phrase_is_spelled_out_in_a_bounded_number_of_ways():
    from tilint.engine.compiler import MAX_VARIANTS, phrase_variants

    sequences, _ = phrase_variants("Code of Practice for Victims of Crime")
    assert 0 < len(sequences) <= MAX_VARIANTS
    assert ("code", "of", "practice", "for", "victims", "of", "crime") in sequences


def test_a_linter_copied_to_another_process_leaves_spacy_behind_and_finds_the_same(test_linter):
    import pickle

    document = Document(path="t", text="We hold 40 cases and hard-to-reach families.")
    before = test_linter.check(document).findings
    copy = pickle.loads(pickle.dumps(test_linter))
    assert not copy.matcher.loaded and copy.check(document).findings == before


def test_a_phrase_whose_words_are_apart_never_reaches_spacy(linter):
    apart = linter.prepare(Document("t", "Services for users of the library."))
    together = linter.prepare(Document("t", "Services for service users."))
    assert "service-user" not in {rule for w in apart.windows for rule in w.rules}
    assert "service-user" in {rule for w in together.windows for rule in w.rules}


_PIECES = ["hard", "to", "reach", "cases", "case", "complex", "business", "in", "study", "child", "placement",
           "foster", "-", " ", "  ", "\n", "\n\n", ", ", "'", "\u2010", "Hard-to-reach", "challenging behavior",
           "cannot", "services", "users", "service user", "did", "not", "attend", "n't", "young people"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@pytest.fixture(scope="module")
def linters_without_a_stage(test_rules, nlp):
    """The fixture rules with each prefilter stage switched off in turn: spaCy then reads more."""
    from tilint.engine.prefilter import STAGES

    return {stage: Linter(test_rules, nlp=nlp, prefilter_stages=tuple(s for s in STAGES if s != stage))
            for stage in STAGES}


def _lost_by(stage: str, test_linter, linters_without_a_stage, text: str) -> None:
    document = Document("t", text)
    without = linters_without_a_stage[stage].check(document).findings
    assert test_linter.check(document).findings == without


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS)
def test_the_anchor_word_stage_never_loses_a_finding(test_linter, linters_without_a_stage, text):
    _lost_by("anchors", test_linter, linters_without_a_stage, text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS)
def test_the_word_requirement_stage_never_loses_a_finding(test_linter, linters_without_a_stage, text):
    _lost_by("words", test_linter, linters_without_a_stage, text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS)
def test_the_word_order_stage_never_loses_a_finding(test_linter, linters_without_a_stage, text):
    _lost_by("order", test_linter, linters_without_a_stage, text)


def test_each_prefilter_stage_drops_something_the_others_keep(test_rules, nlp):
    """Without this, the property tests above could pass with a stage that never drops anything."""
    from tilint.engine.prefilter import STAGES

    def considered(stages, text):
        prepared = Linter(test_rules, nlp=nlp, prefilter_stages=stages).prepare(Document("t", text))
        return {(offset, rule) for w in prepared.windows for offset in range(w.start, w.end) for rule in w.rules}

    examples = {
        # a long paragraph is cut to the lines around its anchor word
        "anchors": "Nothing here. " * 250 + "\nWe hold cases.\n" + "Nothing here. " * 250,
        # a rule that needs context words cannot match without them
        "words": "The advert placement moved.",
        "order": "Reach is hard to measure.",
    }
    for stage, text in examples.items():
        others = tuple(s for s in STAGES if s != stage)
        assert considered(STAGES, text) < considered(others, text), stage
