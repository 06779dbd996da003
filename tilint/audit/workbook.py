"""What goes into findings.xlsx: the same tables as the CSV files, one sheet each.

Sheets, in the order an auditor reads them: Departments (where to act first), Documents (worst
first is a sort away: the filters are on), Findings, Rules, Years and, after --compare, Changes.
Each sheet holds exactly the rows of its CSV file (departments.csv, documents.csv, findings.csv,
rules.csv, years.csv, changes.csv), with numbers as numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tilint.audit.journal import JournalReader
from tilint.audit.outputs import (
    DEPARTMENT_COLUMNS,
    FINDING_COLUMNS,
    RULE_COLUMNS,
    YEAR_COLUMNS,
    Totals,
    department_rows,
    document_columns,
    rule_rows,
    year_rows,
)
from tilint.audit.xlsx import Sheet, row_xml, sheet_sizes, spread, write_workbook
from tilint.ruleset import RuleSet

WORKBOOK_NAME = "findings.xlsx"
#: column widths (characters) for the long columns, by header name
WIDTHS = {"department": 24, "path": 60, "folder": 30, "location": 28, "heading": 30, "message": 60, "text": 24}


def _widths(header: list[str]) -> dict[int, float]:
    return {index: WIDTHS[name] for index, name in enumerate(header, start=1) if name in WIDTHS}


def _small(title: str, header: list[str], rows: list[list[Any]]) -> Sheet:
    return Sheet(title, header, len(rows), (row_xml(row) for row in rows), _widths(header))


def write_findings_workbook(
    journal: JournalReader, totals: Totals, ruleset: RuleSet, out: Path, comparison: Any = None
) -> Path:
    def documents() -> Iterator[str]:
        for row in journal.by_path("document_xlsx"):
            yield row["document_xlsx"]

    def findings() -> Iterator[tuple[int, str]]:
        for row in journal.by_path("findings, findings_xlsx"):
            if row["findings"]:
                yield row["findings"], row["findings_xlsx"]

    sizes = sheet_sizes(totals.findings)
    finding_sheets = [
        Sheet(f"Findings ({index + 1})" if index else "Findings", FINDING_COLUMNS, size, rows, _widths(FINDING_COLUMNS))
        for index, (size, rows) in enumerate(zip(sizes, spread(findings(), sizes), strict=True))
    ]
    header = document_columns(ruleset)
    sheets = [
        _small("Departments", DEPARTMENT_COLUMNS, department_rows(totals)),
        Sheet("Documents", header, totals.files, documents(), _widths(header)),
        *finding_sheets,
        _small("Rules", RULE_COLUMNS, rule_rows(totals, ruleset)),
        _small("Years", YEAR_COLUMNS, year_rows(totals)),
    ]
    if comparison is not None:
        sheets.append(_small("Changes", comparison.document_header(), comparison.document_rows()))
    return write_workbook(out / WORKBOOK_NAME, sheets)
