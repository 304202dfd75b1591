"""Streamlit pieces the pages share: drawing panels with their downloads, presentation
mode, what a view leaves out, the empty state."""
import pandas as pd
import streamlit as st

from mekong.app import urlstate
from mekong.app.ui import filters, lang, query, t
from mekong.exports import files
from mekong.views import describe, fmt
from mekong.views.panels import Panel, flow_label

PRESENT_KEY = "present"
SLIDE_KEY = "slide"
PRESENT_SCALE = 1.8  # type size of charts in presentation mode


def gaps(flow: str) -> None:
    """The money the charts could not count, by reason - shown, never hidden."""
    rows = query("money_gaps", flow=flow)
    items = []
    for r in rows.itertuples():
        if r.n_projects == 0:
            continue
        if r.reason == "no_amount":
            items.append(t("notes.gap_no_amount", n=r.n_projects, flow=flow_label(t, flow).lower()))
        elif r.reason == "approximate":
            items.append(t("notes.gap_approximate", amount=fmt.money(r.amount, r.currency, lang(), True),
                           n=r.n_projects, currencies=r.currencies))
        else:
            items.append(t(f"notes.gap_{r.reason}", amount=fmt.money(r.amount, r.currency, lang()), n=r.n_projects))
    total = query("flow_total", flow=flow).iloc[0]
    if total.double_counted and abs(total.double_counted) >= 0.005:
        items.append(t(f"notes.double_counted_{filters().count}", amount=fmt.money(total.double_counted, filters().currency, lang())))
    if items:
        st.info("  \n".join(items), icon=":material/info:")


def synthetic_notice() -> None:
    """Every page of a synthetic portfolio (benchmarks, load tests) says it is not real data."""
    if query("synthetic_data").iloc[0]["synthetic"]:
        st.warning(t("common.synthetic"), icon=":material/science:")


def empty_state() -> bool:
    """Show the 'nothing matches' message when the filters match no activity."""
    if query("filtered_count").iloc[0]["n_projects"] == 0:
        st.info(t("common.no_match"), icon=":material/filter_alt_off:")
        return True
    return False


def stamp() -> list[str]:
    """The lines that say what a view shows: filters, data date, sources."""
    f = filters()
    labels = describe.filter_labels(query("filter_options"))
    when = query("data_date")
    date_line = describe.data_date_line(when, t, lang())
    return [describe.filters_line(f, labels, t), date_line, describe.sources_line(query("view_sources"), t)]


def downloads(key: str, title: str, table: pd.DataFrame, figure=None) -> None:
    """PNG of the chart, CSV and Excel of the table, named after the filters (the Excel
    file also carries the filters, the data date and the sources above the table)."""
    name = f"mekong_{key}_{describe.filters_slug(filters())}_{lang()}"
    with st.popover(t("export.download"), icon=":material/download:"):
        if figure is not None and hasattr(figure, "to_plotly_json"):
            st.download_button(t("export.png"), data=lambda: files.chart_png(figure), file_name=f"{name}.png",
                               mime="image/png", on_click="ignore", icon=":material/image:", key=f"png-{key}")
        if not table.empty:
            st.download_button(t("export.csv"), data=lambda: files.table_csv(table), file_name=f"{name}.csv",
                               mime="text/csv", on_click="ignore", icon=":material/table:", key=f"csv-{key}")
            st.download_button(t("export.xlsx"), data=lambda: files.table_xlsx(table, title, stamp()),
                               file_name=f"{name}.xlsx", on_click="ignore", icon=":material/grid_on:", key=f"xlsx-{key}",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def table(rows, name: str, title: str, **dataframe_args):
    """A table with its CSV and Excel downloads (`name` goes into the file names)."""
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    event = st.dataframe(df, hide_index=True, width="stretch", **dataframe_args)
    downloads(name, title, df)
    return event


def panel(p: Panel) -> None:
    st.subheader(p.title)
    if p.figure is None:
        st.info(p.empty_text or t("common.no_match"), icon=":material/bar_chart_off:")
    else:
        st.plotly_chart(p.figure, key=f"chart-{p.key}", theme=None,
                        config={"displaylogo": False, "toImageButtonOptions": {"filename": f"mekong_{p.key}"}})
    if p.caption:
        st.caption(p.caption)
    if p.figure is not None or not p.table.empty:
        downloads(p.key, p.title, p.table, p.figure)


# ---------------------------------------------------------------- presentation mode

PRESENTABLE = ("overview", "funding", "timeline", "map")  # the pages with charts to step through


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY))


def _enter() -> None:
    st.session_state[PRESENT_KEY] = True
    st.session_state[SLIDE_KEY] = 0


def _leave() -> None:
    st.session_state[PRESENT_KEY] = False


