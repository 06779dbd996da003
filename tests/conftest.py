"""Shared fixtures: one spaCy pipeline and one built-in rule set per test session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


# Tests never read or write the user's cache. Set at import time, because some test modules load
# the rule set while being collected.
_CACHE = tempfile.mkdtemp(prefix="tilint-test-cache-")
os.environ["TILINT_CACHE_DIR"] = _CACHE


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_CACHE, ignore_errors=True)


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
