-- The filtered activities on a time line: start and end (actual where known, planned
-- otherwise, with the precision they are known at), status, programme and funders.
WITH f AS (
    SELECT pf.pk, pf.project_id, pf.start_date
    FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
    JOIN project_filter pf USING (pk)
),
-- the first $limit by start date decide which activities can be on the list at all:
-- those starting no later than the last of them (all of them when that one is undated)
cut AS (
    SELECT max(start_date) AS last_start, bool_or(start_date IS NULL) AS reaches_undated
    FROM (SELECT start_date FROM f ORDER BY start_date NULLS LAST LIMIT $limit)
),
candidates AS (
    SELECT f.pk, f.project_id FROM f, cut WHERE cut.reaches_undated OR f.start_date <= cut.last_start
)
SELECT p.project_id, p.code,
       CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END AS title,
       p.status,
       CASE WHEN $lang = 'fr' THEN coalesce(st.name_fr, st.name_en) ELSE st.name_en END AS status_label,
       p.hierarchy, p.parent_id,
       s.start_date, s.start_actual, s.start_precision, s.end_date, s.end_actual, s.end_precision,
       CASE WHEN $lang = 'fr' THEN r.funders_fr ELSE r.funders_en END AS funders,
       CASE WHEN $lang = 'fr' THEN r.countries_fr ELSE r.countries_en END AS countries
FROM candidates c
JOIN project p USING (project_id)
LEFT JOIN project_span s USING (project_id)
LEFT JOIN project_row r USING (pk)
LEFT JOIN codelist st ON st.list = 'ActivityStatus' AND st.code = p.status AND st.version = codelist_version(p.iati_version)
ORDER BY s.start_date NULLS LAST, coalesce(p.parent_id, p.project_id), p.hierarchy, title
LIMIT $limit;
