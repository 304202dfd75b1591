"""The map: the deck built for the default portfolio (every drawn province, the seed places
at their coordinates, the legend, no basemap), the national / regional money beside it,
the places it cannot put on the map, the check of a user's boundaries file and the
province-name resolver."""
import csv
import datetime as dt
import json
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from mekong.reference.load import boundaries_path, load_countries_geojson, load_provinces_geojson
from mekong.reference.places import ProvinceIndex, resolve_province
from mekong.store.db import Portfolio
from mekong.store.derive import derive
from mekong.views import breakdowns, i18n, map_data, maps
from mekong.views.boundary_file import check_boundaries
from mekong.views.filters import Filters

ROOT = Path(__file__).resolve().parents[1]
SEED_LOCATIONS = ROOT / "data" / "seed" / "locations.csv"
PROVINCES_CSV = ROOT / "data" / "reference" / "provinces.csv"
FIVE = {"KH", "LA", "MM", "TH", "VN"}


def t_en(key, **values):
    return i18n.text(key, "en", **values)


NO_FILTERS = Filters()


def querier(db: Portfolio, f: Filters = NO_FILTERS):
    """q(name, **extra) as the pages have it (mekong.app.ui.query), without Streamlit."""
    def q(name, **extra):
        params = {**f.params(), "lang": "en", "today": dt.date(2026, 11, 22), "q": "", "limit": 100_000, **extra}
        return db.frame(name, params)
    return q


def build(db: Portfolio, f: Filters = NO_FILTERS, boundaries=None, flow="budget", **options):
    boundaries = boundaries or load_provinces_geojson()
    data = map_data.collect(querier(db, f), flow, boundaries)
    deck, legend = maps.build_deck(data, boundaries, load_countries_geojson(), maps.MapOptions(**options), t_en,
                                   f.currency, "en", "Budgets")
    return data, deck, legend, json.loads(deck.to_json())


def layer(spec: dict, layer_id: str) -> dict:
    (found,) = [lyr for lyr in spec["layers"] if lyr["id"] == layer_id]
    return found


