"""What a person sees, in Debian's Chromium: every page draws its charts, a donor choice
changes the charts and the URL, and a copied link restores the view on another page."""
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import IDLE, screenshot, wait_idle

CHARTS = "[data-testid='stPlotlyChart']"
# URL path -> number of charts; the overview is the default page, at the root.
PAGES = {"": 2, "funding": 7, "timeline": 2, "projects": 0, "map": 0, "data": 0, "about": 0}


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text()


def chart_text(page, index: int = 0) -> str:
    return page.locator(CHARTS).nth(index).text_content()


@pytest.mark.parametrize("name", ["timeline", "funding"])
def test_the_title_stays_where_it_is_first_drawn(browser, app_url, name):
    """On a first load the page's title is drawn once, in its place. The watcher of
    Streamlit's own words (chrome_words) draws nothing, but its box took 40 px over the
    title until its code had loaded: the title was drawn 56 px low and jumped up."""
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{app_url}/{name}?lang=en")
    seen, settled = [], 0
    for _ in range(600):  # every 20 ms from the first paint, until it has stayed put for 1.5 s after the run
        y = page.evaluate("() => { const h = document.querySelector(\"[data-testid='stMain'] h1\");"
                          " return h ? Math.round(h.getBoundingClientRect().y) : null; }")
        if y is not None and (not seen or seen[-1] != y):
            seen.append(y)
        settled = settled + 1 if seen and page.locator(IDLE).count() else 0
        if settled >= 75:
            break
        page.wait_for_timeout(20)
    assert seen and settled >= 75, "the page was not drawn"
    assert len(seen) == 1, f"the title moved: {seen} (px from the top)"
    page.context.close()


@pytest.mark.parametrize("name,n_charts", PAGES.items())
def test_every_page_draws(page, app_url, name, n_charts):
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(f"{app_url}/{name}?lang=en")
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    charts = page.locator(CHARTS)
    if n_charts:  # under load the page may look idle a moment before its charts come
        page.wait_for_function(f"n => document.querySelectorAll(\"{CHARTS}\").length >= n", arg=n_charts,
                               timeout=60_000)
    assert charts.count() >= n_charts
    for i in range(n_charts):
        # a drawn plotly chart has its SVG with marks in it
        assert charts.nth(i).locator(".main-svg").count() > 0
        assert charts.nth(i).locator("path, rect").count() > 3
    assert page.locator("[role='dialog']").count() == 0  # e.g. "Page not found"
    if name == "map":  # the screenshot shows the map: deck.gl draws after the page settles
        page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=60_000)
        wait_idle(page)
        page.wait_for_timeout(1500)
    screenshot(page, f"page-{name or 'overview'}")


def test_choosing_a_donor_changes_the_charts_and_the_url(page, app_url):
    page.goto(f"{app_url}/?lang=en")
    wait_idle(page)
    total_before = metric(page, "Total budget")
    bars_before = chart_text(page, 0)
    assert "AIMF" in bars_before and "Government of Luxembourg" in bars_before

    donor = page.locator("[data-testid='stMultiSelect']", has_text="Donor (funding organisation)")
    donor.locator("input").click()
    page.keyboard.type("AIMF")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_idle(page)

    assert parse_qs(urlparse(page.url).query)["donor"] == ["aimf"]
    assert metric(page, "Total budget") == "~EUR\u00a07,000,000" != total_before
    bars_after = chart_text(page, 0)
    assert "AIMF" in bars_after and "Government of Luxembourg" not in bars_after
    screenshot(page, "donor-chosen")


def test_a_copied_link_restores_the_filters_on_another_page(browser, app_url):
    first = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="en-GB").new_page()
    first.goto(f"{app_url}/?lang=fr&donor=lu-government&country=LA&ccy=USD")
    wait_idle(first)
    link = first.url
    query = parse_qs(urlparse(link).query)
    assert query == {"lang": ["fr"], "donor": ["lu-government"], "country": ["LA"], "ccy": ["USD"]}

    # Someone else opens the same filters on the funding page, with an English browser.
    other = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="en-US").new_page()
    other.goto(f"{app_url}/funding?{urlparse(link).query}")
    wait_idle(other)
    assert parse_qs(urlparse(other.url).query) == query
    assert "Financements" in other.locator("h1").first.inner_text()
    chips = other.locator("[data-testid='stMultiSelect'] .react-aria-ComboBox [data-tag]").all_inner_texts()
    assert "Gouvernement luxembourgeois" in chips and "Laos" in chips
    # one donor and one country: their breakdowns are one bar each, said in one line
    single = other.get_by_text("Une seule barre chacun").inner_text()
    assert "Budgets par bailleur\u202f: Gouvernement luxembourgeois" in single
    assert "AIMF" not in single and "USD" in chart_text(other, 0)
    screenshot(other, "link-restored-on-funding")
    first.context.close()
    other.context.close()
