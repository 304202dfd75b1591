"""Recompute the derived tables and check the database before it replaces the old one.

A build derives everything. An import touches a few activities: derive(con, touched)
recomputes only their rows of the tables whose rows belong to one activity, and the few
tables that span activities whole (mekong/store/sql/derive.sql says which is which), so
that adding 100 activities to 100,000 costs about what those 100 cost.
"""
import datetime as dt
import re

import duckdb
import pyarrow as pa

from mekong.store.sqlfiles import labelled_statements, script


class IntegrityError(Exception):
    """The data breaks a rule of mekong/store/sql/integrity.sql; the message lists what and where."""


_TABLE = re.compile(r"CREATE OR REPLACE TABLE (\w+) AS\s", re.I)
_HOW = re.compile(r"^-- derive: (project_id|pk|location_id|whole)\s*$", re.M)
# the old rows of the touched activities (or places), per kind of table
_DELETE = {
    "project_id": 'DELETE FROM "{t}" WHERE project_id IN (SELECT project_id FROM _touched)',
    "pk": 'DELETE FROM "{t}" WHERE pk IN (SELECT pk FROM _touched)',
    "location_id": 'DELETE FROM "{t}" WHERE location_id IN (SELECT location_id FROM _scope_location)',
}
_SCRATCH = ("_scope", "_touched", "_gone", "_scope_location")


def statements(sql: str) -> list[tuple[str | None, str | None, str]]:
    """(how, table, statement) of each statement of derive.sql: how is the '-- derive:'
    kind of a derived table, None for macros and the other statements."""
    out, lines = [], []
    for line in sql.splitlines():
        lines.append(line)
        if line.rstrip().endswith(";") and not line.lstrip().startswith("--"):
            text = "\n".join(lines).strip()
            lines = []
            code = "\n".join(x for x in text.splitlines() if not x.lstrip().startswith("--"))
            m, how = _TABLE.search(code), _HOW.findall(text)
            if m and not how:
                raise ValueError(f"derive.sql: table {m.group(1)} does not say how it is derived (-- derive: ...)")
            out.append((how[-1] if how else None, m.group(1) if m else None, code))
    return out


def _has_derived_tables(con) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'project_filter' AND NOT temporary"
                       ).fetchall()[0][0] > 0


def _scope(con, incremental: bool) -> None:
    """_scope: the activities whose rows are computed (all, or the touched ones that are
    still there); _touched: the activities whose old rows go (incremental only), with
    their numbers; _scope_location: the places whose rows are computed."""
    if not incremental:
        con.execute("CREATE OR REPLACE TEMP TABLE _scope AS SELECT project_id, pk FROM project_key")
        con.execute("CREATE OR REPLACE TEMP TABLE _scope_location AS SELECT location_id FROM location")
        return
    con.execute("CREATE OR REPLACE TEMP TABLE _scope AS SELECT project_id, pk FROM project_key "
                "WHERE project_id IN (SELECT project_id FROM _touched_ids)")
    con.execute("CREATE OR REPLACE TEMP TABLE _touched AS SELECT project_id, pk FROM _scope UNION SELECT * FROM _gone")


def derive(con: duckdb.DuckDBPyConnection, touched: list[str] | None = None) -> None:
    """Recompute the derived tables: all of them (touched None: a build, or a database
    derived by older code), or only the rows of the activities `touched` (added, replaced
    or removed by an import) when the derived tables are there to be kept up to date."""
    from mekong.store import freshness

    incremental = touched is not None and _has_derived_tables(con)
    if incremental:
        con.register("_touched_ids", pa.table({"project_id": pa.array(sorted(set(touched)), pa.string())}))
        # before project_key forgets them: the numbers of the activities that go, and the
        # places of the touched activities as they were and as they are
        con.execute("CREATE OR REPLACE TEMP TABLE _gone AS SELECT project_id, pk FROM project_key "
                    "WHERE project_id IN (SELECT project_id FROM _touched_ids)")
        con.execute("CREATE OR REPLACE TEMP TABLE _scope_location AS "
                    "SELECT location_id FROM location_city WHERE location_id NOT IN (SELECT location_id FROM location) "
                    "UNION SELECT location_id FROM project_location WHERE project_id IN (SELECT project_id FROM _touched_ids)")
    scoped = False
    for how, table, sql in statements(script("derive")):
        if how in ("project_id", "pk", "location_id") and not scoped:
            _scope(con, incremental)  # after project_key has numbered the new activities
            scoped = True
        if how in (None, "whole") or not incremental:
            con.execute(sql)
        else:
            con.execute(_DELETE[how].format(t=table))
            con.execute(f'INSERT INTO "{table}" BY NAME {sql[_TABLE.search(sql).end():]}')
    for name in _SCRATCH:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    if incremental:
        con.unregister("_touched_ids")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('derived_at', $at)",
                {"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
    freshness.record(con)


def check_integrity(con: duckdb.DuckDBPyConnection, touched: list[str] | None = None, sample: int = 5) -> None:
    """Refuse data that breaks a rule of integrity.sql: the rows of every activity, or,
    after an import, of the activities it touched (the others are as they were)."""
    if touched is None:
        con.execute("CREATE OR REPLACE TEMP TABLE _checked AS SELECT project_id FROM project")
    else:
        con.register("_checked_ids", pa.table({"project_id": pa.array(sorted(set(touched)), pa.string())}))
        con.execute("CREATE OR REPLACE TEMP TABLE _checked AS SELECT project_id FROM _checked_ids")
        con.unregister("_checked_ids")
    problems = []
    for label, sql in labelled_statements("integrity"):
        rows = con.execute(sql).fetchall()
        if rows:
            shown = "; ".join(" ".join(str(v) for v in r) for r in rows[:sample])
            more = f" (and {len(rows) - sample} more)" if len(rows) > sample else ""
            problems.append(f"{label}: {shown}{more}")
    con.execute("DROP TABLE _checked")
    if problems:
        raise IntegrityError("the data breaks these rules:\n- " + "\n- ".join(problems))
