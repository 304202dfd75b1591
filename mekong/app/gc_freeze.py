"""Take what lives as long as the server out of the garbage collector's rounds.

Streamlit, pandas, plotly (whose validators are made on a page's first figure) and pydeck
are some 150,000 objects that stay as long as the process. Python's full collection goes
through all of them every few filter changes, 60 to 130 ms holding the GIL while the
run's charts wait to be sent, and has never anything to free among them. So the first
time a page has run in this process, what exists then is moved out of the collector's
sight (gc.freeze). What is made afterwards is collected as before; an object frozen and
then dropped is still freed when nothing refers to it, only a cycle among such objects
would stay (once per page and process: a bounded amount). At exit they are given back
to the collector, so that the interpreter's last collection frees them (else DuckDB's
bindings report their objects as "leaked" when the server stops).
"""
import atexit
import gc
import threading

_frozen: set[str] = set()
_lock = threading.Lock()


def after_first_run(page: str) -> None:
    """Call when `page` has run to its end."""
    with _lock:
        if page in _frozen:
            return
        if not _frozen:
            atexit.register(gc.unfreeze)
        _frozen.add(page)
        gc.collect()
        gc.freeze()
