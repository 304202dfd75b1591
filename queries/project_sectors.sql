-- The sectors (and SDG goals) of one activity, with percentages and the curators' note
-- on how a sector was chosen.
SELECT ps.vocabulary, ps.code,
       CASE WHEN ps.vocabulary = '1' THEN CASE WHEN $lang = 'fr' THEN coalesce(s.name_fr, s.name_en) ELSE s.name_en END
            WHEN ps.vocabulary = '2' THEN CASE WHEN $lang = 'fr' THEN coalesce(c.name_fr, c.name_en) ELSE c.name_en END END AS name,
       CASE WHEN $lang = 'fr' THEN coalesce(v.name_fr, v.name_en) ELSE v.name_en END AS vocabulary_label,
       ps.percentage, ps.mapping_note, ps.source_id
FROM project_sector ps
LEFT JOIN sector s ON ps.vocabulary = '1' AND s.code = ps.code
LEFT JOIN sector_category c ON ps.vocabulary = '2' AND c.code = ps.code
JOIN project p ON p.project_id = ps.project_id
LEFT JOIN codelist v ON v.list = 'SectorVocabulary' AND v.code = ps.vocabulary AND v.version = codelist_version(p.iati_version)
WHERE ps.project_id = $project_id
ORDER BY ps.vocabulary, ps.percentage DESC NULLS LAST, ps.code;
