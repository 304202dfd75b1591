-- The date of the data the view shows ("data as of"), decided in one place with
-- mekong.views.describe.data_as_of: for each document behind the filtered activities, the
-- date it states for itself (an IATI file's generated-datetime, a publication date), else
-- the day it was fetched or retrieved, else the day it was loaded; the latest of these.
-- n_undated counts the documents with none of them (the curated seed pages state no date);
-- data_date is NULL when no document of the view is dated. For data fetched from the
-- internet (python -m mekong fetch, the Data page's "Load from IATI"): when it was fetched
-- (earliest and latest fetch, UTC) and the latest @last-updated-datetime its publishers
-- give the view's activities; NULL without fetched data.
WITH docs AS (
    SELECT DISTINCT document_id
    FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
), dated AS (
    SELECT coalesce(d.published, CAST(d.fetched_at AS DATE), d.retrieved, CAST(d.imported_at AS DATE)) AS day, d.fetched_at
    FROM docs JOIN document d USING (document_id)
)
SELECT max(day) AS data_date, count(*) FILTER (WHERE day IS NULL) AS n_undated, count(*) AS n_documents,
       min(fetched_at) AS fetched_from, max(fetched_at) AS fetched_to,
       (SELECT max(p.last_updated) FROM project p JOIN document f USING (document_id)
         WHERE f.fetched_at IS NOT NULL AND f.document_id IN (SELECT document_id FROM docs)) AS updated_to
FROM dated;
