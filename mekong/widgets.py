"""Small Streamlit pieces the pages share: drawing panels, what a view leaves out, the
empty state."""
import streamlit as st

from mekong import fmt
from mekong.panels import Panel, flow_label
from mekong.ui import lang, query, t


def gaps(flow: str) -> None:
    """The money the charts could not count, by reason - shown, never hidden."""
    rows = query("money_gaps", flow=flow)
    items = []
    for r in rows.itertuples():
        if r.n_projects == 0:
            continue
        if r.reason == "no_amount":
            items.append(t("notes.gap_no_amount", n=r.n_projects, flow=flow_label(t, flow).lower()))
        else:
            items.append(t(f"notes.gap_{r.reason}", amount=fmt.money(r.amount, r.currency, lang()), n=r.n_projects))
    if items:
        st.info("  \n".join(items), icon=":material/info:")


def empty_state() -> bool:
    """Show the 'nothing matches' message when the filters match no activity."""
    if query("overview_headline").iloc[0]["n_projects"] == 0:
        st.info(t("common.no_match"), icon=":material/filter_alt_off:")
        return True
    return False


def panel(p: Panel) -> None:
    st.subheader(p.title)
    if p.figure is None:
        st.info(p.empty_text or t("common.no_match"), icon=":material/bar_chart_off:")
    else:
        st.plotly_chart(p.figure, key=f"chart-{p.key}",
                        config={"displaylogo": False, "toImageButtonOptions": {"filename": p.key}})
    if p.caption:
        st.caption(p.caption)


def panels(ps: list[Panel], columns: int = 1) -> None:
    for i in range(0, len(ps), columns):
        cols = st.columns(columns) if columns > 1 else [st.container()]
        for col, p in zip(cols, ps[i:i + columns]):
            with col:
                panel(p)
