"""AppTest: the map page on the default portfolio follows the filters and the URL, lists
what it cannot draw, links each activity to its page with the same view, and takes a
user's boundaries file."""
import json
from urllib.parse import parse_qs, urlparse

import pytest

from mekong.reference.load import load_provinces_geojson
from mekong.views import maps


def _no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


def deck_spec(at) -> dict:
    (deck,) = at.get("deck_gl_json_chart")
    return json.loads(deck.proto.json)


def legend_html(at) -> str:
    # the page's one HTML block besides the style sheets every page has (widgets.streamlit_texts)
    (legend,) = [h for h in at.get("html") if not h.proto.body.lstrip().startswith("<style>")]
    return legend.proto.body


def unescape(text: str) -> str:
    """Markdown as shown (data is escaped with fmt.md: 'laos\\.geojson')."""
    return text.replace("\\", "")


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def links(at) -> list[str]:
    text = markdown(at)
    return [part.split(")")[0] for part in text.split("](")[1:]]


def test_map_page_draws_the_deck_with_no_basemap(app):
    at = app("map")
    _no_exception(at)
    spec = deck_spec(at)
    assert [layer["id"] for layer in spec["layers"]][:4] == ["provinces", "countries", "cities", "places"]
    assert spec["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in spec
    assert "http" not in at.get("deck_gl_json_chart")[0].proto.json
    assert len(spec["layers"][0]["data"]["features"]) == 166  # Viet Nam in its 34 units of 2025 (195 with the 63 former)
    assert "Budgets, EUR" in legend_html(at) and "EUR\u00a08.2M" in legend_html(at)
    text = markdown(at)
    assert "National / regional, not located" in text
    assert "Cambodia: ~EUR\u00a07,000,000 · activities: 1" in text
    captions = " ".join(c.value for c in at.caption)
    assert "A project in several provinces counts an equal share of its amount in each; IATI gives no split by place." in captions
    assert "Natural Earth" in captions and "GeoNames" in captions
    # the unplaced places are listed
    (table,) = at.dataframe
    assert sorted(table.value["Place"]) == ["Stung Manchey", "Thaphabath", "Viengthong"]
    assert set(table.value["Why"]) == {"No coordinates"}
    assert not at.warning


def test_page_choices_come_from_the_url_and_go_back_into_it(app):
    at = app("map", metric="projects", basemap="on", place="LA-BL", layers="provinces,places", lang="fr")
    _no_exception(at)
    assert at.session_state["map_metric"] == "projects"
    assert at.session_state["map_layers"] == ["provinces", "places"]
    assert at.session_state["map_basemap"] is True
    assert at.session_state["map_place"] == "LA-BL"
    assert {k: at.query_params[k] for k in at.query_params} == {
        "lang": "fr", "metric": "projects", "layers": "provinces,places", "basemap": "on", "place": "LA-BL"}
    spec = deck_spec(at)
    assert spec["mapProvider"] == "carto" and "cartocdn" in spec["mapStyle"]
    assert [layer["id"] for layer in spec["layers"]] == ["provinces", "countries", "places"]
    assert "Nombre d&#x27;activités" in legend_html(at)
    assert at.title[0].value == "Carte"
    assert any("CARTO" in w.value for w in at.warning)  # says the tiles come from the internet
    assert "LAO/021" in markdown(at)


def test_default_choices_stay_out_of_the_url(app):
    at = app("map")
    assert {k for k in at.query_params} == {"lang"}


def test_map_follows_the_filters(app):
    at = app("map", country=["KH"], ccy="USD")
    _no_exception(at)
    spec = deck_spec(at)
    places = {p["key"] for p in spec["layers"][3]["data"]}
    assert places == {"loc:kh-phnom-penh", "loc:kh-siem-reap"}
    # the AIMF budget has no date, so no ECB rate to USD: said so, not counted as national money
    assert "Budgets, USD" in legend_html(at)
    assert "cannot be converted" in " ".join(i.value for i in at.info)
    assert "Cambodia" not in markdown(at)
    (table,) = at.dataframe
    assert list(table.value["Place"]) == ["Stung Manchey"]


def test_province_filter_shows_no_national_money(app):
    at = app("map", province=["LA-BL"])
    _no_exception(at)
    assert "Not shown while provinces are selected in the filters." in " ".join(c.value for c in at.caption)
    assert {p["key"] for p in deck_spec(at)["layers"][3]["data"]} == {
        "loc:la-khamkeut", "loc:la-bolikhan", "loc:la-paksan", "loc:la-pakkading"}


def test_choosing_a_place_lists_its_activities(app):
    at = app("map")
    assert "LAO/021" not in markdown(at)
    at.selectbox(key="map_place").set_value("city:1821306").run()
    _no_exception(at)
    text = markdown(at)
    assert "Faecal sludge treatment and reuse, Phnom Penh" in text
    assert "Rehabilitation of the Stung Manchey" not in text  # a district of Phnom Penh province, not at the city
    assert at.query_params["place"] == "city:1821306"
    at.selectbox(key="map_place").set_value("KH-12").run()
    assert "Rehabilitation of the Stung Manchey" in markdown(at)


def test_project_links_keep_the_filters_and_the_language(app):
    at = app("map", lang="fr", country=["LA"], donor=["lu-government"], place="LA-BL")
    _no_exception(at)
    (link,) = links(at)
    url = urlparse(link)
    assert url.path == "projects"
    params = parse_qs(url.query)
    assert params == {"lang": ["fr"], "donor": ["lu-government"], "country": ["LA"], "project": ["seed:lao-021"]}
    # the link opens the activity's page in French with the same filters
    target = app(None, **{k: v if len(v) > 1 or k in ("donor", "country") else v[0] for k, v in params.items()})
    target.switch_page("pages/projects.py").run()
    _no_exception(target)
    assert target.title[0].value.startswith("Développement intégré à Bolikhamxay")
    assert target.session_state["country"] == ["LA"] and target.session_state["donor"] == ["lu-government"]


def _laos_only() -> bytes:
    features = [{"type": "Feature", "properties": {"shapeISO": f["properties"]["iso"]}, "geometry": f["geometry"]}
                for f in load_provinces_geojson()["features"] if f["properties"]["country"] == "LA"]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_a_users_boundaries_file_replaces_the_bundled_one(app):
    at = app("map")
    at.file_uploader[0].set_value(("laos.geojson", _laos_only(), "application/geo+json")).run()
    _no_exception(at)
    assert any("laos.geojson" in unescape(s.value) and "17" in s.value for s in at.success)
    assert len(deck_spec(at)["layers"][0]["data"]["features"]) == 17
    text = markdown(at)
    assert "Provinces not drawn" in text
    assert "Phnom Penh (KH-12)" in text and "Not on the map." in text
    assert any("your file" in c.value and "laos.geojson" in unescape(c.value) for c in at.caption)
    # back to the bundled boundaries
    at.button[0].click().run()
    assert len(deck_spec(at)["layers"][0]["data"]["features"]) == 166  # Viet Nam in its 34 units of 2025 (195 with the 63 former)


@pytest.mark.parametrize("content,expected", [
    (b"not json", "Not a UTF-8 JSON file"),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"iso": "LA_BL"}, "geometry": {"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], [1, 1]]]}}
    ]}).encode(), "feature 0, property “iso”: “LA_BL” is not an ISO 3166-2 code"),
])
def test_a_broken_boundaries_file_is_refused_with_the_reason(app, content, expected):
    at = app("map")
    at.file_uploader[0].set_value(("mine.geojson", content, "application/geo+json")).run()
    _no_exception(at)
    errors = unescape(" ".join(e.value for e in at.error))
    assert "“mine.geojson” cannot be used" in errors and expected in errors
    assert len(deck_spec(at)["layers"][0]["data"]["features"]) == 166  # Viet Nam in its 34 units of 2025 (195 with the 63 former)


