"""The charts of each view, built without Streamlit so that the pages, presentation
mode, the slide deck and the file exports all show the same thing.

A builder takes `q(name, **extra) -> DataFrame` (a query under the current filters),
`t(key, **values) -> str` (interface text), the filters and the language, and returns
Panels: a title, a figure (None when there is nothing to draw), the line that says what
it counts, and the table behind it for CSV/XLSX export.
"""
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from mekong.views import breakdowns, charts, fmt
from mekong.views.filters import Filters

Query = Callable[..., pd.DataFrame]
Text = Callable[..., str]


@dataclass
class Panel:
    key: str
    title: str
    figure: go.Figure | None
    caption: str = ""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    empty_text: str = ""
    # How a slide can redraw it natively from `table` (first column labels, second values):
    # "bar" (horizontal bars), "columns" (per year), "figures" (key figures); else an image.
    kind: str = "image"


# Budget contributors a source names without naming an organisation, which are not
# donors (LuxDev's "Local contribution", the partner country's share): drawn grey like
# the buckets, in the page's language.
STATED_NOT_DONORS = {"name:Local contribution": "buckets.local_contribution"}


def not_a_donor(key) -> bool:
    return isinstance(key, str) and (key.startswith("~") or key in STATED_NOT_DONORS)


def bucket_label(t: Text, key, label) -> str:
    """Readable names for the buckets queries return ('~several funders', '~national'...)."""
    if isinstance(key, str) and key.startswith("~"):
        return t(f"buckets.{key[1:].replace(' ', '_')}")
    if key in STATED_NOT_DONORS:
        return t(STATED_NOT_DONORS[key])
    if label is None or (isinstance(label, float) and pd.isna(label)):
        return str(key)
    return fmt.label(label)


def outside_label(t: Text, name: str, outside) -> str:
    """A country outside the five (kept by an import with all countries) says so."""
    return t("panels.outside_mekong", name=name) if outside is True or outside == 1 else name


def bucket_labels(t: Text, keys: pd.Series, labels: pd.Series) -> pd.Series:
    """bucket_label of each row, worked out once per key (a query can return tens of
    thousands of rows over a few hundred keys)."""
    names, out = {}, []
    for k, lab in zip(keys.tolist(), labels.tolist()):
        one = None if k != k else k  # every missing key is the same key, as for pandas
        if one not in names:
            names[one] = bucket_label(t, k, lab)
        out.append(names[one])
    return pd.Series(out, index=keys.index)


def flow_label(t: Text, flow: str) -> str:
    try:
        return t(f"flows.{flow}")
    except KeyError:
        return flow


def counts_text(t: Text, flow: str, f: Filters) -> str:
    """What a money chart counts, and how (the flow, the currency, counted once or every report)."""
    kind = "budget" if flow in ("budget", "planned_disbursement") else "transactions"
    return (t(f"notes.counts_{kind}", flow=flow_label(t, flow).lower(), currency=f.currency)
            + " " + t(f"notes.counted_{f.count}"))


def _named(t: Text, df: pd.DataFrame, key: str = "key", label: str = "label") -> pd.DataFrame:
    df = df.copy()
    keys = df[key].tolist()  # (lists: a pandas column of strings is slow to walk through)
    df["name"] = [bucket_label(t, k, lab) for k, lab in zip(keys, df[label].tolist())]
    if "outside" in df:
        df["name"] = [outside_label(t, n, o) for n, o in zip(df["name"].tolist(), df["outside"].tolist())]
    df["bucket"] = [not_a_donor(k) for k in keys]
    return df


def _bars(t, q, f: Filters, lang: str, flow: str, part: str, key: str, title_key: str, max_bars: int = 15,
          prepare=None, scale: float = 1.0, parts=breakdowns.FUNDING) -> Panel:
    df = breakdowns.breakdown(q, flow, part, parts)
    title = t(title_key, flow=flow_label(t, flow))
    if df.empty:
        return Panel(key, title, None, empty_text=t("panels.no_amounts", flow=flow_label(t, flow).lower()))
    df = _distinct_names(prepare(df) if prepare else _named(t, df))
    caption = counts_text(t, flow, f)
    drawn = df
    if len(df) > max_bars:
        # the bars add up to the total: past max_bars the smallest are one grey bar
        rest = df.iloc[max_bars - 1:]
        drawn = pd.concat([df.iloc[:max_bars - 1], pd.DataFrame(
            {"name": [t("panels.others_n", n=len(rest))], "value": [float(rest["value"].sum())], "bucket": [True]})],
            ignore_index=True)
        caption += " " + t("panels.grouped_small")
    fig = charts.bar_h(drawn, "name", "value", f.currency, lang, None, "bucket", max_bars=max_bars, scale=scale)
    table = df[["name", "value", "n_projects"]].rename(columns={"name": t("panels.col_name"),
                                                                "value": f.currency, "n_projects": t("panels.col_projects")})
    return Panel(key, title, fig, caption, table, kind="bar")


