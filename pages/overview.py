"""Overview: headline figures and small charts that lead to the other pages."""
import streamlit as st

from mekong import charts, fmt
from mekong.ui import filters, lang, money, query, t
from mekong.widgets import bucket_label, chart, counts_caption, empty_state, gaps

st.title(t("overview.title"))
st.caption(t("overview.intro"))
if empty_state():
    st.stop()

h = query("overview_headline").iloc[0]
ccy = filters().currency
c = st.columns(3)
c[0].metric(t("overview.total_budget", currency=ccy), money(h.total, bool(h.total_approximate)),
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

left, right = st.columns(2)
with left:
    donors = query("funding_by_donor", flow="budget")
    if not donors.empty:
        donors["name"] = [bucket_label(k, lab) for k, lab in zip(donors["key"], donors["label"])]
        donors["bucket"] = donors["key"].str.startswith("~")
        chart(charts.bar_h(donors, "name", "value", ccy, lang(), t("overview.by_donor"), "bucket", max_bars=6),
              "overview-donors")
    st.page_link("pages/funding.py", label=t("overview.more_funding"), icon=":material/arrow_forward:")
with right:
    years = query("funding_by_year", flow="budget")
    if not years.dropna(subset=["year"]).empty:
        chart(charts.year_bars(years, ccy, lang(), t("overview.by_year")), "overview-years")
    st.page_link("pages/timeline.py", label=t("overview.more_timeline"), icon=":material/arrow_forward:")
counts_caption("budget", t("notes.spread_years"))
gaps("budget")
