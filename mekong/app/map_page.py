"""Streamlit pieces of the map page: its controls (kept in the URL), the user's own
boundaries file, the legend and the lists beside the map."""
import html

import pandas as pd
import streamlit as st

from mekong.app import present_keys, urlstate
from mekong.app.ui import filters, money, t
from mekong.app.widgets import PRESENT_KEY, present_note, stamp
from mekong.app.widgets import table as table_with_downloads
from mekong.reference.load import load_countries_geojson, load_provinces_geojson
from mekong.views import fmt, maps
from mekong.views.boundary_file import MAX_BYTES, MAX_REPORTED, check_boundaries
from mekong.views.map_data import MapData
from mekong.views.panels import flow_label, outside_label

FLOWS = ("budget", "commitment", "disbursement", "expenditure", "planned_disbursement", "incoming_funds")
# URL parameters of this page (left out of the links to other pages)
PARAMS = ("metric", "flow", "layers", "basemap", "place")
_PREFS = "_map_prefs"   # the choices, kept when the user visits another page and comes back
_USER = "_map_user_boundaries"


@st.cache_resource(show_spinner=False)
def _bundled(vn: str) -> dict:
    return maps.for_drawing(load_provinces_geojson(vn), maps.DRAW_TOLERANCE, outlines=country_outlines())


def bundled_boundaries() -> dict:
    """The bundled polygons, Viet Nam's in the generation the filters choose (vn)."""
    return _bundled(filters().vn)


@st.cache_resource(show_spinner=False)
def country_outlines() -> dict:
    return maps.for_drawing(load_countries_geojson(), maps.DRAW_TOLERANCE, coverage=False)


def _seed(key: str, param: str, valid, default, multi: bool = False) -> None:
    """Give widget `key` its value: from the link once, else the last choice, else default."""
    link = urlstate.take(param)
    prefs = st.session_state.setdefault(_PREFS, {})
    if link is not None:
        value = [v for v in dict.fromkeys(",".join(link).split(",")) if v in valid] if multi else link[-1]
        if multi or value in valid:
            prefs[key] = value
    if key not in st.session_state:
        st.session_state[key] = prefs.get(key, default)
    current = st.session_state[key]
    if (multi and not set(current or []) <= set(valid)) or (not multi and current not in valid):
        st.session_state[key] = default


def _remember(key: str) -> None:
    st.session_state.setdefault(_PREFS, {})[key] = st.session_state.get(key)


# The choices of the panel wrap onto a second line when it is narrow (Streamlit keeps a
# button group on one line that scrolls sideways with no scroll bar: at 1400x1050, where
# the map takes more of the width, "Names" was out of sight)
CONTROLS_CSS = """<style>
.st-key-map_layers [data-testid="stButtonGroup"] > div, .st-key-map_metric [data-testid="stButtonGroup"] > div {
  flex-wrap: wrap !important; overflow: visible !important; row-gap: 0.5rem; }
</style>"""


def controls(available_flows: list[str], show: bool = True) -> tuple[maps.MapOptions, str]:
    """Metric, flow (when there is more than one), layers and the basemap switch;
    returns (options, flow). With show=False (presentation mode) the choices are only
    read, not drawn."""
    flows = [f for f in FLOWS if f in available_flows] or ["budget"]
    _seed("map_metric", "metric", (maps.MONEY, maps.PROJECTS), maps.MONEY)
    _seed("map_flow", "flow", flows, flows[0])
    _seed("map_layers", "layers", maps.LAYERS, list(maps.LAYERS), multi=True)
    link = urlstate.take("basemap")
    if link is not None:
        st.session_state.setdefault(_PREFS, {})["map_basemap"] = link[-1] == "on"
    if "map_basemap" not in st.session_state:
        st.session_state["map_basemap"] = bool(st.session_state.get(_PREFS, {}).get("map_basemap", False))
    if not show:
        state = st.session_state
        metric, flow = state["map_metric"] or maps.MONEY, state["map_flow"] or flows[0]
        layers, basemap = state["map_layers"] or [], bool(state["map_basemap"])
        flow = flow if metric == maps.MONEY else flows[0]
    else:
        metric, flow, layers, basemap = _draw_controls(flows)
    _put_choices(metric, flow, layers, basemap)
    return maps.MapOptions(metric=metric, layers=tuple(layers), basemap=basemap), flow