def by_donor(t, q, f, lang, flow, scale=1.0) -> Panel:
    return _bars(t, q, f, lang, flow, "donor", "by-donor", "panels.by_donor", scale=scale)


def by_country(t, q, f, lang, flow, scale=1.0) -> Panel:
    return _bars(t, q, f, lang, flow, "country", "by-country", "panels.by_country", scale=scale)


def _distinct_names(df: pd.DataFrame) -> pd.DataFrame:
    """A bar chart draws one bar per name: two keys with the same name (two organisations
    both called so, Laos's two provinces named Viangchan) get their key beside it."""
    same = df["name"].duplicated(keep=False)
    if same.any():
        df = df.copy()
        df.loc[same, "name"] = [f"{n} ({k})" for n, k in zip(df.loc[same, "name"], df.loc[same, "key"])]
    return df


def by_province(t, q, f, lang, flow, scale=1.0) -> Panel:
    def prepare(df):
        df = _named(t, df)
        # "Name (country)", or "Name (ISO code)" when a country has two of that name
        same = df.groupby(["name", "country"], dropna=False)["key"].transform("size") > 1
        df["name"] = [f"{n} ({k})" if b else n if c is None or pd.isna(c) else f"{n} ({c})"
                      for n, c, k, b in zip(df["name"], df["country"], df["key"], same)]
        return df
    p = _bars(t, q, f, lang, flow, "province", "by-province", "panels.by_province", prepare=prepare,
              scale=scale)
    p.caption = (p.caption + " " + t("panels.province_rule")).strip()
    return p


def by_sector(t, q, f, lang, flow, scale=1.0) -> Panel:
    def prepare(df):
        df = df.copy()
        def name(code, label):  # a code not in the DAC list has no name: it says so, never "nan"
            return f"{code} {fmt.label(label)}" if isinstance(label, str) and label else f"{code} {t('panels.not_in_list')}"
        df["name"] = [bucket_label(t, c, None) if str(c).startswith("~") else name(s, sl) if isinstance(s, str) else name(c, cl)
                      for c, cl, s, sl in zip(df["category"], df["category_label"], df["sector"], df["sector_label"])]
        df["bucket"] = df["category"].astype(str).str.startswith("~")
        return df
    return _bars(t, q, f, lang, flow, "sector", "by-sector", "panels.by_sector", prepare=prepare, scale=scale)


def fiscal_year_keys(t, df, f) -> list[str]:
    """The label of each row of funding_by_fiscal_year: the government's own label with
    one country selected, else prefixed by the country's code; money of no partner
    government by calendar year; money in no known fiscal year, and undated money, said so."""
    one = len(f.country) == 1
    out = []
    for c, lb, y, m in zip(df["country"], df["label"], df["year"], df["months"]):
        if isinstance(c, str) and isinstance(lb, str):
            key = lb if one else f"{c} {lb}"
            out.append(key + (" " + t("panels.fy_interim") if m == m and m and m < 12 else ""))
        elif isinstance(c, str):
            out.append(t("panels.fy_none", country=c))
        elif y == y and y is not None:
            out.append(t("panels.fy_calendar", year=int(y)))
        else:
            out.append(t("panels.fy_undated"))
    return out


def by_fiscal_year(t, q, f, lang, flow, scale=1.0) -> Panel:
    """Money per fiscal year of the partner governments (yearbasis=fiscal)."""
    df = q("funding_by_fiscal_year", flow=flow)
    title = t("panels.by_fiscal_year", flow=flow_label(t, flow))
    if df.empty:
        return Panel("by-year", title, None, empty_text=t("panels.no_dated_amounts", flow=flow_label(t, flow).lower()))
    df = df.copy()
    df["key"] = fiscal_year_keys(t, df, f)
    caption = counts_text(t, flow, f) + " " + t("panels.fy_rule" if len(f.country) == 1 else "panels.fy_rule_several")
    table = df.rename(columns={"key": t("panels.col_fiscal_year"), "value": f.currency, "n_projects": t("panels.col_projects")})
    return Panel("by-year", title, charts.fiscal_year_bars(df, f.currency, lang, scale=scale), caption.strip(),
                 table[[t("panels.col_fiscal_year"), f.currency, t("panels.col_projects")]], kind="columns")


