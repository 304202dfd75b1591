"""Streamlit pieces the pages share: the line that says what a page shows, drawing
panels with their downloads and notes, presentation mode, the Present / Share / Slides /
PDF tools, what a view leaves out, the empty state.

Every file a button hands out is made from what this run shows: the callables given to
st.download_button run later, in a thread with no access to the session, so they get the
view (filters, language, flow, notes) and the stamp as arguments, never read them there."""
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mekong.app import chart_notes, present_keys, sidebar, urlstate
from mekong.app.cell_text import cell_text
from mekong.app.ui import db_version, filters, lang, portfolio, query, t
from mekong.exports import brief, files, slides
from mekong.exports.view import View
from mekong.views import describe, fmt
from mekong.views.panels import Panel, flow_label

PRESENT_KEY = "present"
SLIDE_KEY = "slide"
PRESENT_SCALE = 1.8  # type size of charts in presentation mode
# Charts plotly.js animates from the old data to the new on every filter change (the
# sankey's transition takes more than a second at 100k): drawn anew instead, under a key
# that changes with their data.
REDRAWN = {"sankey", "chain"}


def chart_key(prefix: str, p: Panel) -> str:
    if p.key not in REDRAWN or p.table.empty:
        return f"{prefix}-{p.key}"
    return f"{prefix}-{p.key}-{int(pd.util.hash_pandas_object(p.table, index=False).sum()) & 0xFFFFFFFF:08x}"


def gaps(flow: str) -> None:
    """The money the charts could not count, by reason - shown, never hidden."""
    rows = query("money_gaps", flow=flow)
    items, twice = [], []
    for r in rows.itertuples():
        if r.n_projects == 0:
            continue
        if r.reason == "double_counted":  # said last
            twice.append(t(f"notes.double_counted_{filters().count}", amount=fmt.money(r.amount, r.currency, lang())))
        elif r.reason == "no_amount":
            items.append(t("notes.gap_no_amount", n=r.n_projects, flow=flow_label(t, flow).lower()))
        elif r.reason == "approximate":
            items.append(t("notes.gap_approximate", amount=fmt.money(r.amount, r.currency, lang(), True),
                           n=r.n_projects, currencies=r.currencies))
        else:
            items.append(t(f"notes.gap_{r.reason}", amount=fmt.money(r.amount, r.currency, lang()), n=r.n_projects))
    items += twice
    if items:
        st.info("  \n".join(fmt.md(i) for i in items), icon=":material/info:")


def synthetic_notice() -> None:
    """Every page of a synthetic portfolio (benchmarks, load tests) says it is not real data."""
    if query("synthetic_data").iloc[0]["synthetic"]:
        st.warning(t("common.synthetic"), icon=":material/science:")


def empty_state() -> bool:
    """Show the 'nothing matches' message when the filters match no activity."""
    if describe.n_activities(query("view_sources")) == 0:  # the stamp line asks for it too
        st.info(t("common.no_match"), icon=":material/filter_alt_off:")
        return True
    return False


_VIEW_STAMP = "_view_stamp"


def view_stamp() -> describe.Stamp:
    """What the view shows: its filters, the date of its data, its sources. Worked out
    once per filters, language and version of the file: the line under the title and
    every chart's downloads repeat it (a quarter of the funding page's Python at 100k
    activities when it was worked out for each)."""
    key = (filters(), lang(), db_version())
    held = st.session_state.get(_VIEW_STAMP)
    if held is None or held[0] != key:
        held = st.session_state[_VIEW_STAMP] = (key, describe.stamp(query, filters(), t, lang()))
    return held[1]


def stamp() -> list[str]:
    """The stamp's lines: filters, data date, sources."""
    return view_stamp().lines()


def filter_line() -> None:
    """One line under the page's title that names the active filters (as plain text: the
    names come from the data), with a button that clears them."""
    with st.container(horizontal=True, vertical_alignment="center", key="filter-line", gap="small"):
        st.text(view_stamp().filters)
        if filters().active():
            st.button(t("filters.clear"), on_click=sidebar.clear, icon=":material/filter_alt_off:", type="tertiary",
                      key="filter-line-clear")


def file_name(key: str) -> str:
    return f"mekong_{key}_{describe.filters_slug(filters())}_{lang()}"


