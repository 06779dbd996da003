"""Shared fixtures: one spaCy pipeline and one built-in rule set per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Tests never read or write the user's cache."""
    import os

    folder = tmp_path_factory.mktemp("cache")
    old = os.environ.get("TILINT_CACHE_DIR")
    os.environ["TILINT_CACHE_DIR"] = str(folder)
    yield
    if old is None:
        os.environ.pop("TILINT_CACHE_DIR", None)
    else:
        os.environ["TILINT_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def nlp():
    import spacy

    return spacy.blank("en")


@pytest.fixture(scope="session")
def builtin_rules():
    from tilint.ruleset import load_ruleset

    return load_ruleset()


@pytest.fixture(scope="session")
def test_rules():
    from tilint.ruleset import load_ruleset

    return load_ruleset([FIXTURES / "rules" / "basic.yaml"], builtin=False)


@pytest.fixture(scope="session")
def linter(builtin_rules, nlp):
    from tilint.engine import Linter

    return Linter(builtin_rules, nlp=nlp)


@pytest.fixture(scope="session")
def test_linter(test_rules, nlp):
    from tilint.engine import Linter

    return Linter(test_rules, nlp=nlp)