def by_year(t, q, f, lang, flow, scale=1.0) -> Panel:
    if f.yearbasis == "fiscal":
        return by_fiscal_year(t, q, f, lang, flow, scale)
    df = q("funding_by_year", flow=flow)
    title = t("panels.by_year", flow=flow_label(t, flow))
    dated = df.dropna(subset=["year"])
    # the axis spans the years that hold money: budgets of 0 spread over an activity that
    # runs to 2050 would stretch it over decades of empty years
    money_years = dated.loc[dated["value"].fillna(0) != 0, "year"]
    beyond = ""
    if not money_years.empty:
        first, last = money_years.min(), money_years.max()
        outside = dated[(dated["year"] < first) | (dated["year"] > last)]
        if not outside.empty:
            first_out, last_out = int(outside["year"].min()), int(outside["year"].max())
            beyond = (t("panels.year_without_money", year=first_out) if first_out == last_out
                      else t("panels.years_without_money", first=first_out, last=last_out))
        dated = dated[(dated["year"] >= first) & (dated["year"] <= last)]
    if dated.empty or money_years.empty:
        return Panel("by-year", title, None, empty_text=t("panels.no_dated_amounts", flow=flow_label(t, flow).lower()))
    caption = counts_text(t, flow, f)
    if flow in ("budget", "planned_disbursement"):
        caption += " " + t("notes.spread_years")
    undated = df[df["year"].isna()]
    if not undated.empty:
        caption += " " + t("panels.undated_money", amount=fmt.money(undated["value"].sum(), f.currency, lang))
    if beyond:
        caption += " " + beyond
    table = df.rename(columns={"year": t("panels.col_year"), "value": f.currency, "n_projects": t("panels.col_projects")})
    return Panel("by-year", title, charts.year_bars(dated, f.currency, lang, scale=scale), caption,
                 table[[t("panels.col_year"), f.currency, t("panels.col_projects")]], kind="columns")


def donor_sector_treemap(t, q, f, lang, flow, scale=1.0) -> Panel:
    df = breakdowns.breakdown(q, flow, "treemap", breakdowns.FUNDING)
    title = t("panels.treemap", flow=flow_label(t, flow))
    if df.empty or df["value"].sum() <= 0:
        return Panel("treemap", title, None, empty_text=t("panels.no_amounts", flow=flow_label(t, flow).lower()))
    df = df[df["value"] > 0].copy()
    df["donor"] = bucket_labels(t, df["donor_key"], df["donor_label"])
    # (a missing code or label is NaN in pandas, and NaN is truthy: test for strings)
    cats = df[["category", "category_label"]].drop_duplicates("category")
    categories = {c: bucket_label(t, c, None) if str(c).startswith("~") else fmt.label(cl if isinstance(cl, str) else c)
                  for c, cl in zip(cats["category"].tolist(), cats["category_label"].tolist())}
    df["category_name"] = df["category"].map(categories)
    secs = df[["sector", "sector_label"]].drop_duplicates("sector")
    sectors = {s: f"{s} {fmt.label(sl)}" if isinstance(sl, str) else s
               for s, sl in zip(secs["sector"].tolist(), secs["sector_label"].tolist()) if isinstance(s, str)}
    df["sector_name"] = df["sector"].map(sectors).astype(object).fillna(df["category_name"])
    # the query grouped the smallest cells (category '~other'): drawn as they come
    fig = charts.treemap(df, ["donor", "category_name", "sector_name"], "value", f.currency, lang, t("panels.all_donors"),
                         scale=scale, max_leaves=len(df), other=t("panels.others"))
    table = df[["donor", "category_name", "sector_name", "value"]].rename(columns={
        "donor": t("panels.col_donor"), "category_name": t("panels.col_category"),
        "sector_name": t("panels.col_sector"), "value": f.currency})
    caption = counts_text(t, flow, f)
    if (df["category"] == "~other").any():
        caption += " " + t("panels.grouped_small")
    return Panel("treemap", title, fig, caption, table)