def test_choices_survive_a_visit_to_another_page(app):
    at = app("map", metric="projects", place="LA-BL")
    at.switch_page("pages/funding.py").run()
    _no_exception(at)
    assert "metric" not in at.query_params and "place" not in at.query_params
    at.switch_page("pages/map.py").run()
    _no_exception(at)
    assert at.session_state["map_metric"] == "projects" and at.session_state["map_place"] == "LA-BL"
    assert at.query_params["metric"] == "projects" and at.query_params["place"] == "LA-BL"


def test_what_a_click_on_the_deck_selects():
    from mekong.app.map_page import selection_key

    def state(layer, obj):
        return {"selection": {"indices": {layer: [0]}, "objects": {layer: [obj]}}}

    assert selection_key(state("provinces", {"type": "Feature", "properties": {"iso": "LA-BL"}})) == "LA-BL"
    assert selection_key(state("cities", {"key": "city:1821306", "name": "Phnom Penh"})) == "city:1821306"
    assert selection_key(state("places", {"key": "loc:la-paksan", "province": "LA-BL"})) == "LA-BL"
    assert selection_key({"selection": {"indices": {}, "objects": {}}}) is None
    assert selection_key(None) is None


def test_presentation_mode_shows_the_map_alone(app):
    at = app("map", present="1", metric="projects")
    _no_exception(at)
    spec = deck_spec(at)
    assert spec["layers"][0]["id"] == "provinces"
    assert at.subheader[0].value == "Number of activities by province"
    assert not at.selectbox and not at.file_uploader  # no controls on the projector
    assert "Number of activities" in legend_html(at) and "Cambodia" in legend_html(at)
    assert at.query_params["present"] == "1" and at.query_params["metric"] == "projects"
    # the five countries whole in the map's box of a 1280x720 screen (until the browser
    # says its size: tests/test_view_context.py)
    from mekong.app import map_page

    box = (1280 - map_page.PRESENT_PADDING, 720 - map_page.PRESENT_RESERVED)
    assert spec["initialViewState"]["zoom"] == maps.initial_view(*box).zoom
