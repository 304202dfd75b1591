"""Pure figure builders: a DataFrame from a query in, a plotly figure out.

No Streamlit and no database here, so the same figures serve the pages, the slides and
the PNG exports. `scale` enlarges the type for presentation mode.
"""
import datetime as dt
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from mekong.views import fmt, i18n

# The kinds of trace the charts draw: the template keeps only their defaults.
TRACE_TYPES = ("bar", "scatter", "sankey", "treemap")


def _template() -> go.layout.Template:
    """plotly_white with only what these charts use: its defaults for the traces above and
    its layout without the subplots they never draw (maps, polar, ternary, 3D). Every
    figure carries its template, copied and sent with each redraw: the whole of
    plotly_white is about 550 values (7 kB) a chart, this a quarter of it; the charts look
    the same."""
    white = pio.templates["plotly_white"].to_plotly_json()
    return go.layout.Template(
        data={k: v for k, v in white["data"].items() if k in TRACE_TYPES},
        layout={k: v for k, v in white["layout"].items() if k not in ("geo", "polar", "ternary", "scene", "mapbox", "map")})


# As plotly's default template it is put on each new figure without being validated
# again: 1 ms a figure instead of about 17 ms.
pio.templates["mekong"] = _template()


def _new_figure(**kwargs) -> go.Figure:
    """go.Figure with the template above: set as the default here, since importing
    Streamlit's plotly_chart after this module makes its own theme the default."""
    if pio.templates.default != "mekong":
        pio.templates.default = "mekong"
    return go.Figure(**kwargs)

PALETTE = ["#1f6f8b", "#e07a1f", "#3c9d5d", "#b8405e", "#7a5ea8", "#c4a000", "#4a90c2", "#8c6d46",
           "#2a9d8f", "#9c4d97", "#6b8e23", "#d1495b"]
BUCKET_COLOR = "#9aa5b1"  # money that cannot be attributed: several funders, split not stated...
PLANNED_PATTERN = "/"
# Past these, the smallest cells or nodes are grouped as "Others": thousands are unreadable
# and take seconds to build, send and draw.
TREEMAP_MAX_LEAVES = 150
SANKEY_MAX_NODES = 12


def _margin(title: str | None, scale: float = 1.0, right: int = 10) -> dict:
    return {"l": 10, "r": round(right * scale), "t": 50 * scale if title else 10, "b": 10}


def _base_layout(title: str | None, scale: float = 1.0, height: int | None = None) -> dict:
    return dict(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": round(18 * scale)}} if title else None,
        font={"size": round(13 * scale), "family": "DejaVu Sans, Arial, sans-serif"},
        margin=_margin(title, scale),
        height=height,
        colorway=PALETTE,
    )


def _layout(fig: go.Figure, title: str | None, scale: float = 1.0, height: int | None = None) -> go.Figure:
    fig.update_layout(**_base_layout(title, scale, height))
    return fig


def _figure(trace, title: str | None, scale: float, height: int | None, **layout) -> go.Figure:
    """A figure made in one go: plotly validates everything at each update_* call, so
    one constructor call is about three times faster than a figure updated four times."""
    merged = {**_base_layout(title, scale, height), **layout}
    return _new_figure(data=[trace], layout={k: v for k, v in merged.items() if v is not None})


def _array(items: list) -> np.ndarray:
    """Strings for a trace as a numpy array: plotly checks a list item by item, an array
    at once (a treemap or sankey of hundreds of nodes is built five times faster)."""
    return np.array(items, dtype=object)


def _separators(lang: str) -> str:
    # plotly's decimal then thousands separator
    return ", " if lang == "fr" else ".,"


