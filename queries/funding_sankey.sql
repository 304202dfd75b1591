-- Money of one flow from funder to implementer to recipient country. Implementer: the
-- activity's only implementing organisation, else '~several' (not divided) or '~none'.
-- Country split as in funding_by_country.sql.
WITH m AS (
    SELECT * FROM filtered_money($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
    WHERE donor_attributed AND value IS NOT NULL AND w_sector IS NOT NULL AND w_province IS NOT NULL
),
s AS (SELECT * FROM country_share WHERE len($country) = 0 OR list_contains($country, country)),
known AS (SELECT project_id, bool_and(share IS NOT NULL) AS split_known FROM s GROUP BY project_id),
rows AS (
    SELECT m.*, coalesce(s.country, 'region:' || s.region) AS country_key, m.value * m.w_sector * m.w_province * s.share AS v
    FROM m JOIN s USING (project_id) JOIN known k USING (project_id) WHERE k.split_known
    UNION ALL
    SELECT m.*, '~split_unknown', m.value * m.w_sector * m.w_province
    FROM m JOIN known k USING (project_id) WHERE NOT k.split_known
    UNION ALL
    SELECT m.*, '~not_stated', m.value * m.w_sector * m.w_province
    FROM m WHERE m.project_id NOT IN (SELECT project_id FROM known)
)
SELECT coalesce(r.funder_id, CASE WHEN r.funder_name IS NOT NULL THEN 'name:' || r.funder_name END, '~' || r.funder_basis) AS donor_key,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END, r.funder_name) AS donor_label,
       CASE WHEN pi.n_implementers = 1 THEN pi.sole_implementer_id
            WHEN pi.n_implementers > 1 THEN '~several' ELSE '~none' END AS implementer_key,
       CASE WHEN pi.n_implementers = 1 THEN
            CASE WHEN $lang = 'fr' THEN coalesce(io.name_fr, io.name_en) ELSE io.name_en END END AS implementer_label,
       r.country_key,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en, rg.name_fr, rg.name_en) ELSE coalesce(c.name_en, rg.name_en) END AS country_label,
       sum(r.v) AS value
FROM rows r
LEFT JOIN organisation o ON o.org_id = r.funder_id
LEFT JOIN project_implementer pi ON pi.project_id = r.project_id
LEFT JOIN organisation io ON io.org_id = pi.sole_implementer_id
LEFT JOIN country c ON c.iso2 = r.country_key
LEFT JOIN region rg ON 'region:' || rg.vocabulary || ':' || rg.code = r.country_key
GROUP BY ALL
ORDER BY value DESC;
