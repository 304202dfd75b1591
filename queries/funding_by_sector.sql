-- Money of one flow by DAC sector category and 5-digit sector, each activity's money
-- split by its sector percentages (only the selected sectors when the sector filter is
-- on). Buckets: '~split_unknown' (several sectors, no percentages: counted once, not
-- split), '~not_stated' (no sector).
WITH m AS (
    SELECT * FROM filtered_money($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
),
s AS (
    SELECT * FROM sector_share
    WHERE len($sector) + len($category) = 0 OR list_contains($sector, sector) OR list_contains($category, category)
),
known AS (SELECT project_id, bool_and(share IS NOT NULL) AS split_known FROM s GROUP BY project_id),
rows AS (
    SELECT s.category, s.sector, m.project_id, m.approximate, m.value * m.w_country * m.w_province * s.share AS v
    FROM m JOIN s USING (project_id) JOIN known k USING (project_id) WHERE k.split_known
    UNION ALL
    SELECT '~split_unknown', NULL, m.project_id, m.approximate, m.value * m.w_country * m.w_province
    FROM m JOIN known k USING (project_id) WHERE NOT k.split_known
    UNION ALL
    SELECT '~not_stated', NULL, m.project_id, m.approximate, m.value * m.w_country * m.w_province
    FROM m WHERE m.project_id NOT IN (SELECT project_id FROM known)
)
SELECT r.category,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END AS category_label,
       r.sector,
       CASE WHEN $lang = 'fr' THEN coalesce(se.name_fr, se.name_en) ELSE se.name_en END AS sector_label,
       sum(r.v) AS value, bool_or(r.approximate) AS approximate, count(DISTINCT r.project_id) AS n_projects
FROM rows r
LEFT JOIN sector_category c ON c.code = r.category
LEFT JOIN sector se ON se.code = r.sector
GROUP BY ALL
ORDER BY value DESC, r.category, r.sector;
