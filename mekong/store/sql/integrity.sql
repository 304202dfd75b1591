-- Checks run after every build and import, before the new database replaces the old
-- one. Each statement, after its "-- check:" line, returns the offending rows; any row
-- refuses the build or import. (Foreign keys are checked here rather than declared.)
-- Rows that belong to one activity are checked for the activities in _checked: all of
-- them after a build, those an import touched after an import (the others did not change
-- and nothing they point to was removed: an import removes only its own activities'
-- rows and sources, and organisations nothing names).

-- check: fact rows whose source does not exist
SELECT 'organisation' AS tbl, org_id AS id FROM organisation WHERE source_id NOT IN (SELECT source_id FROM source)
UNION ALL SELECT 'project', project_id FROM project WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project status', project_id FROM project WHERE (status_source_id IS NOT NULL AND status_source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project stated total', project_id FROM project WHERE (stated_total IS NOT NULL AND (stated_total_source_id IS NULL OR stated_total_source_id NOT IN (SELECT source_id FROM source))) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_text', project_id FROM project_text WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_date', project_id FROM project_date WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'participation', project_id FROM participation WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_sector', project_id FROM project_sector WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_country', project_id FROM project_country WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_region', project_id FROM project_region WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'location', location_id FROM location WHERE source_id NOT IN (SELECT source_id FROM source)
UNION ALL SELECT 'project_location', project_id FROM project_location WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'budget', budget_id FROM budget WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'transaction', transaction_id FROM "transaction" WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'event', event_id FROM event WHERE source_id NOT IN (SELECT source_id FROM source)
UNION ALL SELECT 'activity_relation', project_id FROM activity_relation WHERE (source_id NOT IN (SELECT source_id FROM source)) AND project_id IN (SELECT project_id FROM _checked);

-- check: sources and import deviations whose document does not exist
SELECT source_id FROM source WHERE document_id NOT IN (SELECT document_id FROM document)
UNION ALL SELECT 'deviation of ' || document_id FROM import_deviation WHERE document_id NOT IN (SELECT document_id FROM document);

-- check: rows that name an activity that does not exist
SELECT 'project_date' AS tbl, project_id FROM project_date WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'activity_relation', project_id FROM activity_relation WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_text', project_id FROM project_text WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'participation', project_id FROM participation WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_sector', project_id FROM project_sector WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_country', project_id FROM project_country WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_region', project_id FROM project_region WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_location', project_id FROM project_location WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'budget', project_id FROM budget WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'transaction', project_id FROM "transaction" WHERE (project_id NOT IN (SELECT project_id FROM project)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'event', project_id FROM event WHERE project_id IS NOT NULL AND project_id NOT IN (SELECT project_id FROM project);

-- check: rows that name an organisation that does not exist
SELECT 'participation' AS tbl, org_id FROM participation WHERE (org_id NOT IN (SELECT org_id FROM organisation)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project reporting org', reporting_org_id FROM project WHERE (reporting_org_id IS NOT NULL AND reporting_org_id NOT IN (SELECT org_id FROM organisation)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'budget contributor', contributor_org_id FROM budget WHERE (contributor_org_id IS NOT NULL AND contributor_org_id NOT IN (SELECT org_id FROM organisation)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'transaction provider', provider_org_id FROM "transaction" WHERE (provider_org_id IS NOT NULL AND provider_org_id NOT IN (SELECT org_id FROM organisation)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'transaction receiver', receiver_org_id FROM "transaction" WHERE (receiver_org_id IS NOT NULL AND receiver_org_id NOT IN (SELECT org_id FROM organisation)) AND project_id IN (SELECT project_id FROM _checked);

-- check: places that do not exist or name an unknown province
SELECT 'project_location' AS tbl, location_id FROM project_location WHERE (location_id NOT IN (SELECT location_id FROM location)) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'event', location_id FROM event WHERE location_id IS NOT NULL AND location_id NOT IN (SELECT location_id FROM location)
UNION ALL SELECT 'location province', location_id FROM location WHERE province IS NOT NULL AND province NOT IN (SELECT iso FROM province);

-- check: activities that point to a parent, predecessor or document that does not exist
SELECT project_id FROM project
WHERE (parent_id IS NOT NULL AND parent_id NOT IN (SELECT project_id FROM project))
   OR (predecessor_id IS NOT NULL AND predecessor_id NOT IN (SELECT project_id FROM project))
   OR document_id NOT IN (SELECT document_id FROM document);

-- check: percentages outside 0-100
SELECT 'project_sector' AS tbl, project_id FROM project_sector WHERE (percentage < 0 OR percentage > 100) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_country', project_id FROM project_country WHERE (percentage < 0 OR percentage > 100) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT 'project_region', project_id FROM project_region WHERE (percentage < 0 OR percentage > 100) AND project_id IN (SELECT project_id FROM _checked);

-- check: amounts without a currency code of three letters
SELECT budget_id FROM budget WHERE (NOT regexp_full_match(currency, '[A-Z]{3}')) AND project_id IN (SELECT project_id FROM _checked)
UNION ALL SELECT transaction_id FROM "transaction" WHERE (NOT regexp_full_match(currency, '[A-Z]{3}')) AND project_id IN (SELECT project_id FROM _checked);
