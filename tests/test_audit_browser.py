"""report.html in a real browser (Debian's chromium through Playwright): it reads, sorts, prints,
works without script, and a document that contains markup cannot inject any."""

from __future__ import annotations

import os

import pytest
from audit_support import DOCUMENTS, FIXTURE_RULES, audit, make_corpus

from tilint.ruleset import load_ruleset

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    corpus = make_corpus(tmp_path_factory.mktemp("docs"), DOCUMENTS)
    out = tmp_path_factory.mktemp("out")
    audit(load_ruleset([FIXTURE_RULES], builtin=False), [corpus], out, jobs=2)
    return out / "report.html", corpus


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def opened(browser, report):
    """The report in a fresh page, with every dialog (alert, confirm) recorded and dismissed."""
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(report[0].as_uri())
    page.wait_for_load_state("load")
    yield page, dialogs, report[1]
    page.close()


def test_the_overview_shows_the_headline_numbers(opened):
    page, _, _ = opened
    overview = page.locator("#overview")
    assert overview.is_visible()
    text = overview.inner_text()
    assert "Documents checked" in text and "Risk-only framing" in text and "Findings per 1,000 words" in text


def test_a_document_section_shows_its_highlighted_phrases_and_suggestions(opened):
    page, _, corpus = opened
    section = page.locator("article.doc", has=page.get_by_role("heading", name=str(corpus / "people.txt")))
    assert section.count() == 1
    assert section.locator("mark").all_inner_texts() == [
        "Hard-to-reach",
        "cases",
        "placement",
    ]  # errors first
    assert "Try: people, families we work with." in section.inner_text()


def test_markup_in_a_document_is_shown_as_text_and_never_runs(opened):
    page, dialogs, corpus = opened
    page.wait_for_timeout(200)
    assert dialogs == []
    section = page.locator("article.doc", has=page.get_by_role("heading", name=str(corpus / "inject.txt")))
    assert "<script>alert(1)</script>" in section.inner_text()
    scripts = page.eval_on_selector_all("script", "nodes => nodes.map(n => n.textContent)")
    assert len(scripts) == 1 and "alert" not in scripts[0]
    assert page.locator("img").count() == 0


def test_the_documents_table_sorts_when_a_heading_is_selected(opened):
    page, _, _ = opened
    words = "#documents-table tbody tr td:nth-child(3)"
    page.get_by_role("button", name="Words", exact=True).click()
    first = [int(v.replace(",", "")) for v in page.locator(words).all_inner_texts()]
    page.get_by_role("button", name="Words", exact=True).click()
    second = [int(v.replace(",", "")) for v in page.locator(words).all_inner_texts()]
    assert first == sorted(first, reverse=True) and second == sorted(second)


def test_without_script_the_table_is_worst_first(browser, report):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report[0].as_uri())
    first_row = page.locator("#documents-table tbody tr").first.inner_text()
    assert "only.txt" in first_row and "yes" in first_row
    assert page.locator("#documents-table button").count() == 0
    context.close()


def test_printing_hides_navigation_and_keeps_the_content(opened):
    page, _, _ = opened
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible()
    assert page.locator("#details").is_visible()
    assert page.pdf()[:4] == b"%PDF"
