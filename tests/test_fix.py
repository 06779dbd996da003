"""Safe fixes: the right replacement, in the right case and number, and nothing else changed."""

from __future__ import annotations

import codecs

import pytest

from tilint.fix.fixer import (
    LINK_LABEL,
    detect_encoding,
    keep_line_breaks,
    match_case,
    match_number,
    plan_file,
    replacement_for,
    unified_diff,
    write_atomic,
)


# -- wording -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "original, expected",
    [
        ("challenging behaviour", "behaviours of distress"),
        ("Challenging behaviour", "Behaviours of distress"),
        ("CHALLENGING BEHAVIOUR", "BEHAVIOURS OF DISTRESS"),
        ("Challenging Behaviour", "Behaviours of Distress"),
        ("Behaviour of Concern", "Behaviours of Distress"),
    ],
)
def test_case_follows_the_original(original, expected):
    assert match_case(original, "behaviours of distress") == expected


def test_lowercase_original_keeps_the_alternative_as_written():
    assert match_case("placement", "NHS home") == "NHS home"


@pytest.mark.parametrize(
    "original, alternative, expected",
    [
        ("challenging behaviour", "behaviours of distress", "behaviour of distress"),
        ("challenging behaviours", "behaviours of distress", "behaviours of distress"),
        ("cases", "person we work with", "people we work with"),
        ("case", "people", "person"),
        ("placements", "home", "homes"),
        ("placement", "home", "home"),
        ("hard to reach", "seldom heard", "seldom heard"),
    ],
)
def test_number_follows_the_original(original, alternative, expected):
    assert match_number(original, alternative) == expected


def test_a_line_break_inside_the_phrase_is_kept():
    kept = keep_line_breaks("challenging\r\n  behaviour", "behaviour of distress")
    assert kept == "behaviour\r\n  of distress"


def test_a_line_break_with_nowhere_to_go_makes_no_fix():
    assert replacement_for("child\nplacement", "home") is None


# -- planning --------------------------------------------------------------------------------------
def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_plan_replaces_safe_findings_with_the_first_alternative(tmp_path, test_linter):
    path = write(tmp_path, "a.txt", b"We manage challenging behaviours daily.\n")
    plan = plan_file(test_linter, path)
    assert plan.fixed == "We manage behaviours of distress daily.\n"
    assert [(e.old, e.new, e.rule, e.line) for e in plan.edits] == [
        ("challenging behaviours", "behaviours of distress", "test-behaviour", 1)
    ]


def test_rules_not_marked_safe_are_never_applied(tmp_path, test_linter):
    path = write(tmp_path, "a.txt", b"We hold 40 cases. Families are hard to reach.\n")
    plan = plan_file(test_linter, path)
    assert not plan.changed and plan.edits == []


def test_planning_writes_nothing(tmp_path, test_linter):
    path = write(tmp_path, "a.txt", b"Challenging behaviour.\n")
    plan_file(test_linter, path)
    assert (tmp_path / "a.txt").read_bytes() == b"Challenging behaviour.\n"


def test_markdown_code_and_front_matter_are_never_touched(tmp_path, test_linter):
    source = (
        "---\ntitle: challenging behaviour\n---\n\n# Challenging Behaviour\n\n"
        "```\nchallenging behaviour\n```\n\nText about `challenging behaviour` and challenging behaviour.\n"
    )
    path = write(tmp_path, "a.md", source.encode())
    plan = plan_file(test_linter, path)
    assert plan.fixed == source.replace("# Challenging Behaviour", "# Behaviour of Distress").replace(
        "and challenging behaviour.", "and behaviour of distress."
    )


def test_a_markdown_link_label_is_not_renamed(tmp_path, test_linter):
    source = "See [challenging behaviour] and [challenging behaviour](x.md).\n\n"
    source += "[challenging behaviour]: x.md\n"
    plan = plan_file(test_linter, write(tmp_path, "a.md", source.encode()))
    assert plan.fixed == source.replace("[challenging behaviour](", "[behaviour of distress](")
    assert [reason for _, _, reason in plan.skipped] == [LINK_LABEL]


def test_crlf_and_utf8_bom_round_trip_exactly(tmp_path, test_linter):
    data = codecs.BOM_UTF8 + "Caf\u00e9 notes\r\nWe see challenging behaviour.\r\nEnd\r\n".encode()
    path = write(tmp_path, "a.txt", data)
    plan = plan_file(test_linter, path)
    assert plan.new_bytes() == data.replace(b"challenging behaviour", b"behaviour of distress")