def seed_locations() -> dict:
    with open(SEED_LOCATIONS, encoding="utf-8") as fh:
        return {r["location_id"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def seed(seed_db):
    return Portfolio(seed_db)


@pytest.fixture(scope="module")
def default_map(seed):
    return build(seed)


# ------------------------------------------------------------------ the deck

def test_province_layer_has_every_drawn_province_of_the_five_countries(default_map):
    with open(PROVINCES_CSV, encoding="utf-8") as fh:
        drawn = {r["iso"] for r in csv.DictReader(fh) if r["in_boundaries"] == "true"}
    assert len(drawn) == 195
    # Viet Nam drawn in its 34 units of 2025 (the default), the other four as they are
    drawn = {c for c in drawn if not c.startswith("VN-")} | {f"VN-N{u}" for u in (
        "01 04 08 11 12 14 15 19 20 22 24 25 31 33 37 38 40 42 44 46 48 51 52 56 66 68 75 79 80 82 86 91 92 96".split())}
    features = layer(default_map[3], "provinces")["data"]["features"]
    codes = [f["properties"]["iso"] for f in features]
    assert set(codes) == drawn
    assert len(codes) == len(drawn)
    assert {c.split("-")[0] for c in codes} == FIVE
    # every one is drawn: no money is grey, not left out
    assert all(len(f["properties"]["fill"]) == 4 for f in features)
    assert all(f["properties"]["tip_title"] and f["properties"]["tip_body"] for f in features)


def test_bolikhamxay_is_shaded_by_its_money_and_the_others_grey(default_map):
    data, _, legend, spec = default_map
    props = {f["properties"]["iso"]: f["properties"] for f in layer(spec, "provinces")["data"]["features"]}
    assert props["LA-BL"]["value"] == pytest.approx(8_200_000)
    assert props["LA-BL"]["fill"][:3] != list(maps.NONE_COLOR)
    assert "EUR\u00a08,200,000" in props["LA-BL"]["tip_body"]
    # Phnom Penh has activities but no money of its own: grey on the money map
    # (AIMF's South-East Asian network is regional: its member city Phnom Penh does not count it)
    assert props["KH-12"]["n_projects"] == 3 and props["KH-12"]["value"] is None
    assert props["KH-12"]["fill"][:3] == list(maps.NONE_COLOR)
    assert sum(p["fill"][:3] != list(maps.NONE_COLOR) for p in props.values()) == 1


def test_seed_places_are_drawn_at_their_coordinates(default_map):
    """Bolikhamxay's districts that have coordinates, and the cities of the AIMF
    activities, at the coordinates of data/seed/locations.csv (GeoNames)."""
    spec = default_map[3]
    points = {p["key"]: p for p in layer(spec, "places")["data"]}
    seed = seed_locations()
    expected = ["loc:la-khamkeut", "loc:la-bolikhan", "loc:la-paksan", "loc:la-pakkading",
                "loc:kh-phnom-penh", "loc:kh-siem-reap", "loc:la-vientiane", "loc:vn-hanoi", "loc:vn-ho-chi-minh-city"]
    assert set(points) == set(expected)
    for loc in expected:
        assert points[loc]["lon"] == pytest.approx(float(seed[loc]["lon"]), abs=0.01), loc
        assert points[loc]["lat"] == pytest.approx(float(seed[loc]["lat"]), abs=0.01), loc
    assert {points[loc]["province"] for loc in expected[:4]} == {"LA-BL"}
    # the deck serialises them as [lon, lat]
    assert layer(spec, "places")["getPosition"] == "@@=[lon, lat]"


def test_cities_with_activities(default_map):
    data, _, _, spec = default_map
    cities = {c["name"]: c for c in layer(spec, "cities")["data"]}
    seed = seed_locations()
    for name, loc, n in [("Phnom Penh", "loc:kh-phnom-penh", 3), ("Siem Reap", "loc:kh-siem-reap", 1),
                         ("Vientiane", "loc:la-vientiane", 1), ("Hanoi", "loc:vn-hanoi", 1),
                         ("Ho Chi Minh City", "loc:vn-ho-chi-minh-city", 1)]:
        assert cities[name]["n_projects"] == n, name
        assert cities[name]["lon"] == pytest.approx(float(seed[loc]["lon"]), abs=0.01)
        assert cities[name]["lat"] == pytest.approx(float(seed[loc]["lat"]), abs=0.01)
    # Paksan district's seat is Pakxan, the province capital, within 10 km
    assert cities["Pakxan"]["n_projects"] == 1
    assert sum(c["n_projects"] > 0 for c in cities.values()) == 6
    assert len(cities) == len(data.cities) == 351
    assert set(data.projects_at("city:1821306")["project_id"]) == {
        "seed:aimf-pp-sludge", "seed:aimf-smart-city", "seed:aimf-sea-network"}


def test_no_basemap_and_nothing_to_fetch(default_map):
    _, deck, _, spec = default_map
    assert deck.map_provider is None
    assert spec["mapStyle"] == "__MAP_STYLE__"  # pydeck's "no style": Streamlit then adds no CARTO style
    text = deck.to_json()
    assert "http" not in text and "cartocdn" not in text and "mapbox" not in text


def test_basemap_is_an_option(seed):
    _, deck, _, spec = build(seed, basemap=True)
    assert deck.map_provider == "carto"
    assert "basemaps.cartocdn.com" in spec["mapStyle"]


def test_every_layer_has_an_id_and_the_clickable_ones_are_pickable(default_map):
    spec = default_map[3]
    ids = [lyr["id"] for lyr in spec["layers"]]
    assert ids[:4] == ["provinces", "countries", "cities", "places"]
    assert len(set(ids)) == len(ids)
    for lid in ("provinces", "cities", "places"):
        assert layer(spec, lid)["pickable"] is True
    # one tooltip template for all layers: every object carries its two fields
    assert "{tip_title}" in spec_tooltip(default_map[1])
    for lid in ("cities", "places"):
        assert all(o["tip_title"] and "tip_body" in o for o in layer(spec, lid)["data"])


def spec_tooltip(deck) -> str:
    return deck._tooltip["html"]


def test_layers_can_be_turned_off(seed):
    spec = build(seed, layers=("provinces",))[3]
    assert [lyr["id"] for lyr in spec["layers"]] == ["provinces", "countries"]


def test_initial_view_shows_the_five_countries():
    view = maps.initial_view(width=900, height=800)
    west, south, east, north = maps.BOUNDS
    cx, cy = maps._pixel(view.longitude, view.latitude, view.zoom)
    for lon, lat in [(west, south), (east, north), (west, north), (east, south)]:
        x, y = maps._pixel(lon, lat, view.zoom)
        assert abs(x - cx) <= 450 and abs(y - cy) <= 400
    # and it is not much smaller than the canvas
    assert maps._pixel(west, north, view.zoom)[1] - cy < -350 or maps._pixel(east, south, view.zoom)[1] - cy > 350


def test_presentation_view_fits_the_activities(default_map):
    data = default_map[0]
    west, south, east, north = maps.data_bounds(data, load_provinces_geojson())
    # Laos, Cambodia and Viet Nam's activities: from Vientiane to Ho Chi Minh City and Hanoi
    assert 100.5 < west < 102.6 and 8.8 < south < 10.83 and 106.7 < east < 108.2 and 21.0 < north < 22.6
    view = maps.initial_view(1150, 480, bounds=(west, south, east, north))
    assert view.zoom > maps.initial_view(1150, 480).zoom + 0.5
    nothing = data.provinces.assign(n_projects=0, value=float("nan"))
    empty = map_data.MapData(nothing, data.national, data.located_split_unknown,
                             data.places.iloc[0:0], data.cities, data.place_projects)
    assert maps.data_bounds(empty, load_provinces_geojson()) == maps.BOUNDS


def test_labels_do_not_overlap(seed):
    data, _, _, spec = build(seed, metric="projects")
    zoom = spec["initialViewState"]["zoom"]
    def box(lbl, size):
        return maps._box(lbl, zoom, size, lbl["placement"], lbl["gap"])

    boxes = [maps._box(lbl, zoom, maps.COUNTRY_SIZE, "centre") for lbl in layer(spec, "labels-countries")["data"]]
    boxes += [box(lbl, maps.PROVINCE_SIZE) for lbl in layer(spec, "labels-provinces")["data"]]
    boxes += [box(lbl, maps.CITY_SIZE) for lbl in layer(spec, "labels-cities")["data"]]
    assert len(boxes) > 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not maps._overlaps(a, b)
    # nor do they cover a place
    for p in layer(spec, "places")["data"]:
        x, y = maps._pixel(p["lon"], p["lat"], zoom)
        assert not any(maps._overlaps(b, (x - 5, y - 5, x + 5, y + 5)) for b in boxes[5:]), p["key"]
    # Phnom Penh is named, by its province or its city
    named = [lbl["text"] for lbl in layer(spec, "labels-provinces")["data"] + layer(spec, "labels-cities")["data"]]
    assert "Phnom Penh" in named
    assert "Bolikhamxay" in [lbl["text"] for lbl in layer(spec, "labels-provinces")["data"]]


# ------------------------------------------------------------------ the legend

def test_legend_of_the_money_map(default_map):
    legend = default_map[2]
    assert legend.title == "Budgets, EUR"
    assert legend.items == [(maps.hex_color(maps.SEQUENTIAL[3]), "EUR\u00a08.2M"),
                            (maps.hex_color(maps.NONE_COLOR), "No amount recorded")]


def test_legend_of_the_projects_map(seed):
    _, _, legend, spec = build(seed, metric="projects")
    assert legend.title == "Number of activities"
    assert [label for _, label in legend.items] == ["1", "2–3", "No activity"]
    props = {f["properties"]["iso"]: f["properties"] for f in layer(spec, "provinces")["data"]["features"]}
    assert maps.hex_color(props["KH-12"]["fill"]) == legend.items[1][0]
    assert maps.hex_color(props["LA-BL"]["fill"]) == legend.items[0][0]


def test_legend_in_usd_and_french(seed):
    f = Filters(currency="USD")
    boundaries = load_provinces_geojson()
    data = map_data.collect(querier(seed, f), "budget", boundaries)
    _, legend = maps.build_deck(data, boundaries, load_countries_geojson(), maps.MapOptions(),
                                lambda k, **v: i18n.text(k, "fr", **v), "USD", "fr", "Budgets")
    assert legend.title == "Budgets, USD"
    (_, label), (_, none) = legend.items
    assert label.endswith("\u00a0USD") and "M" in label
    assert none == "Aucun montant"


def test_color_scale_classes():
    s = maps.color_scale([8_123_456, 1_000_000, 2_500_000, 400_000, 0, None, float("nan")])
    assert s.breaks == (400_000, 1_000_000, 2_500_000, 8_200_000)
    assert s.color(0) == s.color(None) == s.color(float("nan")) == maps.NONE_COLOR
    # four classes: the palest colour is left out, it is too close to the grey of "none"
    assert s.colors == tuple(maps.SEQUENTIAL[1:])
    assert s.color(400_000) == maps.SEQUENTIAL[1] and s.color(8_123_456) == maps.SEQUENTIAL[-1]
    assert s.color(900_000) == s.color(1_000_000)
    many = maps.color_scale(range(1, 101), integer=True)
    assert len(many.breaks) == 5 and many.breaks[-1] == 100 and many.colors == tuple(maps.SEQUENTIAL)
    assert maps.color_scale([]).breaks == ()


# ------------------------------------------------------------------ money not located

def test_national_bucket_holds_the_aimf_programme(default_map):
    data = default_map[0]
    national = data.national.set_index("key")
    assert list(national.index) == ["KH"]
    assert national.loc["KH", "value"] == pytest.approx(7_000_000)
    assert bool(national.loc["KH", "approximate"]) is True
    assert national.loc["KH", "n_projects"] == 1
    assert national.loc["KH", "label"] == "Cambodia"
    # and it is not spread over Cambodia's provinces
    assert data.provinces.loc[data.provinces["country"] == "KH", "value"].isna().all()


@pytest.mark.parametrize("f", [Filters(), Filters(country=("KH",)), Filters(country=("KH", "LA")),
                               Filters(donor=("aimf",)), Filters(currency="USD"), Filters(sector=("43040",))])
def test_national_rows_add_up_to_the_funding_pages_bucket(seed, f):
    q = querier(seed, f)
    by_province = breakdowns.breakdown(q, "budget", "province")
    bucket = by_province.loc[by_province["key"] == "~national", "value"].sum()
    assert breakdowns.breakdown(q, "budget", "national")["value"].sum() == pytest.approx(bucket)


def test_national_rows_on_the_fixture_portfolio(tmp_path):
    """Fixture: P2 is 50 % Cambodia / 50 % Viet Nam with one place in Phnom Penh, so its
    Vietnamese half (850 EUR) is national; P1 (Laos, 1000) and P3 (Thailand, 1000 EUR
    counted) name no place."""
    from tests.fixture_db import build_fixture

    q = querier(Portfolio(build_fixture(tmp_path / "fixture.duckdb")))
    national = breakdowns.breakdown(q, "budget", "national").set_index("key")["value"].round(6).to_dict()
    assert national == {"LA": 1000, "TH": 1000, "VN": 850}
    by_province = breakdowns.breakdown(q, "budget", "province").set_index("key")["value"]
    assert sum(national.values()) == pytest.approx(by_province["~national"])
    assert by_province["KH-12"] == pytest.approx(850)


def test_province_filter_leaves_no_national_money(seed):
    assert breakdowns.breakdown(querier(seed, Filters(province=("LA-BL",))), "budget", "national").empty


# ------------------------------------------------------------------ places not on the map

def test_unplaced_places_of_the_seed(default_map):
    data = default_map[0]
    unplaced = data.unplaced.set_index("name")
    assert sorted(unplaced.index) == ["Stung Manchey", "Thaphabath", "Viengthong"]
    assert set(unplaced["reason"]) == {map_data.NO_COORDINATES}
    assert set(unplaced["placed_at"]) == {"province"}
    assert unplaced.loc["Stung Manchey", "province"] == "KH-12"
    # the province itself is placed as its polygon, not listed
    places = data.places.set_index("location_id")
    assert places.loc["loc:la-bolikhamxay", "placed_at"] == "province"
    assert pd.isna(places.loc["loc:la-bolikhamxay", "reason"])
    # every place is either drawn or listed
    assert set(data.places["placed_at"]) <= {"point", "province", "beside"}
    assert len(data.places) == 13


def test_classify_places_reasons():
    rows = pd.DataFrame([
        # location_id, name, kind, province, province_known, lat, lon
        ("a", "A", "city", "KH-12", True, 11.5, 104.9),
        ("b", "B", "district", "KH-12", True, None, None),
        ("c", "C", "city", None, False, 12.0, 105.0),
        ("d", "D", "district", None, False, None, None),
        ("e", "E", "point", "VN-99", False, 10.0, 106.0),
        ("f", "F", "city", "KH-25", True, 11.9, 105.6),
        ("g", "G", "country", None, False, None, None),
        ("h", "H", "province", "KH-12", True, 11.5, 104.9),
    ], columns=["location_id", "name", "kind", "province", "province_known", "lat", "lon"])
    out = map_data.classify_places(rows, {"KH-12"}).set_index("location_id")
    assert out["placed_at"].to_dict() == {"a": "point", "b": "province", "c": "point", "d": "beside", "e": "point",
                                          "f": "point", "g": "beside", "h": "province"}
    reasons = {k: None if pd.isna(v) else v for k, v in out["reason"].items()}
    assert reasons == {"a": None, "b": "no_coordinates", "c": "no_province", "d": "no_province", "e": "unknown_province",
                       "f": "province_not_drawn", "g": "country_level", "h": None}


@pytest.fixture(scope="module")
def tbong_khmum_db(tmp_path_factory, seed_db):
    """The seed plus a place in Tbong Khmum (KH-25, created in 2013, not in the boundary
    data) for the AIMF programme, and a place with no province and no coordinates."""
    path = tmp_path_factory.mktemp("kh25") / "mekong.duckdb"
    path.write_bytes(Path(seed_db).read_bytes())
    con = duckdb.connect(str(path))
    con.execute("""
        INSERT INTO location VALUES
          ('loc:test-suong', 'Suong', 'city', 'KH', 'KH-25', 11.9153, 105.6583, 'test', 's002-total'),
          ('loc:test-nowhere', 'Somewhere', 'district', 'KH', NULL, NULL, NULL, NULL, 's002-total'),
          ('loc:test-borikhamxay', 'Borikhamxay Province', 'province', 'LA', NULL, NULL, NULL, NULL, 's001-title');
        INSERT INTO project_location VALUES
          ('seed:aimf-kh', 'loc:test-suong', 'test', 's002-total'),
          ('seed:aimf-kh', 'loc:test-nowhere', 'test', 's002-total'),
          ('seed:lao-021', 'loc:test-borikhamxay', 'test', 's001-title');
    """)
    derive(con)
    con.close()
    return Portfolio(path)


def test_a_province_missing_from_the_boundaries_is_listed_with_its_money(tbong_khmum_db):
    data, _, _, spec = build(tbong_khmum_db)
    undrawn = data.undrawn.set_index("iso")
    assert list(undrawn.index) == ["KH-25"]
    assert undrawn.loc["KH-25", "value"] == pytest.approx(7_000_000)
    assert undrawn.loc["KH-25", "host"] == "KH-3"
    # the Kampong Cham polygon says Tbong Khmum lies in it, and is not shaded with its money
    props = {f["properties"]["iso"]: f["properties"] for f in layer(spec, "provinces")["data"]["features"]}
    assert "Tbong Khmum (KH-25)" in props["KH-3"]["tip_body"]
    assert props["KH-3"]["value"] is None
    # its place is still a point; the place with no province is listed, not dropped
    points = {p["key"] for p in layer(spec, "places")["data"]}
    assert "loc:test-suong" in points
    reasons = data.unplaced.set_index("location_id")["reason"].to_dict()
    assert reasons["loc:test-suong"] == map_data.PROVINCE_NOT_DRAWN
    assert reasons["loc:test-nowhere"] == map_data.NO_PROVINCE
    # a province written by name only is listed, with the province its name matches
    suggested = data.unplaced.set_index("location_id")["suggested"]
    assert reasons["loc:test-borikhamxay"] == map_data.NO_PROVINCE and suggested["loc:test-borikhamxay"] == "LA-BL"
    assert pd.isna(suggested["loc:test-nowhere"])
    # the money named no province in Cambodia any more: nothing national left for it
    assert data.national.empty


def test_an_undrawn_province_whose_host_is_not_drawn_either(tbong_khmum_db):
    """With boundaries of Laos only, Tbong Khmum is not said to lie in Kampong Cham."""
    laos = {"type": "FeatureCollection",
            "features": [f for f in load_provinces_geojson()["features"] if f["properties"]["country"] == "LA"]}
    data = build(tbong_khmum_db, boundaries=laos)[0]
    undrawn = data.undrawn.set_index("iso")
    assert undrawn.loc["KH-25", "host"] == "KH-3" and pd.isna(undrawn.loc["KH-25", "shown_in"])


def test_user_boundaries_replace_the_bundled_ones(seed):
    """A file with Laos only: the other provinces with activities are listed beside the map."""
    bundled = load_provinces_geojson()
    laos = {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {"ISO_3166_2": f["properties"]["iso"], "other": 1},
                          "geometry": f["geometry"]} for f in bundled["features"] if f["properties"]["country"] == "LA"]}
    check = check_boundaries(json.dumps(laos).encode())
    assert check.ok and check.code_property == "ISO_3166_2" and not check.problems
    data, _, _, spec = build(seed, boundaries=check.geojson)
    assert len(layer(spec, "provinces")["data"]["features"]) == 17
    # (Hanoi and Ho Chi Minh City are only places of AIMF's regional network: no province counts it)
    assert set(data.undrawn["iso"]) == {"KH-12", "KH-17"}
    assert set(data.unplaced["reason"]) == {map_data.PROVINCE_NOT_DRAWN, map_data.NO_COORDINATES}