def _draw_controls(flows: list[str]) -> tuple[str, str, list[str], bool]:
    st.html(CONTROLS_CSS)
    metric = st.segmented_control(
        t("map.metric"), [maps.MONEY, maps.PROJECTS], key="map_metric", on_change=_remember, args=("map_metric",),
        format_func=lambda m: t(f"map.metric_{m}")) or maps.MONEY
    flow = flows[0]
    if metric == maps.MONEY and len(flows) > 1:
        # a drop-down: six flows do not fit the narrow column as buttons (a segmented
        # control was cut off at 1440 px: "Expend…", two flows out of sight)
        flow = st.selectbox(
            t("map.flow"), flows, key="map_flow", format_func=lambda f: flow_label(t, f),
            on_change=_remember, args=("map_flow",)) or flows[0]
    layers = st.pills(t("map.layers"), list(maps.LAYERS), selection_mode="multi", key="map_layers",
                      format_func=lambda x: t(f"map.layer_{x}"), on_change=_remember, args=("map_layers",))
    basemap = st.toggle(t("map.basemap"), key="map_basemap", help=t("map.basemap_help"),
                        on_change=_remember, args=("map_basemap",))
    if basemap:
        st.warning(t("map.basemap_on"), icon=":material/public:")
    return metric, flow, list(layers), basemap


def _put_choices(metric: str, flow: str, layers: list[str], basemap: bool) -> None:
    if metric != maps.MONEY:
        urlstate.put("metric", metric)
    if metric == maps.MONEY and flow != "budget":
        urlstate.put("flow", flow)
    if list(layers) != list(maps.LAYERS):
        urlstate.put("layers", ",".join(layers) or "none")
    if basemap:
        urlstate.put("basemap", "on")


def _problem_text(p) -> str:
    where = [t("map.feature_at", i=p.feature)] if p.feature is not None else []
    if p.prop:
        where.append(t("map.property_at", prop=p.prop))
    text = t(f"map.problem_{p.code}", value=p.value or "")
    return t("common.label_value", label=", ".join(where), value=text) if where else text


def _forget_user_file() -> None:
    st.session_state.pop(_USER, None)
    st.session_state["map_upload_n"] = st.session_state.get("map_upload_n", 0) + 1


