"""The projects page's table: one row per activity, with what each column sorts by and
the text each cell shows in the page's language.

Budget right after the title, then the dates, so that they are on the screen at every
size (at 1280x720 the columns after them need the grid's scroll bar). The budget is a
number and the dates are dates, so that the columns sort by amount and by time; the
cells show them written for the page's language, a date at the precision it is known
('2019', 'Oct 2009', '13 Dec 2014'). Empty when not disclosed or not converted. A budget
published as 0 (every counted budget 0) is no amount to sort or add: it is named in the
note column instead of reading "EUR 0".
"""
import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from mekong.views import fmt


@dataclass
class ProjectsTable:
    values: pd.DataFrame          # what each column holds and sorts by (rows as projects_list.sql)
    shown: dict[str, list[str]]   # the text of each cell of the columns that do not show their values
    budget: str                   # the names of the budget and date columns
    dates: tuple[str, str]


def _days(values: pd.Series) -> pd.Series:
    """Dates as dates (the grid sorts them in time and copies them as 2021-12-31, with no
    time of day)."""
    return pd.Series(pd.array([None if d is None or pd.isna(d) else d.date() if isinstance(d, dt.datetime) else d
                               for d in values.tolist()],
                              dtype=pd.ArrowDtype(pa.date32())), index=values.index)


def _dates(days: pd.Series, precisions: pd.Series, lang: str) -> list[str]:
    written: dict = {}  # a few hundred distinct dates among thousands of rows
    out = []
    for d, p, k in zip(days.tolist(), precisions.tolist(), days.notna().tolist()):
        if not k:
            out.append("")
        elif (d, p) in written:
            out.append(written[d, p])
        else:
            out.append(written.setdefault((d, p), fmt.date(d, lang, p or "day")))
    return out


def build(rows: pd.DataFrame, t, lang: str, currency: str) -> ProjectsTable:
    """`rows`: projects_list.sql; `t`: the page's text function."""
    title, budget, note = t("projects.col_title"), t("projects.col_budget_in", currency=currency), t("projects.col_note")
    start, end = t("projects.col_start"), t("projects.col_end")
    stated = rows["budget_disclosed"].fillna(False).astype(bool) & rows["budget"].notna()
    zero = stated & (rows["budget"] == 0)
    amounts = rows["budget"].where(stated & ~zero).astype("float64")
    code = rows["code"].fillna("").tolist()
    values = pd.DataFrame({
        title: [f"{c} · {ti}" if c and c not in ti else ti for c, ti in zip(code, rows["title"].tolist())],
        budget: amounts,
        note: [t("projects.stated_zero") if z else "~" if s and a else ""
               for z, s, a in zip(zero.tolist(), stated.tolist(), rows["budget_approximate"].fillna(False).tolist())],
        start: _days(rows["start_date"]),
        end: _days(rows["end_date"]),
        t("projects.col_countries"): rows["countries"].fillna(""),
        t("projects.col_funders"): rows["funders"].fillna(""),
        t("projects.col_status"): rows["status"].fillna(""),
    })
    shown = {
        budget: [fmt.number(round(v), lang) if k else "" for v, k in zip(amounts.tolist(), amounts.notna().tolist())],
        start: _dates(rows["start_date"], rows["start_precision"], lang),
        end: _dates(rows["end_date"], rows["end_precision"], lang),
    }
    return ProjectsTable(values, shown, budget, (start, end))
