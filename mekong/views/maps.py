"""Pure map builders: the map's data and GeoJSON in, a pydeck.Deck and its legend out.

No Streamlit and no database here. With `basemap=False` (the default) the deck has
`map_provider=None`: deck.gl draws only the bundled boundaries and the points, and the
browser fetches nothing. `basemap=True` asks for CARTO's light basemap, which the
browser downloads from the internet.

Every object of every layer carries `tip_title` and `tip_body`, the two fields of the
deck's one tooltip template (Streamlit fills `{field}` from the object or its
`properties` and escapes the values).
"""
import functools
import math
from dataclasses import dataclass, field

import numpy as np
import orjson
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from mekong.views import fmt, map_data
from mekong.views.map_data import MapData

MONEY, PROJECTS = "money", "projects"
LAYERS = ("provinces", "cities", "places", "labels")

# ColorBrewer YlGnBu (sequential, colour-blind safe, prints and projects well), without
# its palest step so that the lowest class stands apart from the grey of "none".
SEQUENTIAL = [(199, 233, 180), (127, 205, 187), (65, 182, 196), (44, 127, 184), (37, 52, 148)]
NONE_COLOR = (228, 228, 228)
PROVINCE_LINE = (255, 255, 255)
COUNTRY_LINE = (70, 70, 70)
CITY_COLOR = (110, 110, 110)
CITY_ACTIVE_COLOR = (224, 122, 31)    # charts.PALETTE[1]
PLACE_COLOR = (184, 64, 94)           # charts.PALETTE[3]
# Where the country names are written (inside each country, clear of the coast).
COUNTRY_LABEL_AT = {"KH": (105.3, 12.75), "LA": (102.3, 20.35), "MM": (95.9, 22.6), "TH": (100.6, 15.9),
                    "VN": (108.3, 14.3)}
