-- The documents behind the activities under the current filters (for the stamp line,
-- slides and exported files), with how many of those activities each one describes
-- (their sum: how many activities match, the pages' "nothing matches" test) and what
-- dates the view's "data as of" (mekong.views.describe.data_as_of):
--   day         the date the document states for itself (an IATI file's
--               generated-datetime, a publication date), else the day it was fetched or
--               retrieved, else the day it was loaded; NULL for none (the curated seed
--               pages state no date)
--   fetched_at  when it was fetched from the internet (python -m mekong fetch, the Data
--               page's "Load from IATI"), UTC; NULL when it was not
--   updated_to  for a fetched document, the latest @last-updated-datetime its
--               publisher gives its activities
WITH f AS (
    SELECT document_id, count(*) AS n_projects
    FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
    GROUP BY document_id
),
updated AS (
    SELECT document_id, max(last_updated) AS updated_to FROM project
    WHERE document_id IN (SELECT document_id FROM f JOIN document USING (document_id) WHERE fetched_at IS NOT NULL)
    GROUP BY document_id
)
SELECT d.document_id, d.title, d.publisher, d.kind, d.file, d.url, f.n_projects,
       coalesce(d.published, CAST(d.fetched_at AS DATE), d.retrieved, CAST(d.imported_at AS DATE)) AS day,
       d.fetched_at, u.updated_to
FROM f
JOIN document d USING (document_id)
LEFT JOIN updated u USING (document_id)
ORDER BY f.n_projects DESC, d.title;
