"""Issue 16 in a real browser (Playwright + /usr/bin/chromium) over the newsroom
archive (tests/web/newsroom.py): an entity page and its timeline, a
co-occurring entity, brushing the histogram by mouse and by keyboard, zooming
out, excluding a facet value, "show more" with its filter box, the alias
offer, an auto-corrected search, page history (two scrapes of one URL through
reindex), a story comparison and the author facet.  Every page fails on a
console error (how a CSP violation shows).  Screenshots: tests/output/.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from web.app import create_app
from tests.webcorpus import serve

from .newsroom import LEADER, UNION
from .test_browser import OUTPUT, browser, page  # noqa: F401  (fixtures)

UNION_ID = "org-harbour-workers-union"

#: Two scrapes of one URL (the second corrects the first), reindexed for the
#: page-history test: the article page shows the newer, with its history.
SCRAPED_URL = "https://news.example/2026/02/02/port-mediator"
SCRAPES = [
    {"url": SCRAPED_URL, "scraped_at": "2026-02-02T09:10:00Z", "published": "2026-02-02",
     "source": "Evening Ledger", "title": "Mediator sought in port dispute",
     "body": "The labour ministry said it would look for a mediator. "
             "Exporters in Portugal and Spain said shipments had been delayed."},
    {"url": SCRAPED_URL, "scraped_at": "2026-02-02T15:40:00Z", "published": "2026-02-02",
     "source": "Evening Ledger", "title": "Mediator appointed in port dispute",
     "body": "The labour ministry appointed a mediator after the HWU asked for talks to resume. "
             "Exporters in Portugal and Spain said shipments had been delayed."},
]


@pytest.fixture(scope="module")
def server(newsroom_dir):
    yield from serve(create_app(newsroom_dir))


@pytest.fixture(scope="module")
def rescraped(tmp_path_factory):
    """A server over an index where one URL was scraped twice (through reindex)."""
    import json

    import index
    root = tmp_path_factory.mktemp("rescraped")
    src = root / "scrapes"
    src.mkdir()
    for name, rec in zip(("a.json", "b.json"), SCRAPES):
        (src / name).write_text(json.dumps(rec), "utf-8")
    summary = index.open_index(root / "ix").reindex([src], progress=False)
    assert (summary.added, len(summary.superseded)) == (1, 1), str(summary)
    yield from serve(create_app(root / "ix"))


def args_of(url):
    return parse_qs(urlsplit(url).query)


def heading(pg):
    return pg.locator("#results-heading").inner_text()


def shot(pg, name):
    OUTPUT.mkdir(exist_ok=True)
    pg.screenshot(path=str(OUTPUT / name), full_page=True)


def test_entity_page_timeline_and_cooccurring(page, server):
    page.goto(server + "/articles/port/1")
    page.locator(".article-body a.ent", has_text="Harbour Workers Union").click()
    page.wait_for_url(re.compile(UNION_ID + "$"))
    assert page.locator("h1#entity-title").inner_text() == "Harbour Workers Union (HWU)"
    assert page.locator("table.names tbody tr").count() == 2
    page.locator("details.undo summary").click()
    assert page.locator("pre.undo-lines").inner_text().strip() == \
        'distinct = [["HWU", "Harbour Workers Union"]]'
    shot(page, "entity.png")

    # the timeline zooms from weeks to days
    bar = page.locator("figure.histogram a.hist-link[data-period='2026-01-12']")
    bar.click()
    page.wait_for_url(re.compile(r"since=2026-01-12&until=2026-01-18"))
    assert page.locator(".entity-summary strong").inner_text() == "2 articles"
    assert page.locator(".timeline .hist-scale").inner_text().endswith("by day")
    shot(page, "entity-zoomed.png")
    page.locator("a.hist-zoom-out").click()
    page.wait_for_url(re.compile(r"since=2026-01&until=2026-01$"))
    assert page.locator(".entity-summary strong").inner_text() == "3 articles"

    # a co-occurring entity opens the search filtered to both
    page.locator(".co-list a.co-link", has_text=LEADER).click()
    page.wait_for_url(re.compile(r"/search\?"))
    assert args_of(page.url)["entity"] == [UNION, LEADER]
    assert heading(page).startswith("3 articles")


def test_brush_by_mouse_then_zoom_out(page, server):
    page.goto(server + "/search?q=strike OR HWU OR union")
    slots = page.locator("figure.histogram rect.hist-slot")
    n = slots.count()
    assert n >= 10
    first, last = slots.nth(1).bounding_box(), slots.nth(4).bounding_box()
    y = first["y"] + first["height"] / 2
    page.mouse.move(first["x"] + first["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(first["x"] + first["width"] * 1.5, y, steps=3)
    page.mouse.move(last["x"] + last["width"] / 2, y, steps=5)
    assert page.locator("figure.histogram rect.hist-slot.sel").count() == 4
    status = page.locator(".hist-status").inner_text()
    assert re.fullmatch(r"Week of \d+ \w+ 2026 – Week of \d+ \w+ 2026: \d+ articles?", status), status
    shot(page, "brush-dragging.png")
    want_since = slots.nth(1).get_attribute("data-since")
    want_until = slots.nth(4).get_attribute("data-until")
    page.mouse.up()
    page.wait_for_url(re.compile(r"since="))
    args = args_of(page.url)
    assert (args["since"], args["until"]) == ([want_since], [want_until])
    assert args["q"] == ["strike OR HWU OR union"]
    chip = page.locator(".timeline .hist-range-chip")
    assert chip.is_visible()
    shot(page, "brushed.png")
    page.locator("a.hist-zoom-out").click()
    page.wait_for_url(lambda u: args_of(u).get("since") != [want_since])
    assert args_of(page.url)["since"][0] in ("2026-01", "2026")


def test_brush_by_keyboard(page, server):
    page.goto(server + "/search?q=HWU")
    links = page.locator("figure.histogram a.hist-link")
    assert links.count() >= 3
    links.first.focus()
    page.keyboard.press("ArrowRight")             # moves between bars
    assert page.evaluate("document.activeElement.getAttribute('data-slot')") == \
        links.nth(1).get_attribute("data-slot")
    page.keyboard.press("ArrowLeft")
    start = int(links.first.get_attribute("data-slot"))
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    assert page.locator("rect.hist-slot.sel").count() == 4
    assert "press Enter" in page.locator(".hist-status").inner_text()
    slots = page.locator("rect.hist-slot")
    want = (slots.nth(start).get_attribute("data-since"),
            slots.nth(start + 3).get_attribute("data-until"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"since="))
    args = args_of(page.url)
    assert (args["since"][0], args["until"][0]) == want


def test_exclude_and_show_more_with_filter(page, server):
    page.goto(server + "/search?q=grain")
    more = page.locator("section[aria-labelledby=facet-place] details.facet-more")
    assert not more.locator("li").first.is_visible()
    more.locator("summary").click()
    box = more.locator("input.facet-filter")
    assert box.is_visible()
    page.wait_for_function("document.activeElement.classList.contains('facet-filter')")  # toggle is async
    box.fill("gre")
    visible = [li.locator(".facet-name").inner_text() for li in
               page.locator("section[aria-labelledby=facet-place] li.facet-item").all()
               if li.is_visible()]
    assert visible == ["Greece"]
    shot(page, "facets-more.png")
    box.fill("")
    item = page.locator("li.facet-item", has=page.locator(".facet-name", has_text="Austria"))
    item.hover()
    item.locator("a.facet-not").click()
    page.wait_for_url(re.compile(r"exclude=Austria"))
    assert heading(page).startswith("10 articles")
    assert page.locator(".active-filters .chip-not").inner_text().split() == ["NOT", "Austria", "×"]
    shot(page, "facet-excluded.png")


def test_author_facet_filters_and_excludes(page, server):
    page.goto(server + "/search?q=HWU")
    authors = page.locator("section[aria-labelledby=facet-author]")
    assert authors.locator(".facet-name").all_inner_texts() == \
        ["Lena Ortiz", "Tom Reyes", "Ines Duarte"]
    authors.locator("a.facet-link", has_text="Lena Ortiz").click()
    page.wait_for_url(re.compile(r"author=Lena\+Ortiz"))
    assert args_of(page.url) == {"q": ["HWU"], "author": ["Lena Ortiz"]}
    assert heading(page).startswith("3 articles")
    titles = set(page.locator("ol.hits .hit-title").all_inner_texts())
    assert titles <= {"Dockers threaten to walk out", "Strike begins at the container terminal",
                      "Dock strike ends with pay deal"} and titles
    assert page.locator(".active-filters .chip").first.inner_text().split() == \
        ["BY", "Lena", "Ortiz", "×"]
    assert authors.locator("a.facet-link.on").inner_text().startswith("Lena Ortiz")
    shot(page, "author-facet.png")

    # the chip takes the filter off; "−" leaves an author out
    page.locator(".active-filters .chip").first.click()
    page.wait_for_url(lambda u: "author" not in args_of(u))
    tom = page.locator("section[aria-labelledby=facet-author] li.facet-item",
                       has=page.locator(".facet-name", has_text="Tom Reyes"))
    tom.hover()
    tom.locator("a.facet-not").click()
    page.wait_for_url(re.compile(r"exclude_author=Tom\+Reyes"))
    assert heading(page).startswith("4 articles")
    assert page.locator(".active-filters .chip-not").inner_text().split() == \
        ["NOT", "BY", "Tom", "Reyes", "×"]
    shot(page, "author-excluded.png")


def test_alias_offer_and_autocorrect(page, server):
    page.goto(server + "/search?q=HWU")
    offer = page.locator("aside.alias-offer")
    assert "HWU is also known as Harbour Workers Union — show all 6 articles about it" in offer.inner_text()
    shot(page, "alias-offer.png")
    offer.locator("a.alias-offer-link").click()
    page.wait_for_url(re.compile(r"entity="))
    assert heading(page).startswith("6 articles")

    page.goto(server + "/search?q=strke")
    note = page.locator(".did-you-mean.corrected")
    assert note.inner_text() == "Showing results for strike — search instead for strke"
    shot(page, "autocorrect.png")
    note.locator("a.as-typed").click()
    page.wait_for_url(re.compile(r"as_typed=1"))
    assert heading(page).startswith("0 articles")


def test_page_history(page, rescraped):
    from urllib.parse import quote
    page.goto(rescraped + "/articles/" + quote(SCRAPED_URL, safe=""))
    assert page.locator("h1").first.inner_text() == "Mediator appointed in port dispute"
    hist = page.locator("section.history")
    assert hist.locator(".history-list li").count() == 2
    assert hist.locator(".history-list li").first.inner_text().startswith("v1 2 Feb 2026, 09:10 UTC")
    assert hist.locator(".history-list li").nth(1).inner_text().startswith("v2 2 Feb 2026, 15:40 UTC")
    assert "shown above" in hist.locator(".history-list li").nth(1).inner_text().lower()
    assert hist.locator(".diff-title").inner_text() == \
        "Headline: Mediator sought in port dispute Mediator appointed in port dispute"
    assert hist.locator(".diff ins.diff-added").first.inner_text().startswith("The labour ministry appointed")
    assert hist.locator(".diff del.diff-removed").first.inner_text().startswith("The labour ministry said")
    assert hist.locator(".diff-same").first.inner_text() == \
        "Exporters in Portugal and Spain said shipments had been delayed."
    hist.scroll_into_view_if_needed()
    shot(page, "page-history.png")


def test_story_comparison(page, server):
    page.goto(server + "/articles/ferry/1")
    page.locator(".versions a.compare-link").click()
    page.wait_for_url(re.compile(r"/compare\?a=ferry%2F1&b=ferry%2F2|/compare\?a=ferry/1&b=ferry/2"))
    assert page.locator(".compare-summary").inner_text() == \
        "4 passages in both · 2 only in Coastal Courier · 3 only in Evening Ledger"
    assert page.locator(".compare-a .only-list li").all_inner_texts() == [
        "Ferry runs aground near breakwater", "Three people were treated for mild hypothermia."]
    assert page.locator(".compare-b .only-list li").all_inner_texts()[1:] == [
        "Timetables for the island route have been suspended until Monday.",
        "The operator apologised to travellers in a short statement."]
    shot(page, "story-compare.png")


def test_phone_width_entity_and_compare(browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    pg = context.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        for path, name in ((f"/entities/{UNION_ID}", "entity-phone.png"),
                           ("/compare?a=ferry/1&b=ferry/2", "compare-phone.png"),
                           ("/search?q=grain", "facets-phone.png")):
            pg.goto(server + path)
            assert pg.evaluate("document.documentElement.scrollWidth") <= 390, path
            # the date axis labels that are shown never run into each other
            boxes = pg.evaluate("""[...document.querySelectorAll('.hist-axis span')]
                .filter(s => s.textContent.trim() && getComputedStyle(s).visibility !== 'hidden')
                .map(s => { const r = document.createRange(); r.selectNodeContents(s);
                            const b = r.getBoundingClientRect(); return [b.left, b.right]; })""")
            assert len(boxes) >= 3 or "compare" in path, path
            assert all(a[1] + 4 <= b[0] for a, b in zip(boxes, boxes[1:])), (path, boxes)
            pg.screenshot(path=str(OUTPUT / name), full_page=True)
    finally:
        context.close()
    assert not errors
