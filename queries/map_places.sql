-- Every place named by the filtered activities (only those in the selected countries and
-- provinces when those filters are on), with its province as recorded (ISO 3166-2, NULL
-- when not known), whether that code is a known province and drawn by the bundled
-- boundaries, its coordinates (NULL when not known), the number of activities, the codes
-- or titles of the first four (`projects`, '; '-separated, alphabetical), and the city it
-- is at (derive.sql's location_city: within 10 km, or the same name with no coordinates).
WITH f AS (
    SELECT project_id FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
),
pl AS (
    SELECT x.location_id, x.project_id
    FROM project_location x JOIN f USING (project_id) JOIN location l USING (location_id)
    WHERE (len($province) = 0 OR list_contains($province, l.province))
      AND (len($country) = 0 OR list_contains($country, coalesce(l.country, left(l.province, 2))))
),
counted AS (
    SELECT location_id, count(DISTINCT project_id) AS n_projects FROM pl GROUP BY location_id
),
labelled AS (  -- the first four labels of each place, alphabetical
    SELECT location_id, label FROM (
        SELECT DISTINCT pl.location_id,
               coalesce(p.code, CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END) AS label
        FROM pl JOIN project p USING (project_id))
    QUALIFY row_number() OVER (PARTITION BY location_id ORDER BY label) <= 4
),
labels AS (
    SELECT location_id, string_agg(label, '; ' ORDER BY label) AS projects FROM labelled GROUP BY location_id
)
SELECT l.location_id, l.name, l.kind, coalesce(l.country, left(l.province, 2)) AS country,
       CASE WHEN $lang = 'fr' THEN coalesce(k.name_fr, k.name_en) ELSE k.name_en END AS country_name,
       l.province, pr.name AS province_name, pr.iso IS NOT NULL AS province_known,
       coalesce(pr.in_boundaries, false) AS province_drawn,
       l.lat, l.lon, c.n_projects, s.projects,
       a.geonameid AS city_id, a.km AS city_km
FROM counted c
JOIN location l USING (location_id)
LEFT JOIN labels s USING (location_id)
LEFT JOIN province pr ON pr.iso = l.province
LEFT JOIN country k ON k.iso2 = coalesce(l.country, left(l.province, 2))
LEFT JOIN location_city a USING (location_id)
ORDER BY country, l.province, l.name;
