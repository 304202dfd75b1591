"""Keys in presentation mode: a small component (st.components.v2, whose script runs in
the app's own page, so it hears the keys pressed anywhere on it) that turns the keys a
keyboard or a presenter's clicker sends into steps through the charts, and tells the
server the size of the screen (the map is framed for it).

Right arrow, Page Down, Down arrow and Space: next chart; Left arrow, Page Up, Up arrow:
previous; Home, End: first, last; Escape: leave Present; "." or "b": black screen and
back, as in PowerPoint. Keys typed into a field, and held-down repeats, are left alone."""
import streamlit as st

KEY = "present-keys"

_JS = """
export default function(component) {
  const { setTriggerValue, setStateValue, data } = component;
  const actions = {ArrowRight: "next", PageDown: "next", ArrowDown: "next", " ": "next", Spacebar: "next",
                   ArrowLeft: "prev", PageUp: "prev", ArrowUp: "prev", Home: "first", End: "last", Escape: "exit"};
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  const blackout = () => {
    const old = document.getElementById("mekong-blackout");
    if (old) { old.remove(); return; }
    const div = document.createElement("div");
    div.id = "mekong-blackout";
    div.style.cssText = "position:fixed;inset:0;background:#000;z-index:2147483647;cursor:none";
    document.body.appendChild(div);
  };
  const onKey = (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
    if (e.key === "." || e.key === "b" || e.key === "B") { e.preventDefault(); blackout(); return; }
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();  // no page scroll, and Space does not also press a focused button
    if (e.repeat) return;
    const black = document.getElementById("mekong-blackout");
    if (black) black.remove();
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    setTriggerValue("key", action);
  };
  document.addEventListener("keydown", onKey);
  document.body.dataset.presentKeys = "on";  // listening (tests wait for it)
  let timer = null;
  const report = () => {
    const size = [window.innerWidth, window.innerHeight];
    const known = data && data.screen;
    if (!known || known[0] !== size[0] || known[1] !== size[1]) setStateValue("screen", size);
  };
  const onResize = () => { clearTimeout(timer); timer = setTimeout(report, 300); };
  if (data && data.report_screen) { report(); window.addEventListener("resize", onResize); }
  return () => {
    document.removeEventListener("keydown", onKey);
    delete document.body.dataset.presentKeys;
    window.removeEventListener("resize", onResize);
    clearTimeout(timer);
    const black = document.getElementById("mekong-blackout");
    if (black) black.remove();
  };
}
"""

# Present's look. The listener is mounted only in presentation mode and brings these
# styles with it (to the whole page, not isolated), and widgets.streamlit_texts writes
# them at the start of the run: each comes once Streamlit has loaded its element's code,
# and on a first load that can be after a short run has ended (until then the slide
# stands lower, with the page's usual margins), so the first of the two sets it.
STYLES = """
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stSidebarNav"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 0.5rem 2.5rem !important; max-width: 100% !important; }
[data-testid="stMain"] h3 { font-size: clamp(1.6rem, 2.6vw, 2.6rem) !important; line-height: 1.15 !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: clamp(0.85rem, 1.15vw, 1.2rem) !important; }
.st-key-present-note p, .st-key-present-note div { font-size: clamp(1rem, 1.4vw, 1.5rem) !important; font-weight: 600; }
/* The chart takes the height the title and the lines under it leave: the page is one
   screen-high flex column, the stage's wrapper grows, and the chart (height="stretch") fills it. */
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { height: calc(100vh - 2.8rem); }
[data-testid="stLayoutWrapper"]:has(> .st-key-present-stage) { flex: 1 1 0; min-height: 0; }
.st-key-present-stage { height: 100%; min-height: 0; }
.st-key-present-stage > [data-testid="stElementContainer"] { flex: 1 1 auto; min-height: 0; }
.st-key-present-stage [data-testid="stFullScreenFrame"] { height: 100% !important; }
/* the previous / next buttons show their arrow; their words are for screen readers only */
.st-key-present-prev button [data-testid="stMarkdownContainer"], .st-key-present-next button [data-testid="stMarkdownContainer"] {
  position: absolute !important; width: 1px !important; height: 1px !important; overflow: hidden !important;
  clip-path: inset(50%) !important; white-space: nowrap !important; }
/* the key listener draws nothing */
[data-testid="stElementContainer"]:has(.st-key-present-keys), .st-key-present-keys { display: none !important; }
"""

_component = st.components.v2.component("mekong_present_keys", js=_JS, css=STYLES, isolate_styles=False)


def _ignore() -> None:
    """The key is read from the component's value in the run it starts."""


def listen(report_screen: bool = False) -> str | None:
    """Mount the listener; the step a key asked for in this run ("next", "prev", "first",
    "last", "exit") or None."""
    result = _component(key=KEY, data={"screen": screen(), "report_screen": report_screen},
                        on_key_change=_ignore, on_screen_change=_ignore)
    return getattr(result, "key", None)


SCREEN_KEY = "_present_screen"  # the last size told (also settable by hand, e.g. in tests)


def screen() -> tuple[int, int] | None:
    """The browser window's size in pixels, once the component has told it."""
    state = st.session_state.get(KEY)
    size = state.get("screen") if hasattr(state, "get") else None
    if size:
        st.session_state[SCREEN_KEY] = size
    size = size or st.session_state.get(SCREEN_KEY)
    return (int(size[0]), int(size[1])) if size else None
