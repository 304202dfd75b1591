-- The funding chain of one activity: who passed how much to it and to whom it passed
-- money, from the links the data states (derive.sql's activity_link), both as this
-- activity reports them and as the other activity does. `direction`: 'from' (money
-- received) or 'to' (money passed on); `reported_by`: 'this' or 'other'; the other
-- activity's identifier as published, its loaded activity when it resolves (NULL: not
-- loaded), its title and the organisation named on the transactions. Amounts in the
-- display currency (NULL: not converted).
WITH mine AS (
    SELECT CASE kind WHEN 'provider' THEN 'from' ELSE 'to' END AS direction, 'this' AS reported_by,
           l.other_iati_id, l.other_project_id, l.flow, l.transaction_id, l.amount_eur, l.amount_usd
    FROM activity_link l
    WHERE l.project_id = $project_id AND l.kind IN ('provider', 'receiver')
),
theirs AS (  -- the other side's reports that name this activity
    SELECT CASE kind WHEN 'provider' THEN 'to' ELSE 'from' END, 'other',
           coalesce(p.iati_id, l.project_id), l.project_id, l.flow, l.transaction_id, l.amount_eur, l.amount_usd
    FROM activity_link l JOIN project p ON p.project_id = l.project_id
    WHERE l.other_project_id = $project_id AND l.kind IN ('provider', 'receiver')
),
links AS (SELECT * FROM mine UNION ALL SELECT * FROM theirs)
SELECT l.direction, l.reported_by, l.other_iati_id, l.other_project_id,
       CASE WHEN $lang = 'fr' THEN coalesce(o.title_fr, o.title_en) ELSE coalesce(o.title_en, o.title_fr) END AS other_title,
       coalesce(CASE WHEN $lang = 'fr' THEN coalesce(org.name_fr, org.name_en) ELSE org.name_en END,
                CASE WHEN l.reported_by = 'other' THEN NULL
                     WHEN l.direction = 'from' THEN any_value(t.provider_name) ELSE any_value(t.receiver_name) END) AS organisation,
       l.flow, count(*) AS n_transactions,
       sum(CASE WHEN $currency = 'USD' THEN l.amount_usd ELSE l.amount_eur END) AS value
FROM links l
LEFT JOIN project o ON o.project_id = l.other_project_id
LEFT JOIN "transaction" t ON t.transaction_id = l.transaction_id
-- the counterpart: the organisation this activity's transaction names, or the other
-- activity's publisher when the report is the other side's
LEFT JOIN organisation org ON org.org_id = CASE WHEN l.reported_by = 'other' THEN o.reporting_org_id
                                                WHEN l.direction = 'from' THEN t.provider_org_id ELSE t.receiver_org_id END
GROUP BY l.direction, l.reported_by, l.other_iati_id, l.other_project_id, o.title_en, o.title_fr, org.name_en, org.name_fr, l.flow
-- counterparts by the most money, each with this activity's own reports first
ORDER BY l.direction, max(value) OVER (PARTITION BY l.direction, l.other_iati_id) DESC NULLS LAST, l.other_iati_id,
         l.reported_by DESC, l.flow;
