"""The JSON API of `tilint serve`: POST /api/check and GET /api/rules.

Most tests use the fixed fixture rules, so they keep passing as the built-in rule set evolves;
the two contract tests compare the API with the CLI's own JSON output.
"""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from readers_fixtures import docx_with_paragraphs

pytest.importorskip("flask")

from tilint.cli import main
from tilint.web.app import LOCAL_HOSTS, create_app

HARD = "We will reach hard to reach families across the borough."


@pytest.fixture(scope="module")
def client(test_rules, nlp):
    return create_app(test_rules, nlp=nlp).test_client()


def upload(client, name: str, data: bytes):
    files = {"file": (io.BytesIO(data), name)}
    return client.post("/api/check", data=files, content_type="multipart/form-data")


def rules_of(body: dict) -> list[str]:
    return [finding["rule"] for finding in body["findings"]]


# -- checking text ---------------------------------------------------------------------------------
def test_checking_json_text_returns_the_findings_with_positions(client):
    response = client.post("/api/check", json={"text": HARD})
    assert response.status_code == 200
    body = response.get_json()
    assert rules_of(body) == ["test-hard-to-reach"]
    finding = body["findings"][0]
    assert (finding["line"], finding["column"], finding["text"]) == (1, 15, "hard to reach")
    assert finding["suggestions"] == ["seldom heard"]


def test_a_check_has_the_same_shape_as_one_file_of_tilint_check_json(client):
    body = client.post("/api/check", json={"text": HARD}).get_json()
    assert list(body) == ["path", "format", "words", "error", "document", "findings"]
    assert body["path"] == "-" and body["format"] == "text" and body["error"] is None
    assert body["document"]["summary"]


@pytest.fixture
def cli_with_test_rules(monkeypatch, test_rules):
    """The CLI, loading only the fixture rules (as the app under test does)."""
    import tilint.cli.common
    import tilint.cli.rules

    for module in (tilint.cli.common, tilint.cli.rules):
        monkeypatch.setattr(module, "load_rules_or_exit", lambda paths: test_rules)
    return CliRunner()


def test_api_check_equals_the_cli_json_for_the_same_text(client, cli_with_test_rules):
    """The contract: the API returns exactly one entry of `tilint check --format json`'s files."""
    text = "Each worker holds 40 cases.\n\nHard to reach families and challenging behaviour.\n"
    api = client.post("/api/check", json={"text": text}).get_json()
    cli = cli_with_test_rules.invoke(main, ["check", "--format", "json", "--no-cache", "-"],
                                     input=text.encode())
    assert json.loads(cli.stdout)["files"] == [api]
    assert len(api["findings"]) == 3


def test_markdown_format_leaves_code_unchecked(client):
    text = "An example:\n\n    hard to reach\n\nHard to reach families.\n"
    as_text = client.post("/api/check", json={"text": text, "format": "text"}).get_json()
    as_markdown = client.post("/api/check", json={"text": text, "format": "markdown"}).get_json()
    assert len(as_text["findings"]) == 2
    assert [f["line"] for f in as_markdown["findings"]] == [5]
    assert as_markdown["format"] == "markdown"


def test_a_form_encoded_text_field_is_accepted(client):
    response = client.post("/api/check", data={"text": HARD})
    assert rules_of(response.get_json()) == ["test-hard-to-reach"]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"text": "   "}, "no text to check"),
        ({"text": HARD, "format": "pdf"}, "format must be one of text, markdown"),
        ({"text": 42}, '"text" must be a string'),
        ({"format": "text"}, '"text" must be a string'),
        (["not", "an", "object"], "JSON object"),
    ],
)
def test_a_bad_json_request_is_a_400_with_a_message(client, payload, expected):
    response = client.post("/api/check", json=payload)
    assert response.status_code == 400
    assert expected in response.get_json()["error"]


def test_a_request_with_neither_text_nor_file_is_a_400(client):
    response = client.post("/api/check", data=b"hello", content_type="application/octet-stream")
    assert response.status_code == 400
    assert "file" in response.get_json()["error"]


