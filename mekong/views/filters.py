"""The sidebar filters as plain data: what the URL says, what is valid, what SQL gets."""
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Mapping, Sequence

from mekong.reference.fiscal import fiscal_years
from mekong.reference.vn2025 import stored_codes

CURRENCIES = ("EUR", "USD")
# URL parameter of each list filter, in sidebar order.
LIST_FILTERS = ("donor", "implementer", "category", "sector", "country", "province", "status")
YEARS_PARAM = "years"
CURRENCY_PARAM = "ccy"
# How money passed between loaded activities is counted: 'net' (once, the default) or
# 'gross' (every publisher's report added up)
COUNT_PARAM = "count"
COUNTS = ("net", "gross")
# Which of Viet Nam's provinces the views use: the 34 units since 1 July 2025 (the
# default) or the 63 before ('2024'); province filters and totals follow it
VN_PARAM = "vn"
VN_GENERATIONS = ("2025", "2024")
# Money per year by calendar year (the default) or by the partner governments' fiscal years
YEARBASIS_PARAM = "yearbasis"
YEARBASES = ("calendar", "fiscal")


def fiscal_label_year(label: str) -> int:
    """The year a fiscal year is selected by under yearbasis=fiscal: the first year its label
    writes (FY2020 of Thailand: 2020; FY2019/20: 2019; Myanmar's FY2018 (Apr–Sep) and
    FY2018/19 both 2018), as fiscal_label_year() in mekong/store/sql/derive.sql."""
    return int(re.search(r"[0-9]{4}", label).group(0))


@lru_cache(maxsize=8)  # the sidebar asks on every rerun; the rules are shipped data
def fiscal_year_labels(country: str) -> dict[int, str]:
    """{year: the labels of the country's fiscal years selected by it}, for the year slider
    (read only: the dict is shared)."""
    out: dict[int, list[str]] = {}
    for fy in fiscal_years():
        if fy.country == country:
            out.setdefault(fiscal_label_year(fy.label), []).append(fy.label)
    return {y: " + ".join(labels) for y, labels in out.items()}


def fiscal_span(year_min: int, year_max: int) -> tuple[int, int]:
    """The years the slider offers under yearbasis=fiscal: a fiscal year's label can begin a
    year before its money (FY2019/20 for January 2020) or after it (Thai FY2021 for
    October 2020)."""
    return year_min - 1, year_max + 1


@dataclass(frozen=True)
class Filters:
    donor: tuple[str, ...] = ()
    implementer: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    province: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    currency: str = "EUR"
    count: str = "net"
    vn: str = "2025"
    yearbasis: str = "calendar"

    def params(self) -> dict:
        """Named parameters for queries/*.sql (lists as lists, missing years as NULL).

        `province` is every stored code the chosen provinces cover: a 2025 unit of Viet
        Nam stands for itself and the former provinces it absorbed (the data keeps the
        province a record names), so that each activity is counted once in either view.
        """
        p = {name: list(getattr(self, name)) for name in LIST_FILTERS}
        p["province"] = stored_codes(self.province)
        p.update(year_from=self.year_from, year_to=self.year_to, currency=self.currency, count=self.count,
                 vn=self.vn, yearbasis=self.yearbasis)
        return p

    def active(self) -> bool:
        return any(getattr(self, n) for n in LIST_FILTERS) or self.year_from is not None or self.year_to is not None


@dataclass(frozen=True)
class Ignored:
    """A value from the URL that was not used, and why."""
    param: str
    value: str
    reason: str  # 'unknown' or 'malformed'


@dataclass
class Options:
    """The values each filter accepts (present in the data)."""
    values: dict[str, set[str]] = field(default_factory=dict)
    year_min: int | None = None
    year_max: int | None = None


def _year(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) == 4 else None


def generation(query: Mapping[str, Sequence[str]]) -> str:
    """The generation of Viet Nam's provinces a URL asks for (the default when it asks for
    none or for one that does not exist: from_query lists that as ignored)."""
    gens = [v for v in query.get(VN_PARAM, []) if v != ""]
    return gens[0] if len(gens) == 1 and gens[0] in VN_GENERATIONS else Filters.vn


def from_query(query: Mapping[str, Sequence[str]], options: Options) -> tuple[Filters, list[Ignored]]:
    """Read filters from URL parameters (each a list of values), keeping only valid ones."""
    ignored: list[Ignored] = []
    chosen: dict = {}
    for name in LIST_FILTERS:
        valid = options.values.get(name, set())
        kept = []
        for v in query.get(name, []):
            if v == "":
                continue
            if v in valid:
                if v not in kept:
                    kept.append(v)
            else:
                ignored.append(Ignored(name, v, "unknown"))
        chosen[name] = tuple(kept)

    fiscal = [v for v in query.get(YEARBASIS_PARAM, []) if v != ""] == ["fiscal"]
    years = [v for v in query.get(YEARS_PARAM, []) if v != ""]
    if years:
        parsed = [_year(v) for v in years]
        if len(years) != 2 or None in parsed:
            ignored.extend(Ignored(YEARS_PARAM, v, "malformed") for v in years)
        else:
            lo, hi = sorted(parsed)
            if options.year_min is not None and options.year_max is not None:
                span = (fiscal_span(options.year_min, options.year_max) if fiscal
                        else (options.year_min, options.year_max))
                lo, hi = max(lo, span[0]), min(hi, span[1])
            if lo <= hi:
                chosen["year_from"], chosen["year_to"] = lo, hi
            else:
                ignored.extend(Ignored(YEARS_PARAM, v, "unknown") for v in years)

    ccy = [v for v in query.get(CURRENCY_PARAM, []) if v != ""]
    if ccy:
        if len(ccy) == 1 and ccy[0].upper() in CURRENCIES:
            chosen["currency"] = ccy[0].upper()
        else:
            ignored.extend(Ignored(CURRENCY_PARAM, v, "unknown") for v in ccy)
    counts = [v for v in query.get(COUNT_PARAM, []) if v != ""]
    if counts:
        if len(counts) == 1 and counts[0].lower() in COUNTS:
            chosen["count"] = counts[0].lower()
        else:
            ignored.extend(Ignored(COUNT_PARAM, v, "unknown") for v in counts)
    gens = [v for v in query.get(VN_PARAM, []) if v != ""]
    if gens:
        if len(gens) == 1 and gens[0] in VN_GENERATIONS:
            chosen["vn"] = gens[0]
        else:
            ignored.extend(Ignored(VN_PARAM, v, "unknown") for v in gens)
    bases = [v for v in query.get(YEARBASIS_PARAM, []) if v != ""]
    if bases:
        if len(bases) == 1 and bases[0] in YEARBASES:
            chosen["yearbasis"] = bases[0]
        else:
            ignored.extend(Ignored(YEARBASIS_PARAM, v, "unknown") for v in bases)
    return Filters(**chosen), ignored


def filter_field_names() -> list[str]:
    return [f.name for f in fields(Filters)]
