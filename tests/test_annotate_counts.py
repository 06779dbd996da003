"""One count everywhere: check, annotate, the web page and the audit agree on a Word file's findings
and words, because they all read it with the same reader and check it the same way."""

from __future__ import annotations

import csv
import io
import json
import re

import docx
import pytest
from click.testing import CliRunner
from readers_fixtures import add_notes, note_reference

from tilint.cli import main

pytest.importorskip("flask")


def messy_tender(path) -> None:
    """Spacing a typist leaves behind (double spaces, non-breaking and trailing spaces, tabs),
    split runs, a table, a header, a footer and a footnote: everything the old second walker of
    annotate counted differently from the reader."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Early help  service: hard to reach families"
    document.sections[0].footer.paragraphs[0].text = "Draft for consultation"
    document.add_heading("1. Service  specification", 1)
    p = document.add_paragraph("The provider  will support\u00a0service users ")
    p.add_run("with challenging").bold = True
    p.add_run("  behaviour and their families.   ")
    document.add_paragraph("\tOffenders and addicts are\t referred by the police.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Cohort"
    table.cell(0, 1).text = "Young  people who abscond from placements"
    table.cell(1, 1).text = "Troubled families  and hard to reach groups"
    note = document.add_paragraph("Families are referred by social care.")
    add_notes(document, "footnote", {1: "Includes looked after children and care leavers."})
    from docx.oxml import parse_xml
    from readers_fixtures import _NS_DECLS

    note._p.append(parse_xml(note_reference("footnote", 1).replace("<w:r>", f"<w:r {_NS_DECLS}>", 1)))
    document.save(str(path))


@pytest.fixture
def tender(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no configuration file from the repository is picked up
    path = tmp_path / "tender.docx"
    messy_tender(path)
    return path


def test_check_annotate_web_and_audit_agree_on_findings_and_words(tender, tmp_path, builtin_rules, nlp):
    runner = CliRunner()
    checked = json.loads(runner.invoke(main, ["check", "--no-cache", "--format", "json", str(tender)]).stdout)
    (file,) = checked["files"]
    findings, words = len(file["findings"]), file["words"]
    assert findings >= 8 and words > 40

    annotated = runner.invoke(main, ["annotate", str(tender)])
    assert annotated.exit_code == 0, annotated.output
    assert re.search(rf"Wrote .*: {findings} findings", annotated.stdout)
    reviewed = docx.Document(str(tmp_path / "tender.reviewed.docx"))
    summary = next(c.text for c in reviewed.comments if c.text.startswith("tilint review"))
    assert f"words: {words}" in summary

    from tilint.web.app import create_app

    client = create_app(builtin_rules, nlp=nlp).test_client()
    files = {"file": (io.BytesIO(tender.read_bytes()), "tender.docx")}
    api = client.post("/api/check", data=files, content_type="multipart/form-data").get_json()
    assert (len(api["findings"]), api["words"]) == (findings, words)

    out = tmp_path / "audit"
    audited = runner.invoke(main, ["audit", "--no-cache", "--jobs", "1", "--out", str(out), str(tender)])
    assert audited.exit_code == 0, audited.output
    with open(out / "documents.csv", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (int(row["findings"]), int(row["words"])) == (findings, words)
