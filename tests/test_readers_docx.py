"""The .docx reader: what a reader of the document sees, in order, with where it is."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readers_fixtures import (
    W_NS,
    add_notes,
    add_xml_paragraph,
    deleted,
    docx_bytes,
    docx_with_paragraphs,
    inserted,
    note_reference,
    run,
    text_box,
)

from tilint.readers import read_document
from tilint.readers.docx import read


def where_of(document, phrase: str) -> str | None:
    offset = document.text.find(phrase)
    assert offset >= 0, f"{phrase!r} not in {document.text!r}"
    return document.where(offset)


def test_registry_routes_docx_files_to_this_reader():
    document = read_document("bid.DOCX", docx_with_paragraphs("Hello there"))
    assert document.format == "docx"
    assert document.text == "Hello there"


def test_each_paragraph_is_one_line_in_order_and_numbered():
    document = read("a.docx", docx_with_paragraphs("First point.", "Second point.", "Third point."))
    assert document.text.split("\n") == ["First point.", "Second point.", "Third point."]
    assert where_of(document, "Second") == "paragraph 2"
    assert where_of(document, "Third") == "paragraph 3"


def test_empty_paragraphs_are_not_counted_as_paragraphs():
    document = read("a.docx", docx_with_paragraphs("One.", "", "   ", "Two."))
    assert document.text == "One.\nTwo."
    assert where_of(document, "Two") == "paragraph 2"


def test_a_phrase_split_across_differently_formatted_runs_is_one_phrase():
    def build(d):
        p = d.add_paragraph("We support ")
        p.add_run("hard ").bold = True
        p.add_run("to re").italic = True
        p.add_run("ach families.")

    document = read("a.docx", docx_bytes(build))
    assert "We support hard to reach families." in document.text


def test_table_cells_are_read_in_reading_order_with_row_and_cell():
    def build(d):
        d.add_paragraph("Before the table.")
        table = d.add_table(rows=2, cols=3)
        for r in range(2):
            for c in range(3):
                table.cell(r, c).text = f"r{r + 1}c{c + 1}"
        d.add_paragraph("After the table.")

    document = read("a.docx", docx_bytes(build))
    cells = [line for line in document.text.split("\n") if line.startswith("r")]
    assert cells == ["r1c1", "r1c2", "r1c3", "r2c1", "r2c2", "r2c3"]
    assert where_of(document, "r2c3") == "table 1, row 2, cell 3"
    assert where_of(document, "r1c1") == "table 1, row 1, cell 1"
    assert where_of(document, "After") == "paragraph 2"


def test_table_cells_are_separate_blocks_so_phrases_cannot_run_across_cells():
    def build(d):
        table = d.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "hard to"
        table.cell(0, 1).text = "reach"

    document = read("a.docx", docx_bytes(build))
    assert "hard to\n\nreach" in document.text


def test_nested_tables_are_read_inside_their_cell_with_a_path_label():
    def build(d):
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "outer cell"
        inner = table.cell(1, 1).add_table(rows=1, cols=2)
        inner.cell(0, 1).text = "inner words"
        d.add_table(rows=1, cols=1).cell(0, 0).text = "second table"

    document = read("a.docx", docx_bytes(build))
    assert where_of(document, "inner words") == "table 1, row 2, cell 2, table 1, row 1, cell 2"
    assert where_of(document, "second table") == "table 2, row 1, cell 1"
    assert document.text.index("outer cell") < document.text.index("inner words")


def test_headers_and_footers_are_read_once_with_their_labels():
    def build(d):
        d.sections[0].header.paragraphs[0].text = "Commissioning header"
        d.sections[0].footer.paragraphs[0].text = "Commissioning footer"
        d.add_paragraph("Body text.")
        d.add_section()  # the second section inherits (links to) the same header and footer
        d.add_paragraph("More body text.")

    document = read("a.docx", docx_bytes(build))
    assert document.text.count("Commissioning header") == 1
    assert document.text.count("Commissioning footer") == 1
    assert where_of(document, "Commissioning header") == "header"
    assert where_of(document, "Commissioning footer") == "footer"
    assert where_of(document, "More body") == "paragraph 2"


def test_footnotes_and_endnotes_are_read_with_their_numbers_in_reference_order():
    def build(d):
        add_notes(d, "footnote", {1: "First footnote.", 2: "Second footnote about at-risk youth."})
        add_notes(d, "endnote", {1: "An endnote."})
        add_xml_paragraph(d, run("Text") + note_reference("footnote", 2) + note_reference("endnote", 1))
        add_xml_paragraph(d, run("More") + note_reference("footnote", 1))

    document = read("a.docx", docx_bytes(build))
    assert where_of(document, "at-risk youth") == "footnote 1"
    assert where_of(document, "First footnote") == "footnote 2"
    assert where_of(document, "An endnote") == "endnote 1"


def test_separator_notes_and_unreferenced_notes_are_not_read():
    def build(d):
        add_notes(d, "footnote", {1: "Used note.", 7: "Orphan note."})
        add_xml_paragraph(d, run("Text") + note_reference("footnote", 1))

    document = read("a.docx", docx_bytes(build))
    assert "Used note." in document.text
    assert "Orphan note." not in document.text


def test_text_boxes_are_read_once_after_their_anchor_paragraph():
    document = read(
        "a.docx",
        docx_bytes(lambda d: add_xml_paragraph(d, run("Anchor paragraph. ") + text_box("Boxed words."))),
    )
    assert document.text.count("Boxed words.") == 1
    assert where_of(document, "Boxed words") == "text box 1"
    assert document.text.index("Anchor paragraph") < document.text.index("Boxed words")


def test_inserted_tracked_text_is_read():
    document = read(
        "a.docx", docx_bytes(lambda d: add_xml_paragraph(d, run("We help ") + inserted("all families.")))
    )
    assert document.text == "We help all families."


def test_deleted_tracked_text_is_not_read():
    document = read(
        "a.docx",
        docx_bytes(lambda d: add_xml_paragraph(d, run("We help ") + deleted("troubled ") + run("families."))),
    )
    assert document.text == "We help families."


def test_moved_from_text_is_not_read_twice():
    moved_from = '<w:moveFrom w:id="3" w:author="A">' + run("moved words ") + "</w:moveFrom>"
    moved_to = '<w:moveTo w:id="4" w:author="A">' + run("moved words") + "</w:moveTo>"
    document = read(
        "a.docx", docx_bytes(lambda d: add_xml_paragraph(d, moved_from + run("stay ") + moved_to))
    )
    assert document.text == "stay moved words"


def test_field_codes_and_hidden_text_are_not_read():
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "http://x.org/vulnerable" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("our website")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    hidden = run("secret note ", "<w:rPr><w:vanish/></w:rPr>")
    document = read("a.docx", docx_bytes(lambda d: add_xml_paragraph(d, run("See ") + hidden + field)))
    assert document.text == "See our website"


def test_headings_come_from_heading_and_title_styles():
    def build(d):
        d.add_heading("Tender for family support", 0)
        d.add_heading("Service scope", 1)
        d.add_paragraph("Body.")
        d.add_heading("Outcomes we expect", 2)

    document = read("a.docx", docx_bytes(build))
    assert [(h.title, h.level) for h in document.headings] == [
        ("Tender for family support", 0),
        ("Service scope", 1),
        ("Outcomes we expect", 2),
    ]
    for heading in document.headings:
        assert document.text[heading.start : heading.end] == heading.title


def test_an_outline_level_makes_a_custom_styled_paragraph_a_heading():
    properties = '<w:pPr><w:outlineLvl w:val="2"/></w:pPr>'
    document = read("a.docx", docx_bytes(lambda d: add_xml_paragraph(d, run("Custom heading"), properties)))
    assert [(h.title, h.level) for h in document.headings] == [("Custom heading", 3)]


def test_a_valid_docx_without_text_is_an_empty_document_not_an_error():
    document = read("empty.docx", docx_bytes())
    assert document.text == ""
    assert document.warnings


def test_urls_in_the_text_are_ignored_for_analysis():
    document = read("a.docx", docx_with_paragraphs("Read https://example.org/at-risk-youth first."))
    start = document.text.index("https://")
    assert any(s <= start and e >= document.text.index(" first") for s, e in document.ignored)


# -- property: a phrase anywhere is found, with the right location ------------------------------
PHRASE = "hard to reach families"
FILLER = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon"]), min_size=1, max_size=6
).map(" ".join)


@st.composite
def layouts(draw):
    """A body of paragraphs and tables, and one place (paragraph or cell) that gets the phrase."""
    blocks = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("p"), FILLER),
                st.tuples(st.just("t"), st.integers(1, 3), st.integers(1, 3)),
            ),
            min_size=1,
            max_size=6,
        )
    )
    index = draw(st.integers(0, len(blocks) - 1))
    target = blocks[index]
    cell = (
        (draw(st.integers(0, target[1] - 1)), draw(st.integers(0, target[2] - 1)))
        if target[0] == "t"
        else None
    )
    before, after = draw(FILLER), draw(FILLER)
    text = f"{before} {PHRASE} {after}"
    cuts = sorted(draw(st.lists(st.integers(1, len(text) - 1), max_size=5, unique=True)))
    return blocks, index, cell, text, cuts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_a_phrase_anywhere_in_a_generated_docx_is_found_with_the_right_where(layout):
    blocks, index, cell, text, cuts = layout
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    expected = None
    paragraph_number = table_number = 0

    def build(d):
        nonlocal expected, paragraph_number, table_number
        for i, block in enumerate(blocks):
            if block[0] == "p":
                paragraph_number += 1
                if i == index:
                    p = d.add_paragraph()
                    for n, piece in enumerate(pieces):
                        r = p.add_run(piece)
                        r.bold = n % 2 == 0
                    expected = f"paragraph {paragraph_number}"
                else:
                    d.add_paragraph(block[1])
            else:
                table_number += 1
                table = d.add_table(rows=block[1], cols=block[2])
                for r in range(block[1]):
                    for c in range(block[2]):
                        target = table.cell(r, c)
                        if i == index and (r, c) == cell:
                            p = target.paragraphs[0]
                            for n, piece in enumerate(pieces):
                                p.add_run(piece).italic = n % 2 == 1
                            expected = f"table {table_number}, row {r + 1}, cell {c + 1}"
                        else:
                            target.text = f"cell {r} {c}"

    document = read("generated.docx", docx_bytes(build))
    offset = document.text.find(PHRASE)
    assert offset >= 0
    assert document.where(offset) == expected
    assert document.where(offset + len(PHRASE) - 1) == expected


@pytest.mark.parametrize("style", ["List Bullet", "Quote", "Normal"])
def test_paragraph_styles_that_are_not_headings_do_not_make_headings(style):
    document = read("a.docx", docx_bytes(lambda d: d.add_paragraph("Just text", style=style)))
    assert document.headings == []
    assert document.text == "Just text"


def test_a_table_of_contents_is_not_read_because_it_repeats_the_headings():
    toc = (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "</w:docPartObj></w:sdtPr>"
        f"<w:sdtContent><w:p>{run('Vulnerable families ..... 3')}</w:p></w:sdtContent></w:sdt>"
    )

    def build(d):
        from docx.oxml import parse_xml

        d.add_paragraph("Contents", style="TOC Heading")
        d.element.body.insert(1, parse_xml(f'<w:body xmlns:w="{W_NS}">{toc}</w:body>')[0])
        d.add_paragraph("Body text.")

    document = read("a.docx", docx_bytes(build))
    assert "Vulnerable families" not in document.text
    assert "Body text." in document.text
