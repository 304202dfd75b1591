"""One project's page: every field, its money by contributor, its places and partners,
and the source passage behind each fact."""
import re
from urllib.parse import quote, urlsplit

import pandas as pd
import streamlit as st

from mekong.app import map_page, project_chain
from mekong.app.ui import blank, date, filters, known, lang, money, query, t
from mekong.app.widgets import table
from mekong.views import describe, fmt, i18n, maps
from mekong.views.panels import STATED_NOT_DONORS


def _back() -> None:
    st.session_state.pop("project", None)
    st.session_state.pop("projects_table", None)


def _slug(project_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", project_id).strip("-")


def _dates(d) -> str:
    start = date(d.start_date, d.start_precision) if blank(d.start_date) else t("common.not_disclosed")
    end = date(d.end_date, d.end_precision) if blank(d.end_date) else t("common.not_disclosed")
    kinds = (t("project.actual") if d.start_actual else t("project.planned"),
             t("project.actual") if d.end_actual else t("project.planned"))
    return f"{start} ({kinds[0]}) – {end}" + (f" ({kinds[1]})" if blank(d.end_date) else "")


def show(project_id: str) -> None:
    st.button(t("project.back"), on_click=_back, icon=":material/arrow_back:")
    detail = query("project_detail", project_id=project_id)
    if detail.empty:
        st.warning(t("project.unknown", id=fmt.md(project_id)), icon=":material/link_off:")
        return
    d = detail.iloc[0]
    st.title(fmt.md(d.title or project_id))
    other = d.title_fr if lang() == "en" else d.title_en
    if blank(other) and other != d.title:
        st.caption(fmt.md(other))

    c = st.columns([1, 1, 1.3, 1.5])
    c[0].markdown(f"{t('project.code')}  \n**{fmt.md(blank(d.code) or '—')}**")
    c[1].markdown(f"{t('project.status')}  \n**{fmt.md(blank(d.status_label) or t('common.not_stated'))}**")
    budgets = query("project_budgets", project_id=project_id)
    counted = budgets[(budgets["kind"] == "budget") & budgets["counted"] & budgets["amount"].notna()]
    total = counted["value"].sum() if counted["value"].notna().all() and not counted.empty else None
    shown = (money(total, bool(counted["approximate"].any())) if not counted.empty and total is not None
             else (t("project.not_converted") if not counted.empty else t("common.not_disclosed")))
    c[2].markdown(f"{t('project.budget', currency=filters().currency)}  \n**{shown}**")
    c[3].markdown(f"{t('project.dates')}  \n**{_dates(d)}**")

    if blank(d.iati_id) and d.document_kind == "iati":
        st.link_button(t("project.dportal"), dportal_url(d.iati_id), icon=":material/open_in_new:")
    if blank(d.parent_title):
        st.markdown(t("project.part_of", title=fmt.md(d.parent_title)))
    if blank(d.predecessor_title):
        st.markdown(t("project.follows", title=fmt.md(d.predecessor_title)))
    if blank(d.scope_note):
        st.markdown(t("project.scope", scope=fmt.md(d.scope_note)))
    desc_main, desc_other = (d.description_fr, d.description_en) if lang() == "fr" else (d.description_en, d.description_fr)
    if blank(desc_main) or blank(desc_other):
        st.subheader(t("project.description"))
        st.markdown(fmt.md(blank(desc_main) or blank(desc_other)))
        if blank(desc_main) and blank(desc_other):
            with st.expander(t("project.description_other")):
                st.markdown(fmt.md(desc_other))

    st.subheader(t("project.money"))
    if budgets.empty:
        st.caption(t("project.no_budgets"))
    else:
        table([{
            t("project.col_kind"): t(f"project.kind_{b.kind}"), t("project.col_type"): t(f"project.type_{b.type}"),
            t("project.col_contributor"): (t(STATED_NOT_DONORS["name:" + b.contributor]) if not known(b.contributor_org_id)
                                           and f"name:{b.contributor}" in STATED_NOT_DONORS
                                           else blank(b.contributor) or t("common.not_stated")),
            t("project.col_amount"): fmt.money(b.amount, b.currency, lang(), bool(b.approximate)) if known(b.amount) else t("common.not_disclosed"),
            t("project.col_converted", currency=filters().currency): money(b.value) if known(b.value) else t("project.not_converted"),
            t("project.col_period"): (f"{date(b.period_start)} – {date(b.period_end)}" if blank(b.period_start) else ""),
            t("project.col_rate_date"): date(b.rate_date) if blank(b.rate_date) else "",
            t("project.col_counted"): "✓" if b.counted else t("project.superseded"),
        } for b in budgets.itertuples()], f"budgets_{_slug(project_id)}",
            t("common.label_value", label=d.title or project_id, value=t("project.money")))
        if pd.notna(d.stated_total):
            st.caption(t("project.stated_total", amount=fmt.money(float(d.stated_total), d.stated_total_currency, lang()),
                         sum=fmt.money(float(counted["amount"].sum()), d.stated_total_currency, lang())))
    tx = query("project_transactions", project_id=project_id, limit=500)
    if not tx.empty:
        st.markdown(f"**{t('project.transactions')}**")
        table([{
            t("project.col_date"): date(x.date) if blank(x.date) else "", t("project.col_kind"): _transaction_type(x.type, x.type_label),
            t("project.col_amount"): fmt.money(x.amount, x.currency, lang()) if known(x.amount) else "",
            t("project.col_converted", currency=filters().currency): money(x.value) if known(x.value) else t("project.not_converted"),
            t("project.col_provider"): blank(x.provider), t("project.col_receiver"): blank(x.receiver),
        } for x in tx.itertuples()], f"transactions_{_slug(project_id)}",
            t("common.label_value", label=d.title or project_id, value=t("project.transactions")))

    project_chain.show(project_id)

    left, right = st.columns(2)
    with left:
        st.subheader(t("project.partners"))
        partners = query("project_partners", project_id=project_id)
        if partners.empty:
            st.caption(t("common.not_stated"))
        for role, group in partners.groupby("role", sort=False):
            st.markdown(t("common.label_value", label=f"**{t(f'project.role_{role}')}**",
                          value=", ".join(fmt.md(n) for n in group["name"])))
        published = partners.dropna(subset=["published_name"]).drop_duplicates("org_id")
        if not published.empty:  # provenance: the name as the publisher wrote it
            st.caption(t("project.published_as", names=t("common.list_sep").join(
                t("project.published_name", name=fmt.md(n), published=fmt.md(p))
                for n, p in zip(published["name"], published["published_name"]))))
        st.subheader(t("project.sectors"))
        sectors = query("project_sectors", project_id=project_id)
        if sectors.empty:
            st.caption(t("common.not_stated"))
        for s in sectors.itertuples():
            pct = f" — {fmt.percent(s.percentage / 100, lang())}" if known(s.percentage) else ""
            vocabulary = "" if s.vocabulary == "1" else f" ({fmt.md(blank(s.vocabulary_label) or s.vocabulary)})"
            st.markdown(f"**{fmt.md(s.code)}** {fmt.md(fmt.label(blank(s.name)))}{vocabulary}{pct}")
            if blank(s.mapping_note):
                st.caption(fmt.md(s.mapping_note))
    with right:
        events = query("project_events", project_id=project_id)
        if not events.empty:
            st.subheader(t("project.events"))
            for e in events.itertuples():
                when = f"**{date(e.start_date, e.precision)}**" + (f" – {date(e.end_date, e.precision)}" if blank(e.end_date) else "")
                st.markdown(t("common.label_value", label=when, value=fmt.md(e.title)))
        parts = query("project_parts", project_id=project_id)
        if not parts.empty:
            st.subheader(t("project.parts"))
            for p in parts.itertuples():
                st.button(t("common.label_value", label=t("project.rel_" + p.relation), value=fmt.md(p.title)), key=f"part-{p.project_id}",
                          on_click=st.session_state.__setitem__, args=("project", p.project_id), type="tertiary")

    _places(project_id, d)

    st.subheader(t("project.sources"))
    sources = query("project_sources", project_id=project_id, limit=200)
    for _, group in sources.groupby("document_id", sort=False):
        first = group.iloc[0]
        link = _document_link(first.url)
        title = fmt.md(describe.document_title({"document_id": first.document_id, "kind": first.kind, "title": first.document,
                                                "file": first.file, "url": first.url}, t, lang()))
        st.markdown((f"**[{title}]({link})**" if link else f"**{title}**")
                    + (f" — {fmt.md(describe.publisher_text(first.publisher, t))}" if blank(first.publisher) else ""))
        if not link and blank(first.file):
            st.caption(t("project.file", file=fmt.md(first.file)))
        for s in group.itertuples():
            with st.container(border=True):
                st.text(s.passage)  # the words of the source, as plain text, in the text colour
                st.caption(t("project.supports") + " " + ", ".join(t(f"project.fact_{f}") for f in s.facts.split(", "))
                           + (" — " + fmt.md(s.note) if blank(s.note) else ""))

def _transaction_type(code, label) -> str:
    """The type of a transaction in the page's language (the bundled IATI codelist has
    English names only: the locale file has both)."""
    key = f"project.tx_{code}"
    return t(key) if key in i18n.catalog() else blank(label) or code


def _places(project_id: str, d) -> None:
    """The activity's places, full width (the "As stated" column is read whole), beside a
    small map of them (its provinces and points, drawn offline)."""
    st.subheader(t("project.places"))
    places = query("project_places", project_id=project_id)
    if places.empty:
        st.caption(t("common.not_stated"))
        return
    deck = maps.project_deck(places, map_page.bundled_boundaries(), map_page.country_outlines())
    rows = pd.DataFrame([{
        t("project.col_place"): p.name, t("project.col_place_kind"): t(f"project.place_{p.kind}"),
        t("project.col_province"): (t("project.province_now", stated=p.province_name, now=p.shown_name)
                                    if known(p.shown_name) else blank(p.province_name)), t("project.col_share"):
            fmt.percent(p.percentage / 100, lang()) if known(p.percentage) else "",
        t("project.col_coordinates"): f"{p.lat:.4f}, {p.lon:.4f}" if known(p.lat)
            else ("" if p.kind in ("country", "region") else t("project.no_coordinates")),
        t("project.col_note"): blank(p.note),
    } for p in places.itertuples()])
    # the whole width for the table, so that what the source says of each place is read
    # whole; the map under it
    narrow = {t("project.col_place"): 115, t("project.col_place_kind"): 65, t("project.col_province"): 105,
              t("project.col_share"): 50, t("project.col_coordinates"): 120}
    table(rows, f"places_{_slug(project_id)}", t("common.label_value", label=d.title or project_id, value=t("project.places")),
          column_config={**{k: st.column_config.TextColumn(width=w) for k, w in narrow.items()},
                         t("project.col_note"): st.column_config.TextColumn(width=480)})
    if deck is not None:
        left, _ = st.columns([1, 1])
        with left:
            st.pydeck_chart(deck, height=300, key="project_map")
            st.caption(t("project.map_caption"))


def _document_link(url) -> str | None:
    """An http(s) address fit for a Markdown link (no spaces, brackets or quotes), else None."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return quote(url.strip(), safe=":/?#[]@!$&'*+,;=%-._~").replace("(", "%28").replace(")", "%29")


def dportal_url(iati_id: str) -> str:
    """The activity on d-portal (a plain link: nothing is fetched)."""
    return "https://d-portal.org/ctrack.html#view=act&aid=" + quote(iati_id, safe="")