def downloads(key: str, title: str, table: pd.DataFrame, figure=None, notes: tuple[str, ...] = (),
              note_key: str | None = None) -> None:
    """PNG of the chart (its title, notes, filters, data date and sources drawn in), CSV and
    Excel of the table (the same lines above it), named after the filters; and the field
    for the chart's note when `note_key` is given."""
    name, lines = file_name(key), stamp()
    with st.container(horizontal=True, gap="small"):
        with st.popover(t("export.download"), icon=":material/download:"):
            if figure is not None and hasattr(figure, "to_plotly_json"):
                st.download_button(t("export.png"), data=partial(files.picture, figure, title, list(notes), lines, zoom=1.3,
                                                                       unavailable=t("export.unavailable")),
                                   file_name=f"{name}.png", mime="image/png", on_click="ignore", icon=":material/image:",
                                   key=f"png-{key}")
            if not table.empty:
                st.download_button(t("export.csv"), data=partial(files.table_csv, table, [title, *lines]),
                                   file_name=f"{name}.csv", mime="text/csv", on_click="ignore", icon=":material/table:",
                                   key=f"csv-{key}")
                st.download_button(t("export.xlsx"), data=partial(files.table_xlsx, table, title, lines),
                                   file_name=f"{name}.xlsx", on_click="ignore", icon=":material/grid_on:", key=f"xlsx-{key}",
                                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        if note_key:
            chart_notes.editor(note_key)


def table(rows, name: str, title: str, shown: dict[str, list[str]] | None = None, **dataframe_args):
    """A table with its CSV and Excel downloads (`name` goes into the file names).
    `shown` {column: text of each cell}: what those columns write on screen while they
    keep their values to sort by (amounts, dates); the files get the numbers, and the
    text shown for anything else (a date known to the year stays '2019'). A missing
    value is an empty cell."""
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    dataframe_args.setdefault("placeholder", "")  # a missing value is an empty cell, not "None"
    event = st.dataframe(cell_text(df, shown) if shown else df, hide_index=True, width="stretch", **dataframe_args)
    text = {c: v for c, v in (shown or {}).items() if not pd.api.types.is_numeric_dtype(df[c])}
    downloads(name, title, df.assign(**text) if text else df)
    return event


def note_lines(caption: str, key: str) -> tuple[str, ...]:
    """The lines under a chart: what it counts (and leaves out), then the presenter's note."""
    note = chart_notes.get(key)
    return tuple(x for x in (caption, t("note.shown", note=note) if note else "") if x)


def panel(p: Panel, shared: str = "") -> None:
    """A chart with its title, caption, note and downloads. `shared`: the part of the
    caption the page already says once above its charts (the files keep the whole caption)."""
    st.subheader(p.title)
    if p.figure is None:
        st.info(p.empty_text or t("common.no_match"), icon=":material/bar_chart_off:")
    else:
        st.plotly_chart(p.figure, key=chart_key("chart", p), theme=None,
                        config={"displaylogo": False, "toImageButtonOptions": {"filename": f"mekong_{p.key}"}})
    shown = p.caption.replace(shared, "", 1).strip() if shared else p.caption
    if shown:
        st.caption(shown)
    chart_notes.show(p.key)
    if p.figure is not None or not p.table.empty:
        downloads(p.key, p.title, p.table, p.figure, note_lines(p.caption, p.key), note_key=p.key)


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
    # Present's styles hide the sidebar, but Streamlit draws them only once their element's
    # code has loaded, a moment after the run: until then the sidebar would show. The
    # page's own setting hides it from the first paint, and brings it back on leaving.
    st.set_page_config(initial_sidebar_state="collapsed" if presenting() else "auto")


def current_view(page_name: str) -> View:
    """The view on screen, for the slides and the brief: this page only, in its language,
    with its filters, currency, money flow (as the page put it in the URL) and notes."""
    flow = urlstate.current().get("flow") or "budget"
    return View(filters(), lang(), flow if isinstance(flow, str) else flow[-1], (page_name,),
                notes=chart_notes.current())


def view_tools(page_name: str) -> None:
    """Present, share the link, download the slides and the PDF brief: drawn after the
    page has run, so the link and the files hold the page's own choices too."""
    if page_name in PRESENTABLE:
        st.button(t("present.start"), on_click=_enter, icon=":material/slideshow:", width="stretch")
    with st.popover(t("share.button"), icon=":material/link:", width="stretch"):
        st.caption(t("share.help"))
        st.code(urlstate.current_url(), language=None, wrap_lines=True)
    if page_name not in PRESENTABLE:
        return
    view, name = current_view(page_name), file_name(page_name)
    st.download_button(t("slides.button"), data=partial(slides.write_deck, portfolio(), view), icon=":material/co_present:",
                       file_name=f"{name}.pptx", on_click="ignore", width="stretch", key="slides-download",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    st.download_button(t("brief.button"), data=partial(brief.write_brief, portfolio(), view), icon=":material/picture_as_pdf:",
                       file_name=f"{name}.pdf", mime="application/pdf", on_click="ignore", width="stretch",
                       key="brief-download")


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


def _go(action: str | None, n: int) -> None:
    """Apply a key's step (present_keys.listen) to the slide number."""
    i = st.session_state.get(SLIDE_KEY, 0)
    steps = {"next": (i + 1) % n, "prev": (i - 1) % n, "first": 0, "last": n - 1}
    if action in steps:
        st.session_state[SLIDE_KEY] = steps[action]
    elif action == "exit":
        _leave()
        st.rerun()


def present(panels: list[Panel]) -> None:
    """One chart filling the screen, what it counts (and leaves out) and its note under
    it, then the filters, data date and sources; buttons and keys (present_keys) step
    through the charts of the page."""
    shown = [p for p in panels if p.figure is not None] or panels[:1]
    n = len(shown)
    _go(present_keys.listen(), max(n, 1))
    i = min(st.session_state.get(SLIDE_KEY, 0), n - 1) if n else 0
    st.session_state[SLIDE_KEY] = i
    urlstate.put(PRESENT_KEY, "1")
    urlstate.put(SLIDE_KEY, str(i + 1))
    title, nav = st.columns([3, 2], vertical_alignment="center")
    p = shown[i] if n else None
    title.subheader(p.title if p else t("common.no_match"))
    with nav:
        c = st.columns([1, 1, 1, 2], vertical_alignment="center")
        # the arrows say their words to a screen reader (present_keys.STYLES hide them from sight), with
        # no tooltip: one would stay over the slide under a presenter's mouse after the click
        c[0].button(t("present.previous"), icon=":material/arrow_back:", on_click=_step, args=(-1, max(n, 1)),
                    key="present-prev")
        c[1].markdown(f"**{i + 1} / {n}**")
        c[2].button(t("present.next"), icon=":material/arrow_forward:", on_click=_step, args=(1, max(n, 1)),
                    key="present-next")
        c[3].button(t("present.exit"), on_click=_leave, icon=":material/close:", key="present-exit",
                    help=t("present.keys"))
    if p is None or p.figure is None:
        st.info(t("common.no_match"))
    else:
        fig = go.Figure(p.figure)
        fig.update_layout(height=None, autosize=True, margin={"t": 20})
        with st.container(key="present-stage"):
            st.plotly_chart(fig, key=chart_key("present", p), height="stretch", theme=None,
                            config={"displaylogo": False, "displayModeBar": False, "responsive": True})
        if p.caption:
            st.caption(p.caption)
        present_note(p.key)
    st.caption(fmt.md(view_stamp().line()))


def present_note(key: str) -> None:
    note = chart_notes.get(key)
    if note:
        with st.container(key="present-note"):
            st.text(t("note.shown", note=note))


def streamlit_texts() -> None:
    """Words Streamlit draws itself, in the page's language. The file uploader's button
    says "Upload" in English whatever the page: its word is hidden and the page's put in
    its place; its size line ("50MB per file • XML, XLSX, CSV") is left out, the label
    above says the same in the page's language. The share box's copy button shows at all
    times (Streamlit shows it only under the mouse, and the box's text points to it)."""
    button = t("common.upload_button").replace('"', "")
    # Present's styles come here too, the first element of the run: whichever of this and
    # the key listener (present_keys.STYLES) Streamlit draws first sets the slide in place
    present = present_keys.STYLES if presenting() else ""
    st.html(f"""<style>{present}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-has-shortcut]::after {{ content: "{button}"; }}
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
[data-testid="stPopoverBody"] [data-testid="stCode"] button {{ opacity: 1 !important; visibility: visible !important; }}
</style>""")
