-- Which filtered activity names which place (only places in the selected countries and
-- provinces when those filters are on): the map lists the activities of a selected
-- province or city from these pairs and links to each activity's page. `province`: as
-- the generation $vn of Viet Nam's boundaries shows it (province_view); `city_id` the
-- city the place is at (derive.sql's location_city), NULL when none.
WITH f AS (
    SELECT project_id FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
)
SELECT x.location_id, coalesce(v.shown, l.province) AS province, a.geonameid AS city_id, p.project_id, p.code,
       CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en, p.project_id) ELSE coalesce(p.title_en, p.title_fr, p.project_id) END AS title
FROM project_location x JOIN f USING (project_id) JOIN location l USING (location_id) JOIN project p USING (project_id)
LEFT JOIN province_view v ON v.code = l.province AND v.gen = $vn
LEFT JOIN location_city a USING (location_id)
WHERE (len($province) = 0 OR list_contains($province, l.province))
  AND (len($country) = 0 OR list_contains($country, coalesce(l.country, left(l.province, 2))))
ORDER BY title, p.project_id;
