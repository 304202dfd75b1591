-- The organisations taking part in one activity, by role.
SELECT pa.role,
       CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END AS name,
       o.org_id, o.ref, o.published_name, pa.source_id
FROM participation pa JOIN organisation o USING (org_id)
WHERE pa.project_id = $project_id
ORDER BY CASE pa.role WHEN 'funding' THEN 1 WHEN 'accountable' THEN 2 WHEN 'extending' THEN 3 ELSE 4 END, name;
