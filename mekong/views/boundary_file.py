"""Checking a user's own admin-1 boundaries file (GeoJSON) before the map uses it.

The file must be a FeatureCollection of Polygon/MultiPolygon features in longitude /
latitude (WGS 84), each carrying an ISO 3166-2 code in a property with one of the usual
names (iso, iso_3166_2, shapeISO...). A feature with no code may still be matched by its
name through the province spellings (mekong.reference.places). Problems are returned as codes with
the feature index and property, for the page to word in the reader's language.
"""
import json
import math
from dataclasses import dataclass, field

from mekong.reference.places import ISO_CODE, ProvinceIndex

MAX_BYTES = 30 * 1024 * 1024
MAX_REPORTED = 20
# Property names that hold an ISO 3166-2 code in common boundary files (compared
# case-insensitively): Natural Earth, geoBoundaries, OSM exports, this project's own file.
CODE_PROPERTIES = ("iso", "iso_3166_2", "iso3166_2", "iso_3166-2", "iso3166-2", "iso_3166_2_code", "shapeiso",
                   "iso_code", "iso_2", "code_iso")
NAME_PROPERTIES = ("name", "name_en", "name_1", "shapename", "adm1_en", "admin1name", "province", "nam_en")
# ISO 3166-1 alpha-2 (or alpha-3 for geoBoundaries' shapeGroup and GADM's GID_0).
COUNTRY_PROPERTIES = ("country", "iso_a2", "iso2", "adm0_pcode", "shapegroup", "gid_0", "adm0_a3", "iso_a3")
ALPHA3 = {"KHM": "KH", "LAO": "LA", "MMR": "MM", "THA": "TH", "VNM": "VN"}


@dataclass(frozen=True)
class Problem:
    code: str                   # e.g. 'not_json', 'bad_geometry', 'bad_code' (see map.toml problem_*)
    feature: int | None = None  # 0-based index in `features`
    prop: str | None = None     # the property concerned
    value: str | None = None    # the offending value, shortened
    fatal: bool = True


@dataclass
class BoundaryCheck:
    geojson: dict | None                        # normalised FeatureCollection, None when unusable
    problems: list[Problem] = field(default_factory=list)
    code_property: str | None = None
    matched_by_name: int = 0

    @property
    def ok(self) -> bool:
        return self.geojson is not None


def _find(props: dict, names: tuple[str, ...]) -> str | None:
    lower = {k.lower(): k for k in props}
    return next((lower[n] for n in names if n in lower), None)


def _position_ok(p) -> bool:
    return (isinstance(p, (list, tuple)) and len(p) >= 2 and all(isinstance(c, (int, float)) and not isinstance(c, bool)
            and math.isfinite(c) for c in p[:2]) and -180 <= p[0] <= 180 and -90 <= p[1] <= 90)


def _polygon_problem(rings) -> str | None:
    if not isinstance(rings, list) or not rings:
        return "bad_geometry"
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            return "bad_geometry"
        if not all(_position_ok(p) for p in ring):
            return "not_degrees" if all(isinstance(p, (list, tuple)) and len(p) >= 2 for p in ring) else "bad_geometry"
    return None


def _geometry_problem(geom) -> str | None:
    if not isinstance(geom, dict) or "type" not in geom:
        return "no_geometry"
    if geom["type"] == "Polygon":
        return _polygon_problem(geom.get("coordinates"))
    if geom["type"] == "MultiPolygon":
        polys = geom.get("coordinates")
        if not isinstance(polys, list) or not polys:
            return "bad_geometry"
        return next((p for p in map(_polygon_problem, polys) if p), None)
    return "not_polygon"


def _rounded(geom: dict, digits: int = 4) -> dict:
    def ring(r):
        return [[round(p[0], digits), round(p[1], digits)] for p in r]
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geom["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in geom["coordinates"]]}


def _short(value) -> str:
    s = str(value)
    return s if len(s) <= 60 else s[:57] + "..."


def _country(props: dict) -> str | None:
    key = _find(props, COUNTRY_PROPERTIES)
    if key is None or not isinstance(props[key], str):
        return None
    v = props[key].strip().upper()
    return ALPHA3.get(v, v if len(v) == 2 else None)


def check_boundaries(raw: bytes, index: ProvinceIndex | None = None, max_bytes: int = MAX_BYTES) -> BoundaryCheck:
    """Validate a GeoJSON boundaries file; when usable, return it normalised to features
    {iso, country, name} (the reference name) with coordinates rounded to about 10 m.

    Fatal problems (the file is not used): too big, not UTF-8 JSON, not a
    FeatureCollection, no features, a feature that is not a polygon in degrees, or whose
    code is missing or malformed and whose name matches no province. Not fatal: codes of
    subdivisions outside the five countries (left out).
    """
    index = index or ProvinceIndex()
    if len(raw) > max_bytes:
        return BoundaryCheck(None, [Problem("too_big", value=f"{len(raw) / 1e6:.1f} MB")])
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return BoundaryCheck(None, [Problem("not_json", value=_short(e))])
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        return BoundaryCheck(None, [Problem("not_collection", value=_short(kind))])
    features = data["features"]
    if not features:
        return BoundaryCheck(None, [Problem("no_features")])

    props_seen = [f.get("properties") or {} for f in features if isinstance(f, dict)]
    code_prop = next((k for k in (_find(p, CODE_PROPERTIES) for p in props_seen) if k), None)
    problems: list[Problem] = []
    out, by_name = [], 0
    for i, f in enumerate(features):
        if not isinstance(f, dict) or f.get("type") != "Feature":
            problems.append(Problem("not_feature", i))
            continue
        props = f.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(Problem("not_feature", i, "properties"))
            continue
        geom_problem = _geometry_problem(f.get("geometry"))
        if geom_problem:
            gtype = f["geometry"].get("type") if isinstance(f.get("geometry"), dict) else None
            problems.append(Problem(geom_problem, i, "geometry", _short(gtype)))
            continue
        country = _country(props)
        raw_code = props.get(code_prop) if code_prop else None
        iso = None
        if isinstance(raw_code, str) and raw_code.strip():
            iso = raw_code.strip().upper()
            if not ISO_CODE.match(iso):
                problems.append(Problem("bad_code", i, code_prop, _short(raw_code)))
                continue
        else:
            name_prop = _find(props, NAME_PROPERTIES)
            name = props.get(name_prop) if name_prop else None
            iso = index.resolve(name, country) if isinstance(name, str) else None
            if iso is None:
                problems.append(Problem("no_code", i, code_prop or name_prop, _short(name) if name else None))
                continue
            by_name += 1
        if iso not in index.by_iso:
            problems.append(Problem("outside", i, code_prop, iso, fatal=False))
            continue
        p = index.by_iso[iso]
        out.append({"type": "Feature", "properties": {"iso": iso, "country": p.country, "name": p.name},
                    "geometry": _rounded(f["geometry"])})
    if not out and not any(p.fatal for p in problems):
        problems.append(Problem("none_of_ours"))
    if any(p.fatal for p in problems):
        return BoundaryCheck(None, problems, code_prop, by_name)
    return BoundaryCheck({"type": "FeatureCollection", "features": out}, problems, code_prop, by_name)