# ------------------------------------------------------------------ a user's boundaries file

def _fc(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


SQUARE = {"type": "Polygon", "coordinates": [[[104, 18], [105, 18], [105, 19], [104, 19], [104, 18]]]}


def _feature(props, geometry=SQUARE):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def test_the_bundled_file_passes_the_check():
    check = check_boundaries(boundaries_path("provinces").read_bytes())
    assert check.ok and check.problems == [] and check.code_property == "iso"
    assert len(check.geojson["features"]) == 195


@pytest.mark.parametrize("raw,code", [
    (b"\xff\xfe not json", "not_json"),
    (b"{\"type\": \"Feature\"}", "not_collection"),
    (b"[1, 2]", "not_collection"),
    (_fc(), "no_features"),
])
def test_boundary_file_must_be_a_feature_collection(raw, code):
    check = check_boundaries(raw)
    assert not check.ok and [p.code for p in check.problems] == [code]


def test_boundary_file_problems_say_where():
    check = check_boundaries(_fc(
        _feature({"iso": "LA-BL"}),
        _feature({"iso": "LA_BL"}),
        _feature({"iso": "LA-VT"}, {"type": "Point", "coordinates": [102.6, 17.9]}),
        _feature({"iso": "LA-CH"}, {"type": "Polygon", "coordinates": [[[11_600_000, 2_000_000], [11_700_000, 2_000_000],
                                                                         [11_700_000, 2_100_000], [11_600_000, 2_000_000]]]}),
        _feature({"iso": "LA-XA"}, {"type": "Polygon", "coordinates": [[[104, 18], [105, 18]]]}),
        _feature({"name": "Atlantis"}),
        "not a feature",
    ))
    assert not check.ok
    assert [(p.code, p.feature, p.prop) for p in check.problems] == [
        ("bad_code", 1, "iso"), ("not_polygon", 2, "geometry"), ("not_degrees", 3, "geometry"),
        ("bad_geometry", 4, "geometry"), ("no_code", 5, "iso"), ("not_feature", 6, None)]
    assert check.problems[0].value == "LA_BL"


def test_boundary_file_names_without_codes_are_matched():
    check = check_boundaries(_fc(
        _feature({"shapeName": "Borikhamxay", "shapeGroup": "LAO"}),
        _feature({"NAME_1": "Hồ Chí Minh city", "GID_0": "VNM"}, {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}),
        _feature({"shapeISO": "cn-yn"}),
    ))
    assert check.ok
    assert [f["properties"]["iso"] for f in check.geojson["features"]] == ["LA-BL", "VN-SG"]
    assert check.matched_by_name == 2
    assert [(p.code, p.feature, p.value, p.fatal) for p in check.problems] == [("outside", 2, "CN-YN", False)]


def test_boundary_file_with_nothing_of_the_five_countries_is_refused():
    check = check_boundaries(_fc(_feature({"iso": "FR-IDF"})))
    assert not check.ok and [p.code for p in check.problems] == ["outside", "none_of_ours"]


def test_boundary_file_size_limit():
    check = check_boundaries(_fc(_feature({"iso": "LA-BL"})), max_bytes=50)
    assert not check.ok and check.problems[0].code == "too_big"


def test_boundary_file_is_normalised():
    check = check_boundaries(_fc(_feature({"ISO": " la-bl ", "extra": "x" * 100},
                                          {"type": "Polygon", "coordinates": [[[104.123456, 18.0], [105, 18], [105, 19],
                                                                               [104.123456, 18.0]]]})))
    (f,) = check.geojson["features"]
    assert f["properties"] == {"iso": "LA-BL", "country": "LA", "name": "Bolikhamxay"}
    assert f["geometry"]["coordinates"][0][0] == [104.1235, 18.0]


# ------------------------------------------------------------------ place names

@pytest.mark.parametrize("name,country,iso", [
    ("Bolikhamxay", None, "LA-BL"), ("Bolikhamxai", "LA", "LA-BL"), ("Borikhamxay", None, "LA-BL"),
    ("BOLIKHAMSAI PROVINCE", None, "LA-BL"), ("la-bl", None, "LA-BL"),
    ("Hồ Chí Minh City", "VN", "VN-SG"), ("Saigon", None, "VN-SG"), ("Ha Noi", "VN", "VN-HN"),
    ("Vientiane Capital", "LA", "LA-VT"), ("Vientiane", "LA", "LA-VI"), ("Siem Reap", "KH", "KH-17"),
    ("Kampong Cham", "KH", "KH-3"), ("Tbong Khmum", None, "KH-25"), ("Naypyidaw", "MM", "MM-18"),
    ("Pattaya", "TH", "TH-S"), ("Thừa Thiên - Huế", None, "VN-26"),
])
def test_resolve_province(name, country, iso):
    assert resolve_province(name, country) == iso


@pytest.mark.parametrize("name,country", [("Viangchan", "LA"), ("Atlantis", None), ("Bolikhamxay", "KH"), ("", None),
                                          ("FR-IDF", None), ("LA-BL", "VN")])
def test_resolve_province_gives_none_when_unknown_or_ambiguous(name, country):
    assert resolve_province(name, country) is None


def test_ambiguous_names_list_their_candidates():
    assert ProvinceIndex().candidates("Viangchan", "LA") == {"LA-VI", "LA-VT"}


def test_resolver_covers_every_reference_province():
    index = ProvinceIndex()
    with open(PROVINCES_CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 199
    for r in rows:
        assert r["iso"] in index.candidates(r["name"], r["country"])
        for v in filter(None, r["variants"].split("|")):
            assert r["iso"] in index.candidates(v, r["country"]), (r["iso"], v)


def test_label_point_is_inside_a_square():
    x, y = maps.label_point(SQUARE)
    assert (x, y) == pytest.approx((104.5, 18.5))
    assert math.isfinite(x)


def test_places_beyond_the_point_limit_are_counted_not_drawn(default_map, monkeypatch):
    data = default_map[0]
    drawn = int((data.places["placed_at"] == "point").sum())
    assert maps.points_not_drawn(data) == 0
    monkeypatch.setattr(map_data, "MAX_POINTS", 3)
    rows = maps.place_rows(data, lambda k, **v: k, "EUR", "en", "budgets")
    assert len(rows) == 3 and maps.points_not_drawn(data) == drawn - 3
    # the places with the most activities first
    most = data.places[data.places["placed_at"] == "point"]["n_projects"].nlargest(3).tolist()
    assert sorted((r["n_projects"] for r in rows), reverse=True) == most


def test_borders_are_simplified_for_drawing_without_losing_a_province_or_opening_gaps():
    import shapely
    from shapely.geometry import shape

    full = load_provinces_geojson()
    drawn = maps.for_drawing(full, maps.DRAW_TOLERANCE)
    vertices = lambda g: sum(shapely.get_num_coordinates(shape(f["geometry"])) for f in g["features"])  # noqa: E731
    assert vertices(drawn) < 0.6 * vertices(full)
    assert [f["properties"] for f in drawn["features"]] == [f["properties"] for f in full["features"]]
    before, after = ([shape(f["geometry"]) for f in g["features"]] for g in (full, drawn))
    assert all(g.is_valid and not g.is_empty for g in after)
    # each province stays where it was (its area within 5 %), and the neighbours still
    # share their borders: the union of all has no more holes than before
    for b, a in zip(before, after):
        assert abs(a.area - b.area) <= 0.05 * b.area, a  # the smallest, Kep (137 km²): 3.6 %
    holes = lambda gs: sum(len(p.interiors) for p in getattr(shapely.union_all(gs), "geoms", [shapely.union_all(gs)]))  # noqa: E731
    assert holes(after) <= holes(before)
    # the full geometry is left alone (place lookups use it)
    assert vertices(full) == vertices(load_provinces_geojson())


def test_a_user_file_whose_polygons_overlap_is_still_drawn_whole():
    square = [[100, 10], [100.5, 9.9999], [101, 10], [101, 11], [100, 11], [100, 10]]
    shifted = [[x + 0.5, y] for x, y in square]
    g = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"iso": k}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for k, ring in (("A", square), ("B", shifted))]}
    drawn = maps.for_drawing(g, maps.DRAW_TOLERANCE)
    from shapely.geometry import shape

    assert [f["properties"]["iso"] for f in drawn["features"]] == ["A", "B"]
    for before, after in zip(g["features"], drawn["features"]):
        a, b = shape(after["geometry"]), shape(before["geometry"])
        assert a.is_valid and abs(a.area - b.area) < 0.01 and len(a.exterior.coords) <= len(b.exterior.coords)


