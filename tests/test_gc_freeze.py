"""The objects alive after a page's first run are moved out of the collector's rounds,
once per page: what later runs make is still collected."""
import gc
import subprocess
import sys
import weakref

from mekong.app import gc_freeze
from mekong.paths import ROOT


class _Node:
    pass


def _cycle() -> tuple[_Node, weakref.ref]:
    node = _Node()
    node.me = node
    return node, weakref.ref(node)


def test_each_page_freezes_once_and_what_later_runs_make_is_collected():
    gc.unfreeze()
    gc_freeze._frozen.clear()
    try:
        gc_freeze.after_first_run("funding")
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the modules at least
        node, alive = _cycle()  # made by a later run
        gc_freeze.after_first_run("funding")  # that later run ends: nothing more is frozen
        assert gc.get_freeze_count() == frozen
        del node
        gc.collect()
        assert alive() is None
        node, alive = _cycle()
        gc_freeze.after_first_run("map")  # another page's first run freezes what exists then
        assert gc.get_freeze_count() > frozen
        del node
        gc.collect()
        assert alive() is not None  # the bounded cost: a cycle frozen then dropped stays
    finally:
        gc.unfreeze()
        gc_freeze._frozen.clear()


def test_a_server_that_froze_stops_without_leak_reports():
    """What is frozen is given back at exit: DuckDB's bindings would otherwise print
    "nanobind: leaked ... instances!" when the server stops."""
    code = ("import duckdb, pandas\n"
            "con = duckdb.connect()\n"
            "con.execute('SELECT 42').to_arrow_table().to_pandas()\n"
            "from mekong.app import gc_freeze\n"
            "gc_freeze.after_first_run('overview')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "leaked" not in done.stderr, done.stderr[:500]
