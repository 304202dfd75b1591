"""What the map shows, gathered from the queries (no Streamlit, no drawing).

`collect(q, flow, boundaries)` runs the map's queries through `q(name, **extra)` (a query
under the current filters, as in mekong/views/panels.py) and puts the answers together with the
boundaries in use: the bundled file or one the user supplied.

- Provinces: money from funding_breakdowns.sql's provinces (equal split between the provinces an
  activity names in a country) and the number of activities naming a place there.
  A province with money or activities that the boundaries do not draw is listed beside
  the map, never dropped.
- National / regional money (no province named): funding_breakdowns.sql's `national`,
  counted in the same pass as the provinces.
- Places: drawn as points when they have coordinates, at most MAX_POINTS (the busiest);
  the others, and those whose province cannot be shown, are listed with the reason
  (`classify_places`). The query returns only these, with the number and the spread of
  all the points.
- Cities: a city's activities are those with a place at it (derive.sql's location_city:
  the nearest city within 10 km, or a city of the same name when the place has no
  coordinates).
"""
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from mekong.reference.places import ProvinceIndex, default_index
from mekong.views import breakdowns

Query = Callable[..., pd.DataFrame]

# Why a place is listed beside the map rather than (only) drawn on it.
NO_COORDINATES = "no_coordinates"          # counted in its province, no point
PROVINCE_NOT_DRAWN = "province_not_drawn"  # its province has no polygon in the boundaries
UNKNOWN_PROVINCE = "unknown_province"      # a province code that is not ISO 3166-2 of the five countries
NO_PROVINCE = "no_province"                # no province recorded: its money is national
COUNTRY_LEVEL = "country_level"            # the place is a whole country

_HOST = re.compile(r"lies in the ([A-Z]{2}-[A-Z0-9]{1,3}) polygon")


# At the first view (5 to 10 km a pixel) 2,000 points of 10 pixels already cover the
# populated land: more add no information, only a blob that takes seconds to draw in
# software WebGL. The page says how many more there are; narrower filters show them.
MAX_POINTS = 2000
_SPREAD = ["n_points", "west", "south", "east", "north"]  # map_places.sql's columns about all the points


@dataclass
class MapData:
    provinces: pd.DataFrame      # iso, name, country, country_name, drawn, value, approximate, n_projects, note,
                                 # host (polygon it lies in, per the note), shown_in (host when drawn)
    national: pd.DataFrame       # key, label, value, approximate, n_projects
    located_split_unknown: pd.DataFrame  # the province breakdown's '~split_unknown' (one row or none)
    places: pd.DataFrame         # map_places (the points drawn, the places listed) + placed_at, reason
    cities: pd.DataFrame         # map_cities (with n_projects and the first labels)
    pairs: Callable[[], pd.DataFrame] | pd.DataFrame  # map_place_projects, asked for when needed
    n_points: int = 0            # places that are points under the filters, drawn or not
    point_bounds: tuple[float, float, float, float] | None = None  # their west, south, east, north

    @property
    def place_projects(self) -> pd.DataFrame:
        """Which filtered activity names which place: only a selection needs it, so the
        query runs the first time it is asked for."""
        if callable(self.pairs):
            self.pairs = self.pairs()
        return self.pairs

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
            rows = pp[pp["city_id"] == int(key[5:])]
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
    kind, province = places["kind"], places["province"]
    has_point = (places["lat"].notna() & places["lon"].notna() & ~kind.isin(["country", "province"])).to_numpy()
    known = places["province_known"].fillna(False).astype(bool).to_numpy()
    point_or_beside = np.where(has_point, "point", "beside")
    # the first rule that applies, in this order: (applies, placed at, reason)
    rules = [
        ((kind == "country").to_numpy(), "beside", COUNTRY_LEVEL),
        (province.isna().to_numpy(), point_or_beside, NO_PROVINCE),
        (~known, point_or_beside, UNKNOWN_PROVINCE),
        (~province.isin(drawn).to_numpy(), point_or_beside, PROVINCE_NOT_DRAWN),
        (has_point, "point", ""),
        ((kind == "province").to_numpy(), "province", ""),
    ]
    conditions = [r[0] for r in rules]
    out = places.copy()
    placed = np.select(conditions, [r[1] for r in rules], default="province")
    reasons = np.select(conditions, [r[2] for r in rules], default=NO_COORDINATES)
    out["placed_at"] = pd.Series(placed, index=places.index, dtype=object)
    out["reason"] = pd.Series(np.where(reasons == "", None, reasons), index=places.index, dtype=object)
    return out


def suggest_provinces(places: pd.DataFrame, index: ProvinceIndex | None = None) -> pd.DataFrame:
    """Add `suggested`: for a place of kind province whose province is missing or not a
    known code, the ISO code its name matches (name variants, accents and case ignored),
    as a hint for whoever fixes the data. The map does not use it: money follows the
    recorded province only."""
    index = index or default_index()
    out = places.copy()
    ask = (places["kind"] == "province") & places["reason"].isin([NO_PROVINCE, UNKNOWN_PROVINCE])
    out["suggested"] = None
    out.loc[ask, "suggested"] = [index.resolve(r.name, r.country if isinstance(r.country, str) else None)
                                 for r in places[ask].itertuples()]
    return out


def collect(q: Query, flow: str, boundaries: dict) -> MapData:
    """Everything the map page draws or lists, under the filters `q` applies."""
    drawn = drawn_codes(boundaries)
    provinces = q("map_provinces")
    money = breakdowns.breakdown(q, flow, "province", parts=breakdowns.MAP)
    located = money[~money["key"].str.startswith("~")][["key", "value", "approximate"]]
    provinces = provinces.merge(located, left_on="iso", right_on="key", how="left").drop(columns="key")
    # money on a province code no place carries cannot happen, but a code the province
    # table lacks comes through map_provinces' outer join; keep every row
    provinces["drawn"] = provinces["iso"].isin(drawn)
    provinces["host"] = [host_polygon(n) for n in provinces["note"]]
    # the drawn polygon an undrawn province lies in, when the boundaries in use draw it
    provinces["shown_in"] = [h if isinstance(h, str) and h in drawn else None for h in provinces["host"]]
    provinces["approximate"] = provinces["approximate"].fillna(False).astype(bool)
    rows = q("map_places", drawn=tuple(sorted(drawn)), max_points=MAX_POINTS)
    spread = rows[_SPREAD].iloc[0] if len(rows) else None
    places = suggest_provinces(classify_places(rows.drop(columns=_SPREAD), drawn))
    return MapData(
        provinces=provinces,
        national=breakdowns.breakdown(q, flow, "national", parts=breakdowns.MAP),
        located_split_unknown=money[money["key"] == "~split_unknown"],
        places=places,
        cities=q("map_cities"),
        pairs=lambda: q("map_place_projects"),
        n_points=int(spread["n_points"]) if spread is not None else 0,
        point_bounds=tuple(float(spread[k]) for k in _SPREAD[1:]) if spread is not None and spread["n_points"] else None,
    )
