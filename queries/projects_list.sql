-- The filtered activities as a table, optionally narrowed by a text search over code,
-- titles, descriptions and organisation names. `budget` sums the activity's counted
-- budgets in the display currency (NULL: not disclosed or not converted).
WITH f AS (
    SELECT * FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
),
hit AS (
    SELECT p.project_id FROM project p JOIN f USING (project_id)
    WHERE $q = ''
       OR concat_ws(' ', p.project_id, p.code, p.title_en, p.title_fr, p.description_en, p.description_fr) ILIKE '%' || replace(replace(replace($q, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'
       OR p.project_id IN (SELECT pa.project_id FROM participation pa JOIN organisation o USING (org_id)
                           WHERE concat_ws(' ', o.name_en, o.name_fr) ILIKE '%' || replace(replace(replace($q, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\')
),
budget AS (
    SELECT project_id,
           sum(CASE WHEN $currency = 'USD' THEN amount_usd ELSE amount_eur END) AS value,
           count(*) FILTER (WHERE amount IS NOT NULL AND (CASE WHEN $currency = 'USD' THEN amount_usd ELSE amount_eur END) IS NULL) AS n_not_converted,
           bool_or(approximate) AS approximate
    FROM money_row WHERE flow = 'budget' AND counted AND amount IS NOT NULL
    GROUP BY project_id
)
SELECT p.project_id, p.code,
       CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END AS title,
       CASE WHEN $lang = 'fr' THEN coalesce(st.name_fr, st.name_en) ELSE st.name_en END AS status,
       (SELECT string_agg(DISTINCT coalesce(CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END, cs.country), ', ')
          FROM country_share cs LEFT JOIN country c ON c.iso2 = cs.country
         WHERE cs.project_id = p.project_id AND cs.country IS NOT NULL) AS countries,
       (SELECT string_agg(DISTINCT CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END, ', ')
          FROM participation pa JOIN organisation o USING (org_id)
         WHERE pa.project_id = p.project_id AND pa.role = 'funding') AS funders,
       s.start_date, s.start_precision, s.end_date, s.end_precision,
       CASE WHEN b.n_not_converted = 0 THEN b.value END AS budget,
       b.approximate AS budget_approximate,
       b.project_id IS NOT NULL AS budget_disclosed
FROM hit JOIN project p USING (project_id)
LEFT JOIN project_span s USING (project_id)
LEFT JOIN codelist st ON st.list = 'ActivityStatus' AND st.code = p.status
LEFT JOIN budget b USING (project_id)
ORDER BY s.start_date DESC NULLS LAST, title
LIMIT $limit;
