-- Headline figures of the filtered portfolio. `total` counts budgets (a revised budget
-- in place of the original it revises), in the display currency at the ECB rate of each
-- value date, split by the selected sectors, countries and provinces; amounts that
-- cannot be counted that way are left to money_gaps.sql.
WITH f AS (
    SELECT * FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
m AS (
    SELECT * FROM filtered_amounts('budget', $currency, $count, $donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
counted AS (
    SELECT * FROM m
    WHERE donor_attributed AND value IS NOT NULL
      AND w_sector IS NOT NULL AND w_country IS NOT NULL AND w_province IS NOT NULL
),
pf AS (SELECT p.* FROM project_filter p JOIN f USING (pk)),
-- the distinct countries and provinces named, before they are looked up (a few hundred
-- codes rather than a row per activity and place)
country_named AS (
    SELECT DISTINCT c.country AS iso2 FROM (SELECT unnest(countries) AS c FROM pf)
    WHERE c.country IS NOT NULL AND (len($country) = 0 OR list_contains($country, c.country))
),
province_named AS (
    SELECT DISTINCT p.province FROM (SELECT unnest(provinces) AS p FROM pf)
    WHERE p.province IS NOT NULL AND (len($province) = 0 OR list_contains($province, p.province))
)
SELECT
    (SELECT count(*) FROM f) AS n_projects,
    (SELECT sum(value * w_sector * w_country * w_province) FROM counted) AS total,
    (SELECT coalesce(bool_or(approximate), false) FROM counted) AS total_approximate,
    (SELECT count(DISTINCT pk) FROM m) AS n_with_budget,
    (SELECT count(*) FROM pf
      WHERE status = '2' AND (end_date IS NULL OR end_date >= $today)
        AND (start_date IS NULL OR start_date <= $today)) AS n_active,
    (SELECT count(DISTINCT org_id) FROM (SELECT unnest(funders) AS org_id FROM pf)
      WHERE len($donor) = 0 OR list_contains($donor, org_id)) AS n_donors,
    -- countries of the five; those outside (an import with all countries) are counted apart
    (SELECT count(*) FROM country_named WHERE iso2 IN (SELECT iso2 FROM country WHERE mekong)) AS n_countries,
    (SELECT count(*) FROM country_named WHERE iso2 NOT IN (SELECT iso2 FROM country WHERE mekong)) AS n_countries_outside,
    (SELECT count(DISTINCT coalesce(v.shown, p.province)) FROM province_named p
      LEFT JOIN province_view v ON v.code = p.province AND v.gen = $vn) AS n_provinces;
