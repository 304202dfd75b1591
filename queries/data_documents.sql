-- The documents the data comes from, with how many activities and cited passages each
-- one holds.
SELECT d.document_id, d.title, d.kind, d.publisher, d.url, d.file, d.language, d.imported_at,
       (SELECT count(*) FROM project p WHERE p.document_id = d.document_id) AS n_projects,
       (SELECT count(*) FROM source s WHERE s.document_id = d.document_id) AS n_sources
FROM document d
ORDER BY d.kind, d.document_id;
