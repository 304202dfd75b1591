"""The size the page has to draw in: a small component (st.components.v2, run in the
app's own page) tells the server the width of the page's main column and the height of
the window, again when they change. The map is framed for it (its first run, before the
size is known, uses a default)."""
import streamlit as st

KEY = "box-size"

_JS = """
export default function(component) {
  const { setStateValue, data, parentElement } = component;
  let timer = null;
  // it draws nothing and takes no room
  const box = parentElement && parentElement.closest && parentElement.closest('[data-testid="stElementContainer"]');
  if (box) box.style.display = "none";
  const report = () => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    const style = getComputedStyle(main);
    const inner = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const size = [Math.round(inner / 10) * 10, Math.round(window.innerHeight / 10) * 10];
    const known = data && data.size;
    if (!known || known[0] !== size[0] || known[1] !== size[1]) setStateValue("size", size);
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(report, 300); };
  report();
  window.addEventListener("resize", later);
  return () => { window.removeEventListener("resize", later); clearTimeout(timer); };
}
"""

_component = st.components.v2.component("mekong_box_size", js=_JS, isolate_styles=False)


def _ignore() -> None:
    """The size is read from the component's state in the run it starts."""


def listen() -> None:
    """Mount the reporter (once a page, anywhere on it)."""
    _component(key=KEY, data={"size": size()}, on_size_change=_ignore)


def size() -> tuple[int, int] | None:
    """(width of the main column, height of the window) in pixels, once told."""
    state = st.session_state.get(KEY)
    value = state.get("size") if hasattr(state, "get") else None
    return (int(value[0]), int(value[1])) if value else None
