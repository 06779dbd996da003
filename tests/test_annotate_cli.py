"""`tilint annotate DRAFT.docx`: where the copy goes, and what is never overwritten."""

from __future__ import annotations

import functools
import io
import os

import docx
import pytest
from click.testing import CliRunner

from tilint.cli import main

RULES = ["--select", "test-behaviour,test-hard-to-reach"]


@pytest.fixture(autouse=True)
def fixture_rules_only(monkeypatch, tmp_path, test_rules, nlp):
    """Mechanics are tested with the fixed fixture rules, not the evolving built-in set, and one
    shared spaCy pipeline (loading one per command would make these tests slow)."""
    from tilint.engine import Linter

    monkeypatch.chdir(tmp_path)  # no configuration file from the repository is picked up
    monkeypatch.setattr("tilint.engine.Linter", functools.partial(Linter, nlp=nlp))
    monkeypatch.setattr("tilint.cli.common.load_rules_or_exit", lambda paths: test_rules)


@pytest.fixture
def draft(tmp_path):
    document = docx.Document()
    document.add_paragraph("Support for challenging behaviour and hard to reach families.")
    path = tmp_path / "Draft spec.docx"
    document.save(str(path))
    return path


def run(*args):
    return CliRunner().invoke(main, ["annotate", *map(str, args)])


def comment_count(path) -> int:
    return len(docx.Document(str(path)).comments)


def test_writes_a_reviewed_copy_next_to_the_draft(draft):
    result = run(draft, *RULES)
    assert result.exit_code == 0, result.output
    out = draft.with_name("Draft spec.reviewed.docx")
    assert comment_count(out) == 3  # two findings and the summary
    assert f"Wrote {out}: 2 findings (2 marked on the words)." in result.output


def test_the_draft_is_never_modified(draft):
    before = draft.read_bytes()
    stamp = draft.stat().st_mtime_ns
    assert run(draft, *RULES).exit_code == 0
    assert draft.read_bytes() == before
    assert draft.stat().st_mtime_ns == stamp


def test_output_option_names_the_copy(draft, tmp_path):
    out = tmp_path / "review" / "for-sam.docx"
    out.parent.mkdir()
    assert run(draft, "-o", out, *RULES).exit_code == 0
    assert comment_count(out) == 3


def test_an_existing_output_is_not_overwritten_without_force(draft):
    out = draft.with_name("Draft spec.reviewed.docx")
    out.write_bytes(b"keep me")
    result = run(draft, *RULES)
    assert result.exit_code == 2
    assert "exists; use --force" in result.output
    assert out.read_bytes() == b"keep me"


def test_force_overwrites_an_existing_output(draft):
    out = draft.with_name("Draft spec.reviewed.docx")
    out.write_bytes(b"old")
    assert run(draft, "--force", *RULES).exit_code == 0
    assert comment_count(out) == 3


def test_the_output_may_not_be_the_draft_even_with_force(draft):
    before = draft.read_bytes()
    result = run(draft, "-o", draft, "--force", *RULES)
    assert result.exit_code == 2
    assert "would overwrite the draft" in result.output
    assert draft.read_bytes() == before


def test_no_temporary_file_is_left_behind(draft):
    assert run(draft, *RULES).exit_code == 0
    assert sorted(os.listdir(draft.parent)) == ["Draft spec.docx", "Draft spec.reviewed.docx"]


def test_new_copy_gets_ordinary_file_permissions(draft):
    assert run(draft, *RULES).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert draft.with_name("Draft spec.reviewed.docx").stat().st_mode & 0o777 == 0o666 & ~umask


def test_author_is_shown_on_the_comments(draft):
    assert run(draft, "--author", "Policy Team", *RULES).exit_code == 0
    comments = list(docx.Document(str(draft.with_name("Draft spec.reviewed.docx"))).comments)
    assert {(c.author, c.initials) for c in comments} == {("Policy Team", "PT")}


def test_a_file_that_is_not_docx_is_a_usage_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    result = run(path)
    assert result.exit_code == 2
    assert "annotate works on Word .docx files" in result.output


def test_a_damaged_docx_is_reported_and_nothing_is_written(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    result = run(path, *RULES)
    assert result.exit_code == 2
    assert "broken.docx" in result.output
    assert not (tmp_path / "broken.reviewed.docx").exists()


def test_a_missing_draft_is_a_usage_error(tmp_path):
    result = run(tmp_path / "nope.docx")
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_select_limits_the_comments_to_those_rules(draft):
    assert run(draft, "--select", "test-hard-to-reach").exit_code == 0
    texts = [c.text for c in docx.Document(str(draft.with_name("Draft spec.reviewed.docx"))).comments]
    assert len(texts) == 2 and texts[0].startswith("Hard to reach blames people.")


def test_reviewed_copy_keeps_the_drafts_text(draft):
    assert run(draft, *RULES).exit_code == 0
    original = docx.Document(io.BytesIO(draft.read_bytes()))
    reviewed = docx.Document(str(draft.with_name("Draft spec.reviewed.docx")))
    assert [p.text for p in reviewed.paragraphs] == [p.text for p in original.paragraphs]



def test_suggest_writes_tracked_changes_and_says_how_many(tmp_path, monkeypatch, builtin_rules):
    monkeypatch.setattr("tilint.cli.common.load_rules_or_exit", lambda paths: builtin_rules)
    document = docx.Document()
    document.add_paragraph("Service users refused support.")
    path = tmp_path / "spec.docx"
    document.save(str(path))
    result = run(path, "--suggest")
    assert result.exit_code == 0, result.output
    assert "2 as suggested changes" in result.stdout
    body = docx.Document(str(tmp_path / "spec.reviewed.docx")).element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    inserted = "".join(t.text for t in body.iter(f"{w}t") if t.getparent().getparent().tag == f"{w}ins")
    assert inserted == "People who use the servicedeclined"


def test_rule_ids_are_named_only_when_asked(draft):
    assert run(draft, *RULES).exit_code == 0
    plain = [c.text for c in docx.Document(str(draft.with_name("Draft spec.reviewed.docx"))).comments]
    assert not any("[test-" in text for text in plain)
    assert run(draft, "--rule-ids", "--force", *RULES).exit_code == 0
    named = [c.text for c in docx.Document(str(draft.with_name("Draft spec.reviewed.docx"))).comments]
    assert any("[test-behaviour]" in text for text in named)
