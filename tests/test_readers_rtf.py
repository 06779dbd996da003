"""The .rtf reader: body text, one paragraph per line."""

from __future__ import annotations

import pytest
from readers_fixtures import rtf_bytes

from tilint.document import ReadError
from tilint.readers import read_document
from tilint.readers.rtf import read


def test_registry_routes_rtf_files_to_this_reader():
    document = read_document("bid.rtf", rtf_bytes("\\pard Hello there.\\par"))
    assert document.format == "rtf"
    assert document.text == "Hello there."


def test_paragraphs_are_lines_located_by_paragraph_number():
    document = read("a.rtf", rtf_bytes("\\pard First.\\par\n\\pard Second.\\par\n\\pard Third.\\par"))
    assert document.text == "First.\nSecond.\nThird."
    offset = document.text.index("Third")
    assert document.where(offset) == "paragraph 3"


def test_formatting_inside_a_phrase_does_not_split_it():
    document = read("a.rtf", rtf_bytes("\\pard We support {\\b hard to} {\\i reach} families.\\par"))
    assert document.text == "We support hard to reach families."


def test_code_page_escapes_and_unicode_escapes_are_decoded():
    document = read("a.rtf", rtf_bytes("\\pard caf\\'e9 \\u8212? done\\par"))
    assert document.text == "café — done"


def test_font_tables_pictures_and_other_destinations_are_not_text():
    body = "{\\*\\comment hidden comment}{\\pict\\pngblip 89504e470d0a}\\pard Visible.\\par"
    assert read("a.rtf", rtf_bytes(body)).text == "Visible."


def test_table_cells_are_separate_lines():
    body = "\\trowd\\cellx1000\\cellx2000 hard to\\cell reach\\cell\\row"
    document = read("a.rtf", rtf_bytes(body))
    assert document.text == "hard to\nreach"


def test_an_empty_file_is_an_empty_document():
    assert read("a.rtf", b"").text == ""


def test_a_file_that_is_not_rtf_says_what_it_looks_like():
    with pytest.raises(ReadError, match=r"not an RTF file \(looks like PDF\)"):
        read("a.rtf", b"%PDF-1.7\n...")