def test_city_bubbles_grow_with_activities_but_stay_on_the_map():
    # a few activities: as before, 6 + 3 * sqrt(n) pixels
    assert maps.city_radius(1, 3) == pytest.approx(9.0)
    assert maps.city_radius(3, 3) == pytest.approx(6 + 3 * math.sqrt(3))
    # thousands: the busiest city gets 22 pixels, the others their share by area
    assert maps.city_radius(3000, 3000) == pytest.approx(22.0)
    assert maps.city_radius(750, 3000) == pytest.approx(14.0)
    sizes = [maps.city_radius(n, 3000) for n in (1, 10, 100, 1000, 3000)]
    assert sizes == sorted(sizes) and max(sizes) <= 22.0


# ------------------------------------------------------------------ chosen place, one country, a project's map

def test_the_chosen_province_is_outlined(seed):
    boundaries = load_provinces_geojson()
    data = map_data.collect(querier(seed), "budget", boundaries)
    deck, _ = maps.build_deck(data, boundaries, load_countries_geojson(), maps.MapOptions(), t_en, "EUR", "en",
                              "Budgets", selected="LA-BL")
    spec = json.loads(deck.to_json())
    (feature,) = layer(spec, "selected")["data"]["features"]
    assert feature["properties"]["iso"] == "LA-BL" and feature["properties"]["name"] == "Bolikhamxay"
    assert "selected" not in [lyr["id"] for lyr in build(seed)[3]["layers"]]  # nothing chosen, nothing outlined


