"""Overview: headline figures and small charts that lead to the other pages."""
from mekong import entry

entry.ensure()

import streamlit as st

from mekong import fmt, panels
from mekong.ui import filters, lang, money, query, t
from mekong.widgets import PRESENT_SCALE, empty_state, gaps, panel, present, presenting


def main() -> None:
    if presenting():
        present(panels.overview(t, query, filters(), lang(), PRESENT_SCALE))
        return
    st.title(t("overview.title"))
    st.caption(t("overview.intro"))
    if empty_state():
        return
    h = query("overview_headline").iloc[0]
    c = st.columns(3)
    c[0].metric(t("overview.total_budget", currency=filters().currency), money(h.total, bool(h.total_approximate)),
                help=t("overview.total_budget_help"))
    c[1].metric(t("overview.disclosed"), t("overview.disclosed_value", n=int(h.n_with_budget), total=int(h.n_projects)),
                help=t("overview.disclosed_help"))
    c[2].metric(t("overview.active"), fmt.number(int(h.n_active), lang()), help=t("overview.active_help"))
    c = st.columns(3)
    c[0].metric(t("overview.donors"), fmt.number(int(h.n_donors), lang()))
    c[1].metric(t("overview.countries"), fmt.number(int(h.n_countries), lang()))
    c[2].metric(t("overview.provinces"), fmt.number(int(h.n_provinces), lang()))
    if h.total_approximate:
        st.caption(t("common.approximate_note"))

    _, donors, years = panels.overview(t, query, filters(), lang())
    left, right = st.columns(2)
    with left:
        panel(donors)
        st.page_link("pages/funding.py", label=t("overview.more_funding"), icon=":material/arrow_forward:")
    with right:
        panel(years)
        st.page_link("pages/timeline.py", label=t("overview.more_timeline"), icon=":material/arrow_forward:")
    gaps("budget")


main()
