-- Money of one flow from funder to implementer to recipient country. Implementer: the
-- activity's only implementing organisation, else '~several' (not divided) or '~none'.
-- Country split as in funding_by_country.sql.
WITH m AS (  -- each activity's money per funder key, summed before it is split
    SELECT pk,
           coalesce(funder_id, CASE WHEN funder_name IS NOT NULL THEN 'name:' || funder_name END, '~' || funder_basis) AS donor_key,
           any_value(w_country) AS w_country, sum(value * w_sector * w_province) AS v
    FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
    GROUP BY pk, donor_key
),
s AS (SELECT * FROM country_share WHERE len($country) = 0 OR list_contains($country, country)),
-- whether each activity's split over the countries is stated, NULL when it names none:
-- with a filter every activity here names a selected one and its share in them is
-- stated (those whose share is not stated are left to money_gaps.sql); without,
-- derive.sql worked it out
split AS (
    SELECT m.*, pf.implementer_key,
           CASE WHEN len($country) > 0 THEN true ELSE pf.country_split END AS split_known
    FROM m JOIN project_filter pf USING (pk)
),
rows AS (
    SELECT m.pk, m.donor_key, m.implementer_key, coalesce(s.country, 'region:' || s.region) AS country_key, m.v * s.share AS part
    FROM split m JOIN s USING (pk) WHERE m.split_known
    UNION ALL
    SELECT pk, donor_key, implementer_key, '~split_unknown', v FROM split WHERE NOT split_known
    UNION ALL
    SELECT pk, donor_key, implementer_key, '~not_stated', v FROM split WHERE split_known IS NULL
),
by_key AS (
    SELECT donor_key, implementer_key, country_key, sum(part) AS value
    FROM rows
    GROUP BY donor_key, implementer_key, country_key
)
SELECT r.donor_key,
       -- the key is the organisation, 'name:' and the name stated, or a bucket ('~...')
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END,
                CASE WHEN starts_with(r.donor_key, 'name:') THEN substr(r.donor_key, 6) END) AS donor_label,
       r.implementer_key,
       CASE WHEN $lang = 'fr' THEN coalesce(io.name_fr, io.name_en) ELSE io.name_en END AS implementer_label,
       r.country_key,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en, rg.name_fr, rg.name_en) ELSE coalesce(c.name_en, rg.name_en) END AS country_label,
       r.value,
       NOT coalesce(c.mekong, true) AS country_outside  -- a country outside the five: the chart says so
FROM by_key r
LEFT JOIN organisation o ON o.org_id = r.donor_key
LEFT JOIN organisation io ON io.org_id = r.implementer_key
LEFT JOIN country c ON c.iso2 = r.country_key
LEFT JOIN region rg ON 'region:' || rg.vocabulary || ':' || rg.code = r.country_key
ORDER BY r.value DESC;
