-- Money of one flow from funder to implementer to recipient country. Implementer: the
-- activity's only implementing organisation, else '~several' (not divided) or '~none'.
-- Country split as in funding_by_country.sql.
WITH m AS (  -- each activity's money per funder key, summed before it is split
    SELECT pk,
           coalesce(funder_id, CASE WHEN funder_name IS NOT NULL THEN 'name:' || funder_name END, '~' || funder_basis) AS donor_key,
           sum(value * w_sector * w_province) AS v
    FROM filtered_amounts($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_province IS NOT NULL
    GROUP BY pk, donor_key
),
s AS (SELECT * FROM country_share WHERE len($country) = 0 OR list_contains($country, country)),
known AS (SELECT pk, bool_and(share IS NOT NULL) AS split_known FROM s GROUP BY pk),
rows AS (
    SELECT m.*, coalesce(s.country, 'region:' || s.region) AS country_key, m.v * s.share AS part
    FROM m JOIN s USING (pk) JOIN known k USING (pk) WHERE k.split_known
    UNION ALL
    SELECT m.*, '~split_unknown', m.v
    FROM m JOIN known k USING (pk) WHERE NOT k.split_known
    UNION ALL
    SELECT m.*, '~not_stated', m.v
    FROM m WHERE m.pk NOT IN (SELECT pk FROM known)
),
by_key AS (
    SELECT r.donor_key, p.implementer_key, r.country_key, sum(r.part) AS value
    FROM rows r JOIN project_filter p USING (pk)
    GROUP BY r.donor_key, p.implementer_key, r.country_key
)
SELECT r.donor_key,
       -- the key is the organisation, 'name:' and the name stated, or a bucket ('~...')
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END,
                CASE WHEN starts_with(r.donor_key, 'name:') THEN substr(r.donor_key, 6) END) AS donor_label,
       r.implementer_key,
       CASE WHEN $lang = 'fr' THEN coalesce(io.name_fr, io.name_en) ELSE io.name_en END AS implementer_label,
       r.country_key,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en, rg.name_fr, rg.name_en) ELSE coalesce(c.name_en, rg.name_en) END AS country_label,
       r.value
FROM by_key r
LEFT JOIN organisation o ON o.org_id = r.donor_key
LEFT JOIN organisation io ON io.org_id = r.implementer_key
LEFT JOIN country c ON c.iso2 = r.country_key
LEFT JOIN region rg ON 'region:' || rg.vocabulary || ':' || rg.code = r.country_key
ORDER BY r.value DESC;
