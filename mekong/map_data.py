"""What the map shows, gathered from the queries (no Streamlit, no drawing).

`collect(q, flow, boundaries)` runs the map's queries through `q(name, **extra)` (a query
under the current filters, as in mekong/panels.py) and puts the answers together with the
boundaries in use: the bundled file or one the user supplied.

- Provinces: money from funding_by_province.sql (equal split between the provinces an
  activity names in a country) and the number of activities naming a place there.
  A province with money or activities that the boundaries do not draw is listed beside
  the map, never dropped.
- National / regional money (no province named) from map_national.sql.
- Places: drawn as points when they have coordinates; the others, and those whose
  province cannot be shown, are listed with the reason (`classify_places`).
- Cities: a city's activities are those with a place at it (map_places.sql: the nearest
  city within 10 km, or a city of the same name when the place has no coordinates).
"""
import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from mekong.places import ProvinceIndex

Query = Callable[..., pd.DataFrame]

# Why a place is listed beside the map rather than (only) drawn on it.
NO_COORDINATES = "no_coordinates"          # counted in its province, no point
PROVINCE_NOT_DRAWN = "province_not_drawn"  # its province has no polygon in the boundaries
UNKNOWN_PROVINCE = "unknown_province"      # a province code that is not ISO 3166-2 of the five countries
NO_PROVINCE = "no_province"                # no province recorded: its money is national
COUNTRY_LEVEL = "country_level"            # the place is a whole country

_HOST = re.compile(r"lies in the ([A-Z]{2}-[A-Z0-9]{1,3}) polygon")


@dataclass
class MapData:
    provinces: pd.DataFrame      # iso, name, country, country_name, drawn, value, approximate, n_projects, note,
                                 # host (polygon it lies in, per the note), shown_in (host when drawn)
    national: pd.DataFrame       # key, label, value, approximate, n_projects
    located_split_unknown: pd.DataFrame  # funding_by_province's '~split_unknown' (one row or none)
    places: pd.DataFrame         # map_places + placed_at, reason
    cities: pd.DataFrame         # map_cities + n_projects, projects
    place_projects: pd.DataFrame  # map_place_projects

    @property
    def undrawn(self) -> pd.DataFrame:
        """Provinces with activities or money that the boundaries do not draw."""
        p = self.provinces
        return p[~p["drawn"] & ((p["n_projects"] > 0) | p["value"].notna())]

    @property
    def unplaced(self) -> pd.DataFrame:
        return self.places[self.places["reason"].notna()]

    def projects_at(self, key: str) -> pd.DataFrame:
        """The activities of a province (ISO code) or a city ('city:<geonameid>')."""
        pp = self.place_projects
        if key.startswith("city:"):
            ids = self.places.loc[self.places["city_id"] == int(key[5:]), "location_id"]
            rows = pp[pp["location_id"].isin(ids)]
        else:
            rows = pp[pp["province"] == key]
        return rows.drop_duplicates("project_id")[["project_id", "code", "title"]].reset_index(drop=True)


def host_polygon(note) -> str | None:
    """The drawn province an undrawn one lies in, as the reference note states it
    ('... Suong (GeoNames 1822019) lies in the KH-3 polygon.')."""
    m = _HOST.search(note) if isinstance(note, str) else None
    return m.group(1) if m else None


def drawn_codes(geojson: dict) -> set[str]:
    return {f["properties"]["iso"] for f in geojson["features"]}


def classify_places(places: pd.DataFrame, drawn: set[str]) -> pd.DataFrame:
    """Add `placed_at` ('point', 'province' or 'beside') and `reason` (None when the
    place is fully on the map) to map_places rows, for the boundaries drawing `drawn`."""
    placed, reasons = [], []
    for r in places.itertuples():
        has_point = pd.notna(r.lat) and pd.notna(r.lon) and r.kind not in ("country", "province")
        province = r.province if isinstance(r.province, str) else None
        if r.kind == "country":
            where, why = "beside", COUNTRY_LEVEL
        elif province is None:
            where, why = ("point" if has_point else "beside"), NO_PROVINCE
        elif not r.province_known:
            where, why = ("point" if has_point else "beside"), UNKNOWN_PROVINCE
        elif province not in drawn:
            where, why = ("point" if has_point else "beside"), PROVINCE_NOT_DRAWN
        elif has_point:
            where, why = "point", None
        else:
            where, why = "province", None if r.kind == "province" else NO_COORDINATES
        placed.append(where)
        reasons.append(why)
    out = places.copy()
    out["placed_at"] = placed
    out["reason"] = reasons
    return out


def suggest_provinces(places: pd.DataFrame, index: ProvinceIndex | None = None) -> pd.DataFrame:
    """Add `suggested`: for a place of kind province whose province is missing or not a
    known code, the ISO code its name matches (name variants, accents and case ignored),
    as a hint for whoever fixes the data. The map does not use it: money follows the
    recorded province only."""
    index = index or ProvinceIndex()
    out = places.copy()
    out["suggested"] = [
        index.resolve(r.name, r.country if isinstance(r.country, str) else None)
        if r.kind == "province" and r.reason in (NO_PROVINCE, UNKNOWN_PROVINCE) else None
        for r in places.itertuples()]
    return out


def _cities(cities: pd.DataFrame, places: pd.DataFrame, place_projects: pd.DataFrame) -> pd.DataFrame:
    at = places.dropna(subset=["city_id"])[["location_id", "city_id"]]
    pairs = at.merge(place_projects[["location_id", "project_id", "code", "title"]], on="location_id")
    pairs["label"] = pairs["code"].where(pairs["code"].notna(), pairs["title"])
    grouped = pairs.drop_duplicates(["city_id", "project_id"]).groupby("city_id").agg(
        n_projects=("project_id", "size"), projects=("label", lambda s: "; ".join(sorted(s))))
    out = cities.merge(grouped, left_on="geonameid", right_index=True, how="left")
    out["n_projects"] = out["n_projects"].fillna(0).astype(int)
    return out


def collect(q: Query, flow: str, boundaries: dict) -> MapData:
    """Everything the map page draws or lists, under the filters `q` applies."""
    drawn = drawn_codes(boundaries)
    provinces = q("map_provinces")
    money = q("funding_by_province", flow=flow)
    located = money[~money["key"].str.startswith("~")][["key", "value", "approximate"]]
    provinces = provinces.merge(located, left_on="iso", right_on="key", how="left").drop(columns="key")
    # money on a province code no place carries cannot happen, but a code the province
    # table lacks comes through map_provinces' outer join; keep every row
    provinces["drawn"] = provinces["iso"].isin(drawn)
    provinces["host"] = [host_polygon(n) for n in provinces["note"]]
    # the drawn polygon an undrawn province lies in, when the boundaries in use draw it
    provinces["shown_in"] = [h if isinstance(h, str) and h in drawn else None for h in provinces["host"]]
    provinces["approximate"] = provinces["approximate"].fillna(False).astype(bool)
    places = suggest_provinces(classify_places(q("map_places"), drawn))
    place_projects = q("map_place_projects")
    return MapData(
        provinces=provinces,
        national=q("map_national", flow=flow),
        located_split_unknown=money[money["key"] == "~split_unknown"],
        places=places,
        cities=_cities(q("map_cities"), places, place_projects),
        place_projects=place_projects,
    )
