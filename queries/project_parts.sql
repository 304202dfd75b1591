-- The parts or phases of one programme, and the activities that follow on from it.
SELECT p.project_id, p.code,
       CASE WHEN $lang = 'fr' THEN coalesce(p.title_fr, p.title_en) ELSE coalesce(p.title_en, p.title_fr) END AS title,
       CASE WHEN p.parent_id = $project_id THEN 'part' ELSE 'successor' END AS relation
FROM project p
WHERE p.parent_id = $project_id OR p.predecessor_id = $project_id
ORDER BY relation, title;
