"""Is the database file whole? A damaged file is never replaced in silence.

A file DuckDB cannot open, one shorter than the blocks in use its header counts (truncated by a
full disk, a copy that stopped, a crash of the file system) or one whose tables cannot be
read is *damaged*: the dashboard and the command line stop with a message naming the file,
the problem and the two ways back (`python -m mekong restore`, the copy an import kept
before it replaced the file, or `python -m mekong build --force`, the default portfolio
again). Only an empty file (nothing in it to lose) is treated like a missing one.
"""
from pathlib import Path

import duckdb

HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers


def backup_path(db_path: Path) -> Path:
    """The previous file, kept beside the database by every import (mekong/store/swap.py)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".bak")


class DamagedDatabase(Exception):
    """The database file exists but cannot be read; str() says what to do."""

    def __init__(self, path: Path, problem: str):
        self.path, self.problem = Path(path), problem
        backup = backup_path(self.path)
        restore = (f"'python -m mekong restore' puts back the copy kept before the last import ({backup.name})"
                   if backup.exists() else "no copy from before an import is kept beside it")
        super().__init__(
            f"the database file {self.path} cannot be read: {problem}. Nothing was changed. To recover: {restore}; "
            "or 'python -m mekong build --force' builds the default portfolio again (imported files are then "
            "gone and must be imported again).")


def problem_of(error: Exception) -> str:
    """The first line of DuckDB's message, without its 'IO Error:' prefix."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text.split(": ", 1)[1] if text.split(": ", 1)[0].endswith("Error") and ": " in text else text


def check_length(con: duckdb.DuckDBPyConnection, path: Path, catalog: str) -> None:
    """Raise DamagedDatabase when the file is shorter than the blocks in use DuckDB counts
    in it (free blocks at its end are cut off by DuckDB itself, so only those in use
    must be there)."""
    row = con.execute("SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = $c",
                      {"c": catalog}).fetchone()
    if row is None:
        return
    expected = HEADER_BYTES + row[0] * row[1]
    size = Path(path).stat().st_size
    if size < expected:
        raise DamagedDatabase(path, f"it is {size:,} bytes long but its header counts {expected:,} bytes of blocks "
                                    "in use (the file was cut short)")
