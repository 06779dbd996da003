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


def _open(page, anchor_or_title: str, scripted: bool = True):
    """Open a collapsed section (by its id, or a document's by its path) and return it, once its
    content is built (with script, that happens on the toggle event, just after the click)."""
    if anchor_or_title.startswith("#"):
        section = page.locator(f"details{anchor_or_title}")
    else:
        section = page.locator("details.doc", has=page.locator(".doc-title", has_text=anchor_or_title))
    section.locator(":scope > summary").click()
    if scripted:
        section.locator(":scope > .loaded").wait_for(state="attached")
    return section


def test_the_summary_shows_the_headline_numbers(opened):
    page, _, _ = opened
    summary = page.locator("#summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "Documents checked" in text and "Risk-only framing" in text and "Findings per 1,000 words" in text


def test_the_department_table_ranks_departments_with_risk_only_documents_first(opened):
    page, _, _ = opened
    rows = page.locator("#summary table.departments tbody tr")
    names = [rows.nth(i).locator("th").inner_text() for i in range(rows.count())]
    assert names == ["risk", "(top level)", "broken"]
    risk = rows.nth(0).inner_text()
    assert "2" in risk.split("\t")[1]  # documents
    assert "+2 unreadable" in rows.nth(2).inner_text()


def test_documents_to_review_first_put_the_risk_only_document_first(opened):
    page, _, _ = opened
    first = page.locator("#summary table.review tbody tr").first.inner_text()
    assert "risk/only.txt" in first and "RISK-ONLY" in first.upper()


def test_details_are_collapsed_and_built_only_when_opened(opened):
    page, _, _ = opened
    lazy = page.locator("details.lazy")
    assert lazy.count() >= 5
    assert page.locator("details[open]").count() == 0
    assert page.locator("details .loaded").count() == 0
    assert page.locator("#documents-table").count() == 0  # not in the page until opened
    _open(page, "#documents")
    assert page.locator("#documents-table tbody tr").count() == 6
    assert page.locator("details.lazy .loaded").count() == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_no_horizontal_scroll_with_every_section_open(browser, report, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(report[0].as_uri())
    page.eval_on_selector_all("details", "nodes => nodes.forEach(d => { d.open = true; })")
    page.wait_for_function("document.querySelectorAll('details > noscript').length === 0")
    assert page.locator("details .loaded").count() == page.locator("details").count()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px of horizontal scroll at {width}px"
    page.close()


def test_on_a_phone_each_table_row_reads_as_labelled_lines(browser, report):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(report[0].as_uri())
    cell = page.locator("#summary table.departments tbody tr").first.locator("td").first
    label = cell.evaluate("c => getComputedStyle(c, '::before').content")
    assert label == '"Documents: "'
    assert cell.evaluate("c => getComputedStyle(c).display") == "block"
    page.close()


def test_a_link_to_a_document_opens_its_details(opened):
    page, _, _ = opened
    page.locator("#summary table.review a").first.click()
    section = page.locator("details#doc-0")
    section.locator(":scope > .loaded").wait_for(state="attached")
    assert section.get_attribute("open") is not None
    assert section.locator("mark").count() >= 1


def test_a_document_section_shows_its_highlighted_phrases_and_suggestions(opened):
    page, _, _ = opened
    section = _open(page, "people.txt")
    assert section.count() == 1
    assert section.locator("mark").all_inner_texts() == [
        "Hard-to-reach",
        "cases",
        "placement",
    ]  # errors first
    assert "Try: people, families we work with." in section.inner_text()


def test_markup_in_a_document_is_shown_as_text_and_never_runs(opened):
    page, dialogs, _ = opened
    section = _open(page, "inject.txt")
    page.wait_for_timeout(200)
    assert dialogs == []
    assert "<script>alert(1)</script>" in section.inner_text()
    scripts = page.eval_on_selector_all("script", "nodes => nodes.map(n => n.textContent)")
    assert len(scripts) == 1 and "alert" not in scripts[0]
    assert page.locator("img").count() == 0


def test_the_documents_table_sorts_when_a_heading_is_selected(opened):
    page, _, _ = opened
    _open(page, "#documents")
    words = "#documents-table tbody tr td:nth-child(3)"
    page.get_by_role("button", name="Words", exact=True).click()
    first = [int(v.replace(",", "")) for v in page.locator(words).all_inner_texts()]
    page.get_by_role("button", name="Words", exact=True).click()
    second = [int(v.replace(",", "")) for v in page.locator(words).all_inner_texts()]
    assert first == sorted(first, reverse=True) and second == sorted(second)


def test_without_script_every_section_still_opens_and_the_table_is_worst_first(browser, report):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report[0].as_uri())
    _open(page, "#documents", scripted=False)
    first_row = page.locator("#documents-table tbody tr").first.inner_text()
    assert "only.txt" in first_row and "yes" in first_row
    assert page.locator("#documents-table button").count() == 0
    assert "Hard-to-reach" in _open(page, "people.txt", scripted=False).inner_text()
    context.close()


def test_printing_gives_the_summary_on_one_page(opened):
    from io import BytesIO

    from pypdf import PdfReader

    page, _, _ = opened
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible()
    assert page.locator("#summary").is_visible()
    assert not page.locator("details#documents").is_visible()
    pdf = page.pdf(format="A4")
    assert len(PdfReader(BytesIO(pdf)).pages) == 1
