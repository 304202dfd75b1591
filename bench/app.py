"""The real app for the browser benchmarks: started with `streamlit run` on a database
(tests/browser/conftest.py:start_app), driven in Debian's Chromium by Playwright, its
memory read with psutil.

Redraw timing: a MutationObserver notes the last change inside any chart; after a filter
change the charts are redrawn when the script has finished running and no chart has
changed for QUIET_MS. The redraw time is that last change minus the moment of the filter
change, both read in the page's own clock.
"""
import contextlib
import threading
import time
from pathlib import Path

import psutil

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, start_app

CHARTS = "[data-testid='stPlotlyChart']"
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"
QUIET_MS = 700
PAGES = {"overview": "", "funding": "funding", "timeline": "timeline", "projects": "projects", "map": "map"}

_OBSERVER = """() => {
  if (window.__mk) return;
  window.__mk = {lastChart: 0, lastAny: 0};
  new MutationObserver((muts) => {
    const now = performance.now();
    window.__mk.lastAny = now;
    for (const m of muts) {
      const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (el && el.closest && el.closest("[data-testid='stPlotlyChart'], [data-testid='stDeckGlJsonChart']")) {
        window.__mk.lastChart = now; break;
      }
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


@contextlib.contextmanager
def app(db: Path, extra_env: dict | None = None, log: Path | None = None):
    """The dashboard on a free port: yields (process, base URL); stopped at the end.
    `log`: a file for its output (a crash's message)."""
    proc, url = start_app(db, extra_env=extra_env, log=log)
    try:
        yield proc, url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except Exception:  # noqa: BLE001 - it is stopped either way
            proc.kill()


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, height: int = 1600):
    context = browser.new_context(viewport={"width": 1400, "height": height}, locale="en-GB")
    return context.new_page()


_STATE = "() => ({now: performance.now(), chart: window.__mk.lastChart, any: window.__mk.lastAny})"


def settled(state: dict, since: float | None) -> bool:
    """The page changed after `since` (the action was seen: a rerun always changes the
    page) and has not changed for QUIET_MS."""
    return (since is None or state["any"] > since) and state["now"] - state["any"] >= QUIET_MS


def settle(page, since: float | None = None, timeout_s: float = 300) -> float:
    """Wait until the script has run and the page (charts and all) has stopped changing
    after the action made at page time `since`; returns the page time (ms) of the last
    change to a chart, or of anything when no chart element changed."""
    page.evaluate(_OBSERVER)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if not page.locator(IDLE).count():
            continue
        state = page.evaluate(_STATE)
        if settled(state, since):
            # deck.gl redraws its canvas without touching the DOM: when no chart element
            # changed after the action, the page's last change (its lists) stands in
            chart_seen = state["chart"] and (since is None or state["chart"] > since)
            return state["chart"] if chart_seen else state["any"]
    raise TimeoutError("the page did not settle")


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("h1", timeout=300_000)
    settle(page)


def choose(page, filter_label: str, text: str) -> float:
    """Type `text` into the sidebar multiselect `filter_label` and take the first match.
    Returns the page time (ms) when the choice was made."""
    box = page.locator("[data-testid='stMultiSelect']", has_text=filter_label).first
    box.locator("input").click()
    page.keyboard.type(text)
    page.wait_for_timeout(200)  # the options list filters as one types
    started = page.evaluate("() => performance.now()")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.locator("h1").first.click()  # the options list sometimes opens again: close it
    return started


def clear_filters(page) -> float:
    started = page.evaluate("() => performance.now()")
    # the sidebar's button (the line of filters above the charts has one too)
    page.get_by_test_id("stSidebarUserContent").get_by_role("button", name="Clear all filters").click()
    return started


def errors_on(page) -> int:
    return page.locator(ERRORS).count()


class PeakMemory:
    """Samples the resident memory of a process (and its children) in the background."""

    def __init__(self, pid: int, every_s: float = 0.05):
        self.proc, self.every, self.peak, self.samples = psutil.Process(pid), every_s, 0, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        try:
            return self.proc.memory_info().rss + sum(c.memory_info().rss for c in self.proc.children(recursive=True))
        except psutil.Error:
            return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            r = self.rss()
            self.peak = max(self.peak, r)
            self.samples.append(r)
            time.sleep(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def wait_healthy(url: str, timeout_s: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                return
        time.sleep(0.05)
    raise TimeoutError("the app did not start")