def _nice_step(span: float, ticks: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving at most `ticks` steps."""
    raw = span / max(ticks, 1)
    power = 10 ** np.floor(np.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def money_axis(values, lang: str, ticks: int = 4) -> dict:
    """Ticks of a money axis written for the language ("4M", "1.2B"; "4 M", "1,2 Md"), at
    most `ticks` + 1 of them from 0 (or the lowest value) to past the highest: plotly's
    own "~s" writes milliards as "G" and puts as many ticks as fit, which crowd a chart
    half the page wide."""
    v = [float(x) for x in values if x is not None and x == x]
    low, high = min([0.0, *v]), max([0.0, *v])
    if high == low:
        return {"tickvals": [0], "ticktext": ["0"]}
    step = _nice_step(high - low, ticks)
    start, end = low * 1.05, high * 1.05  # a little room past the longest bar, as plotly leaves
    vals = [float(x) for x in np.arange(np.floor(low / step) * step, end + step / 2, step) if start <= x <= end]
    return {"tickvals": vals, "ticktext": [fmt.compact_number(round(x, 6), lang) for x in vals],
            "range": [float(start), float(end)]}


def _two_lines(name: str, width: int = 28) -> str:
    """A long name on at most two lines (the second cut with "…"): on one line, names like
    "Plusieurs bailleurs (répartition non indiquée)" leave the bars no room."""
    lines = textwrap.wrap(str(name), width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "<br>".join(fmt.html_text(line) for line in lines)


def bar_h(df: pd.DataFrame, label: str, value: str, currency: str, lang: str, title: str | None = None,
          bucket_col: str | None = None, scale: float = 1.0, max_bars: int = 15) -> go.Figure:
    """Horizontal bars, largest on top. Rows where `bucket_col` is true are drawn grey."""
    d = df.head(max_bars).iloc[::-1]
    # plotly leaves out a bar under about 1/100 of a pixel, its amount with it: such a bar
    # is drawn 1/5000 of the longest (still under a pixel) so that its amount is written
    longest = max([float(v) for v in d[value] if v == v] + [0.0])
    drawn = [max(float(v), longest / 5000) if v == v and v > 0 else v for v in d[value]]
    colors = [BUCKET_COLOR if bucket_col and b else PALETTE[0] for b in (d[bucket_col] if bucket_col else [False] * len(d))]
    text = [fmt.compact_money(v, currency, lang) for v in d[value]]
    hover = [f"{fmt.html_text(lbl)}<br>{fmt.money(v, currency, lang)}" for lbl, v in zip(d[label], d[value])]
    names = [fmt.html_text(n) for n in d[label]]  # category values, escaped like every label
    return _figure(go.Bar(x=drawn, y=names, orientation="h", marker_color=colors, text=text,
                          textposition="auto", hovertext=hover, hoverinfo="text", cliponaxis=False),
                   title, scale, max(220, int((60 + 34 * len(d)) * scale)),
                   xaxis={"title": {"text": currency}, "automargin": True, **money_axis(d[value], lang, ticks=3)},
                   yaxis={"automargin": True, "tickvals": names, "ticktext": [_two_lines(n) for n in d[label]]},
                   # room on the right for a value written beyond the longest bar, which
                   # happens when long names leave the bars little width ("79,2 Md EUR")
                   margin=_margin(title, scale, right=90),
                   separators=_separators(lang))


def year_bars(df: pd.DataFrame, currency: str, lang: str, title: str | None = None, scale: float = 1.0) -> go.Figure:
    """Money per calendar year (rows with a year)."""
    d = df.dropna(subset=["year"])
    hover = [f"{int(y)}<br>{fmt.money(v, currency, lang)}" for y, v in zip(d["year"], d["value"])]
    return _figure(go.Bar(x=d["year"].astype(int), y=d["value"], marker_color=PALETTE[0], hovertext=hover, hoverinfo="text"),
                   title, scale, int(340 * scale),
                   # a tick a year while they fit a chart half the page wide, else plotly's round steps
                   xaxis={"dtick": 1 if len(d) <= 10 else None, "nticks": 10, "tickformat": "d", "automargin": True},
                   yaxis={"title": {"text": currency}, "automargin": True, **money_axis(d["value"], lang)},
                   separators=_separators(lang))


def fiscal_year_bars(df: pd.DataFrame, currency: str, lang: str, title: str | None = None,
                     scale: float = 1.0) -> go.Figure:
    """Money per fiscal year (`key` the label, in order; `months`): an interim six-month
    year is drawn half as wide, as what it is, not as a full year."""
    width = [0.8 * (m / 12 if m == m and m else 1) for m in df["months"]]
    hover = [f"{k}<br>{fmt.money(v, currency, lang)}" for k, v in zip(df["key"], df["value"])]
    return _figure(go.Bar(x=df["key"], y=df["value"], width=width, marker_color=PALETTE[0], hovertext=hover,
                          hoverinfo="text"),
                   title, scale, int(340 * scale), xaxis={"type": "category", "automargin": True},
                   yaxis={"title": {"text": currency}, "automargin": True, **money_axis(df["value"], lang)},
                   separators=_separators(lang))


def _keep_largest(df: pd.DataFrame, path: list[str], value: str, max_leaves: int, other: str) -> pd.DataFrame:
    """The max_leaves largest rows; the others summed under their first-level parent as
    one `other` leaf, so every parent keeps its total."""
    if len(df) <= max_leaves:
        return df
    d = df.sort_values(value, ascending=False, kind="stable")
    rest = d.iloc[max_leaves:].groupby(path[0], sort=False, dropna=False)[value].sum().reset_index()
    for c in path[1:]:
        rest[c] = other
    return pd.concat([d.iloc[:max_leaves][path + [value]], rest], ignore_index=True)


def treemap(df: pd.DataFrame, path: list[str], value: str, currency: str, lang: str, root: str,
            title: str | None = None, scale: float = 1.0, max_leaves: int = TREEMAP_MAX_LEAVES, other: str = "Others") -> go.Figure:
    """A treemap over the label columns in `path` (e.g. donor -> category -> sector). Past
    max_leaves leaves the smallest are grouped as `other` under their first-level parent
    (thousands of cells are unreadable and slow to draw)."""
    df = _keep_largest(df, path, value, max_leaves, other)
    root = fmt.html_text(root)  # names are escaped in ids too: plotly reads labels as pseudo-HTML
    ids, labels, parents, values = [root], [root], [""], [float(df[value].sum())]
    # each level's cells in the order they first come, summed (plain lists: pandas takes
    # ten times as long over a few hundred rows)
    names = [[fmt.html_text(str(x)) for x in df[c].tolist()] for c in path]
    amounts = df[value].tolist()
    for depth in range(len(path)):
        sums: dict[tuple, float] = {}
        for *keys, v in zip(*names[: depth + 1], amounts):
            sums[tuple(keys)] = sums.get(tuple(keys), 0.0) + v
        for keys, v in sums.items():
            ids.append(root + "/" + "/".join(keys))
            labels.append(keys[-1])
            parents.append(root + ("/" + "/".join(keys[:-1]) if depth else ""))
            values.append(float(v))
    text = [fmt.compact_money(v, currency, lang) for v in values]
    return _figure(go.Treemap(ids=_array(ids), labels=_array(labels), parents=_array(parents), values=np.array(values),
                              branchvalues="total", text=_array(text), textinfo="label+text", hoverinfo="label+text",
                              marker={"colors": None}, root_color="#f4f6f8"), title, scale, int(480 * scale))


def _group_small_nodes(df: pd.DataFrame, stages: list[tuple[str, str]], value: str, max_nodes: int,
                       other: str) -> pd.DataFrame:
    """In each stage, the max_nodes - 1 largest nodes and one `other` node for the rest."""
    d = df
    for key, lab in stages:
        totals = d.groupby(key, sort=False)[value].sum().sort_values(ascending=False, kind="stable")
        if len(totals) > max_nodes:
            small = ~d[key].isin(set(totals.index[: max_nodes - 1]))
            d = d.copy()
            d.loc[small, key] = "~other"
            d.loc[small, lab] = other
    return d


def sankey(df: pd.DataFrame, stages: list[tuple[str, str]], value: str, currency: str, lang: str,
           title: str | None = None, scale: float = 1.0, max_nodes: int = SANKEY_MAX_NODES, other: str = "Others") -> go.Figure:
    """Flows through `stages`, each a (key column, label column) pair: e.g. donor ->
    implementer -> country. Keys keep nodes of different stages apart. A stage with more
    than max_nodes nodes shows the largest and groups the rest as `other`."""
    df = _group_small_nodes(df, stages, value, max_nodes, other)
    node_index: dict[tuple[int, str], int] = {}
    labels: list[str] = []
    full: list[str] = []  # the whole name, on hover over a node whose label is cut
    # nodes and links in the order they first come (plain lists: pandas takes ten times as
    # long over a few hundred rows)
    keys = [df[key].tolist() for key, _ in stages]
    amounts = df[value].tolist()
    for i, (_, lab) in enumerate(stages):
        for k, name in zip(keys[i], df[lab].tolist()):
            if (i, k) not in node_index:
                node_index[(i, k)] = len(labels)
                labels.append(fmt.html_text(name if len(name) <= 40 else name[:38] + "…"))
                full.append(fmt.html_text(name))
    src, dst, val = [], [], []
    for i in range(len(stages) - 1):
        links: dict[tuple, float] = {}
        for a, b, v in zip(keys[i], keys[i + 1], amounts):
            if isinstance(a, str) and isinstance(b, str):  # as a group-by, a missing key links nothing
                links[(a, b)] = links.get((a, b), 0.0) + v
        for (a, b), v in links.items():
            src.append(node_index[(i, a)])
            dst.append(node_index[(i + 1, b)])
            val.append(float(v))
    hover = [fmt.money(v, currency, lang) for v in val]
    return _figure(go.Sankey(
        node={"label": _array(labels), "pad": 14, "thickness": 16, "color": PALETTE[0], "customdata": _array(full),
              "hovertemplate": "%{customdata}<extra></extra>"},
        link={"source": np.array(src, dtype=int), "target": np.array(dst, dtype=int), "value": np.array(val),
              "customdata": _array(hover),
              "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>",
              "color": "rgba(31,111,139,0.25)"},
    ), title, scale, int(max(360, 28 * len(labels)) * scale))


def flow_graph(df: pd.DataFrame, value: str, currency: str, lang: str, title: str | None = None, scale: float = 1.0,
               max_links: int = 40) -> go.Figure:
    """A sankey of edges between nodes that may sit at any depth (a funding chain): each
    row is source_key, source_label, target_key, target_label and `value`; one node per
    key. The max_links largest edges are drawn."""
    df = df.nlargest(max_links, value) if len(df) > max_links else df
    index: dict[str, int] = {}
    labels: list[str] = []
    for key, name in [*zip(df["source_key"], df["source_label"]), *zip(df["target_key"], df["target_label"])]:
        if key not in index:
            index[key] = len(labels)
            name = name if isinstance(name, str) else str(key)
            labels.append(fmt.html_text(name if len(name) <= 40 else name[:38] + "…"))
    hover = [fmt.money(v, currency, lang) for v in df[value]]
    return _figure(go.Sankey(
        node={"label": _array(labels), "pad": 14, "thickness": 16, "color": PALETTE[0]},
        link={"source": np.array([index[k] for k in df["source_key"]], dtype=int),
              "target": np.array([index[k] for k in df["target_key"]], dtype=int),
              "value": np.array(df[value], dtype=float), "customdata": _array(hover),
              "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>",
              "color": "rgba(31,111,139,0.25)"},
    ), title, scale, int(max(360, 28 * len(labels)) * scale))


def _short(text, n: int) -> str:
    text = str(text)
    return f"{text[:n]}…" if len(text) > n else text


def gantt(df: pd.DataFrame, lang: str, today: dt.date, labels: dict, title: str | None = None,
          scale: float = 1.0, events: pd.DataFrame | None = None) -> go.Figure:
    """Activities as bars from start to end: solid where both dates are actual, hatched
    where a date is planned; an activity with no end date runs to `today` in a lighter
    colour. `labels` gives the legend texts: actual, planned, open.
    Events (start_date, title) are drawn as diamonds on their own row."""
    d = df.dropna(subset=["start_date"]).copy()
    d["start"] = pd.to_datetime(d["start_date"])
    d["end"] = pd.to_datetime(d["end_date"]).fillna(pd.Timestamp(today))
    d["end"] = d[["start", "end"]].max(axis=1) + pd.Timedelta(days=1)
    d["kind"] = "actual"
    d.loc[~(d["start_actual"].astype(bool) & d["end_actual"].astype(bool)), "kind"] = "planned"
    d.loc[d["end_date"].isna(), "kind"] = "open"
    # plotly reads its labels as pseudo-HTML: titles are escaped (fmt.html_text)
    titles = d["title"].fillna(d["project_id"])
    if "group" in d:  # ordered by donor or country: the group leads each row's name
        d["row"] = [fmt.html_text(f"{_short(g, 28)} · {_short(t, 44)}")
                    for g, t in zip(d["group"].fillna(labels.get("no_group", "—")), titles)]
    else:
        d["row"] = [fmt.html_text(_short(t, 60)) for t in titles]
    fig = _new_figure()
    styles = {"actual": (PALETTE[0], ""), "planned": (PALETTE[0], PLANNED_PATTERN), "open": ("#9cc3d1", ".")}
    for kind, (color, pattern) in styles.items():
        part = d[d["kind"] == kind]
        if part.empty:
            continue
        hover = [f"<b>{r.row}</b><br>{fmt.date(r.start_date, lang, r.start_precision or 'day')} – "
                 f"{fmt.date(r.end_date, lang, r.end_precision or 'day') if pd.notna(r.end_date) else labels['open']}"
                 for r in part.itertuples()]
        fig.add_trace(go.Bar(
            y=part["row"], x=(part["end"] - part["start"]).dt.total_seconds() * 1000, base=part["start"],
            orientation="h", name=labels[kind], marker={"color": color, "pattern": {"shape": pattern}},
            hovertext=hover, hoverinfo="text", customdata=part["project_id"],
        ))
    if events is not None and not events.empty:
        e = events.copy()
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(e["start_date"]), y=[labels["events"]] * len(e), mode="markers",
            marker={"symbol": "diamond", "size": 12 * scale, "color": PALETTE[1]}, name=labels["events"],
            hovertext=[i18n.text("common.label_value", lang, label=fmt.date(r.start_date, lang, r.precision),
                                 value=fmt.html_text(r.title)) for r in e.itertuples()],
            hoverinfo="text",
        ))
    rows = list(dict.fromkeys(d["row"]))
    if events is not None and not events.empty:
        rows = [labels["events"]] + rows
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1], automargin=True)
    fig.update_xaxes(type="date")
    if "today" in labels:  # where "now" is on the time line
        now = pd.Timestamp(today)
        fig.add_shape(type="line", x0=now, x1=now, y0=0, y1=1, yref="paper", line={"color": "#c0392b", "width": 2, "dash": "dot"})
        fig.add_annotation(x=now, y=1, yref="paper", text=labels["today"], showarrow=False, yanchor="bottom",
                           font={"color": "#c0392b", "size": round(12 * scale)})
    fig.update_layout(barmode="overlay", legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0})
    _layout(fig, title, scale, height=int(max(300, 90 + 30 * len(rows)) * scale))
    return fig


def headline(items: list[tuple[str, str]], title: str | None = None, scale: float = 1.0, columns: int = 2) -> go.Figure:
    """Key figures as large text in a grid: [(label, formatted value), ...], label above value."""
    fig = _new_figure()
    rows = (len(items) + columns - 1) // columns
    for i, (label, value) in enumerate(items):
        x = (i % columns + 0.5) / columns
        top = 1 - (i // columns) / rows
        fig.add_annotation(x=x, y=top - 0.22 / rows, text=label, showarrow=False, xref="paper", yref="paper",
                           xanchor="center", yanchor="middle", font={"size": round(16 * scale), "color": "#555"})
        fig.add_annotation(x=x, y=top - 0.55 / rows, text=f"<b>{value}</b>", showarrow=False, xref="paper", yref="paper",
                           xanchor="center", yanchor="middle", font={"size": round(30 * scale), "color": PALETTE[0]})
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    return _layout(fig, title, scale, height=int(120 * rows * scale))


def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiLineString":
        return geometry["coordinates"]
    return []


def province_map(provinces: dict, outlines: dict, values: dict[str, float], currency: str, lang: str,
                 legend_title: str, no_data: str, title: str | None = None, scale: float = 1.0, bins: int = 5) -> go.Figure:
    """A static province choropleth drawn with plain filled shapes in longitude/latitude,
    for slides and PNG files: no map tiles, no WebGL, nothing fetched. `values` maps ISO
    3166-2 codes to amounts; provinces without a value are grey."""
    shades = ["#d6e8ef", "#a9cfdd", "#6fb0c8", "#3a8aa8", "#1f6f8b", "#12485c"][-bins:]
    positive = sorted(set(v for v in values.values() if v and v > 0))
    # Quantile class limits; with few distinct values each gets its own class, the
    # largest always the darkest.
    edges = positive[:-1] if len(positive) <= bins else \
        [positive[int(len(positive) * k / bins) - 1] for k in range(1, bins)]

    def bin_of(v):
        return sum(v > e for e in edges) + (len(shades) - 1 - len(edges))

    groups: dict[int, tuple[list, list]] = {}
    for feature in provinces["features"]:
        v = values.get(feature["properties"]["iso"])
        key = -1 if not v or v <= 0 else bin_of(v)
        xs, ys = groups.setdefault(key, ([], []))
        for ring in _rings(feature["geometry"]):
            xs.extend([p[0] for p in ring] + [None])
            ys.extend([p[1] for p in ring] + [None])
    fig = _new_figure()
    for key in sorted(groups):
        xs, ys = groups[key]
        if key < 0:
            name = no_data
        else:
            k = key - (len(shades) - 1 - len(edges))
            lo = 0 if k == 0 else edges[k - 1]
            hi = edges[k] if k < len(edges) else max(positive)
            name = f"{fmt.compact_money(lo, currency, lang)} – {fmt.compact_money(hi, currency, lang)}"
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", mode="lines", name=name, hoverinfo="skip",
                                 line={"color": "white", "width": 0.5},
                                 fillcolor="#eeeeee" if key < 0 else shades[key]))
    xs, ys = [], []
    for feature in outlines["features"]:
        for line in _rings(feature["geometry"]):
            xs.extend([p[0] for p in line] + [None])
            ys.extend([p[1] for p in line] + [None])
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#444", "width": 1}, hoverinfo="skip",
                             showlegend=False))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.1)  # ~cos(latitude) near 15°N
    fig.update_layout(legend={"title": {"text": legend_title}, "x": 1.0, "y": 0.5})
    return _layout(fig, title, scale, height=int(700 * scale))
