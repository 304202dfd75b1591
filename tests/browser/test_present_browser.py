"""Presentation mode on a 1920x1080 and a 1280x720 projector: the chart fills the screen
under its title, nothing overlaps or is cut off, the stamp line is visible, and the
buttons, the keyboard and a clicker's keys step through the charts; the map shows the
five countries whole. Also: the language follows the browser, and the share link is the
exact view."""
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import IDLE, screenshot, wait_idle

SIZES = [(1920, 1080), (1280, 720)]
SLIDES = [("", 1), ("", 2), ("funding", 1), ("funding", 7), ("timeline", 1)]


def box(locator):
    b = locator.bounding_box()
    assert b is not None, "not drawn"
    return b


def inside(b, width, height):
    return b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= width + 1 and b["y"] + b["height"] <= height + 1


def overlap(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or
                a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("path,slide", SLIDES)
def test_presentation_fits_the_screen(browser, app_url, width, height, path, slide):
    page = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB").new_page()
    page.goto(f"{app_url}/{path}?lang=fr&present=1&slide={slide}")
    wait_idle(page)
    # on a first load Present's styles can come a moment after the run (README,
    # Performance): measured once they are in (they hide Streamlit's header)
    page.wait_for_function("() => { const h = document.querySelector(\"header[data-testid='stHeader']\");"
                           " return !h || getComputedStyle(h).display === 'none'; }", timeout=5000)
    assert not page.locator("section[data-testid='stSidebar']").is_visible()
    title = page.locator("[data-testid='stMain'] h3").first
    chart = page.locator("[data-testid='stPlotlyChart']").first
    stamp = page.locator("[data-testid='stCaptionContainer']").last
    buttons = page.locator("[data-testid='stMain'] [data-testid='stButton'] button")
    t, c, s = box(title), box(chart), box(stamp)
    for name, b in (("title", t), ("chart", c), ("stamp", s)):
        assert inside(b, width, height), f"{name} is outside the {width}x{height} screen: {b}"
    # the title is not cut: its text fits its box
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert not overlap(t, c) and not overlap(c, s)
    visible = [buttons.nth(i) for i in range(buttons.count()) if buttons.nth(i).is_visible()]
    assert len(visible) >= 3  # previous, next, exit
    for b in visible:
        assert not overlap(box(b), t) and not overlap(box(b), c)
        assert b.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "a button label is cut"
    assert c["width"] > 0.85 * width and c["height"] > 0.55 * height  # the chart fills the screen
    assert "Date des données\u202f: non indiquée par les sources" in stamp.inner_text() and "Sources" in stamp.inner_text()
    assert page.locator(".modebar").count() == 0  # no Plotly toolbar in Present
    screenshot(page, f"present-{path or 'overview'}-{slide}-{width}x{height}")
    page.context.close()


@pytest.mark.parametrize("page_name", ["funding", "timeline", "map"])
def test_the_slide_stays_in_its_place_once_its_run_is_over(browser, app_url, page_name):
    """Once the run is over the title stays where it is. Present's styles were in a
    Markdown element, which Streamlit draws once its Markdown code has loaded, up to a
    second after the run: until then the slide stood 130 px lower with the page's usual
    margins. (While the run is going, Streamlit draws the page as it comes.) The browser
    has opened a page of the dashboard before: on the very first load, the elements that
    carry the styles wait for their code, and a short run can end before it has come
    (open, README, Performance)."""
    page = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-GB").new_page()
    page.goto(f"{app_url}/{page_name}?lang=en")
    wait_idle(page)
    page.goto(f"{app_url}/{page_name}?lang=en&present=1")
    seen, settled = [], 0
    for _ in range(400):  # every 25 ms once the run is over, until the title has stayed put for 1.5 s
        idle = page.locator(IDLE).count() > 0
        y = page.evaluate("() => { const h = document.querySelector(\"[data-testid='stMain'] h3\");"
                          " return h ? Math.round(h.getBoundingClientRect().y) : null; }") if idle else None
        if y is not None and (not seen or seen[-1] != y):
            seen.append(y)
        settled = settled + 1 if idle and seen else 0
        if settled >= 60:
            break
        page.wait_for_timeout(25)
    assert seen and settled >= 60, "the slide was not drawn"
    assert seen == [seen[0]] and seen[0] < 40, f"the title is not at the top or moved: {seen} (px from the top)"
    page.context.close()


def test_stepping_through_the_charts(browser, app_url):
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{app_url}/funding?lang=en&present=1")
    wait_idle(page)
    first = page.locator("[data-testid='stMain'] h3").first.inner_text()
    page.locator(".st-key-present-next button").first.click()
    wait_idle(page)
    assert page.locator("[data-testid='stMain'] h3").first.inner_text() != first
    assert parse_qs(urlparse(page.url).query)["slide"] == ["2"]
    page.locator(".st-key-present-exit button").first.click()
    wait_idle(page)
    assert page.locator("section[data-testid='stSidebar']").is_visible()
    assert "present" not in parse_qs(urlparse(page.url).query)
    page.context.close()


@pytest.mark.parametrize("lang,next_chart", [("fr", "Graphique suivant"), ("en", "Next chart")])
def test_no_tooltip_stays_over_the_slide_after_a_click(browser, app_url, lang, next_chart):
    """The mouse stays on the arrow after the click: nothing shows over the next slide."""
    page = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-GB").new_page()
    page.goto(f"{app_url}/funding?lang={lang}&present=1")
    wait_idle(page)
    page.get_by_role("button", name=next_chart, exact=True).click()
    wait_idle(page)
    page.wait_for_timeout(700)
    assert slide(page) == "2"
    assert page.locator("[role='tooltip'], [data-testid='stTooltipContent']").count() == 0
    arrow = box(page.locator(".st-key-present-next button").first)
    assert arrow["width"] < 60  # an arrow, its words hidden from sight
    screenshot(page, f"present-after-next-{lang}")
    page.context.close()


def test_language_follows_the_browser_and_stays_in_the_link(browser, app_url):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR").new_page()
    page.goto(f"{app_url}/funding")
    wait_idle(page)
    assert page.locator("h1").first.inner_text() == "Financements"
    assert parse_qs(urlparse(page.url).query)["lang"] == ["fr"]
    page.get_by_text("EN", exact=True).click()
    wait_idle(page)
    assert page.locator("h1").first.inner_text() == "Funding"
    assert parse_qs(urlparse(page.url).query)["lang"] == ["en"]
    page.context.close()


def test_share_link_is_the_exact_view(browser, app_url):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{app_url}/funding?lang=en&country=LA&ccy=USD")
    wait_idle(page)
    page.get_by_text("Share link").click()
    page.wait_for_timeout(500)
    shared = page.locator("[data-testid='stPopoverBody'] code").inner_text().strip()
    assert urlparse(shared).path == urlparse(page.url).path
    assert parse_qs(urlparse(shared).query) == parse_qs(urlparse(page.url).query) == {
        "lang": ["en"], "country": ["LA"], "ccy": ["USD"]}
    screenshot(page, "share-link")
    page.context.close()


def title(page) -> str:
    return page.locator("[data-testid='stMain'] h3").first.inner_text()


def slide(page) -> str:
    return parse_qs(urlparse(page.url).query).get("slide", [""])[0]


@pytest.mark.parametrize("width,height", SIZES)
def test_keys_step_through_the_charts(browser, app_url, width, height):
    """A keyboard or a clicker (Page Down / Page Up, sometimes the arrows): Right, Page Down
    and Space forward, Left and Page Up back, Home and End to the ends, Escape leaves."""
    page = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB").new_page()
    page.goto(f"{app_url}/funding?lang=en&present=1")
    wait_idle(page)
    page.wait_for_selector("body[data-present-keys='on']", state="attached")
    expected = [("ArrowRight", "2", "Budgets by sector"), ("PageDown", "3", "Budgets by country or region"),
                (" ", "4", "Budgets by province"), ("ArrowLeft", "3", "Budgets by country or region"),
                ("PageUp", "2", "Budgets by sector"), ("End", "7", "Budgets: from donor to implementer to country"),
                ("ArrowRight", "1", "Budgets by donor"), ("PageUp", "7", "Budgets: from donor to implementer to country"),
                ("Home", "1", "Budgets by donor")]
    for key, number, heading in expected:
        page.keyboard.press(key)
        wait_idle(page)
        page.wait_for_selector("body[data-present-keys='on']", state="attached")
        assert (slide(page), title(page)) == (number, heading), key
    # a click on a button, then Space: one step, not two (the focused button is not pressed again)
    page.locator(".st-key-present-next button").first.click()
    wait_idle(page)
    page.keyboard.press(" ")
    wait_idle(page)
    assert slide(page) == "3"
    # "." blacks the screen and brings it back, as in PowerPoint
    page.keyboard.press(".")
    assert page.locator("#mekong-blackout").is_visible()
    page.keyboard.press(".")
    assert page.locator("#mekong-blackout").count() == 0
    page.keyboard.press("Escape")
    wait_idle(page)
    assert page.locator("section[data-testid='stSidebar']").is_visible()
    assert "present" not in parse_qs(urlparse(page.url).query)
    page.context.close()


@pytest.mark.parametrize("width,height", SIZES)
def test_money_left_out_stays_on_its_slide_with_the_note(browser, app_url, width, height):
    """The per-year chart of the overview says that AIMF's EUR 7,000,000 has no year: that
    line and the presenter's note are on the screen with the chart."""
    page = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB").new_page()
    page.goto(f"{app_url}/?lang=en&present=1&slide=3&note-by-year=2021%20incomplete%3A%20data%20until%20June")
    wait_idle(page)
    assert title(page) == "Budgets per year"
    caption = page.locator("[data-testid='stCaptionContainer']", has_text="EUR 7,000,000 has no date")
    note = page.locator(".st-key-present-note")
    chart = page.locator("[data-testid='stPlotlyChart']").first
    for b in (box(caption), box(note), box(chart)):
        assert inside(b, width, height), b
    assert note.inner_text() == "Note: 2021 incomplete: data until June"
    assert not overlap(box(chart), box(caption)) and not overlap(box(caption), box(note))
    screenshot(page, f"present-overview-years-note-{width}x{height}")
    page.context.close()
