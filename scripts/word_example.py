"""Build the example tender used by docs/word.md and tests/test_annotate_suggest.py, review it
with `tilint annotate --suggest`, and render the reviewed copy as Word's reader would see it.

    python scripts/word_example.py OUT_DIR          # writes tender.docx and tender.reviewed.docx
    python scripts/word_example.py OUT_DIR --png    # also renders page 1 with LibreOffice

The PNG in docs/ (docs/word-review.png) is made with --png: LibreOffice converts the reviewed
copy to PDF (showing the tracked changes, struck through and underlined) and pdftoppm turns page 1 into
an image. Both tools must be installed (`soffice`, `pdftoppm` from poppler-utils).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def build_tender(path: Path) -> None:
    """A realistic early-help tender: headings, a table, phrases split over differently formatted
    runs, a header, a footer, a footnote, repeats of a phrase in one section and in another, and
    the page breaks Word records when it lays a document out."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Early Help Service: specification for service users and partners"
    section.footer.paragraphs[0].text = "Draft for consultation, not for circulation"
    document.add_heading("Early Help Service specification", 0)
    document.add_heading("1. Purpose", 1)
    p = document.add_paragraph("The service will work with ")
    bold = p.add_run("troubled")
    bold.bold = True
    rest = p.add_run(" families and hard to reach groups, so that service users get help early.")
    rest.font.size = Pt(12)
    document.add_paragraph(
        "Service users told us that waiting lists were too long. Service users will shape the offer."
    )
    document.add_heading("2. Who the service is for", 1)
    document.add_paragraph(
        "Referrals will come from schools and health visitors. Some parents refused support in the "
        "past, and some young people suffer from anxiety."
    )
    note = document.add_paragraph("Young people who abscond from home will be offered a return interview.")
    document.add_heading("3. Outcomes", 1)
    table = document.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    cells = [("Outcome", "Measure"),
             ("Fewer care leavers without a home", "Number of service users housed"),
             ("Less challenging behaviour at school", "Exclusions of looked after children")]
    for row, (left, right) in zip(table.rows, cells, strict=True):
        row.cells[0].text, row.cells[1].text = left, right
    document.add_paragraph("The provider will report how many service users were supported each quarter.")
    document.save(str(path))
    _add_layout_and_footnote(path, note)


def _add_layout_and_footnote(path: Path, _note) -> None:
    """python-docx cannot write footnotes or Word's rendered page breaks: add them to the XML."""
    import io
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    body = members["word/document.xml"].decode("utf-8")
    # Word records where it began page 2 (here: at the "3. Outcomes" heading).
    body = body.replace("<w:t>3. Outcomes</w:t>", "<w:lastRenderedPageBreak/><w:t>3. Outcomes</w:t>", 1)
    body = body.replace(
        "<w:t>Young people who abscond from home will be offered a return interview.</w:t></w:r>",
        "<w:t>Young people who abscond from home will be offered a return interview.</w:t></w:r>"
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>',
        1,
    )
    members["word/document.xml"] = body.encode("utf-8")
    members["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
        "</w:p></w:footnote>"
        '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">Including young people in the youth '
        "justice system; historic abuse is handled by the adult team.</w:t></w:r></w:p></w:footnote>"
        "</w:footnotes>"
    ).encode()
    types = members["[Content_Types].xml"].decode("utf-8")
    types = types.replace(
        "</Types>",
        '<Override PartName="/word/footnotes.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    members["[Content_Types].xml"] = types.encode("utf-8")
    rels = members["word/_rels/document.xml.rels"].decode("utf-8")
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdFootnotes" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" '
        'Target="footnotes.xml"/></Relationships>',
    )
    members["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    path.write_bytes(out.getvalue())


def review(draft: Path, reviewed: Path) -> None:
    """`tilint annotate --suggest` on the draft, with a fixed date so the picture is reproducible."""
    from datetime import datetime, timezone

    from tilint.engine import Linter
    from tilint.ruleset import load_ruleset
    from tilint.word.annotate import annotate_docx

    done = annotate_docx(str(draft), draft.read_bytes(), Linter(load_ruleset()), suggest=True,
                         when=datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc))
    reviewed.write_bytes(done.data)


def render(reviewed: Path, png: Path) -> None:
    """Page 1 of the reviewed copy as LibreOffice prints it, tracked changes shown."""
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed; it is needed to render the page")
    with tempfile.TemporaryDirectory() as work:
        profile = Path(work, "profile").as_uri()
        # Comments are left out of the PDF: LibreOffice draws them as icons over the words.
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to",
             'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"false"}}',
             "--outdir", work, str(reviewed)],
            check=True, capture_output=True, timeout=300,
        )
        pdf = Path(work, reviewed.with_suffix(".pdf").name)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(png.with_suffix(""))], check=True, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--png", action="store_true", help="also render page 1 as word-review.png")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    draft, reviewed = args.out / "tender.docx", args.out / "tender.reviewed.docx"
    build_tender(draft)
    review(draft, reviewed)
    print(f"wrote {draft} and {reviewed}")
    if args.png:
        render(reviewed, args.out / "word-review.png")
        print(f"wrote {args.out / 'word-review.png'}")


if __name__ == "__main__":
    main()
