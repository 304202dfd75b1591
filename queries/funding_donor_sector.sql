-- Money of one flow by funder and DAC sector (for the treemap donor -> category ->
-- sector). Funder attribution as in funding_by_donor.sql, sector split as in
-- funding_by_sector.sql.
WITH m AS (  -- each activity's money per funder key, summed before it is split
    SELECT pk,
           coalesce(funder_id, CASE WHEN funder_name IS NOT NULL THEN 'name:' || funder_name END, '~' || funder_basis) AS donor_key,
           any_value(w_sector) AS w_sector, sum(value * w_country * w_province) AS v
    FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
    GROUP BY pk, donor_key
),
s AS (
    SELECT * FROM sector_share
    WHERE len($sector) + len($category) = 0 OR list_contains($sector, sector) OR list_contains($category, category)
),
-- whether each activity's split over the sectors is stated, NULL when it names none:
-- with a filter every activity here names a selected one and its share in them is
-- stated (those whose share is not stated are left to money_gaps.sql); without,
-- derive.sql worked it out
split AS (
    SELECT m.*, CASE WHEN len($sector) + len($category) > 0 THEN true ELSE pf.sector_split END AS split_known
    FROM m JOIN project_filter pf USING (pk)
),
rows AS (
    SELECT m.pk, m.donor_key, s.category, s.sector, m.v * s.share AS part
    FROM split m JOIN s USING (pk) WHERE m.split_known
    UNION ALL
    SELECT pk, donor_key, '~split_unknown', NULL, v FROM split WHERE NOT split_known
    UNION ALL
    SELECT pk, donor_key, '~not_stated', NULL, v FROM split WHERE split_known IS NULL
),
by_key AS (
    SELECT donor_key, category, sector, sum(part) AS value,
           count(*) AS n_projects  -- one row per activity, donor and sector
    FROM rows GROUP BY donor_key, category, sector
)
SELECT r.donor_key,
       -- the key is the organisation, 'name:' and the name stated, or a bucket ('~...')
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END,
                CASE WHEN starts_with(r.donor_key, 'name:') THEN substr(r.donor_key, 6) END) AS donor_label,
       r.category,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END AS category_label,
       r.sector,
       CASE WHEN $lang = 'fr' THEN coalesce(se.name_fr, se.name_en) ELSE se.name_en END AS sector_label,
       r.value, r.n_projects
FROM by_key r
LEFT JOIN organisation o ON o.org_id = r.donor_key
LEFT JOIN sector_category c ON c.code = r.category
LEFT JOIN sector se ON se.code = r.sector
ORDER BY r.value DESC;
