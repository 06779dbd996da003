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


# -- rewrites ----------------------------------------------------------------------------------------
# Every rewrite example is a test too: the rule's own rewrites, fitted by tilint.engine.rewrite, turn
# `text` into `becomes` (an example whose `becomes` equals its `text` shows where a rewrite must
# not be made), and the result is not flagged again there by any built-in rule.
_REWRITE_CASES = [
    pytest.param(rule.id, index, text, becomes, id=f"{rule.id}-rewrite{index}-{n}")
    for rule in _RULESET
    for index, rewrite in enumerate(rule.rewrites)
    for n, (text, becomes) in enumerate(rewrite.examples)
]


def _rewritten(rule_id: str, text: str, level: str, nlp):
    from tilint.engine import rewrite

    document = Document(path="example", text=text)
    findings = _linter_for(rule_id, nlp).check(document).findings
    done, _ = rewrite.plan(document, findings, _RULESET, level)
    return rewrite.apply(text, done)[0], done


@pytest.mark.parametrize(("rule_id", "index", "text", "becomes"), _REWRITE_CASES)
def test_rewrite_example(rule_id: str, index: int, text: str, becomes: str, nlp, linter) -> None:
    from tilint.engine import rewrite

    rule = _RULESET.get(rule_id)
    level = rule.rewrites[index].level
    result, done = _rewritten(rule_id, text, level, nlp)
    assert result == becomes
    if becomes != text:
        assert any(r.rewrite is rule.rewrites[index] for r in done), "another rewrite of the rule made it"
        spans = rewrite.apply(text, done)[1]
        again = [f for f in linter.check(Document(path="example", text=result)).findings
                 if f.start is not None and any(f.start < e and s < f.end for s, e in spans)]
        assert not again, f"the rewritten text is flagged again: {[(f.rule, f.text) for f in again]}"


def test_every_rewrite_has_an_example_that_it_rewrites() -> None:
    missing = [
        f"{rule.id} rewrite {index + 1}"
        for rule in _RULESET
        for index, rewrite in enumerate(rule.rewrites)
        if not any(text != becomes for text, becomes in rewrite.examples)
    ]
    assert not missing, f"rewrites without an example that changes a sentence: {missing}"


def test_at_least_a_third_of_the_rules_have_a_suggested_rewrite() -> None:
    rules = list(_RULESET)
    with_rewrites = [rule for rule in rules if rule.rewrites]
    assert len(with_rewrites) * 3 >= len(rules), f"{len(with_rewrites)} of {len(rules)} rules have rewrites"
