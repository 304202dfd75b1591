"""The funding chain on a project's page: who passed how much to this activity and to
whom it passed money, from the links the data states (queries/project_chain.sql), as
this activity reports them and as the other side does; a loaded counterpart is a link
to its own page, one that is not loaded is listed as such."""
import pandas as pd
import streamlit as st

from mekong.app.ui import money, query, t
from mekong.views import fmt
from mekong.views.panels import flow_label


def _open(project_id: str) -> None:
    st.session_state["project"] = project_id
    st.session_state.pop("projects_table", None)


def show(project_id: str) -> None:
    chain = query("project_chain", project_id=project_id)
    if chain.empty:
        return
    st.subheader(t("project.chain"), help=t("project.chain_help"))
    for direction in ("from", "to"):
        rows = chain[chain["direction"] == direction]
        if rows.empty:
            continue
        st.markdown(f"**{t(f'project.chain_{direction}')}**")
        for other_id, group in rows.groupby("other_iati_id", sort=False):
            first = group.iloc[0]
            who = fmt.md(first.organisation) if isinstance(first.organisation, str) else t("common.not_stated")
            # what each side reports of the money between the two, flow by flow
            amounts = t("common.list_sep").join(
                t(f"project.chain_reported_{r.reported_by}", flow=flow_label(t, r.flow).lower() if isinstance(r.flow, str) else "",
                  amount=money(r.value) if pd.notna(r.value) else t("project.not_converted"))
                for r in group.itertuples())
            line = t("project.chain_line", organisation=who, amounts=amounts)
            if isinstance(first.other_project_id, str):
                title = first.other_title if isinstance(first.other_title, str) else other_id
                st.button(fmt.md(f"{title} ({other_id})"), key=f"chain-{direction}-{other_id}", type="tertiary",
                          icon=":material/arrow_forward:", on_click=_open, args=(first.other_project_id,))
            else:
                st.markdown(f"{fmt.md(other_id)} — {t('project.chain_not_loaded')}")
            st.caption(line)  # the organisation's name is escaped above
