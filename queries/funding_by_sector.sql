-- Money of one flow by DAC sector category and 5-digit sector, each activity's money
-- split by its sector percentages (only the selected sectors when the sector filter is
-- on). Buckets: '~split_unknown' (several sectors, no percentages: counted once, not
-- split), '~not_stated' (no sector).
WITH m AS (  -- each activity's money, summed before it is split
    SELECT pk, any_value(w_sector) AS w_sector, sum(value * w_country * w_province) AS v, bool_or(approximate) AS approximate
    FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
    GROUP BY pk
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
    SELECT s.category, s.sector, m.pk, m.approximate, m.v * s.share AS v
    FROM split m JOIN s USING (pk) WHERE m.split_known
    UNION ALL
    SELECT '~split_unknown', NULL, pk, approximate, v FROM split WHERE NOT split_known
    UNION ALL
    SELECT '~not_stated', NULL, pk, approximate, v FROM split WHERE split_known IS NULL
),
by_key AS (
    -- one row per activity and sector: count(*) counts activities
    SELECT category, sector, sum(v) AS value, bool_or(approximate) AS approximate, count(*) AS n_projects
    FROM rows GROUP BY category, sector
)
SELECT r.category,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END AS category_label,
       r.sector,
       CASE WHEN $lang = 'fr' THEN coalesce(se.name_fr, se.name_en) ELSE se.name_en END AS sector_label,
       r.value, r.approximate, r.n_projects
FROM by_key r
LEFT JOIN sector_category c ON c.code = r.category
LEFT JOIN sector se ON se.code = r.sector
ORDER BY r.value DESC, r.category, r.sector;
