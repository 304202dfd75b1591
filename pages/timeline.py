"""Timeline: activities over time, money per year and dated events."""
from mekong.app import entry

entry.ensure()

import streamlit as st

from mekong.app import urlstate
from mekong.app.ui import blank, date, filters, lang, query, t, today
from mekong.app.widgets import PRESENT_SCALE, empty_state, filter_line, gaps, panel, present, presenting, table
from mekong.views import panels


def main() -> None:
    if presenting():
        present(panels.timeline(t, query, filters(), lang(), today(), scale=PRESENT_SCALE))
        return
    st.title(t("timeline.title"))
    filter_line()
    if empty_state():
        return

    link = (urlstate.take("order") or [None])[-1]
    if link in panels.TIMELINE_ORDERS:
        st.session_state["timeline_order"] = link
    st.session_state.setdefault("timeline_order", "start")
    order = st.segmented_control(t("timeline.order"), panels.TIMELINE_ORDERS, key="timeline_order",
                                 format_func=lambda o: t(f"timeline.order_{o}")) or "start"
    if order != "start":
        urlstate.put("order", order)
    gantt, per_year = panels.timeline(t, query, filters(), lang(), today(), order=order)
    panel(gantt)
    projects = query("timeline_projects", limit=panels.GANTT_MAX)  # the rows the chart drew
    undated = projects[projects["start_date"].isna()]
    if not undated.empty:
        with st.expander(t("timeline.undated", n=len(undated))):
            table(undated[["code", "title", "status_label", "funders"]].rename(columns={
                "code": t("timeline.col_code"), "title": t("timeline.col_title"),
                "status_label": t("timeline.col_status"), "funders": t("timeline.col_funders")}),
                "undated", t("timeline.undated", n=len(undated)))

    st.subheader(t("timeline.events"))
    events = query("timeline_events")
    if events.empty:
        st.caption(t("timeline.no_events"))
    else:
        table(
            [{t("timeline.col_date"): date(e.start_date, e.precision) + (f" – {date(e.end_date, e.precision)}" if blank(e.end_date) else ""),
              t("timeline.col_event"): e.title, t("timeline.col_place"): blank(e.place),
              t("timeline.col_project"): blank(e.project_title)} for e in events.itertuples()],
            "events", t("timeline.events"))
    panel(per_year)
    gaps("budget")


main()
