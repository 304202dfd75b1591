"""What a deck or a brief shows: one view of the dashboard (filters, language, money flow,
pages, the presenter's notes), taken from the app's own state or read from a link, and
the panels of that view. Shared by the slides and the PDF brief, so both show exactly
what the page showed."""
import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import parse_qs

import pandas as pd

from mekong.reference.load import load_countries_geojson, load_provinces_geojson
from mekong.store.db import Portfolio
from mekong.views import describe, i18n, notes, panels
from mekong.views.filters import Filters, Ignored, Options, from_query, generation

PAGES = ("overview", "funding", "timeline", "map")


@dataclass
class View:
    """What a deck or brief shows: the filters, the language, the money flow, which pages
    and the notes on their charts ({chart key: note})."""
    filters: Filters
    lang: str = "en"
    flow: str = "budget"
    pages: tuple[str, ...] = PAGES
    ignored: tuple[Ignored, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)


def view_from_query(portfolio: Portfolio, query: str, lang: str | None = None, pages=PAGES) -> View:
    """A view from a URL query string ('donor=x&country=LA&ccy=USD&lang=fr&note-by-year=...');
    values the data does not have are ignored and listed."""
    params = parse_qs(query.lstrip("?"), keep_blank_values=True)
    lang = i18n.normalise_lang(lang or (params.get("lang") or ["en"])[-1])
    rows = portfolio.frame("filter_options", {"lang": lang, "today": dt.date.today(), "vn": generation(params)})
    values = {d: set(g["value"]) for d, g in rows.groupby("dimension")}
    years = sorted(int(y) for y in values.pop("year", set()))
    options = Options(values=values, year_min=years[0] if years else None, year_max=years[-1] if years else None)
    filters, ignored = from_query(params, options)
    chart_notes, ignored_notes = notes.from_query(params)
    flow = (params.get("flow") or ["budget"])[-1]
    return View(filters, lang, flow, tuple(pages), tuple(ignored + ignored_notes), chart_notes)


class Reader:
    """The view's interface text (`t`), its queries under its filters (`q`) and its stamp."""

    def __init__(self, portfolio: Portfolio, view: View, today: dt.date | None = None):
        self.view, self.today = view, today or dt.date.today()
        self.t = partial(i18n.text, lang=view.lang)
        self._base = {**view.filters.params(), "lang": view.lang, "today": self.today, "q": "", "limit": 100_000}
        self._portfolio = portfolio

    def q(self, name: str, **extra) -> pd.DataFrame:
        return self._portfolio.frame(name, {**self._base, **extra})

    def stamp(self) -> describe.Stamp:
        return describe.stamp(self.q, self.view.filters, self.t, self.view.lang)


def view_panels(r: Reader, scale: float = 1.0) -> list[panels.Panel]:
    """The charts of the view's pages that have something to draw, in the pages' order.
    With the funding page in the view the overview and timeline leave out their charts
    the funding page already has."""
    view, t, q = r.view, r.t, r.q
    f, lang = view.filters, view.lang
    chosen: list[panels.Panel] = []
    for page in view.pages:
        if page == "overview":
            page_panels = panels.overview(t, q, f, lang, scale)
            chosen += page_panels[:1] if "funding" in view.pages else page_panels
        elif page == "funding":
            chosen += panels.funding(t, q, f, lang, view.flow, scale)
        elif page == "timeline":
            gantt, per_year = panels.timeline(t, q, f, lang, r.today, view.flow, scale)
            chosen += [gantt] if "funding" in view.pages else [gantt, per_year]
        elif page == "map":
            chosen.append(panels.province_map(t, q, f, lang, view.flow, load_provinces_geojson(f.vn),
                                              load_countries_geojson(), scale))
    return [p for p in chosen if p.figure is not None]
