-- The cities the map draws (data/reference/cities.csv: places over 100,000 inhabitants,
-- province seats and national capitals, from GeoNames), with their country's name and
-- the filtered activities that name a place at the city (derive.sql's location_city;
-- only places in the selected countries and provinces when those filters are on): how
-- many, and the codes or titles of the first four (`projects`, '; '-separated).
WITH at_city AS (
    SELECT DISTINCT a.geonameid, f.pk, CASE WHEN $lang = 'fr' THEN x.label_fr ELSE x.label_en END AS label
    FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis) f
    JOIN place_activity x USING (pk)
    JOIN location_city a USING (location_id)
    WHERE (len($province) = 0 OR list_contains($province, x.province))
      AND (len($country) = 0 OR list_contains($country, x.country))
),
counted AS (
    SELECT geonameid, count(*) AS n_projects, array_to_string(min(label, 4), '; ') AS projects
    FROM at_city GROUP BY geonameid
)
SELECT c.geonameid, c.name, c.country,
       CASE WHEN $lang = 'fr' THEN coalesce(k.name_fr, k.name_en) ELSE k.name_en END AS country_name,
       c.province, c.lat, c.lon, c.population, c.capital,
       c.basis LIKE '%PPLC%' AS national_capital,
       coalesce(n.n_projects, 0) AS n_projects, n.projects
FROM city c LEFT JOIN country k ON k.iso2 = c.country
LEFT JOIN counted n USING (geonameid)
ORDER BY c.population DESC NULLS LAST, c.geonameid;
