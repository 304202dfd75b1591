"""Sources and credits: where the data comes from, how it is counted, who made the
reference data."""
from mekong.app import entry

entry.ensure()

import streamlit as st

from mekong.app.ui import blank, date, lang, query, t
from mekong.views import describe

st.title(t("about.title"))
st.markdown(t("about.intro"))

st.subheader(t("about.documents"))
docs = query("data_documents")
st.dataframe([{
    t("about.col_title"): describe.document_title(d, t, lang()), t("about.col_kind"): t(f"about.kind_{d.kind}"),
    t("about.col_publisher"): describe.publisher_text(d.publisher, t) or t("common.not_stated"),
    t("about.col_where"): blank(d.url) or blank(d.file), t("about.col_language"): blank(d.language),
    t("about.col_activities"): int(d.n_projects), t("about.col_facts"): int(d.n_sources),
    t("about.col_loaded"): date(d.imported_at) if blank(d.imported_at) else "",
} for d in docs.itertuples()], hide_index=True, width="stretch")

st.subheader(t("about.method"))
for key in ("method_budgets", "method_currency", "method_split", "method_years", "method_places", "method_gaps", "method_once"):
    st.markdown("- " + t(f"about.{key}"))

st.subheader(t("about.credits"))
for key in ("boundaries", "vn2025", "cities", "codelists", "countries", "cldr", "rates", "rates_average"):
    st.markdown("- " + t(f"credits.{key}"))

st.subheader(t("about.fiscal"))
st.caption(t("about.fiscal_intro"))
st.dataframe([{
    t("about.col_fy_country"): r.country_name if isinstance(r.country_name, str) else r.country,
    t("about.col_fy_years"): f"{r.first_label} – {r.last_label}" if r.n_years > 1 else r.first_label,
    t("about.col_fy_from"): date(r.first_start), t("about.col_fy_to"): date(r.last_end),
    t("about.col_fy_months"): int(r.months), t("about.col_fy_source"): r.source,
} for r in query("fiscal_year_rules").itertuples()], hide_index=True, width="stretch")

st.subheader(t("about.vn2025"))
st.caption(t("about.vn2025_intro"))
st.dataframe([{
    t("about.col_vn_unit"): f"{r.unit_name} ({r.unit_code})", t("about.col_vn_code"): r.unit,
    t("about.col_vn_former"): f"{r.former_name} ({r.former_code})", t("about.col_vn_former_iso"): r.former_iso,
} for r in query("vn_crosswalk").itertuples()], hide_index=True, width="stretch")