def _step(delta: int, n: int) -> None:
    st.session_state[SLIDE_KEY] = (st.session_state.get(SLIDE_KEY, 0) + delta) % n


def seed_presentation() -> None:
    """Presentation mode and the slide number from the link, once per session."""
    link = urlstate.take(PRESENT_KEY)
    if link is not None:
        st.session_state[PRESENT_KEY] = link[-1] == "1"
        slide = (urlstate.take(SLIDE_KEY) or ["1"])[-1]
        st.session_state[SLIDE_KEY] = int(slide) - 1 if slide.isdigit() and int(slide) > 0 else 0


def view_tools(page_name: str) -> None:
    """Present, share the link, download the slides: drawn after the page has run, so the
    link holds the page's own choices too."""
    if page_name in PRESENTABLE:
        st.button(t("present.start"), on_click=_enter, icon=":material/slideshow:", width="stretch")
    with st.popover(t("share.button"), icon=":material/link:", width="stretch"):
        st.caption(t("share.help"))
        st.code(urlstate.current_url(), language=None, wrap_lines=True)
    st.download_button(t("slides.button"), data=lambda: _slides(page_name), icon=":material/co_present:",
                       file_name=f"mekong_{page_name}_{describe.filters_slug(filters())}_{lang()}.pptx",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       on_click="ignore", width="stretch", key="slides-download")


def _slides(page_name: str) -> bytes:
    from mekong.app.ui import portfolio
    from mekong.exports import slides

    pages = (page_name,) if page_name in slides.PAGES else slides.PAGES
    view = slides.View(filters(), lang(), st.session_state.get("flow") or "budget", pages)
    return slides.write_deck(portfolio(), view)


# A figure too long for its box is cut short by Streamlit ("99 979 sur 100 …"), which
# misreads; it wraps onto a second line instead.
FIGURES_CSS = """<style>
[data-testid="stMetricValue"] .stMarkdownEllipsis, [data-testid="stMetricValue"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>"""


def key_figures(rows: list[list[tuple[str, str, str | None]]]) -> None:
    """Rows of (label, value, help) as metrics, three to a row, never cut short."""
    st.html(FIGURES_CSS)
    for row in rows:
        for column, (label, value, help_text) in zip(st.columns(3), row):
            column.metric(label, value, help=help_text)


PRESENT_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stSidebarNav"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 0.5rem 2.5rem !important; max-width: 100% !important; }
[data-testid="stMain"] h3 { font-size: clamp(1.6rem, 2.6vw, 2.6rem) !important; line-height: 1.15 !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: clamp(0.85rem, 1.15vw, 1.2rem) !important; }
/* The chart takes the height the title and the stamp leave: the page is one screen-high
   flex column, the stage's wrapper grows, and the chart (height="stretch") fills it. */
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { height: calc(100vh - 2.8rem); }
[data-testid="stLayoutWrapper"]:has(> .st-key-present-stage) { flex: 1 1 0; min-height: 0; }
.st-key-present-stage > [data-testid="stElementContainer"] { flex: 1 1 auto; }
</style>
"""


def present(panels: list[Panel]) -> None:
    """One chart filling the screen, the filters/data date/sources stamped under it, and
    buttons to step through the charts of the page."""
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    shown = [p for p in panels if p.figure is not None] or panels[:1]
    n = len(shown)
    i = min(st.session_state.get(SLIDE_KEY, 0), n - 1) if n else 0
    st.session_state[SLIDE_KEY] = i
    urlstate.put(PRESENT_KEY, "1")
    urlstate.put(SLIDE_KEY, str(i + 1))
    title, nav = st.columns([3, 2], vertical_alignment="center")
    p = shown[i] if n else None
    title.subheader(p.title if p else t("common.no_match"))
    with nav:
        c = st.columns([1, 1, 1, 2], vertical_alignment="center")
        c[0].button("", icon=":material/arrow_back:", on_click=_step, args=(-1, max(n, 1)), key="present-prev",
                    help=t("present.previous"))
        c[1].markdown(f"**{i + 1} / {n}**")
        c[2].button("", icon=":material/arrow_forward:", on_click=_step, args=(1, max(n, 1)), key="present-next",
                    help=t("present.next"))
        c[3].button(t("present.exit"), on_click=_leave, icon=":material/close:", key="present-exit")
    if p is None or p.figure is None:
        st.info(t("common.no_match"))
    else:
        fig = p.figure
        fig.update_layout(height=None, autosize=True, margin={"t": 20})
        with st.container(key="present-stage"):
            st.plotly_chart(fig, key=f"present-{p.key}", height="stretch", theme=None, config={"displaylogo": False, "responsive": True})
    st.caption("  ·  ".join(line for line in stamp() if line))
