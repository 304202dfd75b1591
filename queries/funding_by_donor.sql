-- Money of one flow by funder. A row counts for the organisation it names (budget
-- contributor, provider of incoming funds), else for the activity's only funder; rows of
-- activities with several funders and no stated split go to the '~several funders'
-- bucket and are never divided. Values in the display currency, split by the selected
-- sectors, countries and provinces.
WITH m AS (
    SELECT * FROM filtered_money($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
)
SELECT coalesce(m.funder_id, CASE WHEN m.funder_name IS NOT NULL THEN 'name:' || m.funder_name END, '~' || m.funder_basis) AS key,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END, m.funder_name) AS label,
       sum(m.value * m.w_sector * m.w_country * m.w_province) AS value,
       bool_or(m.approximate) AS approximate,
       count(DISTINCT m.project_id) AS n_projects
FROM m LEFT JOIN organisation o ON o.org_id = m.funder_id
WHERE m.donor_attributed AND m.value IS NOT NULL
  AND m.w_sector IS NOT NULL AND m.w_country IS NOT NULL AND m.w_province IS NOT NULL
GROUP BY ALL
ORDER BY value DESC, key;
