-- Money of one flow per calendar year: each budget spread over its period by days (over
-- the activity's dates when the budget has no period), transactions in the year of
-- their date. Undated money has year NULL.
WITH f AS (
    SELECT * FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
per_year AS (  -- one row per activity and year
    -- no donor filter: all of the activity's money, summed at build time (money_year)
    SELECT m.year, m.pk,
           CASE WHEN $currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END * f.w_sector * f.w_country * f.w_province
               * coalesce(CASE WHEN $currency = 'USD' THEN n.share_usd ELSE n.share_eur END, 1.0) AS v,
           CASE WHEN $currency = 'USD' THEN m.approximate_usd ELSE m.approximate_eur END AS approximate
    FROM money_year m JOIN f USING (pk)
    LEFT JOIN net_share n ON n.pk = m.pk AND n.flow = $flow AND $count <> 'gross'
    WHERE len($donor) = 0 AND ($yearbasis <> 'fiscal' OR ($year_from IS NULL AND $year_to IS NULL)) AND m.flow = $flow
      AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
      AND (CASE WHEN $currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END) IS NOT NULL
      AND f.w_sector IS NOT NULL AND f.w_country IS NOT NULL AND f.w_province IS NOT NULL
    UNION ALL
    -- a donor filter: the rows attributed to the selected donors; a fiscal year filter:
    -- each piece's part inside the selected fiscal years (filtered_money), by calendar year
    SELECT year, pk, sum(value * w_sector * w_country * w_province), bool_or(approximate)
    FROM filtered_money($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
    WHERE (len($donor) > 0 OR ($yearbasis = 'fiscal' AND ($year_from IS NOT NULL OR $year_to IS NOT NULL))) AND donor_attributed AND value IS NOT NULL
      AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
    GROUP BY year, pk
)
SELECT year, sum(v) AS value, bool_or(approximate) AS approximate, count(*) AS n_projects
FROM per_year
GROUP BY year
ORDER BY year NULLS LAST;
