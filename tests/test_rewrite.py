"""Rewrites fitted into their sentence: re-inflected, agreeing, in the original's case, and left out
where they would not fit. A small rule file of its own keeps these independent of the built-in set."""

from __future__ import annotations

import textwrap

import pytest

from tilint.document import Document
from tilint.engine import Linter, rewrite
from tilint.ruleset import RuleFileError, load_ruleset

RULES = textwrap.dedent(
    """
    rules:
      - id: t-commit
        category: t
        severity: warning
        message: Say died by suicide.
        alternatives: [died by suicide]
        rationale: Commit links suicide to crime.
        sources: [{title: Guide, publisher: Samaritans}]
        patterns: [{terms: [commit suicide]}]
        rewrites:
          - phrase: commit suicide
            to: die by suicide
            level: safe
            examples: [{text: He committed suicide., becomes: He died by suicide.}]
        examples: {flag: [He committed suicide.], pass: [He died.]}
      - id: t-user
        category: t
        severity: warning
        message: People, not users.
        alternatives: [person who uses the service]
        rationale: Labels.
        sources: [{title: Guide, publisher: Think Local Act Personal}]
        patterns: [{terms: [service user]}]
        rewrites:
          - phrase: service user
            to: person who uses the service
            examples: [{text: Service users said so., becomes: People who use the service said so.}]
        examples: {flag: [Service users.], pass: [People.]}
      - id: t-addict
        category: t
        severity: warning
        message: People who use drugs.
        alternatives: [person who uses drugs]
        rationale: Labels.
        sources: [{title: Guide, publisher: Release}]
        patterns: [{terms: [addict], inflect: [noun]}]
        rewrites:
          - phrase: addict
            to: person who uses drugs
            examples: [{text: An addict., becomes: A person who uses drugs.}]
        examples: {flag: [Addicts.], pass: [People.]}
    """
)


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "rewrites.yaml"
    path.write_text(RULES, encoding="utf-8")
    return load_ruleset([path], builtin=False, use_cache=False)


@pytest.fixture(scope="module")
def linter(rules, nlp):
    return Linter(rules, nlp=nlp)


def rewritten(linter, text: str, level: str = "suggested", recheck: bool = True) -> str:
    document = Document(path="t", text=text)
    findings = linter.check(document).findings
    again = rewrite.relinter(linter, document) if recheck else None
    done, _ = rewrite.plan(document, findings, linter.ruleset, level, again)
    return rewrite.apply(text, done)[0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He committed suicide in 2019.", "He died by suicide in 2019."),
        ("She has committed suicide.", "She has died by suicide."),
        ("If he commits suicide, call us.", "If he dies by suicide, call us."),
        ("Staff notice who is committing suicide.", "Staff notice who is dying by suicide."),
    ],
)
def test_a_verb_phrase_takes_the_originals_tense(linter, text, expected):
    assert rewritten(linter, text) == expected


def test_a_plural_noun_makes_the_head_plural_and_the_relative_verb_agree(linter):
    assert rewritten(linter, "We asked service users.") == "We asked people who use the service."
    assert rewritten(linter, "Every service user has a worker.") == "Every person who uses the service has a worker."


def test_the_article_before_the_words_changes_with_them(linter):
    assert rewritten(linter, "He is an addict.") == "He is a person who uses drugs."


def test_capitals_follow_the_original(linter):
    assert rewritten(linter, "Addicts are welcome.") == "People who use drugs are welcome."
    assert rewritten(linter, "ADDICTS ARE WELCOME.") == "PEOPLE WHO USE DRUGS ARE WELCOME."


@pytest.mark.parametrize(
    "text",
    [
        "The report counts committed suicide attempts.",  # the first half of a longer name
        "Service user involvement matters.",
        "Each service user's plan is reviewed.",  # a possessive the replacement cannot take
        "The clinic sees heroin addicts.",  # a noun before the words
    ],
)
def test_a_rewrite_is_left_out_where_it_would_not_fit(linter, text):
    assert rewritten(linter, text) == text


def test_the_safe_level_applies_only_safe_rewrites(linter):
    text = "Service users said he committed suicide."
    assert rewritten(linter, text, "safe") == "Service users said he died by suicide."


def test_a_rewrite_that_would_be_flagged_again_is_dropped(rules, nlp, tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text(RULES.replace("to: person who uses drugs", "to: drug addict"), encoding="utf-8")
    looping = Linter(load_ruleset([path], builtin=False, use_cache=False), nlp=nlp)
    assert rewritten(looping, "We support addicts.") == "We support addicts."
    assert rewritten(looping, "We support addicts.", recheck=False) == "We support drug addicts."


def test_a_rewrite_with_a_placeholder_is_refused_with_the_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(RULES.replace("to: person who uses drugs", "to: '[name]'"), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"bad\.yaml:\d+: .*placeholders"):
        load_ruleset([path], builtin=False, use_cache=False)


def test_rules_json_shows_each_rewrite_with_its_level_and_examples(rules):
    data = rules.get("t-commit").to_json()
    assert data["fix"] == "safe"
    assert data["rewrites"] == [{
        "phrases": ["commit suicide"], "to": "die by suicide", "level": "safe", "before_nouns": False,
        "examples": [{"text": "He committed suicide.", "becomes": "He died by suicide."}],
    }]
    assert rules.get("t-user").to_json()["fix"] == "never"
