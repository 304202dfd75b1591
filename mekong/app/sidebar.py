"""The filter sidebar, drawn by the entry point on every page.

On the first run of a session the filters are seeded from the link (see urlstate); a
value the data does not have, or a malformed one, is ignored with a notice that says
which. At the end of each run the filters are written back to the URL.
"""
import streamlit as st

from mekong.app import urlstate
from mekong.app.ui import query, t
from mekong.reference.vn2025 import in_generation
from mekong.views import filters as flt
from mekong.views import fmt
from mekong.views.panels import outside_label

_NOTICE_KEY = "_ignored_url_values"
UNFILTERED = ("data", "about")  # pages the filters do not apply to: not drawn there


def _options(vn: str) -> tuple[flt.Options, dict[str, dict[str, str]]]:
    rows = query("filter_options", vn=vn)
    labels: dict[str, dict[str, str]] = {}
    for dim, group in rows.groupby("dimension", sort=False):
        labels[dim] = {v: outside_label(t, fmt.label(lbl), o)
                       for v, lbl, o in zip(group["value"], group["label"].fillna(group["value"]), group["outside"])}
    if "status" in labels and "none" in labels["status"]:
        labels["status"]["none"] = t("filters.status_none")
    years = sorted(int(y) for y in labels.pop("year", {}))
    options = flt.Options(values={k: set(v) for k, v in labels.items()},
                          year_min=years[0] if years else None, year_max=years[-1] if years else None)
    return options, labels


def _seed_from_link(options: flt.Options) -> None:
    link = urlstate.initial()
    chosen, ignored = flt.from_query(link, options)
    for name in flt.LIST_FILTERS:
        st.session_state[name] = list(getattr(chosen, name))
    if chosen.year_from is not None:
        st.session_state[flt.YEARS_PARAM] = (chosen.year_from, chosen.year_to)
    st.session_state[flt.CURRENCY_PARAM] = chosen.currency
    st.session_state[flt.COUNT_PARAM] = chosen.count
    st.session_state[flt.VN_PARAM] = chosen.vn
    st.session_state[flt.YEARBASIS_PARAM] = chosen.yearbasis
    st.session_state[_NOTICE_KEY] = ignored


def _show_ignored() -> None:
    ignored = st.session_state.get(_NOTICE_KEY)
    if ignored:
        items = t("common.list_sep").join(t(f"filters.ignored_{i.reason}", param=i.param, value=i.value) for i in ignored)
        st.warning(fmt.md(t("filters.ignored", items=items)), icon=":material/link_off:")


def clear() -> None:
    """Every list filter and the years back to all (the currency stays)."""
    for name in flt.LIST_FILTERS:
        st.session_state[name] = []
    st.session_state.pop(flt.YEARS_PARAM, None)
    st.session_state[_NOTICE_KEY] = []


def _kept(options: flt.Options, labels: dict[str, dict[str, str]]) -> flt.Filters:
    """The filters as chosen, on a page where they do not apply and are not drawn: the
    values are kept in the session (a widget not drawn would lose them) and in the URL."""
    chosen = {}
    for name in flt.LIST_FILTERS:
        values = labels.get(name, {})
        st.session_state[name] = chosen[name] = [v for v in st.session_state.get(name, []) if v in values]
    year_from = year_to = None
    if flt.YEARS_PARAM in st.session_state:
        st.session_state[flt.YEARS_PARAM] = lo, hi = st.session_state[flt.YEARS_PARAM]
        if options.year_min is not None and (lo, hi) not in _full_spans(options):
            year_from, year_to = lo, hi
    for key in (flt.CURRENCY_PARAM, flt.COUNT_PARAM, flt.VN_PARAM, flt.YEARBASIS_PARAM):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    return flt.Filters(**{k: tuple(v) for k, v in chosen.items()}, year_from=year_from, year_to=year_to,
                       currency=st.session_state.get(flt.CURRENCY_PARAM) or "EUR",
                       count=st.session_state.get(flt.COUNT_PARAM) or "net",
                       vn=st.session_state.get(flt.VN_PARAM) or flt.Filters.vn,
                       yearbasis=st.session_state.get(flt.YEARBASIS_PARAM) or flt.Filters.yearbasis)


