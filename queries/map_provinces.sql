-- Every province of the reference table (drawn by the bundled boundaries or not) and any
-- other province code the filtered activities' places carry, with the number of filtered
-- activities that name a place in it (only the selected countries and provinces when
-- those filters are on). Money by province is the province breakdown of funding_breakdowns.sql.
-- Viet Nam's provinces of the generation $vn ('2025' or '2024', see province_view): a
-- place recorded in a former province counts in its 2025 unit, an activity once.
WITH f AS (
    SELECT pk FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
counts AS (
    -- province_share_view has one row per activity and province shown; under a province
    -- filter (on the codes stored) province_share is grouped here
    SELECT province AS iso, any_value(country) AS country, count(*) AS n_projects
    FROM province_share_view JOIN f USING (pk)
    WHERE gen = $vn AND len($province) = 0 AND (len($country) = 0 OR list_contains($country, country))
    GROUP BY province
    UNION ALL
    SELECT coalesce(v.shown, s.province) AS iso, any_value(s.country) AS country, count(DISTINCT s.pk) AS n_projects
    FROM province_share s JOIN f USING (pk)
    LEFT JOIN province_view v ON v.code = s.province AND v.gen = $vn
    WHERE len($province) > 0 AND list_contains($province, s.province)
      AND (len($country) = 0 OR list_contains($country, s.country))
    GROUP BY coalesce(v.shown, s.province)
)
SELECT coalesce(p.iso, c.iso) AS iso,
       coalesce(p.country, q.country, c.country) AS country,
       CASE WHEN $lang = 'fr' THEN coalesce(k.name_fr, k.name_en) ELSE k.name_en END AS country_name,
       q.name, q.iso IS NOT NULL AS known, coalesce(p.in_boundaries, false) AS in_boundaries, q.note,
       coalesce(c.n_projects, 0) AS n_projects
FROM (SELECT * FROM province WHERE generation IS NULL OR generation = $vn) p
FULL JOIN counts c ON c.iso = p.iso
LEFT JOIN province q ON q.iso = coalesce(p.iso, c.iso)
LEFT JOIN country k ON k.iso2 = coalesce(p.country, q.country, c.country)
ORDER BY 1;
