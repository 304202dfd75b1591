"""Words Streamlit and plotly.js draw themselves (the table's and the charts' toolbars,
their tooltips, the table's column menu), in the page's language.

Neither has a French translation. A small component (st.components.v2, run in the app's
own page) watches the page and rewrites those words where they appear: text that is
exactly one of them, and the labels, titles and plotly's data-title (the tooltip of its
toolbar) that are. The words and their French are in mekong/views/locale/chrome.toml.
On an English page it puts back the English (the page may have been French a moment ago).
"""
import streamlit as st

from mekong.app.ui import lang
from mekong.views import i18n

_JS = """
export default function(component) {
  const { data, parentElement } = component;
  const box = parentElement && parentElement.closest && parentElement.closest('[data-testid="stElementContainer"]');
  if (box) box.style.display = "none";  // it draws nothing and takes no room
  // One watcher per browser page, whatever Streamlit does with this component between runs:
  // called again with new words (the page switched language), it swaps the words it reads.
  // Two watchers, one for each language, would undo each other forever.
  const state = window.__mekongChromeWords || (window.__mekongChromeWords = {});
  state.words = (data && data.words) || {};
  const ATTRS = ["aria-label", "title", "data-title", "placeholder"];
  // only the interface's own pieces: never a title or name that comes from the data
  const CHROME = '[data-baseweb="tooltip"], [data-baseweb="popover"], [role="tooltip"], [role="menu"], ' +
                 '[data-testid="stElementToolbar"], [data-testid="stTooltipContent"], .modebar';
  const CONTROLS = "button, input, a, .modebar-btn";
  const WITH_ATTRS = ATTRS.map((a) => `[${a}]`).join(", ");
  // A chart redrawn adds thousands of SVG elements: only the elements that carry one of
  // the attributes and the text inside the interface's pieces are looked at (the
  // browser's own selectors find them), not every element with its ancestors.
  const swap = (root) => {
    if (!root || root.nodeType !== 1) return;
    const labelled = root.matches(WITH_ATTRS) ? [root, ...root.querySelectorAll(WITH_ATTRS)] : root.querySelectorAll(WITH_ATTRS);
    for (const el of labelled) {
      if (!el.matches(CONTROLS) && !el.closest(CHROME)) continue;
      for (const a of ATTRS) {
        const v = el.getAttribute(a);
        if (v && state.words[v] !== undefined) el.setAttribute(a, state.words[v]);
      }
    }
    // the outermost pieces of interface at or under root (a piece inside another is walked with it)
    const pieces = root.closest(CHROME) ? [root]
      : [...root.querySelectorAll(CHROME)].filter((el) => !el.parentElement.closest(CHROME));
    for (const piece of pieces) {
      const texts = document.createTreeWalker(piece, NodeFilter.SHOW_TEXT);
      for (let n = texts.nextNode(); n; n = texts.nextNode()) {
        const v = n.nodeValue.trim();
        if (v && state.words[v] !== undefined) n.nodeValue = n.nodeValue.replace(v, state.words[v]);
      }
    }
  };
  swap(document.body);
  const stop = () => { if (state.observer) state.observer.disconnect(); state.observer = null; };
  if (state.observer) return stop;
  const observer = state.observer = new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "attributes" || c.type === "characterData") swap(c.target.nodeType === 1 ? c.target : c.target.parentElement);
      for (const n of c.addedNodes) swap(n.nodeType === 1 ? n : n.parentElement);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
                                    attributeFilter: ATTRS });
  return stop;
}
"""

_component = st.components.v2.component("mekong_chrome_words", js=_JS, isolate_styles=False)


def words(language: str) -> dict[str, str]:
    """{word as drawn: word in `language`}: English to French on a French page, French
    back to English on an English one."""
    pairs = [(v["en"], v["fr"]) for k, v in i18n.catalog().items() if k.startswith("chrome.")]
    return {en: fr for en, fr in pairs if en != fr} if language == "fr" else {fr: en for en, fr in pairs if en != fr}


def translate() -> None:
    """Mount the watcher (once a run, on every page)."""
    _component(data={"words": words(lang())}, key="chrome-words")
