-- The filtered activities as a table, optionally narrowed by a text search over code,
-- titles, descriptions and organisation names. `budget` sums the activity's counted
-- budgets in the display currency (NULL: not disclosed or not converted).
WITH f AS (
    SELECT * FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
hit AS (
    SELECT pk FROM f WHERE $q = ''
    UNION ALL
    SELECT f.pk FROM project p JOIN f USING (project_id)
    WHERE $q <> '' AND (
          concat_ws(' ', p.project_id, p.code, p.title_en, p.title_fr, p.description_en, p.description_fr) ILIKE '%' || replace(replace(replace($q, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'
       OR p.project_id IN (SELECT pa.project_id FROM participation pa JOIN organisation o USING (org_id)
                           WHERE concat_ws(' ', o.name_en, o.name_fr) ILIKE '%' || replace(replace(replace($q, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'))
),
ranked AS (SELECT h.pk, pf.project_id, pf.start_date FROM hit h JOIN project_filter pf USING (pk)),
-- the first $limit by start date (newest first) decide which activities can be on the
-- list at all: those starting no earlier than the last of them (all when it is undated)
cut AS (
    SELECT min(start_date) AS last_start, bool_or(start_date IS NULL) AS reaches_undated
    FROM (SELECT start_date FROM ranked ORDER BY start_date DESC NULLS LAST LIMIT $limit)
),
candidates AS (
    SELECT r.pk, r.project_id FROM ranked r, cut WHERE cut.reaches_undated OR r.start_date >= cut.last_start
)
SELECT p.project_id, p.code,
       CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END AS title,
       CASE WHEN $lang = 'fr' THEN coalesce(st.name_fr, st.name_en) ELSE st.name_en END AS status,
       CASE WHEN $lang = 'fr' THEN r.countries_fr ELSE r.countries_en END AS countries,
       CASE WHEN $lang = 'fr' THEN r.funders_fr ELSE r.funders_en END AS funders,
       s.start_date, s.start_precision, s.end_date, s.end_precision,
       CASE WHEN $currency = 'USD' THEN CASE WHEN r.n_not_usd = 0 THEN r.budget_usd END
            ELSE CASE WHEN r.n_not_eur = 0 THEN r.budget_eur END END AS budget,
       CASE WHEN $currency = 'USD' THEN r.budget_approximate_usd ELSE r.budget_approximate_eur END AS budget_approximate,
       r.budget_disclosed
FROM candidates c
JOIN project p USING (project_id)
JOIN project_row r USING (pk)
LEFT JOIN project_span s USING (project_id)
LEFT JOIN codelist st ON st.list = 'ActivityStatus' AND st.code = p.status AND st.version = codelist_version(p.iati_version)
ORDER BY s.start_date DESC NULLS LAST, title
LIMIT $limit;
