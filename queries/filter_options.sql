-- The values each sidebar filter can take (those present in the data), with a label in
-- the interface language and the number of activities behind each; `outside` marks a
-- country outside the five (kept by an import with all countries), which the sidebar
-- labels as such.
SELECT 'donor' AS dimension, o.org_id AS value,
       CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END AS label,
       count(DISTINCT pa.project_id) AS n, false AS outside
FROM participation pa JOIN organisation o USING (org_id)
WHERE pa.role = 'funding'
GROUP BY ALL
UNION ALL
SELECT 'implementer', o.org_id,
       CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END,
       count(DISTINCT pa.project_id), false
FROM participation pa JOIN organisation o USING (org_id)
WHERE pa.role = 'implementing'
GROUP BY ALL
UNION ALL
SELECT 'category', ss.category,
       ss.category || ' ' || coalesce(CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END, ''),
       count(DISTINCT ss.project_id), false
FROM sector_share ss LEFT JOIN sector_category c ON c.code = ss.category
WHERE ss.category IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT 'sector', ss.sector,
       ss.sector || ' ' || coalesce(CASE WHEN $lang = 'fr' THEN coalesce(s.name_fr, s.name_en) ELSE s.name_en END, ''),
       count(DISTINCT ss.project_id), false
FROM sector_share ss LEFT JOIN sector s ON s.code = ss.sector
WHERE ss.sector IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT 'country', cs.country,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END, cs.country),
       count(DISTINCT cs.project_id), NOT coalesce(c.mekong, false)
FROM country_share cs LEFT JOIN country c ON c.iso2 = cs.country
WHERE cs.country IS NOT NULL
GROUP BY ALL
UNION ALL
-- provinces as the generation $vn of Viet Nam's boundaries shows them (province_view)
SELECT 'province', coalesce(v.shown, ps.province),
       coalesce(pr.name, coalesce(v.shown, ps.province)) || ' (' || coalesce(CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END, ps.country) || ')',
       count(DISTINCT ps.project_id), false
FROM province_share ps LEFT JOIN province_view v ON v.code = ps.province AND v.gen = $vn
LEFT JOIN province pr ON pr.iso = coalesce(v.shown, ps.province) LEFT JOIN country c ON c.iso2 = ps.country
GROUP BY ALL
UNION ALL
SELECT 'status', coalesce(p.status, 'none'),
       CASE WHEN $lang = 'fr' THEN coalesce(cl.name_fr, cl.name_en) ELSE cl.name_en END,
       count(*), false
FROM project p LEFT JOIN codelist cl ON cl.list = 'ActivityStatus' AND cl.code = p.status AND cl.version = '2'
GROUP BY ALL
UNION ALL
-- Years: from the earliest start to the latest end, or to this year when an activity
-- has no end date (it is taken as still running).
SELECT 'year', CAST(y AS VARCHAR), NULL, count(*), false
FROM (SELECT year(start_date) AS y FROM project_span WHERE start_date IS NOT NULL
      UNION ALL SELECT year(end_date) FROM project_span WHERE end_date IS NOT NULL
      UNION ALL SELECT year($today) FROM project_span WHERE start_date IS NOT NULL AND end_date IS NULL)
GROUP BY ALL
ORDER BY dimension, outside, n DESC, label;
