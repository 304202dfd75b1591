-- The transactions of one activity, newest first, converted like budgets.
SELECT t.transaction_id, t.type,
       CASE WHEN $lang = 'fr' THEN coalesce(tt.name_fr, tt.name_en) ELSE tt.name_en END AS type_label,
       t.date, t.amount, t.currency, t.value_date,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(po.name_fr, po.name_en) ELSE po.name_en END, t.provider_name) AS provider,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(ro.name_fr, ro.name_en) ELSE ro.name_en END, t.receiver_name) AS receiver,
       CASE WHEN $currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END AS value,
       CASE WHEN $currency = 'USD' THEN m.rate_usd ELSE m.rate_eur END AS rate,
       t.description, t.source_id
FROM "transaction" t
JOIN project p ON p.project_id = t.project_id
LEFT JOIN codelist tt ON tt.list = 'TransactionType' AND tt.code = t.type AND tt.version = codelist_version(p.iati_version)
LEFT JOIN organisation po ON po.org_id = t.provider_org_id
LEFT JOIN organisation ro ON ro.org_id = t.receiver_org_id
LEFT JOIN money_row m ON m.row_kind = 'transaction' AND m.row_id = t.transaction_id
WHERE t.project_id = $project_id
ORDER BY t.date DESC NULLS LAST, t.transaction_id
LIMIT $limit;
