"""The synthetic portfolio of `python -m mekong synth`: its shape on a small N, that it is
marked synthetic everywhere, that it passes the integrity checks and every query, and
that it is never written over the default database or a real portfolio."""
import subprocess
import sys

import duckdb
import pytest

from mekong.paths import DATA_DIR, ROOT
from mekong.store.db import connect
from mekong.store.synth import TITLE, SynthRefused, generate

N = 300


@pytest.fixture(scope="module")
def synth_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "synth.duckdb"
    counts = generate(path, N, seed=7)
    return path, counts


@pytest.fixture()
def con(synth_db):
    c = connect(synth_db[0])
    yield c
    c.close()


def one(con, sql):
    return con.execute(sql).fetchone()


def test_counts_are_about_ten_budgets_and_ten_transactions_per_activity(synth_db, con):
    _, counts = synth_db
    assert counts["project"] == N
    assert 7 * N <= counts["budget"] <= 13 * N
    assert 7 * N <= counts["transaction"] <= 13 * N
    assert one(con, "SELECT count(DISTINCT org_id) FROM participation WHERE role = 'funding'")[0] >= 20


def test_percentages_add_up_to_100(con):
    for table in ("project_sector", "project_country"):
        # stated for all of an activity's rows and adding up to 100, or (a few) not stated at all
        assert one(con, f"""SELECT count(*) FROM (SELECT project_id, sum(percentage) AS s, count(percentage) AS n_pct,
                                                         count(*) AS n FROM {table} GROUP BY ALL)
                            WHERE NOT ((n_pct = n AND s = 100) OR n_pct = 0)""")[0] == 0
        assert 0 < one(con, f"SELECT count(DISTINCT project_id) FROM {table} WHERE percentage IS NULL")[0] < N / 10
    # every sector code is a DAC 5-digit code of the reference table
    assert one(con, "SELECT count(*) FROM project_sector WHERE code NOT IN (SELECT code FROM sector)")[0] == 0


def test_realistic_shape(con):
    countries = {c for (c,) in con.execute("SELECT DISTINCT country FROM project_country").fetchall()}
    assert countries == {"KH", "LA", "MM", "TH", "VN"}
    currencies = {c for (c,) in con.execute('SELECT DISTINCT currency FROM budget UNION SELECT currency FROM "transaction"').fetchall()}
    assert {"EUR", "USD", "JPY"} <= currencies and currencies & {"LAK", "VND", "KHR"}
    # co-funded activities, revised budgets, several transaction types, statuses, dates 2000-2030
    assert one(con, "SELECT count(*) FROM project_funder WHERE n_funders > 1")[0] > 0
    assert one(con, "SELECT count(*) FROM budget WHERE type = 'revised'")[0] > 0
    assert one(con, "SELECT count(*) FROM budget WHERE contributor_org_id IS NOT NULL")[0] > 0
    assert {t for (t,) in con.execute('SELECT DISTINCT type FROM "transaction"').fetchall()} >= {"2", "3", "4"}
    assert one(con, "SELECT count(DISTINCT status) FROM project")[0] >= 4
    lo, hi = one(con, "SELECT min(date), max(date) FROM project_date")
    assert lo.year >= 2000 and hi.year <= 2030
    # places: provinces of the reference table, their coordinates inside the country
    assert one(con, "SELECT count(*) FROM location WHERE province NOT IN (SELECT iso FROM province)")[0] == 0
    assert one(con, """SELECT count(*) FROM location l JOIN province p ON p.iso = l.province
                       WHERE l.country <> p.country""")[0] == 0
    assert one(con, "SELECT count(*) FROM location WHERE lat NOT BETWEEN 5 AND 29 OR lon NOT BETWEEN 92 AND 110")[0] == 0
    # money the ECB cannot convert is kept apart, not dropped
    assert one(con, "SELECT count(*) FROM money WHERE currency = 'LAK' AND amount_eur IS NULL")[0] > 0


def test_marked_synthetic(con):
    docs = con.execute("SELECT document_id, title, kind FROM document").fetchall()
    assert docs == [("synthetic", TITLE, "synthetic")]
    assert "not real data" in TITLE
    assert one(con, "SELECT count(*) FROM source WHERE passage NOT ILIKE '%not real data%'")[0] == 0
    assert one(con, "SELECT count(*) FROM organisation WHERE name_en NOT ILIKE 'synthetic %'")[0] == 0


def test_every_query_runs_on_it(synth_db):
    import datetime as dt

    from mekong.store.db import Portfolio
    from mekong.store.sqlfiles import all_queries
    from mekong.views.filters import Filters

    db = Portfolio(synth_db[0])
    params = {**Filters(country=("VN",)).params(), "lang": "en", "today": dt.date(2026, 6, 30), "q": "", "limit": 50,
              "flow": "budget", "project_id": "synth:0000001", "check": None, "document_id": None,
              "parts": ["donor", "sector", "country", "province", "treemap", "sankey"], "sankey_nodes": 12, "treemap_leaves": 150,
              "drawn": [], "max_points": 2000}
    for name in all_queries():
        db.query(name, params)
    assert db.frame("overview_headline", params).iloc[0]["total"] > 0


def test_same_seed_same_portfolio(tmp_path, synth_db):
    again = tmp_path / "again.duckdb"
    generate(again, N, seed=7)
    a, b = connect(synth_db[0]), connect(again)
    try:
        for table in ("project", "budget", '"transaction"', "project_sector", "location"):
            assert a.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == \
                   b.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    finally:
        a.close()
        b.close()


def test_refuses_the_default_database(monkeypatch, tmp_path):
    with pytest.raises(SynthRefused, match="default database"):
        generate(DATA_DIR / "mekong.duckdb", 10)
    monkeypatch.setenv("MEKONG_DB", str(tmp_path / "moved.duckdb"))
    with pytest.raises(SynthRefused, match="default database"):
        generate(tmp_path / "moved.duckdb", 10)
    assert not (tmp_path / "moved.duckdb").exists()


def test_refuses_a_real_portfolio(seed_db_copy):
    before = seed_db_copy.read_bytes()
    with pytest.raises(SynthRefused, match="not synthetic"):
        generate(seed_db_copy, 10)
    assert seed_db_copy.read_bytes() == before


def test_replaces_an_older_synthetic_portfolio(tmp_path):
    path = tmp_path / "s.duckdb"
    generate(path, 20)
    generate(path, 30)
    c = duckdb.connect(str(path), read_only=True)
    assert c.execute("SELECT count(*) FROM project").fetchone()[0] == 30
    c.close()


def test_command_line(tmp_path):
    db = tmp_path / "cli.duckdb"
    done = subprocess.run([sys.executable, "-m", "mekong", "synth", "--projects", "50", "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "not real data" in done.stdout and db.exists()
    refused = subprocess.run([sys.executable, "-m", "mekong", "synth", "--projects", "5", "--db",
                              str(DATA_DIR / "mekong.duckdb")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "default database" in refused.stderr