def boundaries(show: bool = True) -> tuple[dict, str | None]:
    """The province polygons to draw: the bundled ones, or the user's file for this
    session (checked first; nothing is written to disk). Returns (GeoJSON, file name).
    show=False: the choice is only read (presentation mode)."""
    user = st.session_state.get(_USER)
    if not show:
        return (user["geojson"], user["name"]) if user else (bundled_boundaries(), None)
    with st.expander(t("map.boundaries"), icon=":material/upload_file:"):
        st.caption(t("map.boundaries_intro"))
        upload = st.file_uploader(t("map.upload", mb=MAX_BYTES // 2**20), type=["geojson", "json"], max_upload_size=MAX_BYTES // 2**20,
                                  key=f"map_upload_{st.session_state.get('map_upload_n', 0)}")
        if upload is not None and st.session_state.get(_USER, {}).get("file_id") != upload.file_id:
            check = check_boundaries(upload.getvalue())
            st.session_state["_map_last_check"] = (upload.name, check)
            if check.ok:
                st.session_state[_USER] = {"file_id": upload.file_id, "name": upload.name,
                                           "geojson": maps.for_drawing(check.geojson, maps.DRAW_TOLERANCE,
                                                                      outlines=country_outlines())}
        name, check = st.session_state.get("_map_last_check", (None, None))
        if check is not None and upload is not None:
            shown = [_problem_text(p) for p in check.problems[:MAX_REPORTED]]
            if len(check.problems) > MAX_REPORTED:
                shown.append(t("map.more_problems", n=len(check.problems) - MAX_REPORTED))
            if not check.ok:
                st.error(t("map.rejected", name=fmt.md(name)) + "\n\n" + "\n".join(f"- {s}" for s in shown),
                         icon=":material/error:")
            elif shown or check.matched_by_name:
                extra = [t("map.by_name", n=check.matched_by_name)] if check.matched_by_name else []
                st.warning(t("map.warnings", name=fmt.md(name)) + "\n\n" + "\n".join(f"- {s}" for s in extra + shown),
                           icon=":material/warning:")
        user = st.session_state.get(_USER)
        if user:
            st.success(t("map.using_user", name=fmt.md(user["name"]), n=len(user["geojson"]["features"])),
                       icon=":material/check_circle:")
            st.button(t("map.back_to_bundled"), on_click=_forget_user_file, icon=":material/undo:")
        else:
            st.caption(t("map.using_bundled", n=len(bundled_boundaries()["features"])))
    if user:
        return user["geojson"], user["name"]
    return bundled_boundaries(), None


def _swatch(color: str, width: str, height: str, round_: bool = False) -> str:
    radius = "border-radius:50%;" if round_ else "border:1px solid #9a9a9a;"
    return f'<span style="display:inline-block;width:{width};height:{height};background:{color};{radius}"></span>'


def legend(leg: maps.Legend) -> None:
    """The colour classes of the provinces (from maps.legend) and the two kinds of dots."""
    rows = "".join(f'<div style="display:flex;align-items:center;gap:.5rem;margin:.15rem 0">'
                   f'{_swatch(c, "1.6rem", "1rem")}<span>{html.escape(label)}</span></div>' for c, label in leg.items)
    dots = (f'<div style="display:flex;align-items:center;gap:.4rem;margin-top:.5rem;font-size:.9em">'
            f'{_swatch(maps.hex_color(maps.CITY_ACTIVE_COLOR), ".8rem", ".8rem", True)}'
            f'{_swatch(maps.hex_color(maps.PLACE_COLOR), ".6rem", ".6rem", True)}'
            f'<span>{html.escape(t("map.legend_points"))}</span></div>')
    st.html(f'<div class="map-legend" style="font-size:1rem;line-height:1.3">'
            f'<div style="font-weight:600;margin-bottom:.3rem">{html.escape(leg.title)}</div>{rows}{dots}</div>')


def _line(name, value, approximate, n) -> str:
    return "- " + t("map.line_amount", name=fmt.md(name), amount=money(value, bool(approximate)), n=int(n))


def national(data: MapData) -> None:
    st.markdown(f"**{t('map.national')}**", help=t("map.national_help"))
    if filters().province:
        st.caption(t("map.national_province_filter"))
        return
    lines = []
    for r in data.national.itertuples():
        key = r.key
        name = (t("map.national_not_stated") if key == "~not_stated" else t("map.national_split_unknown")
                if key == "~split_unknown" else outside_label(t, r.label, r.outside) if isinstance(r.label, str) else key)
        lines.append(_line(name, r.value, r.approximate, r.n_projects))
    for r in data.located_split_unknown.itertuples():
        lines.append("- " + t("map.located_split_unknown", amount=money(r.value, bool(r.approximate)), n=int(r.n_projects)))
    st.markdown("\n".join(lines) if lines else t("map.national_none"))


def undrawn(data: MapData) -> None:
    rows = data.undrawn
    if rows.empty:
        return
    names = data.provinces.set_index("iso")["name"]
    st.markdown(f"**{t('map.undrawn')}**", help=t("map.undrawn_help"))
    lines = []
    for r in rows.itertuples():
        name = r.name if isinstance(r.name, str) else r.iso
        amount = money(r.value, bool(r.approximate)) if pd.notna(r.value) else t("map.tip_no_money")
        if isinstance(r.shown_in, str):
            lines.append("- " + t("map.undrawn_in", name=fmt.md(name), iso=r.iso, amount=amount, n=int(r.n_projects),
                                  host=fmt.md(f"{names.get(r.shown_in, r.shown_in)} ({r.shown_in})")))
        else:
            lines.append("- " + t("map.undrawn_nowhere", name=fmt.md(name), iso=r.iso, amount=amount, n=int(r.n_projects)))
    st.markdown("\n".join(lines))


def unplaced(data: MapData) -> None:
    rows = data.unplaced
    if rows.empty:
        return
    shown = {"point": "map.shown_point", "province": "map.shown_province", "beside": "map.shown_beside"}
    with st.expander(t("map.unplaced", n=len(rows)), icon=":material/location_off:"):
        st.caption(t("map.unplaced_help"))
        table = [{
            t("map.col_place"): r.name, t("map.col_kind"): t(f"map.kind_{r.kind}"),
            t("map.col_province"): (t("map.tip_as_stated", now=f"{r.province_name} ({r.province})",
                                      stated=f"{r.stated_province_name} ({r.stated_province})")
                                    if isinstance(getattr(r, "stated_province_name", None), str)
                                    else f"{r.province_name} ({r.province})" if isinstance(r.province_name, str)
                                    else r.province if isinstance(r.province, str) else ""),
            t("map.col_country"): r.country_name if isinstance(r.country_name, str) else (r.country or ""),
            t("map.col_reason"): t(f"map.reason_{r.reason}"),
            t("map.col_shown"): t("map.shown_point_undrawn" if r.placed_at == "point" and r.reason == "province_not_drawn"
                                  else shown[r.placed_at]),
            t("map.col_projects"): int(r.n_projects),
            t("map.col_suggested"): r.suggested if isinstance(r.suggested, str) else "",
        } for r in rows.itertuples()]
        if not rows["suggested"].notna().any():  # the hint column only when there is a hint
            table = [{k: v for k, v in row.items() if k != t("map.col_suggested")} for row in table]
        table_with_downloads(table, "unplaced", t("map.unplaced", n=len(rows)))


def place_choices(data: MapData, current: str | None) -> dict[str, str]:
    """{key: label} of the provinces and cities that have activities (and the current one)."""
    p = data.provinces
    out = {}
    for r in p[p["n_projects"] > 0].itertuples():
        out[r.iso] = t("map.choose_province", name=r.name if isinstance(r.name, str) else r.iso, iso=r.iso,
                       country=r.country_name if isinstance(r.country_name, str) else r.country)
    for c in data.cities[data.cities["n_projects"] > 0].itertuples():
        out[f"city:{int(c.geonameid)}"] = t("map.choose_city", name=c.name, country=c.country_name)
    if current and current not in out:
        if current in set(p["iso"]):
            r = p[p["iso"] == current].iloc[0]
            out[current] = t("map.choose_province", name=r["name"] if isinstance(r["name"], str) else current,
                             iso=current, country=r["country_name"])
        elif current.startswith("city:") and current[5:].isdigit() and int(current[5:]) in set(data.cities["geonameid"]):
            c = data.cities[data.cities["geonameid"] == int(current[5:])].iloc[0]
            out[current] = t("map.choose_city", name=c["name"], country=c["country_name"])
    return out


def selection_key(state) -> str | None:
    """The province or city picked on the deck (None when nothing is)."""
    objects = (state or {}).get("selection", {}).get("objects", {}) if isinstance(state, dict) else {}
    for layer, items in objects.items():
        if not items:
            continue
        obj = items[0]
        if layer == "provinces":
            return obj.get("properties", {}).get("iso")
        if layer == "cities":
            return obj.get("key")
        if layer == "places":
            return obj.get("province")
    return None


def on_deck_select() -> None:
    key = selection_key(st.session_state.get("map_deck"))
    if key:
        st.session_state["map_place"] = key


def project_link(project_id: str) -> str:
    return urlstate.project_link(project_id, drop=PARAMS)


def projects_of_place(data: MapData) -> None:
    st.markdown(f"**{t('map.selected')}**")
    link = urlstate.take("place")
    if link:
        st.session_state["map_place"] = link[-1]
    elif "map_place" not in st.session_state:  # back from another page
        st.session_state["map_place"] = st.session_state.get(_PREFS, {}).get("map_place")
    current = st.session_state.get("map_place")
    choices = place_choices(data, current)
    if current not in choices:
        st.session_state["map_place"] = current = None
    key = st.selectbox(t("map.choose"), list(choices), format_func=choices.get, key="map_place", index=None,
                       placeholder=t("map.choose_hint"))
    st.session_state.setdefault(_PREFS, {})["map_place"] = key
    if not key:
        return
    urlstate.put("place", key)
    rows = data.projects_at(key)
    if rows.empty:
        st.caption(t("map.no_projects_here"))
        return
    st.markdown("\n".join(
        f"- [{fmt.md(r.code) + ' · ' if isinstance(r.code, str) else ''}{fmt.md(r.title)}]({project_link(r.project_id)})"
        for r in rows.itertuples()))
    st.caption(t("map.open_project"))


# The map beside its panel. Its height: the window's less the title, the filter line and
# the introduction above it (measured at 1280x720, 1440x900 and 1920x1080), within bounds.
# The five countries are taller than wide, so the map's column is as wide as they are
# drawn at that height, with room for the names at the edges; the panel has the rest.
MAP_ABOVE, MAP_HEIGHTS, MAP_SHARES = 280, (460, 900), (0.55, 0.7)
MAP_GAP = 24  # px between the columns (gap="medium")
MAP_DEFAULT = (1600, 1080)  # until the browser has said its size: a 1920x1080 projector
MAP_PADDING = 0.06  # of the canvas on each side: names of places near the edge stay whole


def _aspect(bounds=maps.BOUNDS) -> float:
    """Width over height of the bounds as the map draws them (web Mercator)."""
    view = maps.initial_view(1000, 1000, bounds=bounds, padding=0)
    west, south, east, north = bounds
    north_px, south_px = maps._pixel(0, north, view.zoom)[1], maps._pixel(0, south, view.zoom)[1]
    return (maps._pixel(east, 0, view.zoom)[0] - maps._pixel(west, 0, view.zoom)[0]) / (south_px - north_px)


def page_layout(size: tuple[int, int] | None) -> tuple[list[float], int, int]:
    """For a main column `size[0]` pixels wide in a window `size[1]` high: the columns'
    shares (map, panel) and the map's canvas width and height."""
    width, window = size or MAP_DEFAULT
    height = int(min(max(window - MAP_ABOVE, MAP_HEIGHTS[0]), MAP_HEIGHTS[1]))
    wanted = height * _aspect() / (1 - 2 * MAP_PADDING) + 40
    share = min(max(wanted / width, MAP_SHARES[0]), MAP_SHARES[1])
    return [share, 1 - share], int((width - MAP_GAP) * share), height


def _leave_presentation() -> None:
    st.session_state[PRESENT_KEY] = False


# What presentation mode leaves the map of a screen: its width less the page's padding,
# its height less the title, the legend line and the stamp (measured at 1280x720 and
# 1920x1080, with room to spare so that no country is cut off).
PRESENT_PADDING, PRESENT_RESERVED = 80, 340
PRESENT_DEFAULT = (1280, 720)  # until the browser has said the size of its screen


def present_view():
    """The initial view and the names' type scale for presentation mode: the five
    countries whole in the map's box on this screen; names 13 to 24 pixels at 720
    lines, 18 to 24 at 1080 (scaled with the screen's height)."""
    width, height = present_keys.screen() or PRESENT_DEFAULT
    view = maps.initial_view(max(width - PRESENT_PADDING, 400), max(height - PRESENT_RESERVED, 300))
    return view, max(1.0, height / 780)


def present(deck, leg: maps.Legend, data: MapData, options: maps.MapOptions, flow: str, credit: str) -> None:
    """Presentation mode: the map filling the screen under its title, the legend and the
    money not located on one line under it, then the filters, data date and sources.
    Escape leaves (present_keys)."""
    if present_keys.listen(report_screen=True) == "exit":
        _leave_presentation()
        st.rerun()
    urlstate.put(PRESENT_KEY, "1")
    title, nav = st.columns([4, 1], vertical_alignment="center")
    title.subheader(t("panels.by_province", flow=flow_label(t, flow)) if options.metric == maps.MONEY
                    else t("map.present_projects"))
    nav.button(t("present.exit"), on_click=_leave_presentation, icon=":material/close:", key="present-exit")
    with st.container(key="present-stage"):
        st.pydeck_chart(deck, height="stretch", key="map_deck_present")
    swatches = "".join(f'<span style="white-space:nowrap;margin-right:1rem">{_swatch(c, "1.4rem", ".9rem")} '
                       f'{html.escape(label)}</span>' for c, label in leg.items)
    national_line = " · ".join(t("map.line_amount", name=r.label if isinstance(r.label, str) else t(f"map.national_{r.key[1:]}"),
                                 amount=money(r.value, bool(r.approximate)), n=int(r.n_projects))
                               for r in data.national.itertuples())
    national_html = ('<span style="margin-left:1rem">' + t("common.label_value", label=f'<b>{html.escape(t("map.national"))}</b>',
                                                          value=html.escape(national_line)) + "</span>") if national_line else ""
    st.html('<div class="map-legend" style="font-size:clamp(.85rem,1.15vw,1.2rem)">'
            + t("common.label_value", label=f"<b>{html.escape(leg.title)}</b>", value=swatches) + f"{national_html}</div>")
    present_note("map")
    st.caption("  ·  ".join(line for line in [t("map.rule"), credit, *stamp()] if line))
