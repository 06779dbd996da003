"""What makes a warm audit cheap (rows rendered once and cached; the journal's own layout) must not
change what it writes: the same tables, whether rows come from the row cache, the result cache or
fresh analysis, and whatever journal an older tilint left in the folder."""

from __future__ import annotations

import sqlite3

import pytest
from audit_support import FIXTURE_RULES, audit, make_corpus

from tilint.audit.journal import JOURNAL_NAME
from tilint.ruleset import load_ruleset

TABLES = ("findings.csv", "documents.csv", "documents.jsonl")
DOCUMENTS = {
    "a.txt": "We hold 40 cases.\nHard-to-reach families need help.\n",
    "b.md": "# Plan\n\nChallenging behaviour is common.\n",
    'c, "quoted".txt': "Cases and\nplacements, with a comma.\n",
}


@pytest.fixture(scope="module")
def rules():
    return load_ruleset([FIXTURE_RULES], builtin=False)


def _tables(out):
    return {name: (out / name).read_bytes() for name in TABLES}


def test_a_warm_audit_into_a_new_folder_writes_the_same_tables_from_the_row_cache(rules, tmp_path, monkeypatch):
    monkeypatch.setenv("TILINT_CACHE_DIR", str(tmp_path / "cache"))
    corpus = make_corpus(tmp_path / "docs", DOCUMENTS)
    cold = audit(rules, [corpus], tmp_path / "cold", jobs=2)
    warm = audit(rules, [corpus], tmp_path / "warm", jobs=2)
    assert (cold.summary["analysed"], warm.summary["from_cache"]) == (3, 3)
    assert any((tmp_path / "cache").glob("audit-rows-*/*/*/*.row"))
    assert _tables(tmp_path / "warm") == _tables(tmp_path / "cold")


def test_a_damaged_row_cache_entry_is_ignored(rules, tmp_path, monkeypatch):
    monkeypatch.setenv("TILINT_CACHE_DIR", str(tmp_path / "cache"))
    corpus = make_corpus(tmp_path / "docs", DOCUMENTS)
    audit(rules, [corpus], tmp_path / "cold")
    entries = list((tmp_path / "cache").glob("audit-rows-*/*/*/*.row"))
    assert len(entries) == 3
    for entry in entries:
        entry.write_bytes(b"\x00\x00\x00\x05 not zlib at all")
    again = audit(rules, [corpus], tmp_path / "again")
    assert again.summary["from_cache"] == 3  # from the result cache instead
    assert _tables(tmp_path / "again") == _tables(tmp_path / "cold")


def test_a_journal_in_an_older_layout_is_started_afresh(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", DOCUMENTS)
    out = tmp_path / "out"
    out.mkdir()
    old = sqlite3.connect(out / JOURNAL_NAME)
    old.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE documents (path TEXT PRIMARY KEY, sha256 TEXT, run INTEGER, result TEXT);"
        "INSERT INTO meta VALUES ('settings', '1|an older tilint');"
        "INSERT INTO documents VALUES ('gone.txt', 'abc', 1, '{}');"
    )
    old.commit()
    old.close()
    run = audit(rules, [corpus], out, use_cache=False)
    assert (run.summary["files"], run.summary["analysed"]) == (3, 3)
    fresh = tmp_path / "fresh"
    audit(rules, [corpus], fresh, use_cache=False)
    assert _tables(out) == _tables(fresh)
