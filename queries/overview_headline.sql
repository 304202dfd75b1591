-- Headline figures of the filtered portfolio. `total` counts budgets (a revised budget
-- in place of the original it revises), in the display currency at the ECB rate of each
-- value date, split by the selected sectors, countries and provinces; amounts that
-- cannot be counted that way are left to money_gaps.sql.
WITH f AS (
    SELECT * FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
),
m AS (
    SELECT * FROM filtered_money('budget', $currency, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to)
),
counted AS (
    SELECT * FROM m
    WHERE donor_attributed AND value IS NOT NULL
      AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
)
SELECT
    (SELECT count(*) FROM f) AS n_projects,
    (SELECT sum(value * w_sector * w_country * w_province) FROM counted) AS total,
    (SELECT coalesce(bool_or(approximate), false) FROM counted) AS total_approximate,
    (SELECT count(DISTINCT project_id) FROM m) AS n_with_budget,
    (SELECT count(*) FROM f JOIN project p USING (project_id) LEFT JOIN project_span s USING (project_id)
      WHERE p.status = '2' AND (s.end_date IS NULL OR s.end_date >= $today)
        AND (s.start_date IS NULL OR s.start_date <= $today)) AS n_active,
    (SELECT count(DISTINCT org_id) FROM participation JOIN f USING (project_id)
      WHERE role = 'funding' AND (len($donor) = 0 OR list_contains($donor, org_id))) AS n_donors,
    (SELECT count(DISTINCT country) FROM country_share JOIN f USING (project_id)
      WHERE country IS NOT NULL AND (len($country) = 0 OR list_contains($country, country))) AS n_countries,
    (SELECT count(DISTINCT province) FROM province_share JOIN f USING (project_id)
      WHERE len($province) = 0 OR list_contains($province, province)) AS n_provinces;
