"""Recompute the derived tables and check the database before it replaces the old one."""
import datetime as dt

import duckdb

from mekong.store.sqlfiles import labelled_statements, script


class IntegrityError(Exception):
    """The data breaks a rule of mekong/store/sql/integrity.sql; the message lists what and where."""


def derive(con: duckdb.DuckDBPyConnection) -> None:
    from mekong.store import freshness

    con.execute(script("derive"))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('derived_at', $at)",
                {"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
    freshness.record(con)


def check_integrity(con: duckdb.DuckDBPyConnection, sample: int = 5) -> None:
    problems = []
    for label, sql in labelled_statements("integrity"):
        rows = con.execute(sql).fetchall()
        if rows:
            shown = "; ".join(" ".join(str(v) for v in r) for r in rows[:sample])
            more = f" (and {len(rows) - sample} more)" if len(rows) > sample else ""
            problems.append(f"{label}: {shown}{more}")
    if problems:
        raise IntegrityError("the data breaks these rules:\n- " + "\n- ".join(problems))
