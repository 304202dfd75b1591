-- Which money flows the filtered activities have (budget, commitment, disbursement, ...),
-- so the funding page offers only those.
SELECT m.flow, count(DISTINCT m.project_id) AS n_projects
FROM money m
JOIN filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to) f
  USING (project_id)
GROUP BY m.flow
ORDER BY n_projects DESC;
