-- The headline total of one flow under the filters: the money every breakdown of that
-- flow adds up to, its buckets ("split not stated", "not located", "regional", "several
-- funders") included. What cannot be counted (not converted, a donor's or a selected
-- place's share not stated) is left to money_gaps.sql. `double_counted`: what adding up
-- every publisher's report counts more than once (money passed between loaded
-- activities, secondary reports), left out of `total` when $count is 'net'.
SELECT sum(value * w_sector * w_country * w_province) AS total,
       sum((gross_value - net_value) * w_sector * w_country * w_province) AS double_counted,
       coalesce(bool_or(approximate), false) AS approximate,
       count(DISTINCT pk) AS n_projects
FROM filtered_amounts($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
WHERE donor_attributed AND value IS NOT NULL
  AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL;
