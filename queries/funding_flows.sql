-- Which money flows the filtered activities have (budget, commitment, disbursement, ...),
-- so the funding page offers only those.
SELECT flow, count(*) AS n_projects
FROM (SELECT unnest(p.flows) AS flow
      FROM project_filter p
      JOIN filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis) f
        USING (pk))
GROUP BY flow
ORDER BY n_projects DESC, flow;
