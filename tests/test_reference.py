"""The reference data loads into the schema and holds the expected codes, names and places."""
import csv
import json
from pathlib import Path

import duckdb
import pytest
from shapely.geometry import Point, shape

from mekong.reference import load
from mekong.reference.names import name_key

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "reference"
MEKONG = ["KH", "LA", "MM", "TH", "VN"]


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute((ROOT / "mekong" / "store" / "sql" / "schema.sql").read_text())
    load.load_reference(con, DATA)
    load.load_fx_rates(con)
    return con


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()


def test_codelists(con):
    assert one(con, "SELECT count(DISTINCT list) FROM codelist")[0] >= 17
    for lst in ["ActivityStatus", "OrganisationRole", "TransactionType", "BudgetType",
                "BudgetStatus", "OrganisationType", "SectorVocabulary", "RegionVocabulary",
                "ActivityDateType", "GeographicVocabulary", "GeographicExactness", "Currency",
                "DescriptionType", "AidType", "FlowType", "FinanceType"]:
        assert one(con, "SELECT count(*) FROM codelist WHERE list = ?", lst)[0] > 0, lst
    assert one(con, "SELECT name_en, name_fr FROM codelist WHERE list = 'ActivityStatus' "
                    "AND code = '2' AND version = '2'") == ("Implementation", "Actif")
    # one row per code and major version of the standard; names differ where IATI renamed a code
    assert one(con, "SELECT count(*) FROM codelist WHERE list = 'ActivityStatus' AND version = '2'")[0] == 6
    assert one(con, "SELECT count(*) FROM (SELECT list, code FROM codelist GROUP BY ALL HAVING count(*) <> 2)")[0] == 0
    assert [r[0] for r in con.execute("SELECT name_en FROM codelist WHERE list = 'ActivityStatus' AND code IN ('3', '4') "
                                      "ORDER BY code, version").fetchall()] == [
        "Completion", "Finalisation", "Post-completion", "Closed"]
    assert one(con, "SELECT count(*) FROM codelist WHERE list = 'TransactionType' AND version = '2'")[0] == 13
    assert one(con, "SELECT name_fr FROM codelist WHERE list = 'TransactionType' AND code = '3' AND version = '2'")[0] is None
    assert one(con, "SELECT name_en FROM codelist WHERE list = 'Currency' AND code = 'LAK' AND version = '2'")[0] == "Kip"
    assert one(con, "SELECT count(*) FROM codelist WHERE list = 'Currency' AND version = '2'")[0] == 169


def test_sectors(con):
    assert one(con, "SELECT count(*) FROM sector")[0] == 290  # pyIATI's 285 and 5 newer DAC codes
    assert one(con, "SELECT name_en, name_fr, category FROM sector WHERE code = '12264'") == (
        "COVID-19 control", "Lutte contre la COVID-19", "122")
    assert one(con, "SELECT count(*) FROM sector_category")[0] == 43
    assert one(con, "SELECT name_en, name_fr, category FROM sector WHERE code = '43040'") == (
        "Rural development", "Développement rural", "430")
    assert one(con, "SELECT count(*) FROM sector WHERE length(code) <> 5")[0] == 0
    # every sector's category exists
    assert one(con, "SELECT count(*) FROM sector s ANTI JOIN sector_category c "
                    "ON s.category = c.code")[0] == 0
    # the documented correction of 15170 (pyIATI gives it 15113's French name)
    fr_15113, fr_15170 = (one(con, "SELECT name_fr FROM sector WHERE code = ?", c)[0]
                          for c in ("15113", "15170"))
    assert fr_15113 != fr_15170 and "égalité" in fr_15170
    assert one(con, "SELECT count(*) FROM sector WHERE name_fr IS NOT NULL")[0] == 264


def test_regions(con):
    assert one(con, "SELECT count(*) FROM region WHERE vocabulary = '1'")[0] == 17
    assert one(con, "SELECT name_en, name_fr FROM region WHERE vocabulary = '99' AND code = 'MEKONG'") == (
        "Mekong region", "Région du Mékong")
    assert one(con, "SELECT name_fr FROM region WHERE vocabulary = '1' AND code = '789'")[0] == \
        "Extrême-Orient, régional"


