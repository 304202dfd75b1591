-- The places of one activity: recipient countries and regions with their percentages,
-- then its locations with province and coordinates. `province` is the province as the
-- record states it; `shown`/`shown_name` the province it is counted in under the
-- generation $vn of Viet Nam's boundaries when that differs (e.g. Hà Giang, VN-03, is part
-- of Tuyên Quang, VN-N08, since 1 July 2025), else NULL.
SELECT 'country' AS kind, pc.country AS code,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END, pc.country) AS name,
       pc.percentage, NULL AS province, NULL AS province_name, NULL::DOUBLE AS lat, NULL::DOUBLE AS lon,
       NULL AS note, pc.source_id, NULL AS shown, NULL AS shown_name
FROM project_country pc LEFT JOIN country c ON c.iso2 = pc.country
WHERE pc.project_id = $project_id
UNION ALL
SELECT 'region', pr.vocabulary || ':' || pr.code,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(r.name_fr, r.name_en) ELSE r.name_en END, pr.code),
       pr.percentage, NULL, NULL, NULL, NULL, NULL, pr.source_id, NULL, NULL
FROM project_region pr LEFT JOIN region r ON r.vocabulary = pr.vocabulary AND r.code = pr.code
WHERE pr.project_id = $project_id
UNION ALL
SELECT l.kind, l.location_id, l.name, NULL, l.province, pv.name, l.lat, l.lon, pl.note, pl.source_id,
       CASE WHEN v.shown <> l.province THEN v.shown END, CASE WHEN v.shown <> l.province THEN sv.name END
FROM project_location pl JOIN location l USING (location_id)
LEFT JOIN province pv ON pv.iso = l.province
LEFT JOIN province_view v ON v.code = l.province AND v.gen = $vn
LEFT JOIN province sv ON sv.iso = v.shown
WHERE pl.project_id = $project_id
ORDER BY 1, 3;
