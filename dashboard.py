"""Mekong cooperation dashboard: entry point (streamlit run dashboard.py)."""
import streamlit as st

from mekong.app import chart_notes, language, sidebar, ui, urlstate, widgets
from mekong.paths import ROOT

ASSETS = ROOT / "mekong" / "app" / "assets"

st.set_page_config(page_title="Mekong cooperation", page_icon=str(ASSETS / "icon.png"), layout="wide")
ui.pin_database()
first_run = urlstate.start_run()
language.init(first_run)
t = ui.t

pages = [
    st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/funding.py", title=t("nav.funding"), icon=":material/payments:", url_path="funding"),
    st.Page("pages/timeline.py", title=t("nav.timeline"), icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/map.py", title=t("nav.map"), icon=":material/map:", url_path="map"),
    st.Page("pages/projects.py", title=t("nav.projects"), icon=":material/list_alt:", url_path="projects"),
    st.Page("pages/data.py", title=t("nav.data"), icon=":material/database:", url_path="data"),
    st.Page("pages/about.py", title=t("nav.about"), icon=":material/menu_book:", url_path="about"),
]
page = st.navigation(pages)
widgets.seed_presentation()
chart_notes.seed()
with st.sidebar:
    language.switch()
    tools = st.container()  # present, share, slides: filled once the page has run
st.session_state["_filters"] = sidebar.draw(first_run)
ui.prefetch(page.url_path or "overview")
widgets.synthetic_notice()
chart_notes.notice()
try:
    page.run()
    ui.remember(page.url_path or "overview")
finally:  # also when the page stops early (st.stop)
    with tools:
        widgets.view_tools(page.url_path or "overview")
    urlstate.write()
