"""`tilint audit` from Python: what it writes, in what order, and how it survives bad files.

Exact counts use the fixture rules alone (load_ruleset([...], builtin=False)), so these tests do not
move when the built-in rule set changes.
"""

from __future__ import annotations

import json
import sqlite3
from html.parser import HTMLParser

import pytest
from audit_support import DOCUMENTS, FIXTURE_RULES, audit, make_corpus, read_csv

from tilint.audit import AuditInterrupted
from tilint.audit.journal import JOURNAL_NAME
from tilint.audit.outputs import FINDING_COLUMNS
from tilint.ruleset import load_ruleset


@pytest.fixture(scope="module")
def rules():
    return load_ruleset([FIXTURE_RULES], builtin=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def audited(rules, corpus, tmp_path_factory):
    """One audit of the corpus with two workers, shared by the tests that only read its outputs."""
    out = tmp_path_factory.mktemp("out")
    run = audit(rules, [corpus], out, jobs=2, use_cache=False)
    return run, out, corpus


def test_writes_every_output_into_the_folder(audited):
    _, out, _ = audited
    for name in (
        "report.html",
        "findings.csv",
        "documents.csv",
        "documents.jsonl",
        "summary.json",
        JOURNAL_NAME,
    ):
        assert (out / name).is_file(), name


def test_findings_csv_has_one_row_per_finding_with_position_rule_and_suggestions(audited):
    _, out, corpus = audited
    rows = [r for r in read_csv(out / "findings.csv") if r["path"] == str(corpus / "people.txt")]
    assert list(rows[0]) == FINDING_COLUMNS
    assert [(r["line"], r["column"], r["rule"], r["text"]) for r in rows] == [
        ("1", "12", "test-case", "cases"),
        ("2", "1", "test-hard-to-reach", "Hard-to-reach"),
        ("3", "26", "test-placement", "placement"),
    ]
    assert rows[0]["suggestions"] == "people; families we work with"
    assert rows[1]["severity"] == "error" and rows[1]["category"] == "risk-labels"


def test_rows_are_sorted_by_path_then_position(audited):
    _, out, _ = audited
    rows = read_csv(out / "findings.csv")
    keys = [(r["path"], int(r["line"] or 0), int(r["column"] or 0)) for r in rows]
    assert keys == sorted(keys)
    documents = [r["path"] for r in read_csv(out / "documents.csv")]
    assert documents == sorted(documents)


def test_documents_csv_has_counts_framing_and_one_column_per_principle(audited, rules):
    _, out, corpus = audited
    rows = {r["path"]: r for r in read_csv(out / "documents.csv")}
    assert list(next(iter(rows.values()))) == [
        "department",
        "path",
        "folder",
        "format",
        "words",
        "findings",
        "per_1k",
        "risk_only",
        "labelling_findings",
        "labelling_weighted",
        "date",
        "date_source",
        "principle_safety",
        "principle_choice",
        "error",
    ]
    people = rows[str(corpus / "people.txt")]
    assert (people["format"], people["words"], people["findings"], people["risk_only"]) == (
        "text",
        "15",
        "3",
        "false",
    )
    assert people["per_1k"] == "200.0"
    assert rows[str(corpus / "risk" / "only.txt")]["risk_only"] == "true"


def test_a_bad_file_is_listed_with_its_error_and_the_rest_are_checked(audited):
    run, out, corpus = audited
    rows = {r["path"]: r for r in read_csv(out / "documents.csv")}
    assert "not text" in rows[str(corpus / "broken" / "binary.txt")]["error"]
    assert rows[str(corpus / "broken" / "not-a-zip.docx")]["error"]
    assert rows[str(corpus / "people.txt")]["error"] == ""
    assert run.summary["files"] == len(DOCUMENTS)
    assert run.summary["errors"] == 2


def test_summary_counts_findings_by_rule_and_category_with_version_and_rule_hash(audited, rules):
    _, out, _ = audited
    summary = json.loads((out / "summary.json").read_text())
    findings = read_csv(out / "findings.csv")
    assert summary["findings"] == len(findings)
    assert sum(summary["by_rule"].values()) == len(findings)
    assert summary["by_category"]["people-as-labels"] == sum(r["category"] == "people-as-labels" for r in findings)
    assert summary["rules_digest"] == rules.digest
    assert summary["tool"]["name"] == "tilint" and summary["tool"]["version"]
    assert summary["risk_only_documents"] == 1
    assert {"from_cache", "elapsed_seconds", "analysed", "resumed"} <= summary.keys()


def test_documents_jsonl_has_one_record_per_file_in_path_order(audited):
    _, out, _ = audited
    records = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    assert [r["path"] for r in records] == sorted(r["path"] for r in records)
    assert len(records) == len(DOCUMENTS)


def test_one_and_two_workers_write_identical_tables(rules, corpus, audited, tmp_path):
    _, parallel, _ = audited
    audit(rules, [corpus], tmp_path, jobs=1, use_cache=False)
    for name in ("findings.csv", "documents.csv", "documents.jsonl"):
        assert (tmp_path / name).read_bytes() == (parallel / name).read_bytes(), name


def test_a_rerun_of_unchanged_files_comes_from_the_cache(rules, corpus, tmp_path):
    audit(rules, [corpus], tmp_path / "first")
    second = audit(rules, [corpus], tmp_path / "second")
    assert second.summary["analysed"] == 0
    assert second.summary["from_cache"] == len(DOCUMENTS) - 2  # the unreadable two are tried again


def test_an_interrupted_audit_resumes_with_only_the_rest(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", {f"d{i:02}.txt": f"Document {i} holds {i} cases.\n" for i in range(12)})
    out = tmp_path / "out"
    seen = []

    def stop_after_five(outcome):
        seen.append(outcome.task[0])
        if len(seen) == 5:
            raise KeyboardInterrupt

    with pytest.raises(AuditInterrupted) as stopped:
        audit(rules, [corpus], out, use_cache=True, on_outcome=stop_after_five)
    assert (stopped.value.done, stopped.value.total) == (5, 12)
    assert not (out / "report.html").exists()
    journaled = sqlite3.connect(out / JOURNAL_NAME).execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert journaled == 5

    rerun = audit(rules, [corpus], out)
    assert rerun.summary["resumed"] == 5
    assert rerun.summary["analysed"] + rerun.summary["from_cache"] == 7
    assert rerun.summary["files"] == 12 and rerun.summary["findings"] == 12


def test_a_resumed_audit_rechecks_a_file_that_changed_and_forgets_a_deleted_one(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", {"a.txt": "We hold cases.\n", "b.txt": "Nothing.\n", "c.txt": "Cases.\n"})
    out = tmp_path / "out"
    audit(rules, [corpus], out)
    (corpus / "b.txt").write_text("Hard to reach families.\n")
    (corpus / "c.txt").unlink()
    rerun = audit(rules, [corpus], out)
    assert rerun.summary["resumed"] == 1
    assert [(r["path"].rsplit("/", 1)[-1], r["rule"]) for r in read_csv(out / "findings.csv")] == [
        ("a.txt", "test-case"),
        ("b.txt", "test-hard-to-reach"),
    ]


def test_no_cache_analyses_everything_again(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", {"a.txt": "We hold cases.\n"})
    audit(rules, [corpus], tmp_path / "out")
    again = audit(rules, [corpus], tmp_path / "out", use_cache=False)
    assert (again.summary["analysed"], again.summary["resumed"], again.summary["from_cache"]) == (1, 0, 0)


def test_include_and_exclude_globs_choose_the_files(rules, corpus, tmp_path):
    run = audit(rules, [corpus], tmp_path, include=("*.txt",), exclude=("broken", "risk/*"))
    paths = {r["path"].removeprefix(str(corpus) + "/") for r in read_csv(tmp_path / "documents.csv")}
    assert paths == {"people.txt", "clean.txt", "inject.txt"}
    assert run.summary["files"] == 3


def test_the_output_folder_inside_the_audited_folder_is_not_audited(rules, tmp_path):
    corpus = make_corpus(tmp_path, {"a.md": "We hold cases.\n"})
    audit(rules, [corpus], corpus / "report")
    second = audit(rules, [corpus], corpus / "report")
    assert second.summary["files"] == 1


def test_the_report_escapes_document_text(audited):
    _, out, _ = audited
    html = (out / "report.html").read_text()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


class _References(HTMLParser):
    """Every tag's src/href and every <link>, <style> and <script> in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links, self.tags, self.styles = [], [], []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_style = tag == "style"
        self.links += [value for name, value in attrs if name in ("src", "href", "srcset", "data", "poster")]

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def test_the_report_is_self_contained(audited):
    _, out, _ = audited
    page = _References()
    page.feed((out / "report.html").read_text())
    assert "link" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
    data = {"findings.xlsx", "findings.csv", "documents.csv", "departments.csv", "summary.json"}
    assert all(link.startswith("#") or link in data for link in page.links)
    assert not any("url(" in css or "@import" in css for css in page.styles)


def test_the_report_has_summary_charts_table_sections_and_unreadable_files(audited):
    _, out, _corpus = audited
    html = (out / "report.html").read_text()
    assert 'id="summary"' in html and "Documents checked" in html and "Findings per 1,000 words" in html
    assert html.count("<svg") == 4  # categories, principles, and the two by year
    assert 'id="documents-table"' in html
    first = html.split('id="doc-0"')[1].split("</summary>")[0]
    assert "risk/only.txt" in first  # risk-only comes first
    assert "not-a-zip.docx" in html.split('id="unreadable"')[1]
    assert "@media print" in html


def test_the_documents_table_is_worst_first_without_script(audited):
    _, out, _corpus = audited
    table = (out / "report.html").read_text().split('id="documents-table"')[1].split("</table>")[0]
    order = [name for name in ("risk/only.txt", "people.txt", "clean.txt") if f">{name}<" in table]
    positions = [table.index(f">{name}<") for name in order]
    assert positions == sorted(positions) and len(order) == 3


def test_each_section_shows_at_most_the_requested_snippets(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", {"many.txt": "Cases. " * 7 + "\n"})
    audit(rules, [corpus], tmp_path / "out", snippets=2)
    section = (tmp_path / "out" / "report.html").read_text().split('<article class="doc')[1]
    assert section.count("<mark>Cases</mark>") == 2
    assert "5 more findings in this document" in section


def test_only_the_worst_documents_get_sections_when_limited(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", {f"d{i}.txt": "We hold cases.\n" * (i + 1) for i in range(4)})
    audit(rules, [corpus], tmp_path / "out", max_sections=2)
    html = (tmp_path / "out" / "report.html").read_text()
    assert html.count('<article class="doc') == 2
    assert "all 4 with findings are in findings.csv" in html


def test_a_second_audit_into_a_folder_in_use_is_refused(rules, tmp_path):
    from tilint.audit import AuditError
    from tilint.audit.journal import Journal

    corpus = make_corpus(tmp_path / "docs", {"a.txt": "We hold cases.\n"})
    (tmp_path / "out").mkdir()
    busy = Journal(tmp_path / "out", "another run")
    try:
        with pytest.raises(AuditError, match="in use by another tilint audit"):
            audit(rules, [corpus], tmp_path / "out")
    finally:
        busy.close()


def test_a_damaged_journal_is_replaced(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", {"a.txt": "We hold cases.\n"})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / JOURNAL_NAME).write_bytes(b"this is not a database" * 100)
    assert audit(rules, [corpus], tmp_path / "out").summary["findings"] == 1


def test_a_long_context_line_is_cut_around_the_phrase_and_still_points_at_it():
    from tilint.audit.worker import trim_context
    from tilint.findings import Finding

    line = "word " * 500 + "cases " + "more " * 500
    finding = Finding("r", "c", "warning", "m", "cases", [], context=line, context_column=2501)
    trim_context(finding, width=40)
    start = finding.context_column - 1
    assert finding.context[start : start + 5] == "cases"
    assert finding.context.startswith("\u2026") and finding.context.endswith("\u2026")
    assert len(finding.context) < 100


def test_a_file_larger_than_max_bytes_is_listed_not_read(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", {"big.txt": "We hold cases. " * 100, "small.txt": "Cases.\n"})
    run = audit(rules, [corpus], tmp_path / "out", max_bytes=1000)
    errors = {r["path"].rsplit("/", 1)[-1]: r["error"] for r in read_csv(tmp_path / "out" / "documents.csv")}
    assert "limit" in errors["big.txt"] and errors["small.txt"] == ""
    assert run.summary["errors"] == 1


def test_a_result_travels_with_the_same_keys_as_the_cache_format(test_linter):
    from tilint.audit.worker import result_dict
    from tilint.document import Document

    result = test_linter.check(Document(path="a.txt", text="We hold 40 cases."))
    assert result_dict(result) == result.to_cache()