def test_one_country_frames_the_map_on_it():
    west, south, east, north = maps.country_bounds(load_countries_geojson(), "LA")
    assert 99.5 < west < 100.5 and 13.4 < south < 14.2 and 107.4 < east < 108.2 and 22.2 < north < 23.0
    laos = maps.initial_view(900, 800, bounds=(west, south, east, north))
    assert laos.zoom > maps.initial_view(900, 800).zoom + 0.5
    assert maps.country_bounds(load_countries_geojson(), "FR") is None


def test_a_project_map_shows_its_provinces_and_points():
    import pandas as pd

    places = pd.DataFrame({"name": ["Bolikhamxay", "Pakxan"], "province": ["LA-BL", "LA-BL"],
                           "lat": [None, 18.39], "lon": [None, 103.66]})
    deck = maps.project_deck(places, load_provinces_geojson(), load_countries_geojson())
    spec = json.loads(deck.to_json())
    assert [f["properties"]["iso"] for f in layer(spec, "project-provinces")["data"]["features"]] == ["LA-BL"]
    assert [p["name"] for p in layer(spec, "project-points")["data"]] == ["Pakxan"]
    assert 102 < spec["initialViewState"]["longitude"] < 105.5 and spec["initialViewState"]["zoom"] > 5
    assert maps.project_deck(places.iloc[0:0], load_provinces_geojson(), load_countries_geojson()) is None


