-- Money of one flow per calendar year: each budget spread over its period by days (over
-- the activity's dates when the budget has no period), transactions in the year of
-- their date. Undated money has year NULL.
SELECT year,
       sum(value * w_sector * w_country * w_province) AS value,
       bool_or(approximate) AS approximate,
       count(DISTINCT pk) AS n_projects
FROM filtered_money($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
WHERE donor_attributed AND value IS NOT NULL
  AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
GROUP BY year
ORDER BY year NULLS LAST;
