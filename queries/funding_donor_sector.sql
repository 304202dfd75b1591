-- Money of one flow by funder and DAC sector (for the treemap donor -> category ->
-- sector). Funder attribution as in funding_by_donor.sql, sector split as in
-- funding_by_sector.sql.
WITH m AS (  -- each activity's money per funder key, summed before it is split
    SELECT pk,
           coalesce(funder_id, CASE WHEN funder_name IS NOT NULL THEN 'name:' || funder_name END, '~' || funder_basis) AS donor_key,
           sum(value * w_country * w_province) AS v
    FROM filtered_amounts($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
    GROUP BY pk, donor_key
),
s AS (
    SELECT * FROM sector_share
    WHERE len($sector) + len($category) = 0 OR list_contains($sector, sector) OR list_contains($category, category)
),
known AS (SELECT pk, bool_and(share IS NOT NULL) AS split_known FROM s GROUP BY pk),
rows AS (
    SELECT m.*, s.category, s.sector, m.v * s.share AS part
    FROM m JOIN s USING (pk) JOIN known k USING (pk) WHERE k.split_known
    UNION ALL
    SELECT m.*, '~split_unknown', NULL, m.v
    FROM m JOIN known k USING (pk) WHERE NOT k.split_known
    UNION ALL
    SELECT m.*, '~not_stated', NULL, m.v
    FROM m WHERE m.pk NOT IN (SELECT pk FROM known)
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
