"""`tilint annotate`: Word comments on exactly the flagged words, and nothing else changed."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

from tilint.document import ReadError
from tilint.word import annotate_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(name: str) -> str:
    return f"{{{W}}}{name}"


# -- building and inspecting documents ------------------------------------------------------------
def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def split_phrase_document() -> bytes:
    """'challenging behaviour' split over a bold run and an italic 14pt run."""
    document = docx.Document()
    document.add_heading("Short breaks specification", 0)
    p = document.add_paragraph("We support children whose ")
    bold = p.add_run("challenging")
    bold.bold = True
    italic = p.add_run(" behaviour needs care, and their families.")
    italic.italic = True
    italic.font.size = docx.shared.Pt(14)
    return save(document)


def anchored_texts(data: bytes) -> dict[int, str]:
    """Comment id -> the text between its range start and end, in the body."""
    body = docx.Document(io.BytesIO(data)).element.body
    open_ids: set[int] = set()
    texts: dict[int, str] = {}
    for element in body.iter():
        if element.tag == q("commentRangeStart"):
            open_ids.add(int(element.get(q("id"))))
            texts.setdefault(int(element.get(q("id"))), "")
        elif element.tag == q("commentRangeEnd"):
            open_ids.discard(int(element.get(q("id"))))
        elif element.tag == q("t") and not any(a.tag == q("del") for a in element.iterancestors()):
            for comment_id in open_ids:
                texts[comment_id] += element.text or ""
    return texts


def comments(data: bytes) -> dict[int, str]:
    return {c.comment_id: c.text for c in docx.Document(io.BytesIO(data)).comments}


def comment_on(data: bytes, words: str) -> str:
    texts = anchored_texts(data)
    ids = [cid for cid, text in texts.items() if text == words]
    assert len(ids) == 1, texts
    return comments(data)[ids[0]]


def characters_with_formatting(data: bytes) -> list[tuple[str, bytes]]:
    """Every visible body character with its run's formatting, the way a reader sees the page."""
    body = docx.Document(io.BytesIO(data)).element.body
    out = []
    for run in body.iter(q("r")):
        if any(a.tag == q("del") for a in run.iterancestors()):
            continue
        props = run.find(q("rPr"))
        fmt = etree.tostring(props) if props is not None else b""
        for t in run.iter(q("t")):
            out.extend((ch, fmt) for ch in t.text or "")
    return out


@pytest.fixture
def annotate(test_linter):
    def run(data: bytes, path: str = "draft.docx"):
        return annotate_docx(path, data, test_linter)

    return run


# -- anchoring ----------------------------------------------------------------------------------
def test_comment_is_anchored_on_exactly_the_flagged_words(annotate):
    done = annotate(split_phrase_document())
    assert "challenging behaviour" in anchored_texts(done.data).values()


def test_comment_says_what_to_write_instead_and_why_with_the_source(annotate):
    done = annotate(split_phrase_document())
    text = comment_on(done.data, "challenging behaviour")
    assert text.splitlines()[0] == "Behaviour is communication."
    assert "Instead: \u201cbehaviours of distress\u201d." in text
    why = (
        "Why: It describes the environment's effect as the person's fault. "
        "(Source: TACT, Language that cares, 2019.)"
    )
    assert why in text


def test_document_text_and_formatting_are_unchanged(annotate):
    original = split_phrase_document()
    done = annotate(original)
    assert characters_with_formatting(done.data) == characters_with_formatting(original)


def test_split_runs_keep_their_formatting(annotate):
    done = annotate(split_phrase_document())
    body = docx.Document(io.BytesIO(done.data)).paragraphs[1]
    runs = {run.text: run for run in body.runs if run.text}
    assert runs["challenging"].bold
    assert runs[" behaviour"].italic and runs[" behaviour"].font.size == docx.shared.Pt(14)
    assert runs[" needs care, and their families."].italic


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_part_without_a_mark_is_the_originals_byte_for_byte(annotate):
    original = members(split_phrase_document())
    copy = members(annotate(split_phrase_document()).data)
    edited = {"word/document.xml", "word/comments.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"}
    assert set(copy) == set(original) | {"word/comments.xml"}
    assert {name for name in original if copy[name] != original[name]} <= edited
    assert copy["word/styles.xml"] == original["word/styles.xml"]


def test_two_findings_in_one_run_each_get_their_own_comment(annotate):
    document = docx.Document()
    document.add_paragraph("Every case of challenging behaviour is different.")
    done = annotate(save(document))
    findings = sorted(t for t in anchored_texts(done.data).values() if len(t) < 40)
    assert findings == ["case", "challenging behaviour"]


