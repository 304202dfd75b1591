"""The active filters in words and in a file name, for stamps, slides and exports."""
import re

from mekong.views.filters import LIST_FILTERS, Filters


def filter_labels(options) -> dict[str, dict[str, str]]:
    """{dimension: {value: label}} from the rows of queries/filter_options.sql."""
    labels: dict[str, dict[str, str]] = {}
    for dim, value, label in zip(options["dimension"], options["value"], options["label"]):
        labels.setdefault(dim, {})[value] = label if isinstance(label, str) else value
    return labels


def filters_line(f: Filters, labels: dict[str, dict[str, str]], t) -> str:
    """'Donor: Government of Luxembourg · Country: Laos · Years: 2010–2014 · EUR'."""
    from mekong.views.fmt import label as tidy

    parts = []
    for name in LIST_FILTERS:
        values = getattr(f, name)
        if values:
            names = [t("filters.status_none") if name == "status" and v == "none" else tidy(labels.get(name, {}).get(v, v))
                     for v in values]
            parts.append(f"{t(f'describe.{name}')}: {', '.join(names)}")
    if f.year_from is not None:
        parts.append(f"{t('describe.years')}: {f.year_from}–{f.year_to}")
    if not parts:
        parts.append(t("describe.no_filter"))
    parts.append(f.currency)
    return " · ".join(parts)


def filters_slug(f: Filters, max_length: int = 80) -> str:
    """A file-name part that says which filters were on: 'donor-lu-government_country-LA_2010-2014_USD'."""
    parts = [f"{name}-{'-'.join(getattr(f, name))}" for name in LIST_FILTERS if getattr(f, name)]
    if f.year_from is not None:
        parts.append(f"{f.year_from}-{f.year_to}")
    parts.append(f.currency)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", "_".join(parts) if len(parts) > 1 else f"all_{f.currency}")
    return slug[:max_length].strip("-_")


def sources_line(docs, t, max_items: int = 4) -> str:
    """'Sources: LuxDev, Focus sur la coopération de l'AIMF… (+2)' from view_sources rows."""
    names = [p if isinstance(p, str) and p else title for title, p in zip(docs["title"], docs["publisher"])]
    names = list(dict.fromkeys(names))
    shown = ", ".join(names[:max_items]) + (f" (+{len(names) - max_items})" if len(names) > max_items else "")
    return t("describe.sources", sources=shown or "—")


def data_date_line(when, t, lang: str) -> str:
    """'Data as of 5 Jan 2026' from the row of queries/data_date.sql; with data fetched
    from the internet, when it was fetched and how recent its publishers say it is:
    'Data as of 5 Jan 2026 · IATI data fetched 5 Jan 2026, activities last updated by
    their publishers up to 30 Dec 2025'."""
    import pandas as pd

    from mekong.views.fmt import date

    if when is None or len(when) == 0:
        return ""
    row = when.iloc[0]
    line = t("describe.data_date", date=date(row.iloc[0], lang)) if pd.notna(row.iloc[0]) else ""
    first, last = row.get("fetched_from"), row.get("fetched_to")
    if first is None or pd.isna(first):
        return line
    first, last = date(first, lang), date(last, lang)
    fetched = t("describe.fetched", date=first) if first == last else t("describe.fetched_between", first=first, last=last)
    updated = row.get("updated_to")
    if updated is not None and pd.notna(updated):
        fetched += ", " + t("describe.updated", date=date(updated, lang))
    return " · ".join(x for x in (line, fetched) if x)
