"""Is the database on disk made by this code from this data?

A build or import records fingerprints of the schema, of the derivation SQL and of the
curated data in the `meta` table. When the dashboard starts on an older file:
- made from older seed or reference data, or with another schema, and holding only the
  default portfolio: it is rebuilt (nothing is lost: the CSV files are the source);
- holding imported or synthetic data and made with another derivation: the derived
  tables are recomputed on a copy (the facts stay as they are);
- holding imported data with another schema: the dashboard says so rather than guess.
"""
import hashlib
from pathlib import Path

import duckdb

from mekong.paths import DATA_DIR, SQL_DIR


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
    """The meta values of a database file and how many non-seed documents it holds."""
    from mekong.store.db import connect

    con = connect(path)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        imported = con.execute("SELECT count(*) FROM document WHERE kind <> 'seed'").fetchone()[0]
    except duckdb.Error:
        meta, imported = {}, 0
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
