"""What each page does on the server when a filter changes, without Streamlit: the
queries it runs (each once, as st.cache_data would within one run) and the figures and
tables it builds, serialised as Streamlit sends them (plotly JSON, Arrow).

It follows pages/*.py: every page asks the sidebar's counting switch and its line of
filters, data date and sources (view_sources, also the empty state); the
sidebar's filter_options does not depend on the filters, so it stays cached on a
filter change and is left out here (cold_start.py counts it). Like the app, a run
starts the queries the page asked for on its previous run in the background first.
"""
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pandas as pd
import plotly.io as pio
import pyarrow as pa

from bench.common import TODAY
from mekong.app import gc_freeze
from mekong.store.db import Portfolio
from mekong.views import describe, fmt, i18n, panels, projects_table
from mekong.views.filters import Filters


def _t(key: str, **values) -> str:
    return i18n.text(key, "en", **values)


# What each page asked for on its last run: started first on the next one, two at a
# time, as mekong/app/ui.py:prefetch does in the app.
_ASKED: dict[str, list[tuple]] = {}
_POOL = ThreadPoolExecutor(max_workers=2)


class Run:
    """One page run: a query function like ui.query (each query once per run, no cache
    across runs), with the page's queries of its last run started in the background
    first (prefetch=True, as the app does), and the time each query took."""

    def __init__(self, db: Portfolio, f: Filters, lang: str = "en", page: str | None = None, prefetch: bool = False):
        self.db, self.f, self.lang, self.page = db, f, lang, page
        self.seen: dict[tuple, pd.DataFrame] = {}
        self.pending: dict[tuple, Future] = {}
        self.asked: list[tuple] = []
        self.query_seconds: dict[str, float] = {}
        if prefetch and page:
            for name, extra in _ASKED.get(page, ()):
                key = self._key(name, dict(extra))
                if key not in self.pending:
                    self.pending[key] = _POOL.submit(self._fetch, name, dict(extra))

    def _params(self, extra: dict) -> dict:
        return {**self.f.params(), "lang": self.lang, "today": TODAY, "q": "", "limit": 100_000, **extra}

    def _key(self, name: str, extra: dict) -> tuple:
        return name, tuple(sorted((k, str(v)) for k, v in self._params(extra).items()))

    def _fetch(self, name: str, extra: dict) -> pd.DataFrame:
        started = time.perf_counter()
        df = self.db.frame(name, self._params(extra))
        self.query_seconds[name] = self.query_seconds.get(name, 0.0) + time.perf_counter() - started
        return df

    def q(self, name: str, **extra) -> pd.DataFrame:
        self.asked.append((name, tuple(sorted(extra.items()))))
        key = self._key(name, extra)
        if key not in self.seen:
            pending = self.pending.pop(key, None)
            self.seen[key] = pending.result() if pending else self._fetch(name, extra)
        return self.seen[key]

    def done(self) -> None:
        for f in self.pending.values():  # asked last time, not this time
            f.result()
        if self.page:
            _ASKED[self.page] = list(dict.fromkeys(self.asked))


def _send(ps: list[panels.Panel]) -> None:
    """What st.plotly_chart and st.dataframe do with a panel: JSON of the figure."""
    for p in ps:
        if p.figure is not None:
            pio.to_json(p.figure.to_dict(), validate=False)


def _gaps(r: Run, flow: str) -> None:
    """widgets.gaps: what the charts cannot count, and what counting once leaves out."""
    r.q("money_gaps", flow=flow)


_OPTIONS: dict = {}


def _common(r: Run) -> None:
    """What every page asks besides its charts: the sidebar's counting switch
    (counting_links) and the line of filters with the data date and sources
    (widgets.filter_line); filter_options is the same for every filter, cached in the app."""
    r.q("counting_links")
    if "rows" not in _OPTIONS:
        _OPTIONS["rows"] = r.db.frame("filter_options", r._params({}))

    def q(name: str, **extra):
        return _OPTIONS["rows"] if name == "filter_options" else r.q(name, **extra)
    describe.stamp(q, r.f, _t, r.lang)


