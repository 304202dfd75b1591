-- The documents behind the activities under the current filters (for the stamp line,
-- slides and exported files), with how many of those activities each one describes.
SELECT d.document_id, d.title, d.publisher, d.kind, count(*) AS n_projects
FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis) f
JOIN project p USING (project_id)
JOIN document d USING (document_id)
GROUP BY ALL
ORDER BY n_projects DESC, d.title;
