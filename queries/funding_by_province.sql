-- Money of one flow by province (ISO 3166-2). An activity's share of a country is divided
-- equally between the provinces it names there (IATI gives no split by place). The part
-- of the money that names no province is the '~national' bucket ("national / regional,
-- not located"); '~split_unknown' when the activity's country split is not stated.
-- Viet Nam's provinces in the generation $vn ('2025': the 34 units, a former province's
-- share counted in its unit, once per activity; '2024': the 63 former ones).
WITH m AS (  -- each activity's money, summed before it is split; `largest`: its largest row
    SELECT pk, any_value(w_country) AS w_country, sum(value * w_sector) AS v, max(abs(value * w_sector)) AS largest,
           bool_or(approximate) AS approximate
    FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
    GROUP BY pk
),
s AS (
    SELECT ps.pk, coalesce(v.shown, ps.province) AS province, any_value(ps.country) AS country,
           CASE WHEN bool_and(ps.share IS NOT NULL) THEN sum(ps.share) END AS share
    FROM province_share ps LEFT JOIN province_view v ON v.code = ps.province AND v.gen = $vn
    WHERE (len($province) = 0 OR list_contains($province, ps.province))
      AND (len($country) = 0 OR list_contains($country, ps.country))
    GROUP BY ps.pk, coalesce(v.shown, ps.province)
),
known AS (SELECT pk, bool_and(share IS NOT NULL) AS split_known, sum(share) AS located FROM s GROUP BY pk),
rows AS (  -- `part`: the share of the activity's money the row takes
    SELECT s.province AS key, m.*, s.share AS part
    FROM m JOIN s USING (pk) JOIN known k USING (pk) WHERE k.split_known
    UNION ALL
    SELECT '~split_unknown', m.*, m.w_country
    FROM m JOIN known k USING (pk) WHERE NOT k.split_known
    UNION ALL
    -- what the provinces leave of the country share; a few 1e-16 left by adding up
    -- thirds is nothing
    SELECT '~national', m.*,
           CASE WHEN abs(m.w_country - coalesce(k.located, 0)) < 1e-9 THEN 0 ELSE m.w_country - coalesce(k.located, 0) END
    FROM m LEFT JOIN known k USING (pk)
    WHERE len($province) = 0 AND coalesce(k.split_known, true)
),
by_key AS (
    -- an activity counts where one of its money rows leaves more than a trace; one row
    -- per activity and key (province_share has one per activity and province)
    SELECT key, sum(v * part) AS value, bool_or(approximate) AS approximate, count(*) AS n_projects
    FROM rows WHERE part IS NULL OR largest * abs(part) > 1e-9
    GROUP BY key
)
SELECT r.key, pr.name AS label, pr.country, r.value, r.approximate, r.n_projects
FROM by_key r LEFT JOIN province pr ON pr.iso = r.key
ORDER BY r.value DESC, r.key;