def draw(first_run: bool, show: bool = True) -> flt.Filters:
    """The filter sidebar; with show=False (Data, Sources and credits: pages the filters
    do not apply to) nothing is drawn but the choices are kept for the other pages."""
    if first_run:  # the provinces on offer depend on the generation of Viet Nam's
        st.session_state[flt.VN_PARAM] = flt.generation(urlstate.initial())
    options, labels = _options(st.session_state.get(flt.VN_PARAM) or flt.Filters.vn)
    if first_run:
        _seed_from_link(options)
    if not show:
        f = _kept(options, labels)
        _put(f)
        return f
    with st.sidebar:
        st.subheader(t("filters.heading"))
        chosen = {}
        for name in flt.LIST_FILTERS:
            values = labels.get(name, {})
            # Keep only values still in the data (an import may have removed some); Viet
            # Nam's provinces of the other generation become those of this one.
            kept = st.session_state.get(name, [])
            if name == "province":
                kept = in_generation(kept, st.session_state.get(flt.VN_PARAM) or flt.Filters.vn)
            st.session_state[name] = [v for v in kept if v in values]
            chosen[name] = st.multiselect(t(f"filters.{name}"), options=sorted(values, key=lambda v: values[v].lower()),
                                          format_func=values.get, key=name, placeholder=t("filters.all"))
        year_from, year_to = _years(options, chosen["country"])
        currency = st.segmented_control(t("filters.currency"), list(flt.CURRENCIES), key=flt.CURRENCY_PARAM,
                                        help=t("filters.currency_help")) or "EUR"
        count = "net"
        if query("counting_links").iloc[0]["links"]:  # else both ways give the same figures
            count = st.segmented_control(t("filters.count"), list(flt.COUNTS), key=flt.COUNT_PARAM,
                                         format_func=lambda c: t(f"filters.count_{c}"), help=t("filters.count_help")) or "net"
        vn = st.segmented_control(t("filters.vn"), list(flt.VN_GENERATIONS), key=flt.VN_PARAM,
                                  format_func=lambda g: t(f"filters.vn_{g}"), help=t("filters.vn_help")) or flt.Filters.vn
        yearbasis = st.segmented_control(t("filters.yearbasis"), list(flt.YEARBASES), key=flt.YEARBASIS_PARAM,
                                         format_func=lambda b: t(f"filters.yearbasis_{b}"),
                                         help=t("filters.yearbasis_help")) or flt.Filters.yearbasis
        st.button(t("filters.clear"), on_click=clear, icon=":material/filter_alt_off:", width="stretch")
    _show_ignored()
    f = flt.Filters(**{k: tuple(v) for k, v in chosen.items()}, year_from=year_from, year_to=year_to, currency=currency,
                    count=count, vn=vn, yearbasis=yearbasis)
    _put(f)
    return f


def _full_spans(options: flt.Options) -> tuple[tuple[int, int], ...]:
    return ((options.year_min, options.year_max), flt.fiscal_span(options.year_min, options.year_max))


def _years(options: flt.Options, countries: list[str]) -> tuple[int | None, int | None]:
    """The year slider: calendar years, or under yearbasis=fiscal the fiscal years (with one
    country, offered by their labels, e.g. FY2019/20; with several, each country's own
    fiscal years beginning in the years chosen). The URL keeps years=YYYY&years=YYYY."""
    if options.year_min is None or options.year_min >= options.year_max:
        return None, None
    fiscal = (st.session_state.get(flt.YEARBASIS_PARAM) or flt.Filters.yearbasis) == "fiscal"
    span = flt.fiscal_span(options.year_min, options.year_max) if fiscal else (options.year_min, options.year_max)
    lo, hi = st.session_state.get(flt.YEARS_PARAM, span)
    if (lo, hi) in _full_spans(options):  # all years, whichever basis chose them
        lo, hi = span
    st.session_state[flt.YEARS_PARAM] = (max(lo, span[0]), min(hi, span[1]))
    # a plain slider of years (AppTest cannot drive a range select_slider with labels);
    # with one country the caption under it names the chosen fiscal years
    one = fiscal and len(countries) == 1
    label = "filters.years_fiscal" if one else "filters.years_fiscal_several" if fiscal else "filters.years"
    lo, hi = st.slider(t(label), *span, key=flt.YEARS_PARAM,
                       help=t(f"{label}_help") if fiscal else None)
    if one:
        labels = flt.fiscal_year_labels(countries[0])
        def name(y):
            return labels.get(y) or t("filters.no_fiscal_year", year=y)
        st.caption(fmt.md(t("filters.years_fiscal_chosen", first=name(lo), last=name(hi))))
    return (None, None) if (lo, hi) == span else (lo, hi)


def _put(f: flt.Filters) -> None:
    for name in flt.LIST_FILTERS:
        urlstate.put(name, list(getattr(f, name)))
    if f.year_from is not None:
        urlstate.put(flt.YEARS_PARAM, [f.year_from, f.year_to])
    if f.currency != "EUR":
        urlstate.put(flt.CURRENCY_PARAM, f.currency)
    if f.count != "net":
        urlstate.put(flt.COUNT_PARAM, f.count)
    if f.vn != flt.Filters.vn:
        urlstate.put(flt.VN_PARAM, f.vn)
    if f.yearbasis != flt.Filters.yearbasis:
        urlstate.put(flt.YEARBASIS_PARAM, f.yearbasis)
