"""Read access to the portfolio database for the dashboard.

One read-only DuckDB connection per database file, a cursor per query (a connection
used from two threads at once raises "connection is busy"). The file is replaced
atomically by builds and imports; each query checks the file's identity and reopens
when it changed, so every session sees the new data after the swap.
"""
import os
import threading
import warnings
from pathlib import Path

import duckdb
import pyarrow as pa

from mekong.sqlfiles import query as load_query

# DuckDB warns that Arrow from execute() copies the rows once more; on the small results
# of these queries the copy costs far less than the second bind that sql() makes.
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result makes an extra copy", category=UserWarning)

# Memory and threads are bounded so several app processes fit on one machine.
CONFIG = {"memory_limit": os.environ.get("MEKONG_DB_MEMORY", "512MB"), "threads": int(os.environ.get("MEKONG_DB_THREADS", "2"))}


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection. DuckDB shares one instance per file within a process and
    refuses a second connection with other settings, so everything opens it this way."""
    return duckdb.connect(str(path), read_only=True, config=CONFIG)


class Portfolio:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple | None = None

    def stamp(self) -> tuple:
        """Identity of the file on disk: changes when a build or import replaces it."""
        st = os.stat(self.path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def connection(self) -> duckdb.DuckDBPyConnection:
        stamp = self.stamp()
        with self._lock:
            if self._con is None or stamp != self._stamp:
                # The old connection is not closed: cursors in other threads may still be
                # reading the old file; it is released when the last of them is done.
                self._con = connect(self.path)
                self._stamp = stamp
            return self._con

    def query(self, name: str, params: dict | None = None) -> pa.Table:
        """Run queries/<name>.sql with the named parameters it uses, taken from `params`."""
        sql, names = load_query(name)
        params = params or {}
        missing = [n for n in names if n not in params]
        if missing:
            raise KeyError(f"query {name!r} needs parameters {missing}")
        cur = self.connection().cursor()
        try:
            # execute() rather than sql(): sql() binds the statement once more to build a
            # relation, a quarter of the time of a small query
            return cur.execute(sql, {n: params[n] for n in names}).to_arrow_table()
        finally:
            cur.close()

    def frame(self, name: str, params: dict | None = None):
        return self.query(name, params).to_pandas()
