"""Named word lists in rule YAML: written once (`lists:`), used as <name> in phrases and as
{LIST: name} in token patterns, by any rule in any file."""

from __future__ import annotations

import pytest

from tilint.document import Document
from tilint.engine import Linter
from tilint.ruleset import RuleFileError, load_ruleset

RULE = """\
  - id: {id}
    category: test
    severity: warning
    message: m
    alternatives: [a]
    rationale: r
    sources: [{{title: t, publisher: p}}]
    patterns:
{patterns}
    examples: {{flag: [x], pass: [y]}}
"""


def _linter(tmp_path, nlp, patterns: str, lists: str = "", extra: str = "") -> Linter:
    text = (lists or "lists:\n  people: [child, young person, family, <carers>]\n  carers: [parent, carer]\n")
    text += "rules:\n" + RULE.format(id="probe", patterns=patterns) + extra
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return Linter(load_ruleset([path], builtin=False, use_cache=False), nlp=nlp, use_cache=False)


def found(linter: Linter, text: str) -> list[str]:
    return [f.text for f in linter.check(Document("t", text)).findings]


def test_a_list_in_a_phrase_stands_for_each_of_its_items(tmp_path, nlp):
    linter = _linter(tmp_path, nlp, "      - terms: [fragile <people>]\n")
    assert found(linter, "Fragile children, a fragile young person and fragile families.") == [
        "Fragile children", "fragile young person", "fragile families"
    ]


def test_a_list_item_may_name_another_list(tmp_path, nlp):
    linter = _linter(tmp_path, nlp, "      - terms: [fragile <people>]\n")
    assert found(linter, "We met fragile parents and fragile carers.") == ["fragile parents", "fragile carers"]


def test_a_list_in_a_token_pattern_matches_one_and_several_word_items(tmp_path, nlp):
    linter = _linter(tmp_path, nlp, "      - tokens: [{LOWER: brittle}, {LIST: people}]\n")
    assert found(linter, "Brittle children and brittle young persons, brittle carers.") == [
        "Brittle children", "brittle young persons", "brittle carers"
    ]


def test_an_optional_list_token_may_be_absent(tmp_path, nlp):
    linter = _linter(tmp_path, nlp, "      - tokens: [{LOWER: brittle}, {LIST: people, OP: '?'}, {LOWER: now}]\n")
    assert found(linter, "brittle now; brittle family now") == ["brittle now", "brittle family now"]


def test_exceptions_and_context_may_use_lists(tmp_path, nlp):
    linter = _linter(
        tmp_path, nlp,
        "      - terms: [fragile]\n    exceptions: [fragile <carers> forum]\n    context: {any: [<people>]}\n",
    )
    assert found(linter, "The fragile parents forum met. A fragile child.") == ["fragile"]


def test_files_that_define_the_same_list_add_to_it(tmp_path, nlp):
    (tmp_path / "more.yaml").write_text("lists:\n  people: [grandparent]\n", encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rule = RULE.format(id="probe", patterns="      - terms: [fragile <people>]\n")
    rules.write_text("lists:\n  people: [child]\nrules:\n" + rule, encoding="utf-8")
    ruleset = load_ruleset([rules, tmp_path / "more.yaml"], builtin=False, use_cache=False)
    assert ruleset.lists["people"] == ["child", "grandparent"]
    linter = Linter(ruleset, nlp=nlp, use_cache=False)
    assert found(linter, "fragile grandparents") == ["fragile grandparents"]


@pytest.mark.parametrize(
    ("lists", "patterns", "problem"),
    [
        ("", "      - terms: [fragile <nobody>]\n", "the list <nobody> is not defined"),
        ("lists:\n  a: [<b>]\n  b: [<a>]\n", "      - terms: [fragile]\n", "refers to itself"),
        ("", "      - tokens: [{LIST: nobody}]\n", "the list <nobody> is not defined"),
    ],
)
def test_a_bad_list_reference_names_the_file_and_line(tmp_path, nlp, lists, patterns, problem):
    with pytest.raises(RuleFileError) as caught:
        _linter(tmp_path, nlp, patterns, lists=lists or "lists:\n  people: [child]\n")
    assert problem in str(caught.value) and "rules.yaml:" in str(caught.value)


def test_a_list_name_must_be_lowercase_words(tmp_path, nlp):
    with pytest.raises(RuleFileError, match=r"rules\.yaml:2"):
        _linter(tmp_path, nlp, "      - terms: [fragile]\n", lists="lists:\n  People: [child]\n")
