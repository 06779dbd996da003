"""Inline suppressions: tilint-disable-next-line / disable-line / disable ... enable."""

from __future__ import annotations

import json

import pytest
from ci_support import fast_cli, run_check  # noqa: F401  (fixture)

from tilint.filters.suppressions import Suppressions, apply_suppressions, parse_directives
from tilint.findings import Finding

pytestmark = pytest.mark.usefixtures("fast_cli")


def finding(
    line: int, column: int = 1, rule: str = "test-case", category: str = "people-as-labels"
) -> Finding:
    return Finding(
        rule=rule,
        category=category,
        severity="warning",
        message="m",
        text="cases",
        suggestions=[],
        start=0,
        end=5,
        line=line,
        column=column,
        end_line=line,
        end_column=column + 5,
    )


def kept(text: str, findings: list[Finding], fmt: str = "markdown") -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in apply_suppressions(findings, text.encode(), fmt)]


# -- parsing -----------------------------------------------------------------------------------------
def test_directive_ids_may_be_separated_by_commas_or_spaces():
    (directive,) = parse_directives(
        "<!-- tilint-disable-next-line test-case, test-placement risk-labels -->", "markdown"
    )
    assert directive.kind == "disable-next-line"
    assert directive.ids == ("test-case", "test-placement", "risk-labels")


def test_a_directive_without_ids_covers_every_rule():
    (directive,) = parse_directives("<!--tilint-disable-->", "markdown")
    assert directive.kind == "disable" and directive.ids == ()


def test_plain_directive_lines_count_only_in_plain_text():
    text = "tilint-disable-next-line test-case\nWe hold cases.\n"
    assert [d.kind for d in parse_directives(text, "text")] == ["disable-next-line"]
    assert parse_directives(text, "markdown") == []


def test_prose_that_mentions_a_directive_mid_line_is_not_one():
    assert parse_directives("Write tilint-disable in a comment to silence it.\n", "text") == []


# -- applying ----------------------------------------------------------------------------------------
def test_disable_next_line_covers_only_the_following_line():
    text = "<!-- tilint-disable-next-line -->\nWe hold cases.\nMore cases.\n"
    assert kept(text, [finding(2), finding(3)]) == [(3, "test-case")]


def test_disable_next_line_with_ids_spares_other_rules():
    text = "<!-- tilint-disable-next-line test-case -->\ncases and placement\n"
    findings = [finding(2), finding(2, 12, "test-placement", "institutional-jargon")]
    assert kept(text, findings) == [(2, "test-placement")]


def test_a_category_id_suppresses_every_rule_in_it():
    text = "<!-- tilint-disable-next-line people-as-labels -->\nWe hold cases.\n"
    assert kept(text, [finding(2)]) == []


def test_disable_line_covers_its_own_line():
    text = "We hold cases. <!-- tilint-disable-line test-case -->\nMore cases.\n"
    assert kept(text, [finding(1), finding(2)]) == [(2, "test-case")]


def test_disable_enable_covers_the_region_between():
    text = "cases\n<!-- tilint-disable -->\ncases\ncases\n<!-- tilint-enable -->\ncases\n"
    assert kept(text, [finding(1), finding(3), finding(4), finding(6)]) == [
        (1, "test-case"),
        (6, "test-case"),
    ]


def test_disable_without_enable_runs_to_the_end_of_the_file():
    text = "cases\n<!-- tilint-disable test-case -->\ncases\n\n\ncases\n"
    assert kept(text, [finding(1), finding(3), finding(6)]) == [(1, "test-case")]


def test_enabling_one_rule_inside_a_disable_all_region_brings_back_only_that_rule():
    text = "<!-- tilint-disable -->\n<!-- tilint-enable test-case -->\nx\n<!-- tilint-enable -->\n"
    findings = [finding(3), finding(3, 3, "test-placement", "institutional-jargon")]
    assert kept(text, findings) == [(3, "test-case")]


def test_region_bounds_use_columns_on_a_shared_line():
    text = "cases <!-- tilint-disable --> cases <!-- tilint-enable --> cases\n"
    findings = [finding(1, 1), finding(1, 31), finding(1, 60)]
    assert [f.column for f in apply_suppressions(findings, text.encode(), "markdown")] == [1, 60]


def test_plain_text_directive_lines_suppress():
    text = "# tilint-disable-next-line\nWe hold cases.\n"
    assert kept(text, [finding(2)], fmt="text") == []


def test_extracted_formats_are_left_alone():
    text = "<!-- tilint-disable -->\ncases\n"
    assert kept(text, [finding(2)], fmt="docx") == [(2, "test-case")]


