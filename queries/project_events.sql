-- The dated events of one activity.
SELECT e.event_id,
       CASE WHEN $lang = 'fr' THEN coalesce(e.title_fr, e.title_en) ELSE e.title_en END AS title,
       e.start_date, e.end_date, e.precision, l.name AS place, e.source_id
FROM event e LEFT JOIN location l USING (location_id)
WHERE e.project_id = $project_id
ORDER BY e.start_date;
