"""What a view says about itself (AppTest and the queries): the line of filters under each
page's title with its clear button, the "data as of" date, chart notes kept in the link
and shown as plain text, the Slides and PDF buttons of the pages with charts, and the map
in Present framed for the screen with names large enough to read."""
import datetime as dt
import json
import math

import duckdb
import pytest

from mekong.store.db import Portfolio
from mekong.store.derive import derive
from mekong.views import describe, i18n, maps, notes
from mekong.views.filters import Filters
from tests.conftest import ROOT
from tests.fixture_db import build_fixture


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]


def texts(at) -> list[str]:
    return [x.value for x in at.text]


def markdown_and_captions(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


# ---------------------------------------------------------------- data as of

def _t(lang: str):
    return lambda key, **values: i18n.text(key, lang, **values)


def _date(db, **filters) -> tuple:
    f = Filters(**filters)
    rows = Portfolio(db).frame("view_sources", {**f.params(), "lang": "en", "today": dt.date(2026, 1, 1)})
    return describe.data_as_of(rows)


def test_data_date_is_the_latest_date_the_documents_state(tmp_path):
    db = build_fixture(tmp_path / "f.duckdb")
    assert _date(db) == (None, 1)  # the fixture's one document states no date
    line = describe.data_date_line(Portfolio(db).frame("view_sources", Filters().params()), _t("en"), "en")
    assert line == "Data date: not stated by the sources"
    con = duckdb.connect(str(db))
    # a second document, an IATI file generated on 3 March 2024 and imported later, for P3
    con.execute("""INSERT INTO document VALUES ('iati:x.xml', 'x.xml', NULL, NULL, 'x.xml', NULL, DATE '2024-03-03',
                   DATE '2026-02-01', 'iati', TIMESTAMP '2026-02-01 10:00:00', NULL, NULL, NULL)""")
    con.execute("UPDATE project SET document_id = 'iati:x.xml' WHERE project_id = 'P3'")
    derive(con, ["P3"])  # as an import does: the filter table carries each activity's document
    con.close()
    # the file's own date, not the day it was imported; the other document is undated
    assert _date(db) == (dt.date(2024, 3, 3), 1)
    assert _date(db, country=("TH",)) == (dt.date(2024, 3, 3), 0)  # only P3's document is in this view
    assert _date(db, country=("LA",)) == (None, 1)
    rows = Portfolio(db).frame("view_sources", Filters().params())
    assert describe.data_date_line(rows, _t("fr"), "fr") == "Données au 3 mars 2024 (sources non datées\u202f: 1)"
    con = duckdb.connect(str(db))
    con.execute("UPDATE document SET published = NULL WHERE document_id = 'iati:x.xml'")
    con.close()
    assert _date(db, country=("TH",)) == (dt.date(2026, 2, 1), 0)  # else the day it was retrieved


# ---------------------------------------------------------------- notes

def test_notes_are_one_short_line_of_plain_text():
    assert notes.clean("  2021 incomplete:\n data\tuntil June\x00\u200b ") == "2021 incomplete: data until June"
    assert len(notes.clean("x" * 500)) == notes.MAX_LENGTH
    found, ignored = notes.from_query({"note-by-year": ["<b>2021</b>"], "note-nothing": ["x"],
                                       "note-gantt": ["y" * 300], "donor": ["z"]})
    assert found == {"by-year": "<b>2021</b>", "gantt": "y" * notes.MAX_LENGTH}
    assert {(i.param, i.reason) for i in ignored} == {("note-nothing", "unknown"), ("note-gantt", "too_long")}
    assert notes.to_query(found) == {"note-by-year": "<b>2021</b>", "note-gantt": "y" * notes.MAX_LENGTH}


def test_every_chart_can_take_a_note(seed_db):
    from mekong.views import panels

    p = Portfolio(seed_db)
    base = {**Filters().params(), "lang": "en", "today": dt.date(2026, 1, 1), "q": "", "limit": 1000}
    built = _t("en"), (lambda name, **extra: p.frame(name, {**base, **extra})), Filters(), "en"
    keys = {x.key for x in panels.overview(*built) + panels.funding(*built, "budget")}
    keys |= {x.key for x in panels.timeline(*built, dt.date(2026, 1, 1))}
    assert keys | {"map"} == set(notes.KEYS)


def test_a_note_from_the_link_is_shown_as_text_and_stays_in_the_url(app):
    at = app("funding", lang="en", **{"note-by-donor": "Only **one** <b>donor</b> [x](http://example.org)"})
    _ok(at)
    assert "Note: Only **one** <b>donor</b> [x](http://example.org)" in texts(at)
    assert "example.org" not in markdown_and_captions(at)  # never through Markdown
    assert at.query_params["note-by-donor"] == "Only **one** <b>donor</b> [x](http://example.org)"
    # the field beside the chart holds it, and a new text replaces it (cleaned, in the URL)
    field = at.text_input(key="_note_input_by-donor")
    assert field.value.startswith("Only **one**")
    field.set_value("  2021   incomplete ").run()
    _ok(at)
    assert "Note: 2021 incomplete" in texts(at)
    assert at.query_params["note-by-donor"] == "2021 incomplete"
    at.text_input(key="_note_input_by-donor").set_value("").run()
    assert "note-by-donor" not in at.query_params and not any(x.startswith("Note:") for x in texts(at))


def test_a_note_on_no_chart_or_too_long_is_said(app):
    at = app("funding", lang="en", **{"note-nowhere": "x", "note-by-sector": "y" * 250})
    _ok(at)
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "note-nowhere" in warning and "note-by-sector" in warning and "cut" in warning
    assert f"Note: {'y' * notes.MAX_LENGTH}" in texts(at)


# ---------------------------------------------------------------- the line under the title

@pytest.mark.parametrize("page", ["overview", "funding", "timeline", "map", "projects"])
def test_each_page_names_its_filters_under_its_title(app, page):
    at = app(page, lang="fr", donor=["lu-government"], country=["LA"], years=["2012", "2014"])
    _ok(at)
    assert "Bailleur\u202f: Gouvernement luxembourgeois · Pays\u202f: Laos · Années\u202f: 2012–2014 · EUR" in texts(at)
    at.button(key="filter-line-clear").click().run()
    _ok(at)
    assert at.session_state["donor"] == [] and at.session_state["country"] == []
    assert "Toutes les activités · EUR" in texts(at)
    assert not [b for b in at.button if b.key == "filter-line-clear"]  # nothing left to clear


# ---------------------------------------------------------------- the tools of a page

@pytest.mark.parametrize("page,offered", [("overview", True), ("funding", True), ("timeline", True), ("map", True),
                                          ("projects", False), ("data", False)])
def test_slides_and_brief_of_the_pages_with_charts(app, page, offered):
    at = app(page, lang="fr", country=["LA"])
    _ok(at)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert ("Diapositives (PowerPoint)" in buttons) is offered and ("Note de synthèse (PDF)" in buttons) is offered


def test_the_slides_button_hands_out_the_view_on_screen(app, monkeypatch):
    """The deck is made from the view this run showed, passed as arguments (not read from
    the session later, in a thread where it reads as defaults)."""
    from mekong.app import widgets

    seen = []
    monkeypatch.setattr(widgets, "partial", lambda fn, *a, **k: seen.append((fn, a, k)) or (lambda: b""))
    at = app("funding", lang="fr", donor=["lu-government"], ccy="USD", **{"note-by-year": "2021 incomplet"})
    _ok(at)
    views = {fn.__module__: a[1] for fn, a, _ in seen if fn.__name__ in ("write_deck", "write_brief")}
    assert set(views) == {"mekong.exports.slides", "mekong.exports.brief"}
    for view in views.values():
        assert view.lang == "fr" and view.pages == ("funding",)
        assert view.filters.donor == ("lu-government",) and view.filters.currency == "USD"
        assert view.notes == {"by-year": "2021 incomplet"}
    # the Excel and CSV files of a chart carry the current filters too
    sheets = [a for fn, a, _ in seen if fn.__name__ == "table_xlsx"]
    assert sheets and all("Bailleur\u202f: Gouvernement luxembourgeois · USD" in a[2][0] for a in sheets)
    csvs = [a for fn, a, _ in seen if fn.__name__ == "table_csv"]
    assert csvs and all(a[1][1] == "Bailleur\u202f: Gouvernement luxembourgeois · USD" for a in csvs)


# ---------------------------------------------------------------- the map in Present

def _fits(view, width: int, height: int) -> bool:
    """The five countries (maps.BOUNDS) lie inside a width x height canvas at this view."""
    west, south, east, north = maps.BOUNDS
    x0, y0 = maps._pixel(west, north, view.zoom)
    x1, y1 = maps._pixel(east, south, view.zoom)
    cx, cy = maps._pixel(view.longitude, view.latitude, view.zoom)
    return cx - width / 2 <= x0 and x1 <= cx + width / 2 and cy - height / 2 <= y0 and y1 <= cy + height / 2


@pytest.mark.parametrize("lang,words", [("en", ("Previous chart", "Next chart")),
                                        ("fr", ("Graphique précédent", "Graphique suivant"))])
def test_present_arrows_say_their_words_without_a_tooltip(app, lang, words):
    """A tooltip on the arrows stays over the slide under the presenter's mouse after a
    click: the arrows carry their words as their label (hidden from sight, read aloud)."""
    at = app("funding", lang=lang, present="1")
    _ok(at)
    arrows = {b.key: b for b in at.button if b.key in ("present-prev", "present-next")}
    assert (arrows["present-prev"].label, arrows["present-next"].label) == words
    assert not arrows["present-prev"].help and not arrows["present-next"].help
    arrows["present-next"].click().run()
    _ok(at)
    assert at.query_params["slide"] == "2"


@pytest.mark.parametrize("screen,smallest", [((1920, 1080), 18), ((1280, 720), 13)])
def test_the_map_in_present_fits_the_screen_with_large_names(app_env, screen, smallest):
    from streamlit.testing.v1 import AppTest

    from mekong.app import map_page, present_keys

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["present"] = "1"
    at.query_params["lang"] = "en"
    at.session_state[present_keys.SCREEN_KEY] = list(screen)
    at.run()
    at.switch_page("pages/map.py").run()
    _ok(at)
    (deck,) = at.get("deck_gl_json_chart")
    spec = json.loads(deck.proto.json)
    sizes = {layer["id"]: layer["getSize"] for layer in spec["layers"] if layer["id"].startswith("labels-")}
    assert set(sizes) == {"labels-countries", "labels-provinces", "labels-cities"}
    assert min(sizes.values()) == smallest
    view = spec["initialViewState"]
    canvas = (screen[0] - map_page.PRESENT_PADDING, screen[1] - map_page.PRESENT_RESERVED)
    assert _fits(type("V", (), view)(), *canvas)
    assert not _fits(type("V", (), {**view, "zoom": view["zoom"] + 0.5})(), *canvas)  # and fills it
    assert math.isclose(view["zoom"], maps.initial_view(*canvas).zoom)


def test_document_titles_and_publishers_in_the_pages_language():
    """What the importers write in English in the database (kept so for the command line)
    is said in the page's language; a curated document keeps its own title."""
    from mekong.views import describe, i18n

    def t(lang):
        return lambda key, **v: i18n.text(key, lang, **v)
    docs = [{"document_id": "iati:a.xml", "kind": "iati", "title": "IATI activities: a.xml", "file": "a.xml"},
            {"document_id": "sheet:b.csv", "kind": "spreadsheet", "title": "Spreadsheet: b.csv", "file": "b.csv"},
            {"document_id": "dportal:VN", "kind": "iati", "title": "d-portal: IATI activities in Viet Nam (VN)"},
            {"document_id": "url:https://x.org/c.xml", "kind": "iati", "url": "https://x.org/c.xml"},
            {"document_id": "seed-001", "kind": "seed", "title": "Fiche projet LuxDev", "file": "seeds/001.txt"}]
    assert [describe.document_title(d, t("en"), "en") for d in docs] == [
        "IATI activities: a.xml", "Spreadsheet: b.csv", "d-portal: IATI activities in Viet Nam (VN)",
        "IATI activities: https://x.org/c.xml", "Fiche projet LuxDev"]
    assert [describe.document_title(d, t("fr"), "fr") for d in docs] == [
        "Activités IATI\u202f: a.xml", "Tableur\u202f: b.csv", "d-portal\u202f: activités IATI, Viêt Nam (VN)",
        "Activités IATI\u202f: https://x.org/c.xml", "Fiche projet LuxDev"]
    assert describe.publisher_text("UNDP; Sida; EC and 7 more", t("fr")) == "UNDP; Sida; EC et 7 autres"
    assert describe.publisher_text("UNDP; Sida; EC and 1 more", t("fr")) == "UNDP; Sida; EC et 1 autre"
    assert describe.publisher_text("UNDP; Sida; EC and 7 more", t("en")) == "UNDP; Sida; EC and 7 more"
    assert describe.publisher_text(None, t("fr")) is None