def test_countries(con):
    assert one(con, "SELECT count(*) FROM country")[0] == 249
    assert one(con, "SELECT name_fr FROM country WHERE iso2 = 'LA'")[0] == "Laos"
    assert one(con, "SELECT name_en, iso3 FROM country WHERE iso2 = 'VN'") == ("Viet Nam", "VNM")
    assert one(con, "SELECT name_en FROM country WHERE iso2 = 'LA'")[0] == "Laos"
    assert one(con, "SELECT name_fr FROM country WHERE iso2 = 'KH'")[0] == "Cambodge"
    assert [r[0] for r in con.execute(
        "SELECT iso2 FROM country WHERE mekong ORDER BY 1").fetchall()] == MEKONG
    assert one(con, "SELECT count(*) FROM country WHERE name_fr IS NULL")[0] == 0


def test_provinces(con):
    counts = dict(con.execute("SELECT country, count(*) FROM province WHERE coalesce(generation, '2024') = '2024' "
                              "GROUP BY 1").fetchall())
    assert counts == {"KH": 25, "LA": 18, "MM": 15, "TH": 78, "VN": 63}
    # and Viet Nam's 34 units of 2025 beside its 63 former provinces
    assert one(con, "SELECT count(*) FROM province WHERE generation = '2025'")[0] == 34
    assert one(con, "SELECT name, variants, in_boundaries, note FROM province WHERE iso = 'VN-N08'") == (
        "Tuyên Quang", ["Tuyen Quang"], True, "Since 1 July 2025; before: Hà Giang, Tuyên Quang.")
    for iso in ["KH-25", "LA-XS", "MM-18", "VN-SG", "VN-HN", "TH-10", "KH-12", "LA-VT"]:
        assert one(con, "SELECT count(*) FROM province WHERE iso = ?", iso)[0] == 1, iso
    undrawn = [r[0] for r in con.execute(
        "SELECT iso FROM province WHERE NOT in_boundaries ORDER BY 1").fetchall()]
    assert undrawn == ["KH-25", "LA-XS", "MM-18", "TH-S"]
    # an undrawn province explains itself
    assert one(con, "SELECT count(*) FROM province WHERE NOT in_boundaries AND note IS NULL")[0] == 0
    variants = one(con, "SELECT variants FROM province WHERE iso = 'LA-BL'")[0]
    assert {"Bolikhamxai", "Borikhamxay", "Bolikhamsai"} <= set(variants)
    assert "Siem Reap" == one(con, "SELECT name FROM province WHERE iso = 'KH-17'")[0]
    assert "Siem Reab" in one(con, "SELECT variants FROM province WHERE iso = 'KH-17'")[0]  # ISO 3166-2's
    # one name per place, as people write it; ISO's kept for search and import
    assert con.execute("SELECT iso, name FROM province WHERE iso IN ('LA-BL', 'LA-VI', 'LA-VT', 'TH-10') ORDER BY iso"
                       ).fetchall() == [("LA-BL", "Bolikhamxay"), ("LA-VI", "Vientiane Province"),
                                        ("LA-VT", "Vientiane Capital"), ("TH-10", "Bangkok")]
    assert "Bolikhamxai" in variants and "Bolikhamxay" not in variants
    assert "Saigon" in one(con, "SELECT variants FROM province WHERE iso = 'VN-SG'")[0]
    assert "Rangoon" in one(con, "SELECT variants FROM province WHERE iso = 'MM-06'")[0]


def test_variant_keys_are_unambiguous(con):
    """Within a country, a spelling's matching key points to one province (LA-VI and LA-VT
    share pycountry's 'Viangchan', the one expected exception). Viet Nam's 2025 units
    bear the names of former provinces: each generation is unambiguous on its own."""
    seen = {}
    for iso, country, name, variants in con.execute(
            "SELECT iso, country, name, variants FROM province WHERE coalesce(generation, '2024') = '2024'").fetchall():
        for v in [name, *variants]:
            seen.setdefault((country, name_key(v)), set()).add(iso)
    clashes = {k: v for k, v in seen.items() if len(v) > 1}
    assert clashes == {("LA", "viangchan"): {"LA-VI", "LA-VT"}}
    new = {}
    for iso, name, variants in con.execute(
            "SELECT iso, name, variants FROM province WHERE generation = '2025'").fetchall():
        for v in [name, *variants]:
            new.setdefault(name_key(v), set()).add(iso)
    assert len(new) == 34 and all(len(v) == 1 for v in new.values())


