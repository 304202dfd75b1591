"""Mekong cooperation dashboard: entry point (streamlit run dashboard.py)."""
import streamlit as st

from mekong.app import chart_notes, chrome_words, entry, gc_freeze, language, sidebar, ui, urlstate, widgets
from mekong.paths import ROOT
from mekong.views import fmt

ASSETS = ROOT / "mekong" / "app" / "assets"

st.set_page_config(page_title="Mekong cooperation", page_icon=str(ASSETS / "icon.png"), layout="wide")
ui.pin_database()
first_run = urlstate.start_run()
language.init(first_run)
t = ui.t

pages = [
    st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", url_path="home", default=True),
    st.Page("pages/funding.py", title=t("nav.funding"), icon=":material/payments:", url_path="funding"),
    st.Page("pages/timeline.py", title=t("nav.timeline"), icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/map.py", title=t("nav.map"), icon=":material/map:", url_path="map"),
    st.Page("pages/projects.py", title=t("nav.projects"), icon=":material/list_alt:", url_path="projects"),
    st.Page("pages/data.py", title=t("nav.data"), icon=":material/database:", url_path="data"),
    st.Page("pages/about.py", title=t("nav.about"), icon=":material/menu_book:", url_path="about"),
]
# The overview lives at the root; its own name (/overview, as the page lists call it)
# leads there too instead of Streamlit's "Page not found".
pages.append(st.Page(lambda: st.switch_page(pages[0]), title=t("nav.overview"), url_path="overview",
                     visibility="hidden"))
# Any other address (/nonsense, /fr/xyz) opens the first page too, saying so in the page's language.
entry.nested_addresses()
unknown = entry.unknown_address({p.url_path for p in pages}, first={"home"})
if unknown is not None:
    st.session_state["_unknown_address"] = unknown
page = st.navigation(pages)
page_name = page.url_path if page.url_path not in ("", "overview") else "overview"
if page_name != "overview":
    st.session_state.pop("_unknown_address", None)
widgets.seed_presentation()
widgets.streamlit_texts()
chart_notes.seed()
with st.sidebar:
    language.switch()
# The filters first (at 1280x720 they start on the screen), then the tools: present,
# share, slides, filled once the page has run. No filters where they do not apply.
st.session_state["_filters"] = sidebar.draw(first_run, show=page_name not in sidebar.UNFILTERED)
with st.sidebar:
    tools = st.container()
ui.prefetch(page_name)
widgets.synthetic_notice()
if "_unknown_address" in st.session_state:
    st.info(t("nav.not_found", address=fmt.md("/" + st.session_state["_unknown_address"])), icon=":material/link_off:")
chart_notes.notice()
try:
    page.run()
    ui.remember(page_name)
    gc_freeze.after_first_run(page_name)
finally:  # also when the page stops early (st.stop)
    with tools:
        widgets.view_tools(page_name)
    # under the page, not over it: until its code has loaded, its empty box stands in the
    # page's way and the title would stand lower, then jump
    chrome_words.translate()
    urlstate.write()
