"""The .odt reader: the same kind of text and locations as .docx, from OpenDocument."""

from __future__ import annotations

from readers_fixtures import odt_bytes, odt_paragraphs

from tilint.readers import read_document
from tilint.readers.odt import read


def where_of(document, phrase: str) -> str | None:
    offset = document.text.find(phrase)
    assert offset >= 0, f"{phrase!r} not in {document.text!r}"
    return document.where(offset)


def test_registry_routes_odt_files_to_this_reader():
    document = read_document("bid.odt", odt_paragraphs("Hello there."))
    assert document.format == "odt"
    assert document.text == "Hello there."


def test_paragraphs_are_lines_in_order_and_numbered():
    document = read("a.odt", odt_paragraphs("First.", "Second.", "", "Third."))
    assert document.text == "First.\nSecond.\nThird."
    assert where_of(document, "Third") == "paragraph 3"


def test_headings_come_from_outline_levels():
    def build(d):
        from odf.text import H, P

        d.text.addElement(H(outlinelevel=1, text="Scope"))
        d.text.addElement(P(text="Body."))
        d.text.addElement(H(outlinelevel=2, text="Outcomes"))

    document = read("a.odt", odt_bytes(build))
    assert [(h.title, h.level) for h in document.headings] == [("Scope", 1), ("Outcomes", 2)]
    for heading in document.headings:
        assert document.text[heading.start : heading.end] == heading.title


def test_a_phrase_split_across_spans_is_one_phrase():
    def build(d):
        from odf.text import P, Span

        p = P(text="We support hard ")
        p.addElement(Span(text="to reach"))
        p.addElement(Span(text=" families."))
        d.text.addElement(p)

    assert read("a.odt", odt_bytes(build)).text == "We support hard to reach families."


def test_list_items_are_paragraphs():
    def build(d):
        from odf.text import List, ListItem, P

        items = List()
        for text in ("Listen first.", "Build trust."):
            item = ListItem()
            item.addElement(P(text=text))
            items.addElement(item)
        d.text.addElement(items)

    document = read("a.odt", odt_bytes(build))
    assert document.text == "Listen first.\nBuild trust."
    assert where_of(document, "Build trust") == "paragraph 2"


def test_table_cells_are_located_by_row_and_cell_counting_repeated_cells():
    def build(d):
        from odf.table import Table, TableCell, TableColumn, TableRow
        from odf.text import P

        table = Table()
        table.addElement(TableColumn(numbercolumnsrepeated=4))
        for r in range(2):
            row = TableRow()
            if r == 1:
                row.addElement(TableCell(numbercolumnsrepeated=2))  # two empty cells stored as one
            for c in range(2 if r == 1 else 4):
                cell = TableCell()
                cell.addElement(P(text=f"r{r + 1} text {c}"))
                row.addElement(cell)
            table.addElement(row)
        d.text.addElement(table)

    document = read("a.odt", odt_bytes(build))
    assert where_of(document, "r1 text 3") == "table 1, row 1, cell 4"
    assert where_of(document, "r2 text 0") == "table 1, row 2, cell 3"


def test_footnotes_are_read_after_the_body_with_their_number_not_inline():
    def build(d):
        from odf.text import Note, NoteBody, NoteCitation, P

        p = P(text="We support families.")
        for number, text in ((1, "Note about at-risk youth."), (2, "Another note.")):
            note = Note(noteclass="footnote")
            note.addElement(NoteCitation(text=str(number)))
            body = NoteBody()
            body.addElement(P(text=text))
            note.addElement(body)
            p.addElement(note)
        d.text.addElement(p)
        d.text.addElement(P(text="Next paragraph."))

    document = read("a.odt", odt_bytes(build))
    assert document.text.startswith("We support families.\nNext paragraph.")
    assert where_of(document, "at-risk youth") == "footnote 1"
    assert where_of(document, "Another note") == "footnote 2"


def test_text_boxes_are_read_as_their_own_block():
    def build(d):
        from odf.draw import Frame, TextBox
        from odf.text import P

        p = P(text="Anchor.")
        frame = Frame(width="3cm", height="2cm", anchortype="paragraph")
        box = TextBox()
        box.addElement(P(text="Boxed words."))
        frame.addElement(box)
        p.addElement(frame)
        d.text.addElement(p)

    document = read("a.odt", odt_bytes(build))
    assert where_of(document, "Boxed words") == "text box 1"
    assert where_of(document, "Anchor") == "paragraph 1"


def test_tracked_deletions_are_not_read():
    def build(d):
        from odf.namespaces import XMLNS
        from odf.office import ChangeInfo
        from odf.text import ChangedRegion, Deletion, P, TrackedChanges

        changes = TrackedChanges()
        region = ChangedRegion(qattributes={(XMLNS, "id"): "ct1"})
        deletion = Deletion()
        deletion.addElement(ChangeInfo())
        deletion.addElement(P(text="Deleted troubled families wording."))
        region.addElement(deletion)
        changes.addElement(region)
        d.text.addElement(changes)
        d.text.addElement(P(text="Current wording."))

    document = read("a.odt", odt_bytes(build))
    assert document.text == "Current wording."


def test_headers_and_footers_are_read_once():
    def build(d):
        from odf.style import Footer, Header, MasterPage, PageLayout
        from odf.text import P

        layout = PageLayout(name="pm1")
        d.automaticstyles.addElement(layout)
        for name in ("Standard", "Second"):
            page = MasterPage(name=name, pagelayoutname=layout)
            header, footer = Header(), Footer()
            header.addElement(P(text="Running header"))
            footer.addElement(P(text="Running footer"))
            page.addElement(header)
            page.addElement(footer)
            d.masterstyles.addElement(page)
        d.text.addElement(P(text="Body."))

    document = read("a.odt", odt_bytes(build))
    assert document.text.count("Running header") == 1
    assert where_of(document, "Running header") == "header"
    assert where_of(document, "Running footer") == "footer"
    assert where_of(document, "Body.") == "paragraph 1"


def test_source_whitespace_collapses_and_explicit_spaces_still_separate_words():
    def build(d):
        from odf.text import P, S

        p = P(text="hard  to\n reach")
        p.addElement(S(c=2))
        p.addText("families")
        d.text.addElement(p)

    assert read("a.odt", odt_bytes(build)).text == "hard to reach families"


def test_a_valid_odt_without_text_is_an_empty_document():
    document = read("a.odt", odt_bytes(lambda d: None))
    assert document.text == ""