def test_a_legacy_encoding_is_written_back_in_that_encoding(tmp_path, test_linter):
    data = "Caf\u00e9 r\u00e9sum\u00e9 na\u00efve: challenging behaviour \u00a3100.\n".encode("cp1252")
    path = write(tmp_path, "a.txt", data)
    plan = plan_file(test_linter, path)
    assert plan.new_bytes() == data.replace(b"challenging behaviour", b"behaviour of distress")


def test_utf16_with_bom_round_trips(tmp_path, test_linter):
    data = codecs.BOM_UTF16_LE + "Challenging behaviour.\r\n".encode("utf-16-le")
    path = write(tmp_path, "a.txt", data)
    plan = plan_file(test_linter, path)
    assert plan.new_bytes() == codecs.BOM_UTF16_LE + "Behaviour of distress.\r\n".encode("utf-16-le")


def test_an_undecodable_file_is_left_alone_with_an_error(tmp_path, test_linter):
    path = write(tmp_path, "a.txt", b"binary\x00data challenging behaviour")
    plan = plan_file(test_linter, path)
    assert plan.error and not plan.edits


def test_other_formats_are_not_fixed(tmp_path, test_linter):
    path = write(tmp_path, "a.html", b"<p>challenging behaviour</p>")
    plan = plan_file(test_linter, path)
    assert plan.unsupported == "html files are not fixed (only text and Markdown)"


def test_a_fix_that_would_be_flagged_again_is_dropped(tmp_path, nlp):
    from tilint.engine import Linter
    from tilint.ruleset import load_ruleset

    rule_file = tmp_path / "loop.yaml"
    rule_file.write_text(
        """
rules:
  - id: test-loop
    category: blame
    severity: warning
    message: Looping.
    alternatives: [troubled families group]
    rationale: A replacement that is itself flagged.
    sources: [{title: T, publisher: P}]
    patterns: [{terms: [troubled family]}]
    fix: safe
    examples: {flag: [Troubled families.], pass: [Families.]}
"""
    )
    linter = Linter(load_ruleset([rule_file], builtin=False), nlp=nlp, use_cache=False)
    path = write(tmp_path, "a.txt", b"A troubled family.\n")
    plan = plan_file(linter, path)
    assert plan.edits == [] and not plan.changed
    reason = "the replacement 'troubled families group' would be flagged too"
    assert plan.skipped == [(1, "test-loop", reason)]


def test_detect_encoding_matches_the_reader():
    assert detect_encoding(b"plain").name == "utf-8"
    assert detect_encoding(codecs.BOM_UTF8 + b"x").name == "utf-8 with BOM"
    assert detect_encoding(codecs.BOM_UTF16_BE + "x".encode("utf-16-be")).codec == "utf-16-be"


# -- output ----------------------------------------------------------------------------------------
def test_diff_marks_a_missing_final_newline():
    diff = unified_diff("a.txt", "old", "new")
    assert diff.endswith("-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n")


def test_write_atomic_keeps_the_files_permissions(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("x")
    path.chmod(0o640)
    write_atomic(path, b"y")
    assert path.read_bytes() == b"y"
    assert path.stat().st_mode & 0o777 == 0o640


def test_write_atomic_through_a_symlink_replaces_the_target(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("x")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(link, b"y")
    assert link.is_symlink() and target.read_bytes() == b"y"


def test_the_fixes_docs_word_md_shows_are_the_ones_the_built_in_rules_make(linter):
    """Every row of the table in docs/word.md's "Which fixes are made" is checked here."""
    from pathlib import Path

    from tilint.document import Document
    from tilint.engine import rewrite

    docs = (Path(__file__).resolve().parent.parent / "docs" / "word.md").read_text("utf-8")
    section = docs[docs.index("### Which fixes are made"):]
    table = section[section.index("| Original"): section.index("\n\n", section.index("| Original"))]
    rows = [[cell.strip() for cell in row.strip("|").split("|")] for row in table.splitlines()[2:]]
    assert len(rows) >= 5
    for original, written in rows:
        document = Document(path="t.md", text=original, format="markdown")
        done, _ = rewrite.plan(document, linter.check(document).findings, linter.ruleset, "safe")
        result = rewrite.apply(original, done)[0]
        assert result == (original if written.startswith("(unchanged") else written), original
