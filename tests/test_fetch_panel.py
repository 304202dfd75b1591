"""AppTest: the Data page's "Load from IATI" panel loads countries from a local Q API
(tests/dportal_server.py), reports what it fetched and imported, lists every fetched
source with when it was fetched and a Refresh button, says why nothing changed when a
page is bad, and is hidden when imports are off."""
import hashlib

import duckdb
import pytest

from tests.test_data_page import plain, table, texts


@pytest.fixture()
def data_app(app, seed_db_copy, qapi, monkeypatch):
    monkeypatch.setenv("MEKONG_DB", str(seed_db_copy))
    return lambda **params: app("data", timeout=120, **params)


def count(db, sql) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def load(at, *countries):
    at.multiselect(key="iati_countries").set_value(list(countries)).run()
    at.button(key="iati_load").click().run()
    return at


def test_load_a_country_and_refresh_it(data_app, seed_db_copy, qapi):
    at = data_app(lang="en")
    assert qapi.requests == []  # nothing is fetched until a person asks
    at = load(at, "LA")
    assert not at.exception
    la = {i for i, _ in qapi.activities["LA"]}
    assert count(seed_db_copy, "SELECT count(*) FROM project WHERE document_id = 'dportal:LA'") == len(la)
    assert any(f"Loaded {len(la)} activities from IATI: Laos (LA)." in plain(s.value) for s in at.success)
    # what was fetched, and the import's own report below it
    fetched = table(at, "Repeated (counted once)")
    assert list(fetched["Country"]) == ["Laos (LA)"] and list(fetched["Activities on the pages"]) == [len(la)]
    assert any(f"Imported {len(la)} activities from d-portal LA" in plain(s.value) for s in at.success)
    # the fetched source, its dates, and "data as of"
    shown = texts(at)
    assert "Laos \\(LA\\)" in shown and "fetched " in shown and "UTC" in shown
    assert "last updated by publishers" in shown  # FIND's activity gives one
    assert "IATI data fetched" in shown
    sources = table(at, "Document")
    assert sources["Fetched"].iloc[0] != "" and sources["File"].iloc[0].startswith(qapi.url)
    # Refresh fetches that country again and replaces what its last fetch brought
    qapi.activities["LA"] = qapi.activities["LA"][2:]
    qapi.requests.clear()
    at.button(key="iati_refresh_dportal:LA").click().run()
    assert not at.exception
    assert qapi.offsets("LA") == [0, 100]
    assert count(seed_db_copy, "SELECT count(*) FROM project WHERE document_id = 'dportal:LA'") == len(la) - 2
    assert any("Loaded again: dportal:LA" in plain(i.value) for i in at.info)


def test_a_bad_page_changes_nothing_and_says_which(data_app, seed_db_copy, qapi):
    digest = hashlib.sha256(seed_db_copy.read_bytes()).hexdigest()
    qapi.bomb.add(("MM", 100))
    at = load(data_app(lang="fr"), "KH", "MM")
    assert not at.exception
    (error,) = at.error
    shown = plain(error.value)
    assert "Rien n'a été chargé" in shown and "MM page 2 (activities 101-200): contains a <!DOCTYPE" in shown
    assert hashlib.sha256(seed_db_copy.read_bytes()).hexdigest() == digest
    assert any("Les pages reçues sont gardées" in c.value for c in at.caption)
    # the pages received are there for the next try, which asks only for the rest
    qapi.bomb.clear()
    qapi.requests.clear()
    at = load(at, "KH", "MM")
    assert not at.exception and not at.error
    assert qapi.offsets("KH") == [] and qapi.offsets("MM") == [100, 200]


def test_hidden_when_imports_are_off(data_app, seed_db_copy, qapi, monkeypatch):
    from mekong.importers.live import fetch_countries

    assert fetch_countries(["LA"], seed_db_copy, limit=100).applied  # fetched by the command line
    monkeypatch.setenv("MEKONG_IMPORTS", "off")
    at = data_app(lang="en")
    assert not at.exception
    assert not [m for m in at.multiselect if m.key == "iati_countries"]
    assert not [b for b in at.button if (b.key or "").startswith("iati_")]
    assert "Load from IATI" not in [s.value for s in at.subheader]
    assert table(at, "Document")["Fetched"].iloc[0] != ""  # when it was fetched still shows
    assert qapi.requests == [("LA", 100, 0), ("LA", 100, 100)]  # the page itself asked for nothing
