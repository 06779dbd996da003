"""Rule files: what loads, and how mistakes are reported (file and line, every problem at once)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from tilint.ruleset import RuleFileError, builtin_rules_dir, load_ruleset

GOOD_RULE = """\
rules:
  - id: my-rule
    category: local
    severity: warning
    message: Say something kinder.
    alternatives: [kinder words]
    rationale: Because words matter.
    sources:
      - {title: Our style guide, publisher: Our council, year: 2024}
    patterns:
      - terms: [unkind phrase]
    examples:
      flag: [An unkind phrase here.]
      pass: [A kind phrase here.]
"""


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(RuleFileError) as info:
        load_ruleset([path], builtin=False)
    return info.value.problems


def test_a_valid_file_loads(tmp_path):
    ruleset = load_ruleset([write(tmp_path, GOOD_RULE)], builtin=False)
    rule = ruleset.get("my-rule")
    assert rule is not None and rule.line == 2 and rule.origin.endswith("rules.yaml")


def test_an_unknown_key_is_reported_with_file_and_line(tmp_path):
    (problem,) = problems(
        tmp_path, GOOD_RULE.replace("    severity: warning\n", "    severity: warning\n    colour: red\n")
    )
    assert "rules.yaml:2:" in problem and "colour" in problem


def test_a_bad_value_is_reported_at_its_own_line(tmp_path):
    (problem,) = problems(tmp_path, GOOD_RULE.replace("severity: warning", "severity: fatal"))
    assert "rules.yaml:4:" in problem and "fatal" in problem


def test_a_missing_required_key_is_reported(tmp_path):
    (problem,) = problems(tmp_path, GOOD_RULE.replace("    rationale: Because words matter.\n", ""))
    assert "rationale" in problem and "rules.yaml:2:" in problem


def test_invalid_yaml_names_the_line(tmp_path):
    (problem,) = problems(tmp_path, GOOD_RULE.replace("alternatives: [kinder words]", "alternatives: [kinder words"))
    assert "invalid YAML" in problem and "rules.yaml:" in problem


def test_duplicate_yaml_keys_are_an_error(tmp_path):
    found = problems(
        tmp_path, GOOD_RULE.replace("    severity: warning\n", "    severity: warning\n    severity: info\n")
    )
    assert any("duplicate key 'severity'" in p and "rules.yaml:5:" in p for p in found)


def test_duplicate_rule_ids_across_files_name_both_places(tmp_path):
    first = write(tmp_path, GOOD_RULE, "a.yaml")
    second = write(tmp_path, GOOD_RULE, "b.yaml")
    with pytest.raises(RuleFileError) as info:
        load_ruleset([first, second], builtin=False)
    (problem,) = info.value.problems
    assert "b.yaml:2" in problem and "a.yaml:2" in problem and "my-rule" in problem


def test_override_replaces_a_built_in_rule(tmp_path, builtin_rules):
    some_id = next(iter(builtin_rules.rules))
    text = GOOD_RULE.replace("id: my-rule", f"id: {some_id}\n    override: true")
    ruleset = load_ruleset([write(tmp_path, text)])
    assert ruleset.get(some_id).message == "Say something kinder."


def test_a_token_pattern_without_a_literal_word_is_rejected(tmp_path):
    text = GOOD_RULE.replace("      - terms: [unkind phrase]", "      - tokens: [{IS_ALPHA: true}, {IS_PUNCT: true}]")
    (problem,) = problems(tmp_path, text)
    assert "literal" in problem and "rules.yaml:11:" in problem


def test_an_invalid_regex_is_rejected(tmp_path):
    text = GOOD_RULE.replace(
        "      - terms: [unkind phrase]", "      - tokens: [{LOWER: unkind}, {LOWER: {REGEX: '(['}}]"
    )
    (problem,) = problems(tmp_path, text)
    assert "REGEX" in problem


def test_an_unknown_token_attribute_is_rejected(tmp_path):
    text = GOOD_RULE.replace("      - terms: [unkind phrase]", "      - tokens: [{LOWR: unkind}]")
    assert any("LOWR" in p for p in problems(tmp_path, text))


def test_a_missing_rule_path_is_an_error(tmp_path):
    with pytest.raises(RuleFileError, match="no such rule file"):
        load_ruleset([tmp_path / "nope.yaml"], builtin=False)


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    text = GOOD_RULE.replace("severity: warning", "severity: fatal").replace("category: local", "category: Not Valid")
    assert len(problems(tmp_path, text)) == 2


def test_the_built_in_rules_ship_inside_the_package():
    assert (builtin_rules_dir() / "__init__.py").exists()
    assert any(builtin_rules_dir().glob("*.yaml"))


def test_the_built_in_rule_set_is_large_and_fully_sourced(builtin_rules):
    assert len(builtin_rules) >= 60
    for rule in builtin_rules:
        assert rule.sources and rule.alternatives and rule.rationale, rule.id
        assert rule.severity in ("error", "warning", "info")


def test_safe_fixes_have_one_alternative_that_always_fits(builtin_rules):
    unsafe = [r.id for r in builtin_rules if r.fix == "safe" and not r.alternatives]
    assert not unsafe


def test_the_built_in_framing_covers_the_six_principles(builtin_rules):
    assert set(builtin_rules.framing.principles) == {
        "safety",
        "trust",
        "choice",
        "collaboration",
        "empowerment",
        "cultural",
    }
    assert builtin_rules.framing.document_rule is not None


def test_words_like_on_and_no_stay_words_in_rule_files(tmp_path):
    text = GOOD_RULE.replace(
        "      - terms: [unkind phrase]", "      - tokens: [{LOWER: kick}, {LOWER: {IN: [on, off, no, yes]}}]"
    )
    ruleset = load_ruleset([write(tmp_path, text)], builtin=False)
    assert ruleset.get("my-rule").patterns[0]["tokens"][1]["LOWER"]["IN"] == ["on", "off", "no", "yes"]


def test_context_cues_may_be_token_patterns(tmp_path):
    text = GOOD_RULE.replace("    examples:", "    context:\n      any: [{tokens: [{ORTH: LAC}]}]\n    examples:")
    assert load_ruleset([write(tmp_path, text)], builtin=False).get("my-rule").context["any"][0]["tokens"]


_LOCAL_PATH = re.compile(r"(?<![\w.])/(?:work|home|tmp|root|Users)/|[A-Z]:\\\\")


def test_built_in_rule_files_cite_only_public_sources():
    """A rule file ships to every user: it may cite publishers, titles and URLs, never a path on the
    machine it was written on or a research file that only the authors have."""
    offending = []
    for path in sorted(builtin_rules_dir().glob("*.yaml")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if _LOCAL_PATH.search(line) or re.search(r"(?i)term[- ]table|research notes", line):
                offending.append(f"{path.name}:{number}: {line.strip()}")
    assert not offending, "\n".join(offending)

