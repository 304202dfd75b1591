-- Every source passage behind one activity's rows, with its document, so the page can
-- show where each fact comes from.
WITH cited AS (
    SELECT source_id, 'project' AS fact FROM project WHERE project_id = $project_id
    UNION SELECT status_source_id, 'status' FROM project WHERE project_id = $project_id AND status_source_id IS NOT NULL
    UNION SELECT stated_total_source_id, 'budgets' FROM project WHERE project_id = $project_id AND stated_total_source_id IS NOT NULL
    UNION SELECT source_id, 'dates' FROM project_date WHERE project_id = $project_id
    UNION SELECT source_id, 'partners' FROM participation WHERE project_id = $project_id
    UNION SELECT source_id, 'sectors' FROM project_sector WHERE project_id = $project_id
    UNION SELECT source_id, 'places' FROM project_country WHERE project_id = $project_id
    UNION SELECT source_id, 'places' FROM project_region WHERE project_id = $project_id
    UNION SELECT source_id, 'places' FROM project_location WHERE project_id = $project_id
    UNION SELECT source_id, 'budgets' FROM budget WHERE project_id = $project_id
    UNION SELECT source_id, 'transactions' FROM "transaction" WHERE project_id = $project_id
    UNION SELECT source_id, 'events' FROM event WHERE project_id = $project_id
)
SELECT s.source_id, string_agg(DISTINCT c.fact, ', ' ORDER BY c.fact) AS facts, s.passage, s.note,
       d.document_id, d.title AS document, d.publisher, d.url, d.file, d.kind, d.language
FROM cited c JOIN source s USING (source_id) JOIN document d USING (document_id)
GROUP BY ALL
ORDER BY d.document_id, min(c.fact), s.source_id
LIMIT $limit;
