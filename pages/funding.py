"""Funding: where the money goes, by donor, sector, country, province and year."""
from mekong.app import entry

entry.ensure()

import streamlit as st

from mekong.app import urlstate
from mekong.app.ui import filters, lang, query, t
from mekong.app.widgets import PRESENT_SCALE, empty_state, filter_line, gaps, panel, present, presenting
from mekong.views import fmt, panels
from mekong.views.panels import flow_label

FLOWS = ["budget", "commitment", "disbursement", "expenditure", "planned_disbursement", "incoming_funds"]


def choose_flow() -> str:
    """The money flow to count, among those the selected activities report (URL: flow)."""
    available = [f for f in FLOWS if f in set(query("funding_flows")["flow"])] or ["budget"]
    link_flow = (urlstate.take("flow") or [None])[-1]
    if link_flow in available:
        st.session_state["flow"] = link_flow
    if st.session_state.get("flow") not in available:
        st.session_state["flow"] = available[0]
    if presenting():
        flow = st.session_state["flow"]
    else:
        flow = st.segmented_control(t("funding.flow"), available, format_func=lambda f: flow_label(t, f), key="flow",
                                    help=t("funding.flow_help")) or available[0]
    if flow != "budget":
        urlstate.put("flow", flow)
    return flow


def main() -> None:
    if presenting():
        present(panels.funding(t, query, filters(), lang(), choose_flow(), PRESENT_SCALE))
        return
    st.title(t("funding.title"))
    filter_line()
    if empty_state():
        return
    flow = choose_flow()
    gaps(flow)
    f, lg = filters(), lang()
    rule = panels.counts_text(t, flow, f)
    st.caption(rule)  # once, not under each chart
    # Each chart is drawn as soon as it is built, so the browser draws the first ones while
    # the server still counts the others. plotly.js fades the sankey's links in and slides
    # the treemap's labels for half a second once drawn: those two are built first, in
    # their places further down, and that happens while the server builds the rest.
    by_year, treemap, sankey = panels.FUNDING[4:]
    bars, year_slot, treemap_slot, sankey_slot = st.container(), st.container(), st.container(), st.container()
    for slot, build in ((sankey_slot, sankey), (treemap_slot, treemap)):
        with slot:
            panel(build(t, query, f, lg, flow), shared=rule)
    with bars:
        breakdown_bars(f, lg, flow, rule)
    with year_slot:
        panel(by_year(t, query, f, lg, flow), shared=rule)
    chain = panels.funding_chain(t, query, f, lg, flow)
    if chain.figure is not None:  # only where the data links activities to one another
        panel(chain)


def breakdown_bars(f, lg: str, flow: str, rule: str) -> None:
    """The four breakdowns, two a row; one with a single bar (one filter on) is said in
    one line instead of drawn."""
    by_donor, by_sector, by_country, by_province = panels.FUNDING[:4]
    built = [build(t, query, f, lg, flow) for build in (by_donor, by_sector, by_country, by_province)]
    single = [p for p in built if p.figure is not None and len(p.table) == 1]
    drawn = [p for p in built if all(p is not s for s in single)]
    if single:
        st.markdown(t("funding.single", items=t("common.list_sep").join(
            t("funding.single_item", title=p.title, name=fmt.md(p.table.iloc[0, 0])) for p in single)))
        with st.expander(t("funding.single_charts", n=len(single)), icon=":material/bar_chart:"):
            for p in single:  # still there for their note and downloads
                panel(p, shared=rule)
    for pair in (drawn[i:i + 2] for i in range(0, len(drawn), 2)):
        for col, p in zip(st.columns(2), pair):
            with col:
                panel(p, shared=rule)


main()
