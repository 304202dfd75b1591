"""The map in Debian's Chromium with no internet: the deck draws (the canvas is not
blank), nothing is fetched from any host but the dashboard's own, clicking a province
lists its activities, and their links open the activity's page with the same view."""
import io
import json
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image

from mekong.app import map_page
from mekong.reference.load import load_countries_geojson, load_provinces_geojson
from mekong.views import maps
from tests.browser.conftest import ARTIFACTS, screenshot, wait_idle

DECK = "[data-testid='stDeckGlJsonChart']"
OWN_HOSTS = {"127.0.0.1", "localhost"}


def view_of(page, bounds=maps.BOUNDS):
    """The initial view the map page frames for its canvas (pages/map.py fits the
    bounds to the canvas it draws, map_page.page_layout)."""
    box = page.locator(f"{DECK} canvas").first.bounding_box()
    return maps.initial_view(width=box["width"], height=box["height"], bounds=bounds, padding=map_page.MAP_PADDING)


def open_map(context, app_url: str, query: str = "lang=en"):
    """The map page, with every request and web socket it opens recorded."""
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    page.goto(f"{app_url}/map?{query}")
    page.wait_for_selector(f"{DECK} canvas", timeout=60_000)
    wait_idle(page)
    if "present=1" not in query:  # presentation mode frames the map for the whole screen
        wait_framed(page)
    page.wait_for_timeout(1500)  # deck.gl draws after the page settles
    return page, urls


def wait_framed(page) -> tuple[int, int]:
    """Wait until the map has the size the page gives it on this screen, once the browser
    has told the server the room there is (map_page.page_layout); returns that size."""
    room = page.evaluate("""() => { const m = document.querySelector('[data-testid="stMainBlockContainer"]');
        const s = getComputedStyle(m);
        return [Math.round((m.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)) / 10) * 10,
                Math.round(innerHeight / 10) * 10]; }""")
    _, width, height = map_page.page_layout(tuple(room))
    page.wait_for_function(f"""() => {{ const c = document.querySelector("{DECK} canvas");
        if (!c) return false; const b = c.getBoundingClientRect();
        return Math.abs(b.height - {height}) < 2 && Math.abs(b.width - {width}) < 6; }}""", timeout=30_000)
    wait_idle(page)
    return width, height


def foreign(urls: list[str]) -> list[str]:
    """The URLs that go to a host other than the dashboard's (data: and blob: stay local)."""
    out = []
    for u in urls:
        parsed = urlparse(u)
        if parsed.scheme in ("data", "blob", "about"):
            continue
        if parsed.hostname not in OWN_HOSTS:
            out.append(u)
    return out


def deck_image(page, name: str) -> Image.Image:
    png = page.locator(DECK).screenshot()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.png").write_bytes(png)
    return Image.open(io.BytesIO(png)).convert("RGB")


def has_color(img: Image.Image, rgb, tolerance: int = 12, at_least: int = 20) -> bool:
    """At least `at_least` pixels within `tolerance` of `rgb`."""
    close = (np.abs(np.asarray(img, dtype=int) - np.array(rgb[:3])) <= tolerance).all(axis=2)
    return int(close.sum()) >= at_least


def pixel_of(page, lon: float, lat: float, view=None) -> tuple[float, float]:
    """Where (lon, lat) is on the screen in the deck's initial view."""
    view = view or view_of(page)
    box = page.locator(f"{DECK} canvas").first.bounding_box()
    cx, cy = maps._pixel(view.longitude, view.latitude, view.zoom)
    x, y = maps._pixel(lon, lat, view.zoom)
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 + (y - cy)


