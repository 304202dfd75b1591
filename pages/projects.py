"""Projects: search, a sortable table, and one page per project with its sources."""
from mekong.app import entry

entry.ensure()

import streamlit as st

from mekong.app import project_page, urlstate, widgets
from mekong.app.ui import blank, date, money, query, t


def main() -> None:
    link_project = (urlstate.take("project") or [None])[-1]
    if link_project:
        st.session_state["project"] = link_project
    link_q = (urlstate.take("q") or [None])[-1]
    if link_q is not None:
        st.session_state["q"] = link_q

    project_id = st.session_state.get("project")
    if project_id:
        urlstate.put("project", project_id)
        project_page.show(project_id)
        return

    st.title(t("projects.title"))
    widgets.filter_line()
    q = st.text_input(t("projects.search"), key="q", placeholder=t("projects.search_hint"), icon=":material/search:")
    urlstate.put("q", q.strip())
    rows = query("projects_list", q=q.strip(), limit=5000)
    if rows.empty:
        st.info(t("projects.none"), icon=":material/search_off:")
        return
    st.caption(t("projects.count", n=len(rows)) + " " + t("projects.click_hint"))
    table = [{
        t("projects.col_code"): blank(r.code), t("projects.col_title"): r.title, t("projects.col_status"): blank(r.status),
        t("projects.col_countries"): blank(r.countries), t("projects.col_funders"): blank(r.funders),
        t("projects.col_start"): date(r.start_date, r.start_precision) if blank(r.start_date) else "",
        t("projects.col_end"): date(r.end_date, r.end_precision) if blank(r.end_date) else "",
        t("projects.col_budget"): money(r.budget, bool(r.budget_approximate)) if r.budget_disclosed else t("common.not_disclosed"),
    } for r in rows.itertuples()]
    columns = {t("projects.col_code"): st.column_config.TextColumn(width="small"),
               t("projects.col_title"): st.column_config.TextColumn(width="large"),
               t("projects.col_budget"): st.column_config.TextColumn(width="medium")}
    event = widgets.table(table, "projects", t("projects.title"), height=min(38 + 35 * len(table), 640),
                          column_config=columns, on_select="rerun", selection_mode="single-row", key="projects_table")
    if event.selection.rows:
        st.session_state["project"] = rows.iloc[event.selection.rows[0]]["project_id"]
        st.rerun()


main()
