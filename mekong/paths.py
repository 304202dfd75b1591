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
# DejaVu Sans (Debian's fonts-dejavu-core) for the pictures and the PDF brief: it covers
# French and Vietnamese accents.
FONT_DIR = Path(os.environ.get("MEKONG_FONTS", "/usr/share/fonts/truetype/dejavu"))


def default_db_path() -> Path:
    return Path(os.environ.get("MEKONG_DB", DATA_DIR / "mekong.duckdb"))
