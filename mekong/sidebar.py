"""The filter sidebar, drawn by the entry point on every page.

Every filter widget is bound to a URL parameter (bind="query-params"), so the URL
always holds the view and a copied link reproduces it. Streamlit silently drops URL
values a widget does not accept; we compare the URL with the valid values first and
say what was ignored.
"""
import streamlit as st

from mekong import filters as flt
from mekong.ui import lang, query, t

_NOTICE_KEY = "_ignored_url_values"


def _options() -> tuple[flt.Options, dict[str, dict[str, str]]]:
    rows = query("filter_options")
    labels: dict[str, dict[str, str]] = {}
    for dim, group in rows.groupby("dimension", sort=False):
        labels[dim] = dict(zip(group["value"], group["label"].fillna(group["value"])))
    if "status" in labels and "none" in labels["status"]:
        labels["status"]["none"] = t("filters.status_none")
    years = sorted(int(y) for y in labels.pop("year", {}))
    options = flt.Options(values={k: set(v) for k, v in labels.items()},
                          year_min=years[0] if years else None, year_max=years[-1] if years else None)
    return options, labels


def _note_ignored(options: flt.Options) -> None:
    """Before the widgets read the URL, remember which of its values will be dropped."""
    query_params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    _, ignored = flt.from_query(query_params, options)
    if ignored:
        st.session_state[_NOTICE_KEY] = ignored


def _show_ignored() -> None:
    ignored = st.session_state.get(_NOTICE_KEY)
    if not ignored:
        return
    items = "; ".join(t(f"filters.ignored_{i.reason}", param=i.param, value=i.value) for i in ignored)
    st.warning(t("filters.ignored", items=items), icon=":material/link_off:")


def _clear() -> None:
    for name in flt.LIST_FILTERS:
        st.session_state[name] = []
    st.session_state.pop(flt.YEARS_PARAM, None)
    st.session_state.pop(_NOTICE_KEY, None)


def draw() -> flt.Filters:
    options, labels = _options()
    _note_ignored(options)
    with st.sidebar:
        st.subheader(t("filters.heading"))
        chosen = {}
        for name in flt.LIST_FILTERS:
            values = labels.get(name, {})
            chosen[name] = st.multiselect(
                t(f"filters.{name}"), options=sorted(values, key=lambda v: values[v].lower()),
                format_func=values.get, key=name, bind="query-params", placeholder=t("filters.all"),
            )
        year_from = year_to = None
        if options.year_min is not None and options.year_min < options.year_max:
            lo, hi = st.slider(t("filters.years"), options.year_min, options.year_max,
                               value=(options.year_min, options.year_max), key=flt.YEARS_PARAM, bind="query-params")
            if (lo, hi) != (options.year_min, options.year_max):
                year_from, year_to = lo, hi
        currency = st.segmented_control(t("filters.currency"), list(flt.CURRENCIES), default="EUR",
                                        key=flt.CURRENCY_PARAM, bind="query-params", help=t("filters.currency_help"))
        st.button(t("filters.clear"), on_click=_clear, icon=":material/filter_alt_off:", width="stretch")
    _show_ignored()
    return flt.Filters(**{k: tuple(v) for k, v in chosen.items()}, year_from=year_from, year_to=year_to,
                       currency=currency or "EUR")