def test_boundaries():
    provinces = load.load_provinces_geojson("2024")
    rows = csv.DictReader((DATA / "provinces.csv").read_text(encoding="utf-8").splitlines())
    isos = {r["iso"] for r in rows if r["in_boundaries"] == "true"}
    features = provinces["features"]
    assert len(features) == 195
    # the default: Viet Nam's 63 former provinces replaced by its 34 units of 2025
    now = load.load_provinces_geojson()["features"]
    assert len(now) == 195 - 63 + 34
    assert {f["properties"]["iso"] for f in now if f["properties"]["country"] == "VN"} == {
        r["unit"] for r in csv.DictReader((DATA / "vn_2025_crosswalk.csv").read_text(encoding="utf-8").splitlines())}
    assert {f["properties"]["iso"] for f in features} == isos
    for f in features:
        assert set(f["properties"]) == {"iso", "country", "name"}
        assert f["properties"]["iso"].startswith(f["properties"]["country"] + "-")
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert shape(f["geometry"]).is_valid, f["properties"]["iso"]
    size = sum(load.boundaries_path(n).stat().st_size for n in ("provinces", "countries"))
    assert size < 800_000
    outlines = load.load_countries_geojson()["features"]
    assert sorted(f["properties"]["iso2"] for f in outlines) == MEKONG
    assert all(f["geometry"]["type"] in ("LineString", "MultiLineString") for f in outlines)
    # known points fall in the right polygon
    shapes = {f["properties"]["iso"]: shape(f["geometry"]) for f in features}
    assert shapes["LA-BL"].contains(Point(103.66, 18.39))      # Pakxan
    assert shapes["VN-53"].contains(Point(105.83, 22.15))      # Bắc Kạn town


KNOWN = {  # name: (country, lat, lon, province)
    "Phnom Penh": ("KH", 11.56, 104.92, "KH-12"),
    "Siem Reap": ("KH", 13.36, 103.86, "KH-17"),
    "Vientiane": ("LA", 17.97, 102.60, "LA-VT"),
    "Hanoi": ("VN", 21.02, 105.84, "VN-HN"),
    "Ho Chi Minh City": ("VN", 10.82, 106.63, "VN-SG"),
    "Bangkok": ("TH", 13.75, 100.50, "TH-10"),
    "Yangon": ("MM", 16.80, 96.16, "MM-06"),
}


def test_cities(con):
    for name, (country, lat, lon, province) in KNOWN.items():
        row = one(con, "SELECT lat, lon, province, capital FROM city WHERE name = ? AND country = ?",
                  name, country)
        assert row is not None, name
        assert abs(row[0] - lat) < 0.1 and abs(row[1] - lon) < 0.1, (name, row)
        assert row[2] == province and row[3], (name, row)
    capitals = dict(con.execute("SELECT country, count(*) FROM city WHERE capital GROUP BY 1").fetchall())
    assert capitals == {"KH": 25, "LA": 17, "MM": 15, "TH": 77, "VN": 63}
    national = con.execute("SELECT name FROM city WHERE basis LIKE 'national capital%' ORDER BY 1").fetchall()
    assert [r[0] for r in national] == ["Bangkok", "Hanoi", "Nay Pyi Taw", "Phnom Penh", "Vientiane"]
    assert one(con, "SELECT count(*) FROM city WHERE NOT capital AND population <= 100000")[0] == 0
    assert one(con, "SELECT count(*) FROM city WHERE population > 100000")[0] >= 230
    # every city's province is a known province of its country
    assert one(con, "SELECT count(*) FROM city c ANTI JOIN province p "
                    "ON c.province = p.iso AND c.country = p.country")[0] == 0
    assert one(con, "SELECT province FROM city WHERE name = 'Nay Pyi Taw'")[0] == "MM-18"