def test_document_level_findings_are_not_suppressed_by_line_directives():
    doc_level = Finding(
        rule="test-risk-only",
        category="document-framing",
        severity="warning",
        message="m",
        text="",
        suggestions=[],
    )
    assert len(apply_suppressions([doc_level], b"<!-- tilint-disable -->\n", "markdown")) == 1


# -- unused ------------------------------------------------------------------------------------------
def test_unused_directives_are_reported_per_idle_id():
    text = "<!-- tilint-disable-next-line test-case test-placement -->\ncases\n<!-- tilint-disable-line -->\n"
    suppressions = Suppressions(parse_directives(text, "markdown"))
    assert suppressions.suppresses(finding(2))
    problems = suppressions.unused({"test-case", "test-placement"})
    assert [(d.line, why) for d, why in problems] == [
        (1, "suppresses nothing for test-placement"),
        (3, "suppresses nothing"),
    ]


def test_unknown_ids_in_a_directive_are_reported():
    suppressions = Suppressions(
        parse_directives("<!-- tilint-disable-next-line no-such-rule -->\n", "markdown")
    )
    assert "unknown rule or category no-such-rule" in suppressions.unused({"test-case"})[0][1]


# -- through the command line --------------------------------------------------------------------
@pytest.fixture
def doc(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "policy.md"
    path.write_text(
        "We hold 40 cases.\n\n<!-- tilint-disable-next-line test-case -->\nWe hold 41 cases.\n\n"
        "<!-- tilint-disable-next-line test-placement -->\nNothing to see.\n",
        encoding="utf-8",
    )
    return path


def test_suppressed_findings_disappear_from_the_report(doc):
    data = json.loads(run_check("--format", "json", "policy.md").stdout)
    assert [f["line"] for f in data["files"][0]["findings"]] == [1]


def test_suppressions_apply_on_a_warm_cache_too(doc):
    first = run_check("--format", "json", "policy.md").stdout
    assert run_check("--format", "json", "policy.md").stdout == first


def test_report_unused_disables_adds_a_warning_finding(doc):
    result = run_check("--format", "json", "--report-unused-disables", "policy.md")
    findings = json.loads(result.stdout)["files"][0]["findings"]
    unused = [f for f in findings if f["rule"] == "unused-suppression"]
    assert len(unused) == 1 and unused[0]["line"] == 6 and unused[0]["severity"] == "warning"


def test_unused_suppressions_are_silent_without_the_flag(doc):
    findings = json.loads(run_check("--format", "json", "policy.md").stdout)["files"][0]["findings"]
    assert all(f["rule"] != "unused-suppression" for f in findings)


def test_html_comments_suppress_in_html_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.html").write_text(
        "<html><body>\n<p>We hold 40 cases.</p>\n"
        "<!-- tilint-disable-next-line -->\n<p>We hold 41 cases.</p>\n"
        "</body></html>\n",
        encoding="utf-8",
    )
    data = json.loads(run_check("--format", "json", "p.html").stdout)
    assert [f["line"] for f in data["files"][0]["findings"]] == [2]


def test_directives_shown_in_a_markdown_code_block_are_examples_not_directives():
    text = "```markdown\n<!-- tilint-disable -->\n```\n\nWe hold cases.\n"
    assert parse_directives(text, "markdown") == []
    assert kept(text, [finding(5)]) == [(5, "test-case")]


# -- a directive is never itself checked -------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("plan.txt", "tilint-disable-next-line test-case\nWe hold cases.\n"),
        ("plan.txt", "# tilint-disable-next-line test-case, test-hard-to-reach\nHard to reach cases.\n"),
        ("plan.txt", "<!-- tilint-disable-next-line test-case -->\nWe hold cases.\n"),
        ("plan.md", "<!-- tilint-disable-next-line test-case -->\nWe hold cases.\n"),
        ("plan.html", "<p><!-- tilint-disable-next-line test-case -->\nWe hold cases.</p>\n"),
    ],
)
def test_a_directive_naming_a_rule_is_not_flagged_as_that_rules_phrase(tmp_path, monkeypatch, name, text):
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(text, encoding="utf-8")
    data = json.loads(run_check("--format", "json", "--report-unused-disables", name).stdout)
    assert data["files"][0]["findings"] == []


def test_a_directive_in_a_docx_is_not_flagged_either(tmp_path, monkeypatch):
    from readers_fixtures import docx_with_paragraphs

    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.docx").write_bytes(docx_with_paragraphs("tilint-disable-next-line test-case", "Real cases."))
    findings = json.loads(run_check("--format", "json", "t.docx").stdout)["files"][0]["findings"]
    assert [(f["line"], f["text"]) for f in findings] == [(2, "cases")]
