-- Money of one flow by implementing organisation: the activity's only implementer, else
-- '~several' (several implementers, the split between them not stated: counted once,
-- never divided) or '~none' (no implementer stated), as on the sankey. Values in the
-- display currency, split by the selected sectors, countries and provinces.
WITH m AS (
    SELECT pk, sum(value * w_sector * w_country * w_province) AS v, bool_or(approximate) AS approximate
    FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
    WHERE donor_attributed AND value IS NOT NULL
      AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
    GROUP BY pk
),
by_key AS (
    SELECT pf.implementer_key AS key, sum(m.v) AS value, bool_or(m.approximate) AS approximate, count(*) AS n_projects
    FROM m JOIN project_filter pf USING (pk)
    GROUP BY pf.implementer_key
)
SELECT b.key, CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END AS label,
       b.value, b.approximate, b.n_projects
FROM by_key b LEFT JOIN organisation o ON o.org_id = b.key
ORDER BY b.value DESC, b.key;
