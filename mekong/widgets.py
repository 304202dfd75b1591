"""Small Streamlit pieces several pages share: what a chart counts, what it leaves out,
the empty state, a chart with its PNG download."""
import pandas as pd
import streamlit as st

from mekong import fmt
from mekong.ui import filters, lang, query, t

FLOWS = ("budget", "commitment", "disbursement", "expenditure", "planned_disbursement", "incoming_funds")


def flow_label(flow: str) -> str:
    return t(f"flows.{flow}") if flow in FLOWS else flow


def counts_caption(flow: str, split: str = "") -> None:
    """One line under a money chart saying exactly what it counts."""
    st.caption(t(f"notes.counts_{'budget' if flow in ('budget', 'planned_disbursement') else 'transactions'}",
                 flow=flow_label(flow).lower(), currency=filters().currency) + (" " + split if split else ""))


def gaps(flow: str) -> None:
    """The money a chart could not count, by reason - shown, never hidden."""
    rows = query("money_gaps", flow=flow)
    if rows.empty:
        return
    items = []
    for r in rows.itertuples():
        if r.n_projects == 0:
            continue
        if r.reason == "no_amount":
            items.append(t("notes.gap_no_amount", n=r.n_projects, flow=flow_label(flow).lower()))
        else:
            amount = fmt.money(r.amount, r.currency, lang())
            items.append(t(f"notes.gap_{r.reason}", amount=amount, n=r.n_projects))
    if items:
        st.info("  \n".join(items), icon=":material/info:")


def empty_state() -> bool:
    """Show the 'nothing matches' message when the filters match no activity."""
    if query("overview_headline").iloc[0]["n_projects"] == 0:
        st.info(t("common.no_match"), icon=":material/filter_alt_off:")
        return True
    return False


def bucket_label(key: str, label) -> str:
    """Readable names for the buckets the queries return ('~several funders', ...)."""
    if isinstance(key, str) and key.startswith("~"):
        return t(f"buckets.{key[1:].replace(' ', '_')}")
    if label is None or (isinstance(label, float) and pd.isna(label)):
        return str(key)
    return fmt.label(label)


def chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=key, config={"displaylogo": False, "toImageButtonOptions": {"filename": key}})
