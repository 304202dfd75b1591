"""The interface language: from the link (?lang=fr), else the browser; switchable.

It is always written into the URL, so a shared link opens in the language it was
copied in, whatever the recipient's browser says.
"""
import streamlit as st

from mekong.app import urlstate
from mekong.app.ui import LANG_KEY
from mekong.views import i18n


def init(first_run: bool) -> None:
    if first_run:
        requested = (urlstate.take(LANG_KEY) or [None])[-1]
        lang = i18n.normalise_lang(requested, "")
        if requested and not lang:
            st.session_state["_bad_lang"] = requested
        st.session_state[LANG_KEY] = lang or i18n.normalise_lang(st.context.locale)


def switch() -> None:
    """The EN / FR switch (drawn in the sidebar)."""
    if not st.session_state.get(LANG_KEY):  # a segmented control can be deselected
        st.session_state[LANG_KEY] = "en"
    st.segmented_control(i18n.text("common.language", st.session_state[LANG_KEY]), list(i18n.LANGS),
                         format_func=str.upper, key=LANG_KEY, label_visibility="collapsed")
    urlstate.put(LANG_KEY, st.session_state[LANG_KEY])
