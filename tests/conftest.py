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


#: test modules that start processes (subprocesses, worker pools, spawn, Dask), a browser or
#: LibreOffice: marked `slow`, so `pytest -m "not slow"` is a fast local loop; CI runs everything
SLOW_MODULES = frozenset({
    "test_action", "test_audit_browser", "test_audit_dask", "test_audit_pool", "test_deadlines",
    "test_integration_manifests", "test_one_configuration", "test_parallel", "test_precommit_hook",
    "test_profiling", "test_web_browser", "test_web_pool",
})


def pytest_collection_modifyitems(config, items):
    slow = pytest.mark.slow
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in SLOW_MODULES or "libreoffice" in item.name:
            item.add_marker(slow)
