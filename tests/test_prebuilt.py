"""The built-in rules shipped parsed and compiled inside the package (tilint.engine.prebuilt):
used exactly when they are what tilint would build itself, ignored otherwise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tilint.engine import prebuilt
from tilint.ruleset import builtin_rules_dir, load_ruleset

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpora" / "samples").glob("*.md"))


@pytest.fixture
def shipped(tmp_path, monkeypatch, builtin_rules, linter):
    """A shipped file for the built-in rules, written where the package would hold it."""
    path = tmp_path / prebuilt.FILENAME
    monkeypatch.setattr(prebuilt, "shipped_path", lambda: path)
    from tilint.cachedir import tool_fingerprint

    prebuilt.write(path, builtin_rules, linter.compiled, Path("/elsewhere/rules"), tool_fingerprint())
    yield path
    prebuilt._load.cache_clear()


def test_the_shipped_rule_set_is_the_one_built_from_the_rule_files_with_origins_where_they_are_now(
    shipped, builtin_rules
):
    here = builtin_rules_dir()
    ruleset = prebuilt.builtin_ruleset(builtin_rules.digest, here)
    assert ruleset is not None
    assert list(ruleset.rules) == list(builtin_rules.rules)
    for rule in ruleset.all_rules():
        assert rule.origin.startswith(str(here)), rule.origin


def test_the_shipped_compiled_rules_are_given_fresh_to_each_caller(shipped, builtin_rules, linter):
    first = prebuilt.compiled_rules(builtin_rules)
    first.anchors.clear()
    second = prebuilt.compiled_rules(builtin_rules)
    assert second.anchors == linter.compiled.anchors
    assert second.phrases == linter.compiled.phrases


def test_shipped_rules_are_ignored_when_the_rule_files_differ(shipped, builtin_rules):
    assert prebuilt.builtin_ruleset("another digest", builtin_rules_dir()) is None


def test_shipped_rules_are_ignored_by_another_tilint_or_spacy(shipped, builtin_rules, monkeypatch):
    monkeypatch.setattr("tilint.cachedir.tool_fingerprint", lambda: "another version")
    prebuilt._load.cache_clear()
    assert prebuilt.builtin_ruleset(builtin_rules.digest, builtin_rules_dir()) is None
    assert prebuilt.compiled_rules(builtin_rules) is None


def test_a_damaged_shipped_file_is_ignored(shipped, builtin_rules):
    shipped.write_bytes(b"not a pickle")
    prebuilt._load.cache_clear()
    assert prebuilt.compiled_rules(builtin_rules) is None


def test_load_ruleset_without_caches_never_uses_the_shipped_file(shipped, builtin_rules, monkeypatch):
    monkeypatch.setattr(prebuilt, "builtin_ruleset", lambda *a: pytest.fail("shipped file read"))
    assert list(load_ruleset(use_cache=False).rules) == list(builtin_rules.rules)


@pytest.mark.slow
def test_a_built_package_ships_its_rules_compiled_and_checks_as_the_source_does(tmp_path):
    """setup.py's build step writes the file; the built package's first run then neither parses
    nor compiles rules (its cache folder gets results only), and finds what the source finds."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", prebuilt.FILENAME)
    shutil.copytree(ROOT / "tilint", source / "tilint", ignore=ignore)
    shutil.copytree(ROOT / "rules", source / "rules", ignore=ignore)
    lib = tmp_path / "lib"
    built = subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(lib)], cwd=source,
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    assert (lib / "tilint" / "engine" / prebuilt.FILENAME).is_file()

    def check(cache: Path, pythonpath: str | None) -> list:
        env = {**os.environ, "TILINT_CACHE_DIR": str(cache)}
        env.pop("PYTHONPATH", None)
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        done = subprocess.run([sys.executable, "-m", "tilint", "check", "--format", "json", *map(str, SAMPLES)],
                              cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
        assert done.returncode in (0, 1), done.stderr
        return [f for file in json.loads(done.stdout)["files"] for f in file["findings"]]

    shipped_findings = check(tmp_path / "cache-built", str(lib))
    assert sorted(p.name for p in (tmp_path / "cache-built").iterdir()) == ["results"]
    assert shipped_findings == check(tmp_path / "cache-source", None)
    assert shipped_findings
