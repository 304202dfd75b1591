-- The dates of one activity as stated (planned and actual), with their precision.
SELECT d.type, d.date, d.precision, d.source_id
FROM project_date d
WHERE d.project_id = $project_id
ORDER BY CASE d.type WHEN 'planned_start' THEN 1 WHEN 'actual_start' THEN 2 WHEN 'planned_end' THEN 3 ELSE 4 END;
