-- The filtered activities as a table, optionally narrowed by a text search over code,
-- titles, descriptions and organisation names. `budget` sums the activity's counted
-- budgets in the display currency (NULL: not disclosed or not converted).
WITH f AS (
    SELECT * FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
),
hit AS (
    SELECT f.pk, p.project_id FROM project p JOIN f USING (project_id)
    WHERE $q = ''
       OR concat_ws(' ', p.project_id, p.code, p.title_en, p.title_fr, p.description_en, p.description_fr) ILIKE '%' || replace(replace(replace($q, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'
       OR p.project_id IN (SELECT pa.project_id FROM participation pa JOIN organisation o USING (org_id)
                           WHERE concat_ws(' ', o.name_en, o.name_fr) ILIKE '%' || replace(replace(replace($q, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\')
)
SELECT p.project_id, p.code,
       CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END AS title,
       CASE WHEN $lang = 'fr' THEN coalesce(st.name_fr, st.name_en) ELSE st.name_en END AS status,
       CASE WHEN $lang = 'fr' THEN r.countries_fr ELSE r.countries_en END AS countries,
       CASE WHEN $lang = 'fr' THEN r.funders_fr ELSE r.funders_en END AS funders,
       s.start_date, s.start_precision, s.end_date, s.end_precision,
       CASE WHEN $currency = 'USD' THEN CASE WHEN r.n_not_usd = 0 THEN r.budget_usd END
            ELSE CASE WHEN r.n_not_eur = 0 THEN r.budget_eur END END AS budget,
       r.budget_approximate,
       r.budget_disclosed
FROM hit JOIN project p USING (project_id)
JOIN project_row r USING (pk)
LEFT JOIN project_span s USING (project_id)
LEFT JOIN codelist st ON st.list = 'ActivityStatus' AND st.code = p.status
ORDER BY s.start_date DESC NULLS LAST, title
LIMIT $limit;
