"""The build: every table from a clean checkout, the same content twice, and a failed
build leaves the previous database untouched."""
import hashlib
import shutil
import subprocess
import sys

import duckdb
import pytest

from mekong.paths import DATA_DIR, ROOT
from mekong.store.build import build, ensure_built
from mekong.store.db import connect
from mekong.store.derive import IntegrityError

FACT_TABLES = ["document", "source", "organisation", "project", "project_date", "participation", "project_sector",
               "project_country", "project_region", "location", "project_location", "budget", "event"]
REFERENCE_TABLES = ["codelist", "sector_category", "sector", "country", "region", "province", "city", "fx_rate"]
DERIVED_TABLES = ["project_span", "money_row", "money", "sector_share", "country_share", "province_share",
                  "project_funder", "project_implementer"]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_contents(path):
    con = connect(path)
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
    out = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables if t != "meta"}
    con.close()
    return out


def test_build_produces_every_table(seed_db):
    con = connect(seed_db)
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
              for t in FACT_TABLES + REFERENCE_TABLES + DERIVED_TABLES + ["transaction"]}
    con.close()
    empty = [t for t, n in counts.items() if n == 0 and t != "transaction"]  # the seeds state no transaction
    assert not empty, f"empty tables: {empty}"
    assert counts["project"] == 19
    assert counts["document"] == 5


def test_building_twice_gives_the_same_content(seed_db, tmp_path):
    again = build(tmp_path / "again.duckdb")
    assert table_contents(seed_db) == table_contents(again)


def test_failed_build_leaves_the_previous_database_untouched(tmp_path):
    db = build(tmp_path / "mekong.duckdb")
    before = sha256(db)
    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken, ignore=shutil.ignore_patterns("*.duckdb*"))
    with open(broken / "seed" / "participations.csv", "a", encoding="utf-8") as f:
        f.write("seed:lao-021,no-such-organisation,funding,s001-lux\n")
    with pytest.raises(IntegrityError, match="no-such-organisation"):
        build(db, data_dir=broken)
    assert sha256(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "mekong.duckdb", "mekong.duckdb.lock"]


def test_malformed_seed_csv_is_refused(tmp_path):
    db = build(tmp_path / "mekong.duckdb")
    before = sha256(db)
    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken, ignore=shutil.ignore_patterns("*.duckdb*"))
    with open(broken / "seed" / "budgets.csv", "a", encoding="utf-8") as f:
        f.write("seed:x,seed:lao-021,budget,original,,,not-a-number,EUR,false,,,,s001-lux\n")
    with pytest.raises(duckdb.Error):
        build(db, data_dir=broken)
    assert sha256(db) == before


def test_cli_build_and_first_start(tmp_path):
    db = tmp_path / "cli.duckdb"
    done = subprocess.run([sys.executable, "-m", "mekong", "build", "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert db.exists() and "built" in done.stdout
    missing = tmp_path / "first-start.duckdb"
    assert ensure_built(missing) == missing and missing.exists()


def test_an_outdated_default_database_is_rebuilt_on_start(tmp_path):
    from mekong.store import freshness
    from mekong.store.db import connect

    db = build(tmp_path / "old.duckdb")
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = 'older' WHERE key = 'data_hash'")
    con.execute("DELETE FROM project WHERE project_id = 'seed:pic-2'")
    con.close()
    assert freshness.verdict(db) == "rebuild"
    ensure_built(db)
    assert freshness.verdict(db) == "fresh"
    con = connect(db)
    assert con.execute("SELECT count(*) FROM project").fetchone()[0] == 19
    con.close()


def test_imported_data_is_kept_and_rederived_not_rebuilt(tmp_path):
    from mekong.store import freshness

    db = build(tmp_path / "imported.duckdb")
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO document (document_id, title, kind) VALUES ('upload', 'A partner file', 'spreadsheet')")
    con.execute("UPDATE meta SET value = 'older' WHERE key IN ('data_hash', 'derive_hash')")
    con.execute("DELETE FROM money")  # a derived table, as an older version left it
    con.close()
    assert freshness.verdict(db) == "rederive"
    ensure_built(db)
    assert freshness.verdict(db) == "fresh"
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM document WHERE document_id = 'upload'").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM money").fetchone()[0] > 0
    con.close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_hash'")
    con.close()
    with pytest.raises(freshness.OutdatedDatabase, match="import the files again"):
        ensure_built(db)
