"""What a view shows, in words: the active filters (and in a file name), the date of the
data and its sources, for the line under each page's title, stamps, slides, the PDF brief
and exported files."""
import datetime as dt
import functools
import re
from dataclasses import dataclass

import pandas as pd

from mekong.reference.countries import country_rows
from mekong.views import fmt
from mekong.views.filters import LIST_FILTERS, Filters, fiscal_year_labels


def filter_labels(options) -> dict[str, dict[str, str]]:
    """{dimension: {value: label}} from the rows of queries/filter_options.sql."""
    labels: dict[str, dict[str, str]] = {}
    # (lists: walking pandas' arrow-backed columns of strings costs ten times as much)
    for dim, value, label in zip(options["dimension"].tolist(), options["value"].tolist(), options["label"].tolist()):
        labels.setdefault(dim, {})[value] = label if isinstance(label, str) else value
    return labels


def filters_line(f: Filters, labels: dict[str, dict[str, str]], t) -> str:
    """'Donor: Government of Luxembourg · Country: Laos · Years: 2010–2014 · EUR' (in French
    'Bailleur : ...', a narrow no-break space before the colon)."""
    tidy = fmt.label
    parts = []

    def item(label_key: str, value: str) -> str:
        return t("common.label_value", label=t(label_key), value=value)

    for name in LIST_FILTERS:
        values = getattr(f, name)
        if values:
            names = [t("filters.status_none") if name == "status" and v == "none" else tidy(labels.get(name, {}).get(v, v))
                     for v in values]
            parts.append(item(f"describe.{name}", ", ".join(names)))
    if f.year_from is not None and f.yearbasis == "fiscal" and len(f.country) == 1:
        names = fiscal_year_labels(f.country[0])
        parts.append(item("describe.years_fiscal", f"{names.get(f.year_from, f.year_from)}–{names.get(f.year_to, f.year_to)}"))
    elif f.year_from is not None:
        parts.append(item("describe.years_fiscal" if f.yearbasis == "fiscal" else "describe.years", f"{f.year_from}–{f.year_to}"))
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


@functools.cache
def _country_names() -> dict[str, tuple[str, str]]:
    return {r[0]: (r[2], r[3] or r[2]) for r in country_rows()}


def _text(v) -> str | None:
    return v if isinstance(v, str) and v else None


def document_title(doc, t, lang: str) -> str:
    """A document's title in the page's language. The importers name what they read in
    English in the database and on the command line ("IATI activities: file.xml",
    "Spreadsheet: ...", "d-portal: IATI activities in Laos (LA)"): those are written again
    from the document's kind, file, address or country; a curated document keeps its own
    title. `doc` has document_id, kind, title, file and url (a row or a dict)."""
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    did, kind, file, url = _text(get("document_id")) or "", get("kind"), _text(get("file")), _text(get("url"))
    if did.startswith("dportal:"):
        cc = did.removeprefix("dportal:")
        names = _country_names().get(cc)
        return t("describe.doc_dportal", country=(names[1] if lang == "fr" else names[0]) if names else cc, cc=cc)
    if did.startswith("url:"):
        return t("describe.doc_url", url=url or did.removeprefix("url:"))
    if kind == "iati" and file:
        return t("describe.doc_iati", file=file)
    if kind == "spreadsheet" and file:
        return t("describe.doc_sheet", file=file)
    return _text(get("title")) or file or did


_MORE = re.compile(r"^(.*) and (\d+) more$", re.S)


def publisher_text(publisher, t) -> str | None:
    """The publishers the importers name for a file ("A; B; C and 7 more"), the "and 7
    more" in the page's language; None when not stated."""
    publisher = _text(publisher)
    m = _MORE.match(publisher) if publisher else None
    return t("describe.and_more", names=m[1], n=int(m[2])) if m else publisher


def sources_line(docs, t, lang: str = "en", max_items: int = 4) -> str:
    """'Sources: LuxDev, Focus sur la coopération de l'AIMF… (+2)' from view_sources rows."""
    names = [publisher_text(p, t) or document_title(d, t, lang) for d, p in zip(docs.itertuples(), docs["publisher"])]
    names = list(dict.fromkeys(names))
    shown = ", ".join(names[:max_items]) + (f" (+{len(names) - max_items})" if len(names) > max_items else "")
    return t("describe.sources", sources=shown or "—")


def n_activities(docs: pd.DataFrame) -> int:
    """How many activities the view holds, from view_sources rows (each activity is in one document)."""
    return int(docs["n_projects"].sum()) if len(docs) else 0


def data_as_of(docs: pd.DataFrame) -> tuple[dt.date | None, int]:
    """The date of the data and how many of its documents are undated, from the rows of
    queries/view_sources.sql: the one place that decides what "data as of" means (the
    query says which date of each document counts): the latest of its documents' dates."""
    if docs.empty:
        return None, 0
    days = docs["day"].dropna()
    return (pd.Timestamp(days.max()).date() if len(days) else None), int(docs["day"].isna().sum())


def _latest(values: pd.Series):
    values = values.dropna()
    return values.max() if len(values) else None


def data_date_line(docs: pd.DataFrame, t, lang: str) -> str:
    """'Data as of 3 Mar 2024', '... (2 sources undated)', or that the sources state no date;
    with data fetched from the internet, when it was fetched and how recent its publishers
    say it is: '... · IATI data fetched 5 Jan 2026, activities last updated by their
    publishers up to 30 Dec 2025'. `docs`: view_sources rows."""
    if docs is None or docs.empty:
        return ""
    day, undated = data_as_of(docs)
    if day is None:
        line = t("describe.data_date_unknown")
    else:
        line = t("describe.data_date", date=fmt.date(day, lang))
        line = line + " " + t("describe.data_date_undated", n=undated) if undated else line
    fetched_at = docs["fetched_at"].dropna()
    if fetched_at.empty:
        return line
    first, last = fmt.date(fetched_at.min(), lang), fmt.date(fetched_at.max(), lang)
    fetched = t("describe.fetched", date=first) if first == last else t("describe.fetched_between", first=first, last=last)
    updated = _latest(docs["updated_to"])
    if updated is not None:
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
    docs = q("view_sources")
    return Stamp(filters_line(f, filter_labels(q("filter_options")), t), data_date_line(docs, t, lang),
                 sources_line(docs, t, lang))
