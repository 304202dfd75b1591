-- Money of one flow that names no province, by recipient country or region: the map
-- shows it beside the provinces as "national / regional, not located" instead of
-- spreading it over them. The split of each activity's money is derive.sql's
-- national_keys (precomputed as national_share when no country is selected): per
-- activity and country, its share of the country minus the shares that
-- the province breakdown's equal split (funding_breakdowns.sql) gives the provinces it names there; per region,
-- the region's share. The rows add up to that breakdown's '~national' bucket. Keys:
-- ISO country codes, 'region:<vocabulary>:<code>', '~split_unknown' (several countries
-- with no percentages) and '~not_stated' (no country or region, or percentages that do
-- not add up to 100). Empty when the province filter is on.
WITH m AS (  -- each activity's money, summed before it is split; `largest`: its largest row
    SELECT pk, sum(value * w_sector) AS v, max(abs(value * w_sector)) AS largest, bool_or(approximate) AS approximate
    FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_country IS NOT NULL
    GROUP BY pk
),
keyed AS (
    SELECT * FROM national_share WHERE len($country) = 0
    UNION ALL
    SELECT * FROM national_keys($country) WHERE len($country) > 0
),
rows AS (  -- an activity counts where one of its money rows leaves more than a trace
    SELECT k.key, m.pk, m.approximate, m.v * k.share AS v
    FROM m JOIN keyed k USING (pk)
    WHERE m.largest * abs(k.share) > 1e-9
)
SELECT r.key,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en, rg.name_fr, rg.name_en) ELSE coalesce(c.name_en, rg.name_en) END AS label,
       sum(r.v) AS value, bool_or(r.approximate) AS approximate, count(DISTINCT r.pk) AS n_projects,
       NOT coalesce(any_value(c.mekong), true) AS outside
FROM rows r
LEFT JOIN country c ON c.iso2 = r.key
LEFT JOIN region rg ON 'region:' || rg.vocabulary || ':' || rg.code = r.key
WHERE len($province) = 0
GROUP BY ALL
ORDER BY value DESC, r.key;
