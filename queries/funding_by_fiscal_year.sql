-- Money of one flow per fiscal year of the partner governments (yearbasis=fiscal): each
-- amount divided between years by the same rule as over calendar years (money_fiscal),
-- each country's share of it (country_share) in that country's own fiscal years. With
-- one country selected its years alone; with several or none, each row is one country's
-- year (`country` says whose). What no partner country's share holds (regional money, a
-- country outside the five) stays by calendar year with country NULL; money in no known
-- fiscal year of its country, or undated, has label NULL. `months` is 6 for Myanmar's
-- interim years. Sums to the calendar-year total of funding_by_year.sql. Under
-- yearbasis=fiscal the year filter is in fiscal years: a country's row counts when its label begins with a year in the
-- range (FY2020 of Thailand: 2020; FY2019/20: 2019), money in no country's fiscal years
-- when its calendar year is in it (the money of filtered_money under the same filter).
WITH m AS (
    SELECT pk, row_id, year, sum(value * w_sector * w_province) AS v, bool_or(approximate) AS approximate,
           any_value(w_country) AS w_country
    FROM filtered_money($flow, $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status,
                        CASE WHEN $yearbasis = 'fiscal' THEN NULL ELSE $year_from END,
                        CASE WHEN $yearbasis = 'fiscal' THEN NULL ELSE $year_to END, $yearbasis)
    WHERE donor_attributed AND value IS NOT NULL
      AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
      -- the activities the year filter selects (in fiscal years: those of the money macros)
      AND pk IN (SELECT pk FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status,
                                                  $year_from, $year_to, $yearbasis))
    GROUP BY pk, row_id, year
),
shares AS (  -- each activity's share of each selected (or any) partner country with fiscal years
    SELECT pk, country, sum(share) AS share FROM country_share
    WHERE country IN (SELECT DISTINCT country FROM fiscal_year)
      AND (len($country) = 0 OR list_contains($country, country)) AND share IS NOT NULL
    GROUP BY pk, country
),
rows AS (
    SELECT s.country, x.label, x.start_date, x.months, m.year, m.pk, m.v * s.share * x.part AS v, m.approximate
    FROM m JOIN shares s USING (pk)
    JOIN money_fiscal x ON x.pk = m.pk AND x.row_id = m.row_id AND x.flow = $flow AND x.country = s.country
                       AND x.year IS NOT DISTINCT FROM m.year
    UNION ALL
    -- the rest of the activity's selected share: no partner government's year
    SELECT NULL, NULL, NULL, NULL, m.year, m.pk, m.v * (m.w_country - coalesce(t.share, 0)), m.approximate
    FROM m
    LEFT JOIN (SELECT pk, sum(share) AS share FROM shares GROUP BY pk) t USING (pk)
    WHERE abs(m.w_country - coalesce(t.share, 0)) > 1e-9
)
SELECT country, label, start_date, months,
       CASE WHEN country IS NULL THEN year END AS year,
       sum(v) AS value, bool_or(approximate) AS approximate, count(DISTINCT pk) AS n_projects
FROM rows
WHERE $yearbasis <> 'fiscal' OR ($year_from IS NULL AND $year_to IS NULL)
   OR (country IS NOT NULL AND label IS NOT NULL
       AND fiscal_label_year(label) BETWEEN coalesce($year_from, 0) AND coalesce($year_to, 9999))
   OR (country IS NULL AND year BETWEEN coalesce($year_from, 0) AND coalesce($year_to, 9999))
GROUP BY country, label, start_date, months, CASE WHEN country IS NULL THEN year END
ORDER BY country NULLS LAST, start_date NULLS LAST, year NULLS LAST;
