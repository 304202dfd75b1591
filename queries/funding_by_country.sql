-- Money of one flow by recipient country or region, each activity's money split by its
-- country/region percentages (only the selected countries when the country filter is
-- on). Buckets: '~split_unknown' (several countries, no percentages: counted once),
-- '~not_stated' (no country or region). Region keys look like 'region:99:MEKONG'.
WITH m AS (
    SELECT * FROM filtered_money($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_province IS NOT NULL
),
s AS (
    SELECT * FROM country_share WHERE len($country) = 0 OR list_contains($country, country)
),
known AS (SELECT project_id, bool_and(share IS NOT NULL) AS split_known FROM s GROUP BY project_id),
rows AS (
    SELECT coalesce(s.country, 'region:' || s.region) AS key, m.project_id, m.approximate,
           m.value * m.w_sector * m.w_province * s.share AS v
    FROM m JOIN s USING (project_id) JOIN known k USING (project_id) WHERE k.split_known
    UNION ALL
    SELECT '~split_unknown', m.project_id, m.approximate, m.value * m.w_sector * m.w_province
    FROM m JOIN known k USING (project_id) WHERE NOT k.split_known
    UNION ALL
    SELECT '~not_stated', m.project_id, m.approximate, m.value * m.w_sector * m.w_province
    FROM m WHERE m.project_id NOT IN (SELECT project_id FROM known)
)
SELECT r.key,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en, rg.name_fr, rg.name_en) ELSE coalesce(c.name_en, rg.name_en) END AS label,
       sum(r.v) AS value, bool_or(r.approximate) AS approximate, count(DISTINCT r.project_id) AS n_projects
FROM rows r
LEFT JOIN country c ON c.iso2 = r.key
LEFT JOIN region rg ON 'region:' || rg.vocabulary || ':' || rg.code = r.key
GROUP BY ALL
ORDER BY value DESC, r.key;