def overview(r: Run) -> None:
    if describe.n_activities(r.q("view_sources")) == 0:
        return
    panels.headline_figures(_t, r.q, r.f, r.lang)
    _send(panels.overview_charts(_t, r.q, r.f, r.lang))
    _gaps(r, "budget")


FLOWS = ["budget", "commitment", "disbursement", "expenditure", "planned_disbursement", "incoming_funds"]


def funding(r: Run) -> None:
    if describe.n_activities(r.q("view_sources")) == 0:
        return
    available = [f for f in FLOWS if f in set(r.q("funding_flows")["flow"])] or ["budget"]
    flow = available[0]
    _gaps(r, flow)
    _send(panels.funding(_t, r.q, r.f, r.lang, flow))


def timeline(r: Run) -> None:
    if describe.n_activities(r.q("view_sources")) == 0:
        return
    ps = panels.timeline(_t, r.q, r.f, r.lang, TODAY)
    _send(ps)
    projects = r.q("timeline_projects", limit=panels.GANTT_MAX)
    undated = projects[projects["start_date"].isna()]
    pa.Table.from_pandas(undated[["code", "title", "status_label", "funders"]])
    events = r.q("timeline_events")
    pa.Table.from_pandas(pd.DataFrame({"date": [fmt.date(d, r.lang, p) for d, p in zip(events["start_date"], events["precision"])],
                                       "title": events["title"]}))
    _gaps(r, "budget")


def projects(r: Run) -> None:
    """As pages/projects.py: the table built and marshalled as st.dataframe does (its
    values as Arrow, the text of its cells through the Styler)."""
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    from mekong.app.cell_text import cell_text

    rows = r.q("projects_list", q="", limit=5000)
    table = projects_table.build(rows, _t, r.lang, r.f.currency)
    marshall_styler(ArrowData(), cell_text(table.values, table.shown), "bench")
    pa.Table.from_pandas(table.values)


def map_page(r: Run) -> None:
    """As pages/map.py: the map's data under the filters, the deck built and serialised
    (the bundled boundaries are loaded and simplified once, as st.cache_resource does), the lists beside it."""
    from mekong.reference.load import load_countries_geojson, load_provinces_geojson
    from mekong.views import map_data, maps

    if describe.n_activities(r.q("view_sources")) == 0:
        return
    flows = list(r.q("funding_flows")["flow"])
    flow = "budget" if "budget" in flows or not flows else flows[0]
    countries = _cached(lambda: maps.for_drawing(load_countries_geojson(), maps.DRAW_TOLERANCE, coverage=False), "countries")
    boundaries = _cached(lambda: maps.for_drawing(load_provinces_geojson(), maps.DRAW_TOLERANCE, outlines=countries),
                         "provinces")
    data = map_data.collect(r.q, flow, boundaries)
    deck, _ = maps.build_deck(data, boundaries, countries, maps.MapOptions(), _t, r.f.currency, r.lang, flow,
                              view=maps.initial_view(width=900, height=800))
    deck.to_json()
    _gaps(r, flow)
    pa.Table.from_pandas(data.unplaced.astype(str))  # the table of places not (fully) on the map


_LOADED: dict = {}


def _cached(load, name: str):
    if name not in _LOADED:
        _LOADED[name] = load()
    return _LOADED[name]


PAGES = {"overview": overview, "funding": funding, "timeline": timeline, "projects": projects, "map": map_page}


def run_page(db: Portfolio, page: str, f: Filters, prefetch: bool = True) -> Run:
    r = Run(db, f, page=page, prefetch=prefetch)
    _common(r)
    PAGES[page](r)
    r.done()
    gc_freeze.after_first_run(page)  # as dashboard.py does
    return r

