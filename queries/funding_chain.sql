-- The funding chain of the filtered activities as edges between organisations, for the
-- sankey from the original funders through intermediaries to the implementers: money
-- disbursed between two loaded activities (derive.sql's activity_flow: each pair counted
-- once, the larger of the two reports), from the giver's reporting organisation to the
-- taker's; and money that enters the loaded activities from outside (incoming funds whose
-- provider activity is not loaded), from the provider organisation named. An edge counts
-- when either of its activities is among the filtered ones. Empty when no link resolves.
WITH f AS (
    SELECT project_id FROM filtered_projects($donor, $implementer, $category, $sector, $country, $province, $status, $year_from, $year_to, $yearbasis)
),
inside AS (
    SELECT g.reporting_org_id AS source_key, t.reporting_org_id AS target_key,
           CASE WHEN $currency = 'USD' THEN af.amount_usd ELSE af.amount_eur END AS value, 'loaded' AS kind
    FROM activity_flow af
    JOIN project g ON g.project_id = af.giver
    JOIN project t ON t.project_id = af.taker
    WHERE af.kind = 'disbursed' AND (af.giver IN (SELECT project_id FROM f) OR af.taker IN (SELECT project_id FROM f))
),
outside AS (
    SELECT coalesce(tr.provider_org_id, 'name:' || tr.provider_name, '~not_stated') AS source_key, p.reporting_org_id AS target_key,
           CASE WHEN $currency = 'USD' THEN l.amount_usd ELSE l.amount_eur END AS value, 'outside' AS kind
    FROM activity_link l
    JOIN "transaction" tr ON tr.transaction_id = l.transaction_id
    JOIN project p ON p.project_id = l.project_id
    WHERE l.kind = 'provider' AND l.transaction_type = '1' AND l.other_project_id IS NULL
      AND l.project_id IN (SELECT project_id FROM f)
      AND l.project_id IN (SELECT taker FROM activity_flow UNION SELECT giver FROM activity_flow)
),
edges AS (
    SELECT source_key, target_key, kind, sum(value) AS value FROM (SELECT * FROM inside UNION ALL SELECT * FROM outside)
    WHERE source_key IS NOT NULL AND target_key IS NOT NULL AND source_key <> target_key
    GROUP BY ALL
)
SELECT e.source_key,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(so.name_fr, so.name_en) ELSE so.name_en END,
                CASE WHEN starts_with(e.source_key, 'name:') THEN substr(e.source_key, 6) END) AS source_label,
       e.target_key,
       CASE WHEN $lang = 'fr' THEN coalesce(tg.name_fr, tg.name_en) ELSE tg.name_en END AS target_label,
       e.kind, e.value
FROM edges e
LEFT JOIN organisation so ON so.org_id = e.source_key
LEFT JOIN organisation tg ON tg.org_id = e.target_key
WHERE e.value IS NOT NULL AND e.value > 0
ORDER BY e.value DESC;
