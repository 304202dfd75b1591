-- The headline total of one flow under the filters: the money every breakdown of that
-- flow adds up to, its buckets ("split not stated", "not located", "regional", "several
-- funders") included. What cannot be counted (not converted, a donor's or a selected
-- place's share not stated) is left to money_gaps.sql.
SELECT sum(value * w_sector * w_country * w_province) AS total,
       coalesce(bool_or(approximate), false) AS approximate,
       count(DISTINCT pk) AS n_projects
FROM filtered_amounts($flow, $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
WHERE donor_attributed AND value IS NOT NULL
  AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL;
