"""The web UI in a real browser: Playwright driving Debian's Chromium.

The app runs under waitress (as ``newsarchive serve`` runs it) on a free
loopback port in a thread, over a real index of the seed corpus plus the
records in ``webcorpus``.  The tests click through what a journalist does --
type a query, narrow by an entity, click a month in the histogram, open an
article, follow another outlet's version of the story -- and fail on any
console error, which is how a Content-Security-Policy violation shows.

Screenshots land in ``tests/output/`` (git-ignored): the search page at
desktop and at phone width, and an article page.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from web.app import create_app
from tests.webcorpus import WIRE_URL, serve

CHROMIUM = os.environ.get("NEWSARCHIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
OUTPUT = Path(__file__).resolve().parents[1] / "output"

from playwright import sync_api  # noqa: E402


@pytest.fixture(scope="module")
def server(web_index_dir):
    yield from serve(create_app(web_index_dir))


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.console_errors = errors
    yield pg
    context.close()
    assert not errors, f"console errors (CSP violations show here): {errors}"


def args_of(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def results_total(pg) -> int:
    text = pg.locator("#results-heading").inner_text()
    m = re.match(r"([\d,]+) article", text) or re.search(r"([\d,]+) in the archive", text)
    assert m, text
    return int(m.group(1).replace(",", ""))


def test_search_facet_histogram_article_and_story_version(page, server):
    OUTPUT.mkdir(exist_ok=True)
    page.goto(server + "/")
    assert page.locator(".stats-line").inner_text().startswith("19 articles")

    # 1. type a query
    page.get_by_label("Search the archive").fill("Taliban")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Taliban$"))     # empty fields left out
    assert page.locator("input#q").input_value() == "Taliban"
    total = results_total(page)
    assert total >= 5
    assert page.locator("ol.hits .snippet mark").count() > 0
    page.screenshot(path=str(OUTPUT / "search.png"), full_page=True)

    # 2. click an entity facet
    facet = page.locator("section.facet:has(.facet-org) a.facet-link").first
    name = facet.locator(".facet-name").inner_text()
    count = int(facet.locator(".facet-count").inner_text())
    facet.click()
    page.wait_for_url(re.compile(r"entity="))
    assert args_of(page.url)["entity"] == [name]
    assert page.locator(".active-filters .chip", has_text=name).count() == 1
    assert results_total(page) == count
    # the query survived the filter
    assert page.locator("input#q").input_value() == "Taliban"

    # 3. click a histogram bar
    bar = page.locator("figure.histogram a.hist-link").first
    slot = page.locator("figure.histogram rect.hist-slot").nth(int(bar.get_attribute("data-slot")))
    since, until = slot.get_attribute("data-since"), slot.get_attribute("data-until")
    bar.click()
    page.wait_for_url(re.compile(r"since="))
    args = args_of(page.url)
    assert args["since"] == [since] and args["until"] == [until]
    assert args["entity"] == [name]                         # filters accumulate
    assert page.locator("input#since").input_value() == since
    dates = [t.get_attribute("datetime") for t in page.locator("ol.hits .hit-meta time").all()]
    assert dates and all(since <= d[:len(since)] and d[:len(until)] <= until for d in dates)

    # 4. open an article
    first = page.locator("ol.hits .hit-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.locator("h1#article-title").inner_text() == title
    assert page.locator(".article-body p").count() >= 3

    # 5. follow another version of the story
    versions = page.locator(".versions a")
    assert versions.count() >= 1
    here = page.url
    other_title = versions.first.inner_text()
    versions.first.click()
    page.wait_for_url(lambda u: u != here)
    assert page.locator("h1#article-title").inner_text() == other_title
    # and the version links back
    back = [unquote(a.get_attribute("href")) for a in page.locator(".versions a").all()]
    assert unquote(urlsplit(here).path) in back


def test_url_id_article_and_entity_link(page, server):
    from urllib.parse import quote
    page.goto(server + "/articles/" + quote(WIRE_URL, safe="/:"))
    assert page.locator("h1#article-title").inner_text().startswith("Afghan Taliban joined")
    assert page.locator(".article-meta a.external").get_attribute("href") == WIRE_URL
    page.screenshot(path=str(OUTPUT / "article.png"), full_page=True)
    link = page.locator(".article-body a.ent").first
    href = link.get_attribute("href")
    link.click()                                  # entity links lead to the entity page
    page.wait_for_url(re.compile(r"/entities/"))
    assert urlsplit(page.url).path == href
    page.locator(".entity-actions a.button").click()
    page.wait_for_url(re.compile(r"/search\?entity="))
    assert results_total(page) >= 1


def test_date_inputs_and_removing_chips(page, server):
    page.goto(server + "/search")
    page.get_by_label("From", exact=True).fill("2025-10-01")
    page.get_by_label("to", exact=True).fill("2025-10-31")
    page.get_by_role("button", name="Apply dates").click()
    page.wait_for_url(re.compile(r"since=2025-10-01"))
    assert results_total(page) == 3
    page.get_by_label("Remove date filter").click()
    page.wait_for_url(lambda u: "since" not in u)
    assert results_total(page) == 19


def test_keyboard_focus_is_visible(page, server):
    page.goto(server + "/search?q=talks")
    page.keyboard.press("Tab")                      # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_phone_width_layout(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    pg = context.new_page()
    try:
        pg.goto(server + "/search?q=Taliban")
        # nothing wider than the screen: no sideways scrolling
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        box = pg.locator("ol.hits .hit").first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        # the sidebar stacks under the results, reachable by the jump link
        assert pg.locator("aside.sidebar").bounding_box()["y"] > box["y"]
        assert pg.locator(".jump-refine").is_visible()
        pg.screenshot(path=str(OUTPUT / "search-phone.png"))
        pg.goto(server + "/articles/corpus/003_c6473db4c8a03bd4.txt")
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        pg.screenshot(path=str(OUTPUT / "article-phone.png"))
    finally:
        context.close()
