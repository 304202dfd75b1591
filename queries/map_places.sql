-- The places named by the filtered activities (only those in the selected countries and
-- provinces when those filters are on) that the map draws or lists: at 100k activities
-- there are tens of thousands, of which the map draws at most $max_points as points, so
-- only these come back:
--   * the $max_points busiest points (a point: a place with coordinates that is not a
--     whole country or province; most activities, then by name),
--   * every place that is not a point, and every point whose province is not recorded,
--     not a known code or not in $drawn (the provinces the boundaries in use draw):
--     map_data.classify_places lists them beside the map.
-- Each with its province as recorded (ISO 3166-2, NULL when not known), whether that code
-- is a known province and drawn by the bundled boundaries, its coordinates (NULL when not
-- known), the number of activities, the codes or titles of the first four (`projects`,
-- '; '-separated, alphabetical), and the city it is at (derive.sql's location_city:
-- within 10 km, or the same name with no coordinates). `province` is the province the
-- place is counted in under the generation $vn of Viet Nam's boundaries (province_view);
-- `stated_province` (and its name) what the record says when that differs (a former
-- province of Viet Nam in the 2025 view). On every row, of all the points under the
-- filters: how many (`n_points`) and how far they spread (`west`, `south`, `east`, `north`).
-- Busiest first (most activities, then by name), as the map draws and lists them.
WITH f AS MATERIALIZED (
    SELECT pk FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
pairs AS MATERIALIZED (  -- (activity, place) pairs are unique: count them
    SELECT x.location_id, x.pk, CASE WHEN $lang = 'fr' THEN x.label_fr ELSE x.label_en END AS label
    FROM f JOIN place_activity x USING (pk)
    WHERE (len($province) = 0 OR list_contains($province, x.province))
      AND (len($country) = 0 OR list_contains($country, x.country))
),
counted AS (
    SELECT c.location_id, c.n_projects, l.name, l.kind, l.lat, l.lon,
           coalesce(v.shown, l.province) AS province,
           lat IS NOT NULL AND lon IS NOT NULL AND coalesce(kind NOT IN ('country', 'province'), true) AS is_point
    FROM (SELECT location_id, count(*) AS n_projects FROM pairs GROUP BY location_id) c
    JOIN location l USING (location_id)
    LEFT JOIN province_view v ON v.code = l.province AND v.gen = $vn
),
top AS (SELECT location_id FROM counted WHERE is_point ORDER BY n_projects DESC, name, location_id LIMIT $max_points),
spread AS (
    SELECT count(*) AS n_points, min(lon) AS west, min(lat) AS south, max(lon) AS east, max(lat) AS north
    FROM counted WHERE is_point
),
kept AS (  -- what the map draws or lists
    SELECT c.* FROM counted c LEFT JOIN province pr ON pr.iso = c.province
    WHERE NOT c.is_point OR c.province IS NULL OR pr.iso IS NULL OR NOT list_contains($drawn, c.province)
       OR c.location_id IN (SELECT location_id FROM top)
),
labels AS (  -- the first four activities' labels, of the places kept only
    SELECT location_id, array_to_string(min(label, 4), '; ') AS projects
    FROM pairs WHERE location_id IN (SELECT location_id FROM kept) GROUP BY location_id
)
SELECT l.location_id, l.name, l.kind, coalesce(l.country, left(l.province, 2)) AS country,
       CASE WHEN $lang = 'fr' THEN coalesce(k.name_fr, k.name_en) ELSE k.name_en END AS country_name,
       c.province, pr.name AS province_name, pr.iso IS NOT NULL AS province_known,
       CASE WHEN c.province <> l.province THEN l.province END AS stated_province,
       CASE WHEN c.province <> l.province THEN st.name END AS stated_province_name,
       coalesce(pr.in_boundaries, false) AS province_drawn,
       l.lat, l.lon, c.n_projects, b.projects,
       a.geonameid AS city_id, a.km AS city_km, s.*
FROM kept c
JOIN location l USING (location_id)
JOIN labels b USING (location_id)
LEFT JOIN province pr ON pr.iso = c.province
LEFT JOIN province st ON st.iso = l.province
LEFT JOIN country k ON k.iso2 = coalesce(l.country, left(l.province, 2))
LEFT JOIN location_city a USING (location_id)
CROSS JOIN spread s
ORDER BY c.n_projects DESC, l.name, l.location_id;
