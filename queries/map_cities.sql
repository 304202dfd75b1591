-- The cities the map draws (data/reference/cities.csv: places over 100,000 inhabitants,
-- province seats and national capitals, from GeoNames), with their country's name and
-- the filtered activities that name a place at the city (derive.sql's location_city;
-- only places in the selected countries and provinces when those filters are on): how
-- many, and the codes or titles of the first four (`projects`, '; '-separated).
WITH f AS (
    SELECT project_id FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
),
at_city AS (
    SELECT DISTINCT a.geonameid, p.project_id,
           coalesce(p.code, CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END) AS label
    FROM location_city a
    JOIN location l USING (location_id)
    JOIN project_location x USING (location_id)
    JOIN f USING (project_id)
    JOIN project p USING (project_id)
    WHERE (len($province) = 0 OR list_contains($province, l.province))
      AND (len($country) = 0 OR list_contains($country, coalesce(l.country, left(l.province, 2))))
),
counted AS (
    SELECT geonameid, count(*) AS n_projects,
           string_agg(label, '; ' ORDER BY label) FILTER (WHERE rank <= 4) AS projects
    FROM (SELECT *, row_number() OVER (PARTITION BY geonameid ORDER BY label, project_id) AS rank FROM at_city)
    GROUP BY geonameid
)
SELECT c.geonameid, c.name, c.country,
       CASE WHEN $lang = 'fr' THEN coalesce(k.name_fr, k.name_en) ELSE k.name_en END AS country_name,
       c.province, c.lat, c.lon, c.population, c.capital,
       c.basis LIKE '%PPLC%' AS national_capital,
       coalesce(n.n_projects, 0) AS n_projects, n.projects
FROM city c LEFT JOIN country k ON k.iso2 = c.country
LEFT JOIN counted n USING (geonameid)
ORDER BY c.population DESC NULLS LAST, c.geonameid;
