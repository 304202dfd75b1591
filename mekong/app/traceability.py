"""Traceability on the Data page: per publisher, how much of the money its activities
report as incoming names the activity it came from, and how much of that is loaded here
(queries/data_traceability.sql), as the IATI Dashboard measures it. Counting money once
across publishers rests on these links."""
import streamlit as st

from mekong.app.ui import lang, query, t
from mekong.views import fmt


def show() -> None:
    rows = query("data_traceability")
    if rows.empty:
        return
    st.subheader(t("data.traceability"), help=t("data.traceability_help"))
    st.dataframe([{
        t("data.col_publisher"): r.publisher,
        t("data.col_incoming"): fmt.money(r.incoming_usd, "USD", lang()) if r.incoming_usd == r.incoming_usd else "",
        t("data.col_transactions"): int(r.n_transactions),
        t("data.col_share_given"): fmt.percent(r.share_given, lang()) if r.share_given == r.share_given else "",
        t("data.col_share_loaded"): fmt.percent(r.share_loaded, lang()) if r.share_loaded == r.share_loaded else "",
    } for r in rows.itertuples()], hide_index=True, width="stretch")
