"""Where things live. The database path can be moved with MEKONG_DB."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
REFERENCE_DIR = DATA_DIR / "reference"
QUERIES_DIR = ROOT / "queries"
SQL_DIR = Path(__file__).resolve().parent / "store" / "sql"
# The documents the default portfolio was curated from; absent in a user's clone.
SHARED_DIR = Path(os.environ.get("MEKONG_SHARED", ROOT.parent / "shared"))


def default_db_path() -> Path:
    return Path(os.environ.get("MEKONG_DB", DATA_DIR / "mekong.duckdb"))
