-- How many activities match the filters (the pages' "nothing matches" test).
SELECT count(*) AS n_projects
FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis);