def donor_implementer_country_sankey(t, q, f, lang, flow, scale=1.0) -> Panel:
    df = breakdowns.breakdown(q, flow, "sankey", breakdowns.FUNDING)
    title = t("panels.sankey", flow=flow_label(t, flow))
    if df.empty or df["value"].sum() <= 0:
        return Panel("sankey", title, None, empty_text=t("panels.no_amounts", flow=flow_label(t, flow).lower()))
    df = df[df["value"] > 0].copy()
    df["donor"] = bucket_labels(t, df["donor_key"], df["donor_label"])
    df["implementer"] = bucket_labels(t, df["implementer_key"], df["implementer_label"])
    df["country"] = bucket_labels(t, df["country_key"], df["country_label"])
    df["country"] = [outside_label(t, n, o) for n, o in zip(df["country"].tolist(), df["country_outside"].tolist())]
    stages = [("donor_key", "donor"), ("implementer_key", "implementer"), ("country_key", "country")]
    fig = charts.sankey(df, stages, "value", f.currency, lang, scale=scale, other=t("panels.others"))
    table = df[["donor", "implementer", "country", "value"]].rename(columns={
        "donor": t("panels.col_donor"), "implementer": t("panels.col_implementer"),
        "country": t("panels.col_country"), "value": f.currency})
    caption = counts_text(t, flow, f) + " " + t("panels.sankey_rule")
    if any((df[key] == "~other").any() for key, _ in stages):  # grouped by the query
        caption += " " + t("panels.grouped_small")
    return Panel("sankey", title, fig, caption, table)


def funding_chain(t, q, f, lang, flow="disbursement", scale=1.0) -> Panel:
    """The funding chain between organisations (queries/funding_chain.sql): money disbursed
    from one loaded activity to another, and what enters them from outside. Its figure is
    None when no link between loaded activities resolves."""
    df = q("funding_chain")
    title = t("panels.chain")
    if df.empty:
        return Panel("chain", title, None, empty_text=t("panels.no_chain"))
    df = df.copy()
    df["source_label"] = [bucket_label(t, k, lab) for k, lab in zip(df["source_key"], df["source_label"])]
    fig = charts.flow_graph(df, "value", f.currency, lang, scale=scale)
    table = df[["source_label", "target_label", "value"]].rename(columns={
        "source_label": t("panels.col_from"), "target_label": t("panels.col_to"), "value": f.currency})
    return Panel("chain", title, fig, t("panels.chain_rule", currency=f.currency), table)


# The funding page's charts, in the order it shows them (then the funding chain, where the
# data links activities to one another).
FUNDING = [by_donor, by_sector, by_country, by_province, by_year, donor_sector_treemap, donor_implementer_country_sankey]


def funding(t: Text, q: Query, f: Filters, lang: str, flow: str, scale: float = 1.0) -> list[Panel]:
    panels = [b(t, q, f, lang, flow, scale) for b in FUNDING]
    chain = funding_chain(t, q, f, lang, flow, scale)
    return panels + [chain] if chain.figure is not None else panels


# From a hundred million on, the exact total no longer fits its box at 1280 pixels and the
# browser cuts it short ("EUR 656,013,743…" reads as millions): it is written short
# ("EUR 656.0B") and given in full in the help.
COMPACT_FROM = 100_000_000


def headline_figures(t: Text, q: Query, f: Filters, lang: str) -> tuple[list[tuple[str, str, str | None]], bool]:
    """The overview's six figures as (label, value, help), and whether the total is approximate."""
    h = q("overview_headline").iloc[0]
    total, total_help = t("common.not_disclosed"), t("overview.total_budget_help")
    if pd.notna(h.total):
        total = fmt.money(h.total, f.currency, lang, bool(h.total_approximate))
        if abs(h.total) >= COMPACT_FROM:  # the exact figure would be cut off: it goes in the help
            total_help += " " + t("overview.total_exact", value=total)
            total = ("~" if h.total_approximate else "") + fmt.compact_money(h.total, f.currency, lang)
    items = [(t("overview.total_budget", currency=f.currency), total, total_help),
             (t("overview.disclosed"), t("overview.disclosed_value", n=fmt.number(int(h.n_with_budget), lang),
                                         total=fmt.number(int(h.n_projects), lang)), t("overview.disclosed_help")),
             (t("overview.active"), fmt.number(int(h.n_active), lang), t("overview.active_help")),
             (t("overview.donors"), fmt.number(int(h.n_donors), lang), t("overview.donors_help")),
             (t("overview.countries"), fmt.number(int(h.n_countries), lang),
              t("overview.countries_outside", n=fmt.number(int(h.n_countries_outside), lang)) if h.n_countries_outside else None),
             (t("overview.provinces"), fmt.number(int(h.n_provinces), lang), None)]
    return items, bool(h.total_approximate)


