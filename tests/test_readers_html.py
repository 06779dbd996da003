"""The .html reader: visible text only, every offset mapped to the source line and column."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tilint.readers import read_document
from tilint.readers.html import read


def source_at(source: str, document, offset: int, length: int) -> str:
    """The source text at the line/column the document reports for `offset`."""
    line, col = document.line_col(offset)
    return source.split("\n")[line - 1][col - 1 : col - 1 + length]


def test_registry_routes_html_and_htm_files_to_this_reader():
    for name in ("page.html", "PAGE.HTM"):
        document = read_document(name, b"<p>Hello there.</p>")
        assert document.format == "html"
        assert document.text == "Hello there."


def test_scripts_styles_templates_and_other_non_text_elements_are_skipped():
    source = """<html><head><title>Title words</title><style>p{}</style></head><body>
<script>var x = "script words";</script><template><p>template words</p></template>
<noscript>noscript words</noscript><svg><text>svg words</text></svg>
<math><mi>math words</mi></math><select><option>option words</option></select>
<iframe>iframe words</iframe><div hidden>hidden words</div><!-- comment words -->
<p>Visible words.</p></body></html>"""
    document = read("p.html", source.encode())
    assert document.text == "Visible words."


def test_an_unclosed_head_ends_where_body_content_begins():
    document = read("p.html", b"<html><head><title>Title</title><p>Body words.</p>")
    assert document.text == "Body words."


def test_block_elements_are_separate_lines_and_inline_elements_are_not():
    source = "<h1>Our <em>approach</em></h1><p>We <b>work</b> with<br>families.</p>"
    source += "<ul><li>One</li><li>Two</li></ul>"
    document = read("p.html", source.encode())
    assert document.text.split("\n") == ["Our approach", "We work with", "families.", "One", "Two"]


def test_table_cells_are_separate_lines():
    document = read("p.html", b"<table><tr><td>hard to</td><td>reach</td></tr></table>")
    assert document.text == "hard to\nreach"


def test_entities_and_character_references_are_decoded():
    source = "<p>Families &amp; carers &mdash; caf&eacute; &#233; &#x2014; AT&T&nbsp;ok</p>"
    document = read("p.html", source.encode())
    assert document.text == "Families & carers — café é — AT&T\u00a0ok"


def test_whitespace_collapses_as_in_a_browser_so_a_phrase_over_a_source_line_break_is_one_phrase():
    document = read("p.html", b"<p>We work with hard to\n      reach   families.</p>")
    assert document.text == "We work with hard to reach families."


def test_preformatted_text_keeps_its_lines():
    document = read("p.html", b"<pre>line one\n  line two</pre>")
    assert document.text == "line one\n  line two"


def test_headings_h1_to_h6_are_recorded_with_level_and_offsets():
    source = "<h1>Scope</h1><p>x</p><h3>Detail &amp; more</h3><h6>Small<br>print</h6>"
    document = read("p.html", source.encode())
    assert [(h.title, h.level) for h in document.headings] == [
        ("Scope", 1),
        ("Detail & more", 3),
        ("Small print", 6),
    ]
    for heading in document.headings:
        assert " ".join(document.text[heading.start : heading.end].split()) == heading.title


def test_locations_are_left_empty_so_line_and_column_are_shown():
    document = read("p.html", b"<p>x</p>")
    assert document.locations == []
    assert document.has_source_lines


def test_line_and_column_point_into_the_original_file():
    source = (
        '<!DOCTYPE html>\n<html>\n<body>\n  <div class="intro">\n'
        "    <p>We support <b>hard to</b>\n       reach families &amp; carers.</p>\n"
        "    <table><tr><td>cell text</td></tr></table>\n</body></html>\n"
    )
    document = read("p.html", source.encode())
    for phrase in ("We support", "hard to", "reach families", "carers", "cell text"):
        offset = document.text.index(phrase)
        assert source_at(source, document, offset, len(phrase)) == phrase
    assert document.line_col(document.text.index("reach families")) == (6, 8)


def test_positions_after_an_entity_are_exact():
    source = "<p>caf&eacute; and &quot;at risk&quot; youth</p>"
    document = read("p.html", source.encode())
    for phrase in ("and", "at risk", "youth"):
        assert source_at(source, document, document.text.index(phrase), len(phrase)) == phrase
    _, col = document.line_col(document.text.index("é"))
    assert source[col - 1 :].startswith("&eacute;")


def test_crlf_and_lone_cr_line_endings_give_editor_line_numbers():
    for newline in ("\r\n", "\r"):
        source = newline.join(["<p>one</p>", "<p>two</p>", "<p>three words</p>"])
        document = read("p.html", source.encode())
        assert document.line_col(document.text.index("words")) == (3, 10)


def test_meta_charset_is_honoured():
    source = '<html><head><meta charset="windows-1252"></head><body><p>caf\xe9</p></body></html>'
    assert read("p.html", source.encode("cp1252")).text == "café"


def test_http_equiv_charset_is_honoured():
    source = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>\u20ac5</p>'
    assert read("p.html", source.encode("iso-8859-15")).text == "€5"


def test_a_utf8_bom_is_not_text_and_does_not_shift_columns():
    document = read("p.html", b"\xef\xbb\xbf<p>Words</p>")
    assert document.text == "Words"
    assert document.line_col(0) == (1, 4)


def test_an_empty_file_is_an_empty_document_not_an_error():
    document = read("p.html", b"")
    assert document.text == ""


# -- property: every word maps back to itself in the source ------------------------------------
WORDS = st.text(alphabet="abcdefgh", min_size=1, max_size=8)
PIECES = st.one_of(
    WORDS,
    st.sampled_from(["<b>", "</b>", "<p>", "</p>", "<br>", "\n", "  ", "\n\t ", "<div>", "</div>", "&amp;"]),
    st.sampled_from(["<span class='x'>", "</span>", "<!-- c -->", "&#233;", "<td>", "&nbsp;"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=30))
def test_every_extracted_word_maps_to_the_same_word_in_the_source(pieces):
    source = "<html><body>" + " ".join(pieces) + "</body></html>"
    document = read("p.html", source.encode())
    for match in re.finditer(r"[a-h]+", document.text):
        word = match.group()
        assert source_at(source, document, match.start(), len(word)) == word
    assert document.source_map == sorted(document.source_map)