def test_borders_are_segments_drawn_once():
    """The lines layer: a border two provinces share is one segment; an edge of one
    province along a country outline is left to the outline; the others stay."""
    def square(iso, x0, x1):
        return {"type": "Feature", "properties": {"iso": iso},
                "geometry": {"type": "Polygon", "coordinates": [[[x0, 10], [x1, 10], [x1, 11], [x0, 11], [x0, 10]]]}}
    two = {"type": "FeatureCollection", "features": [square("A", 100, 101), square("B", 101, 102)]}
    segs = maps.segments(two)
    assert len(segs) == 7  # 8 edges, the shared one once
    outline = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
        "type": "LineString", "coordinates": [[100, 10], [100, 11]]}}]}
    kept = maps.segments(two, hidden_by=outline, within=0.01)
    assert len(kept) == 6 and [100, 10, 100, 11] not in kept and [100, 11, 100, 10] not in kept
    assert [101, 10, 101, 11] in kept  # the shared border stays even where an outline would cover it
    drawn = maps.for_drawing(load_provinces_geojson(), maps.DRAW_TOLERANCE,
                             outlines=maps.for_drawing(load_countries_geojson(), maps.DRAW_TOLERANCE, coverage=False))
    assert maps.segments(drawn) is drawn[maps.SEGMENTS]  # found once, not at each rerun
    assert 3000 < len(drawn[maps.SEGMENTS]) < 6000