def test_malformed_json_is_a_400(client):
    response = client.post("/api/check", data=b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.get_json()


# -- uploads ---------------------------------------------------------------------------------------
def test_uploading_markdown_reports_it_under_its_file_name(client):
    response = upload(client, "policy.md", b"# Policy\n\nWe hold 40 cases.\n")
    body = response.get_json()
    assert response.status_code == 200
    assert (body["path"], body["format"]) == ("policy.md", "markdown")
    assert [(f["rule"], f["line"]) for f in body["findings"]] == [("test-case", 3)]


def test_uploading_text(client):
    body = upload(client, "notes.txt", HARD.encode("utf-8")).get_json()
    assert (body["format"], rules_of(body)) == ("text", ["test-hard-to-reach"])


def test_uploading_a_word_document_reports_paragraph_locations(client):
    body = upload(client, "draft.docx", docx_with_paragraphs("Our service.", "We hold 40 cases.")).get_json()
    assert body["format"] == "docx"
    assert [(f["rule"], f["where"]) for f in body["findings"]] == [("test-case", "paragraph 2")]


def test_a_path_in_the_upload_name_is_dropped(client):
    body = upload(client, "../../Documents/spec.txt", HARD.encode()).get_json()
    assert body["path"] == "spec.txt"


def test_a_damaged_word_document_is_a_readable_400(client):
    response = upload(client, "draft.docx", b"PK\x03\x04 this is not really a zip file")
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert message.startswith("draft.docx: ")
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_file_that_is_not_what_its_extension_says_is_a_400(client):
    response = upload(client, "draft.docx", b"%PDF-1.4 not a word file")
    assert response.status_code == 400
    assert "PDF" in response.get_json()["error"]


def test_an_unsupported_extension_is_a_400_listing_what_tilint_reads(client):
    response = upload(client, "tool.exe", b"MZ\x90\x00")
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert ".exe" in message and ".docx" in message and ".md" in message


def test_an_empty_file_is_a_400(client):
    response = upload(client, "empty.md", b"")
    assert response.status_code == 400
    assert "empty" in response.get_json()["error"]


def test_an_upload_over_the_limit_is_a_413_with_a_json_message(test_rules, nlp):
    client = create_app(test_rules, nlp=nlp, max_upload_mb=0.01).test_client()
    response = upload(client, "big.txt", b"word " * 5000)
    assert response.status_code == 413
    body = response.get_json()
    assert body["status"] == 413
    assert "0.01 MB limit" in body["error"] and "--max-upload-mb" in body["error"]


def test_pasted_json_text_over_the_limit_is_a_413(test_rules, nlp):
    client = create_app(test_rules, nlp=nlp, max_upload_mb=0.01).test_client()
    response = client.post("/api/check", json={"text": "word " * 5000})
    assert response.status_code == 413


def test_pasted_form_text_above_werkzeugs_default_field_limit_is_still_checked(test_rules, nlp):
    """Werkzeug caps form fields at 500 kB by default; the app raises that to its upload limit."""
    client = create_app(test_rules, nlp=nlp, max_upload_mb=2).test_client()
    text = "Plain words here. " * 40_000 + HARD
    response = client.post("/api/check", data={"text": text})
    assert response.status_code == 200
    assert rules_of(response.get_json()) == ["test-hard-to-reach"]


# -- the catalogue ---------------------------------------------------------------------------------
def test_rules_returns_the_fixture_catalogue(client, test_rules):
    body = client.get("/api/rules").get_json()
    assert body["version"] == 1
    assert [r["id"] for r in body["rules"]] == [r.id for r in test_rules.all_rules()]
    assert body["rules"][0]["rationale"] and body["rules"][0]["sources"]


def test_rules_equals_the_cli_rules_json(client, cli_with_test_rules):
    api = client.get("/api/rules").get_json()
    cli = cli_with_test_rules.invoke(main, ["rules", "--format", "json"])
    assert cli.exit_code == 0
    assert api == json.loads(cli.stdout)


def test_by_default_the_app_uses_the_built_in_rules(builtin_rules, monkeypatch):
    from types import SimpleNamespace

    import tilint.engine

    monkeypatch.setattr(tilint.engine, "Linter", lambda ruleset, **options: SimpleNamespace(ruleset=ruleset))
    body = create_app().test_client().get("/api/rules").get_json()
    assert {r["id"] for r in body["rules"]} == {r.id for r in builtin_rules.all_rules()}


# -- errors and safety -----------------------------------------------------------------------------
def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_the_wrong_method_is_a_json_405(client):
    assert client.get("/api/check").status_code == 405
    assert client.get("/api/check").get_json()["status"] == 405


def test_an_internal_failure_is_a_500_message_without_a_traceback(test_rules, nlp, monkeypatch):
    app = create_app(test_rules, nlp=nlp)
    checker = app.extensions["tilint"]

    def broken(document):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(checker.shared, "check", broken)
    response = app.test_client().post("/api/check", json={"text": HARD})
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "RuntimeError" in response.get_json()["error"]
    assert "Traceback" not in text and "secret internals" not in text


def test_bound_to_this_computer_the_app_refuses_other_host_names(test_rules, nlp):
    """A web page elsewhere cannot reach the local server through DNS rebinding."""
    client = create_app(test_rules, nlp=nlp, trusted_hosts=LOCAL_HOSTS).test_client()
    assert client.get("/api/rules", headers={"Host": "127.0.0.1:8080"}).status_code == 200
    assert client.get("/api/rules", headers={"Host": "localhost:8080"}).status_code == 200
    refused = client.get("/api/rules", headers={"Host": "attacker.example:8080"})
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "This tilint server answers only to 127.0.0.1 and localhost."


def test_a_refused_host_gets_a_plain_message_on_the_page_too(test_rules, nlp):
    client = create_app(test_rules, nlp=nlp, trusted_hosts=LOCAL_HOSTS).test_client()
    response = client.get("/", headers={"Host": "attacker.example"})
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("This tilint server answers only to 127.0.0.1")


def test_responses_forbid_outside_resources_and_caching(client):
    response = client.post("/api/check", json={"text": HARD})
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_concurrent_checks_share_one_linter_safely(test_rules, nlp):
    from concurrent.futures import ThreadPoolExecutor

    app = create_app(test_rules, nlp=nlp)
    texts = [f"Paragraph {i}. We hold {i} cases and hard to reach families." for i in range(24)]

    def check(text):
        with app.test_client() as client:
            return rules_of(client.post("/api/check", json={"text": text}).get_json())

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(check, texts))
    assert results == [["test-case", "test-hard-to-reach"]] * len(texts)


def test_warming_up_loads_the_pipeline_once_before_the_first_check():
    from tilint.web.checking import Checker

    class Linter:
        loads = 0

        @property
        def nlp(self):
            Linter.loads += 1
            return object()

    checker = Checker(Linter())
    checker.warm_up()
    assert Linter.loads == 1
