"""Every example in every rule is a test: `flag` sentences must be flagged by that rule, `pass`
sentences must not be. The rule is checked on its own so that another rule's overlapping match
cannot hide a failure."""

from __future__ import annotations

import pytest

from tilint.document import Document
from tilint.engine import Linter
from tilint.ruleset import load_ruleset

_RULESET = load_ruleset()
_CASES = [
    pytest.param(rule.id, kind, sentence, id=f"{rule.id}-{kind}-{i}")
    for rule in _RULESET
    for kind in ("flag", "pass")
    for i, sentence in enumerate(rule.examples[kind])
]
_LINTERS: dict[str, Linter] = {}


def _linter_for(rule_id: str, nlp) -> Linter:
    if rule_id not in _LINTERS:
        _LINTERS[rule_id] = Linter(_RULESET, select=[rule_id], nlp=nlp)
    return _LINTERS[rule_id]


@pytest.mark.parametrize(("rule_id", "kind", "sentence"), _CASES)
def test_rule_example(rule_id: str, kind: str, sentence: str, nlp) -> None:
    result = _linter_for(rule_id, nlp).check(Document(path="example", text=sentence))
    hits = [f.text for f in result.findings if f.rule == rule_id]
    if kind == "flag":
        assert hits, f"{rule_id} should flag: {sentence!r}"
    else:
        assert not hits, f"{rule_id} should not flag {hits} in: {sentence!r}"


def test_every_rule_has_two_examples_of_each_kind() -> None:
    thin = [r.id for r in _RULESET if len(r.examples["flag"]) < 2 or len(r.examples["pass"]) < 2]
    assert not thin, f"rules with fewer than two flag and two pass examples: {thin}"
