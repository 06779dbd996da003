"""The two Markdown backends (markdown-it-pyrs, markdown-it-py) mask every document the same way,
so results never depend on which one is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tilint.readers import markdown, markdown_rs
from tilint.readers.encoding import decode_text

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT.parent / "shared" / "corpora" / "realworld"

pytestmark = pytest.mark.skipif(not markdown_rs.available(), reason="markdown-it-pyrs is not installed")

SNIPPETS = {
    "table cells with code in several": "| `a` | `b` | c |\n|---|---|---|\n| `x` cases | <sup>2</sup> | y |\n",
    "empty header cells": "| | |\n|---|---|\n| cases | ok |\n",
    "site-generator links": 'See [the guide]({% page "/guide/" %}) and `code` [more]({% page "/x" %}).\n',
    "link text that is the address": "Use [cloud.gov](https://cloud.gov) or [3](https://example.org/notes#3).\n",
    "autolinks": "Mail <mailto:a@example.org> or <https://example.org/cases> about cases.\n",
    "nested lists": "- one `x`\n  - two [a](b) cases\n    - three\n- four\n\n1. loose\n\n   para `y`\n",
    "blockquote with a list": "> quote cases\n> - item `z`\n>\n> more\n",
    "setext headings": "Title over\ntwo lines\n=========\n\nSub\n---\n\nText.\n",
    "front matter": "---\ntitle: cases\n---\n# Heading cases\n\nText.\n",
    "html": "<div>\ncases\n</div>\n\nText <b>bold</b> <!-- cases --> end.\n",
    "references": "[cases]: https://example.org/cases\n\nSee [the cases][cases] and [cases].\n",
    "windows newlines": "# T\r\n\r\nLine one `a`\r\nline two [x](y)\r\n",
    "non-ascii": (
        "Caf\u00e9 \U0001f600 `c\u00e9` na\u00efve [l\u00e9](u) <i>\u00e9</i> cases.\n"
        "\u00e9 | \u00fc\n---|---\n`\u00e9` | x\n"
    ),
    "hard break": "x  \ny `z` cases\n",
    "images": '![alt cases](img.png "title") and ![](x.png)\n',
    "escaped backticks and brackets": "Not \\`code\\` and \\[not](a link\n",
    "unclosed destination": "Broken [link](https://example.org and more\n\nNext paragraph.\n",
    "code blocks": "```\ncases\n```\n\n    indented cases\n\n~~~ py\nx\n~~~\n",
}


def both(text: str):
    """(markdown-it-pyrs, markdown-it-py) parses of the same text."""
    original = markdown.USE_MARKDOWN_IT_PYRS
    try:
        markdown.USE_MARKDOWN_IT_PYRS = True
        fast = markdown.parse("t.md", text)
        markdown.USE_MARKDOWN_IT_PYRS = False
        fallback = markdown.parse("t.md", text)
    finally:
        markdown.USE_MARKDOWN_IT_PYRS = original
    return fast, fallback


def assert_same(text: str) -> None:
    fast, fallback = both(text)
    assert fast.analysable_text() == fallback.analysable_text()
    assert fast.headings == fallback.headings


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_backends_agree_on_tricky_markdown(name):
    assert_same(SNIPPETS[name])


def _documents() -> list[Path]:
    found = [*ROOT.glob("corpora/**/*.md"), *ROOT.glob("docs/*.md"), ROOT / "README.md"]
    found += sorted(REALWORLD.glob("**/*.md"))[:400] if REALWORLD.is_dir() else []
    return sorted(found)


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_backends_agree_on_real_documents(path):
    assert_same(decode_text(path.read_bytes()))


def test_offsets_are_characters_after_multibyte_text():
    fast, _ = both("\u00e9\U0001f600 `cases` caf\u00e9 cases\n")
    assert fast.analysable_text().count("cases") == 1
    start = fast.text.index("`")
    assert (start, start + len("`cases`")) in fast.ignored


def test_text_that_is_not_utf8_encodable_falls_back_to_markdown_it_py():
    text = "Lone \ud800 surrogate `cases` here.\n"
    assert markdown_rs.structure(text, [0]) is None
    fast, fallback = both(text)
    assert fast.analysable_text() == fallback.analysable_text()
    assert "cases" not in fast.analysable_text()
