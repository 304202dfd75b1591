"""Projects: search, a sortable table, and one page per project with its sources."""
from mekong.app import entry

entry.ensure()

import pandas as pd
import streamlit as st

from mekong.app import project_page, urlstate, widgets
from mekong.app.ui import blank, date, filters, known, lang, query, t
from mekong.views import fmt


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
    currency = filters().currency
    budget, note = t("projects.col_budget_in", currency=currency), t("projects.col_note")
    # Budget right after the title, then the dates, so that they are on the screen at every
    # size (at 1280x720 the columns after them need the grid's scroll bar); a number,
    # so that the column sorts by amount, written for the page's language; empty when not
    # disclosed or not converted. A budget published as 0 (every counted budget 0) is no
    # amount to sort or add: it is named in the note column instead of reading "EUR 0".
    table = pd.DataFrame({
        t("projects.col_title"): [f"{c} · {ti}" if blank(c) and c not in ti else ti for c, ti in zip(rows["code"], rows["title"])],
        budget: [float(b) if d and known(b) and b != 0 else None for b, d in zip(rows["budget"], rows["budget_disclosed"])],
        note: [t("projects.stated_zero") if d and known(b) and b == 0 else "~" if d and known(b) and a else ""
               for b, d, a in zip(rows["budget"], rows["budget_disclosed"], rows["budget_approximate"])],
        t("projects.col_start"): [date(d, p) if blank(d) else "" for d, p in zip(rows["start_date"], rows["start_precision"])],
        t("projects.col_end"): [date(d, p) if blank(d) else "" for d, p in zip(rows["end_date"], rows["end_precision"])],
        t("projects.col_countries"): rows["countries"].fillna(""),
        t("projects.col_funders"): rows["funders"].fillna(""),
        t("projects.col_status"): rows["status"].fillna(""),
    })
    table[budget] = table[budget].astype("float64")
    columns = {t("projects.col_title"): st.column_config.TextColumn(width=200),
               budget: st.column_config.Column(width=120, help=t("projects.budget_help")),
               note: st.column_config.TextColumn(width=70, help=t("projects.note_help")),
               t("projects.col_countries"): st.column_config.TextColumn(width=100),
               t("projects.col_funders"): st.column_config.TextColumn(width=140),
               t("projects.col_start"): st.column_config.TextColumn(width=100),
               t("projects.col_end"): st.column_config.TextColumn(width=100),
               t("projects.col_status"): st.column_config.TextColumn(width=95)}
    event = widgets.table(table, "projects", t("projects.title"), height=min(38 + 35 * len(table), 640),
                          formats={budget: lambda v: fmt.number(round(v), lang())},
                          column_config=columns, on_select="rerun", selection_mode="single-row", key="projects_table")
    if event.selection.rows:
        st.session_state["project"] = rows.iloc[event.selection.rows[0]]["project_id"]
        st.rerun()


main()
