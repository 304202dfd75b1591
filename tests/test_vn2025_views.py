"""Viet Nam's provinces in either generation: the 34 units since 1 July 2025 (the default)
and the 63 before. Hand-computed on a small fixture (every amount in EUR, Viet Nam 100 %):

V1  Quảng Ninh (VN-13, unchanged: unit VN-N22)                    1000
V2  Hà Giang (VN-03, part of Tuyên Quang VN-N08 since 2025)         600
V3  Hà Giang and Tuyên Quang (VN-03, VN-07): 200 each              400
V4  recorded in the 2025 unit Tuyên Quang itself (VN-N08)          100

2025: VN-N22 1000 (1 activity), VN-N08 1100 (3: V3 once).
2024: VN-13 1000, VN-03 800 (2), VN-07 200 (1), VN-N08 100 (1, no single former province).
"""
import datetime as dt
import json
from dataclasses import replace

import pytest
from shapely.geometry import shape

from mekong.importers.places import Places
from mekong.paths import REFERENCE_DIR
from mekong.reference.places import resolve_province
from mekong.reference.vn2025 import crosswalk
from mekong.store.db import Portfolio
from mekong.views import breakdowns
from mekong.views import filters as flt
from tests.fixture_db import build_fixture

FACTS = """
INSERT INTO document (document_id, title, publisher, file, language, kind) VALUES ('doc', 'Fixture', 'Tests', 'fixture', 'en', 'seed');
INSERT INTO source VALUES ('src', 'doc', 'fixture passage', NULL);
INSERT INTO organisation (org_id, ref, name_en, name_fr, type, source_id) VALUES ('A', NULL, 'Donor A', NULL, NULL, 'src');
INSERT INTO project (project_id, code, title_en, status, hierarchy, document_id, source_id) VALUES
  ('V1', 'V-1', 'Quang Ninh', '2', 1, 'doc', 'src'), ('V2', 'V-2', 'Ha Giang', '2', 1, 'doc', 'src'),
  ('V3', 'V-3', 'Ha Giang and Tuyen Quang', '2', 1, 'doc', 'src'), ('V4', 'V-4', 'New Tuyen Quang', '2', 1, 'doc', 'src');
INSERT INTO participation VALUES ('V1', 'A', 'funding', 'src'), ('V2', 'A', 'funding', 'src'),
  ('V3', 'A', 'funding', 'src'), ('V4', 'A', 'funding', 'src');
INSERT INTO project_country VALUES ('V1', 'VN', 100, 'src'), ('V2', 'VN', 100, 'src'), ('V3', 'VN', 100, 'src'),
  ('V4', 'VN', 100, 'src');
INSERT INTO location VALUES
  ('LQN', 'Quang Ninh', 'province', 'VN', 'VN-13', NULL, NULL, NULL, 'src'),
  ('LHG', 'Ha Giang', 'province', 'VN', 'VN-03', NULL, NULL, NULL, 'src'),
  ('LTQ', 'Tuyen Quang', 'province', 'VN', 'VN-07', NULL, NULL, NULL, 'src'),
  ('LTQ2', 'Tuyên Quang (2025)', 'province', 'VN', 'VN-N08', NULL, NULL, NULL, 'src');
INSERT INTO project_location VALUES ('V1', 'LQN', NULL, 'src'), ('V2', 'LHG', NULL, 'src'),
  ('V3', 'LHG', NULL, 'src'), ('V3', 'LTQ', NULL, 'src'), ('V4', 'LTQ2', NULL, 'src');
INSERT INTO budget (budget_id, project_id, kind, type, contributor_org_id, amount, currency, period_start, period_end, value_date, source_id) VALUES
  ('b1', 'V1', 'budget', 'original', NULL, 1000, 'EUR', '2020-01-01', '2020-12-31', '2020-06-15', 'src'),
  ('b2', 'V2', 'budget', 'original', NULL, 600, 'EUR', '2020-01-01', '2020-12-31', '2020-06-15', 'src'),
  ('b3', 'V3', 'budget', 'original', NULL, 400, 'EUR', '2020-01-01', '2020-12-31', '2020-06-15', 'src'),
  ('b4', 'V4', 'budget', 'original', NULL, 100, 'EUR', '2020-01-01', '2020-12-31', '2020-06-15', 'src');
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return Portfolio(build_fixture(tmp_path_factory.mktemp("vn") / "vn.duckdb", FACTS))


def run(db, name, f=None, **extra):
    params = {**(f or flt.Filters()).params(), "lang": "en", "today": dt.date(2026, 1, 1), "q": "", "limit": 1000,
              "flow": "budget", "project_id": "V3", **extra}
    return db.frame(name, params)


def by_province(db, f):
    df = breakdowns.part(run(db, "funding_breakdowns", f, parts=["province"], **breakdowns.LIMITS), "province")
    return {k: (round(v, 6), n) for k, v, n in zip(df["key"], df["value"], df["n_projects"])}


F25, F24 = flt.Filters(), flt.Filters(vn="2024")


def test_totals_by_province_in_both_generations(db):
    new = by_province(db, F25)
    new.pop("~national", None)   # nothing is left unlocated here
    assert new == {"VN-N22": (1000, 1), "VN-N08": (1100, 3)}
    old = by_province(db, F24)
    old.pop("~national", None)
    assert old == {"VN-13": (1000, 1), "VN-03": (800, 2), "VN-07": (200, 1), "VN-N08": (100, 1)}
    # each 2025 unit is the sum of its former provinces (and what names the unit itself)
    assert new["VN-N08"][0] == old["VN-03"][0] + old["VN-07"][0] + old["VN-N08"][0]
    assert new["VN-N22"][0] == old["VN-13"][0]
    # money is the same in both views
    assert sum(v for k, (v, _) in new.items() if not k.startswith("~")) == \
        sum(v for v, _ in old.values()) == 2100


def test_map_counts_each_activity_once(db):
    p25 = run(db, "map_provinces", F25).set_index("iso")
    assert p25.loc["VN-N08", "n_projects"] == 3 and p25.loc["VN-N22", "n_projects"] == 1
    assert bool(p25.loc["VN-N08", "in_boundaries"]) and p25.loc["VN-N08", "name"] == "Tuyên Quang"
    assert "VN-03" not in p25.index and len([i for i in p25.index if i.startswith("VN-")]) == 34
    p24 = run(db, "map_provinces", F24).set_index("iso")
    assert (p24.loc["VN-03", "n_projects"], p24.loc["VN-07", "n_projects"], p24.loc["VN-13", "n_projects"]) == (2, 1, 1)
    # the unit recorded as such has no former province to be drawn in: listed, not drawn
    assert p24.loc["VN-N08", "n_projects"] == 1 and not p24.loc["VN-N08", "in_boundaries"]
    assert len([i for i in p24.index if i.startswith("VN-") and p24.loc[i, "in_boundaries"]]) == 63


def test_province_filter_in_either_generation(db):
    total = lambda f: run(db, "overview_headline", f).iloc[0]["total"]  # noqa: E731
    assert total(replace(F25, province=("VN-N08",))) == pytest.approx(1100)
    assert total(replace(F25, province=("VN-N22",))) == pytest.approx(1000)
    assert total(replace(F24, province=("VN-03",))) == pytest.approx(800)
    assert total(replace(F24, province=("VN-07",))) == pytest.approx(200)
    assert total(replace(F24, province=("VN-13",))) == pytest.approx(1000)
    assert run(db, "overview_headline", F25).iloc[0]["n_provinces"] == 2
    assert run(db, "overview_headline", F24).iloc[0]["n_provinces"] == 4
    options = run(db, "filter_options", F25)
    assert set(options.loc[options["dimension"] == "province", "value"]) == {"VN-N08", "VN-N22"}
    options = run(db, "filter_options", F24)
    assert set(options.loc[options["dimension"] == "province", "value"]) == {"VN-03", "VN-07", "VN-13", "VN-N08"}


def test_places_keep_what_the_record_states(db):
    places = run(db, "map_places", F25, drawn=[], max_points=100).set_index("location_id")
    assert (places.loc["LHG", "province"], places.loc["LHG", "province_name"]) == ("VN-N08", "Tuyên Quang")
    assert (places.loc["LHG", "stated_province"], places.loc["LHG", "stated_province_name"]) == ("VN-03", "Hà Giang")
    assert not isinstance(places.loc["LTQ2", "stated_province"], str)
    old = run(db, "map_places", F24, drawn=[], max_points=100).set_index("location_id")
    assert old.loc["LHG", "province"] == "VN-03" and not isinstance(old.loc["LHG", "stated_province"], str)
    pp = run(db, "project_places", F25).set_index("code")
    assert (pp.loc["LHG", "province"], pp.loc["LHG", "shown"], pp.loc["LHG", "shown_name"]) == ("VN-03", "VN-N08", "Tuyên Quang")


def test_url_round_trip_of_the_generation():
    options = flt.Options()
    f, ignored = flt.from_query({"vn": ["2024"]}, options)
    assert f.vn == "2024" and not ignored
    f, ignored = flt.from_query({}, options)
    assert f.vn == "2025"
    f, ignored = flt.from_query({"vn": ["1999"]}, options)
    assert f.vn == "2025" and [(i.param, i.value) for i in ignored] == [("vn", "1999")]
    assert flt.Filters(province=("VN-N08",)).params()["province"] == ["VN-N08", "VN-03", "VN-07"]


def test_a_point_in_each_new_unit_finds_its_former_province_and_unit():
    places = Places()
    unit_of = {r["former_iso"]: r["unit"] for r in crosswalk()}
    units = json.loads((REFERENCE_DIR / "boundaries" / "vn_provinces_2025.geojson").read_text(encoding="utf-8"))
    assert len(units["features"]) == 34
    for feat in units["features"]:
        p = shape(feat["geometry"]).representative_point()
        former = places.province_by_point(p.y, p.x)
        assert unit_of[former] == feat["properties"]["iso"]


@pytest.mark.parametrize("names, codes, expected", [
    ([], ["VN-N08"], "VN-N08"),            # a 2025 unit's code
    ([], ["vn-n22"], "VN-N22"),
    ([], ["VN-03"], "VN-03"),              # a former province's ISO code
    (["Hà Giang"], [], "VN-03"), (["Ha Giang"], [], "VN-03"), (["Tỉnh Hà Giang"], [], "VN-03"),
    (["Tuyên Quang"], [], "VN-07"), (["Tuyen Quang province"], [], "VN-07"),
    (["Quảng Ninh"], [], "VN-13"), (["Quang Ninh"], [], "VN-13"),
    (["Huế"], [], "VN-26"), (["Thua Thien Hue"], [], "VN-26"),
])
def test_imports_read_codes_and_names_of_either_generation(names, codes, expected):
    m = Places().match(names, codes, None, None, {"VN"}, False)
    assert (m.province, m.country) == (expected, "VN")


def test_the_resolver_knows_the_unit_codes():
    assert resolve_province("VN-N08") == "VN-N08"
    assert resolve_province("Tuyên Quang", "VN") == "VN-07"
    assert resolve_province("VN-N99") is None


def test_command_line_totals_by_province_in_either_generation(db):
    from mekong.exports.totals import totals
    new = {b["key"]: b["amount"] for b in totals(db, "", by="province")["buckets"]}
    old = {b["key"]: b["amount"] for b in totals(db, "vn=2024", by="province")["buckets"]}
    assert (new["VN-N08"], new["VN-N22"]) == (1100.0, 1000.0)
    assert (old["VN-03"], old["VN-07"], old["VN-13"], old["VN-N08"]) == (800.0, 200.0, 1000.0, 100.0)