def headline(t: Text, q: Query, f: Filters, lang: str, scale: float = 1.0) -> Panel:
    figures, _ = headline_figures(t, q, f, lang)
    items = [(label, value) for label, value, _ in figures]
    table = pd.DataFrame(items, columns=[t("panels.col_name"), t("panels.col_value")])
    return Panel("headline", t("overview.title"), charts.headline(items, scale=scale), t("overview.total_budget_help"), table,
                 kind="figures")


def overview_charts(t: Text, q: Query, f: Filters, lang: str, scale: float = 1.0) -> list[Panel]:
    """The overview's two charts: the biggest donors and budgets per year."""
    donors = _bars(t, q, f, lang, "budget", "donor", "overview-donors", "panels.by_donor", max_bars=6, scale=scale,
                   parts=("donor",))
    return [donors, by_year(t, q, f, lang, "budget", scale)]


def overview(t: Text, q: Query, f: Filters, lang: str, scale: float = 1.0) -> list[Panel]:
    return [headline(t, q, f, lang, scale), *overview_charts(t, q, f, lang, scale)]


# The time line draws at most this many activities (a bar each): more is unreadable, and
# tens of thousands of bars take seconds to send and draw.
GANTT_MAX = 200


TIMELINE_ORDERS = ("start", "donor", "country")


def timeline(t: Text, q: Query, f: Filters, lang: str, today, flow: str = "budget", scale: float = 1.0,
             order: str = "start") -> list[Panel]:
    """The Gantt of the activities (by start date, or grouped by donor or by country, each
    group by start date; an activity with several funders or countries goes under all of
    them, joined) and money per year."""
    projects = q("timeline_projects", limit=GANTT_MAX)
    events = q("timeline_events")
    title = t("panels.gantt")
    labels = {"actual": t("panels.gantt_actual"), "planned": t("panels.gantt_planned"),
              "open": t("panels.gantt_open"), "events": t("panels.gantt_events"), "today": t("panels.gantt_today"),
              "no_group": t("common.not_stated")}
    dated = projects.dropna(subset=["start_date"])
    if order in ("donor", "country"):
        dated = dated.assign(group=dated["funders" if order == "donor" else "countries"])
        dated = dated.sort_values(["group", "start_date"], na_position="last", kind="stable")
    undated = projects[projects["start_date"].isna()]
    caption = t("panels.gantt_rule")
    if not undated.empty:
        caption += " " + t("panels.gantt_undated", n=len(undated))
    if len(projects) >= GANTT_MAX:
        caption += " " + t("panels.gantt_first", n=GANTT_MAX)
    table = projects[["code", "title", "status_label", "start_date", "end_date", "funders"]].rename(columns={
        "code": t("timeline.col_code"), "title": t("timeline.col_title"), "status_label": t("timeline.col_status"),
        "start_date": t("projects.col_start"), "end_date": t("projects.col_end"), "funders": t("timeline.col_funders")})
    gantt = Panel("gantt", title, charts.gantt(dated, lang, today, labels, events=events, scale=scale) if not dated.empty else None,
                  caption, table, empty_text=t("panels.no_dates"))
    return [gantt, by_year(t, q, f, lang, flow, scale)]


def province_map(t: Text, q: Query, f: Filters, lang: str, flow: str, provinces: dict, countries: dict,
                 scale: float = 1.0) -> Panel:
    """The provinces shaded by money, drawn as plain shapes (for slides, the PDF and PNG
    files: no tiles, no WebGL), with the table of the provinces."""
    rows = breakdowns.breakdown(q, flow, "province", breakdowns.FUNDING)
    values = {k: v for k, v in zip(rows["key"], rows["value"]) if not str(k).startswith("~")}
    fig = charts.province_map(provinces, countries, values, f.currency, lang, f.currency, t("slides.map_no_data"),
                              scale=scale)
    table = by_province(t, q, f, lang, flow).table
    return Panel("map", t("slides.map", flow=flow_label(t, flow)), fig, t("panels.province_rule"), table)
