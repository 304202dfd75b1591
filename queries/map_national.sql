-- Money of one flow that names no province, by recipient country or region: the map
-- shows it beside the provinces as "national / regional, not located" instead of
-- spreading it over them. Per activity and country: its share of the country minus the
-- shares that funding_by_province.sql's equal split gives the provinces it names there;
-- per region: the region's share. The rows add up to funding_by_province's '~national'
-- bucket. Keys: ISO country codes, 'region:<vocabulary>:<code>', '~split_unknown'
-- (several countries with no percentages) and '~not_stated' (no country or region, or
-- percentages that do not add up to 100). Empty when the province filter is on.
WITH m AS (  -- each activity's money, summed before it is split; `largest`: its largest row
    SELECT pk, any_value(w_country) AS w_country, sum(value * w_sector) AS v, max(abs(value * w_sector)) AS largest,
           bool_or(approximate) AS approximate
    FROM filtered_amounts($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_country IS NOT NULL
    GROUP BY pk
),
ps AS (
    SELECT * FROM province_share WHERE len($country) = 0 OR list_contains($country, country)
),
known AS (SELECT pk, bool_and(share IS NOT NULL) AS split_known, sum(share) AS located FROM ps GROUP BY pk),
located AS (SELECT pk, country, sum(share) AS share FROM ps GROUP BY ALL),
cs AS (
    SELECT * FROM country_share
    WHERE len($country) = 0 OR list_contains($country, country)  -- regions only with no country filter
),
cs_known AS (
    SELECT pk, bool_and(share IS NOT NULL) AS split_known, bool_or(country IS NOT NULL) AS has_country
    FROM cs GROUP BY pk
),
-- what funding_by_province counts as not located, per activity (a share of its money)
national AS (
    SELECT m.pk, m.w_country - coalesce(k.located, 0) AS share,
           coalesce(c.split_known, true) AS split_known, coalesce(c.has_country, false) AS has_country,
           coalesce(k.located, 0) AS located
    FROM m LEFT JOIN known k USING (pk) LEFT JOIN cs_known c USING (pk)
    WHERE coalesce(k.split_known, true)
),
by_key AS (
    -- a region keeps nothing unlocated when the activity names provinces but no country
    -- (derive.sql gives those provinces all of its money)
    SELECT n.pk, coalesce(cs.country, 'region:' || cs.region) AS key,
           CASE WHEN cs.country IS NULL THEN cs.share * CASE WHEN n.has_country THEN 1 ELSE 1 - n.located END
                ELSE cs.share - coalesce(l.share, 0) END AS share
    FROM national n JOIN cs USING (pk)
    LEFT JOIN located l ON l.pk = cs.pk AND l.country = cs.country
    WHERE n.split_known
),
keyed_sum AS (SELECT pk, sum(share) AS share FROM by_key GROUP BY pk),
keyed AS (
    SELECT b.* FROM by_key b
    UNION ALL
    -- what is left: percentages that do not add up to 100, no country or region at all,
    -- or several countries with no percentages
    SELECT n.pk, CASE WHEN n.split_known THEN '~not_stated' ELSE '~split_unknown' END,
           n.share - coalesce(s.share, 0)
    FROM national n LEFT JOIN keyed_sum s USING (pk)
),
rows AS (  -- an activity counts where one of its money rows leaves more than a trace
    SELECT k.key, m.pk, m.approximate, m.v * k.share AS v
    FROM m JOIN keyed k USING (pk)
    WHERE m.largest * abs(k.share) > 1e-9
)
SELECT r.key,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en, rg.name_fr, rg.name_en) ELSE coalesce(c.name_en, rg.name_en) END AS label,
       sum(r.v) AS value, bool_or(r.approximate) AS approximate, count(DISTINCT r.pk) AS n_projects
FROM rows r
LEFT JOIN country c ON c.iso2 = r.key
LEFT JOIN region rg ON 'region:' || rg.vocabulary || ':' || rg.code = r.key
WHERE len($province) = 0
GROUP BY ALL
ORDER BY value DESC, r.key;
