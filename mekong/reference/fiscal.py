"""Each partner government's fiscal years, from mekong/reference/curated/fiscal_years.csv.

Each row of the file is a rule with its source: from `first_start` to `last_end` (open:
to LAST_YEAR) the fiscal years start in `start_month` and last `months` months (six for
Myanmar's two interim years), labelled by `label` ({start}: the year it starts, {end}:
the year it ends, {end2}: its last two digits). Periods no rule covers (Laos, October
to December 2016; any year before the first rule) are in no fiscal year: money there is
shown as such, never moved into a neighbour.
"""
import datetime as dt
from dataclasses import dataclass

from .csvio import read_curated

LAST_YEAR = 2040


@dataclass(frozen=True)
class FiscalYear:
    country: str
    label: str
    start: dt.date
    end: dt.date      # inclusive
    months: int
    source: str


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def rules() -> list[dict]:
    return read_curated("fiscal_years.csv")


def fiscal_years(rows: list[dict] | None = None) -> list[FiscalYear]:
    """Every fiscal year of the rules, in order; fails on overlapping years."""
    out = []
    for r in rows if rows is not None else rules():
        start = dt.date.fromisoformat(r["first_start"])
        last = dt.date.fromisoformat(r["last_end"]) if r["last_end"] else dt.date(LAST_YEAR, 12, 31)
        if start.month != int(r["start_month"]) or start.day != 1:
            raise ValueError(f"{r['country']} {r['first_start']}: not the first of month {r['start_month']}")
        months = int(r["months"])
        while start <= last:
            end = _add_months(start, months) - dt.timedelta(days=1)
            if end > last and not r["last_end"]:
                break
            if end > last:
                raise ValueError(f"{r['country']}: a year from {start} would end after {last}")
            label = r["label"].format(start=start.year, end=end.year, end2=f"{end.year % 100:02d}")
            out.append(FiscalYear(r["country"], label, start, end, months, r["source"]))
            start = end + dt.timedelta(days=1)
    out.sort(key=lambda f: (f.country, f.start))
    for a, b in zip(out, out[1:]):
        if a.country == b.country and b.start <= a.end:
            raise ValueError(f"{a.country}: {a.label} and {b.label} overlap")
    return out