@pytest.fixture()
def projector(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
    yield context
    context.close()


def test_map_draws_with_nothing_fetched_from_elsewhere(projector, app_url):
    page, urls = open_map(projector, app_url)
    assert page.locator("[data-testid='stException']").count() == 0
    img = deck_image(page, "map-deck")
    colors = img.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50, "the canvas looks blank"
    background = max(colors)[1]
    drawn = sum(n for n, c in colors if c != background)
    assert drawn > 0.15 * img.width * img.height
    # the grey of provinces with nothing, the blue of Bolikhamxay's budget, the red places
    assert has_color(img, maps.NONE_COLOR, at_least=5000)
    assert has_color(img, maps.SEQUENTIAL[3])
    assert has_color(img, maps.PLACE_COLOR)
    legend = page.locator(".map-legend").inner_text()
    assert "Budgets, EUR" in legend and "EUR\u00a08.2M" in legend and "No amount recorded" in legend
    screenshot(page, "map-1920x1080")
    assert urls, "no request recorded"
    assert foreign(urls) == []


def test_clicking_a_province_lists_its_activities_and_links_to_them(projector, app_url):
    page, urls = open_map(projector, app_url, "lang=fr&country=LA")
    bolikhamxay = next(f for f in load_provinces_geojson()["features"] if f["properties"]["iso"] == "LA-BL")
    # one country chosen: the map is framed on Laos
    laos = view_of(page, maps.country_bounds(
        maps.for_drawing(load_countries_geojson(), maps.DRAW_TOLERANCE, coverage=False), "LA"))  # as the page draws it
    x, y = pixel_of(page, *maps.label_point(bolikhamxay["geometry"]), view=laos)
    page.mouse.move(x, y)
    # deck.gl picks on its next frame, which takes a while when the tests run in parallel
    page.wait_for_function("() => (document.querySelector('.deck-tooltip')?.innerText || '').includes('LA-BL')",
                           timeout=20_000)
    tooltip = page.locator(".deck-tooltip").inner_text()
    assert "Bolikhamxay (LA-BL)" in tooltip and "8\u202f200\u202f000" in tooltip.replace("\u00a0", "\u202f")
    page.mouse.click(x, y)
    # the selection reaches the server on deck.gl's next frame, and the rerun that writes
    # the link may start after wait_idle's first look when the tests run in parallel
    page.wait_for_function("() => location.search.includes('place=LA-BL')", timeout=30_000)
    wait_idle(page)
    link = page.get_by_role("link", name="LAO/021", exact=False)
    assert link.count() == 1
    # the chosen province is outlined on the map
    assert has_color(deck_image(page, "map-province-outlined"), maps.SELECTED_LINE[:3], at_least=200)
    screenshot(page, "map-province-selected-fr")

    with projector.expect_page() as opened:
        link.click()
    project = opened.value
    wait_idle(project)
    query = parse_qs(urlparse(project.url).query)
    assert query["project"] == ["seed:lao-021"] and query["lang"] == ["fr"] and query["country"] == ["LA"]
    assert "Développement intégré à Bolikhamxay" in project.locator("h1").first.inner_text()
    assert foreign(urls) == []


def test_a_users_boundaries_file_is_drawn(projector, app_url, tmp_path):
    page, urls = open_map(projector, app_url, "lang=en&metric=projects")
    laos = [{"type": "Feature", "properties": {"iso_3166_2": f["properties"]["iso"]}, "geometry": f["geometry"]}
            for f in load_provinces_geojson()["features"] if f["properties"]["country"] == "LA"]
    path = tmp_path / "laos.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": laos}))
    page.get_by_text("Boundaries", exact=True).click()
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.wait_for_selector("text=17 provinces drawn", timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(1500)
    assert page.get_by_text("Provinces not drawn").count() == 1
    img = deck_image(page, "map-deck-user-boundaries")
    assert has_color(img, maps.NONE_COLOR, at_least=2000)
    screenshot(page, "map-user-boundaries")
    assert foreign(urls) == []


def test_the_online_basemap_is_fetched_only_when_turned_on(projector, app_url):
    """The request log does see a foreign host: with the basemap on, the browser asks CARTO
    (the request fails here, with no internet; the map still draws)."""
    page, urls = open_map(projector, app_url, "lang=en&basemap=on")
    page.wait_for_timeout(1500)
    assert any(urlparse(u).hostname == "basemaps.cartocdn.com" for u in foreign(urls))
    assert page.get_by_text("map tiles are being fetched from CARTO").count() == 1
    img = deck_image(page, "map-deck-basemap-on")
    assert has_color(img, maps.PLACE_COLOR)


@pytest.mark.parametrize("width,height", [(1920, 1080), (1280, 720)])
def test_presentation_mode_fills_the_screen_with_the_map(browser, app_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page, urls = open_map(context, app_url, "lang=fr&present=1")
    assert not page.locator("section[data-testid='stSidebar']").is_visible()
    deck = page.locator(DECK).first.bounding_box()
    title = page.locator("[data-testid='stMain'] h3").first.bounding_box()
    stamp = page.locator("[data-testid='stCaptionContainer']").last
    stamp_box = stamp.bounding_box()
    for b in (deck, title, stamp_box):
        assert b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= width + 1 and b["y"] + b["height"] <= height + 1
    assert title["y"] + title["height"] <= deck["y"] and deck["y"] + deck["height"] <= stamp_box["y"]
    assert deck["width"] > 0.85 * width and deck["height"] > 0.5 * height
    # at least the box its view was framed for (map_page.present_view), so none of the
    # five countries is cut off
    from mekong.app import map_page

    assert deck["width"] >= width - map_page.PRESENT_PADDING - 1 and deck["height"] >= height - map_page.PRESENT_RESERVED
    assert "Date des données\u202f: non indiquée par les sources" in stamp.inner_text() and "Natural Earth" in stamp.inner_text()
    assert "Cambodge" in page.locator(".map-legend").inner_text()  # the money not located, beside the legend
    img = deck_image(page, f"map-present-deck-{width}x{height}")
    assert has_color(img, maps.SEQUENTIAL[3]) and has_color(img, maps.PLACE_COLOR)
    screenshot(page, f"map-present-{width}x{height}")
    page.wait_for_selector("body[data-present-keys='on']", state="attached")
    page.keyboard.press("Escape")  # a key leaves, as the button does
    wait_idle(page)
    assert page.locator("section[data-testid='stSidebar']").is_visible()
    assert "present" not in parse_qs(urlparse(page.url).query)
    assert foreign(urls) == []
    context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1440, 900), (1280, 720)])
