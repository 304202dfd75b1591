"""`python -m mekong build`: the default database from the CSV files in data/."""
from pathlib import Path

import duckdb

from mekong.paths import DATA_DIR, default_db_path
from mekong.reference.load import load_fx_rates, load_reference
from mekong.store import freshness
from mekong.store.derive import check_integrity, derive
from mekong.store.health import DamagedDatabase, backup_path
from mekong.store.sqlfiles import script
from mekong.store.swap import clean_stale, replace_with

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


class HoldsImports(Exception):
    """A build would drop imported files: it needs force=True (`build --force`)."""


def build(db_path: Path | None = None, data_dir: Path = DATA_DIR, force: bool = False) -> Path:
    """The default portfolio in place of the file. A file that holds imported files, or
    that cannot be read (health.DamagedDatabase), is replaced only with force; the one
    replaced is kept as the backup when it could be read (a damaged file never replaces
    a good backup)."""
    db_path = Path(db_path or default_db_path())
    keep = False
    if db_path.exists():
        try:
            imported = freshness.read(db_path)[1]
        except DamagedDatabase:
            if not force:
                raise
            imported = 0
        if imported and not force:
            raise HoldsImports(f"{db_path} holds {imported} imported file(s); 'python -m mekong build --force' "
                               "replaces them with the default portfolio (the file is kept as "
                               f"{backup_path(db_path).name} for 'python -m mekong restore')")
        keep = bool(imported)

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        create_empty(con, data_dir)
        load_seed(con, data_dir / "seed")
        derive(con)
        check_integrity(con)
        freshness.record(con, data_dir)

    replace_with(db_path, fill, start_from_current=False, backup=keep)
    return db_path


def rederive(db_path: Path) -> None:
    """Recompute the derived tables of a database on a copy, facts untouched."""
    def fill(con: duckdb.DuckDBPyConnection) -> None:
        derive(con)
        check_integrity(con)

    replace_with(db_path, fill, start_from_current=True)


def ensure_built(db_path: Path | None = None) -> Path:
    """Build the default database if it is missing or was made from older data or code
    (first start of the dashboard, or after an update); see mekong/store/freshness.py.
    Raises health.DamagedDatabase for a file that cannot be read (never rebuilt in silence);
    removes the temporary files of an import that was killed."""
    db_path = Path(db_path or default_db_path())
    clean_stale(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        return build(db_path, force=True)
    verdict = freshness.verdict(db_path)  # raises DamagedDatabase
    if verdict == "rebuild":
        build(db_path, force=True)  # holds no imports: the CSV files are its source
    elif verdict == "rederive":
        rederive(db_path)
    elif verdict == "outdated":
        raise freshness.OutdatedDatabase(
            f"{db_path} holds imported data in an older database schema. Rebuild it with "
            "'python -m mekong build --db PATH' and import the files again.")
    return db_path