def test_only_the_points_drawn_and_the_places_listed_come_back(seed, default_map, monkeypatch):
    """map_places.sql returns the MAX_POINTS busiest points and every place the map lists
    beside it, not the tens of thousands of points a large portfolio has; how many points
    there are and how far they spread still count all of them."""
    full = default_map[0]
    points = full.places[full.places["placed_at"] == "point"]
    assert full.n_points == len(points) == 9
    assert full.point_bounds == pytest.approx((points["lon"].min(), points["lat"].min(),
                                               points["lon"].max(), points["lat"].max()))
    monkeypatch.setattr(map_data, "MAX_POINTS", 3)
    small, *_ = build(seed)
    listed = full.places[(full.places["placed_at"] != "point") | full.places["reason"].notna()]
    expected = set(points["location_id"][:3]) | set(listed["location_id"])
    assert set(small.places["location_id"]) == expected and len(small.places) < len(full.places)
    # the rows kept are the same rows, in the same order
    kept = full.places[full.places["location_id"].isin(expected)].reset_index(drop=True)
    pd.testing.assert_frame_equal(small.places.reset_index(drop=True), kept)
    assert (small.n_points, small.point_bounds) == (full.n_points, full.point_bounds)
    assert maps.points_not_drawn(small) == 9 - 3
    assert maps.data_bounds(small, load_provinces_geojson()) == maps.data_bounds(full, load_provinces_geojson())
    # a city's activities, whether its places were kept or not
    cities = {int(c) for c in full.places["city_id"].dropna()}
    assert cities and all(small.projects_at(f"city:{c}").equals(full.projects_at(f"city:{c}")) for c in cities)
