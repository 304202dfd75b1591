"""`python -m mekong totals`: the figures the dashboard shows for a view, from the same
queries, as JSON or CSV - to script reports and to check the dashboard against other tools.

A view is a URL query string (the share link's): filters, `ccy`, `flow`, `lang`. Every
parameter must be one the dashboard knows with a value the data has: a bad one is an error
that names it (the app ignores such values with a notice; a script should not).
"""
import csv
import datetime as dt
import io
import json
import math
from dataclasses import dataclass
from urllib.parse import parse_qs

from mekong.store.db import Portfolio
from mekong.views import breakdowns, i18n, panels
from mekong.views.filters import (
    COUNT_PARAM,
    CURRENCY_PARAM,
    LIST_FILTERS,
    VN_PARAM,
    YEARBASIS_PARAM,
    YEARS_PARAM,
    Filters,
    Options,
    from_query,
    generation,
)

FLOWS = ("budget", "commitment", "disbursement", "expenditure", "planned_disbursement", "incoming_funds")
# --by -> the query behind the chart (a breakdown of funding_breakdowns.sql or a query of
# its own), and how its rows give a bucket key and label
BY = {"donor": "donor", "implementer": "funding_by_implementer", "sector": "sector",
      "country": "country", "province": "province", "year": "funding_by_year", "none": None}
USED = {*LIST_FILTERS, YEARS_PARAM, CURRENCY_PARAM, COUNT_PARAM, VN_PARAM, YEARBASIS_PARAM, "flow", "lang"}
# parameters of the app's other state (a share link may carry them): accepted, not used here
APP_STATE = {"present", "project", "q", "metric", "layers", "basemap", "place"}
COLUMNS = ("key", "label", "amount", "approximate", "activities")


class BadQuery(ValueError):
    """A parameter of the query is unknown or has a value the data does not have."""


@dataclass
class View:
    filters: Filters
    flow: str
    lang: str


def parse_view(portfolio: Portfolio, query: str) -> View:
    params = parse_qs(query.lstrip("?"), keep_blank_values=True)
    unknown = sorted(set(params) - USED - APP_STATE)
    if unknown:
        raise BadQuery(f"unknown parameter {unknown[0]!r} (known: {', '.join(sorted(USED))})")
    lang = (params.get("lang") or ["en"])[-1]
    if lang not in ("en", "fr"):
        raise BadQuery(f"parameter 'lang' is {lang!r}: use en or fr")
    rows = portfolio.frame("filter_options", {"lang": lang, "today": dt.date.today(), "vn": generation(params)})
    values = {d: set(g["value"]) for d, g in rows.groupby("dimension")}
    years = sorted(int(y) for y in values.pop("year", set()))
    options = Options(values=values, year_min=years[0] if years else None, year_max=years[-1] if years else None)
    filters, ignored = from_query(params, options)
    if ignored:
        i = ignored[0]
        why = "is not in the data" if i.reason == "unknown" else "cannot be read"
        raise BadQuery(f"parameter {i.param!r}: the value {i.value!r} {why}")
    flows = params.get("flow") or ["budget"]
    if len(flows) != 1 or flows[0] not in FLOWS:
        raise BadQuery(f"parameter 'flow' is {flows!r}: use one of {', '.join(FLOWS)}")
    return View(filters, flows[0], lang)


def _number(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x), 2)


def _buckets(portfolio: Portfolio, view: View, by: str, params: dict) -> list[dict]:
    fiscal = by == "year" and view.filters.yearbasis == "fiscal"
    if BY[by] in breakdowns.COLUMNS:
        df = breakdowns.breakdown(lambda name, **extra: portfolio.frame(name, {**params, **extra}), view.flow, BY[by])
    else:
        df = portfolio.frame("funding_by_fiscal_year" if fiscal else BY[by], params)
    def t(key, **values):
        return i18n.text(key, view.lang, **values)
    out = []
    if by == "sector":
        for r in df.itertuples():
            key = r.sector if isinstance(r.sector, str) else r.category
            label = (panels.bucket_label(t, key, None) if key.startswith("~")
                     else r.sector_label if isinstance(r.sector, str) else r.category_label)
            out.append((key, label, r.value, r.approximate, r.n_projects))
    elif fiscal:  # the partner governments' fiscal years (yearbasis=fiscal)
        for r, label in zip(df.itertuples(), panels.fiscal_year_keys(t, df, view.filters)):
            key = (f"{r.country}:{r.label}" if isinstance(r.label, str) else f"{r.country}:~no_fiscal_year"
                   if isinstance(r.country, str) else str(int(r.year)) if r.year == r.year and r.year is not None
                   else "~no_year")
            out.append((key, label, r.value, r.approximate, r.n_projects))
    elif by == "year":
        for r in df.itertuples():
            dated = r.year == r.year and r.year is not None
            key = str(int(r.year)) if dated else "~no_year"
            out.append((key, key if dated else t("buckets.no_year"), r.value, r.approximate, r.n_projects))
    else:
        named = panels._named(t, df) if not df.empty else df.assign(name=[])
        for r, name in zip(df.itertuples(), named["name"] if not df.empty else []):
            out.append((r.key, name, r.value, r.approximate, r.n_projects))
    return [{"key": k, "label": label if isinstance(label, str) else str(k), "amount": _number(v),
             "approximate": bool(a) if a == a and a is not None else False, "activities": int(n)}
            for k, label, v, a, n in out]


def totals(portfolio: Portfolio, query: str, by: str = "none") -> dict:
    """The figures of a view: {query, flow, currency, total, activities, buckets}."""
    view = parse_view(portfolio, query)
    params = {**view.filters.params(), "lang": view.lang, "flow": view.flow}
    total = portfolio.frame("flow_total", params).iloc[0]
    count = portfolio.frame("filtered_count", params).iloc[0]
    return {"query": query, "flow": view.flow, "currency": view.filters.currency, "total": _number(total.total),
            "activities": int(count.n_projects),
            "buckets": _buckets(portfolio, view, by, params) if BY[by] else []}


def as_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def as_csv(result: dict) -> str:
    """One row per bucket (key, label, amount, approximate, activities); labels that a
    spreadsheet would read as a formula are written as text."""
    from mekong.exports.files import safe_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for b in result["buckets"]:
        w.writerow([safe_cell(b["key"]), safe_cell(b["label"]), "" if b["amount"] is None else b["amount"],
                    str(b["approximate"]).lower(), b["activities"]])
    return buf.getvalue()
