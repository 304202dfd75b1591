"""Read access to the portfolio database for the dashboard.

A read-only connection per version of the database file, a cursor per query (a
connection used from two threads at once raises "connection is busy"). The file is
replaced atomically by builds and imports; each query checks the file's identity and
opens the new file when it changed, so every session sees the new data after the swap.
A page run can pin the version it started on (`stamp`), so that all its charts come
from one file even when an import replaces it halfway through.
"""
import os
import tempfile
import threading
import warnings
from pathlib import Path

import duckdb
import pyarrow as pa

from mekong.store.sqlfiles import query as load_query

# DuckDB warns that Arrow from execute() copies the rows once more; on the small results
# of these queries the copy costs far less than the second bind that sql() makes.
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result makes an extra copy", category=UserWarning)

# Memory and threads are bounded so several app processes fit on one machine.
CONFIG = {"memory_limit": os.environ.get("MEKONG_DB_MEMORY", "512MB"), "threads": int(os.environ.get("MEKONG_DB_THREADS", "2")),
          "temp_directory": os.path.join(tempfile.gettempdir(), "mekong-duckdb")}
CATALOG = "portfolio"  # the name the file is attached under
KEEP_VERSIONS = 3  # versions of the file kept open for the page runs that started on them


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file as it is now.

    DuckDB keeps one instance per file path in a process and hands it out again to every
    connect(path) while a connection to it is open - also after the file was replaced,
    so reopening would keep reading the old file (duckdb/duckdb#15912). The file is
    attached to a new in-memory instance instead: each call reads the file that is there
    now, with this module's settings. Cursors start in the in-memory catalog: take them
    with cursor()."""
    con = duckdb.connect(config=CONFIG)
    con.execute(f"ATTACH $path AS {CATALOG} (READ_ONLY)", {"path": str(path)})
    con.execute(f"USE {CATALOG}")
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a connection made by connect(), reading the attached file."""
    cur = con.cursor()
    cur.execute(f"USE {CATALOG}")
    return cur


class Portfolio:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._versions: dict[tuple, duckdb.DuckDBPyConnection] = {}  # oldest first

    def stamp(self) -> tuple:
        """Identity of the file on disk: changes when a build or import replaces it."""
        st = os.stat(self.path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def connection(self, stamp: tuple | None = None) -> duckdb.DuckDBPyConnection:
        """The connection to the file as it is now, or to the version `stamp` while that
        one is still open."""
        now = self.stamp()  # before opening: a swap in between costs a reopen, never a stale file
        with self._lock:
            if stamp is not None and stamp in self._versions:
                return self._versions[stamp]
            if now not in self._versions:
                self._versions[now] = connect(self.path)
                # Older versions are let go, not closed: cursors in other threads may still
                # be reading them; each is released when the last of those is done.
                while len(self._versions) > KEEP_VERSIONS:
                    del self._versions[next(iter(self._versions))]
            return self._versions[now]

    def query(self, name: str, params: dict | None = None, stamp: tuple | None = None) -> pa.Table:
        """Run queries/<name>.sql with the named parameters it uses, taken from `params`
        (on the version `stamp` of the file when given and still open)."""
        sql, names = load_query(name)
        params = params or {}
        missing = [n for n in names if n not in params]
        if missing:
            raise KeyError(f"query {name!r} needs parameters {missing}")
        cur = cursor(self.connection(stamp))
        try:
            # execute() rather than sql(): sql() binds the statement once more to build a
            # relation, a quarter of the time of a small query
            # (a tuple is a list to SQL: the page cache keys lists as tuples)
            values = {n: list(params[n]) if isinstance(params[n], tuple) else params[n] for n in names}
            return cur.execute(sql, values).to_arrow_table()
        finally:
            cur.close()

    def frame(self, name: str, params: dict | None = None, stamp: tuple | None = None):
        return self.query(name, params, stamp).to_pandas()
