"""Builders for the reader tests: every fixture document is made in code, so nothing binary lives in
the repository and each test shows exactly what its document contains."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS_DECLS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


# -- docx ---------------------------------------------------------------------------------------
def docx_bytes(build: Callable[..., None] | None = None) -> bytes:
    """A .docx made by python-docx; `build(document)` adds the content."""
    import docx

    document = docx.Document()
    if build is not None:
        build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with_paragraphs(*texts: str) -> bytes:
    return docx_bytes(lambda d: [d.add_paragraph(text) for text in texts])


def add_xml_paragraph(document, inner_xml: str, properties: str = "") -> None:
    """Append a paragraph written as raw WordprocessingML (for what python-docx cannot create)."""
    from docx.oxml import parse_xml

    paragraph = parse_xml(f"<w:p {_NS_DECLS}>{properties}{inner_xml}</w:p>")
    body = document.element.body
    last = body[-1]
    if last.tag == f"{{{W_NS}}}sectPr":
        last.addprevious(paragraph)
    else:
        body.append(paragraph)


def run(text: str, props: str = "") -> str:
    """A w:r with one w:t (spaces preserved)."""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def inserted(text: str) -> str:
    return f'<w:ins w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">{run(text)}</w:ins>'


def deleted(text: str) -> str:
    return (
        '<w:del w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
    )


def text_box(text: str) -> str:
    """A text box the way Word writes it: DrawingML, plus the same box again as a VML fallback."""
    content = f"<w:txbxContent><w:p>{run(text)}</w:p></w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def add_notes(document, kind: str, notes: dict[int, str]) -> None:
    """Add a footnotes or endnotes part (python-docx has no API for creating either)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    items = "".join(
        f'<w:{kind} w:id="{note_id}"><w:p>{run(text)}</w:p></w:{kind}>' for note_id, text in notes.items()
    )
    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        f"</w:{kind}>"
    )
    blob = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {_NS_DECLS}>'
    blob += f"{separators}{items}</w:{kind}s>"
    content_type = CT.WML_FOOTNOTES if kind == "footnote" else CT.WML_ENDNOTES
    reltype = RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, blob.encode(), document.part.package)
    document.part.relate_to(part, reltype)


def note_reference(kind: str, note_id: int) -> str:
    return f'<w:r><w:{kind}Reference w:id="{note_id}"/></w:r>'


# -- zip surgery ----------------------------------------------------------------------------------
def rezip(
    data: bytes,
    replace: dict[str, bytes] | None = None,
    add: Iterable[tuple[str, bytes]] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Copy a zip archive, replacing or adding members (to make damaged and hostile variants)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, payload in add:
            target.writestr(name, payload)
    return out.getvalue()


def zip_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


# -- pdf ------------------------------------------------------------------------------------------
def pdf_bytes(
    pages: list[list[str]],
    header: str | None = None,
    footer: str | None = None,
    page_numbers: bool = False,
    owner_password: str | None = None,
    user_password: str | None = None,
    encryption: str = "RC4",
) -> bytes:
    """A PDF with one list of paragraphs per page, optionally with running header/footer lines."""
    from fpdf import FPDF

    class _PDF(FPDF):
        def header(self) -> None:
            if header:
                self.set_font("helvetica", size=9)
                self.set_y(8)
                self.cell(0, 6, header)
                self.set_y(25)

        def footer(self) -> None:
            self.set_font("helvetica", size=9)
            if footer:
                self.set_y(-18)
                self.cell(0, 6, footer)
            if page_numbers:
                self.set_y(-12)
                self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _PDF()
    pdf.set_auto_page_break(False)
    if owner_password is not None:
        from fpdf.enums import EncryptionMethod

        pdf.set_encryption(
            owner_password=owner_password,
            user_password=user_password,
            encryption_method=EncryptionMethod[encryption],
        )
    for paragraphs in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.set_y(25)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    return bytes(pdf.output())


def pdf_with_lines(lines: list[str], paragraph_gap_after: frozenset[int] = frozenset()) -> bytes:
    """One page whose lines are placed exactly (to test line-end hyphenation and paragraphing)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    y = 30.0
    for index, line in enumerate(lines):
        pdf.text(20, y, line)
        y += 5.5 + (6 if index in paragraph_gap_after else 0)
    return bytes(pdf.output())


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 200, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def scanned_pdf(pages: int = 1, text_on_page: int | None = None) -> bytes:
    """Image-only pages, as a scanner produces; optionally one page with real text."""
    from fpdf import FPDF

    pdf = FPDF()
    image = io.BytesIO(png_bytes())
    for number in range(1, pages + 1):
        pdf.add_page()
        if number == text_on_page:
            pdf.set_font("helvetica", size=11)
            pdf.text(20, 30, "This page has real text.")
        else:
            image.seek(0)
            pdf.image(image, x=10, y=10, w=180)
    return bytes(pdf.output())


# -- odt ------------------------------------------------------------------------------------------
def odt_bytes(build: Callable[..., None]) -> bytes:
    """An .odt made by odfpy; `build(document)` adds the content."""
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_paragraphs(*texts: str) -> bytes:
    from odf.text import P

    return odt_bytes(lambda d: [d.text.addElement(P(text=text)) for text in texts])


# -- rtf ------------------------------------------------------------------------------------------
def rtf_bytes(body: str) -> bytes:
    """An RTF document around `body` (RTF markup), as Word or WordPad would frame it."""
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}"
        "{\\*\\generator tilint-tests;}\\viewkind4\\uc1\n" + body + "\n}"
    ).encode("cp1252")
