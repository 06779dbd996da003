"""End to end: `tilint check` on extracted formats reports where a finding is in the document.

One `tilint check` run covers all the files (building the linter is the slow part).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from readers_fixtures import docx_bytes, pdf_bytes

from tilint.cli import main

pytestmark = pytest.mark.slow

HTML = "<html>\n<body>\n<p>We engage <b>hard to\n   reach</b> families.</p>\n</body>\n</html>\n"


def _tender(d) -> None:
    d.add_paragraph("Our approach to the service.")
    table = d.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Cohort"
    table.cell(1, 2).text = "We will engage hard to reach families across the borough."


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("e2e")
    files = {
        "tender.docx": docx_bytes(_tender),
        "tender.pdf": pdf_bytes(
            [["An opening page about the service."], ["We will engage hard to reach families."]]
        ),
        "page.html": HTML.encode(),
        "page.htm": HTML.encode(),
        "fake.docx": b"%PDF-1.7 not really a word document",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    result = CliRunner().invoke(main, ["check", *(str(folder / name) for name in files), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    parsed = json.loads(result.stdout)
    return {entry["path"].rsplit("/", 1)[-1]: entry for entry in parsed["files"]}


def hard_to_reach(report: dict[str, dict], name: str) -> dict:
    entry = report[name]
    assert entry["error"] is None
    (finding,) = [f for f in entry["findings"] if f["rule"] == "hard-to-reach"]
    return finding


def test_hard_to_reach_in_a_docx_table_cell_is_reported_in_that_cell(report):
    finding = hard_to_reach(report, "tender.docx")
    assert finding["where"] == "table 1, row 2, cell 3"
    assert finding["text"].lower() == "hard to reach"


def test_a_finding_in_a_pdf_is_reported_on_its_page(report):
    assert hard_to_reach(report, "tender.pdf")["where"] == "page 2"


@pytest.mark.parametrize("name", ["page.html", "page.htm"])
def test_a_finding_in_html_is_reported_at_its_source_line_and_column(report, name):
    finding = hard_to_reach(report, name)
    assert (finding["line"], finding["column"]) == (3, 17)
    assert HTML.split("\n")[2][16:].startswith("hard to")


def test_an_unreadable_docx_is_reported_as_an_error_not_a_crash(report):
    assert "not a Word document (looks like PDF)" in report["fake.docx"]["error"]
