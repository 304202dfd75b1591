-- The sources fetched from the internet (python -m mekong fetch, the Data page's "Load
-- from IATI"): a d-portal country (dportal:KH) or a file's address (url:...), when it was
-- fetched (UTC), its activities and the latest @last-updated-datetime among them.
-- No parameters.
SELECT d.document_id, d.title, d.url, d.fetched_at, d.imported_at,
       count(p.project_id) AS n_activities, max(p.last_updated) AS last_updated
FROM document d LEFT JOIN project p USING (document_id)
WHERE d.fetched_at IS NOT NULL
GROUP BY ALL
ORDER BY d.document_id;
