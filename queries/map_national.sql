-- Money of one flow that names no province, by recipient country or region: the map
-- shows it beside the provinces as "national / regional, not located" instead of
-- spreading it over them. Per activity and country: its share of the country minus the
-- shares that funding_by_province.sql's equal split gives the provinces it names there;
-- per region: the region's share. The rows add up to funding_by_province's '~national'
-- bucket. Keys: ISO country codes, 'region:<vocabulary>:<code>', '~split_unknown'
-- (several countries with no percentages) and '~not_stated' (no country or region, or
-- percentages that do not add up to 100). Empty when the province filter is on.
WITH m AS (
    SELECT * FROM filtered_money($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_country IS NOT NULL
),
ps AS (
    SELECT * FROM province_share WHERE len($country) = 0 OR list_contains($country, country)
),
known AS (SELECT project_id, bool_and(share IS NOT NULL) AS split_known, sum(share) AS located FROM ps GROUP BY project_id),
located AS (SELECT project_id, country, sum(share) AS share FROM ps GROUP BY ALL),
cs AS (
    SELECT * FROM country_share
    WHERE len($country) = 0 OR list_contains($country, country)  -- regions only with no country filter
),
cs_known AS (
    SELECT project_id, bool_and(share IS NOT NULL) AS split_known, bool_or(country IS NOT NULL) AS has_country
    FROM cs GROUP BY project_id
),
-- what funding_by_province counts as not located, per activity (a share of its money)
national AS (
    SELECT DISTINCT m.project_id, m.w_country - coalesce(k.located, 0) AS share,
           coalesce(c.split_known, true) AS split_known, coalesce(c.has_country, false) AS has_country,
           coalesce(k.located, 0) AS located
    FROM m LEFT JOIN known k USING (project_id) LEFT JOIN cs_known c USING (project_id)
    WHERE coalesce(k.split_known, true)
),
by_key AS (
    -- a region keeps nothing unlocated when the activity names provinces but no country
    -- (derive.sql gives those provinces all of its money)
    SELECT n.project_id, coalesce(cs.country, 'region:' || cs.region) AS key,
           CASE WHEN cs.country IS NULL THEN cs.share * CASE WHEN n.has_country THEN 1 ELSE 1 - n.located END
                ELSE cs.share - coalesce(l.share, 0) END AS share
    FROM national n JOIN cs USING (project_id)
    LEFT JOIN located l ON l.project_id = cs.project_id AND l.country = cs.country
    WHERE n.split_known
),
keyed AS (
    SELECT b.* FROM by_key b
    UNION ALL
    -- what is left: percentages that do not add up to 100, no country or region at all,
    -- or several countries with no percentages
    SELECT n.project_id, CASE WHEN n.split_known THEN '~not_stated' ELSE '~split_unknown' END,
           n.share - coalesce((SELECT sum(b.share) FROM by_key b WHERE b.project_id = n.project_id), 0)
    FROM national n
),
rows AS (
    SELECT k.key, m.project_id, m.approximate, m.value * m.w_sector * k.share AS v
    FROM m JOIN keyed k USING (project_id)
)
SELECT r.key,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en, rg.name_fr, rg.name_en) ELSE coalesce(c.name_en, rg.name_en) END AS label,
       sum(r.v) AS value, bool_or(r.approximate) AS approximate, count(DISTINCT r.project_id) AS n_projects
FROM rows r
LEFT JOIN country c ON c.iso2 = r.key
LEFT JOIN region rg ON 'region:' || rg.vocabulary || ':' || rg.code = r.key
WHERE len($province) = 0 AND abs(r.v) > 1e-9
GROUP BY ALL
ORDER BY value DESC, r.key;
