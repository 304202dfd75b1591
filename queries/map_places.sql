-- Every place named by the filtered activities (only those in the selected countries and
-- provinces when those filters are on), with its province as recorded (ISO 3166-2, NULL
-- when not known), whether that code is a known province and drawn by the bundled
-- boundaries, its coordinates (NULL when not known), the number of activities, the codes
-- or titles of the first four (`projects`, '; '-separated, alphabetical), and the city it
-- is at (derive.sql's location_city: within 10 km, or the same name with no coordinates).
-- `province` is the province the place is counted in under the generation $vn of Viet
-- Nam's boundaries (province_view); `stated_province` (and its name) what the record
-- says when that differs (a former province of Viet Nam in the 2025 view).
-- Busiest first (most activities, then by name): the map draws the first as points when
-- there are too many to draw all, and lists the places it cannot show in this order.
WITH counted AS (  -- (activity, place) pairs are unique: count them, and the first four labels
    SELECT x.location_id, count(*) AS n_projects,
           array_to_string(min(CASE WHEN $lang = 'fr' THEN x.label_fr ELSE x.label_en END, 4), '; ') AS projects
    FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis) f
    JOIN place_activity x USING (pk)
    WHERE (len($province) = 0 OR list_contains($province, x.province))
      AND (len($country) = 0 OR list_contains($country, x.country))
    GROUP BY x.location_id
)
SELECT l.location_id, l.name, l.kind, coalesce(l.country, left(l.province, 2)) AS country,
       CASE WHEN $lang = 'fr' THEN coalesce(k.name_fr, k.name_en) ELSE k.name_en END AS country_name,
       coalesce(v.shown, l.province) AS province, pr.name AS province_name, pr.iso IS NOT NULL AS province_known,
       CASE WHEN v.shown <> l.province THEN l.province END AS stated_province,
       CASE WHEN v.shown <> l.province THEN st.name END AS stated_province_name,
       coalesce(pr.in_boundaries, false) AS province_drawn,
       l.lat, l.lon, c.n_projects, c.projects,
       a.geonameid AS city_id, a.km AS city_km
FROM counted c
JOIN location l USING (location_id)
LEFT JOIN province_view v ON v.code = l.province AND v.gen = $vn
LEFT JOIN province pr ON pr.iso = coalesce(v.shown, l.province)
LEFT JOIN province st ON st.iso = l.province
LEFT JOIN country k ON k.iso2 = coalesce(l.country, left(l.province, 2))
LEFT JOIN location_city a USING (location_id)
ORDER BY c.n_projects DESC, l.name, l.location_id;
