-- When the data was last built or imported (the "data as of" date) and, for data fetched
-- from the internet (python -m mekong fetch, the Data page's "Load from IATI"), when it
-- was fetched (earliest and latest fetch, UTC) and the latest @last-updated-datetime its
-- publishers give its activities. One row; the fetch columns are NULL without fetched data.
SELECT (SELECT CAST(value AS TIMESTAMP) FROM meta WHERE key = 'derived_at') AS derived_at,
       min(d.fetched_at) AS fetched_from, max(d.fetched_at) AS fetched_to,
       (SELECT max(p.last_updated) FROM project p JOIN document f USING (document_id)
         WHERE f.fetched_at IS NOT NULL) AS updated_to
FROM document d WHERE d.fetched_at IS NOT NULL;
