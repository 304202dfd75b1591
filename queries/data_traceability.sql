-- Traceability per publisher (the reporting organisation), as the IATI Dashboard measures
-- it: of the money its activities report as incoming (incoming funds and incoming
-- commitments, in USD, the currency most of it is published in), the share whose
-- provider activity is given (another activity's identifier) and the share whose
-- provider activity is loaded here.
WITH incoming AS (
    SELECT p.reporting_org_id, m.row_id, m.amount_usd, t.provider_activity_id, p.iati_id
    FROM money_row m
    JOIN "transaction" t ON m.row_kind = 'transaction' AND t.transaction_id = m.row_id
    JOIN project p ON p.project_id = t.project_id
    WHERE m.flow IN ('incoming_funds', 'incoming_commitment')
)
SELECT i.reporting_org_id AS org_id,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END, i.reporting_org_id) AS publisher,
       count(*) AS n_transactions,
       sum(abs(i.amount_usd)) AS incoming_usd,
       sum(abs(i.amount_usd)) FILTER (WHERE i.provider_activity_id IS NOT NULL AND i.provider_activity_id <> i.iati_id)
           / nullif(sum(abs(i.amount_usd)), 0) AS share_given,
       sum(abs(i.amount_usd)) FILTER (WHERE a.project_id IS NOT NULL AND i.provider_activity_id <> i.iati_id)
           / nullif(sum(abs(i.amount_usd)), 0) AS share_loaded
FROM incoming i
LEFT JOIN activity_by_iati a ON a.iati_id = i.provider_activity_id
LEFT JOIN organisation o ON o.org_id = i.reporting_org_id
GROUP BY ALL
ORDER BY incoming_usd DESC NULLS LAST;
