-- Every field of one activity, with labels in the interface language.
SELECT p.*,
       CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END AS title,
       CASE WHEN $lang = 'fr' THEN coalesce(st.name_fr, st.name_en) ELSE st.name_en END AS status_label,
       CASE WHEN $lang = 'fr' THEN coalesce(ro.name_fr, ro.name_en) ELSE ro.name_en END AS reporting_org,
       CASE WHEN $lang = 'fr' THEN coalesce(pp.title_fr, pp.title_en) ELSE coalesce(pp.title_en, pp.title_fr) END AS parent_title,
       CASE WHEN $lang = 'fr' THEN coalesce(pr.title_fr, pr.title_en) ELSE coalesce(pr.title_en, pr.title_fr) END AS predecessor_title,
       s.start_date, s.start_actual, s.start_precision, s.end_date, s.end_actual, s.end_precision,
       d.title AS document_title, d.kind AS document_kind
FROM project p
LEFT JOIN project_span s USING (project_id)
LEFT JOIN codelist st ON st.list = 'ActivityStatus' AND st.code = p.status AND st.version = codelist_version(p.iati_version)
LEFT JOIN organisation ro ON ro.org_id = p.reporting_org_id
LEFT JOIN project pp ON pp.project_id = p.parent_id
LEFT JOIN project pr ON pr.project_id = p.predecessor_id
LEFT JOIN document d ON d.document_id = p.document_id
WHERE p.project_id = $project_id;
