"""Text files arrive in many encodings; tilint reads them rather than failing or producing noise."""

from __future__ import annotations

import codecs

import pytest

from tilint.document import ReadError
from tilint.readers.encoding import decode_text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("caf\u00e9 cases".encode(), "caf\u00e9 cases"),
        (codecs.BOM_UTF8 + "caf\u00e9".encode(), "caf\u00e9"),
        ("caf\u00e9 cases".encode("utf-16"), "caf\u00e9 cases"),
        ("\u201cquoted\u201d caf\u00e9 cases and more words here".encode("cp1252"),
         "\u201cquoted\u201d caf\u00e9 cases and more words here"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "cp1252"],
)
def test_common_encodings_are_decoded(data, expected):
    assert decode_text(data) == expected


def test_binary_data_is_refused_with_a_clear_message():
    with pytest.raises(ReadError, match="binary"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_an_empty_file_is_empty_text():
    assert decode_text(b"") == ""
