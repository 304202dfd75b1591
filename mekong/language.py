"""The interface language: from the URL (?lang=fr), else the browser, switchable.

The language is kept in the URL by hand rather than by a bound widget: a bound widget
drops its parameter when it equals the default, and the default differs between
browsers, so a shared link would change language on the way.
"""
import streamlit as st

from mekong import i18n
from mekong.ui import LANG_KEY


def init() -> None:
    requested = st.query_params.get(LANG_KEY)
    if requested is not None and i18n.normalise_lang(requested, "") == "":
        st.session_state["_bad_lang"] = requested
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.normalise_lang(requested) if requested else i18n.normalise_lang(st.context.locale)
    elif requested and i18n.normalise_lang(requested, "") not in ("", st.session_state[LANG_KEY]) and not st.session_state.get("_lang_switched"):
        st.session_state[LANG_KEY] = i18n.normalise_lang(requested)
    st.session_state["_lang_switched"] = False
    st.query_params[LANG_KEY] = st.session_state[LANG_KEY]


def _switched() -> None:
    st.session_state["_lang_switched"] = True


def switch() -> None:
    """The EN / FR switch (drawn in the sidebar)."""
    st.segmented_control(i18n.text("common.language", st.session_state[LANG_KEY]), list(i18n.LANGS),
                         format_func=str.upper, key=LANG_KEY, on_change=_switched, label_visibility="collapsed")
    if not st.session_state.get(LANG_KEY):  # a segmented control can be deselected
        st.session_state[LANG_KEY] = "en"
