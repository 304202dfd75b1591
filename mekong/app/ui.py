"""Streamlit glue shared by the entry point and the pages: language, data, filters.

Pages stay thin: they read `filters()`, call `query(name)` and hand the frame to a
figure builder in mekong/views/charts.py.
"""
import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from mekong.paths import default_db_path
from mekong.store.build import ensure_built
from mekong.store.db import Portfolio
from mekong.store.freshness import OutdatedDatabase
from mekong.store.health import DamagedDatabase
from mekong.store.sqlfiles import query as sql_query
from mekong.store.swap import WriteRefused
from mekong.views import fmt, i18n
from mekong.views.filters import Filters

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


_NO_FILTERS = Filters()


def filters() -> Filters:
    return st.session_state.get("_filters", _NO_FILTERS)


def today() -> dt.date:
    return dt.date.today()


STAMP_KEY = "_db_stamp"


def pin_database() -> None:
    """First thing on every run (dashboard.py): the version of the database file this run
    reads. All the charts of a page then come from one file even when an import replaces
    it while the page is drawn; the next run reads the new file.

    A file that cannot be read (never rebuilt in silence: mekong/store/health.py) or that
    was removed while the app runs stops the page with what to do, as plain text."""
    try:
        st.session_state[STAMP_KEY] = portfolio().stamp()
    except (DamagedDatabase, OutdatedDatabase, WriteRefused) as e:
        st.error(t("common.db_unreadable"), icon=":material/error:")
        st.code(str(e), language=None, wrap_lines=True)
        st.stop()
    except FileNotFoundError:
        st.error(fmt.md(t("common.db_gone", path=default_db_path())), icon=":material/error:")
        st.stop()


def db_version() -> tuple:
    """The version of the database file this run reads (pin_database)."""
    return st.session_state.get(STAMP_KEY) or portfolio().stamp()


@st.cache_data(max_entries=1024, show_spinner=False)
def _run(name: str, frozen: tuple, stamp: tuple) -> pd.DataFrame:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}
    return portfolio().frame(name, params, stamp)


def _key(name: str, extra: dict) -> tuple:
    """The arguments of _run: the query, the parameters it uses (they alone make up the
    cache key) and the version of the file."""
    params = {**filters().params(), "lang": lang(), "today": today(), "q": "", "limit": 100_000, **extra}
    used = sql_query(name)[1]
    frozen = tuple((k, tuple(params[k]) if isinstance(params[k], list) else params[k]) for k in used if k in params)
    return name, frozen, db_version()


def query(name: str, **extra) -> pd.DataFrame:
    """queries/<name>.sql under the current filters, language and currency (cached per
    version of the database file, so a rebuild or import is seen on the next run)."""
    st.session_state.setdefault(_ASKED_KEY, []).append((name, tuple(sorted(extra.items()))))
    return _run(*_key(name, extra))


# ---------------------------------------------------------------- prefetch
# A filter change reruns the page, and its queries run one after the other while the
# machine has a second core. So each page's queries are remembered, and on the next run
# they are started first, two at a time, in the background: DuckDB runs them in parallel
# while the page builds its first figures, and the page's own query() takes each result
# from the cache (st.cache_data makes it wait while one is being computed).
_ASKED_KEY = "_asked"
_ASKED: dict[str, list[tuple]] = {}  # page -> what its last run asked for (any session)
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mekong-prefetch")


def _in_run(ctx, name: str, frozen: tuple, stamp: tuple) -> None:
    thread = threading.current_thread()
    add_script_run_ctx(thread, ctx)  # st.cache_data needs the run's context
    try:
        _run(name, frozen, stamp)
    except Exception:  # noqa: BLE001 - the page asks again and shows its own error
        pass
    finally:
        add_script_run_ctx(thread, None)


def prefetch(page: str) -> None:
    """Before the page runs: start what it asked for last time, under the current filters."""
    st.session_state[_ASKED_KEY] = []
    ctx = get_script_run_ctx()
    for name, extra in _ASKED.get(page, ()):
        _POOL.submit(_in_run, ctx, *_key(name, dict(extra)))


def remember(page: str) -> None:
    """After the page ran: what it asked for, for the next run's prefetch."""
    _ASKED[page] = list(dict.fromkeys(st.session_state.get(_ASKED_KEY, [])))


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