def test_findings_in_table_cells_and_nested_tables_are_annotated(annotate):
    document = docx.Document()
    document.add_paragraph("Outcomes")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 1).text = "Families who are hard to reach."
    inner = table.cell(1, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Support for challenging behaviour."
    done = annotate(save(document))
    texts = set(anchored_texts(done.data).values())
    assert {"hard to reach", "challenging behaviour"} <= texts
    nested = "table 1, row 2, cell 1, table 1, row 1, cell 1"
    assert {f.where for f in done.marked} == {"table 1, row 1, cell 2", nested}


def test_words_in_a_tracked_insertion_are_annotated_and_the_mark_is_not_tracked(annotate):
    document = docx.Document()
    p = document.add_paragraph("We see ")
    p._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="9" w:author="A" w:date="2024-01-01T00:00:00Z">'
        '<w:r><w:t xml:space="preserve">challenging behaviour daily</w:t></w:r></w:ins>'
    ))
    p._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="10" w:author="A"><w:r><w:delText>case</w:delText></w:r></w:del>'
    ))
    done = annotate(save(document))
    assert "challenging behaviour" in anchored_texts(done.data).values()
    assert [f.rule for f in done.result.findings] == ["test-behaviour"]  # the deleted "case" is not read
    body = docx.Document(io.BytesIO(done.data)).element.body
    reference = next(body.iter(q("commentReference")))
    assert not any(a.tag == q("ins") for a in reference.iterancestors())


def test_words_in_a_hyperlink_are_annotated_and_the_mark_stays_out_of_the_link(annotate):
    document = docx.Document()
    p = document.add_paragraph("Read about ")
    p._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} w:anchor="x">'
        "<w:r><w:t>challenging behaviour</w:t></w:r></w:hyperlink>"
    ))
    done = annotate(save(document))
    assert "challenging behaviour" in anchored_texts(done.data).values()
    body = docx.Document(io.BytesIO(done.data)).element.body
    reference = next(body.iter(q("commentReference")))
    assert not any(a.tag == q("hyperlink") for a in reference.iterancestors())


def test_existing_comments_are_kept(annotate):
    document = docx.Document()
    p = document.add_paragraph("A reviewer's note. Every case matters.")
    document.add_comment(p.runs[0], text="Earlier remark", author="Sam", initials="S")
    done = annotate(save(document))
    texts = comments(done.data)
    assert "Earlier remark" in texts.values()
    assert len(texts) == 3  # the earlier one, one finding, the summary
    assert len(set(texts)) == 3


# -- summary and places Word cannot comment on ---------------------------------------------------
def test_summary_comment_is_at_the_start_and_describes_the_framing(annotate):
    document = docx.Document()
    document.add_heading("Family support tender", 0)
    document.add_paragraph(
        "Each child and family is one of our cases. Hard to reach young people with challenging behaviour "
        "pose harm and threat to residents. "
        "Families bring risk, harm and threat; each case is a risk to people in the area, and every "
        "child is assessed for risk."
    )
    done = annotate(save(document))
    texts = anchored_texts(done.data)
    body = docx.Document(io.BytesIO(done.data)).element.body
    first_id = next(body.iter(q("commentRangeStart"))).get(q("id"))
    summary = comments(done.data)[int(first_id)]
    assert texts[int(first_id)] == "Family support tender"
    assert done.result.document["risk_only"]
    assert done.result.document["summary"] in summary
    assert "Risk-only framing: yes" in summary
    assert "Trauma-informed principles not mentioned: safety, choice." in summary
    assert "Whole document: " in summary


def test_summary_of_a_clean_document_says_nothing_was_flagged(annotate):
    document = docx.Document()
    document.add_paragraph("We offer a safe place and a real choice.")
    done = annotate(save(document))
    (summary,) = comments(done.data).values()
    assert "No phrase was flagged." in summary
    assert "Every trauma-informed principle is mentioned" in summary


def test_long_first_paragraph_gets_the_summary_on_its_first_word(annotate):
    document = docx.Document()
    document.add_paragraph("Commissioners " + "want services that listen to people and act on it. " * 3)
    done = annotate(save(document))
    assert list(anchored_texts(done.data).values()) == ["Commissioners"]


def test_header_and_footer_findings_are_listed_in_the_summary_not_anchored(annotate):
    document = docx.Document()
    document.add_paragraph("Service overview")
    document.sections[0].header.paragraphs[0].text = "Policy on challenging behaviour"
    document.sections[0].footer.paragraphs[0].text = "For hard to reach groups"
    done = annotate(save(document))
    assert set(anchored_texts(done.data).values()) == {"Service overview"}
    assert {f.where for f, _ in done.unmarked} == {"header", "footer"}
    summary = comments(done.data)[0]
    assert "header: \u201cchallenging behaviour\u201d \u2014 Behaviour is communication." in summary
    assert "footer: \u201chard to reach\u201d" in summary


