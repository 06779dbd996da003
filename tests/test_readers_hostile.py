"""Bad and hostile input: every reader either returns a Document or raises ReadError with a message
a person can act on. Nothing crashes, prints, inflates without limit, or touches the network."""

from __future__ import annotations

import io
import socket
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readers_fixtures import (
    docx_with_paragraphs,
    odt_paragraphs,
    pdf_bytes,
    rezip,
    rtf_bytes,
)

from tilint.document import Document, ReadError
from tilint.readers import docx as docx_reader
from tilint.readers import html as html_reader
from tilint.readers import odt as odt_reader
from tilint.readers import pdf as pdf_reader
from tilint.readers import rtf as rtf_reader
from tilint.readers import safety

DOCX = docx_with_paragraphs("We work alongside families.")
ODT = odt_paragraphs("We work alongside families.")
PDF = pdf_bytes([["We work alongside families."]])
RTF = rtf_bytes("\\pard We work alongside families.\\par")
HTML = b"<html><body><p>We work alongside families.</p></body></html>"
READERS = {"docx": docx_reader.read, "odt": odt_reader.read, "pdf": pdf_reader.read}

XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
        for i in range(1, 10)
    )
    + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.fixture
def no_network(monkeypatch):
    """Record (and refuse) any attempt to open a socket while a reader runs."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


# -- decompression bombs ------------------------------------------------------------------------
def test_a_docx_with_a_highly_compressed_member_is_refused_before_any_part_is_parsed(monkeypatch):
    from tilint.readers import opc

    def must_not_parse(*args, **kwargs):
        raise AssertionError("a part of a zip bomb was parsed")

    monkeypatch.setattr(opc, "parse_xml", must_not_parse)
    bomb = rezip(DOCX, add=[("word/media/image1.bin", bytes(20 * 1024 * 1024))])
    with pytest.raises(ReadError, match=r"compression ratio of \d+:1.*zip bomb"):
        docx_reader.read("bomb.docx", bomb)


def test_an_odt_with_a_highly_compressed_member_is_refused():
    bomb = rezip(ODT, add=[("Pictures/zeros.png", bytes(20 * 1024 * 1024))])
    with pytest.raises(ReadError, match="zip bomb"):
        odt_reader.read("bomb.odt", bomb)


def test_an_archive_that_would_inflate_beyond_the_total_limit_is_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", 64 * 1024)
    padded = rezip(DOCX, add=[("word/media/noise.bin", bytes(range(256)) * 400)])
    with pytest.raises(ReadError, match="would decompress to more than"):
        docx_reader.read("big.docx", padded)


def test_an_archive_with_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBERS", 50)
    crowded = rezip(DOCX, add=[(f"word/media/{i}.bin", b"x") for i in range(60)])
    with pytest.raises(ReadError, match="more than 50 files"):
        docx_reader.read("crowded.docx", crowded)


def test_small_well_compressed_parts_are_not_mistaken_for_bombs():
    repetitive = rezip(DOCX, add=[("customXml/item9.xml", b"<a>" + b"<b/>" * 100_000 + b"</a>")])
    assert docx_reader.read("ok.docx", repetitive).text == "We work alongside families."


# -- hostile XML ----------------------------------------------------------------------------------
@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_a_docx_whose_xml_declares_a_dtd_is_refused(payload, no_network):
    hostile = rezip(DOCX, replace={"word/document.xml": payload})
    with pytest.raises(ReadError, match="declares a DTD"):
        docx_reader.read("xxe.docx", hostile)
    assert no_network == []


def test_a_dtd_hidden_behind_a_long_prolog_is_still_refused():
    prolog = b'<?xml version="1.0"?>\n' + b"<!-- padding -->" * 400
    hostile = rezip(DOCX, replace={"word/document.xml": prolog + XXE.split(b"\n", 1)[1]})
    with pytest.raises(ReadError, match="refused"):
        docx_reader.read("xxe.docx", hostile)


def test_an_odt_whose_content_declares_a_dtd_is_refused(no_network):
    payload = XXE.replace(b"w:document", b"office:document-content")
    hostile = rezip(ODT, replace={"content.xml": payload})
    with pytest.raises(ReadError, match="declares a DTD"):
        odt_reader.read("xxe.odt", hostile)
    assert no_network == []


def test_utf16_xml_parts_are_checked_too():
    hostile = rezip(
        DOCX,
        replace={
            "word/document.xml": XXE.decode().replace('"1.0"?', '"1.0" encoding="UTF-16"?').encode("utf-16")
        },
    )
    with pytest.raises(ReadError, match="refused"):
        docx_reader.read("xxe.docx", hostile)


def test_html_never_fetches_or_expands_external_entities(no_network):
    source = (
        b'<!DOCTYPE html [<!ENTITY ext SYSTEM "http://example.org/x">]>'
        b'<html><body><img src="http://example.org/a.png"><p>Text &ext; here</p>'
        b'<iframe src="http://example.org"></iframe></body></html>'
    )
    document = html_reader.read("x.html", source)
    # html.parser, like a browser, ends the doctype at its first ">", so "]>" shows as text.
    assert document.text.splitlines()[-1] == "Text &ext here"
    assert no_network == []


def test_no_reader_opens_a_network_connection_on_ordinary_documents(no_network):
    docx_reader.read("a.docx", DOCX)
    odt_reader.read("a.odt", ODT)
    pdf_reader.read("a.pdf", PDF)
    rtf_reader.read("a.rtf", RTF)
    html_reader.read("a.html", HTML)
    assert no_network == []


# -- files that lie about their extension ----------------------------------------------------------
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(
    ("reader", "data", "message"),
    [
        ("docx", PDF, r"not a Word document \(looks like PDF\)"),
        ("docx", b"Just some plain text that was renamed.", r"not a Word document \(looks like plain text\)"),
        ("docx", ODT, r"not a Word document \(looks like OpenDocument text\)"),
        ("docx", RTF, r"not a Word document \(looks like RTF\)"),
        ("docx", OLE_HEADER + "WordDocument".encode("utf-16-le"), r"looks like legacy Word 97-2003 \.doc"),
        ("docx", OLE_HEADER + "EncryptedPackage".encode("utf-16-le"), "password-protected"),
        ("docx", b"", r"not a Word document \(looks like empty file\)"),
        ("odt", DOCX, r"not an OpenDocument text file \(looks like Word document\)"),
        ("odt", PDF, r"not an OpenDocument text file \(looks like PDF\)"),
        ("odt", b"", r"looks like empty file"),
        ("pdf", DOCX, r"not a PDF \(looks like Word document\)"),
        ("pdf", HTML, r"not a PDF \(looks like HTML\)"),
        ("pdf", b"", r"not a PDF \(looks like empty file\)"),
    ],
)
def test_a_file_that_lies_about_its_extension_says_what_it_looks_like(reader, data, message):
    with pytest.raises(ReadError, match=message):
        READERS[reader]("file", data)


def test_an_html_file_that_is_really_a_pdf_says_so():
    with pytest.raises(ReadError, match=r"not an HTML file \(looks like PDF\)"):
        html_reader.read("a.html", PDF)


def test_a_zip_that_is_neither_word_nor_opendocument_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ReadError, match="not a Word document"):
        docx_reader.read("a.docx", buffer.getvalue())


def test_an_encrypted_odt_is_an_error_that_says_so():
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="/" '
        b'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
        b'<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
        b"</manifest:encryption-data></manifest:file-entry></manifest:manifest>"
    )
    locked = rezip(ODT, replace={"META-INF/manifest.xml": manifest, "content.xml": bytes(range(256)) * 4})
    with pytest.raises(ReadError, match="password-protected"):
        odt_reader.read("locked.odt", locked)


# -- damaged files -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["docx", "odt", "pdf"])
def test_a_truncated_file_is_a_read_error(kind):
    data = {"docx": DOCX, "odt": ODT, "pdf": PDF}[kind]
    with pytest.raises(ReadError):
        READERS[kind]("cut", data[: len(data) // 2])


def test_a_docx_with_malformed_xml_is_a_read_error():
    broken = rezip(DOCX, replace={"word/document.xml": b"<w:document><w:body><w:p>"})
    with pytest.raises(ReadError, match="cannot read docx"):
        docx_reader.read("broken.docx", broken)


def test_a_docx_whose_compressed_data_is_corrupt_is_a_read_error():
    data = bytearray(DOCX)
    with zipfile.ZipFile(io.BytesIO(DOCX)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 60):
        data[i] ^= 0x5A
    with pytest.raises(ReadError):
        docx_reader.read("corrupt.docx", bytes(data))


def test_an_odt_with_malformed_xml_is_a_read_error_and_prints_nothing(capsys):
    broken = rezip(ODT, replace={"content.xml": b"<office:document-content><unclosed>"})
    with pytest.raises(ReadError, match="invalid XML"):
        odt_reader.read("broken.odt", broken)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_pdf_with_garbage_after_its_header_is_a_read_error():
    with pytest.raises(ReadError):
        pdf_reader.read("junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20)


def test_deeply_nested_tables_are_refused_or_read_but_never_crash():
    nested = (
        b"<w:tbl><w:tr><w:tc>" * 400
        + b"<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
        + b"</w:tc></w:tr></w:tbl>" * 400
    )
    xml = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + nested
        + b"</w:body></w:document>"
    )
    data = rezip(DOCX, replace={"word/document.xml": xml})
    try:
        document = docx_reader.read("deep.docx", data)
    except ReadError:
        return
    assert "deep" in document.text


# -- property: arbitrary damage never escapes as anything but ReadError ------------------------------
def _damage(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    damaged = bytearray(data)
    for position, value in edits:
        damaged[position % len(damaged)] = value
    return bytes(damaged[:cut] if cut else damaged)


SAMPLES = {"docx": DOCX, "odt": ODT, "pdf": PDF, "rtf": RTF, "html": HTML}
ALL_READERS = {**READERS, "rtf": rtf_reader.read, "html": html_reader.read}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(SAMPLES)),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=8),
    st.one_of(st.none(), st.integers(1, 5000)),
)
def test_damaged_documents_give_a_document_or_a_read_error_never_another_exception(kind, edits, cut):
    data = _damage(SAMPLES[kind], edits, cut)
    try:
        result = ALL_READERS[kind]("damaged", data)
    except ReadError as exc:
        assert str(exc)
    else:
        assert isinstance(result, Document)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(SAMPLES)), st.binary(max_size=600))
def test_random_bytes_give_a_document_or_a_read_error(kind, data):
    try:
        ALL_READERS[kind]("random", data)
    except ReadError as exc:
        assert str(exc)
