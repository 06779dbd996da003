"""`--compare`: two audits of a folder that changed (edited, renamed, added and removed files), and
every figure of the comparison checked against what each audit wrote on its own."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from audit_support import FIXTURE_RULES, RISK_ONLY, audit, make_corpus, read_csv

from tilint.audit import AuditError
from tilint.ruleset import load_ruleset

LONG = (
    "The partnership agreed a plan for the borough. Families told us what matters to them and the "
    "service will be shaped by what they said. Workers will meet people where they are, explain each "
    "step and agree goals together. We hold 40 cases. Reviews happen every quarter with the board, "
    "and the plan is published for residents to read and comment on.\n"
)
BEFORE = {
    "A/edited.txt": "We hold 40 cases. Hard to reach families.\n",
    "A/same.txt": "The building opens at nine on weekdays.\n",
    "B/old-name.md": LONG,
    "B/removed.txt": "Complex cases need time.\n",
    "risk/only.txt": RISK_ONLY,
    "broken.docx": b"not a zip",
}
AFTER = {
    "A/edited.txt": "We hold 40 cases. Families are welcome here.\n",
    "A/moved.txt": BEFORE["A/same.txt"],
    "B/new-name.md": LONG.replace("every quarter", "every quarter, and challenging behaviour is discussed"),
    "C/added.txt": "Hard to reach families.\n",
    "risk/only.txt": RISK_ONLY
    + "We build on the strengths, aspirations and potential of each family and the lived experience of "
    "each young person, their strengths and assets.\n",
    "broken.docx": b"not a zip",
}


@pytest.fixture(scope="module")
def rules():
    return load_ruleset([FIXTURE_RULES], builtin=False)


@pytest.fixture(scope="module")
def compared(rules, tmp_path_factory):
    then_docs = make_corpus(tmp_path_factory.mktemp("then") / "Commissioning", BEFORE)
    now_docs = make_corpus(tmp_path_factory.mktemp("now") / "Commissioning", AFTER)  # the folder moved too
    old = tmp_path_factory.mktemp("old")
    new = tmp_path_factory.mktemp("new")
    audit(rules, [then_docs], old)
    run = audit(rules, [now_docs], new, compare=old)
    data = json.loads((new / "comparison.json").read_text())
    return old, new, run, data


def _documents(out):
    return {r["path"].split("Commissioning/", 1)[1]: r for r in read_csv(out / "documents.csv")}


def _side(out):
    rows = [r for r in _documents(out).values() if not r["error"]]
    return {
        "documents": len(rows),
        "words": sum(int(r["words"]) for r in rows),
        "findings": sum(int(r["findings"]) for r in rows),
        "risk_only_documents": sum(r["risk_only"] == "true" for r in rows),
    }


def test_the_headline_figures_then_and_now_are_each_audits_own(compared):
    old, new, _, data = compared
    for side, out in (("then", old), ("now", new)):
        summary = json.loads((out / "summary.json").read_text())
        figures = data[side]
        assert {key: figures[key] for key in _side(out)} == _side(out)
        assert figures["findings_per_1k_words"] == summary["findings_per_1k_words"]
        assert figures["risk_only_documents"] == summary["risk_only_documents"]
        assert figures["documents_describing_people"] == summary["documents_describing_people"]
        assert figures["unreadable"] == summary["errors"] == 1
        readable = summary["documents_checked"]
        for name, count in summary["principles"].items():
            assert figures["principle_coverage"][name] == round(count / readable, 4)
    assert data["then"]["risk_only_documents"] == 1 and data["now"]["risk_only_documents"] == 0


def test_each_document_is_improved_worse_unchanged_new_gone_or_unreadable(compared):
    _, new, _, data = compared
    rows = {
        (r["previous_path"].split("Commissioning/")[-1], r["path"].split("Commissioning/")[-1]): r
        for r in read_csv(new / "changes.csv")
    }
    statuses = {key: (row["status"], row["matched_by"]) for key, row in rows.items()}
    assert statuses == {
        ("A/edited.txt", "A/edited.txt"): ("improved", "path"),
        ("A/same.txt", "A/moved.txt"): ("unchanged", "same content"),
        ("B/old-name.md", "B/new-name.md"): ("worse", "similar content"),
        ("B/removed.txt", ""): ("gone", ""),
        ("", "C/added.txt"): ("new", ""),
        ("risk/only.txt", "risk/only.txt"): ("improved", "path"),
        ("broken.docx", "broken.docx"): ("unreadable", "path"),
    }
    assert data["documents"] == {"worse": 1, "improved": 2, "new": 1, "gone": 1, "unreadable": 1, "unchanged": 1}
    assert data["renamed"] == 2
    assert 0.5 <= float(rows[("B/old-name.md", "B/new-name.md")]["similarity"]) < 1


def test_a_documents_figures_then_and_now_are_those_of_each_audit(compared):
    old, new, _, _ = compared
    then, now = _documents(old), _documents(new)
    row = next(r for r in read_csv(new / "changes.csv") if r["path"].endswith("new-name.md"))
    assert (row["findings_then"], row["findings_now"]) == (
        then["B/old-name.md"]["findings"],
        now["B/new-name.md"]["findings"],
    )
    assert (row["per_1k_then"], row["per_1k_now"]) == (then["B/old-name.md"]["per_1k"], now["B/new-name.md"]["per_1k"])
    risk = next(r for r in read_csv(new / "changes.csv") if r["path"].endswith("only.txt"))
    assert (risk["risk_only_then"], risk["risk_only_now"]) == ("true", "false")
    assert risk["labelling_weighted_now"] == now["risk/only.txt"]["labelling_weighted"]


def test_departments_compare_like_with_like(compared):
    old, new, _, data = compared
    then, now = _documents(old), _documents(new)
    departments = data["departments"]
    assert set(departments) == {"A", "B", "C", "risk", "(top level)"}
    assert departments["A"]["then"]["documents"] == 2 and departments["A"]["now"]["documents"] == 2
    assert departments["A"]["then"]["findings"] == sum(int(then[p]["findings"]) for p in ("A/edited.txt", "A/same.txt"))
    assert departments["B"]["then"]["documents"] == 2 and departments["B"]["now"]["documents"] == 1
    assert departments["B"]["documents"]["gone"] == 1 and departments["B"]["documents"]["worse"] == 1
    assert departments["C"]["then"]["documents"] == 0 and departments["C"]["documents"]["new"] == 1
    assert (
        departments["risk"]["then"]["risk_only_documents"] == 1
        and departments["risk"]["now"]["risk_only_documents"] == 0
    )
    assert departments["(top level)"]["documents"]["unreadable"] == 1
    assert departments["A"]["now"]["words"] == int(now["A/edited.txt"]["words"]) + int(now["A/moved.txt"]["words"])


def test_rules_then_and_now_count_each_audits_findings(compared):
    old, new, _, data = compared
    then = Counter(r["rule"] for r in read_csv(old / "findings.csv"))
    now = Counter(r["rule"] for r in read_csv(new / "findings.csv"))
    assert {rule: (v["then"], v["now"]) for rule, v in data["rules"].items()} == {
        rule: (then[rule], now[rule]) for rule in set(then) | set(now)
    }
    assert all(v["change"] == v["now"] - v["then"] for v in data["rules"].values())
    assert not data["rules_changed"] and data["notes"] == []


def test_the_report_and_the_summary_carry_the_comparison(compared):
    _, new, run, _ = compared
    html = (new / "report.html").read_text()
    assert (
        'id="changes"' in html
        and "Since the earlier audit: <strong>2 improved</strong>, <strong>1 worse</strong>" in html
    )
    assert run.summary["comparison"]["documents"]["gone"] == 1


def test_the_workbook_has_the_changes_sheet(compared):
    openpyxl = pytest.importorskip("openpyxl")
    _, new, _, _ = compared
    sheet = openpyxl.load_workbook(new / "findings.xlsx")["Changes"]
    assert sheet.max_row == 1 + len(read_csv(new / "changes.csv"))


def test_an_audit_from_an_older_tilint_is_matched_by_path_and_by_identical_content(rules, compared, tmp_path):
    old, _, _, _ = compared
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    summary = json.loads((old / "summary.json").read_text())
    summary.pop("roots")
    (legacy / "summary.json").write_text(json.dumps(summary))
    records = []
    for line in (old / "documents.jsonl").read_text().splitlines():
        record = json.loads(line)
        for key in ("relative", "department", "folder", "sketch", "date", "date_source"):
            record.pop(key, None)
        records.append(json.dumps(record))
    (legacy / "documents.jsonl").write_text("\n".join(records) + "\n")
    now_docs = make_corpus(tmp_path / "now" / "Commissioning", AFTER)
    audit(rules, [now_docs], tmp_path / "out", compare=legacy)
    data = json.loads((tmp_path / "out" / "comparison.json").read_text())
    assert data["documents"]["unchanged"] == 1 and data["renamed"] == 1  # same.txt -> moved.txt only
    assert data["documents"]["gone"] == 2 and data["documents"]["new"] == 2  # the edited rename is not followed
    assert any("older tilint" in note for note in data["notes"])


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "summary.json is missing"),
        ({"summary.json": "{}", "documents.jsonl": ""}, "not the summary of a tilint audit"),
    ],
)
def test_a_folder_that_is_not_an_audit_is_refused_before_any_work(rules, tmp_path, files, message):
    folder = tmp_path / "not-an-audit"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    corpus = make_corpus(tmp_path / "docs", {"a.txt": "Cases.\n"})
    with pytest.raises(AuditError, match=message):
        audit(rules, [corpus], tmp_path / "out", compare=folder)
    assert not (tmp_path / "out" / "report.html").exists()


def test_a_damaged_record_is_named_by_file_and_line(rules, compared, tmp_path):
    old, _, _, _ = compared
    folder = tmp_path / "damaged"
    folder.mkdir()
    (folder / "summary.json").write_text((old / "summary.json").read_text())
    (folder / "documents.jsonl").write_text((old / "documents.jsonl").read_text() + "{not json\n")
    corpus = make_corpus(tmp_path / "docs", {"a.txt": "Cases.\n"})
    with pytest.raises(AuditError, match=r"documents.jsonl:7: not a JSON record"):
        audit(rules, [corpus], tmp_path / "out", compare=folder)
