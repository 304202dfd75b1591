-- Every place named by the filtered activities (only those in the selected countries and
-- provinces when those filters are on), with its province as recorded (ISO 3166-2, NULL
-- when not known), whether that code is a known province and drawn by the bundled
-- boundaries, its coordinates (NULL when not known), the number of activities and their
-- codes or titles, and the city it is at: the nearest city of the `city` table within
-- 10 km of its coordinates, or, with no coordinates, a city of the same name in the same
-- country (accents and case ignored).
WITH f AS (
    SELECT project_id FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
),
pl AS (
    SELECT l.*, p.project_id, coalesce(p.code, CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END) AS project_label
    FROM project_location x JOIN f USING (project_id) JOIN location l USING (location_id) JOIN project p USING (project_id)
    WHERE (len($province) = 0 OR list_contains($province, l.province))
      AND (len($country) = 0 OR list_contains($country, coalesce(l.country, left(l.province, 2))))
),
places AS (
    SELECT location_id, any_value(name) AS name, any_value(kind) AS kind,
           any_value(coalesce(country, left(province, 2))) AS country, any_value(province) AS province,
           any_value(lat) AS lat, any_value(lon) AS lon,
           count(DISTINCT project_id) AS n_projects,
           string_agg(DISTINCT project_label, '; ' ORDER BY project_label) AS projects
    FROM pl GROUP BY location_id
),
near AS (
    -- great-circle distance in km (haversine)
    SELECT p.location_id, c.geonameid,
           2 * 6371 * asin(sqrt(pow(sin(radians(c.lat - p.lat) / 2), 2)
                + cos(radians(p.lat)) * cos(radians(c.lat)) * pow(sin(radians(c.lon - p.lon) / 2), 2))) AS km
    FROM places p JOIN city c ON c.country = p.country
    WHERE p.lat IS NOT NULL AND abs(c.lat - p.lat) < 0.2 AND abs(c.lon - p.lon) < 0.2
),
at_city AS (
    SELECT location_id, arg_min(geonameid, km) AS geonameid, min(km) AS km FROM near WHERE km <= 10 GROUP BY location_id
    UNION ALL
    SELECT p.location_id, min(c.geonameid), NULL
    FROM places p JOIN city c ON c.country = p.country
     AND lower(strip_accents(c.name)) = lower(strip_accents(p.name))
    WHERE p.lat IS NULL AND p.kind IN ('city', 'point')
    GROUP BY p.location_id
)
SELECT p.location_id, p.name, p.kind, p.country,
       CASE WHEN $lang = 'fr' THEN coalesce(k.name_fr, k.name_en) ELSE k.name_en END AS country_name,
       p.province, pr.name AS province_name, pr.iso IS NOT NULL AS province_known,
       coalesce(pr.in_boundaries, false) AS province_drawn,
       p.lat, p.lon, p.n_projects, p.projects,
       a.geonameid AS city_id, a.km AS city_km
FROM places p
LEFT JOIN province pr ON pr.iso = p.province
LEFT JOIN country k ON k.iso2 = p.country
LEFT JOIN at_city a USING (location_id)
ORDER BY p.country, p.province, p.name;
