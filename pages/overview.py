"""Overview: headline figures and small charts that lead to the other pages."""
from mekong.app import entry

entry.ensure()

import streamlit as st

from mekong.app.ui import filters, lang, query, t
from mekong.app.widgets import PRESENT_SCALE, empty_state, filter_line, gaps, key_figures, panel, present, presenting
from mekong.views import panels


def main() -> None:
    if presenting():
        present(panels.overview(t, query, filters(), lang(), PRESENT_SCALE))
        return
    st.title(t("overview.title"))
    filter_line()
    st.caption(t("overview.intro"))
    if empty_state():
        return
    figures, approximate = panels.headline_figures(t, query, filters(), lang())
    key_figures([figures[:3], figures[3:]])
    if approximate:
        st.caption(t("common.approximate_note"))

    donors, years = panels.overview_charts(t, query, filters(), lang())
    rule = panels.counts_text(t, "budget", filters())
    left, right = st.columns(2)
    with left:
        panel(donors, shared=rule)
        st.page_link("pages/funding.py", label=t("overview.more_funding"), icon=":material/arrow_forward:")
    with right:
        panel(years, shared=rule)
        st.page_link("pages/timeline.py", label=t("overview.more_timeline"), icon=":material/arrow_forward:")
    st.caption(rule)  # once, under both charts
    gaps("budget")


main()
