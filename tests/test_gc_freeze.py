"""The objects alive after a page's first run are moved out of the collector's rounds,
once per page: what later runs make is still collected."""
import gc
import weakref

from mekong.app import gc_freeze


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
