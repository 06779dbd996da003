"""Markdown: prose is checked; code, URLs, comments and front matter are not; positions stay true."""

from __future__ import annotations

from tilint.readers.markdown import parse


def checked(text: str) -> str:
    return parse("t.md", text).analysable_text()


def test_the_text_is_the_file_itself():
    text = "# Title\n\nSome prose.\n"
    assert parse("t.md", text).text == text


def test_fenced_and_indented_code_are_not_checked():
    out = checked("Prose.\n\n```\ncases\n```\n\n    cases indented\n")
    assert "cases" not in out and "Prose." in out


def test_inline_code_is_not_checked_but_the_prose_around_it_is():
    out = checked("Our cases and `cases` here.\n")
    assert out.startswith("Our cases and ") and out.count("cases") == 1


def test_link_urls_are_not_checked_but_link_text_is():
    out = checked("See [our cases](https://example.org/cases) now.\n")
    assert "our cases" in out and "example.org" not in out


def test_bare_and_angle_bracket_urls_are_not_checked():
    out = checked("Visit https://example.org/cases or <https://example.org/x-cases>.\n")
    assert "cases" not in out


def test_html_comments_are_not_checked():
    assert "cases" not in checked("Text.\n\n<!-- cases -->\n\nMore <!-- cases --> text.\n")


def test_front_matter_is_not_checked():
    assert "cases" not in checked("---\ntitle: cases\n---\n\nProse.\n")


def test_blanking_keeps_every_offset_and_line_break():
    text = "a `code` b\n\n```\nx\n```\nc\n"
    out = checked(text)
    assert len(out) == len(text) and [i for i, c in enumerate(out) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]


def test_headings_are_recorded_with_their_offsets():
    doc = parse("t.md", "# One\n\ntext\n\n## Two words\n")
    assert [(h.title, h.level, doc.text[h.start:h.end]) for h in doc.headings] == [
        ("One", 1, "One"),
        ("Two words", 2, "Two words"),
    ]


def test_tables_are_checked():
    assert "cases" in checked("| a | b |\n|---|---|\n| cases | x |\n")


def test_a_link_destination_with_parentheses_is_ignored_up_to_its_end():
    out = checked("See [the guide](https://example.org/wiki/Cases_(law)) about cases.\n")
    assert "example.org" not in out and "Cases_" not in out and out.count("cases") == 1


def test_code_in_every_table_cell_of_a_row_is_not_checked():
    out = checked("| `cases` | `cases` | cases |\n|---|---|---|\n| `cases` | <b>x</b> `cases` | y |\n")
    assert out.count("cases") == 1


def test_links_a_site_generator_fills_in_are_not_checked():
    out = checked('See [the guide]({% page "/cases/" %}) and `code` [more]({% page "/cases" %}).\n')
    assert "the guide" in out and "more" in out and "cases" not in out


def test_link_text_that_is_the_address_is_not_checked_but_short_text_is():
    out = checked("Use [cases.example.org](https://cases.example.org) or [3](https://example.org/notes#3).\n")
    assert "cases" not in out and "[3]" in out


def test_setext_headings_and_code_in_headings_keep_their_titles():
    document = parse("t.md", "Title with `code`\n=================\n\n## Next one ##\n")
    assert [(h.title, h.level) for h in document.headings] == [("Title with `code`", 1), ("Next one", 2)]
