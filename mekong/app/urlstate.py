"""The view lives in the URL, written in stable codes (?donor=lu-government&country=LA).

Streamlit's bind="query-params" writes a multiselect's *labels* into the URL, which
change with the language and with the data, so the URL is kept here instead: the values
in the link are read once when a session starts, widgets are seeded from them, and at
the end of every run the URL is rewritten from what the page shows.
"""
from urllib.parse import urlencode

import streamlit as st

_INITIAL = "_url_initial"
_CURRENT = "_url_current"


def start_run() -> bool:
    """Call first thing in every run. True on the first run of a session."""
    first = _INITIAL not in st.session_state
    if first:
        st.session_state[_INITIAL] = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    st.session_state[_CURRENT] = {}
    return first


def initial() -> dict[str, list[str]]:
    """The URL the session was opened with (parameter -> values)."""
    return st.session_state.get(_INITIAL, {})


def take(name: str) -> list[str] | None:
    """The values a link gave for `name`, once: later calls return None, so a page that
    is left and visited again keeps what the user chose, not the old link."""
    return st.session_state.get(_INITIAL, {}).pop(name, None)


def put(name: str, value) -> None:
    """Show `value` (a string, a list of strings, or None/empty to leave it out) in the URL."""
    if value is None or value == [] or value == "":
        return
    st.session_state.setdefault(_CURRENT, {})[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)


def current() -> dict[str, str | list[str]]:
    """What the URL will say so far in this run (filters, language, page choices put
    before the call), e.g. to build a link to another page that keeps the view."""
    return dict(st.session_state.get(_CURRENT, {}))


def write() -> None:
    """Call last thing in every run: the URL becomes exactly the view."""
    current = st.session_state.get(_CURRENT, {})
    if {k: st.query_params.get_all(k) for k in st.query_params.keys()} != {
            k: v if isinstance(v, list) else [v] for k, v in current.items()}:
        st.query_params.from_dict(current)


def current_url() -> str:
    """The link to exactly this view: the page's address and the URL parameters."""
    base = st.context.url or ""
    query = urlencode([(k, v) for k, values in current().items()
                       for v in (values if isinstance(values, list) else [values])])
    return f"{base}?{query}" if query else base


def project_link(project_id: str, drop: tuple[str, ...] = ()) -> str:
    """A relative link to a project's page that keeps the filters and the language (minus
    the page parameters in `drop`)."""
    params = {k: v for k, v in current().items() if k not in drop}
    params["project"] = project_id
    return "projects?" + urlencode(params, doseq=True)
