"""The audit's spreadsheets: CSVs that open correctly in Excel, with a message, a department and a
location a person can find, and findings.xlsx holding the same rows, a sheet per view."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from audit_support import FIXTURE_RULES, audit, make_corpus, read_csv
from readers_fixtures import docx_bytes, pdf_bytes

from tilint.audit.grouping import GroupingError, parse_group_by
from tilint.audit.outputs import DEPARTMENT_COLUMNS, FINDING_COLUMNS
from tilint.audit.xlsx import sheet_sizes, spread
from tilint.ruleset import load_ruleset


def _word_document(document):
    document.add_paragraph("Introduction without labels.")
    document.add_heading("3. Eligibility", level=1)
    document.add_paragraph("Families are welcome.")
    document.add_paragraph("We hold 40 cases.")


@pytest.fixture(scope="module")
def rules():
    return load_ruleset([FIXTURE_RULES], builtin=False)


@pytest.fixture(scope="module")
def audited(rules, tmp_path_factory):
    corpus = make_corpus(
        tmp_path_factory.mktemp("docs"),
        {
            "Stratégie – jeunes/plan.md": "# Plan\n\nIntro.\n\nHard to reach families.\n",
            "Children/2023/spec.docx": docx_bytes(_word_document),
            "Children/tender.pdf": pdf_bytes([["Nothing to see."], ["We hold 40 cases."]]),
            "=HYPERLINK(x)/note.txt": "Complex cases need time.\n",
            "loose.txt": "Challenging behaviour is common.\n",
        },
    )
    out = tmp_path_factory.mktemp("out")
    audit(rules, [corpus], out)
    return out, corpus


def _rows(out, name):
    return read_csv(out / name)


def test_csv_files_start_with_a_byte_order_mark_so_excel_reads_utf8(audited):
    out, _ = audited
    for name in ("findings.csv", "documents.csv", "departments.csv", "rules.csv", "years.csv"):
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf"), name
    assert "Stratégie – jeunes" in (out / "documents.csv").read_text("utf-8-sig")


def test_utf8_without_a_byte_order_mark_is_an_option(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", {"a.txt": "We hold cases.\n"})
    audit(rules, [corpus], tmp_path / "out", csv_encoding="utf-8")
    assert (tmp_path / "out" / "findings.csv").read_bytes().startswith(b"department,")


def test_findings_have_a_message_a_department_and_a_folder(audited):
    out, corpus = audited
    rows = {r["path"].removeprefix(str(corpus) + "/"): r for r in _rows(out, "findings.csv")}
    plan = rows["Stratégie – jeunes/plan.md"]
    assert list(plan) == FINDING_COLUMNS
    assert (plan["department"], plan["folder"], plan["message"]) == (
        "Stratégie – jeunes",
        "Stratégie – jeunes",
        "Hard to reach blames people.",
    )
    assert rows["Children/2023/spec.docx"]["department"] == "Children"
    assert rows["Children/2023/spec.docx"]["folder"] == "Children/2023"
    assert rows["loose.txt"]["department"] == "(top level)"


def test_a_word_finding_is_located_by_its_heading_and_paragraph_not_by_a_line(audited):
    out, _corpus = audited
    row = next(r for r in _rows(out, "findings.csv") if r["path"].endswith("spec.docx"))
    assert (row["heading"], row["location"]) == ("3. Eligibility", "paragraph 2 under the heading")
    assert row["line"] == row["column"] == ""


def test_a_pdf_finding_is_located_by_its_page(audited):
    out, _ = audited
    row = next(r for r in _rows(out, "findings.csv") if r["path"].endswith("tender.pdf"))
    assert row["location"] == "page 2" and row["line"] == ""


def test_a_text_finding_keeps_its_line_and_column_and_markdown_its_heading(audited):
    out, _ = audited
    row = next(r for r in _rows(out, "findings.csv") if r["path"].endswith("plan.md"))
    assert (row["location"], row["heading"], row["line"], row["column"]) == ("line 5", "Plan", "5", "1")


def test_a_cell_excel_would_run_as_a_formula_is_quoted_in_the_csv(audited):
    out, _ = audited
    row = next(r for r in _rows(out, "findings.csv") if r["path"].endswith("note.txt"))
    assert row["department"] == "'=HYPERLINK(x)"


def test_departments_csv_has_one_row_per_department_worst_first(audited):
    out, _ = audited
    rows = _rows(out, "departments.csv")
    assert list(rows[0]) == DEPARTMENT_COLUMNS
    by_name = {r["department"]: r for r in rows}
    assert set(by_name) == {"Children", "Stratégie – jeunes", "'=HYPERLINK(x)", "(top level)"}
    assert by_name["Children"]["documents"] == "2" and by_name["Children"]["findings"] == "2"
    weights = [int(r["labelling_weighted"]) for r in rows]
    assert weights == sorted(weights, reverse=True)  # no risk-only document: by weight


def _sheet_rows(sheet):
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _csv_rows(path):
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [
            [cell.removeprefix("'") if cell.startswith("'=") else cell for cell in row] for row in csv.reader(handle)
        ]


def test_the_workbook_has_a_sheet_per_view_each_matching_its_csv(audited):
    openpyxl = pytest.importorskip("openpyxl")
    out, _ = audited
    workbook = openpyxl.load_workbook(out / "findings.xlsx")
    assert workbook.sheetnames == ["Departments", "Documents", "Findings", "Rules", "Years"]
    for sheet, name in (
        ("Departments", "departments.csv"),
        ("Documents", "documents.csv"),
        ("Findings", "findings.csv"),
        ("Rules", "rules.csv"),
        ("Years", "years.csv"),
    ):
        assert _sheet_rows(workbook[sheet]) == _csv_rows(out / name), sheet


def test_the_workbook_freezes_the_header_filters_every_column_and_keeps_numbers_as_numbers(audited):
    openpyxl = pytest.importorskip("openpyxl")
    out, _ = audited
    sheet = openpyxl.load_workbook(out / "findings.xlsx")["Findings"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{sheet.max_row}"
    assert sheet["A1"].font.b
    row = next(r for r in sheet.iter_rows(min_row=2) if str(r[1].value).endswith("plan.md"))
    assert row[5].value == 5 and isinstance(row[5].value, int)


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook(audited):
    openpyxl = pytest.importorskip("openpyxl")
    out, _ = audited
    sheet = openpyxl.load_workbook(out / "findings.xlsx")["Findings"]
    cell = next(r[0] for r in sheet.iter_rows(min_row=2) if str(r[1].value).endswith("note.txt"))
    assert cell.value == "=HYPERLINK(x)" and cell.data_type == "s"


def test_a_table_longer_than_a_sheet_goes_on_in_the_next_sheet():
    assert sheet_sizes(0, limit=5) == [0]
    assert sheet_sizes(12, limit=5) == [5, 5, 2]
    chunks = [(3, "<row>a</row><row>b</row><row>c</row>"), (4, "".join(f"<row>{i}</row>" for i in range(4)))]
    sheets = ["".join(rows) for rows in spread(chunks, sheet_sizes(7, limit=5))]
    assert [s.count("<row>") for s in sheets] == [5, 2]
    assert sheets[0].endswith("<row>1</row>") and sheets[1] == "<row>2</row><row>3</row>"


def test_group_by_depth_uses_the_first_folder_levels(rules, tmp_path):
    corpus = make_corpus(tmp_path / "docs", {"Children/Early help/a.txt": "Cases.\n", "Children/b.txt": "Cases.\n"})
    grouping = parse_group_by("depth=2", [str(corpus)])
    audit(rules, [corpus], tmp_path / "out", grouping=grouping)
    assert {r["department"] for r in _rows(tmp_path / "out", "documents.csv")} == {"Children/Early help", "Children"}


def test_group_by_a_mapping_csv_names_teams_most_specific_first(rules, tmp_path):
    corpus = make_corpus(
        tmp_path / "docs",
        {"Children/Early help/a.txt": "Cases.\n", "Children/b.txt": "Cases.\n", "Other/c.txt": "Cases.\n"},
    )
    mapping = tmp_path / "teams.csv"
    mapping.write_text("path,team\nChildren,Children's services\nChildren/Early help,Early help team\n", "utf-8-sig")
    grouping = parse_group_by(str(mapping), [str(corpus)])
    audit(rules, [corpus], tmp_path / "out", grouping=grouping)
    teams = {r["path"].rsplit("/", 1)[-1]: r["department"] for r in _rows(tmp_path / "out", "documents.csv")}
    assert teams == {"a.txt": "Early help team", "b.txt": "Children's services", "c.txt": "(unassigned)"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("folder,team\nA,B\n", "teams.csv:1: the header row needs a 'path' column"),
        ("path,team\nA,\n", "teams.csv:2: both the path and the team must be filled in"),
        ("path,team\n", "no rows after the header"),
        ("", "the file is empty"),
    ],
)
def test_a_bad_mapping_file_is_named_with_its_line(tmp_path, content, message):
    mapping = tmp_path / "teams.csv"
    mapping.write_text(content)
    with pytest.raises(GroupingError, match=message):
        parse_group_by(str(mapping), [str(tmp_path)])


@pytest.mark.parametrize("value", ["depth=0", "depth=x", "no-such-file.csv"])
def test_a_bad_group_by_value_is_refused(value, tmp_path):
    with pytest.raises(GroupingError):
        parse_group_by(value, [str(tmp_path)])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_every_sheet_of_the_workbook_as_its_csv(audited, tmp_path):
    """The data rows are streamed without cell references; a spreadsheet program other than
    openpyxl must read them the same (LibreOffice stands in for Excel here)."""
    out, _ = audited
    profile = (tmp_path / "profile").as_uri()
    # CSV filter options: comma, double quote, UTF-8, first line 1, ..., -1 = every sheet to its own file
    target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
         "--convert-to", target, "--outdir", str(tmp_path), str(out / "findings.xlsx")],
        check=True, capture_output=True, timeout=180,
    )
    for sheet, name in (("Departments", "departments.csv"), ("Findings", "findings.csv"), ("Rules", "rules.csv")):
        converted = tmp_path / f"findings-{sheet}.csv"
        with converted.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        expected = _csv_rows(out / name)
        assert len(rows) == len(expected), sheet
        assert rows[0] == expected[0], sheet
        # numbers come back in LibreOffice's own notation ("2" for 2.0): compare text cells exactly
        for got, want in zip(rows, expected, strict=True):
            for a, b in zip(got, want, strict=True):
                if not _is_number(b):
                    assert a == b, (sheet, got, want)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
