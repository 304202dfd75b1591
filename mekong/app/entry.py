"""Make sure the entry point runs, whatever address it was opened at.

Streamlit decides once per server whether the app is an old-style "pages/ folder" app,
and until dashboard.py has called st.navigation it thinks so. Then the first visitor
who opens a page's own URL (/funding) gets that page run alone, without the sidebar,
the language or the filters. Each page calls `ensure()` first: in that case it flips
the flag and reruns, and the rerun goes through dashboard.py as it should.

An address no page has (/nonsense) would get Streamlit's English "Page not found"
pop-up over the first page: `unknown_address()` turns the request into one for the
first page before st.navigation resolves it, and the page says so in its language.
Only the very first visitor after the server starts, if they come to such an address,
still gets the pop-up: Streamlit draws it from the file names in pages/ before
dashboard.py has run (the client keeps the pages in pages/).
"""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def ensure() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def unknown_address(known: set[str], first: set[str]) -> str | None:
    """Call before st.navigation. When the address asked for is no page's (`known`: the
    pages' url paths), the run becomes one of the first page, without Streamlit's pop-up;
    returns the address asked for, or None (also for `first`, the first page's other
    names, which open it without a word)."""
    ctx = get_script_run_ctx()
    manager = ctx.pages_manager if ctx else None
    name = manager.intended_page_name if manager else None
    if not name or manager.intended_page_script_hash or name in known:
        return None
    manager.set_script_intent("", "")
    return None if name in first else name
