-- The cities the map draws (data/reference/cities.csv: places over 100,000 inhabitants,
-- province seats and national capitals, from GeoNames), with their country's name.
-- Which activities are at a city is decided in map_places.sql.
SELECT c.geonameid, c.name, c.country,
       CASE WHEN $lang = 'fr' THEN coalesce(k.name_fr, k.name_en) ELSE k.name_en END AS country_name,
       c.province, c.lat, c.lon, c.population, c.capital,
       c.basis LIKE '%PPLC%' AS national_capital
FROM city c LEFT JOIN country k ON k.iso2 = c.country
ORDER BY c.population DESC NULLS LAST, c.geonameid;
