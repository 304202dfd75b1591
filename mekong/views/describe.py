"""What a view shows, in words: the active filters (and in a file name), the date of the
data and its sources, for the line under each page's title, stamps, slides, the PDF brief
and exported files."""
import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from mekong.views import fmt
from mekong.views.filters import LIST_FILTERS, Filters, fiscal_year_labels


def filter_labels(options) -> dict[str, dict[str, str]]:
    """{dimension: {value: label}} from the rows of queries/filter_options.sql."""
    labels: dict[str, dict[str, str]] = {}
    for dim, value, label in zip(options["dimension"], options["value"], options["label"]):
        labels.setdefault(dim, {})[value] = label if isinstance(label, str) else value
    return labels


def filters_line(f: Filters, labels: dict[str, dict[str, str]], t) -> str:
    """'Donor: Government of Luxembourg · Country: Laos · Years: 2010–2014 · EUR'."""
    tidy = fmt.label
    parts = []
    for name in LIST_FILTERS:
        values = getattr(f, name)
        if values:
            names = [t("filters.status_none") if name == "status" and v == "none" else tidy(labels.get(name, {}).get(v, v))
                     for v in values]
            parts.append(f"{t(f'describe.{name}')}: {', '.join(names)}")
    if f.year_from is not None and f.yearbasis == "fiscal" and len(f.country) == 1:
        names = fiscal_year_labels(f.country[0])
        parts.append(f"{t('describe.years_fiscal')}: {names.get(f.year_from, f.year_from)}–{names.get(f.year_to, f.year_to)}")
    elif f.year_from is not None:
        parts.append(f"{t('describe.years_fiscal' if f.yearbasis == 'fiscal' else 'describe.years')}: {f.year_from}–{f.year_to}")
    if not parts:
        parts.append(t("describe.no_filter"))
    if f.vn != Filters.vn:
        parts.append(t(f"describe.vn_{f.vn}"))
    if f.yearbasis != Filters.yearbasis:
        parts.append(t(f"describe.yearbasis_{f.yearbasis}"))
    parts.append(f.currency)
    return " · ".join(parts)


def filters_slug(f: Filters, max_length: int = 80) -> str:
    """A file-name part that says which filters were on: 'donor-lu-government_country-LA_2010-2014_USD'."""
    parts = [f"{name}-{'-'.join(getattr(f, name))}" for name in LIST_FILTERS if getattr(f, name)]
    if f.year_from is not None:
        parts.append(f"{f.year_from}-{f.year_to}")
    if f.vn != Filters.vn:
        parts.append(f"vn-{f.vn}")
    if f.yearbasis != Filters.yearbasis:
        parts.append(f.yearbasis)
    parts.append(f.currency)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", "_".join(parts) if len(parts) > 1 else f"all_{f.currency}")
    return slug[:max_length].strip("-_")


def sources_line(docs, t, max_items: int = 4) -> str:
    """'Sources: LuxDev, Focus sur la coopération de l'AIMF… (+2)' from view_sources rows."""
    names = [p if isinstance(p, str) and p else title for title, p in zip(docs["title"], docs["publisher"])]
    names = list(dict.fromkeys(names))
    shown = ", ".join(names[:max_items]) + (f" (+{len(names) - max_items})" if len(names) > max_items else "")
    return t("describe.sources", sources=shown or "—")


def data_as_of(rows: pd.DataFrame) -> tuple[dt.date | None, int]:
    """The date of the data and how many of its documents are undated, from the row of
    queries/data_date.sql: the one place that decides what "data as of" means (the
    query says which document dates count)."""
    if rows.empty:
        return None, 0
    row = rows.iloc[0]
    day = row["data_date"]
    day = None if day is None or pd.isna(day) else pd.Timestamp(day).date()
    return day, int(row["n_undated"] or 0)


def data_date_line(rows: pd.DataFrame, t, lang: str) -> str:
    """'Data as of 3 Mar 2024', '... (2 sources undated)', or that the sources state no date;
    with data fetched from the internet, when it was fetched and how recent its publishers
    say it is: '... · IATI data fetched 5 Jan 2026, activities last updated by their
    publishers up to 30 Dec 2025'."""
    if rows is None or rows.empty:
        return ""
    day, undated = data_as_of(rows)
    if day is None:
        line = t("describe.data_date_unknown")
    else:
        line = t("describe.data_date", date=fmt.date(day, lang))
        line = line + " " + t("describe.data_date_undated", n=undated) if undated else line
    row = rows.iloc[0]
    first, last = row.get("fetched_from"), row.get("fetched_to")
    if first is None or pd.isna(first):
        return line
    first, last = fmt.date(first, lang), fmt.date(last, lang)
    fetched = t("describe.fetched", date=first) if first == last else t("describe.fetched_between", first=first, last=last)
    updated = row.get("updated_to")
    if updated is not None and pd.notna(updated):
        fetched += ", " + t("describe.updated", date=fmt.date(updated, lang))
    return " · ".join(x for x in (line, fetched) if x)


@dataclass(frozen=True)
class Stamp:
    """The lines that say what a view shows: its filters, the date of its data, its sources."""
    filters: str
    data_date: str
    sources: str

    def lines(self) -> list[str]:
        return [x for x in (self.filters, self.data_date, self.sources) if x]

    def line(self, sep: str = "  ·  ") -> str:
        return sep.join(self.lines())


def stamp(q, f: Filters, t, lang: str) -> Stamp:
    """The Stamp of a view; `q(name)` runs a query under the view's filters and language."""
    return Stamp(filters_line(f, filter_labels(q("filter_options")), t), data_date_line(q("data_date"), t, lang),
                 sources_line(q("view_sources"), t))
