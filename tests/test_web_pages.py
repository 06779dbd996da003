"""The server-rendered pages of `tilint serve`, which must work with JavaScript switched off."""

from __future__ import annotations

import base64
import io
import re
import zipfile

import pytest
from markupsafe import escape
from readers_fixtures import docx_with_paragraphs

pytest.importorskip("flask")

from tilint.web import reviewed
from tilint.web.app import create_app

HARD = "We will reach hard to reach families across the borough."


@pytest.fixture(scope="module")
def app(test_rules, nlp):
    return create_app(test_rules, nlp=nlp)


@pytest.fixture
def client(app):
    return app.test_client()


def check_page(client, text: str, fmt: str = "text") -> str:
    response = client.post("/check", data={"text": text, "format": fmt})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def upload_page(client, name: str, data: bytes):
    return client.post("/check", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def labelled(html: str, control_id: str) -> bool:
    return f'<label for="{control_id}">' in html and f'id="{control_id}"' in html


# -- the form --------------------------------------------------------------------------------------
def test_the_form_labels_every_control(client):
    html = client.get("/").get_data(as_text=True)
    for control in ("text", "file", "format-text", "format-markdown"):
        assert labelled(html, control), control
    assert "<legend>Read the pasted text as</legend>" in html


def test_the_form_posts_to_the_server_so_it_works_without_javascript(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<form [^>]*method="post" action="/check" enctype="multipart/form-data"', html)


def test_the_file_input_accepts_the_formats_tilint_reads(client):
    html = client.get("/").get_data(as_text=True)
    accept = re.search(r'id="file" name="file" accept="([^"]+)"', html).group(1).split(",")
    assert {".docx", ".pdf", ".odt", ".md", ".txt"} <= set(accept)


def test_pages_load_nothing_from_outside_the_app(client):
    pages = [client.get("/"), client.post("/check", data={"text": HARD}), client.get("/rules")]
    for response in pages:
        html = response.get_data(as_text=True)
        assets = re.findall(r'<(?:link|script|img)\b[^>]*\b(?:href|src)="([^"]*)"', html)
        assert assets, "expected the stylesheet and script"
        assert all(url.startswith("/static/") for url in assets), assets


def test_the_static_stylesheet_and_script_are_served(client):
    css = client.get("/static/tilint.css")
    js = client.get("/static/tilint.js")
    assert css.status_code == js.status_code == 200
    assert ":focus-visible" in css.get_data(as_text=True)
    assert "@media" in css.get_data(as_text=True)


# -- results ---------------------------------------------------------------------------------------
def test_each_finding_is_highlighted_as_a_link_to_its_explanation(client):
    html = check_page(client, "We hold 40 cases and work with hard to reach families.")
    marks = re.findall(r'<mark class="hl sev-(\w+)"><a href="#(finding-\d)"[^>]*>([^<]+)</a></mark>', html)
    assert marks == [("warning", "finding-0", "cases"), ("error", "finding-1", "hard to reach")]
    for _, anchor, _ in marks:
        assert f'<li id="{anchor}"' in html


def test_the_explanation_lists_message_alternatives_rationale_and_sources(client):
    html = check_page(client, HARD)
    entry = html[html.index('<li id="finding-0"'):]
    entry = entry[: entry.index('<p class="back">')]
    for expected in ("Hard to reach blames people.", "seldom heard",
                     "It places the difficulty in people rather than in services.",
                     "NSPCC, Hard to reach, 2022", "test-hard-to-reach", "line 1, column 15"):
        assert expected in entry


def test_the_framing_summary_comes_before_the_text(client):
    html = check_page(client, HARD)
    assert html.index("How the document frames people") < html.index('class="doc-text"')
    assert "Does not describe the people it serves" in html


def test_the_text_is_shown_whole_around_the_highlights(client):
    text = "First line.\nWe hold 40 cases.\nLast line."
    html = check_page(client, text)
    shown = re.search(r'<div class="doc-text">(.*?)</div>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", shown) == text


def test_a_script_in_the_document_is_shown_as_text_not_run(client):
    text = '<script>alert("x")</script> We hold <b> 40 cases </b> <img src=x onerror=alert(1)>'
    html = check_page(client, text)
    body = html[html.index("<main"):]
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    assert '<mark class="hl sev-warning"><a href="#finding-0"' in body


def test_a_hostile_file_name_is_escaped(client):
    response = upload_page(client, "<svg onload=alert(1)>.md", b"We hold 40 cases.")
    html = response.get_data(as_text=True)
    assert "<svg onload" not in html
    assert "&lt;svg onload=alert(1)&gt;.md" in html


def test_the_result_count_is_in_a_live_region(client):
    html = check_page(client, "We hold 40 cases and work with hard to reach families.")
    status = re.search(r'<p class="result-count" role="status"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert " ".join(status.split()) == "tilint found 2 things to review (1 error, 1 warning)."


def test_a_clean_text_says_there_is_nothing_to_review(client):
    html = check_page(client, "Families told us what helps them.")
    assert "tilint found nothing to review." in html
    assert "<mark" not in html


def test_markdown_code_is_not_highlighted(client):
    html = check_page(client, "```\nhard to reach\n```\n\nHard to reach families.\n", fmt="markdown")
    assert html.count("<mark") == 1


def test_an_uploaded_document_is_checked(client):
    response = upload_page(client, "draft.docx", docx_with_paragraphs("Intro.", "We hold 40 cases."))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Results for draft.docx" in html and "paragraph 2" in html
    assert '<a href="#finding-0"' in html


# -- mistakes ----------------------------------------------------------------------------------------
def test_empty_text_shows_the_form_again_with_the_problem(client):
    response = client.post("/check", data={"text": "  ", "format": "text"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in html and "no text to check" in html
    assert 'aria-invalid="true"' in html


def test_a_bad_upload_keeps_the_pasted_text_and_says_why(client):
    response = client.post(
        "/check",
        data={"text": "my draft", "file": (io.BytesIO(b"PK\x03\x04broken"), "draft.docx")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "draft.docx: " in html and ">my draft</textarea>" in html
    assert "Traceback" not in html


def test_an_unknown_file_type_is_a_400_page(client):
    response = upload_page(client, "slides.pptx", b"PK\x03\x04")
    assert response.status_code == 400
    assert "cannot read .pptx files" in response.get_data(as_text=True)


def test_an_oversized_upload_gets_a_413_page(test_rules, nlp):
    client = create_app(test_rules, nlp=nlp, max_upload_mb=0.01).test_client()
    response = upload_page(client, "big.txt", b"word " * 5000)
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "<h1>Too large</h1>" in html and "0.01 MB limit" in html


def test_an_unknown_page_is_a_404_page(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.mimetype == "text/html" and "Page not found" in response.get_data(as_text=True)


# -- the reviewed copy -------------------------------------------------------------------------------
def test_without_the_annotator_the_download_button_is_disabled_with_the_reason(client, monkeypatch):
    monkeypatch.setattr(reviewed, "_annotator", lambda: None)
    html = upload_page(client, "draft.docx", docx_with_paragraphs("We hold 40 cases.")).get_data(as_text=True)
    assert re.search(r'<button type="button" class="primary" disabled[^>]*>Download the reviewed copy', html)
    assert str(escape(reviewed.UNAVAILABLE)) in html
    assert 'name="document"' not in html


def test_the_download_is_offered_only_for_word_documents(client):
    html = upload_page(client, "notes.md", b"We hold 40 cases.").get_data(as_text=True)
    assert "Download the reviewed copy" not in html


needs_annotator = pytest.mark.skipif(not reviewed.available(), reason="tilint.word.annotate is not installed")


@needs_annotator
def test_the_results_page_downloads_a_commented_copy_without_uploading_again(client):
    import docx

    html = upload_page(client, "draft.docx", docx_with_paragraphs("Intro.", "We hold 40 cases.")).get_data(as_text=True)
    form = re.search(r'<form method="post" action="/reviewed">(.*?)</form>', html, re.S).group(1)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    assert fields["filename"] == "draft.docx"
    response = client.post("/reviewed", data=fields)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=draft.reviewed.docx"
    comments = docx.Document(io.BytesIO(response.data)).comments
    assert any("Cases are people." in comment.text for comment in comments)


@needs_annotator
def test_the_reviewed_copy_has_the_suggested_changes_tracked(client):
    body = client.post("/reviewed", content_type="multipart/form-data", data={
        "file": (io.BytesIO(docx_with_paragraphs("We manage challenging behaviour daily.")), "a.docx")})
    assert body.status_code == 200
    with zipfile.ZipFile(io.BytesIO(body.data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert re.search(r'<w:del [^>]*w:author="tilint"', xml)
    assert "behaviour of distress</w:t></w:r></w:ins>" in xml


@needs_annotator
def test_the_form_can_ask_for_the_reviewed_copy_directly(client):
    files = {"file": (io.BytesIO(docx_with_paragraphs("We hold 40 cases.")), "a.docx")}
    response = client.post("/reviewed", data=files, content_type="multipart/form-data")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")


@needs_annotator
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"file": (io.BytesIO(b"We hold 40 cases."), "notes.md")}, "only be made of a Word .docx"),
        ({"document": base64.b64encode(b"PK\x03\x04broken").decode(), "filename": "x.docx"}, "x.docx: "),
        ({"document": "%%% not base64", "filename": "x.docx"}, "upload it again"),
        ({"text": "pasted"}, "choose a Word .docx"),
    ],
)
def test_a_reviewed_copy_of_something_unusable_is_a_400(client, data, expected):
    response = client.post("/reviewed", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)


def test_without_the_annotator_asking_for_a_copy_is_a_501(client, monkeypatch):
    monkeypatch.setattr(reviewed, "_annotator", lambda: None)
    response = client.post("/reviewed", data={"file": (io.BytesIO(docx_with_paragraphs("x")), "a.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 501


# -- the catalogue -------------------------------------------------------------------------------------
def test_the_rules_page_lists_every_rule(client, test_rules):
    html = client.get("/rules").get_data(as_text=True)
    for rule in test_rules.all_rules():
        assert f'id="rule-{rule.id}"' in html


@needs_annotator
def test_a_document_too_large_to_send_back_points_to_the_first_page_instead(test_rules, nlp):
    import docx

    document = docx.Document()
    document.add_paragraph("We hold 40 cases.")
    document.add_paragraph("Plain words. " * 30_000)  # compresses well: a small .docx
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    limit_mb = len(data) * 1.2 / 1_000_000  # room for the upload, not for it plus base64 coming back
    client = create_app(test_rules, nlp=nlp, max_upload_mb=limit_mb).test_client()
    html = upload_page(client, "big.docx", data).get_data(as_text=True)
    assert 'name="document"' not in html
    assert "too large to send back from this page" in html
