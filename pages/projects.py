"""Projects: search, a sortable table, and one page per project with its sources."""
from mekong.app import entry

entry.ensure()

import streamlit as st

from mekong.app import project_page, urlstate, widgets
from mekong.app.ui import filters, lang, query, t
from mekong.views import fmt, projects_table


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
    st.caption(t("projects.count", n=fmt.number(len(rows), lang())) + " " + t("projects.click_hint"))
    table = projects_table.build(rows, t, lang(), filters().currency)
    budget, note = table.budget, t("projects.col_note")
    columns = {t("projects.col_title"): st.column_config.TextColumn(width=200),
               budget: st.column_config.Column(width=120, help=t("projects.budget_help")),
               note: st.column_config.TextColumn(width=70, help=t("projects.note_help")),
               t("projects.col_countries"): st.column_config.TextColumn(width=100),
               t("projects.col_funders"): st.column_config.TextColumn(width=140),
               t("projects.col_start"): st.column_config.Column(width=100),
               t("projects.col_end"): st.column_config.Column(width=100),
               t("projects.col_status"): st.column_config.TextColumn(width=95)}
    event = widgets.table(table.values, "projects", t("projects.title"), table.shown, height=min(38 + 35 * len(rows), 640),
                          column_config=columns, on_select="rerun", selection_mode="single-row", key="projects_table")
    if event.selection.rows:
        st.session_state["project"] = rows.iloc[event.selection.rows[0]]["project_id"]
        st.rerun()


main()
