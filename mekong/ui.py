"""Streamlit glue shared by the entry point and the pages: language, data, filters.

Pages stay thin: they read `filters()`, call `query(name)` and hand the frame to a
figure builder in mekong/charts.py.
"""
import datetime as dt

import pandas as pd
import streamlit as st

from mekong import fmt, i18n
from mekong.build import ensure_built
from mekong.db import Portfolio
from mekong.filters import Filters
from mekong.paths import default_db_path
from mekong.sqlfiles import query as sql_query

LANG_KEY = "lang"


@st.cache_resource(show_spinner=False)
def _portfolio(path: str) -> Portfolio:
    return Portfolio(ensure_built(path))


def portfolio() -> Portfolio:
    return _portfolio(str(default_db_path()))


def lang() -> str:
    return st.session_state.get(LANG_KEY, "en")


def t(key: str, **values) -> str:
    return i18n.text(key, lang(), **values)


def filters() -> Filters:
    return st.session_state.get("_filters", Filters())


def today() -> dt.date:
    return dt.date.today()


STAMP_KEY = "_db_stamp"


def pin_database() -> None:
    """First thing on every run (dashboard.py): the version of the database file this run
    reads. All the charts of a page then come from one file even when an import replaces
    it while the page is drawn; the next run reads the new file."""
    st.session_state[STAMP_KEY] = portfolio().stamp()


def _stamp() -> tuple:
    return st.session_state.get(STAMP_KEY) or portfolio().stamp()


@st.cache_data(max_entries=1024, show_spinner=False)
def _run(name: str, frozen: tuple, stamp: tuple) -> pd.DataFrame:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}
    return portfolio().frame(name, params, stamp)


def query(name: str, **extra) -> pd.DataFrame:
    """queries/<name>.sql under the current filters, language and currency (cached per
    version of the database file, so a rebuild or import is seen on the next run)."""
    params = {**filters().params(), "lang": lang(), "today": today(), "q": "", "limit": 100_000, **extra}
    # Only the parameters the query uses make up the cache key.
    used = sql_query(name)[1]
    frozen = tuple((k, tuple(params[k]) if isinstance(params[k], list) else params[k]) for k in used if k in params)
    return _run(name, frozen, _stamp())


def money(amount, approximate: bool = False, currency: str | None = None) -> str:
    if amount is None or amount != amount:
        return t("common.not_disclosed")
    return fmt.money(amount, currency or filters().currency, lang(), approximate)


def date(value, precision: str = "day") -> str:
    if value is None or value != value or value is pd.NaT:
        return t("common.not_disclosed")
    return fmt.date(value, lang(), precision or "day")


def blank(value):
    """A value for display, or "" when missing (None, NaN, NaT)."""
    return value if known(value) else ""


def known(value) -> bool:
    """True unless the value is missing (None, NaN, NaT)."""
    return not (value is None or pd.isna(value))
