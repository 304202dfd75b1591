-- What an import found not as the format says, for one document ($document_id; NULL = all
-- imported documents): the activity, the element, the line of the file or row of the sheet,
-- severity ('error': the element was left out, 'warning': kept as published) and message.
SELECT x.document_id, d.file, x.activity, x.element, x.line, x.severity, x.message
FROM import_deviation x JOIN document d USING (document_id)
WHERE $document_id IS NULL OR x.document_id = $document_id
ORDER BY d.file, x.line NULLS FIRST, x.element;
