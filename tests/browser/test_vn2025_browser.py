"""Viet Nam's provinces on the map in Chromium, on the fixture of test_vn2025_views:
in the 34-unit view (the default) Hà Giang and the former Tuyên Quang are one unit, drawn
in one colour; with vn=2024 they are two provinces with different amounts (800 and 200)."""
import duckdb
import pytest
from shapely.geometry import shape

from mekong.paths import DATA_DIR
from mekong.reference.load import load_provinces_geojson
from mekong.store import freshness
from mekong.store.build import create_empty
from mekong.store.derive import derive
from tests.browser.conftest import CHROMIUM, screenshot, start_app
from tests.browser.test_map_browser import deck_image, open_map, pixel_of
from tests.test_vn2025_views import FACTS


@pytest.fixture(scope="module")
def vn_url(tmp_path_factory):
    from pathlib import Path
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    path = tmp_path_factory.mktemp("vnb") / "vn.duckdb"
    con = duckdb.connect(str(path))
    create_empty(con)
    con.execute(FACTS)
    derive(con)
    freshness.record(con, DATA_DIR)
    con.close()
    proc, url = start_app(path)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture()
def wide(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
    yield context
    context.close()


def _colour_at(page, img, lon, lat):
    box = page.locator("[data-testid='stDeckGlJsonChart']").bounding_box()
    x, y = pixel_of(page, lon, lat)
    x, y = int(x - box["x"]), int(y - box["y"])
    # the commonest colour around the point (a label or a border may cross it)
    patch = [img.getpixel((x + dx, y + dy)) for dx in range(-6, 7) for dy in range(-6, 7)]
    return max(set(patch), key=patch.count)


def _inside(iso):
    f = next(f for f in load_provinces_geojson("2024")["features"] if f["properties"]["iso"] == iso)
    p = shape(f["geometry"]).representative_point()
    return p.x, p.y


def test_the_34_unit_map_and_the_63_province_map(wide, vn_url):
    page, _ = open_map(wide, vn_url, "lang=en")
    assert page.locator("[data-testid='stException']").count() == 0
    img = deck_image(page, "vn2025-map")
    screenshot(page, "vn2025-map-page")
    ha_giang, tuyen_quang = _colour_at(page, img, *_inside("VN-03")), _colour_at(page, img, *_inside("VN-07"))
    assert ha_giang == tuyen_quang     # one unit, one amount (1100)
    page, _ = open_map(wide, vn_url, "lang=en&vn=2024")
    assert page.locator("[data-testid='stException']").count() == 0
    img = deck_image(page, "vn2024-map")
    screenshot(page, "vn2024-map-page")
    assert _colour_at(page, img, *_inside("VN-03")) != _colour_at(page, img, *_inside("VN-07"))  # 800 and 200


def test_the_funding_page_by_fiscal_year(page, app_url):
    from tests.browser.conftest import wait_idle
    page.goto(f"{app_url}/funding?lang=en&country=LA&yearbasis=fiscal")
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    heading = page.get_by_text("Budgets by fiscal year", exact=True)
    assert heading.count() >= 1
    heading.first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    screenshot(page, "funding-fiscal-years")
    assert page.get_by_text("fiscal years of the partner government", exact=False).count() >= 1


def test_the_year_filter_in_fiscal_years(page, app_url):
    """One country under fiscal years: the slider is labelled so, the chosen fiscal years are
    named under it and the URL keeps years=YYYY&years=YYYY."""
    from tests.browser.conftest import wait_idle
    page.goto(f"{app_url}/funding?lang=en&country=LA&yearbasis=fiscal&years=2014&years=2018")
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text("Fiscal years", exact=True).count() >= 1
    assert sidebar.get_by_text("Fiscal years FY2014/15 to FY2018", exact=True).count() == 1
    assert "years=2014&years=2018" in page.url
    screenshot(page, "funding-fiscal-year-filter")
