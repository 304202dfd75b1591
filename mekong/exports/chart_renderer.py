"""Plotly figures to PNG with kaleido and Debian's Chromium: offline, and never stuck.

kaleido's own sync server has two traps for an app that serves downloads. Its page loads
MathJax from a CDN, and the tab reloads that page after every render: a request to the
internet per picture, which on a machine whose network hangs rather than refuses holds
the download for minutes. And a render or a reload that never ends blocks every later
download of the process for good. Here MathJax is off, plotly.js is the plotly package's
own copy, Chromium's only proxy is a closed local port (so nothing it asks for can leave
the machine), and every step has a deadline: past it the browser is closed, the download
gets a RenderError, and the next picture starts a new browser."""
import asyncio
import atexit
import concurrent.futures
import shutil
import threading

START_S = 60      # to start Chromium and load the page (a cold start on a loaded 2-core machine takes ~5 s)
RENDER_S = 60     # for one picture (the largest, the map at 2x, takes ~2 s)
NO_PROXY = "127.0.0.1:9"  # the discard port: nothing listens, every request fails at once


class RenderError(RuntimeError):
    """The chart could not be drawn as a picture."""


_lock = threading.Lock()  # downloads are made in Streamlit's worker threads, maybe two at once
_loop: asyncio.AbstractEventLoop | None = None
_browser = None


def _run(coro, timeout: float):
    """Run a coroutine on the renderer's own event loop (its own thread), within `timeout`."""
    global _loop
    if _loop is None:
        _loop = asyncio.new_event_loop()
        threading.Thread(target=_loop.run_forever, name="chart-renderer", daemon=True).start()
    future = asyncio.run_coroutine_threadsafe(coro, _loop)
    try:
        return future.result(timeout)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise


def _open():
    global _browser
    if _browser is None:
        import kaleido

        browser = kaleido.Kaleido(n=1, timeout=RENDER_S, mathjax=False, proxy_server=NO_PROXY,
                                  path=shutil.which("chromium") or shutil.which("chromium-browser"))
        try:
            _run(browser.open(), START_S)
        except BaseException:
            _close(browser)
            raise
        _browser = browser
    return _browser


def _close(browser) -> None:
    try:
        _run(browser.close(), 15)
    except BaseException:  # noqa: BLE001 - closing a browser that failed: nothing more to do
        pass


@atexit.register
def shutdown() -> None:
    """Close the browser (at exit, and in tests that want a cold start)."""
    global _browser
    with _lock:
        if _browser is not None:
            _close(_browser)
            _browser = None


def png(fig, width: int, height: int, scale: float) -> bytes:
    """The figure as PNG bytes, or RenderError when Chromium cannot draw it in time."""
    global _browser
    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    with _lock:
        try:
            return _run(_open().calc_fig(fig, opts=opts), RENDER_S + 15)
        except (Exception, asyncio.CancelledError) as e:
            if _browser is not None:
                _close(_browser)
                _browser = None
            raise RenderError(f"the chart could not be drawn as a picture ({type(e).__name__}: {e})") from e
