"""Helpers shared by the CI-feature tests: run `tilint check` with only the fixture rules."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from click.testing import CliRunner

from tilint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULES = str(FIXTURES / "rules" / "basic.yaml")
TEST_IDS = "test-case,test-hard-to-reach,test-complex-cases,test-placement,test-behaviour"
#: the fixture rules only, whatever the built-in rule set holds today
FIXTURE_ONLY = ["--rules", RULES, "--select", TEST_IDS]


def run_check(
    *args: str, env: dict[str, str | None] | None = None, fixture_rules: bool = True, input: str | None = None
):
    """`tilint check ARGS` in-process; outside GitHub Actions unless `env` says otherwise."""
    environment = {
        "GITHUB_ACTIONS": "false", "NO_COLOR": "1",
        # a test run inside GitHub Actions or a pre-commit hook must not change what check prints
        "GITHUB_STEP_SUMMARY": None, "GITHUB_SHA": None, "PRE_COMMIT": None,
        **(env or {}),
    }
    extra = FIXTURE_ONLY if fixture_rules else []
    return CliRunner().invoke(main, ["check", *extra, *args], env=environment, input=input)


@pytest.fixture
def fast_cli(monkeypatch, nlp):
    """Share one spaCy pipeline and one parse of each rule-file list across CLI calls.

    Every invocation still goes through the real command; only the repeated cost of validating
    the built-in rule files and building a blank pipeline is paid once per session.
    """
    import tilint.cli.common as common_module
    import tilint.engine

    monkeypatch.setattr(tilint.engine, "Linter", functools.partial(tilint.engine.Linter, nlp=nlp))
    monkeypatch.setattr(common_module, "load_rules_or_exit", _cached_rules(common_module.load_rules_or_exit))


_RULESETS: dict[tuple[str, ...], object] = {}


def _cached_rules(load):
    def cached(extra=(), builtin=True):
        key = (str(builtin), *map(str, extra))
        if key not in _RULESETS:
            _RULESETS[key] = load(extra, builtin)
        return _RULESETS[key]

    return cached