# The five countries, west, south, east, north.
BOUNDS = (92.2, 5.6, 109.5, 28.5)
SELECTED_LINE = (200, 30, 60, 255)  # the outline of the chosen province or city
TOOLTIP_STYLE = {"backgroundColor": "#ffffff", "color": "#1a1a1a", "fontSize": "15px", "lineHeight": "1.35",
                 "whiteSpace": "pre-line", "maxWidth": "380px", "border": "1px solid #c8c8c8",
                 "borderRadius": "4px", "padding": "8px 10px", "boxShadow": "0 2px 6px rgba(0,0,0,.15)"}


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation (pydeck indents by 2, which makes the
    boundaries several times bigger on their way to the browser at every rerun), written
    by orjson: a megabyte of boundaries and places at every rerun, five times faster than
    the json module (a missing number is null, not json's invalid NaN)."""

    def to_json(self) -> str:
        return orjson.dumps(self, default=default_serialize,
                            option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY).decode()


@dataclass(frozen=True)
class Scale:
    """Colour classes: class i holds values in (breaks[i-1], breaks[i]]; the first
    starts at the smallest positive value."""
    breaks: tuple[float, ...]
    colors: tuple[tuple[int, int, int], ...]
    lowest: float = 0.0
    integer: bool = False

    def color(self, value) -> tuple[int, int, int]:
        if value is None or value != value or value <= 0 or not self.breaks:
            return NONE_COLOR
        for b, c in zip(self.breaks, self.colors):
            if value <= b:
                return c
        return self.colors[-1]


@dataclass
class Legend:
    title: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (hex colour, label)


@dataclass
class MapOptions:
    metric: str = MONEY
    layers: tuple[str, ...] = LAYERS
    basemap: bool = False


def _round_up(x: float, digits: int = 2) -> float:
    """Round up to `digits` significant figures: 8_123_456 -> 8_200_000."""
    if x <= 0:
        return x
    step = 10 ** (math.floor(math.log10(x)) - digits + 1)
    return math.ceil(round(x / step, 9)) * step


def color_scale(values, integer: bool = False, classes: int = len(SEQUENTIAL)) -> Scale:
    """Quantile classes over the positive values (as many as there are distinct values,
    at most `classes`), breaks rounded up to two significant figures (whole numbers
    for counts), colours spread over the palette."""
    vals = sorted(float(v) for v in values if v is not None and v == v and v > 0)
    if not vals:
        return Scale((), (), integer=integer)
    k = min(classes, len(set(vals)))
    breaks = []
    for i in range(1, k + 1):
        q = vals[min(len(vals) - 1, math.ceil(i * len(vals) / k) - 1)]
        b = float(math.ceil(q)) if integer else _round_up(q)
        if not breaks or b > breaks[-1]:
            breaks.append(b)
    n = len(breaks)
    # fewer classes than colours: leave out the palest, which is close to the grey of "none"
    first = 0 if n >= len(SEQUENTIAL) else 1
    span = len(SEQUENTIAL) - 1 - first
    idx = [len(SEQUENTIAL) - 2] if n == 1 else [first + round(i * span / (n - 1)) for i in range(n)]
    return Scale(tuple(breaks), tuple(SEQUENTIAL[i] for i in idx), lowest=vals[0], integer=integer)


def hex_color(rgb) -> str:
    return "#%02x%02x%02x" % tuple(rgb[:3])


def _compact(v: float, currency: str, lang: str) -> str:
    return fmt.compact_money(v, currency, lang)


def legend(scale: Scale, metric: str, t, currency: str, lang: str, flow_label: str = "") -> Legend:
    """The colour stops of the province layer and what they mean, in the display currency."""
    title = t("map.legend_money", flow=flow_label, currency=currency) if metric == MONEY else t("map.legend_projects")
    items = []
    lower = None
    for b, c in zip(scale.breaks, scale.colors):
        if scale.integer:
            lo = int(scale.lowest) if lower is None else int(lower) + 1
            label = fmt.number(int(b), lang) if lo >= int(b) else f"{fmt.number(lo, lang)}–{fmt.number(int(b), lang)}"
        elif lower is None:
            label = (t("map.legend_up_to", value=_compact(b, currency, lang)) if len(scale.breaks) > 1
                     else _compact(b, currency, lang) if scale.lowest >= b * 0.95
                     else t("map.legend_up_to", value=_compact(b, currency, lang)))
        else:
            label = f"{_compact(lower, currency, lang)} – {_compact(b, currency, lang)}"
        items.append((hex_color(c), label))
        lower = b
    items.append((hex_color(NONE_COLOR), t("map.legend_none_money") if metric == MONEY else t("map.legend_none_projects")))
    return Legend(title, items)


def initial_view(width: int = 1100, height: int = 680, bounds=BOUNDS, padding: float = 0.04) -> pdk.ViewState:
    """A view that shows the five countries whole in a canvas of about that size."""
    west, south, east, north = bounds

    def merc(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    # deck.gl's web-mercator world is 512 pixels wide at zoom 0
    zoom_x = math.log2(width * (1 - 2 * padding) * 360 / (512 * (east - west)))
    zoom_y = math.log2(height * (1 - 2 * padding) * 2 * math.pi / (512 * (merc(north) - merc(south))))
    centre_lat = math.degrees(math.atan(math.sinh((merc(north) + merc(south)) / 2)))
    return pdk.ViewState(longitude=(west + east) / 2, latitude=centre_lat, zoom=round(min(zoom_x, zoom_y), 2),
                         min_zoom=3, max_zoom=11, pitch=0, bearing=0)


# Drawing detail. deck.gl draws every vertex of every border on each frame; the bundled
# provinces have 25,000 and, without a GPU (software WebGL), their borders took about a
# second per redraw. Borders are simplified for drawing only (place lookups keep the full
# geometry): provinces as a coverage, so neighbours keep one shared border and no gap
# opens (14,000 vertices are left; the smallest province, Kep, keeps its area within
# 4 %), countries line by line to under 1 km. At the first view a pixel is 5 to 10 km.
DRAW_TOLERANCE = 0.02  # degrees: about the side of the smallest triangle kept, ~2 km


def for_drawing(geojson: dict, tolerance: float, coverage: bool = True, outlines: dict | None = None) -> dict:
    """A copy of a FeatureCollection with simpler geometry and the same properties. As a
    coverage when the polygons tile (shared borders simplified once, Visvalingam-Whyatt);
    polygon by polygon (Douglas-Peucker, a third of the tolerance as distance) when
    they do not or GEOS refuses them. With the border segments the map draws (SEGMENTS):
    those of a polygon's edge that no other polygon shares and that runs along the
    country `outlines` (drawn over it) are left out."""
    import shapely
    from shapely.geometry import mapping, shape

    features = geojson["features"]
    geoms = [shape(f["geometry"]) for f in features]
    simple = None
    if coverage:
        try:
            simple = shapely.coverage_simplify(geoms, tolerance)
            if not all(shapely.is_valid(simple)):  # polygons that overlap are no coverage
                simple = None
        except (shapely.errors.GEOSException, TypeError, ValueError):
            simple = None
    if simple is None:
        simple = shapely.simplify(geoms, tolerance / 3, preserve_topology=True)
    out = [{**f, "geometry": mapping(g)} if not g.is_empty else f for f, g in zip(features, simple)]
    # where each province's name is written, found once here rather than at each rerun
    out = [{**f, "label_at": label_point(f["geometry"])} if f["geometry"]["type"] in ("Polygon", "MultiPolygon") else f
           for f in out]
    drawn = {**geojson, "features": out}
    # the border lines as the map draws them, found once here rather than at each rerun
    # (a foreign member of the FeatureCollection: GeoJSON readers ignore it)
    drawn[SEGMENTS] = segments(drawn, hidden_by=outlines, within=tolerance)
    return drawn


# Borders are drawn as straight segments (a LineLayer), each once. Software WebGL pays for
# every instance deck.gl draws: a path (a GeoJsonLayer's outline) is an instance per vertex
# at about 50 microseconds each, a segment of a LineLayer about half that, and the
# provinces' rings drew every border between two provinces twice. The outlines of the
# provinces and the countries were 21,000 path instances, over a second of every redraw
# without a GPU; as segments they are 15,600 at less than half the time.
SEGMENTS = "mekong_segments"
SEGMENT_DIGITS = 4  # decimal degrees: 11 m, under a pixel at the closest zoom (11)


def _lines(geometry: dict):
    """The lines of a geometry: the rings of its polygons, its line strings."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        yield from coords
    elif kind == "MultiPolygon":
        for poly in coords:
            yield from poly
    elif kind == "LineString":
        yield coords
    elif kind == "MultiLineString":
        yield from coords


def segments(geojson: dict, hidden_by: dict | None = None, within: float = 0.0) -> list[list[float]]:
    """Every segment of the features' lines and rings once ([x0, y0, x1, y1], rounded to
    SEGMENT_DIGITS; a border two polygons share is one segment), in the order drawn.
    `hidden_by`: lines drawn over these (the country outlines); a segment of one polygon
    only (a coast, a border with a country not drawn) whose two ends are within `within`
    degrees of them is left out: the outline covers it. The ones computed by
    for_drawing when it made `geojson`."""
    if SEGMENTS in geojson:
        return geojson[SEGMENTS]
    count: dict[tuple, int] = {}
    for f in geojson.get("features", []):
        if not f.get("geometry"):
            continue
        for line in _lines(f["geometry"]):
            pts = [(round(p[0], SEGMENT_DIGITS), round(p[1], SEGMENT_DIGITS)) for p in line]
            for a, b in zip(pts, pts[1:]):
                if a != b:
                    key = (a, b) if a <= b else (b, a)
                    count[key] = count.get(key, 0) + 1
    out = [[a[0], a[1], b[0], b[1]] for a, b in count]
    if hidden_by and within > 0:
        import shapely

        lines = shapely.MultiLineString([[tuple(p[:2]) for p in line] for f in hidden_by.get("features", [])
                                         if f.get("geometry") for line in _lines(f["geometry"]) if len(line) > 1])
        shapely.prepare(lines)
        alone = np.array([n == 1 for n in count.values()])
        ends = np.array(out, dtype=float).reshape(-1, 2, 2) if out else np.zeros((0, 2, 2))
        near = shapely.dwithin(shapely.points(ends[:, 0]), lines, within) & \
            shapely.dwithin(shapely.points(ends[:, 1]), lines, within)
        out = [s for s, hide in zip(out, alone & near) if not hide]
    return out


def data_bounds(data: MapData, boundaries: dict, margin: float = 1.0) -> tuple[float, float, float, float]:
    """West, south, east, north of what has activities or money (the drawn provinces and
    the places with coordinates), `margin` degrees wider, within the five countries;
    the five countries when there is nothing."""
    p = data.provinces
    with_data = set(p.loc[(p["n_projects"] > 0) | p["value"].notna(), "iso"])
    xs, ys = [], []
    for f in boundaries["features"]:
        if f["properties"]["iso"] in with_data:
            polys = f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else [f["geometry"]["coordinates"]]
            for poly in polys:
                xs.extend(pt[0] for pt in poly[0])
                ys.extend(pt[1] for pt in poly[0])
    if data.point_bounds:  # every point's, drawn or not
        west, south, east, north = data.point_bounds
        xs += [west, east]
        ys += [south, north]
    if not xs:
        return BOUNDS
    west, south, east, north = BOUNDS
    return (max(west, min(xs) - margin), max(south, min(ys) - margin),
            min(east, max(xs) + margin), min(north, max(ys) + margin))


def _ring_centroid(ring) -> tuple[float, float, float]:
    """(area, x, y) of a closed ring (shoelace formula; lon/lat taken as plane)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if abs(a) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def label_point(geometry: dict) -> tuple[float, float]:
    """Where to write a province's name: the centroid of its largest polygon."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    best = max((_ring_centroid([tuple(p[:2]) for p in poly[0]]) for poly in polys), key=lambda r: r[0])
    return best[1], best[2]


def _money_text(value, approximate, currency, lang, t) -> str:
    if value is None or value != value:
        return t("map.tip_no_money")
    return fmt.money(value, currency, lang, bool(approximate))


def _join(labels, n: int, width: int = 48) -> str:
    """The first labels (the queries give up to four, '; '-separated) and how many more."""
    items = [s if len(s) <= width else s[: width - 1] + "…" for s in str(labels).split("; ")] if isinstance(labels, str) else []
    more = n - len(items)
    return "\n".join(["· " + s for s in items] + ([f"· +{more}"] if more > 0 else []))


def province_features(boundaries: dict, data: MapData, scale: Scale, metric: str, t, currency: str, lang: str,
                      flow_label: str) -> list[dict]:
    """The boundary features with what the map shows of each province in `properties`."""
    by_iso = {r["iso"]: r for r in data.provinces.to_dict("records")}
    undrawn_in = {}
    for r in data.undrawn.itertuples():
        if isinstance(r.shown_in, str):
            undrawn_in.setdefault(r.shown_in, []).append(f"{r.name} ({r.iso})")
    out = []
    for f in boundaries["features"]:
        iso = f["properties"]["iso"]
        row = by_iso.get(iso)
        value = row["value"] if row is not None else None
        n = int(row["n_projects"]) if row is not None else 0
        name = (row["name"] if row is not None and isinstance(row["name"], str) else f["properties"].get("name")) or iso
        country = row["country_name"] if row is not None and isinstance(row["country_name"], str) else f["properties"].get("country", "")
        metric_value = value if metric == MONEY else n
        lines = [t("map.tip_amount", flow=flow_label,
                   amount=_money_text(value, row["approximate"] if row is not None else False, currency, lang, t)),
                 t("map.tip_projects", n=fmt.number(n, lang))]
        if iso in undrawn_in:
            lines.append(t("map.tip_contains_undrawn", names=", ".join(undrawn_in[iso])))
        out.append({
            "type": "Feature",
            "geometry": f["geometry"],
            **({"label_at": f["label_at"]} if "label_at" in f else {}),
            "properties": {
                "iso": iso, "name": name, "country": country,
                "value": None if value is None or value != value else float(value), "n_projects": n,
                "fill": list(scale.color(metric_value)),
                "tip_title": f"{name} ({iso}) · {country}",
                "tip_body": "\n".join(lines),
            },
        })
    return out


def _radius_population(pop) -> float:
    return 1.5 + min(3.5, math.sqrt(max(pop or 0, 0) / 500_000))


CITY_MAX_EXTRA = 16.0  # pixels a bubble grows at most beyond 6: the busiest city's


def city_radius(n: int, busiest: int) -> float:
    """A city's bubble in pixels: 6 plus 3 * sqrt(activities), but never more than its
    share of the busiest city's 22 pixels (by area), or with thousands of activities
    each the bubbles would cover the map."""
    return 6.0 + min(3.0 * math.sqrt(n), CITY_MAX_EXTRA * math.sqrt(n / busiest))


def city_rows(data: MapData, t, currency: str, lang: str, flow_label: str) -> list[dict]:
    prov = {r["iso"]: r for r in data.provinces.to_dict("records")}
    busiest = max(1, int(data.cities["n_projects"].max())) if len(data.cities) else 1
    rows = []
    here, totals = {}, {}  # what the tooltips repeat, formatted once
    for c in data.cities.itertuples():
        n = int(c.n_projects)
        if n not in here:
            here[n] = t("map.tip_projects_here", n=fmt.number(n, lang))
        lines = [t("map.tip_population", n=fmt.number(int(c.population), lang)) if pd.notna(c.population) else "", here[n]]
        if n:
            lines.append(_join(c.projects, n))
            if c.province in prov:
                if c.province not in totals:
                    p = prov[c.province]
                    totals[c.province] = t("map.tip_province_total", province=p["name"], flow=flow_label,
                                           amount=_money_text(p["value"], p["approximate"], currency, lang, t))
                lines.append(totals[c.province])
        rows.append({
            "key": f"city:{int(c.geonameid)}", "name": c.name, "lon": float(c.lon), "lat": float(c.lat),
            "province": c.province if isinstance(c.province, str) else None,
            "n_projects": n, "capital": bool(c.national_capital),
            "radius": city_radius(n, busiest) if n else _radius_population(c.population),
            "fill": list(CITY_ACTIVE_COLOR) + [235] if n else list(CITY_COLOR) + [120],
            "line": [255, 255, 255, 255] if n else [255, 255, 255, 0],
            "tip_title": f"{c.name} · {c.country_name}",
            "tip_body": "\n".join(x for x in lines if x),
        })
    # small cities first, so that the bubbles with activities are drawn on top
    return sorted(rows, key=lambda r: (r["n_projects"] > 0, r["n_projects"]))


def _point_rows(data: MapData) -> np.ndarray:
    """Positions of the places that are points, busiest first (as map_places.sql gives them)."""
    return np.flatnonzero((data.places["placed_at"] == "point").to_numpy())


def points(data: MapData) -> pd.DataFrame:
    """The places drawn as points: at most MAX_POINTS, those with the most activities
    (the page says how many more there are; their money stays in their provinces).
    map_places.sql returns these and the points it lists beside the map, no others."""
    return data.places.iloc[_point_rows(data)[:map_data.MAX_POINTS]]


def points_not_drawn(data: MapData) -> int:
    return max(0, data.n_points - map_data.MAX_POINTS)


def place_rows(data: MapData, t, currency: str, lang: str, flow_label: str) -> list[dict]:
    """The places drawn as points, with their tooltips (column by column, and what the
    tooltips repeat is formatted once: this runs for thousands of places at each rerun)."""
    p = points(data)
    if p.empty:
        return []
    province = [x if isinstance(x, str) else None for x in p["province"].tolist()]
    prov = data.provinces[data.provinces["iso"].isin(set(province))]
    totals = {iso: t("map.tip_province_total", province=name, flow=flow_label,
                     amount=_money_text(value, approximate, currency, lang, t))
              for iso, name, value, approximate in zip(prov["iso"], prov["name"], prov["value"], prov["approximate"])}
    n = [int(k) for k in p["n_projects"].tolist()]
    counts = {k: t("map.tip_projects", n=fmt.number(k, lang)) for k in set(n)}
    kinds = {k: t("map.kind_" + k) for k in p["kind"].unique()}
    names = p["name"].tolist()
    # a record naming a former province of Viet Nam: the unit it is counted in, and what it says
    stated = p["stated_province_name"].tolist() if "stated_province_name" in p else [None] * len(p)
    shown = [t("map.tip_as_stated", now=a, stated=s) if isinstance(a, str) and isinstance(s, str) else a
             for a, s in zip(p["province_name"].tolist(), stated)]
    where = [", ".join(x for x in (a, b if isinstance(b, str) else c) if isinstance(x, str) and x)
             for a, b, c in zip(shown, p["country_name"].tolist(), p["country"].tolist())]
    return [{"key": key, "name": name, "kind": kind, "lon": float(lon), "lat": float(lat), "province": pr,
             "n_projects": k, "tip_title": f"{name} ({kinds[kind]}) · {w}",
             "tip_body": "\n".join(x for x in (counts[k], _join(labels, k), totals.get(pr)) if x)}
            for key, name, kind, lon, lat, pr, k, w, labels in zip(
                p["location_id"].tolist(), names, p["kind"].tolist(), p["lon"].tolist(), p["lat"].tolist(),
                province, n, where, p["projects"].tolist())]


COUNTRY_SIZE, PROVINCE_SIZE, CITY_SIZE = 17, 14, 13
LABEL_GAP = 9  # pixels between a point and its name


@functools.lru_cache(maxsize=16384)  # a label tries up to eight boxes around the same point
def _pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web-mercator pixel coordinates at `zoom` (deck.gl's world is 512 px at zoom 0)."""
    world = 512 * 2 ** zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return world * (lon + 180) / 360, world * (1 - y / math.pi) / 2


# placement -> (text anchor, alignment baseline, direction of the offset from the point)
PLACEMENTS = {
    "below": ("middle", "top", (0, 1)),
    "above": ("middle", "bottom", (0, -1)),
    "right": ("start", "center", (1, 0)),
    "left": ("end", "center", (-1, 0)),
    "centre": ("middle", "center", (0, 0)),
}


def _box(label: dict, zoom: float, size: int, placement: str, gap: float = LABEL_GAP) -> tuple[float, float, float, float]:
    """The label's approximate box on screen (x0, y0, x1, y1), `gap` pixels from its
    point in the direction of `placement`; text ~0.62 em per letter."""
    x, y = _pixel(label["lon"], label["lat"], zoom)
    w, h = 0.62 * size * len(label["text"]) + 4, 1.25 * size
    anchor, baseline, (ux, uy) = PLACEMENTS[placement]
    x0 = {"start": x + ux * gap, "end": x + ux * gap - w, "middle": x - w / 2}[anchor]
    y0 = {"top": y + uy * gap, "bottom": y + uy * gap - h, "center": y - h / 2}[baseline]
    return x0, y0, x0 + w, y0 + h


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _Boxes:
    """Boxes on screen, bucketed in a grid so that asking "does this box overlap one of
    them" looks at the neighbourhood only (a large portfolio has tens of thousands of places)."""

    CELL = 64.0

    def __init__(self):
        self.cells: dict[tuple[int, int], list] = {}

    # (the loops are written out: this runs thousands of times at each rerun of the map)
    def add(self, box, key=None) -> None:
        c, cells, item = self.CELL, self.cells, (key, box)
        for i in range(int(box[0] // c), int(box[2] // c) + 1):
            for j in range(int(box[1] // c), int(box[3] // c) + 1):
                cells.setdefault((i, j), []).append(item)

    def hits(self, box, ignore=None) -> bool:
        x0, y0, x1, y1 = box
        c, cells = self.CELL, self.cells
        for i in range(int(x0 // c), int(x1 // c) + 1):
            for j in range(int(y0 // c), int(y1 // c) + 1):
                for k, b in cells.get((i, j), ()):
                    if x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 and (k is None or k != ignore):
                        return True
        return False


def label_sizes(scale: float = 1.0) -> tuple[int, int, int]:
    """Type sizes in pixels of the country, province and city names."""
    return round(COUNTRY_SIZE * scale), round(PROVINCE_SIZE * scale), round(CITY_SIZE * scale)


def label_rows(features: list[dict], cities: list[dict], places: list[dict], data: MapData, zoom: float,
               sizes: tuple[int, int, int] = (COUNTRY_SIZE, PROVINCE_SIZE, CITY_SIZE)
               ) -> tuple[list[dict], list[dict], list[dict]]:
    """Names to write at the initial `zoom`: the countries, then the provinces that have
    money or activities (most money first), then the cities with activities and the
    national capitals. Each name goes below, above, right or left of its point, the first
    of these where it covers no name placed before it and no bubble or place; a name with
    no room is left out (its object keeps its tooltip). A city in a province already named
    gets no label, or the map would print "Siem Reab" and "Siem Reap" side by side."""
    country_size, province_size, city_size = sizes
    names = data.provinces.drop_duplicates("country").set_index("country")["country_name"]
    countries = [{"text": str(names.get(c, c)).upper(), "lon": x, "lat": y}
                 for c, (x, y) in COUNTRY_LABEL_AT.items() if c in names.index]
    taken = _Boxes()  # the names placed so far
    for c in countries:
        taken.add(_box(c, zoom, country_size, "centre"))
    dots = _Boxes()  # the bubbles and places a name must not cover
    for d in [c for c in cities if c["n_projects"]] + places:
        x, y = _pixel(d["lon"], d["lat"], zoom)
        r = d.get("radius", 5) + 1
        dots.add((x - r, y - r, x + r, y + r), d["key"])

    def place(label, size, placements, gaps, own=None) -> dict | None:
        """The first placement whose box is clear; `own` is the key of the label's own dot."""
        for gap in gaps:
            for placement in placements:
                box = _box(label, zoom, size, placement, gap)
                if taken.hits(box) or dots.hits(box, ignore=own):
                    continue
                taken.add(box)
                anchor, baseline, (ux, uy) = PLACEMENTS[placement]
                return {**label, "anchor": anchor, "baseline": baseline, "offset": [ux * gap, uy * gap],
                        "placement": placement, "gap": gap}
        return None

    shown = [f for f in features if f["properties"]["n_projects"] > 0 or f["properties"]["value"]]
    shown.sort(key=lambda f: (-(f["properties"]["value"] or 0), -f["properties"]["n_projects"], f["properties"]["iso"]))
    provinces = []
    for f in shown:
        x, y = f.get("label_at") or label_point(f["geometry"])
        label = place({"text": f["properties"]["name"], "lon": x, "lat": y, "iso": f["properties"]["iso"]},
                      province_size, ("below", "above", "right", "left"), (LABEL_GAP, 2 * LABEL_GAP))
        if label:
            provinces.append(label)
    named = {p["iso"] for p in provinces}
    candidates = sorted((c for c in cities if (c["n_projects"] or c["capital"]) and c["province"] not in named),
                        key=lambda c: (-c["n_projects"], not c["capital"], c["name"]))
    city_labels = []
    for c in candidates:
        label = place({"text": c["name"], "lon": c["lon"], "lat": c["lat"]}, city_size,
                      ("right", "left", "above", "below"), (c["radius"] + 3,), own=c["key"])
        if label:
            city_labels.append(label)
    return countries, provinces, city_labels


def country_bounds(countries: dict, iso2: str, margin: float = 0.3) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of one country's outline, with a margin; None if not drawn."""
    xs, ys = [], []
    for f in countries.get("features", []):
        if f["properties"].get("iso2") != iso2:
            continue
        geom = f["geometry"]
        lines = geom["coordinates"] if geom["type"] in ("MultiLineString", "Polygon") else (
            [ring for poly in geom["coordinates"] for ring in poly] if geom["type"] == "MultiPolygon" else [geom["coordinates"]])
        for line in lines:
            xs += [p[0] for p in line]
            ys += [p[1] for p in line]
    if not xs:
        return None
    return min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin


def build_deck(data: MapData, boundaries: dict, countries: dict, options: MapOptions, t, currency: str, lang: str,
               flow_label: str, view: pdk.ViewState | None = None, label_scale: float = 1.0,
               selected: str | None = None) -> tuple[pdk.Deck, Legend]:
    """The deck (layer ids: provinces, countries, cities, places, selected, labels-*) and
    the legend of its province colours. `label_scale` enlarges the names (presentation
    mode); `selected` (a province's ISO code or "city:<geonameid>") is outlined."""
    view = view or initial_view()
    metric_values = data.provinces.loc[data.provinces["drawn"], "value" if options.metric == MONEY else "n_projects"]
    scale = color_scale(metric_values, integer=options.metric == PROJECTS)
    features = province_features(boundaries, data, scale, options.metric, t, currency, lang, flow_label)
    cities = city_rows(data, t, currency, lang, flow_label)
    places = place_rows(data, t, currency, lang, flow_label)
    fill_alpha = 190 if options.basemap else 255
    for f in features:
        f["properties"]["fill"] = f["properties"]["fill"][:3] + [fill_alpha]

    layers = []
    if "provinces" in options.layers:
        # the fills only: their borders are drawn with the countries' (below). Only the
        # fills answer clicks: picking border lines too made a click take longer than a
        # tap with software WebGL, and the click was lost
        layers.append(pdk.Layer(
            "GeoJsonLayer", id="provinces", data={"type": "FeatureCollection", "features": features},
            pickable=True, stroked=False, filled=True, get_fill_color="properties.fill",
            auto_highlight=True, highlight_color=[255, 255, 255, 90]))
    # the lines: the provinces' borders (thin, white) under the countries' (grey), in one
    # layer of segments; a fifth value of 1 marks a country's
    lines = ([s + [0] for s in segments(boundaries)] if "provinces" in options.layers else []) + \
        [s + [1] for s in segments(countries)]
    layers.append(pdk.Layer(
        "LineLayer", id="countries", data=lines, pickable=False,
        get_source_position="[this[0], this[1]]", get_target_position="[this[2], this[3]]",
        get_color=f"this[4] ? {list(COUNTRY_LINE) + [255]} : {list(PROVINCE_LINE) + [255]}",
        get_width="this[4] ? 1.6 : 0.8", width_units="'pixels'"))
    if "cities" in options.layers:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="cities", data=cities, pickable=True, stroked=True, filled=True,
            get_position=["lon", "lat"], get_radius="radius", radius_units="'pixels'", get_fill_color="fill",
            get_line_color="line", line_width_units="'pixels'", get_line_width=1.2, auto_highlight=True))
    if "places" in options.layers:
        # what the browser reads of a place (its tooltip, and its province when clicked),
        # at a metre: thousands of them go out at every rerun
        shown = [{"key": p["key"], "lon": round(p["lon"], 5), "lat": round(p["lat"], 5), "province": p["province"],
                  "tip_title": p["tip_title"], "tip_body": p["tip_body"]} for p in places]
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="places", data=shown, pickable=True, stroked=True, filled=True,
            get_position=["lon", "lat"], get_radius=5, radius_units="'pixels'",
            get_fill_color=list(PLACE_COLOR) + [255], get_line_color=[255, 255, 255, 255],
            line_width_units="'pixels'", get_line_width=1.5, auto_highlight=True))
    if selected:  # the place whose activities are listed beside the map
        chosen = [f for f in features if f["properties"].get("iso") == selected]
        if chosen:
            layers.append(pdk.Layer(
                "GeoJsonLayer", id="selected", data={"type": "FeatureCollection", "features": chosen}, pickable=False,
                stroked=True, filled=False, get_line_color=list(SELECTED_LINE), line_width_units="'pixels'",
                get_line_width=4))
        spot = [c for c in cities if c["key"] == selected]
        if spot:
            layers.append(pdk.Layer(
                "ScatterplotLayer", id="selected", data=spot, pickable=False, stroked=True, filled=False,
                get_position=["lon", "lat"], get_radius="radius", radius_units="'pixels'", radius_min_pixels=10,
                get_line_color=list(SELECTED_LINE), line_width_units="'pixels'", get_line_width=4))
    if "labels" in options.layers:
        sizes = label_sizes(label_scale)
        country_labels, province_labels, city_labels = label_rows(features, cities, places, data, view.zoom, sizes)
        text = dict(get_position=["lon", "lat"], get_text="text", character_set="'auto'",
                    font_family='"DejaVu Sans, Arial, sans-serif"',
                    font_settings={"sdf": True}, outline_width=3, outline_color=[255, 255, 255, 230], pickable=False,
                    size_units="'pixels'", billboard=True)
        beside = {"get_text_anchor": "anchor", "get_alignment_baseline": "baseline", "get_pixel_offset": "offset"}
        layers.append(pdk.Layer("TextLayer", id="labels-countries", data=country_labels, get_size=sizes[0],
                                get_color=[95, 95, 95, 255], font_weight=700, **text))
        if "provinces" in options.layers:
            layers.append(pdk.Layer("TextLayer", id="labels-provinces", data=province_labels, get_size=sizes[1],
                                    get_color=[25, 25, 25, 255], font_weight=600, **beside, **text))
        if "cities" in options.layers:
            layers.append(pdk.Layer("TextLayer", id="labels-cities", data=city_labels, get_size=sizes[2],
                                    get_color=[60, 60, 60, 255], **beside, **text))

    deck = CompactDeck(
        layers=layers, initial_view_state=view,
        map_provider="carto" if options.basemap else None,
        # pydeck's own sentinel ("no style") when there is no provider: Streamlit would
        # fetch a CARTO style for map_style=None
        **({"map_style": "light"} if options.basemap else {}),
        tooltip={"html": "<b>{tip_title}</b><br/>{tip_body}", "style": TOOLTIP_STYLE},
    )
    return deck, legend(scale, options.metric, t, currency, lang, flow_label)


def project_deck(places: pd.DataFrame, boundaries: dict, countries: dict, width: int = 420,
                 height: int = 300) -> pdk.Deck | None:
    """A small map of one activity's places: its provinces filled, its points (places with
    coordinates) as dots, the country outlines around them; framed on what it shows.
    No basemap, nothing fetched. None when the activity has no province and no point."""
    provinces = {p for p in places.get("province", pd.Series(dtype=object)).dropna()}
    located = places.dropna(subset=["lat", "lon"]) if "lat" in places else places.iloc[0:0]
    shapes = [f for f in boundaries.get("features", []) if f["properties"].get("iso") in provinces]
    if not shapes and located.empty:
        return None
    xs, ys = list(located["lon"]), list(located["lat"])
    for f in shapes:
        for ring in _rings(f["geometry"]):
            xs += [p[0] for p in ring]
            ys += [p[1] for p in ring]
    margin = 0.6
    bounds = (min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)
    view = initial_view(width, height, bounds=bounds, padding=0.05)
    view.zoom = min(view.zoom, 8)
    layers = [
        pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": countries.get("features", [])},
                  id="project-countries", stroked=True, filled=True, get_fill_color=[238, 238, 238],
                  get_line_color=[90, 90, 90], line_width_min_pixels=1),
        pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": shapes}, id="project-provinces",
                  stroked=True, filled=True, get_fill_color=[31, 111, 139, 150], get_line_color=[31, 111, 139],
                  line_width_min_pixels=2, pickable=True),
        pdk.Layer("ScatterplotLayer", located[["name", "lat", "lon"]].to_dict("records"), id="project-points",
                  get_position=["lon", "lat"], get_fill_color=[200, 40, 80], get_line_color=[255, 255, 255],
                  stroked=True, line_width_min_pixels=1, radius_min_pixels=5, radius_max_pixels=8, pickable=True),
    ]
    # no map_style: pydeck's own "no style" sentinel (Streamlit fetches a CARTO style for None)
    return CompactDeck(layers=layers, initial_view_state=view, map_provider=None, tooltip={"text": "{name}"})


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"][:1]
    elif geometry["type"] == "MultiPolygon":
        for poly in geometry["coordinates"]:
            yield from poly[:1]
