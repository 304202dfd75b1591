-- The fiscal-year rules of the partner governments with their sources, for "Sources and
-- credits": one row per rule (a run of fiscal years of one length under one source), its
-- first and last year and their labels.
SELECT f.country,
       CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END AS country_name,
       min(f.start_date) AS first_start, max(f.end_date) AS last_end, any_value(f.months) AS months,
       arg_min(f.label, f.start_date) AS first_label, arg_max(f.label, f.start_date) AS last_label,
       count(*) AS n_years, f.source
FROM fiscal_year f LEFT JOIN country c ON c.iso2 = f.country
GROUP BY f.country, c.name_en, c.name_fr, f.source, f.months
ORDER BY f.country, first_start;
