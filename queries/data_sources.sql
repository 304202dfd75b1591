-- What is loaded, per document (imported file or curated seed document): where it came
-- from, when it was imported (and fetched, for data fetched from the internet), and how
-- many activities, budgets, planned disbursements, transactions, locations and import
-- deviations (errors = elements left out) it holds.
-- No parameters.
WITH p AS (SELECT project_id, document_id FROM project)
SELECT d.document_id, d.kind, d.title, d.file, d.url, d.publisher, d.published, d.imported_at, d.fetched_at,
       d.sha256, d.note,
       (SELECT count(*) FROM p WHERE p.document_id = d.document_id) AS n_activities,
       (SELECT count(*) FROM budget b JOIN p USING (project_id)
         WHERE p.document_id = d.document_id AND b.kind = 'budget') AS n_budgets,
       (SELECT count(*) FROM budget b JOIN p USING (project_id)
         WHERE p.document_id = d.document_id AND b.kind = 'planned_disbursement') AS n_planned_disbursements,
       (SELECT count(*) FROM "transaction" t JOIN p USING (project_id) WHERE p.document_id = d.document_id) AS n_transactions,
       (SELECT count(*) FROM project_location l JOIN p USING (project_id) WHERE p.document_id = d.document_id) AS n_locations,
       (SELECT count(*) FROM import_deviation x WHERE x.document_id = d.document_id) AS n_deviations,
       (SELECT count(*) FROM import_deviation x WHERE x.document_id = d.document_id AND x.severity = 'error') AS n_errors
FROM document d
ORDER BY d.kind = 'seed', d.imported_at DESC NULLS LAST, d.document_id;
