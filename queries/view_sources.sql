-- The documents behind the activities under the current filters (for the stamp line,
-- slides and exported files), with how many of those activities each one describes.
SELECT d.document_id, d.title, d.publisher, d.kind, d.file, d.url, f.n_projects
FROM (SELECT document_id, count(*) AS n_projects
      FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
      GROUP BY document_id) f
JOIN document d USING (document_id)
ORDER BY f.n_projects DESC, d.title;
