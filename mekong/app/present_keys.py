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

_component = st.components.v2.component("mekong_present_keys", js=_JS)


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
