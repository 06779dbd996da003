"""Document dates for the audit's trend: from the file's own properties, its name, its text, or
its modification time, in that order, and the readers expose the properties."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from readers_fixtures import docx_bytes, odt_bytes

from tilint.audit.dating import date_in_name, date_in_text, document_date
from tilint.readers import read_document


def test_a_word_document_gives_its_created_and_modified_dates():
    def build(document):
        document.add_paragraph("Text.")
        document.core_properties.created = datetime(2019, 5, 2, 10, 30)
        document.core_properties.modified = datetime(2022, 1, 3, 9, 0)

    document = read_document("spec.docx", docx_bytes(build))
    assert document.properties == {"created": "2019-05-02T10:30:00", "modified": "2022-01-03T09:00:00"}


def test_an_opendocument_file_gives_its_creation_and_save_dates():
    def build(document):
        from odf.dc import Date
        from odf.meta import CreationDate
        from odf.text import P

        document.meta.addElement(CreationDate(text="2018-03-04T05:06:07.123"))
        document.meta.addElement(Date(text="2021-07-08T09:10:11"))
        document.text.addElement(P(text="Text."))

    document = read_document("plan.odt", odt_bytes(build))
    assert document.properties["created"] == "2018-03-04T05:06:07"
    assert document.properties["modified"] == "2021-07-08T09:10:11"


def test_a_pdf_gives_its_creation_date():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2020, 11, 12, 13, 14, 15))
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.text(20, 30, "A page of text.")
    document = read_document("tender.pdf", bytes(pdf.output()))
    assert document.properties["created"] == "2020-11-12T13:14:15"


def test_a_document_without_properties_has_none():
    assert read_document("notes.txt", b"Plain text.\n").properties == {}
    assert read_document("notes.md", b"# Plain\n").properties == {}


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("strategy-2021.docx", "2021"),
        ("2023-04 tender.pdf", "2023-04"),
        ("plan_2021-2024.md", "2021"),
        ("minutes 12.03.2021.txt", "2021-03-12"),
        ("Youth Justice Plan March 2022.docx", "2022-03"),
        ("spec v2.1.docx", None),
        ("contract-12345.pdf", None),
    ],
)
def test_a_date_in_the_file_name(name, date):
    assert date_in_name(f"/share/{name}") == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Service specification\nVersion 2, March 2022\nThe service...", "2022-03"),
        ("Published 4th September 2019. By 2030 we will...", "2019-09-04"),
        ("Issued 12/03/2021", "2021-03-12"),
        ("Approved 2020-06-30 by the board", "2020-06-30"),
        ("Our ambition for 2030 is that every child...", None),  # a bare year is a target, not a date
        ("Financial year 2021/22 budget", None),
    ],
)
def test_a_written_date_near_the_start_of_the_text(text, date):
    assert date_in_text(text) == date


def test_a_date_far_into_the_text_is_not_its_date():
    assert date_in_text("word " * 1000 + "March 2022") is None


def test_properties_come_before_the_name_and_the_name_before_the_text(tmp_path):
    path = tmp_path / "plan-2018.md"
    path.write_text("Version 1, May 2016\n")
    assert document_date(str(path), {"created": "2015-01-02T00:00:00"}, "May 2016") == ("2015-01-02", "properties")
    assert document_date(str(path), {}, "Version 1, May 2016") == ("2018", "file name")
    other = tmp_path / "plan.md"
    other.write_text("x")
    assert document_date(str(other), {}, "Version 1, May 2016") == ("2016-05", "text")


def test_the_modification_time_is_the_last_resort(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("No date here.\n")
    stamp = datetime(2017, 6, 15, 12, 0).timestamp()
    os.utime(path, (stamp, stamp))
    assert document_date(str(path), {}, "No date here.") == ("2017-06-15", "modified")


def test_a_created_date_is_preferred_to_a_modified_one_and_nonsense_is_ignored():
    assert document_date("x", {"created": "2019-01-01T00:00:00", "modified": "2024-01-01"}, "")[0] == "2019-01-01"
    assert document_date("x", {"created": "1601-01-01T00:00:00", "modified": "2024-02-03"}, "")[0] == "2024-02-03"
