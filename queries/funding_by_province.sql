-- Money of one flow by province (ISO 3166-2). An activity's share of a country is divided
-- equally between the provinces it names there (IATI gives no split by place). The part
-- of the money that names no province is the '~national' bucket ("national / regional,
-- not located"); '~split_unknown' when the activity's country split is not stated.
WITH m AS (
    SELECT * FROM filtered_money($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_country IS NOT NULL
),
s AS (
    SELECT * FROM province_share
    WHERE (len($province) = 0 OR list_contains($province, province))
      AND (len($country) = 0 OR list_contains($country, country))
),
known AS (SELECT project_id, bool_and(share IS NOT NULL) AS split_known, sum(share) AS located FROM s GROUP BY project_id),
rows AS (
    SELECT s.province AS key, m.project_id, m.approximate, m.value * m.w_sector * s.share AS v
    FROM m JOIN s USING (project_id) JOIN known k USING (project_id) WHERE k.split_known
    UNION ALL
    SELECT '~split_unknown', m.project_id, m.approximate, m.value * m.w_sector * m.w_country
    FROM m JOIN known k USING (project_id) WHERE NOT k.split_known
    UNION ALL
    SELECT '~national', m.project_id, m.approximate,
           m.value * m.w_sector * (m.w_country - coalesce(k.located, 0))
    FROM m LEFT JOIN known k USING (project_id)
    WHERE len($province) = 0 AND coalesce(k.split_known, true)
)
SELECT r.key, pr.name AS label, pr.country,
       sum(r.v) AS value, bool_or(r.approximate) AS approximate, count(DISTINCT r.project_id) AS n_projects
FROM rows r LEFT JOIN province pr ON pr.iso = r.key
WHERE r.v IS NULL OR abs(r.v) > 1e-9
GROUP BY ALL
ORDER BY value DESC, r.key;
