-- Money of one flow by funder. A row counts for the organisation it names (budget
-- contributor, provider of incoming funds), else for the activity's only funder; rows of
-- activities with several funders and no stated split go to the '~several funders'
-- bucket and are never divided. Values in the display currency, split by the selected
-- sectors, countries and provinces.
WITH m AS (
    SELECT * FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL
      AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
),
-- the key names the organisation, the stated name or the bucket; labels are joined after
by_key AS (
    SELECT coalesce(funder_id, CASE WHEN funder_name IS NOT NULL THEN 'name:' || funder_name END, '~' || funder_basis) AS key,
           any_value(funder_id) AS funder_id, any_value(funder_name) AS funder_name,
           sum(value * w_sector * w_country * w_province) AS value,
           bool_or(approximate) AS approximate,
           count(DISTINCT pk) AS n_projects
    FROM m GROUP BY 1
)
SELECT b.key,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END, b.funder_name) AS label,
       b.value, b.approximate, b.n_projects
FROM by_key b LEFT JOIN organisation o ON o.org_id = b.funder_id
ORDER BY b.value DESC, b.key;