def with_footnote(text: str) -> bytes:
    document = docx.Document()
    p = document.add_paragraph("Main text about services.")
    xml = (
        f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    p.add_run()._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))
    return save(document)


def test_a_footnote_finding_is_commented_on_the_footnote_number_in_the_text(annotate):
    done = annotate(with_footnote("Some hard to reach groups."))
    assert [f.where for f in done.marked] == ["footnote 1"]
    body = docx.Document(io.BytesIO(done.data)).element.body
    start = next(e for e in body.iter(q("commentRangeStart")) if e.getnext().find(q("footnoteReference")) is not None)
    text = comments(done.data)[int(start.get(q("id")))]
    assert text.startswith("In footnote 1: Hard to reach blames people.")


def test_a_document_without_text_gets_only_the_summary(annotate):
    document = docx.Document()
    document.add_paragraph("")
    done = annotate(save(document))
    assert done.summary_added
    (summary,) = comments(done.data).values()
    assert summary.startswith("tilint review of this document.")


@pytest.mark.parametrize(
    "data, message",
    [(b"plain text, not a zip", "not a Word document"), (b"PK\x03\x04broken", "damaged")],
)
def test_files_that_are_not_word_documents_raise_read_error(annotate, data, message):
    with pytest.raises(ReadError):
        annotate(data)


def test_an_odt_renamed_docx_is_refused(annotate, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<x/>")
    with pytest.raises(ReadError, match="not a Word document"):
        annotate(buffer.getvalue())


def test_findings_match_tilint_check_on_the_same_file(test_linter):
    from tilint.readers import read_document

    data = split_phrase_document()
    checked = test_linter.check(read_document("d.docx", data))
    done = annotate_docx("d.docx", data, test_linter)
    assert [(f.rule, f.text, f.where) for f in done.result.findings] == [
        (f.rule, f.text, f.where) for f in checked.findings
    ]


def test_smoke_with_the_built_in_rules(linter):
    document = docx.Document()
    document.add_heading("Early help service specification", 0)
    document.add_paragraph("The provider will work with hard to reach families and troubled families.")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Young people who abscond from placements."
    original = save(document)
    done = annotate_docx("spec.docx", original, linter)
    assert done.marked, "the built-in rules flag nothing in a deficit-heavy sample"
    assert characters_with_formatting(done.data) == characters_with_formatting(original)
    assert len(comments(done.data)) == len(done.marked) + 1


# -- LibreOffice -----------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_reviewed_copy_with_its_comments(annotate, tmp_path):
    done = annotate(split_phrase_document())
    source = tmp_path / "reviewed.docx"
    source.write_bytes(done.data)
    profile = (tmp_path / "profile").as_uri()
    for target in ("pdf", "odt"):
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
             "--convert-to", target, "--outdir", str(tmp_path), str(source)],
            check=True, capture_output=True, timeout=180,
        )
    assert (tmp_path / "reviewed.pdf").read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(tmp_path / "reviewed.odt") as zf:
        content = zf.read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") == len(comments(done.data))
    assert content.count("<office:annotation-end ") == len(comments(done.data))


def test_annotated_copy_reopens_with_python_docx(annotate, tmp_path):
    done = annotate(with_footnote("Challenging behaviour notes."))
    path = Path(tmp_path / "x.docx")
    path.write_bytes(done.data)
    reopened = docx.Document(str(path))
    assert [p.text for p in reopened.paragraphs] == ["Main text about services."]


def test_words_in_a_content_control_are_annotated(annotate):
    document = docx.Document()
    p = document.add_paragraph("Every ")
    p._p.append(parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr/>'
        "<w:sdtContent><w:r><w:t>case matters</w:t></w:r></w:sdtContent></w:sdt>"
    ))
    done = annotate(save(document))
    assert "case" in anchored_texts(done.data).values()


def test_past_the_comment_limit_findings_are_listed_in_the_summary(annotate, monkeypatch):
    monkeypatch.setattr("tilint.word.annotate.MAX_COMMENTS", 1)
    document = docx.Document()
    document.add_paragraph("Every case of challenging behaviour is different.")
    done = annotate(save(document))
    assert [f.text for f in done.marked] == ["case"]
    assert done.unmarked[0][1] == "over the limit of 1 comments"
    assert "Before the first heading: \u201cchallenging behaviour\u201d" in comments(done.data)[1]


def test_a_legacy_word_file_is_refused_with_a_reason(annotate):
    with pytest.raises(ReadError, match="legacy Word 97-2003"):
        annotate(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 600)
