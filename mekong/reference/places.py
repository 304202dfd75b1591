"""Which province a place name or code means: ISO 3166-2 codes, names and their spellings.

Provinces are written many ways (Bolikhamxay, Bolikhamxai, Borikhamxay; Hồ Chí Minh,
Saigon). data/reference/provinces.csv lists, for every first-level subdivision of the
five countries, its ISO 3166-2 code, its name and the known variants; names are compared
with `name_key()` (no accents, case, spacing or words such as "province").

Viet Nam's 34 units of 1 July 2025 (data/reference/vn_2025_crosswalk.csv) are known by
their codes (VN-N08 ...). Their names are those of former provinces, and a name means
the former province of that name (Tuyên Quang: VN-07), which lies inside the unit of the
same name, so it is counted there in the 2025 view and where the record puts it before.
"""
import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mekong.paths import REFERENCE_DIR
from mekong.reference.names import name_key

PROVINCES_CSV = REFERENCE_DIR / "provinces.csv"
ISO_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


@dataclass(frozen=True)
class Province:
    iso: str
    country: str
    name: str
    variants: tuple[str, ...] = ()


def read_units(path: Path) -> tuple[Province, ...]:
    """Viet Nam's 2025 units from a vn_2025_crosswalk.csv (none when the file is absent)."""
    if not path.is_file():
        return ()
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    units = {r["unit"]: Province(r["unit"], "VN", r["name"], (r["name_ascii"],)) for r in rows}
    return tuple(units[u] for u in sorted(units))


def read_provinces(path: Path) -> tuple[Province, ...]:
    with open(path, encoding="utf-8", newline="") as f:
        return tuple(Province(r["iso"], r["country"], r["name"], tuple(v for v in r["variants"].split("|") if v))
                     for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def reference_provinces() -> tuple[Province, ...]:
    """The provinces of data/reference/provinces.csv."""
    return read_provinces(PROVINCES_CSV)


class ProvinceIndex:
    """Look up provinces by ISO code or by any of their spellings."""

    def __init__(self, provinces=None, units=None):
        """units: Viet Nam's 2025 units, known by code only (default: the reference ones
        when `provinces` is the reference list too)."""
        if units is None:
            units = read_units(REFERENCE_DIR / "vn_2025_crosswalk.csv") if provinces is None else ()
        provinces = reference_provinces() if provinces is None else provinces
        self.by_iso = {p.iso: p for p in (*provinces, *units)}
        self._by_key: dict[tuple[str, str], set[str]] = {}
        for p in provinces:  # names: the provinces only (see the module's text)
            for name in (p.name, *p.variants):
                self._by_key.setdefault((p.country, name_key(name)), set()).add(p.iso)

    def candidates(self, name: str, country: str | None = None) -> set[str]:
        """Every ISO code the name could mean (in `country` when given)."""
        if not name or not name.strip():
            return set()
        code = name.strip().upper()
        if code in self.by_iso and (country is None or self.by_iso[code].country == country.upper()):
            return {code}
        key = name_key(name)
        if country:
            return set(self._by_key.get((country.upper(), key), set()))
        return {iso for (_, k), codes in self._by_key.items() if k == key for iso in codes}

    def resolve(self, name: str, country: str | None = None) -> str | None:
        """The ISO code when exactly one province matches, else None (unknown or ambiguous,
        e.g. 'Viangchan' is both the Vientiane prefecture and the province)."""
        found = self.candidates(name, country)
        return next(iter(found)) if len(found) == 1 else None


@lru_cache(maxsize=1)
def default_index() -> ProvinceIndex:
    """The index of the reference provinces (built once)."""
    return ProvinceIndex()


def resolve_province(name: str, country: str | None = None) -> str | None:
    """'Bolikhamxay' / 'Borikhamxay Province' / 'LA-BL' -> 'LA-BL'; None when no single
    province of the five countries matches (the country, ISO 3166-1 alpha-2, narrows it)."""
    return default_index().resolve(name, country)
