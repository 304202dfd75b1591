"""Is the database on disk made by this code from this data?

A build or import records fingerprints of the schema, of the derivation SQL and of the
curated data in the `meta` table. When the dashboard starts on an older file:
- made from older seed or reference data, or with another schema, and holding only the
  default portfolio: it is rebuilt (nothing is lost: the CSV files are the source);
- holding imported or synthetic data and made with another derivation: the derived
  tables are recomputed on a copy (the facts stay as they are);
- holding imported data with another schema: the dashboard says so rather than guess;
- that cannot be read: it stops with health.DamagedDatabase (never rebuilt in silence).
"""
import hashlib
from pathlib import Path

import duckdb

from mekong.paths import DATA_DIR, SQL_DIR
from mekong.store import health


class OutdatedDatabase(Exception):
    """The database holds imported data in a schema this version cannot read."""


def _digest(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def schema_hash() -> str:
    return _digest([SQL_DIR / "schema.sql"])


def derive_hash() -> str:
    return _digest([SQL_DIR / "derive.sql", SQL_DIR / "integrity.sql"])


def data_hash(data_dir: Path = DATA_DIR) -> str:
    files = [p for d in ("seed", "reference") for p in (data_dir / d).rglob("*") if p.suffix in (".csv", ".geojson")]
    return _digest(files)


def record(con: duckdb.DuckDBPyConnection, data_dir: Path | None = None) -> None:
    """Write the fingerprints of this code (and of the seed data, for a build)."""
    rows = [("schema_hash", schema_hash()), ("derive_hash", derive_hash())]
    if data_dir is not None:
        rows.append(("data_hash", data_hash(data_dir)))
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", rows)


def read(path: Path) -> tuple[dict[str, str], int]:
    """The meta values of a database file and how many non-seed documents it holds.

    An empty file holds nothing; one without these tables holds no imports. Any other
    failure to read it raises health.DamagedDatabase: a file whose imports cannot be
    counted is never taken for one that has none."""
    from mekong.store.db import CATALOG, connect

    if Path(path).stat().st_size == 0:
        return {}, 0
    try:
        con = connect(path)
    except duckdb.Error as e:
        raise health.DamagedDatabase(path, health.problem_of(e)) from None
    try:
        health.check_length(con, path, CATALOG)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        except duckdb.CatalogException:
            meta = {}
        try:
            imported = con.execute("SELECT count(*) FROM document WHERE kind <> 'seed'").fetchone()[0]
        except duckdb.CatalogException:
            imported = 0
    except duckdb.Error as e:
        raise health.DamagedDatabase(path, health.problem_of(e)) from None
    finally:
        con.close()
    return meta, imported


def verdict(path: Path, data_dir: Path = DATA_DIR) -> str:
    """'fresh', 'rebuild', 'rederive' or 'outdated'."""
    meta, imported = read(path)
    if meta.get("schema_hash") != schema_hash():
        return "outdated" if imported else "rebuild"
    if not imported and meta.get("data_hash") != data_hash(data_dir):
        return "rebuild"
    if meta.get("derive_hash") != derive_hash():
        return "rederive"
    return "fresh"
