"""Finding the province (ISO 3166-2) of an imported location.

In order: an administrative code that is an ISO 3166-2 code; a place name that is a
province name or spelling variant (data/reference/provinces.csv, matched with
name_key); the province polygon holding the point (data/reference/boundaries). A place
that is a whole country gets no province. Unmatched places keep province NULL: they
are listed by the map page, never dropped.
"""
import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry
import shapely
from shapely.geometry import Point

from mekong.paths import REFERENCE_DIR
from mekong.reference.boundaries import KM_PER_DEGREE, locate, province_shapes
from mekong.reference.countries import country_variants
from mekong.reference.names import name_key
from mekong.reference.places import ProvinceIndex, read_provinces, read_units

COAST_KM = 3.0  # how far off the coast line a point may lie and still get a province (locate)
# Place names are often "City, Country" or "Country: Province: districts".
_PARTS = re.compile(r"[,;:/()|\n]+")


@dataclass(frozen=True)
class Match:
    province: str | None
    country: str | None
    basis: str | None        # how the province (or country) was found, for coord_basis
    is_province: bool = False  # the place's whole name is the province's: the place is the province


class Places:
    def __init__(self, reference_dir: Path = REFERENCE_DIR):
        self.index = ProvinceIndex(read_provinces(reference_dir / "provinces.csv"),
                                   read_units(reference_dir / "vn_2025_crosswalk.csv"))
        self.provinces = {iso: p.country for iso, p in self.index.by_iso.items()}
        self.province_names = {iso: p.name for iso, p in self.index.by_iso.items()}
        self.countries: set[str] = set()
        self.country_keys: dict[str, str] = {}
        with open(reference_dir / "countries.csv", encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                self.countries.add(r["iso2"])
                for name in (r["name_en"], r["name_fr"]):
                    if name:
                        self.country_keys.setdefault(name_key(name), r["iso2"])
        for iso2, names in country_variants().items():  # "Vietnam", "Burma"
            for name in names:
                self.country_keys.setdefault(name_key(name), iso2)
        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                if getattr(c, attr, None):
                    self.country_keys.setdefault(name_key(getattr(c, attr)), c.alpha_2)
        # GeoNames ids of the bundled cities (a location may give only its GeoNames id)
        with open(reference_dir / "cities.csv", encoding="utf-8", newline="") as f:
            self.cities = {r["geonameid"]: r for r in csv.DictReader(f)}
        self.shapes = province_shapes(reference_dir / "boundaries" / "provinces.geojson")
        self.tree = shapely.STRtree([g for _, g in self.shapes])
        self._by_point: dict[tuple[float, float], str | None] = {}  # filled by prime_points

    def country_of(self, name: str | None) -> str | None:
        return self.country_keys.get(name_key(name)) if name else None

    def province_by_name(self, name: str, countries: set[str]) -> str | None:
        found = set()
        for c in countries or set(self.provinces.values()):
            found |= self.index.candidates(name, c)
        return found.pop() if len(found) == 1 else None

    def prime_points(self, points: list[tuple[float, float]]) -> None:
        """Look up many (lat, lon) points at once (a file's points, before its activities
        are read): one vectorised query of the polygon tree instead of one per place, and
        the coastal rule of province_by_point only for the few points in no polygon that
        lie near one. Points met again are answered from memory."""
        todo = list({p for p in points if p not in self._by_point})
        if not todo:
            return
        pts = shapely.points([lon for _, lon in todo], [lat for lat, _ in todo])
        hit_point, hit_shape = self.tree.query(pts, predicate="within")
        found: dict[int, list[int]] = {}
        for i, j in zip(hit_point.tolist(), hit_shape.tolist()):
            found.setdefault(i, []).append(j)
        none = [i for i in range(len(todo)) if i not in found]
        near_point, _ = self.tree.query(pts[none], predicate="dwithin", distance=2 * COAST_KM / KM_PER_DEGREE) \
            if none else ([], [])
        near = {none[k] for k in set(near_point.tolist())} if len(none) else set()
        for i, point in enumerate(todo):
            hits = found.get(i, [])
            if len(hits) == 1:
                self._by_point[point] = self.shapes[hits[0]][0]
            elif hits or i not in near:
                self._by_point[point] = None
            else:
                self._by_point[point] = self.province_by_point(*point)

    def province_by_point(self, lat: float, lon: float) -> str | None:
        known = self._by_point.get((lat, lon), False)
        if known is not False:
            return known
        point = Point(lon, lat)
        hits = self.tree.query(point, predicate="within")
        if len(hits) == 1:
            return self.shapes[int(hits[0])][0]
        if len(hits) == 0:
            # just off the coast line: locate()'s rule (the nearest polygon within
            # COAST_KM, the next one at least twice as far) needs only the polygons within
            # twice that distance, which the tree finds without measuring every province
            # (most points of a geocoded file lie outside the five countries: none is near)
            near = self.tree.query(point, predicate="dwithin", distance=2 * COAST_KM / KM_PER_DEGREE)
            if len(near) == 0:
                return None
            return locate([self.shapes[int(i)] for i in near], lon, lat, max_km=COAST_KM)[0]
        return None

    def match(self, names: list[str], codes: list[str], lat: float | None, lon: float | None,
              countries: set[str], whole_country: bool) -> Match:
        """names: the place's names as written; codes: its administrative codes;
        countries: the countries it may be in (empty = any); whole_country: the file says
        the place is a country (e.g. feature designation PCLI)."""
        for code in codes:
            c = code.strip().upper()
            if c in self.provinces:
                kind = "code of Viet Nam's 2025 unit" if c.startswith("VN-N") else "ISO 3166-2 code"
                return Match(c, self.provinces[c], f"{kind} {c}")
            if len(c) == 2 and c in self.countries:
                countries = countries | {c} if not countries else countries
        for name in names:
            country = self.country_of(name)
            if country:
                whole_country = True
                countries = {country}
        if whole_country:
            return Match(None, next(iter(countries)) if len(countries) == 1 else None, None)
        for i, name in enumerate(names):
            for j, part in enumerate([name, *_PARTS.split(name)]):
                iso = self.province_by_name(part, countries)
                if iso:
                    return Match(iso, self.provinces[iso], f"name '{part.strip()}'", i == 0 and j == 0)
        if lat is not None and lon is not None:
            iso = self.province_by_point(lat, lon)
            if iso:
                return Match(iso, self.provinces[iso], "point in province polygon")
        return Match(None, next(iter(countries)) if len(countries) == 1 else None, None)


@lru_cache(maxsize=1)
def default_places() -> Places:
    return Places()
