"""Writing the database file safely.

Readers (the dashboard) keep the file open read only, and DuckDB will not let a writer
open a file another process holds. So every change is made on a new file - built from
scratch or copied from the current one - and then renamed over the old one with
os.replace(), which is atomic: a reader sees the old database or the new one, never a
half-written one. A lock file serialises writers so two imports cannot both copy the
same old file and lose one another's change.
"""
import fcntl
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import duckdb


@contextmanager
def writer_lock(target: Path):
    lock_path = target.with_name(target.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def replace_with(target: Path, fill: Callable[[duckdb.DuckDBPyConnection], None], *, start_from_current: bool) -> None:
    """Make a new database file with `fill` and put it in place of `target`.

    With start_from_current the new file starts as a copy of `target` (an import);
    otherwise it starts empty (a build). `fill` runs inside one transaction: if it
    raises, nothing is renamed and `target` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(target):
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            if start_from_current:
                shutil.copyfile(target, tmp)
            con = duckdb.connect(str(tmp))
            try:
                con.execute("BEGIN TRANSACTION")
                fill(con)
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            os.replace(tmp, target)
        finally:
            _remove(tmp)
