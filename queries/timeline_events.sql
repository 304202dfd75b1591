-- Dated events (meetings, milestones) of the filtered activities, and events tied to no
-- activity when no filter is set; inside the selected years.
WITH f AS (
    SELECT pk FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
e AS (
    SELECT e.* FROM event e LEFT JOIN project_key k USING (project_id)
    WHERE (k.pk IN (SELECT pk FROM f)
           OR (e.project_id IS NULL AND len($donor) + len($implementer) + len($category) + len($sector) + len($country) + len($province) + len($status) = 0))
      AND ($year_from IS NULL OR year(coalesce(e.end_date, e.start_date)) >= $year_from)
      AND ($year_to IS NULL OR year(e.start_date) <= $year_to)
)
SELECT e.event_id, e.project_id,
       CASE WHEN $lang = 'fr' THEN coalesce(e.title_fr, e.title_en) ELSE e.title_en END AS title,
       e.start_date, e.end_date, e.precision,
       l.name AS place,
       CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END AS project_title
FROM e
LEFT JOIN project p USING (project_id)
LEFT JOIN location l USING (location_id)
ORDER BY e.start_date, e.event_id;
