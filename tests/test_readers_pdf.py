"""The .pdf reader: page-aware paragraphs without repeated page furniture."""

from __future__ import annotations

import pytest
from readers_fixtures import pdf_bytes, pdf_with_lines, scanned_pdf

from tilint.document import ReadError
from tilint.readers import read_document
from tilint.readers.pdf import read

LONG = (
    "The provider will work alongside families in the borough, building on what people already do "
    "well and on the relationships they value, so that support is shaped with them and not for them."
)


def where_of(document, phrase: str) -> str | None:
    offset = document.text.find(phrase)
    assert offset >= 0, f"{phrase!r} not in {document.text!r}"
    return document.where(offset)


def test_registry_routes_pdf_files_to_this_reader():
    document = read_document("bid.pdf", pdf_bytes([["Hello there."]]))
    assert document.format == "pdf"
    assert "Hello there." in document.text


def test_text_is_located_by_page():
    document = read(
        "t.pdf", pdf_bytes([["First page words."], ["Second page words."], ["Third page words."]])
    )
    assert where_of(document, "First page") == "page 1"
    assert where_of(document, "Third page") == "page 3"
    assert document.locations == sorted(document.locations)


def test_the_lines_of_a_wrapped_paragraph_are_one_line_of_text():
    document = read("t.pdf", pdf_bytes([[LONG, "A second paragraph."]]))
    assert document.text.split("\n") == [LONG, "A second paragraph."]


def test_a_phrase_broken_across_a_line_end_is_still_one_phrase():
    document = read(
        "t.pdf", pdf_with_lines(["We value our work with hard to", "reach families in the borough."])
    )
    assert "hard to reach families" in document.text


def test_a_word_hyphenated_at_a_line_end_is_joined():
    document = read("t.pdf", pdf_with_lines(["The council's commis-", "sioning team will decide."]))
    assert "council's commissioning team" in document.text


def test_a_real_hyphenated_compound_at_a_line_end_keeps_its_hyphen():
    document = read(
        "t.pdf",
        pdf_with_lines(
            ["Support will be trauma-", "informed and strengths-", "based, and self-", "directed."]
        ),
    )
    assert "trauma-informed and strengths-based, and self-directed." in document.text


def test_a_compound_written_elsewhere_in_the_document_decides_the_hyphen():
    document = read(
        "t.pdf",
        pdf_with_lines(["We use place-", "making here.", "", "Place-making matters."], frozenset({1})),
    )
    assert "We use place-making here." in document.text


def test_a_vertical_gap_starts_a_new_paragraph():
    document = read("t.pdf", pdf_with_lines(["First paragraph ends.", "Second begins."], frozenset({0})))
    assert document.text == "First paragraph ends.\nSecond begins."


def test_a_running_header_and_footer_are_reported_once_not_on_every_page():
    pages = [[f"Body of page {n}."] for n in range(1, 6)]
    document = read(
        "t.pdf", pdf_bytes(pages, header="Family Support Tender 2026", footer="Official sensitive")
    )
    assert document.text.count("Family Support Tender 2026") == 1
    assert document.text.count("Official sensitive") == 1
    for n in range(1, 6):
        assert where_of(document, f"Body of page {n}.") == f"page {n}"


def test_page_numbers_in_the_footer_are_dropped():
    document = read("t.pdf", pdf_bytes([["One."], ["Two."], ["Three."]], page_numbers=True))
    assert "Page 1 of" not in document.text
    assert "Page 2 of" not in document.text
    assert "Page 3 of" not in document.text


def test_text_that_merely_repeats_in_the_body_is_kept():
    pages = [["Families are partners.", LONG] for _ in range(3)]
    document = read("t.pdf", pdf_bytes(pages))
    assert document.text.count(LONG) == 3


def test_a_scanned_pdf_without_a_text_layer_is_an_error_that_says_so():
    with pytest.raises(ReadError, match=r"no text layer \(scanned\?\).*OCR is not supported"):
        read("scan.pdf", scanned_pdf(pages=2))


def test_a_partly_scanned_pdf_is_read_with_a_warning_naming_the_image_pages():
    document = read("mixed.pdf", scanned_pdf(pages=3, text_on_page=2))
    assert "This page has real text." in document.text
    assert where_of(document, "real text") == "page 2"
    assert any("pages 1, 3" in warning and "no text layer" in warning for warning in document.warnings)


@pytest.mark.parametrize("encryption", ["RC4", "AES_128", "AES_256"])
def test_a_password_protected_pdf_is_an_error_that_says_so(encryption):
    data = pdf_bytes([["Secret text."]], owner_password="owner", user_password="user", encryption=encryption)
    with pytest.raises(ReadError, match="password-protected"):
        read("locked.pdf", data)


@pytest.mark.parametrize("encryption", ["RC4", "AES_128", "AES_256"])
def test_a_pdf_with_only_an_owner_password_opens_like_any_reader_would(encryption):
    text = "Permissions-restricted but readable."
    data = pdf_bytes([[text]], owner_password="owner", encryption=encryption)
    assert text in read("restricted.pdf", data).text


def test_ligatures_are_read_as_plain_letters():
    from tilint.readers.pdf import _LIGATURES

    assert "ﬁnancial ﬂexibility".translate(_LIGATURES) == "financial flexibility"


def test_larger_type_becomes_headings_ranked_by_size():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    blocks = ((18, "Invitation to tender"), (11, LONG), (14, "Service scope"), (11, "Body text here."))
    for size, text in blocks:
        pdf.set_font("helvetica", size=size)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    document = read("t.pdf", bytes(pdf.output()))
    titles = [(h.title, h.level) for h in document.headings]
    assert titles == [("Invitation to tender", 1), ("Service scope", 2)]
    for heading in document.headings:
        assert document.text[heading.start : heading.end] == heading.title
