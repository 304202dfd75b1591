"""`python -m mekong build`: the default database from the CSV files in data/."""
from pathlib import Path

import duckdb

from mekong.paths import DATA_DIR, default_db_path
from mekong.reference.load import load_fx_rates, load_reference
from mekong.store import freshness
from mekong.store.derive import check_integrity, derive
from mekong.store.sqlfiles import script
from mekong.store.swap import replace_with

# Seed CSV file -> table, in an order where every row's references load first.
SEED_TABLES = [
    ("documents.csv", "document"),
    ("sources.csv", "source"),
    ("organisations.csv", "organisation"),
    ("projects.csv", "project"),
    ("project_dates.csv", "project_date"),
    ("participations.csv", "participation"),
    ("project_sectors.csv", "project_sector"),
    ("project_countries.csv", "project_country"),
    ("project_regions.csv", "project_region"),
    ("locations.csv", "location"),
    ("project_locations.csv", "project_location"),
    ("budgets.csv", "budget"),
    ("events.csv", "event"),
]


def load_seed(con: duckdb.DuckDBPyConnection, seed_dir: Path) -> None:
    for file, table in SEED_TABLES:
        # Table names come from the list above, never from input.
        con.execute(
            f'INSERT INTO "{table}" BY NAME '
            "SELECT * FROM read_csv($path, header = true, all_varchar = true, quote = '\"', escape = '\"')",
            {"path": str(seed_dir / file)},
        )


def create_empty(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> None:
    """Schema and reference data, no portfolio."""
    con.execute(script("schema"))
    load_reference(con, data_dir / "reference")
    load_fx_rates(con)


def build(db_path: Path | None = None, data_dir: Path = DATA_DIR) -> Path:
    db_path = Path(db_path or default_db_path())

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        create_empty(con, data_dir)
        load_seed(con, data_dir / "seed")
        derive(con)
        check_integrity(con)
        freshness.record(con, data_dir)

    replace_with(db_path, fill, start_from_current=False)
    return db_path


def rederive(db_path: Path) -> None:
    """Recompute the derived tables of a database on a copy, facts untouched."""
    def fill(con: duckdb.DuckDBPyConnection) -> None:
        derive(con)
        check_integrity(con)

    replace_with(db_path, fill, start_from_current=True)


def ensure_built(db_path: Path | None = None) -> Path:
    """Build the default database if it is missing or was made from older data or code
    (first start of the dashboard, or after an update); see mekong/store/freshness.py."""
    db_path = Path(db_path or default_db_path())
    if not db_path.exists():
        return build(db_path)
    verdict = freshness.verdict(db_path)
    if verdict == "rebuild":
        build(db_path)
    elif verdict == "rederive":
        rederive(db_path)
    elif verdict == "outdated":
        raise freshness.OutdatedDatabase(
            f"{db_path} holds imported data in an older database schema. Rebuild it with "
            "'python -m mekong build --db PATH' and import the files again.")
    return db_path
