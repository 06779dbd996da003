"""`tilint annotate --suggest`: suggested rewrites as Word tracked changes, on a realistic tender.

The tender (scripts/word_example.py, also the docs/word.md illustration) has headings, a table,
phrases split over differently formatted runs, a header, a footer, a footnote and Word's recorded
page breaks. The reviewed copy is then accepted and rejected the way Word's Accept All and Reject
All do it, on the XML, and both results are checked.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from lxml import etree

from tilint.document import Document
from tilint.readers.docx import read, read_package
from tilint.readers.opc import open_package
from tilint.word.annotate import annotate_docx
from tilint.word.revisions import accept, reject, tracked_ids

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from word_example import build_tender

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WHEN = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def q(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def tender(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("tender") / "tender.docx"
    build_tender(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def reviewed(tender, linter):
    return annotate_docx("tender.docx", tender, linter, suggest=True, when=WHEN)


def applied(data: bytes, decide) -> Document:
    """The copy with every tilint change accepted or rejected (`decide` is accept or reject)."""
    package = open_package(data)
    for member in sorted(package.names):
        if member.startswith("word/") and member.endswith(".xml"):
            root = package.xml(member)
            decide(root, tracked_ids(root, "tilint"))
    return read_package("tender.docx", package)


def parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith(".xml")}


def visible_with_formatting(root: etree._Element) -> list[tuple[str, bytes]]:
    out = []
    for run in root.iter(q("r")):
        if any(a.tag == q("del") for a in run.iterancestors()):
            continue
        props = run.find(q("rPr"))
        fmt = etree.tostring(props) if props is not None else b""
        for t in run.iter(q("t")):
            out.extend((ch, fmt) for ch in t.text or "")
    return out


def test_rewritable_findings_become_tracked_changes_by_tilint_with_a_date(reviewed):
    assert len(reviewed.changes) >= 10
    marks = [el for root in parts(reviewed.data).values() for el in root.iter(q("del"), q("ins"))]
    assert marks and {(m.get(q("author")), m.get(q("date"))) for m in marks} == {("tilint", "2026-01-05T09:00:00Z")}
    ids = [m.get(q("id")) for m in marks]
    assert len(ids) == len(set(ids))


def test_changes_are_made_in_the_body_a_table_the_header_and_a_footnote(reviewed):
    texts = {name: "".join(el.text or "" for el in root.iter(q("t")) if el.getparent().getparent().tag == q("ins"))
             for name, root in parts(reviewed.data).items()}
    assert "people who use the service" in texts["word/header1.xml"]
    assert "non-recent abuse" in texts["word/footnotes.xml"]
    body = texts["word/document.xml"]
    for new in ("families facing multiple disadvantage", "seldom heard", "declined", "live with", "run away",
                "care-experienced young people", "children in care", "distressed behaviour"):
        assert new in body


def test_accept_all_gives_the_rewritten_text_and_tilint_no_longer_flags_those_phrases(tender, reviewed, linter):
    original = read("tender.docx", tender)
    accepted = applied(reviewed.data, accept)
    from tilint.engine.rewrite import apply

    text, spans = apply(original.text, reviewed.changes)
    assert accepted.text == text
    again = [f for f in linter.check(accepted).findings
             if f.start is not None and any(f.start < e and s < f.end for s, e in spans)]
    assert again == []
    before = {f.rule for f in reviewed.changes}
    remaining = [f for f in linter.check(accepted).findings if f.rule in before and f.start is not None]
    assert len(remaining) < len([f for f in linter.check(original).findings if f.rule in before])


def test_reject_all_gives_the_original_text_and_formatting_exactly(tender, reviewed):
    original = read("tender.docx", tender)
    assert applied(reviewed.data, reject).text == original.text
    package = open_package(reviewed.data)
    for member in ("word/document.xml", "word/header1.xml", "word/footnotes.xml"):
        root = package.xml(member)
        reject(root, tracked_ids(root, "tilint"))
        assert visible_with_formatting(root) == visible_with_formatting(parts(tender)[member])


def test_the_inserted_words_take_the_formatting_of_the_words_they_replace(reviewed):
    body = parts(reviewed.data)["word/document.xml"]
    deleted = next(d for d in body.iter(q("del")) if "troubled" in "".join(d.itertext()))
    insertion = next(i for i in body.iter(q("ins")) if "families facing" in "".join(i.itertext()))
    assert etree.tostring(deleted.find(f"{q('r')}/{q('rPr')}")) == etree.tostring(
        insertion.find(f"{q('r')}/{q('rPr')}"))


def test_the_draft_is_never_modified(tender, linter):
    before = bytes(tender)
    annotate_docx("tender.docx", tender, linter, suggest=True, when=WHEN)
    assert tender == before and tender is not None


def test_each_change_in_the_text_has_a_short_comment_saying_why(reviewed):
    texts = [c.text for c in docx.Document(io.BytesIO(reviewed.data)).comments]
    change = next(t for t in texts if "\u201crefused\u201d \u2192 \u201cdeclined\u201d" in t)
    assert change.splitlines()[1].startswith("Suggested change:")
    assert "Why:" in change and "Source:" in change


def comments_of(reviewed) -> list[str]:
    return [c.text for c in docx.Document(io.BytesIO(reviewed.data)).comments]


def test_comments_name_no_rule_ids_and_no_commands(reviewed, linter):
    ids = {rule.id for rule in linter.ruleset.all_rules()}
    for text in comments_of(reviewed):
        assert "tilint " not in text.replace("tilint review", "")
        assert "`" not in text
        assert not any(re.search(rf"\b{re.escape(i)}\b", text) for i in ids if "-" in i), text


def test_the_reason_is_given_once_per_rule(reviewed):
    service = [t for t in comments_of(reviewed) if t.startswith('"Service user"')]
    assert len(service) == 2  # one per section, not one per use
    assert sum("Why:" in t for t in service) == 1


def test_repeats_in_a_section_share_one_comment_that_says_where_else(reviewed):
    first = next(t for t in comments_of(reviewed) if t.startswith('"Service user"') and "Why:" in t)
    assert "appears 3 times in this section" in first
    assert "also in \u201c3. Outcomes\u201d (2\u00d7)" in first


def test_header_findings_are_listed_in_the_summary_with_a_place_word_shows(reviewed):
    summary = next(t for t in comments_of(reviewed) if t.startswith("tilint review"))
    assert "The header: \u201cservice users\u201d" in summary
    assert "paragraph" not in summary


def test_places_use_headings_and_the_pages_word_recorded(tender, linter):
    from tilint.word.places import Places

    document = read("tender.docx", tender)
    places = Places(document, document.source)
    offset = document.text.index("Exclusions")
    line = document.source.line_at(offset)
    assert places.describe(line, offset) == "under \u201c3. Outcomes\u201d, page 2"
    note = document.source.line_at(document.text.index("historic abuse"))
    assert places.describe(note, note.start) == "footnote 1 (under \u201c2. Who the service is for\u201d, page 1)"


def test_without_rendered_page_breaks_places_name_only_the_heading(linter):
    from readers_fixtures import docx_bytes

    from tilint.word.places import Places

    def build(d):
        d.add_heading("Scope", 1)
        d.add_paragraph("Service users are welcome.")

    document = read("a.docx", docx_bytes(build))
    line = document.source.line_at(document.text.index("Service"))
    assert Places(document, document.source).describe(line, line.start) == "under \u201cScope\u201d"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_copy_with_its_tracked_changes_and_comments(reviewed, tmp_path):
    source = tmp_path / "reviewed.docx"
    source.write_bytes(reviewed.data)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
         "--convert-to", "odt", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    with zipfile.ZipFile(tmp_path / "reviewed.odt") as archive:
        content = archive.read("content.xml").decode("utf-8")
        styles = archive.read("styles.xml").decode("utf-8")
    regions = content.count("<text:changed-region ") + styles.count("<text:changed-region ")
    assert regions >= 2 * len(reviewed.changes)  # a deletion and an insertion each
    assert content.count("<office:annotation ") == len(comments_of(reviewed))