def test_fx_rates(con):
    usd = one(con, "SELECT per_eur FROM fx_rate WHERE currency = 'USD' AND day = '2009-10-01'")[0]
    assert 1.45 <= usd <= 1.47
    assert one(con, "SELECT min(day) FROM fx_rate WHERE currency = 'THB'")[0].isoformat() == "2005-04-01"
    assert one(con, "SELECT count(*) FROM fx_rate WHERE currency = 'THB' AND day < '2005-04-01'")[0] == 0
    assert one(con, "SELECT per_eur FROM fx_rate WHERE currency = 'EUR' AND day = '2009-10-01'")[0] == 1.0
    assert one(con, "SELECT count(*) FROM fx_rate WHERE per_eur IS NULL OR per_eur <= 0")[0] == 0
    # one rate per currency and day
    assert one(con, "SELECT count(*) FROM (SELECT currency, day FROM fx_rate GROUP BY ALL "
                    "HAVING count(*) > 1)")[0] == 0
    days = one(con, "SELECT count(DISTINCT day) FROM fx_rate")[0]
    assert one(con, "SELECT count(*) FROM fx_rate WHERE currency = 'EUR'")[0] == days > 7000


def test_csv_files_are_sorted_and_clean():
    for fname, key in [("codelists.csv", None), ("sectors.csv", "code"), ("countries.csv", "iso2"),
                       ("cities.csv", "geonameid")]:
        text = (DATA / fname).read_text(encoding="utf-8")
        assert "\r" not in text and text.endswith("\n")
        if key:
            rows = list(csv.DictReader(text.splitlines()))
            keys = [int(r[key]) if key == "geonameid" else r[key] for r in rows]
            assert keys == sorted(keys) and len(set(keys)) == len(keys), fname
    json.loads(load.boundaries_path().read_text(encoding="utf-8"))


def test_name_matching_of_boundary_features():
    from mekong.reference.boundaries import match_features
    geoms = [{"id": "LA.BL", "properties": {"name": "Bolikhamxai"}},
             {"id": "LA.VT", "properties": {"name": "Vientiane [prefecture]"}},
             {"id": "LA.VI", "properties": {"name": "Vientiane"}},
             {"id": "-99", "properties": {"name": None}}]
    assert match_features("LA", geoms) == {0: "LA-BL", 1: "LA-VT", 2: "LA-VI"}
    assert match_features("VN", [{"id": "VN.", "properties": {"name": "Đông Bắc"}},
                                 {"id": "VN.HC", "properties": {"name": "Hồ Chí Minh city"}}]) == \
        {0: "VN-53", 1: "VN-SG"}
    with pytest.raises(ValueError, match="Atlantis"):
        match_features("KH", [{"id": "KH.XX", "properties": {"name": "Atlantis"}}])


def test_decode_arcs_applies_the_transform():
    from mekong.reference.boundaries import decode_arcs
    topo = {"transform": {"scale": [0.5, 0.25], "translate": [100.0, 10.0]},
            "arcs": [[[0, 0], [2, 0], [0, 4], [-2, 0], [0, -4]]]}
    assert decode_arcs(topo) == [[(100.0, 10.0), (101.0, 10.0), (101.0, 11.0), (100.0, 11.0),
                                  (100.0, 10.0)]]


def test_one_country_name_per_language_the_others_still_read(con):
    """Viet Nam and Myanmar as people in the region and the UN write them; CLDR's
    'Vietnam' and 'Myanmar (Burma)' still name the country in an imported file."""
    from mekong.importers.places import Places

    assert con.execute("SELECT iso2, name_en, name_fr FROM country WHERE iso2 IN ('MM', 'VN') ORDER BY iso2").fetchall() == [
        ("MM", "Myanmar", "Myanmar"), ("VN", "Viet Nam", "Viêt Nam")]
    places = Places()
    assert [places.country_of(n) for n in ("Vietnam", "VIET NAM", "Viêt Nam", "Burma", "Myanmar (Burma)", "Laos")] == [
        "VN", "VN", "VN", "MM", "MM", "LA"]
