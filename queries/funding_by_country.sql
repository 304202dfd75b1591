-- Money of one flow by recipient country or region, each activity's money split by its
-- country/region percentages (only the selected countries when the country filter is
-- on). Buckets: '~split_unknown' (several countries, no percentages: counted once),
-- '~not_stated' (no country or region). Region keys look like 'region:99:MEKONG'.
WITH m AS (  -- each activity's money, summed before it is split
    SELECT pk, any_value(w_country) AS w_country, sum(value * w_sector * w_province) AS v, bool_or(approximate) AS approximate
    FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
    GROUP BY pk
),
s AS (
    SELECT * FROM country_share WHERE len($country) = 0 OR list_contains($country, country)
),
-- whether each activity's split over the countries is stated, NULL when it names none:
-- with a filter every activity here names a selected one and its share in them is
-- stated (those whose share is not stated are left to money_gaps.sql); without,
-- derive.sql worked it out
split AS (
    SELECT m.*, CASE WHEN len($country) > 0 THEN true ELSE pf.country_split END AS split_known
    FROM m JOIN project_filter pf USING (pk)
),
rows AS (
    SELECT coalesce(s.country, 'region:' || s.region) AS key, m.pk, m.approximate, m.v * s.share AS v
    FROM split m JOIN s USING (pk) WHERE m.split_known
    UNION ALL
    SELECT '~split_unknown', pk, approximate, v FROM split WHERE NOT split_known
    UNION ALL
    SELECT '~not_stated', pk, approximate, v FROM split WHERE split_known IS NULL
),
by_key AS (
    -- one row per activity and key: count(*) counts activities
    SELECT key, sum(v) AS value, bool_or(approximate) AS approximate, count(*) AS n_projects
    FROM rows GROUP BY key
)
SELECT r.key,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en, rg.name_fr, rg.name_en) ELSE coalesce(c.name_en, rg.name_en) END AS label,
       r.value, r.approximate, r.n_projects,
       NOT coalesce(c.mekong, true) AS outside  -- a country outside the five: the chart says so
FROM by_key r
LEFT JOIN country c ON c.iso2 = r.key
LEFT JOIN region rg ON 'region:' || rg.vocabulary || ':' || rg.code = r.key
ORDER BY r.value DESC, r.key;