def test_the_map_is_framed_for_the_screen(browser, app_url, size):
    """The map's canvas is as wide as its column and as high as the screen allows; the
    five countries fill it whole, the names of the places at its edges inside it, and the
    panel beside it is whole on the screen."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="fr-FR")
    page, _ = open_map(context, app_url, "lang=fr")
    canvas = page.locator(f"{DECK} canvas").first.bounding_box()
    column = page.locator("[data-testid='stColumn']").first.bounding_box()
    assert abs(canvas["width"] - column["width"]) < 4
    west, south, east, north = maps.BOUNDS
    (x0, y0), (x1, y1) = pixel_of(page, west, north), pixel_of(page, east, south)
    inside = canvas["x"] <= x0 and x1 <= canvas["x"] + canvas["width"] and canvas["y"] <= y0 and y1 <= canvas["y"] + canvas["height"]
    assert inside, "a country is cut at the map's edge"
    assert (x1 - x0) / canvas["width"] > 0.75 or (y1 - y0) / canvas["height"] > 0.8, "the map leaves its canvas empty"
    # Ho Chi Minh City, the easternmost name at the first view, ends inside the canvas
    hcmc = pixel_of(page, 106.7, 10.8)
    assert hcmc[0] + 115 <= canvas["x"] + canvas["width"]  # the name is about 110 px long
    panel = page.locator("[data-testid='stColumn']").nth(1).bounding_box()
    assert panel["x"] + panel["width"] <= size[0]
    for control in page.locator("[data-testid='stColumn']").nth(1).locator("[data-testid='stButtonGroup'], [data-testid='stSelectbox']").all():
        box = control.bounding_box()
        assert box["x"] + box["width"] <= size[0], "a control of the panel is cut"
    screenshot(page, f"map-framed-{size[0]}x{size[1]}")
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("size", [(1920, 1080), (1440, 900), (1400, 1050), (1280, 720), (1280, 1024)])
def test_every_layer_is_in_sight_in_the_panel(browser, app_url, size, lang):
    """The four layers ("Names" last) and the two ways to shade the provinces inside the
    panel beside the map, not scrolled out of sight: in a narrow panel (a tall window
    gives the map more of the width) they wrap."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="en-GB")
    page, _ = open_map(context, app_url, f"lang={lang}")
    panel = page.locator("[data-testid='stColumn']").nth(1).bounding_box()
    pills = page.locator(".st-key-map_layers button")
    names = pills.all_inner_texts()
    assert names == (["Provinces", "Cities", "Project places", "Names"] if lang == "en"
                     else ["Provinces", "Villes", "Lieux des projets", "Noms"])
    for i, name in enumerate(names):
        box = pills.nth(i).bounding_box()
        assert panel["x"] - 1 <= box["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"] + 1, \
            f"{name} runs past the panel at {size}"
        assert pills.nth(i).evaluate("e => e.scrollWidth <= e.clientWidth + 1"), f"{name} is cut"
    shade = page.locator(".st-key-map_metric button")  # and the two choices above them
    for i in range(shade.count()):
        box = shade.nth(i).bounding_box()
        assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 1, f"{shade.nth(i).inner_text()} runs past the panel"
    screenshot(page, f"map-layers-{size[0]}x{size[1]}-{lang}")
    context.close()
