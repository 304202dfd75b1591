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

An address of more than one part (/fr/xyz, /overview/abc) gave a blank page: Streamlit
serves its page there with addresses of its scripts relative to the page (./static/...,
so /fr/static/..., answered with the page itself), and its frontend looks for the server
one part up at most (streamlit/streamlit#8971: nested page addresses are not supported).
Streamlit has no setting or hook for this when started with `streamlit run`, so
`nested_addresses()` teaches its file server one thing: a browser asking for a page at
such an address is sent to the same address as one part (/fr%2Fxyz), which Streamlit
opens like /xyz and `unknown_address()` answers with the first page and the notice
(showing /fr/xyz). It is set up by the first run of dashboard.py, so like the pop-up
above the very first visitor after a start, at such an address, still gets a blank page.
"""
import os
from urllib.parse import quote

import streamlit as st
from streamlit import file_util
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


def nested_addresses() -> None:
    """Once per process: make the server send a browser that asks for a page at an
    address of several parts (/fr/xyz) to that address as one part (/fr%2Fxyz). Only
    when nothing is found there, only for GET asking for HTML, never under _stcore (the
    frontend's own look-ups must stay 404). A Streamlit without its Starlette file server
    is left as it is."""
    try:
        from starlette import staticfiles
        from starlette.exceptions import HTTPException
        from starlette.responses import RedirectResponse
    except ImportError:  # pragma: no cover - Streamlit without Starlette
        return
    if getattr(staticfiles.StaticFiles, "_mekong_nested", False):
        return
    found = staticfiles.StaticFiles.get_response
    streamlit_files = os.path.realpath(file_util.get_static_dir())

    async def get_response(self, path, scope):
        try:
            return await found(self, path, scope)
        except HTTPException as exc:
            parts = [p for p in path.replace("\\", "/").split("/") if p]
            # as sent: /fr%2Fxyz is one part (the server hands it on decoded, /fr/xyz)
            raw = (scope.get("raw_path") or b"").decode("latin-1")
            raw = raw[len(scope.get("root_path", "")):] if raw.startswith(scope.get("root_path", "")) else raw
            if len([p for p in raw.split("/") if p]) < 2:
                raise
            accept = dict(scope.get("headers") or []).get(b"accept", b"")
            if (exc.status_code != 404 or len(parts) < 2 or os.path.realpath(self.directory or "") != streamlit_files or scope.get("method") != "GET"
                    or b"text/html" not in accept or any(p.startswith("_stcore") for p in parts)):
                raise
            query = scope.get("query_string", b"").decode("latin-1")
            # "/" is written %2F, so the address stays on this server (never "//host")
            target = scope.get("root_path", "").rstrip("/") + "/" + quote("/".join(parts), safe="")
            return RedirectResponse(target + ("?" + query if query else ""), status_code=302,
                                    headers={"Cache-Control": "no-cache"})

    staticfiles.StaticFiles.get_response = get_response
    staticfiles.StaticFiles._mekong_nested = True
