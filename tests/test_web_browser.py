"""`tilint serve` in a real headless browser: paste, check, select a highlight, read the detail.

Runs Debian's chromium through Playwright (never a downloaded browser) against a real threaded
server on 127.0.0.1, and skips when either is missing. Screenshots go to the test's tmp_path.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

pytest.importorskip("flask")
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = os.environ.get("TILINT_CHROMIUM", "/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no browser at {CHROMIUM}"),
]
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

TEXT = (
    "Our service supports hard to reach families.\n\n"
    "Each worker holds 40 cases, and some children show challenging behaviour.\n"
)


@pytest.fixture(scope="module")
def server(test_rules, nlp):
    from tilint.cli.serve import make_server
    from tilint.web.app import LOCAL_HOSTS, create_app

    app = create_app(test_rules, nlp=nlp, trusted_hosts=LOCAL_HOSTS)
    httpd = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, width: int = 1280, height: int = 900, javascript: bool = True):
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def check(page, server: str) -> None:
    page.goto(server)
    page.get_by_label("Paste your text").fill(TEXT)
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_selector("mark.hl")


def test_pasting_text_highlights_each_finding_and_a_click_shows_its_detail(browser, server, tmp_path):
    context, page = open_page(browser)
    try:
        check(page, server)
        marks = page.locator("mark.hl a")
        assert marks.all_inner_texts() == ["hard to reach", "cases", "challenging behaviour"]
        detail = page.locator("#detail")

        marks.nth(0).click()
        detail.wait_for(state="visible")
        expect(detail.locator("h2")).to_have_text("\u201chard to reach\u201d")
        expect(detail).to_contain_text("Hard to reach blames people.")
        expect(detail.locator(".alternatives li")).to_have_text(["seldom heard"])
        expect(detail).to_contain_text("It places the difficulty in people")
        expect(page.locator("mark.selected a")).to_have_text("hard to reach")
        page.screenshot(path=str(tmp_path / "desktop.png"), full_page=True)

        detail.get_by_role("button", name="Next").click()
        expect(detail).to_contain_text("Cases are people.")
        expect(detail.locator("#detail-position")).to_have_text("Finding 2 of 3")
    finally:
        context.close()
    assert (tmp_path / "desktop.png").stat().st_size > 10_000


def test_a_keyboard_user_can_open_a_finding(browser, server):
    context, page = open_page(browser)
    try:
        check(page, server)
        page.locator("#mark-1").focus()
        page.keyboard.press("Enter")
        detail = page.locator("#detail")
        expect(detail).to_contain_text("Cases are people.")
        focused = page.evaluate("document.activeElement.id")
        assert focused == "detail-title"
    finally:
        context.close()


def test_on_a_narrow_screen_the_detail_opens_as_a_sheet_that_closes(browser, server, tmp_path):
    context, page = open_page(browser, width=390, height=844)
    try:
        check(page, server)
        detail = page.locator("#detail")
        assert not detail.is_visible()
        page.locator("#mark-2").click()
        detail.wait_for(state="visible")
        box = detail.bounding_box()
        assert box["width"] == 390 and box["y"] + box["height"] == pytest.approx(844, abs=1)
        page.screenshot(path=str(tmp_path / "narrow.png"))
        page.keyboard.press("Escape")
        detail.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.id") == "mark-2"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the page must not scroll sideways"
    finally:
        context.close()


def test_without_javascript_a_highlight_leads_to_its_explanation(browser, server):
    context, page = open_page(browser, javascript=False)
    try:
        check(page, server)
        assert not page.locator("#detail").is_visible()
        page.locator("#mark-0").click()
        assert page.url.endswith("#finding-0")
        entry = page.locator("#finding-0")
        assert "Hard to reach blames people." in entry.inner_text()
        assert "seldom heard" in entry.inner_text()
    finally:
        context.close()


AXE = os.environ.get("TILINT_AXE", "")


@pytest.mark.skipif(not AXE or not Path(AXE).is_file(), reason="set TILINT_AXE to axe-core's axe.min.js")
def test_the_pages_pass_the_axe_accessibility_checks(browser, server):
    """WCAG 2.1 A and AA, plus axe's best practices: the form, an error, and the results with a
    finding open, on a wide and on a narrow screen."""
    script = Path(AXE).read_text("utf-8")
    # axe is injected as an inline script, which the app's own CSP rightly forbids
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()

    def violations() -> list[str]:
        page.add_script_tag(content=script)
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
        result = page.evaluate("tags => axe.run(document, {runOnly: tags})", tags)
        return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}" for v in result["violations"]]

    try:
        page.goto(server)
        page.get_by_role("button", name="Check", exact=True).click()
        assert page.locator("[role=alert]").is_visible()
        assert violations() == []
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            check(page, server)
            page.locator("#mark-1").click()
            page.locator("#detail").wait_for(state="visible")
            assert violations() == [], width
    finally:
        context.close()
