"""Splitting a Word run keeps its text and formatting, character for character."""

from __future__ import annotations

import pytest
from lxml import etree

from tilint.word.runs import RPR, run_text, split_run, w

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def xml(fragment: str) -> etree._Element:
    return etree.fromstring(f'<w:p xmlns:w="{W}">{fragment}</w:p>')


def test_split_keeps_text_and_copies_formatting():
    p = xml('<w:r><w:rPr><w:i/><w:sz w:val="28"/></w:rPr><w:t>We manage challenging behaviour</w:t></w:r>')
    run = p[0]
    right = split_run(run, 10)
    assert run_text(run) == "We manage "
    assert run_text(right) == "challenging behaviour"
    assert etree.tostring(run.find(RPR)) == etree.tostring(right.find(RPR))
    assert [r for r in p] == [run, right]


def test_split_preserves_spaces_at_the_cut():
    p = xml("<w:r><w:t>a b</w:t></w:r>")
    right = split_run(p[0], 1)
    assert right.find(w("t")).get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert run_text(right) == " b"


def test_split_across_several_text_items_and_tabs():
    p = xml("<w:r><w:t>ab</w:t><w:tab/><w:t>cd</w:t><w:br/><w:t>ef</w:t></w:r>")
    right = split_run(p[0], 4)
    assert run_text(p[0]) == "ab\tc"
    assert run_text(right) == "d\nef"


def test_items_without_text_stay_on_their_side():
    p = xml('<w:r><w:t>ab</w:t><w:lastRenderedPageBreak/><w:t>cd</w:t><w:fldChar w:fldCharType="end"/></w:r>')
    right = split_run(p[0], 2)
    assert p[0].find(w("lastRenderedPageBreak")) is not None
    assert right.find(w("lastRenderedPageBreak")) is None
    assert right.find(w("fldChar")) is not None and p[0].find(w("fldChar")) is None


@pytest.mark.parametrize("offset", [0, 3, -1])
def test_split_outside_the_text_is_refused(offset):
    p = xml("<w:r><w:t>abc</w:t></w:r>")
    with pytest.raises(ValueError):
        split_run(p[0], offset)


def test_hidden_runs_deleted_text_and_field_codes_count_as_no_text():
    from readers_fixtures import add_xml_paragraph, docx_bytes

    from tilint.readers.docx import read

    inner = (
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>'
        "<w:del><w:r><w:delText>gone</w:delText></w:r></w:del>"
        '<w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r>'
        '<w:ins><w:r><w:t>inserted </w:t></w:r></w:ins>'
        '<w:hyperlink><w:r><w:t>linked</w:t></w:r></w:hyperlink>'
    )
    document = read("a.docx", docx_bytes(lambda d: add_xml_paragraph(d, inner)))
    (line,) = document.source.lines
    assert [(run_text(p.run), p.raw, p.raw + p.length) for p in line.pieces] == [
        ("inserted ", 0, 9), ("linked", 9, 15)
    ]
