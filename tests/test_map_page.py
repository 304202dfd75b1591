"""AppTest: the map page runs on the default portfolio, follows the filters and the URL."""


def _no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


def test_map_page_runs(app):
    at = app("map")
    _no_exception(at)
