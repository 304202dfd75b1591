"""Make sure the entry point runs.

Streamlit decides once per server whether the app is an old-style "pages/ folder" app,
and until dashboard.py has called st.navigation it thinks so. Then the first visitor
who opens a page's own URL (/funding) gets that page run alone, without the sidebar,
the language or the filters. Each page calls `ensure()` first: in that case it flips
the flag and reruns, and the rerun goes through dashboard.py as it should.
"""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
